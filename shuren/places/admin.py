"""The admin for the place tree, households and shops, scoped to the user's subtrees; every
save goes through places/actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuren.access.admin import (
    ScopedAdmin,
    ScopedTabularInline,
    VersionedForm,
    save_rows,
)
from shuren.access.masking import mask_phone
from shuren.access.rules import editor_scope
from shuren.accounts.http import acting_user
from shuren.kernel.admin import adopt
from shuren.places.actions import (
    PLACE_DETAILS,
    change_household,
    change_place,
    change_resident,
    change_shop,
    create_household,
    create_place,
    create_shop,
    move_in,
    move_out,
    move_place,
    rename_place,
)
from shuren.places.models import Household, Place, Resident, Shop
from shuren.places.tree import check_parent, check_place_details


def _place_widget() -> AutocompleteSelect:
    return AutocompleteSelect(Place._meta.get_field("parent"), admin.site)


class PlaceForm(VersionedForm):
    """Adds a place under a parent in scope, or renames and moves one (via the actions)."""

    move_under = forms.ModelChoiceField(
        label=_("Move under"),
        queryset=Place.objects.none(),
        required=False,
        help_text=_("Choose a new parent to move this place and everything under it."),
    )
    request: HttpRequest  # set by PlaceAdmin.get_form

    class Meta:
        model = Place
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Place.objects.visible_to(self.request.user)
        move_under = self.fields.get("move_under")
        if isinstance(move_under, forms.ModelChoiceField):
            # Widget first: setting the queryset hands its choices to the widget.
            move_under.widget = _place_widget()
            move_under.queryset = visible
        if "parent" in self.fields:
            self.fields["parent"].required = True  # a new root would be in nobody's scope

    def _check_target(self, field: str, kind: str, target: Place) -> None:
        if not editor_scope(self.request.user).contains_place(target):
            self.add_error(field, gettext("You may not change places there."))
            return
        try:
            check_parent(kind, target)
        except forms.ValidationError as error:
            self.add_error(field, error)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            check_place_details(
                kind=cleaned.get("kind") or self.instance.kind,
                floor_from=cleaned.get("floor_from"),
                floor_to=cleaned.get("floor_to"),
                property_company=cleaned.get("property_company"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        if self.instance.pk is None:
            parent, kind = cleaned.get("parent"), cleaned.get("kind")
            if parent is not None and kind:
                self._check_target("parent", kind, parent)
            return cleaned
        target = cleaned.get("move_under")
        if target is not None and target.pk != self.instance.parent_id:
            if target.path.startswith(self.instance.path):
                self.add_error(
                    "move_under",
                    gettext("A place cannot move under itself or one of its own places."),
                )
            else:
                self._check_target("move_under", self.instance.kind, target)
        return cleaned


@admin.register(Place)
class PlaceAdmin(ScopedAdmin):
    form = PlaceForm
    scope_filter = staticmethod(lambda scope: scope.place_q())
    list_display = ["name", "kind", "code", "official_code", "parent", "depth"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "code", "official_code"]
    ordering = ["path"]
    autocomplete_fields = ["parent", "property_company"]
    add_fieldsets = (
        (None, {"fields": ["kind", "name", "code", "official_code", "parent"]}),
        (
            _("Details"),
            {"fields": ["property_company", "storeys", "floor_from", "floor_to", "address"]},
        ),
    )
    change_fieldsets = (
        (None, {"fields": ["name", "kind", "code", "official_code", "seen_version"]}),
        (_("Position in the tree"), {"fields": ["parent", "move_under", "path", "depth"]}),
        (
            _("Details"),
            {"fields": ["property_company", "storeys", "floor_from", "floor_to", "address"]},
        ),
        (_("Record"), {"fields": ["version", "created_at", "updated_at"]}),
    )
    readonly_fields = ["path", "depth", "version", "created_at", "updated_at"]

    def get_fieldsets(self, request: HttpRequest, obj: Place | None = None) -> Any:
        return self.change_fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Place | None = None) -> Any:
        if obj is None:
            return self.readonly_fields
        # Kind and parent shape the tree: a move goes through move_place, never a field edit.
        return [*self.readonly_fields, "kind", "parent"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Place, form: PlaceForm, change: bool) -> None:
        data, actor = form.cleaned_data, acting_user(request)
        if not change:
            created = create_place(
                actor=actor,
                kind=data["kind"],
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                official_code=data.get("official_code") or "",
                storeys=data.get("storeys"),
                floor_from=data.get("floor_from"),
                floor_to=data.get("floor_to"),
                property_company=data.get("property_company"),
                address=data.get("address") or "",
            )
            adopt(obj, created)
            return
        # One action per intent, each on the version the one before it left.
        version = data.get("seen_version")
        if "name" in form.changed_data:
            version = rename_place(
                actor=actor, place=obj, name=data["name"], expected_version=version
            ).version
        if set(PLACE_DETAILS) & set(form.changed_data):
            version = change_place(
                actor=actor,
                place=obj,
                code=data["code"],
                official_code=data.get("official_code") or "",
                storeys=data.get("storeys"),
                floor_from=data.get("floor_from"),
                floor_to=data.get("floor_to"),
                property_company=data.get("property_company"),
                address=data.get("address") or "",
                expected_version=version,
            ).version
        target = data.get("move_under")
        if target is not None and target.pk != obj.parent_id:
            move_place(actor=actor, place=obj, new_parent=target, expected_version=version)
        obj.refresh_from_db()


class ResidentForm(forms.ModelForm):
    """A row of the household's residents: a new row moves a person in; on a row, a moving-out
    date moves them out, and clearing it moves them back in. Who the row is about stays."""

    class Meta:
        model = Resident
        fields = ["person", "relation", "moved_in_on", "moved_out_on"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance = self.instance
        if instance.pk is None:
            if cleaned.get("moved_out_on"):
                self.add_error("moved_out_on", gettext("Move the person in first."))
            return cleaned
        if "person" in self.changed_data:
            self.add_error("person", gettext("Add a new row for another person."))
        had_moved_out = instance.moved_out_on is not None
        if had_moved_out and cleaned.get("moved_out_on") is not None and self.changed_data:
            self.add_error(
                "moved_out_on",
                gettext(
                    "This person has moved out; clear the date to move them back in, or "
                    "leave the row as it is."
                ),
            )
        moved_in, moved_out = cleaned.get("moved_in_on"), cleaned.get("moved_out_on")
        if moved_in and moved_out and moved_out < moved_in:
            self.add_error("moved_out_on", gettext("Moving out cannot come before moving in."))
        return cleaned


class ResidentInline(ScopedTabularInline):
    model = Resident
    form = ResidentForm
    scope_filter = staticmethod(lambda scope: scope.household_q("household__"))
    fields = ["person", "masked_phone", "relation", "moved_in_on", "moved_out_on"]
    readonly_fields = ["masked_phone"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Resident) -> str:
        return mask_phone(obj.person.phone) if obj.pk else ""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("person")


class HouseholdForm(VersionedForm):
    class Meta:
        model = Household
        fields = "__all__"


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    form = HouseholdForm
    scope_filter = staticmethod(lambda scope: scope.household_q())
    list_display = ["code", "place", "room", "floor", "exclusive_area"]
    list_select_related = ["place"]
    search_fields = ["code", "room", "place__name"]
    ordering = ["place__path", "room"]
    autocomplete_fields = ["place", "owners"]
    fields = ["place", "code", "room", "floor", "exclusive_area", "owners", "seen_version"]
    inlines = [ResidentInline]

    def save_model(
        self, request: HttpRequest, obj: Household, form: HouseholdForm, change: bool
    ) -> None:
        data = form.cleaned_data
        details = {
            "place": data["place"],
            "code": data["code"],
            "room": data["room"],
            "floor": data.get("floor"),
            "exclusive_area": data.get("exclusive_area"),
        }
        if not change:
            created = create_household(
                actor=acting_user(request), owners=data.get("owners") or (), **details
            )
            adopt(obj, created)
            return
        change_household(
            actor=acting_user(request),
            household=obj,
            owners=data["owners"] if "owners" in form.changed_data else None,
            expected_version=data.get("seen_version"),
            **details,
        )
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The owners were set by the household's action (not form.save_m2m()); the residents
        # move in and out through theirs.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor, household = acting_user(request), form.instance

        def add(row: Any) -> Resident:
            data = row.cleaned_data
            return move_in(
                actor=actor,
                household=household,
                person=data["person"],
                relation=data["relation"],
                moved_in_on=data.get("moved_in_on"),
            )

        def changed(row: Any) -> Resident | None:
            data, resident = row.cleaned_data, row.instance
            if row.initial.get("moved_out_on") is not None:
                # A row of someone who moved out changes only by moving them back in
                # (ResidentForm).
                return move_in(
                    actor=actor,
                    household=household,
                    person=resident.person,
                    relation=data["relation"],
                    moved_in_on=data.get("moved_in_on"),
                )
            saved = resident
            if {"relation", "moved_in_on"} & set(row.changed_data):
                saved = change_resident(
                    actor=actor,
                    resident=resident,
                    relation=data["relation"],
                    moved_in_on=data.get("moved_in_on"),
                )
            if "moved_out_on" in row.changed_data:
                saved = move_out(actor=actor, resident=resident, moved_out_on=data["moved_out_on"])
            return saved

        save_rows(formset, add=add, change=changed)


@admin.register(Shop)
class ShopAdmin(ScopedAdmin):
    scope_filter = staticmethod(lambda scope: scope.place_q("place__"))
    list_display = ["name", "kind", "place", "code", "contact_phone"]
    list_filter = ["kind"]
    list_select_related = ["place", "contact"]
    search_fields = ["name", "code"]
    ordering = ["place__path", "name"]
    autocomplete_fields = ["place", "contact"]
    fields = ["place", "code", "name", "kind", "address", "contact", "contact_phone"]
    readonly_fields = ["contact_phone"]

    def save_model(self, request: HttpRequest, obj: Shop, form: Any, change: bool) -> None:
        data = form.cleaned_data
        details = {
            "place": data["place"],
            "code": data["code"],
            "name": data["name"],
            "kind": data["kind"],
            "address": data.get("address") or "",
            "contact": data.get("contact"),
        }
        if change:
            change_shop(actor=acting_user(request), shop=obj, **details)
            obj.refresh_from_db()
        else:
            adopt(obj, create_shop(actor=acting_user(request), **details))

    @admin.display(description=_("contact phone"))
    def contact_phone(self, obj: Shop) -> str:
        return mask_phone(obj.contact.phone) if obj.contact_id and obj.contact else ""
