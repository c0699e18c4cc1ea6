"""Login, logout and the two display preferences every page offers: 长辈版 and language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shuren.accounts.actions import set_elder_mode, set_language
from shuren.accounts.forms import LoginForm

# Before login, the elder-mode choice lives in a cookie so the login page itself can be large;
# after login it is remembered on the user.
ELDER_COOKIE = "shuren_elder"
ONE_YEAR = 365 * 24 * 60 * 60


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Return to the page the form was on, if it is one of ours."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    return HttpResponseRedirect(target)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # Someone who switched on 长辈版 on the login page keeps it after logging in.
        if self.request.COOKIES.get(ELDER_COOKIE) == "1":
            set_elder_mode(user=form.get_user(), on=True)
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); back to the login page."""


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("on")
    if on not in {"0", "1"}:
        return HttpResponseBadRequest()
    if request.user.is_authenticated:
        set_elder_mode(user=request.user, on=on == "1")  # type: ignore[arg-type]
    response = _back(request)
    response.set_cookie(
        ELDER_COOKIE, on, max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure()
    )
    return response


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("language", "")
    if code not in {c for c, _name in settings.LANGUAGES}:
        return HttpResponseBadRequest()
    if request.user.is_authenticated:
        set_language(user=request.user, language=code)  # type: ignore[arg-type]
    response = _back(request)
    cookie: dict[str, Any] = {
        "max_age": settings.LANGUAGE_COOKIE_AGE or ONE_YEAR,
        "path": settings.LANGUAGE_COOKIE_PATH,
        "domain": settings.LANGUAGE_COOKIE_DOMAIN,
        "secure": settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        "httponly": settings.LANGUAGE_COOKIE_HTTPONLY,
        "samesite": settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    }
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, **cookie)
    return response
