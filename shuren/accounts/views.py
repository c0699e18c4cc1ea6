"""Login, logout, the two display preferences every page offers (长辈版 and language), and the
account page: whether my building leader may see my phone, and a leader's published number."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuren.access.actions import leader_roots
from shuren.accounts.actions import change_own_password, set_elder_mode, set_language
from shuren.accounts.forms import LoginForm, PasswordForm, PhoneConsentForm, PublishedPhoneForm
from shuren.accounts.http import AuthenticatedRequest
from shuren.people.actions import publish_phone, set_phone_consent

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


def address_refused(request: HttpRequest) -> bool:
    """This address failed SHUREN_LOGIN_IP_LIMIT times within the cool-off, whichever
    usernames it tried (the per-account lock is django-axes')."""
    address = get_client_ip_address(request)
    if not address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=since)
    return failures.count() >= settings.SHUREN_LOGIN_IP_LIMIT


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if address_refused(request):
            context = {"address_refused": True, "cooloff_timedelta": settings.AXES_COOLOFF_TIME}
            return render(request, "registration/locked_out.html", context, status=429)
        return super().post(request, *args, **kwargs)

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


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """我的账户: whether my building leader may see my phone; for a leader, the number their
    residents may call. Each form posts on its own and calls its one action."""
    user = request.user
    person = user.person
    leads = bool(leader_roots(user))
    consent = PhoneConsentForm(
        initial={"leader_sees_phone": bool(person and person.leader_sees_phone)}
    )
    published = PublishedPhoneForm(
        initial={"published_phone": person.published_phone if person else ""}
    )
    status = 200
    if request.method == "POST" and person is not None:
        which = request.POST.get("form")
        if which == "consent":
            consent = PhoneConsentForm(request.POST)
            if consent.is_valid():
                set_phone_consent(
                    actor=user,
                    person=person,
                    leader_sees_phone=consent.cleaned_data["leader_sees_phone"],
                )
                messages.success(request, _("Saved."))
                return redirect("accounts:account")
        elif which == "published" and leads:
            published = PublishedPhoneForm(request.POST)
            if published.is_valid():
                try:
                    publish_phone(
                        actor=user, person=person, phone=published.cleaned_data["published_phone"]
                    )
                except ValidationError as exc:
                    published.add_error("published_phone", exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("accounts:account")
        else:
            return HttpResponseBadRequest()
        status = 400
    return render(
        request,
        "accounts/account.html",
        {"person": person, "consent": consent, "published": published, "leads": leads},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def password(request: AuthenticatedRequest) -> HttpResponse:
    """Choose my own password. After the security administrator set one for me (a handover),
    every page leads here until I have (accounts.middleware)."""
    user = request.user
    form = PasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = change_own_password(
                    user=user,
                    current=form.cleaned_data["current"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # This session stays logged in; every other session of the account ends.
                update_session_auth_hash(request, account)
                messages.success(request, _("Your new password is saved."))
                return redirect("web:home")
        status = 400
    return render(
        request,
        "accounts/password.html",
        {"form": form, "handover": user.must_change_password},
        status=status,
    )
