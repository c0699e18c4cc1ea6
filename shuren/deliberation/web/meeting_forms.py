"""The forms of the meeting pages: calling a meeting (its place chosen first, then its invitees
among that place's people and organisations), and one form per action the domain offers
(rules.available_actions, decision_actions), with the page's button and message for each.

Every action form carries the version it was rendered with; the actions that edit what someone
else may be editing (the minutes, a follow-through item, cancelling) compare it under the lock.
The forms check types and lengths; what the meeting's rules refuse, the actions say in words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.cases.web.case_forms import ActionForm
from shuren.deliberation.meetings.choices import Kind
from shuren.text import InputsForm

REQUIRED = {"required": _("Please fill this in.")}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WHEN_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
CASE_NUMBERS = re.compile(r"[\s,，、;；]+")


def text(label: Any, *, required: bool = True, max_length: int = 200, **attrs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs=attrs),
    )


def area(label: Any, *, required: bool = True, max_length: int = 5000, rows: int = 3) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class PlaceChoiceForm(InputsForm):
    """The first step of calling a meeting: over which place."""

    place = forms.TypedChoiceField(
        label=_("Over which place"), coerce=int, error_messages={"required": _("Choose a place.")}
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "place", places)


class CallMeetingForm(InputsForm):
    place = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=Kind.choices,
        error_messages={"required": _("Choose the kind of meeting.")},
    )
    title = text(_("Title"), max_length=120)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=WHEN, input_formats=WHEN_FORMATS, error_messages=REQUIRED
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=WHEN, input_formats=WHEN_FORMATS, error_messages=REQUIRED
    )
    venue = text(_("Where (a room, or the WeChat group for an online meeting)"), max_length=120)
    purpose = area(_("What it is for"), required=False)
    persons = forms.TypedMultipleChoiceField(
        label=_("Invite people"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    teams = forms.TypedMultipleChoiceField(
        label=_("Invite organisations"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    secretary = forms.TypedChoiceField(
        label=_("Secretary (drafts the minutes)"), coerce=int, required=False, empty_value=None
    )
    agenda = area(_("Agenda: one item per line"), required=False, max_length=3000, rows=4)

    def __init__(
        self,
        *args: Any,
        persons: list[tuple[int, str]],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "persons", persons)
        set_choices(self, "teams", teams)
        set_choices(self, "secretary", [("", _("Me (the organiser)")), *persons])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("persons") and not data.get("teams") and not self.errors:
            raise ValidationError(_("Invite at least one person or organisation."))
        return data

    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class CheckInForm(ActionForm):
    code = forms.CharField(
        label=_("Check-in code (6 digits, shown on the organiser's phone)"),
        max_length=6,
        min_length=6,
        strip=True,
        error_messages={
            "required": _("Type the six digits of the code."),
            "min_length": _("Type the six digits of the code."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CodeForm(InputsForm):
    """Check in by typing the code alone (the meeting is found from it)."""

    code = CheckInForm.base_fields["code"]


class MarkAttendanceForm(ActionForm):
    person = forms.TypedChoiceField(
        label=_("Who is present"), coerce=int, error_messages={"required": _("Choose who.")}
    )


class AgendaForm(ActionForm):
    title = text(_("Agenda item"), max_length=120)
    notes = area(_("Notes"), required=False)
    cases = forms.CharField(
        label=_("Matters it takes up (their numbers, separated by spaces)"),
        required=False,
        max_length=500,
        strip=True,
    )

    def case_numbers(self) -> list[str]:
        return [n for n in CASE_NUMBERS.split(self.cleaned_data.get("cases") or "") if n]


class MinutesForm(ActionForm):
    text = area(_("Minutes"), max_length=20000, rows=8)


class ApproveForm(ActionForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DecisionForm(ActionForm):
    text = area(_("What was decided"), max_length=2000)
    owner = forms.ChoiceField(
        label=_("Owner (carries it out)"), error_messages={"required": _("Choose the owner.")}
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DATE, error_messages=REQUIRED)
    agenda_item = forms.TypedChoiceField(
        label=_("On the agenda item"), coerce=int, required=False, empty_value=None
    )
    settles = forms.TypedChoiceField(
        label=_("Settles the matter"), coerce=int, required=False, empty_value=None
    )


class CancelMeetingForm(ActionForm):
    reason = text(_("Why the meeting is cancelled"), max_length=200)


class CompleteForm(ActionForm):
    decision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = area(_("What was done"), max_length=2000)


class DropForm(ActionForm):
    decision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = area(_("Why it is no longer to be done"), max_length=2000)


@dataclass(frozen=True)
class ActionSpec:
    key: str
    form: type[ActionForm]
    label: Any
    done: Any
    url_name: str
    one_tap: bool = False


ACTIONS: dict[str, ActionSpec] = {
    s.key: s
    for s in (
        ActionSpec(
            "check_in",
            CheckInForm,
            _("Check in"),
            _("You are checked in."),
            "deliberation:meeting_checkin",
        ),
        ActionSpec(
            "mark_attendance",
            MarkAttendanceForm,
            _("Mark someone present"),
            _("Marked present."),
            "deliberation:meeting_attendance",
        ),
        ActionSpec(
            "add_agenda_item",
            AgendaForm,
            _("Add an agenda item"),
            _("Agenda item added."),
            "deliberation:meeting_agenda",
        ),
        ActionSpec(
            "draft_minutes",
            MinutesForm,
            _("Write the minutes"),
            _("Minutes saved; those present are asked to approve them."),
            "deliberation:meeting_minutes",
        ),
        ActionSpec(
            "approve_minutes",
            ApproveForm,
            _("Approve the minutes"),
            _("You approved the minutes."),
            "deliberation:meeting_approve",
            one_tap=True,
        ),
        ActionSpec(
            "record_decision",
            DecisionForm,
            _("Record a decision"),
            _("Decision recorded; its owner is told."),
            "deliberation:meeting_decision",
        ),
        ActionSpec(
            "cancel_meeting",
            CancelMeetingForm,
            _("Cancel the meeting"),
            _("The meeting is cancelled; the invitees are told."),
            "deliberation:meeting_cancel",
        ),
        ActionSpec(
            "complete_decision",
            CompleteForm,
            _("Mark done"),
            _("Marked done; the organiser is told."),
            "deliberation:meeting_done",
        ),
        ActionSpec(
            "cancel_decision",
            DropForm,
            _("Cancel this item"),
            _("The item is cancelled; its owner is told."),
            "deliberation:meeting_drop",
        ),
    )
}


def default_times(now: dt.datetime | None = None) -> tuple[str, str]:
    """Tomorrow 19:30 to 21:00 in Guicheng: when joint meetings with residents are usually held."""
    day = timezone.localtime(now).date() + dt.timedelta(days=1)
    return f"{day:%Y-%m-%d}T19:30", f"{day:%Y-%m-%d}T21:00"
