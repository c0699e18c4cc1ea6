"""Denied requests in the audit trail: every answer 403 (a page's or the API's refusal, a
CSRF failure) and 429 (too many tries: an address refused at the login, a throttle), recorded
after the view has answered and outside its transaction, so a refusal that rolled the request
back is still recorded. django-axes' own lockout answer (429) is not: its signal recorded it
(audit.receivers, `locked_out`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from shuren.audit.actions import record
from shuren.audit.choices import Kind

logger = logging.getLogger("shuren.audit")

# Set on the request by a view that knows why it refused (web.errors.csrf_failure).
REASON = "audit_denied_reason"


class DeniedRequestsMiddleware:
    """Placed before CsrfViewMiddleware, so a CSRF failure's 403 passes through it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 or (
            response.status_code == 429 and not getattr(request, "axes_locked_out", False)
        ):
            try:
                record(
                    Kind.DENIED,
                    request=request,
                    target=("path", "", request.path),
                    detail={
                        "method": request.method or "",
                        "status": response.status_code,
                        "reason": getattr(request, REASON, "") or "",
                    },
                )
            except DatabaseError:
                # The refusal stands (it changed nothing); the operator hears the trail failed.
                logger.exception("audit: could not record a refused request to %s", request.path)
        return response
