"""The site's error pages (handler400, handler404, handler403, handler500, and CSRF_FAILURE_VIEW):
friendly pages in the user's language, and JSON like the API's own for a path under /api/ that
no API route matches."""

from __future__ import annotations

from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api_body(code: str, message: str) -> dict[str, Any]:
    # The shape of every API error (api/errors.py error_body); a test keeps the two identical.
    return {"code": code, "message": message}


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request that cannot be handled as sent: a NUL where text belongs, a number no database
    holds (web/guard.py), a body past DATA_UPLOAD_MAX_MEMORY_SIZE, a forged host."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            _api_body("bad_request", _("The request could not be understood.")),
            status=400,
            content_type="application/json; charset=utf-8",
        )
    # Like the 500 page, without the request's context: what made the request bad (its query,
    # its body) is not read again to render the answer.
    return HttpResponseBadRequest(render_to_string("400.html"))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            _api_body("not_found", _("Not found.")),
            status=404,
            content_type="application/json; charset=utf-8",
        )
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid CSRF token: most often a page left open too long."""
    # Why, for the audit trail's entry of this refusal (audit/middleware.py).
    request.audit_denied_reason = f"csrf: {reason}"  # type: ignore[attr-defined]
    return render(request, "403.html", {"expired_form": True}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Without the request: no context processors, no database, whatever failed may fail again.
    return HttpResponseServerError(render_to_string("500.html"))
