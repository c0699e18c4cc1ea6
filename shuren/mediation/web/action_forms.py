"""The forms of a mediation case's actions (one per action the domain offers: rules.
available_actions) and how the case page shows each: its form, button and message.

Every form carries the case's version as rendered; the action compares it under the row lock,
so two mediators acting at once never silently overwrite each other. The forms check types and
lengths only: what the law requires (consent, Art. 29's items, the file's checklist) is the
action's to judge and to say in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.cases.web.case_forms import ActionForm
from shuren.mediation.choices import (
    AgreementForm,
    Confirmation,
    Consent,
    DocumentKind,
    Outcome,
    PartyRole,
    Performance,
    Route,
    Satisfaction,
)
from shuren.mediation.web.forms import GENDERS, REQUIRED, area, set_choices, text
from shuren.mediation.web.widgets import ConsentingCheckboxes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _radio(label: Any, choices: Any, message: Any) -> Any:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": message}
    )


def _count(label: Any) -> Any:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10000,
        initial=0,
        error_messages={
            "required": _("Give a number of persons from 0 to 10,000."),
            "invalid": _("Give a number of persons from 0 to 10,000."),
            "min_value": _("Give a number of persons from 0 to 10,000."),
            "max_value": _("Give a number of persons from 0 to 10,000."),
        },
    )


class AddPartyForm(ActionForm):
    role = _radio(_("Role"), PartyRole.choices, _("Choose the party's role."))
    name = text(_("Name"), max_length=100)
    gender = forms.ChoiceField(label=_("Gender"), choices=GENDERS, required=False)
    id_number = text(_("ID number"), required=False, max_length=18, autocomplete="off")
    phone = text(_("Phone"), required=False, max_length=20, inputmode="tel", autocomplete="off")
    address = text(_("Address"), required=False, max_length=200)


class ConsentForm(ActionForm):
    """A party, told of their rights and duties, says yes or no (Art. 17) and may ask for a
    mediator or refuse one (Art. 23)."""

    party = forms.TypedChoiceField(
        label=_("Party"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the party.")},
    )
    consent = _radio(
        _("Does the party consent to mediation?"),
        [(Consent.GIVEN, Consent.GIVEN.label), (Consent.REFUSED, Consent.REFUSED.label)],
        _("Say whether the party consents."),
    )
    asked_for = forms.TypedChoiceField(
        label=_("Asks for a mediator (optional)"), coerce=int, required=False, empty_value=None
    )
    refused = forms.TypedChoiceField(
        label=_("Refuses a mediator (optional)"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[int, str]],
        mediators: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "party", parties)
        set_choices(self, "asked_for", [("", "—"), *mediators])
        set_choices(self, "refused", [("", "—"), *mediators])


class ChooseMediatorsForm(ActionForm):
    mediators = forms.TypedMultipleChoiceField(
        label=_("Mediators of this case"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one mediator.")},
    )

    def __init__(self, *args: Any, mediators: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "mediators", mediators)


class HoldSessionForm(ActionForm):
    held_at = forms.DateTimeField(
        label=_("Held at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Say when the session was held."),
            "invalid": _("Say when the session was held."),
        },
    )
    venue = text(_("Venue"), max_length=100)
    parties = forms.TypedMultipleChoiceField(
        label=_("Parties present (only those who consented)"),
        coerce=int,
        widget=ConsentingCheckboxes,
        error_messages={"required": _("Name the parties present.")},
    )
    record = area(_("Record of the session"))
    others_present = text(_("Others present (optional)"), required=False, max_length=200)

    def __init__(self, *args: Any, parties: list[tuple[int, str, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "parties", [(pk, name) for pk, name, _ok in parties])
        widget = self.fields["parties"].widget
        assert isinstance(widget, ConsentingCheckboxes)
        widget.enabled = frozenset(str(pk) for pk, _name, ok in parties if ok)


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label=_("Extend by (days)"),
        min_value=1,
        max_value=30,
        error_messages={
            "required": _("Extend by at least one day."),
            "invalid": _("Extend by at least one day."),
            "min_value": _("Extend by at least one day."),
            "max_value": _("The time limit may be extended by 30 days in all."),
        },
    )
    parties_consented = forms.BooleanField(
        label=_("Both parties consent to the extension"), required=False
    )
    reason = area(_("Why is the time limit extended?"), max_length=2000)


class IssueAgreementForm(ActionForm):
    """Art. 28, 29: what a missing item blocks is the action's to say, naming each one."""

    form = _radio(
        _("Form of the agreement"),
        AgreementForm.choices,
        _("Choose a written or an oral agreement."),
    )
    facts = area(_("Main facts of the dispute"), required=False)
    points_in_dispute = area(_("Points in dispute"), required=False)
    responsibilities = area(_("Each party's responsibility"), required=False)
    agreed_content = area(_("Agreed content"), required=False)
    performance_manner = text(_("Manner of performance"), required=False)
    performance_place = text(_("Place of performance"), required=False)
    performance_deadline = forms.DateField(
        label=_("Deadline of performance"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )


class CloseForm(ActionForm):
    outcome = _radio(
        _("How did it end?"),
        [(o, o.label) for o in (Outcome.FAILED, Outcome.TERMINATED, Outcome.WITHDRAWN)],
        _("Choose how the mediation ended."),
    )
    note = area(_("How and why it ended"), max_length=2000)
    routes_told = forms.MultipleChoiceField(
        label=_("The parties were told of these routes (Art. 26)"),
        choices=Route.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ConfirmationForm(ActionForm):
    confirmation = forms.ChoiceField(
        label=_("Judicial confirmation (Art. 33)"),
        choices=Confirmation.choices,
        error_messages={"required": _("Choose where the judicial confirmation stands.")},
    )
    note = text(_("Court and ruling (optional)"), required=False)


class FollowUpForm(ActionForm):
    performance = _radio(
        _("Is the agreement performed?"), Performance.choices, _("Say how it is performed.")
    )
    satisfaction = _radio(
        _("Are the parties satisfied?"), Satisfaction.choices, _("Say how satisfied they are.")
    )
    recurred = forms.BooleanField(label=_("The dispute came back or left a risk"), required=False)
    measures = area(_("Measures taken"), required=False, max_length=2000)
    visited_on = forms.DateField(
        label=_("Visited on (today if empty)"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )


class MarkRiskForm(ActionForm):
    note = area(_("What is the risk?"), max_length=2000)
    police_informed = forms.BooleanField(label=_("The police were informed"), required=False)


class AddDocumentForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Kind of paper"),
        choices=[("", "—"), *DocumentKind.choices],
        error_messages={"required": _("Choose what kind of paper this is.")},
    )
    title = text(_("Title of the paper"), max_length=100)
    file = forms.FileField(
        label=_("File (a scan or a photo, at most 10 MB)"),
        required=False,
        error_messages={"invalid": _("The file was not received; choose it again.")},
    )
    note = area(_("Note (or describe a paper kept on paper)"), required=False, max_length=2000)


class PreventionForm(ActionForm):
    criminal_persons = _count(_("Persons kept from a criminal case"))
    petition_persons = _count(_("Persons kept from a group petition"))


class ArchiveForm(ActionForm):
    """归档: nothing to fill in; the file's checklist decides."""


@dataclass(frozen=True)
class ActionSpec:
    key: str  # the domain's name (law.ACTIONS)
    slug: str  # its address on the case page
    form: type[ActionForm]
    label: Any
    done: Any
    one_tap: bool = False

    @property
    def url_name(self) -> str:
        return f"mediation:{self.key}"


# How the case page shows each action the domain offers (rules.available_actions says which,
# in the law's order); a test keeps the two lists of names the same.
ACTIONS: dict[str, ActionSpec] = {
    spec.key: spec
    for spec in (
        ActionSpec(
            "add_party",
            "add-party",
            AddPartyForm,
            _("Add a party"),
            _("The party is added. Ask for their consent."),
        ),
        ActionSpec(
            "consent",
            "consent",
            ConsentForm,
            _("Record a party's consent"),
            _("The party's answer is recorded."),
        ),
        ActionSpec(
            "choose_mediators",
            "mediators",
            ChooseMediatorsForm,
            _("Choose the mediators"),
            _("The mediators are chosen."),
        ),
        ActionSpec(
            "hold_session",
            "session",
            HoldSessionForm,
            _("Record a session"),
            _("The session and its record are kept."),
        ),
        ActionSpec(
            "extend",
            "extend",
            ExtendForm,
            _("Extend the time limit"),
            _("The time limit is extended."),
        ),
        ActionSpec(
            "issue_agreement",
            "agreement",
            IssueAgreementForm,
            _("Issue the agreement"),
            _("The agreement is issued and numbered."),
        ),
        ActionSpec(
            "close",
            "close",
            CloseForm,
            _("End without agreement"),
            _("The mediation has ended; its outcome is recorded."),
        ),
        ActionSpec(
            "record_confirmation",
            "confirmation",
            ConfirmationForm,
            _("Record the judicial confirmation"),
            _("The judicial confirmation is recorded."),
        ),
        ActionSpec(
            "follow_up",
            "follow-up",
            FollowUpForm,
            _("Record a follow-up visit"),
            _("The follow-up visit is recorded."),
        ),
        ActionSpec(
            "mark_risk",
            "risk",
            MarkRiskForm,
            _("Mark at risk of violence or crime"),
            _("Marked at risk. The community and the subdistrict have been alerted."),
        ),
        ActionSpec(
            "add_document",
            "paper",
            AddDocumentForm,
            _("Add a paper to the file"),
            _("The paper is in the case file."),
        ),
        ActionSpec(
            "record_prevention",
            "prevention",
            PreventionForm,
            _("Record what was prevented"),
            _("The prevention counts are recorded."),
        ),
        ActionSpec(
            "archive",
            "archive",
            ArchiveForm,
            _("Archive the case file"),
            _("The case file is archived."),
            one_tap=True,
        ),
    )
}

__all__ = ["ACTIONS", "REQUIRED", "ActionSpec"]
