"""The admin for persons, teams and posts: scoped, with phone and ID numbers always masked."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuren.access.admin import ScopedAdmin, ScopedTabularInline, VersionedForm
from shuren.access.masking import mask_id_number, mask_phone
from shuren.people.identity import is_valid_id_number
from shuren.people.models import Membership, Person, Post, Team

PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,18}$")
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dX])$")


class PersonForm(VersionedForm):
    """The stored phone and ID number are never put in the page: the form shows them masked
    and offers empty inputs that replace them."""

    new_phone = forms.CharField(
        label=_("New phone"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to keep the current phone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    new_id_number = forms.CharField(
        label=_("New ID number"),
        required=False,
        max_length=18,
        help_text=_("Leave empty to keep the current ID number."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Person
        fields = ["name", "code", "party_member"]

    def clean_new_phone(self) -> str:
        phone = self.cleaned_data["new_phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(gettext("Enter a phone number of digits only."))
        return phone

    def clean_new_id_number(self) -> str:
        id_number = self.cleaned_data["new_id_number"].strip().upper()
        if id_number and not ID_NUMBER_RE.match(id_number):
            raise forms.ValidationError(
                gettext("An ID number has 18 characters: 17 digits, then a digit or X.")
            )
        if id_number and not is_valid_id_number(id_number):
            raise forms.ValidationError(
                gettext("The ID number's last character does not match its check digit.")
            )
        return id_number


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonForm
    scope_filter = staticmethod(lambda scope: scope.person_q())
    list_display = ["name", "masked_phone", "masked_id_number", "party_member", "code"]
    list_filter = ["party_member"]
    # Not by phone or ID number: a search would confirm a number the page keeps masked.
    search_fields = ["name", "code"]
    ordering = ["name", "pk"]
    fieldsets = (
        (None, {"fields": ["name", "code", "party_member", "seen_version"]}),
        (
            _("Personal information (masked)"),
            {"fields": ["masked_phone", "new_phone", "masked_id_number", "new_id_number"]},
        ),
        (_("Record"), {"fields": ["version", "created_at", "updated_at"]}),
    )
    readonly_fields = ["masked_phone", "masked_id_number", "version", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A new person belongs to no household or post yet, so would be in nobody's scope;
        # people arrive through the household import or the pages that place them.
        return False

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    def save_model(self, request: HttpRequest, obj: Person, form: PersonForm, change: bool) -> None:
        if form.cleaned_data.get("new_phone"):
            obj.phone = form.cleaned_data["new_phone"]
        if form.cleaned_data.get("new_id_number"):
            obj.id_number = form.cleaned_data["new_id_number"]
        if change:
            obj.version = F("version") + 1  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


class MembershipInline(ScopedTabularInline):
    model = Membership
    scope_filter = staticmethod(lambda scope: scope.team_q("team__"))
    fields = ["person", "role", "starts_on", "ends_on"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("person")


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    scope_filter = staticmethod(lambda scope: scope.team_q())
    list_display = ["name", "kind", "place", "founded_on", "dissolved_on"]
    list_filter = ["kind"]
    list_select_related = ["place"]
    search_fields = ["name", "code"]
    ordering = ["place__path", "kind", "name"]
    autocomplete_fields = ["place"]
    inlines = [MembershipInline]


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    """Posts decide who sees what, so they are read-only here (三员分立: granting access is
    not the system administrator's job); appointments get their own action and page."""

    scope_filter = staticmethod(lambda scope: scope.post_q())
    editable = False
    list_display = ["person", "role", "place", "team", "title", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["person", "place", "team"]
    search_fields = ["person__name", "title"]
    ordering = ["place__path", "role", "person__name"]
