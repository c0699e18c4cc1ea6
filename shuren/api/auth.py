"""Who is calling the API: a bearer token, or the browser's logged-in session with CSRF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from shuren.accounts.models import TOKEN_PREFIX, ApiToken, User
from shuren.api.errors import ApiError


class ApiRequest(HttpRequest):
    """What an endpoint receives: Ninja puts the authenticated user on request.auth."""

    auth: User


# Raw tokens are "shuren_" + 43 URL-safe characters; anything far longer is not worth hashing.
MAX_TOKEN_LENGTH = 200


def _use_language_of(request: HttpRequest, user: Any) -> None:
    # LanguageMiddleware ran before a token identified the user; honour their choice now.
    supported = {code for code, _name in settings.LANGUAGES}
    if getattr(user, "language", "") in supported:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class ApiTokenAuth(HttpBearer):
    """Authorization: Bearer shuren_…; a missing, unknown or revoked token gives 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        # Code shared with the web pages reads request.user; make it the token's owner.
        request.user = user
        _use_language_of(request, user)
        return user


class SessionCsrfAuth(SessionAuth):
    """The logged-in browser session; unsafe methods need the CSRF token as on any page."""

    def __call__(self, request: HttpRequest) -> Any:
        # A request that brings an Authorization header is judged by it alone: a bad token
        # must not fall back to a session cookie the client happens to carry.
        if "authorization" in request.headers:
            return None
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(
                403,
                "csrf_failed",
                _("The security token is missing or out of date; reload the page and retry."),
            )
        return request.user


api_auth = [ApiTokenAuth(), SessionCsrfAuth()]
