"""The admin for persons, teams and posts: scoped, with phone and ID numbers always masked; every
save goes through people/actions.py (posts are given and ended, never edited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuren.access.admin import ScopedAdmin, ScopedTabularInline, VersionedForm, save_rows
from shuren.access.masking import mask_id_number, mask_phone
from shuren.kernel.admin import adopt
from shuren.people.actions import (
    appoint_post,
    change_person,
    change_team,
    check_post,
    create_team,
    end_post,
    join_team,
    leave_team,
)
from shuren.people.identity import clean_id_number, clean_phone
from shuren.people.models import Membership, Person, Post, Team, today
from shuren.people.rules import gives_any_post, gives_post, keeps_team, keeps_teams


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
        return clean_phone(self.cleaned_data["new_phone"])

    def clean_new_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["new_id_number"])


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
        data = form.cleaned_data
        change_person(
            actor=request.user,  # type: ignore[arg-type]
            person=obj,
            name=data["name"],
            code=data.get("code") or "",
            party_member=data["party_member"],
            phone=data.get("new_phone") or None,
            id_number=data.get("new_id_number") or None,
            expected_version=data.get("seen_version"),
        )
        obj.refresh_from_db()


class MembershipForm(forms.ModelForm):
    """A new row adds a member (join_team); on a row, setting the last day ends the membership
    (leave_team). A role or a start is not rewritten: end the row and add a new one."""

    class Meta:
        model = Membership
        fields = ["person", "role", "starts_on", "ends_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stored = self.instance
        if stored.pk is None:
            return cleaned
        # Compared with the stored row (not changed_data: a date with a callable default is
        # judged by a hidden initial value the page may not send).
        rewritten = [
            name
            for name in ("person", "role", "starts_on")
            if name in cleaned and cleaned[name] != getattr(stored, name)
        ]
        if not rewritten and cleaned.get("ends_on") == stored.ends_on:
            return cleaned
        if stored.ends_on is not None:
            self.add_error(None, gettext("This membership has ended; add a new row instead."))
        elif rewritten or cleaned.get("ends_on") is None:
            self.add_error(
                None,
                gettext(
                    "Only the last day of a membership can be set here; to change the role, "
                    "end it and add a new row."
                ),
            )
        return cleaned


class MembershipInline(ScopedTabularInline):
    model = Membership
    form = MembershipForm
    scope_filter = staticmethod(lambda scope: scope.team_q("team__"))
    fields = ["person", "role", "starts_on", "ends_on"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("person")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return keeps_team(request.user, obj) if obj is not None else keeps_teams(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)


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

    def get_readonly_fields(self, request: HttpRequest, obj: Team | None = None) -> Any:
        return ["code"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return keeps_teams(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return keeps_team(request.user, obj) if obj is not None else keeps_teams(request.user)

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        data = form.cleaned_data
        details = {
            "kind": data["kind"],
            "name": data["name"],
            "place": data["place"],
            "description": data.get("description") or "",
            "founded_on": data.get("founded_on"),
        }
        if change:
            change_team(
                actor=request.user,  # type: ignore[arg-type]
                team=obj,
                dissolved_on=data.get("dissolved_on"),
                **details,
            )
            obj.refresh_from_db()
        else:
            created = create_team(
                actor=request.user,  # type: ignore[arg-type]
                code=data["code"],
                **details,
            )
            adopt(obj, created)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor, team = request.user, form.instance

        def add(row: Any) -> Membership:
            data = row.cleaned_data
            return join_team(
                actor=actor,  # type: ignore[arg-type]
                team=team,
                person=data["person"],
                role=data["role"],
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
            )

        def changed(row: Any) -> Membership | None:
            if row.cleaned_data.get("ends_on") == row.initial.get("ends_on"):
                return None  # nothing to do (MembershipForm allows nothing else)
            return leave_team(
                actor=actor,  # type: ignore[arg-type]
                membership=row.instance,
                ends_on=row.cleaned_data["ends_on"],
            )

        save_rows(formset, add=add, change=changed)


class PostForm(forms.ModelForm):
    """Gives a post (appoint_post) or sets its last day (end_post), with the reason; who holds
    what where is never rewritten. Checked here as the actions check it, so a refusal is a
    message on the form."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Why the post is given or ended: kept with the change."),
    )
    request: HttpRequest  # set by PostAdmin.get_form

    class Meta:
        model = Post
        fields = ["person", "role", "place", "team", "title", "starts_on", "ends_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            self._check_appointment(cleaned)
        else:
            self._check_end(cleaned)
        return cleaned

    def _check_appointment(self, cleaned: dict[str, Any]) -> None:
        starts_on = cleaned.get("starts_on") or today()
        try:
            check_post(
                role=cleaned.get("role") or "",
                place=cleaned.get("place"),
                team=cleaned.get("team"),
                starts_on=starts_on,
                ends_on=cleaned.get("ends_on"),
            )
        except ValidationError as error:
            self.add_error(None, error)
            return
        if cleaned.get("person") is None:
            return
        post = Post(
            person=cleaned["person"],
            role=cleaned["role"],
            place=cleaned.get("place"),
            team=cleaned.get("team"),
            starts_on=starts_on,
        )
        if not gives_post(self.request.user, post):
            self.add_error(None, gettext("You may not give this post here."))

    def _check_end(self, cleaned: dict[str, Any]) -> None:
        ends_on = cleaned.get("ends_on")
        if ends_on is None:
            self.add_error("ends_on", gettext("Choose the last day of the post."))
        elif ends_on < self.instance.starts_on:
            self.add_error(
                "ends_on",
                gettext("A post cannot end before it starts (%(date)s).")
                % {"date": self.instance.starts_on.isoformat()},
            )
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", gettext("Give the reason for ending the post."))


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    """Posts decide who sees what: they are given and ended through appoint_post and end_post,
    by the roles people/rules.py names, never edited in place (三员分立: the security
    administrator and the auditor give none)."""

    form = PostForm
    scope_filter = staticmethod(lambda scope: scope.post_q())
    list_display = ["person", "role", "place", "team", "title", "starts_on", "ends_on"]
    list_filter = ["role"]
    list_select_related = ["person", "place", "team"]
    search_fields = ["person__name", "title"]
    ordering = ["place__path", "role", "person__name"]
    autocomplete_fields = ["person", "place", "team"]

    def get_fields(self, request: HttpRequest, obj: Post | None = None) -> Any:
        return [*PostForm.Meta.fields, "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Post | None = None) -> Any:
        if obj is None:
            return []
        return ["person", "role", "place", "team", "title", "starts_on"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return gives_any_post(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not isinstance(obj, Post):
            return gives_any_post(request.user)
        # An ended post is history: it is read, not changed.
        ended = obj.ends_on is not None and obj.ends_on < today()
        return not ended and gives_post(request.user, obj)

    def save_model(self, request: HttpRequest, obj: Post, form: PostForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            end_post(
                actor=request.user,  # type: ignore[arg-type]
                post=obj,
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
            obj.refresh_from_db()
            return
        created = appoint_post(
            actor=request.user,  # type: ignore[arg-type]
            person=data["person"],
            role=data["role"],
            place=data.get("place"),
            team=data.get("team"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            title=data.get("title") or "",
            reason=data.get("reason") or "",
        )
        adopt(obj, created)
