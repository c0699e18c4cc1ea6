"""The API's error bodies: every failure is JSON {"code", "message"} with a machine code."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shuren.cases.workflow.transitions import CaseTransitionError
from shuren.kernel.versions import StaleVersion
from shuren.mediation.progress import MediationTransitionError
from shuren.text import UNSAFE_MESSAGE

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")


class ApiError(Exception):
    """Raised by endpoints and auth for a failure that has its own code and message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
        super().__init__(message)


def _messages_by_status() -> dict[int, tuple[str, str]]:
    # Built per call so each message is translated into the request's language.
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("unauthorized", _("Log in, or send a valid API token.")),
        403: ("forbidden", _("You may not do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("This conflicts with the current state; reload and retry.")),
        429: ("throttled", _("Too many requests; wait a moment and retry.")),
    }


def error_body(status: int, message: str | None = None, code: str | None = None) -> dict[str, Any]:
    default_code, default_message = _messages_by_status().get(
        status, ("error", _("Something went wrong."))
    )
    return {"code": code or default_code, "message": message or default_message}


# Pydantic error types and the sentence each becomes; ctx values fill the placeholders.
def _validation_messages() -> dict[str, str]:
    return {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "greater_than_equal": _("Must be at least %(ge)s."),
        "greater_than": _("Must be more than %(gt)s."),
        "less_than_equal": _("Must be at most %(le)s."),
        "less_than": _("Must be less than %(lt)s."),
        "string_too_long": _("At most %(max_length)s characters."),
        "string_too_short": _("At least %(min_length)s characters."),
        "string_type": _("Enter text."),
        "enum": _("Choose one of: %(expected)s."),
        "literal_error": _("Choose one of: %(expected)s."),
        "date_from_datetime_parsing": _("Enter a date such as 2026-01-31."),
        "date_parsing": _("Enter a date such as 2026-01-31."),
        "datetime_parsing": _("Enter a date and time such as 2026-01-31T09:30:00+08:00."),
        "json_invalid": _("The request body is not valid JSON."),
        "unsafe_characters": str(UNSAFE_MESSAGE),
        "model_attributes_type": _("Send an object of named fields."),
        "dict_type": _("Send an object of named fields."),
        "list_type": _("Send a list."),
        "string_pattern_mismatch": _("This value is not in the expected form."),
    }


def translate_validation_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as {"field", "location", "code", "message"} in the user's language."""
    loc = [str(part) for part in error.get("loc", ())]
    location, field = (loc[0], ".".join(loc[1:])) if loc else ("", "")
    if location == "body":
        # Ninja nests a body under the view's parameter name; the client never sent that name.
        field = ".".join(loc[2:])
    kind = str(error.get("type", "invalid"))
    template = _validation_messages().get(kind, _("This value is not valid."))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    if kind == "string_too_short" and context.get("min_length") == "1":
        template = _("This field is required.")  # nothing but blanks or invisible characters
    try:
        message = template % context if "%(" in template else template
    except KeyError:
        message = _("This value is not valid.")
    return {"field": field, "location": location, "code": kind, "message": message}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(
            request, {**error_body(exc.status, exc.message, exc.code), **exc.extra}, exc.status
        )

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, error_body(401), 401)
        response["WWW-Authenticate"] = 'Bearer realm="shuren"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja's own messages are English; answer with ours for the status.
        return respond(request, error_body(exc.status_code), exc.status_code)

    # A missing id and an id outside the user's scope give the same body (DESIGN: 404 alike).
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, error_body(404), 404)

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, error_body(404), 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # The domain's refusal says why in words (the intake policy, an action's rule).
        return respond(request, error_body(403, str(exc) or None), 403)

    # A NUL or a number no database holds that got past the schemas (web/guard.py), a body
    # past DATA_UPLOAD_MAX_MEMORY_SIZE: a bad request, never a 500.
    @api.exception_handler(SuspiciousOperation)
    def bad_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(
            "%s: %s", request.path, exc
        )
        return respond(request, error_body(400), 400)

    @api.exception_handler(StaleVersion)
    def stale_version(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        body = error_body(409, str(exc), "conflict")
        body["current_version"] = exc.current
        return respond(request, body, 409)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = error_body(422, _("Some values are not valid."), "invalid")
        body["errors"] = [translate_validation_error(e) for e in exc.errors]
        return respond(request, body, 422)

    # Not possible in the case's current state: a conflict with that state, not a bad value.
    @api.exception_handler(CaseTransitionError)
    def illegal_transition(request: HttpRequest, exc: CaseTransitionError) -> HttpResponse:
        return respond(request, error_body(409, exc.messages[0], "illegal_transition"), 409)

    # The same for a mediation case (a ValidationError too, so it must be caught before one).
    @api.exception_handler(MediationTransitionError)
    def mediation_illegal_transition(
        request: HttpRequest, exc: MediationTransitionError
    ) -> HttpResponse:
        return respond(request, error_body(409, exc.messages[0], "illegal_transition"), 409)

    # Actions raise Django's ValidationError with messages already in the user's language.
    @api.exception_handler(DjangoValidationError)
    def invalid_action(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        body = error_body(422, _("Some values are not valid."), "invalid")
        if hasattr(exc, "error_dict"):
            body["errors"] = [
                {"field": field, "location": "body", "code": e.code or "invalid", "message": m}
                for field, errors in exc.error_dict.items()
                for e in errors
                for m in e.messages
            ]
        else:
            body["errors"] = [
                {"field": "", "location": "body", "code": e.code or "invalid", "message": m}
                for e in exc.error_list
                for m in e.messages
            ]
        return respond(request, body, 422)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc  # the developer wants the traceback page
        logger.error("API error: %s", request.path, exc_info=exc, extra={"status_code": 500})
        return respond(request, error_body(500, _("Something went wrong."), "server_error"), 500)
