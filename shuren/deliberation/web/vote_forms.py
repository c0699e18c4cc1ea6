"""The forms of the owners' vote pages: calling a vote, an owner's ballot, a paper or proxy
ballot entered by staff with its papers, the count, a recount and calling a vote off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.deliberation.votes.choices import BallotChoice, Matter
from shuren.text import InputsForm

REQUIRED = {"required": _("Please fill this in.")}
WHEN = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
VOID = "void"


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=WHEN,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Give the date and time."),
            "invalid": _("Give the date and time as 2026-03-20 09:00."),
        },
    )


def _text(label: Any, *, required: bool = True, max_length: int = 100) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, strip=True, error_messages=REQUIRED
    )


def _area(label: Any, *, required: bool = True, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _file(label: Any, *, required: bool = True) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        error_messages={
            "required": _("Attach the file."),
            "invalid": _("The file was not received; choose it again."),
            "empty": _("The file is empty; choose it again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def _set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class CallVoteForm(InputsForm):
    place = forms.TypedChoiceField(
        label=_("Whose owners vote (estate, building or stairwell)"),
        coerce=int,
        error_messages={
            "required": _("Choose the place."),
            "invalid_choice": _("Choose the place."),
        },
    )
    matter = forms.TypedChoiceField(
        label=_("Matter (Civil Code Art. 278)"),
        coerce=int,
        choices=[("", "—"), *Matter.choices],
        error_messages={
            "required": _("Choose one of the nine matters of Art. 278."),
            "invalid_choice": _("Choose one of the nine matters of Art. 278."),
        },
    )
    title = _text(_("What the owners are asked to decide"), max_length=120)
    description = _area(_("What is proposed (the plan, the cost, who pays)"), required=False)
    opens_at = _when(_("Voting opens (at least 15 days after today)"))
    closes_at = _when(_("Voting closes"))

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "place", [("", "—"), *places])


class BallotForm(InputsForm):
    """An owner's own ballot: one of three large buttons, then (optionally) the confirmation."""

    choice = forms.ChoiceField(
        choices=BallotChoice.choices,
        error_messages={
            "required": _("Choose agree, disagree or abstain."),
            "invalid_choice": _("Choose agree, disagree or abstain."),
        },
    )
    confirm = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Which of the owner's units (owner keys) the ballot is for, when they hold several.
    owner = forms.ChoiceField(
        label=_(
            "You own more than one unit in this vote, each with its own ballot; this one is for"
        ),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose which of your units this ballot is for.")},
    )

    def __init__(self, *args: Any, owners: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "owner", list(owners))


class EnterBallotForm(InputsForm):
    """A paper ballot (with its scan) or a proxy's (with the written authorisation)."""

    origin = forms.ChoiceField(
        choices=[("paper", _("Paper ballot")), ("proxy", _("By proxy"))], widget=forms.HiddenInput
    )
    owner = forms.ChoiceField(
        label=_("Owner (by room)"),
        error_messages={
            "required": _("Choose the owner by their room."),
            "invalid_choice": _("This owner has voted already or is not in the electorate."),
        },
    )
    signer = forms.TypedChoiceField(
        label=_("Signed by (the registered owner)"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": _("Choose which of the unit's registered owners signed.")
        },
    )
    owner_name = _text(_("Name on the ballot (a unit without a registered owner)"), required=False)
    choice = forms.ChoiceField(
        label=_("Choice on the ballot"),
        choices=BallotChoice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose agree, disagree or abstain."),
            "invalid_choice": _("Choose agree, disagree or abstain."),
        },
    )
    proxy_name = _text(_("Proxy's name"), required=False)
    paper = _file(_("Scan of the paper ballot (PDF, JPEG or PNG, at most 10 MB)"), required=False)
    authorisation = _file(
        _("Written authorisation (PDF, JPEG or PNG, at most 10 MB)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        owners: list[tuple[str, str]],
        signers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "owner", [("", "—"), *owners])
        _set_choices(self, "signer", [("", "—"), *signers])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("origin") == "paper" and not data.get("paper"):
            self.add_error("paper", _("Attach the scan of the paper ballot."))
        if data.get("origin") == "proxy":
            if not data.get("proxy_name"):
                self.add_error("proxy_name", _("Write the name of the proxy the owner authorised."))
            if not data.get("authorisation"):
                self.add_error(
                    "authorisation", _("Attach the owner's written authorisation of the proxy.")
                )
        return data


class VersionForm(InputsForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CancelForm(VersionForm):
    reason = _area(_("Why is the vote called off?"))


class RecountForm(VersionForm):
    ballot = forms.TypedChoiceField(
        label=_("Ballot to correct"),
        coerce=int,
        error_messages={
            "required": _("Choose the ballot to correct."),
            "invalid_choice": _("Choose the ballot to correct."),
        },
    )
    correction = forms.ChoiceField(
        label=_("What the ballot should be"),
        choices=[*BallotChoice.choices, (VOID, _("Void: not counted"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the correct choice, or void the ballot."),
            "invalid_choice": _("Choose the correct choice, or void the ballot."),
        },
    )
    reason = _area(_("Why (what the paper says, who checked it)"))

    def __init__(self, *args: Any, ballots: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "ballot", [("", "—"), *ballots])


class RecountAddForm(EnterBallotForm):
    """A recount adding a ballot received before the close but not entered, with its proof."""

    kind = forms.CharField(widget=forms.HiddenInput, initial="add")
    origin = forms.ChoiceField(
        label=_("How it came in"),
        choices=[("paper", _("Paper ballot")), ("proxy", _("By proxy"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether it is a paper ballot or a proxy's."),
            "invalid_choice": _("Say whether it is a paper ballot or a proxy's."),
        },
    )
    received_at = _when(_("Received at (before the close)"))
    reason = _area(_("Why it is added now (where it was found, who checked it)"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
