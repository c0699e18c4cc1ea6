"""The admin for accounts, API tokens and login records, kept to the roles of 三员分立; an
account's changes go through accounts/actions.py."""

from __future__ import annotations

import copy
from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuren.access.admin import AuditorOnlyAdmin
from shuren.accounts.actions import (
    change_account,
    revoke_api_tokens,
    set_account_password,
    unlock_account,
)
from shuren.accounts.models import ApiToken, User
from shuren.accounts.rules import administers_accounts


def accounts_visible_to(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    # Accounts are not place data: the security administrator sees all of them, and they
    # show usernames and flags only, never a person's contact details.
    return queryset if administers_accounts(user) else queryset.none()


class SecurityAdminOnly(admin.ModelAdmin):
    actions: Any = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administers_accounts(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return administers_accounts(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return administers_accounts(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return accounts_visible_to(request.user, super().get_queryset(request))


class AccountPasswordForm(AdminPasswordChangeForm):
    """Django's password form, saving through set_account_password as the one acting."""

    actor: Any = None  # set per request by UserAdmin.user_change_password

    def save(self, commit: bool = True) -> Any:
        usable = self.cleaned_data["set_usable_password"]
        saved = set_account_password(
            actor=self.actor,
            user=self.user,
            password=self.cleaned_data["password1"] if usable else None,
        )
        # The admin then keeps its own session valid with this object's new hash.
        self.user.password = saved.password
        return self.user


@admin.register(User)
class UserAdmin(SecurityAdminOnly, DjangoUserAdmin):
    # 三员分立: the security administrator keeps logins, not residents' records; whose login it
    # is shows as a yes, never as the person's name.
    list_display = ["username", "linked", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["username"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ["username", "password", "linked"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Display"), {"fields": ["elder_mode", "language"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    )
    # The person link decides the scope, and the superuser flag would bypass model
    # permissions; neither is edited here.
    readonly_fields = ["username", "linked", "is_superuser", "last_login", "date_joined"]
    actions = ["unlock"]

    @admin.display(description=_("linked to a person"), boolean=True)
    def linked(self, obj: User) -> bool:
        return obj.person_id is not None

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        change_account(
            actor=request.user,  # type: ignore[arg-type]
            user=obj,
            is_active=data["is_active"],
            is_staff=data["is_staff"],
            elder_mode=data["elder_mode"],
            language=data.get("language") or "",
        )
        obj.refresh_from_db()

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's view builds self.change_password_form(user, data) and saves it; a copy of
        # this admin for this request carries a form that knows who acts (the admin itself is
        # shared by every request, so it is not changed).
        bound = copy.copy(self)
        bound.change_password_form = type(
            "AccountPasswordForm", (AccountPasswordForm,), {"actor": request.user}
        )
        return DjangoUserAdmin.user_change_password(bound, request, id, form_url)

    @admin.action(description=_("Unlock after failed logins"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor: Any = request.user
        count = sum(unlock_account(actor=actor, user=user) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Cleared %(count)d failed-login record.",
                "Cleared %(count)d failed-login records.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(SecurityAdminOnly):
    """Shows which tokens exist and lets them be revoked; a token is never shown again."""

    list_display = ["shown_prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]  # type: ignore[misc]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["shown_prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["shown_prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("token"))
    def shown_prefix(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return administers_accounts(request.user)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = revoke_api_tokens(tokens=queryset)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# Roles come from posts, not groups; an unused Group page would only invite confusion.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# django-axes registers its login records for superusers; put them under the same roles.
for axes_model in (AccessAttempt, LoginLog, AccessFailureLog):
    if admin.site.is_registered(axes_model):
        admin.site.unregister(axes_model)


@admin.register(AccessAttempt)
class LockoutAdmin(SecurityAdminOnly, axes_admin.AccessAttemptAdmin):
    """Current failed-login counts; unlock an account from the user list."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(LoginLog)
class LoginLogAdmin(AuditorOnlyAdmin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(AuditorOnlyAdmin, axes_admin.AccessFailureLogAdmin):
    pass
