"""Session lifetime (idle 30 minutes, absolute 12 hours), each user's chosen language, and the
password handover: an account whose password someone else set opens nothing else until its
holder has chosen their own."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

LOGIN_AT = "shuren_login_at"
SEEN_AT = "shuren_seen_at"


class SessionTimeoutMiddleware:
    """Log out a session idle for too long or older than the absolute limit (rules-cn.md §4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - seen_at > idle or now - login_at > absolute:
                logout(request)
            # Touch the session at most once a minute so reads stay cheap.
            elif now - seen_at > 60 or SEEN_AT not in request.session:
                request.session[SEEN_AT] = now
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless the person chose otherwise: their saved language, then the language
    cookie. The browser's Accept-Language is deliberately ignored: a phone set to English
    in a Chinese neighbourhood should still show the neighbourhood's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supported = {code for code, _name in settings.LANGUAGES}
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language not in supported:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in supported:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the thread's previous language afterwards, so one request's
        # choice never leaks into the next one served by the same thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# What a holder may still open before choosing their password: that page, logging out, and the
# two display preferences (a large-type login must stay large).
HANDOVER_OPEN = ("accounts:password", "accounts:logout", "accounts:elder-mode", "accounts:language")


class PasswordHandoverMiddleware:
    """After the security administrator set an account's password (accounts.actions
    .set_account_password), every page leads to 我的密码 and the API answers 403 until the
    holder has chosen their own: a password someone else knows is not the holder's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            open_paths = {reverse(name) for name in HANDOVER_OPEN}
            path = request.path_info
            static = path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/favicon"))
            if path not in open_paths and not static:
                if path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "code": "password_change_required",
                            "message": _(
                                "Choose your own password first (My account › My password)."
                            ),
                        },
                        status=403,
                    )
                return redirect("accounts:password")
        return self.get_response(request)
