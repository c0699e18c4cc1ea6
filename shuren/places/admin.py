"""The admin for the place tree, households and shops, scoped to the user's subtrees."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuren.access.admin import (
    ScopedAdmin,
    ScopedTabularInline,
    VersionedForm,
    editor_scope,
)
from shuren.access.masking import mask_phone
from shuren.places.actions import check_parent, create_place, move_place, rename_place
from shuren.places.models import Household, Place, Resident, Shop

# Attributes of a place with no rule beyond the field's own validation; the name and the
# position in the tree go through their actions instead.
PLAIN_PLACE_FIELDS = (
    "code",
    "official_code",
    "property_company",
    "storeys",
    "floor_from",
    "floor_to",
    "address",
)


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
        cleaned = super().clean()
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
        data = form.cleaned_data
        if not change:
            created = create_place(
                kind=data["kind"],
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                official_code=data.get("official_code") or "",
                storeys=data.get("storeys"),
                floor_from=data.get("floor_from"),
                floor_to=data.get("floor_to"),
                property_company_id=data["property_company"].pk
                if data.get("property_company")
                else None,
                address=data.get("address") or "",
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            obj._state.adding = False
            return
        plain = [name for name in PLAIN_PLACE_FIELDS if name in form.changed_data]
        if plain:
            Place.objects.filter(pk=obj.pk).update(
                **{name: getattr(obj, name) for name in plain},
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        if "name" in form.changed_data:
            rename_place(place=obj, name=data["name"])
        target = data.get("move_under")
        if target is not None and target.pk != obj.parent_id:
            move_place(place=obj, new_parent=target)
        obj.refresh_from_db()


class ResidentInline(ScopedTabularInline):
    model = Resident
    scope_filter = staticmethod(lambda scope: scope.household_q("household__"))
    fields = ["person", "masked_phone", "relation", "moved_in_on", "moved_out_on"]
    readonly_fields = ["masked_phone"]
    autocomplete_fields = ["person"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Resident) -> str:
        return mask_phone(obj.person.phone) if obj.pk else ""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("person")


class VersionedAdmin(ScopedAdmin):
    """Admins of records with a version: each save moves it on, so API clients see a 409."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])


class HouseholdForm(VersionedForm):
    class Meta:
        model = Household
        fields = "__all__"


@admin.register(Household)
class HouseholdAdmin(VersionedAdmin):
    form = HouseholdForm
    scope_filter = staticmethod(lambda scope: scope.household_q())
    list_display = ["code", "place", "room", "floor", "exclusive_area"]
    list_select_related = ["place"]
    search_fields = ["code", "room", "place__name"]
    ordering = ["place__path", "room"]
    autocomplete_fields = ["place", "owners"]
    fields = ["place", "code", "room", "floor", "exclusive_area", "owners", "seen_version"]
    inlines = [ResidentInline]


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

    @admin.display(description=_("contact phone"))
    def contact_phone(self, obj: Shop) -> str:
        return mask_phone(obj.contact.phone) if obj.contact_id and obj.contact else ""
