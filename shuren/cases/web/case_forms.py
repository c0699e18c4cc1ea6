"""Forms of the inbox filters and of each action on the case page (one form per action), and
how the page shows each action: its form, button and message.

Every action form carries the case version it was rendered with; the action compares it under
the row lock, so two people acting at once never silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from shuren.cases.dispatch import MAX_AT_ONCE, Pick
from shuren.cases.inbox.queries import (
    AssignedFilter,
    Filters,
    Inbox,
    InboxKind,
    Sort,
    StatusFilter,
)
from shuren.cases.models import (
    Category,
    OverdueFlag,
    RatingChannel,
    ResolutionMethod,
    Status,
    Tier,
)
from shuren.cases.web.intake_forms import PhotosField
from shuren.cases.web.widgets import QuickSelect
from shuren.text import InputsForm

REQUIRED = {"required": _("Please fill this in.")}


def _text(label: Any, *, required: bool = True, max_length: int = 200, **attrs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs=attrs),
    )


def _area(label: Any, *, required: bool = True, max_length: int = 2000, error: Any = None) -> Any:
    """A text area; `error` asks for what its label asks when it is left empty."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages={"required": error} if error else REQUIRED,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# --- Inbox filters ------------------------------------------------------------------------------


class InboxFilterForm(InputsForm):
    q = forms.CharField(
        label=_("Search words or case number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    status = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, widget=QuickSelect
    )
    tier = forms.TypedChoiceField(
        label=_("Tier now"), required=False, coerce=int, widget=QuickSelect
    )
    overdue = forms.ChoiceField(label=_("Deadline"), required=False, widget=QuickSelect)
    assigned = forms.ChoiceField(label=_("Dispatch"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(label=_("Order"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, inbox: Inbox, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        any_choice = [("", _("Any"))]
        _choices(self, "status", [*StatusFilter.choices, *Status.choices])
        _choices(
            self,
            "category",
            any_choice + [(c.pk, c.full_label if c.parent_id else c.label) for c in categories],
        )
        _choices(self, "tier", any_choice + [(t.value, f"{t.value} · {t.label}") for t in Tier])
        _choices(
            self,
            "overdue",
            [
                *any_choice,
                (OverdueFlag.RED, _("Past the deadline")),
                (OverdueFlag.YELLOW, _("Due soon")),
                (OverdueFlag.NONE, _("Within the deadline")),
            ],
        )
        _choices(self, "assigned", any_choice + list(AssignedFilter.choices))
        if inbox.kind in (InboxKind.MINE, InboxKind.ASSIGNED, InboxKind.HANDLED):
            del self.fields["assigned"]
        if inbox.kind == InboxKind.MINE:  # newest first is this list's own order
            orders = [("", _("Newest first"))]
            orders += [c for c in Sort.choices if c[0] != Sort.REPORTED_NEWEST]
        else:
            orders = [("", _("Most urgent first")), *Sort.choices]
        _choices(self, "sort", orders)

    def filters(self) -> Filters:
        """The filters of a valid form (an invalid field counts as not set)."""
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the fields that were valid
        data = getattr(self, "cleaned_data", {})
        category = data.get("category")
        category_ids: tuple[int, ...] = ()
        if category:
            category_ids = (
                category,
                *tuple(c.pk for c in self.categories if c.parent_id == category),
            )
        return Filters(
            status=data.get("status") or "",
            category_ids=category_ids,
            tier=data.get("tier") or None,
            overdue=data.get("overdue") or "",
            assigned=data.get("assigned") or "",
            query=data.get("q") or "",
            sort=data.get("sort") or "",
        )


# --- The desk: several matters dispatched at once ----------------------------------------------


class PicksField(forms.Field):
    """The ticked rows, each "id:version" as the desk rendered it, in the order posted."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one matter to dispatch."),
        "invalid": _("The list of matters was not understood. Reload the page and try again."),
        "too_many": _("Dispatch at most %(n)s matters at once."),
    }

    def to_python(self, value: Any) -> list[Pick]:
        picks: dict[int, Pick] = {}
        for raw in value or []:
            case_id, _colon, version = str(raw).partition(":")
            if not (case_id.isdigit() and version.isdigit()) or len(case_id) > 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            picks.setdefault(int(case_id), Pick(int(case_id), int(version)))
        if len(picks) > MAX_AT_ONCE:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"n": MAX_AT_ONCE}
            )
        return list(picks.values())


class DispatchForm(InputsForm):
    pick = PicksField()
    team = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        error_messages={
            "required": _("Choose the team to dispatch to."),
            "invalid": _("Choose the team to dispatch to."),
            "min_value": _("Choose the team to dispatch to."),
            "max_value": _("Choose the team to dispatch to."),
        },
    )

    def picked_ids(self) -> frozenset[int]:
        """The ids ticked, valid or not, to tick them again when the desk is shown again."""
        posted = self.data.getlist("pick") if isinstance(self.data, QueryDict) else []
        ids = (str(raw).partition(":")[0] for raw in posted)
        return frozenset(int(i) for i in ids if i.isdigit() and len(i) <= 12)


# --- Actions on one case ------------------------------------------------------------------------


class ActionForm(InputsForm):
    """The version the page showed; a form without it is refused as out of date."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("This form is out of date. Reload the page and try again."),
            "invalid": _("This form is out of date. Reload the page and try again."),
            "min_value": _("This form is out of date. Reload the page and try again."),
        },
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        # Several forms share one page: ids are prefixed by the action, names are not.
        kwargs.setdefault("auto_id", f"{action}-%s")
        super().__init__(*args, **kwargs)
        self.action = action


class AcceptForm(ActionForm):
    note = _area(_("Note (optional)"), required=False)


class AssignForm(ActionForm):
    person = forms.TypedChoiceField(label=_("Assign to a person"), required=False, coerce=int)
    team = forms.TypedChoiceField(label=_("or to a team"), required=False, coerce=int)
    note = _area(_("What should they do? (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        nobody = [("", _("Nobody"))]
        _choices(self, "person", nobody + people)
        _choices(self, "team", [("", _("No team")), *teams])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not data.get("team"):
            raise forms.ValidationError(_("Choose a person or a team to assign to."))
        return data


def _photos() -> Any:
    """Photos of what was found or done, checked like the report's (intake/photos.py)."""
    field = PhotosField(label=_("Photos (optional, at most 4)"), required=False)
    field.widget.attrs.update({"accept": "image/jpeg,image/png", "multiple": True})
    return field


class NoteForm(ActionForm):
    note = _area(_("Note"), error=_("Write the note."))
    photos = _photos()


class EscalateForm(ActionForm):
    """Only the tiers this user may send the case to (workflow/escalation.py); 转交单位 only
    where one of them is outside the subdistrict."""

    to_tier = forms.TypedChoiceField(
        label=_("Send it to"),
        required=False,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the tiers listed.")},
    )
    reason = _area(_("Why can it not be settled at this tier?"))
    referred_to = _text(
        _("Referred to (only when it leaves the subdistrict)"), required=False, max_length=100
    )

    def __init__(self, *args: Any, tiers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "to_tier", [(t, f"{t} · {Tier(t).label}") for t in tiers])
        if tiers:
            self.fields["to_tier"].initial = tiers[0]
        if Tier.BEYOND not in tiers:
            del self.fields["referred_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_tier") == Tier.BEYOND and not data.get("referred_to"):
            self.add_error(
                "referred_to", _("Say which body outside the subdistrict it is referred to.")
            )
        return data


class ReturnForm(ActionForm):
    reason = _area(_("Why are you handing it back?"))


class ResolveForm(ActionForm):
    method = forms.ChoiceField(
        label=_("How was it settled?"),
        choices=ResolutionMethod.choices,
        error_messages={"required": _("Choose how the matter was resolved.")},
    )
    summary = _area(_("What was done"), error=_("Say what was done."))
    photos = _photos()


def _satisfied(label: Any, yes: Any, no: Any) -> Any:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose satisfied or not satisfied.")},
    )


class FollowUpForm(ActionForm):
    """居民评价: the reporter's own answer, in their words, drawn as intake's large tiles."""

    satisfied = _satisfied(
        _("Are you satisfied with how it was handled?"),
        _("Satisfied"),
        _("Not satisfied: please handle it again"),
    )
    note = _area(_("Anything else you want to say? (optional)"), required=False)


class RateOnBehalfForm(ActionForm):
    """代居民评价: the answer a resident gave a leader offline, and how it reached them."""

    satisfied = _satisfied(
        _("Is the resident satisfied?"), _("Satisfied"), _("Not satisfied: handle it again")
    )
    via = forms.ChoiceField(
        label=_("How did the resident tell you?"),
        choices=RatingChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the resident told you.")},
    )
    note = _area(_("What they said (optional)"), required=False)


class CloseForm(ActionForm):
    note = _area(_("Note (optional)"), required=False)


class MergeForm(ActionForm):
    into = _text(
        _("Number of the case it repeats"),
        max_length=32,
        placeholder="GC-2026-000123",
        autocomplete="off",
    )
    reason = _area(_("Note (optional)"), required=False)

    def clean_into(self) -> str:
        return self.cleaned_data["into"].strip().upper()


class RejectForm(ActionForm):
    reason = _area(_("Why is this not a matter for us?"))


class RevealPhoneForm(InputsForm):
    reason = _text(_("Why do you need the full number? (recorded in the access log)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reveal-%s")
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class ActionSpec:
    key: str
    form: type[ActionForm]
    label: Any  # the button
    done: Any  # the message after it worked
    # Shown as one button (nothing to fill in) rather than a form that opens.
    one_tap: bool = False
    # Shown open, as the page's question, rather than a button that opens it.
    asks: bool = False

    @property
    def url_name(self) -> str:
        return f"cases:{self.key}"


# How the case page shows each action the domain offers (cases.rules.available_actions says
# which, and in which order); a test keeps the two lists of names the same.
ACTIONS: dict[str, ActionSpec] = {
    spec.key: spec
    for spec in (
        ActionSpec(
            "accept",
            AcceptForm,
            gettext_lazy("Accept this matter"),
            gettext_lazy("Accepted. The matter is now yours to handle."),
            one_tap=True,
        ),
        ActionSpec(
            "resolve",
            ResolveForm,
            gettext_lazy("Mark resolved"),
            gettext_lazy("Marked resolved. The reporter is asked whether they are satisfied."),
        ),
        ActionSpec(
            "follow_up",
            FollowUpForm,
            gettext_lazy("Submit my rating"),
            gettext_lazy("Thank you. Your rating is recorded."),
            asks=True,
        ),
        ActionSpec(
            "rate_on_behalf",
            RateOnBehalfForm,
            gettext_lazy("Record the resident's rating"),
            gettext_lazy("The resident's rating is recorded."),
        ),
        ActionSpec(
            "assign",
            AssignForm,
            gettext_lazy("Dispatch"),
            gettext_lazy("Dispatched. They have been told."),
        ),
        ActionSpec(
            "escalate",
            EscalateForm,
            gettext_lazy("Escalate"),
            gettext_lazy("Escalated. The people of the new tier have been told."),
        ),
        ActionSpec(
            "close",
            CloseForm,
            gettext_lazy("Close the case"),
            gettext_lazy("The case is closed."),
            one_tap=True,
        ),
        ActionSpec(
            "note",
            NoteForm,
            gettext_lazy("Add a note"),
            gettext_lazy("The note is on the timeline."),
        ),
        ActionSpec(
            "return",
            ReturnForm,
            gettext_lazy("Hand back (退单)"),
            gettext_lazy("Handed back. Whoever dispatched it has been told."),
        ),
        ActionSpec(
            "merge",
            MergeForm,
            gettext_lazy("Merge as a duplicate"),
            gettext_lazy("Merged. It is followed on the other case now."),
        ),
        ActionSpec(
            "reject",
            RejectForm,
            gettext_lazy("Turn down"),
            gettext_lazy("Turned down. The reporter is told why."),
        ),
    )
}
