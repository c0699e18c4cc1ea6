"""The admin's ground rules (every list scoped, personal information masked, every write through
an action) and the access log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from shuren.access.context import scope_of
from shuren.access.models import AccessLog
from shuren.access.rules import editor_scope
from shuren.access.scope import Scope
from shuren.kernel.versions import StaleVersion

# Fields that hold personal information: never shown, filtered or sorted on in the admin.
# Personal numbers and their blind indexes (an index compared with a guess confirms it).
PERSONAL_FIELDS = frozenset(
    {"phone", "id_number", "contact_phone", "phone_index", "id_number_index"}
)


class VersionedForm(forms.ModelForm):
    """Carries the version the editor saw; saving over someone else's change is refused."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is None:
            # A change that does not say which version it saw could overwrite anyone's: the
            # page always sends it, so only a hand-made request lacks it (issue 10).
            raise forms.ValidationError(
                _("This form is out of date. Open the record again and make your change."),
                code="version_required",
            )
        if self.instance.pk is not None:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != seen:
                raise forms.ValidationError(str(StaleVersion(current)), code="stale_version")
        return cleaned


class ScopedAdminMixin:
    """Shared by model admins and inlines: rows come from visible_to(user), superuser or not
    (scope is security, not a convenience); changes need an editing role inside the scope;
    nothing is deleted through the admin."""

    model: type[Model]
    # The rows of this model inside a scope; used to check that a change stays in scope.
    scope_filter: Callable[[Scope], Q]
    # Whether editing roles may add and change rows here at all.
    editable = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = self.model.objects.visible_to(request.user)  # type: ignore[attr-defined]
        ordering = self.get_ordering(request)  # type: ignore[attr-defined]
        return queryset.order_by(*ordering) if ordering else queryset

    def _in_scope(self, scope: Scope, obj: Model) -> bool:
        return self.model.objects.filter(self.scope_filter(scope), pk=obj.pk).exists()  # type: ignore[attr-defined,misc]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scope = scope_of(request.user)
        if scope.is_empty:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scope = editor_scope(request.user)
        if not self.editable or scope.is_empty:
            return False
        return obj is None or self._in_scope(scope, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.editable and not editor_scope(request.user).is_empty

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # ending things (a post, a residence) is a dated change, not a delete

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # ?phone__startswith=138 would reveal a masked number digit by digit.
        if PERSONAL_FIELDS & set(lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", self._related_choices(db_field, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", self._related_choices(db_field, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _related_choices(self, db_field: Any, request: HttpRequest) -> QuerySet[Any] | None:
        # Choices of a foreign key are a list too: only what the user may see may be chosen.
        related = db_field.remote_field.model
        manager = related._default_manager
        if hasattr(manager, "visible_to"):
            return manager.visible_to(request.user)
        return None


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Saves through the app's actions (each admin's save_model and save_formset call them)."""

    actions = None  # no bulk delete; each admin adds the actions it needs
    show_full_result_count = False  # one count query per changelist, not two

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The forms check what the actions check, but an action runs later, on the locked row:
        # a code taken or a version moved on in between is told on the page, not as an error
        # page (the whole save was rolled back).
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, StaleVersion) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
            return HttpResponseRedirect(request.get_full_path())


def save_rows(
    formset: BaseModelFormSet,
    *,
    add: Callable[[ModelForm], Model],
    change: Callable[[ModelForm], Model | None],
) -> None:
    """Save an inline's rows through actions instead of formset.save(): add(form) for each new
    row, change(form) for each changed one (None: nothing to do); and note what was saved as
    formset.save() would, for the admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed():
            continue
        if form.instance.pk is None:
            formset.new_objects.append(add(form))
        elif (saved := change(form)) is not None:
            formset.changed_objects.append((saved, form.changed_data))


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    """Rows inside another object's page; for inlines Django passes that parent as obj, and
    the parent's own admin has already checked it."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, None)


class AuditorOnlyAdmin(admin.ModelAdmin):
    """Audit records: the auditor reads them (三员分立); nobody adds, edits or deletes."""

    actions = None

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return scope_of(request.user).reads_audit

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_of(request.user).reads_audit

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(AuditorOnlyAdmin):
    list_display = [
        "at",
        "username",
        "action",
        "object_type",
        "object_id",
        "fields",
        "count",
        "reason",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "reason"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessLog]:
        return AccessLog.objects.visible_to(request.user).order_by("-at")
