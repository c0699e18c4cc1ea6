"""The forms of an elevator project's actions and how the project page shows each: its form,
its button and what it says once done. Every form carries the version the page showed; the
forms check types and lengths, the actions judge what the rules need and say it in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.cases.web.case_forms import ActionForm

REQUIRED = {"required": _("Please fill this in.")}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area(label: Any, *, required: bool = True) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _count(label: Any) -> Any:
    message = _("Give a number of households from 0 to 10,000.")
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10000,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), message),
    )


class AdvanceForm(ActionForm):
    note = _area(_("Note (optional)"), required=False)


class SurveyForm(ActionForm):
    asked = _count(_("Households asked"))
    in_favour = _count(_("Households in favour"))
    note = _area(_("Note (optional)"), required=False)


# The calendar a vote's dates are read in: the view turns the last day into the next midnight,
# which the year 9999's last day has not (an OverflowError, a 500, before this bound).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
CALENDAR = _("Give a date between 2000 and 2099.")


def _vote_day(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        validators=[
            MinValueValidator(FIRST_DAY, message=CALENDAR),
            MaxValueValidator(LAST_DAY, message=CALENDAR),
        ],
        error_messages=REQUIRED,
    )


class CallVoteForm(ActionForm):
    opens_on = _vote_day(_("Voting opens on (at least 15 days from today)"))
    closes_on = _vote_day(_("Voting closes at the end of"))


class AffectedForm(ActionForm):
    household = forms.TypedChoiceField(label=_("Flat"), coerce=int, error_messages=REQUIRED)
    how = forms.CharField(
        label=_("How the works affect it"), max_length=200, error_messages=REQUIRED
    )

    def __init__(
        self, *args: Any, households: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["household"]).choices = [("", "—"), *(households or [])]


class ConsentForm(ActionForm):
    signer = forms.ChoiceField(label=_("Flat and owner who answered"), error_messages=REQUIRED)
    given = forms.TypedChoiceField(
        label=_("The owner's answer"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Consents")), ("no", _("Refuses"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the owner consents.")},
    )
    note = _area(_("Note (optional)"), required=False)

    def __init__(
        self, *args: Any, signers: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["signer"]).choices = [("", "—"), *(signers or [])]


class CostsForm(ActionForm):
    total = forms.DecimalField(
        label=_("Total cost (yuan)"),
        min_value=Decimal(0),
        max_value=Decimal("99999999.99"),
        decimal_places=2,
        error_messages={"required": _("Give the total in yuan, to the fen.")},
    )

    def __init__(self, *args: Any, floors: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for floor in floors or []:
            self.fields[f"weight_{floor}"] = forms.DecimalField(
                label=_("Weight of floor %(floor)d") % {"floor": floor},
                min_value=Decimal(0),
                max_value=Decimal(1000),
                decimal_places=3,
                error_messages={"required": _("Give every floor a weight (0 for none).")},
            )

    def weights(self) -> dict[int, Decimal]:
        return {
            int(name.removeprefix("weight_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("weight_")
        }


class ObjectionForm(ActionForm):
    text = _area(_("Your objection"))
    name = forms.CharField(
        label=_("Name of the neighbour who objects (staff recording it; blank: yourself)"),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["name"]


class SettleForm(ActionForm):
    objection = forms.TypedChoiceField(label=_("Objection"), coerce=int, error_messages=REQUIRED)
    note = _area(_("How it was settled"))

    def __init__(
        self, *args: Any, objections: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["objection"]).choices = [("", "—"), *(objections or [])]


class StopForm(ActionForm):
    reason = _area(_("Why the project stops (the owners are told)"))


@dataclass(frozen=True)
class ActionSpec:
    key: str
    slug: str
    label: Promise
    done: Promise
    form: type[ActionForm]
    one_tap: bool = False

    @property
    def name(self) -> str:
        return f"elevator_{self.key}"

    @property
    def url_name(self) -> str:
        return f"deliberation:{self.name}"


ACTIONS: dict[str, ActionSpec] = {
    spec.key: spec
    for spec in (
        ActionSpec(
            "file_objection",
            "object",
            _("Raise an objection"),
            _("Your objection is recorded; a matter has been opened for it."),
            ObjectionForm,
        ),
        ActionSpec(
            "advance_project",
            "advance",
            _("Move to the next stage"),
            _("The project has moved to its next stage."),
            AdvanceForm,
            one_tap=True,
        ),
        ActionSpec(
            "record_survey",
            "survey",
            _("Record the survey of intent"),
            _("The survey of intent is recorded."),
            SurveyForm,
        ),
        ActionSpec(
            "call_project_vote",
            "vote",
            _("Call the owners' vote"),
            _("The vote is called; the owners are told."),
            CallVoteForm,
        ),
        ActionSpec(
            "name_affected_owner",
            "affected",
            _("Name a flat the works affect"),
            _("The flat is named; its owner's consent is now needed."),
            AffectedForm,
        ),
        ActionSpec(
            "record_consent",
            "consent",
            _("Record an affected owner's answer"),
            _("The owner's answer is recorded."),
            ConsentForm,
        ),
        ActionSpec(
            "agree_costs",
            "costs",
            _("Record the agreed cost sharing"),
            _("The cost sharing is recorded; the owners see their shares."),
            CostsForm,
        ),
        ActionSpec(
            "settle_objection",
            "settle",
            _("Record how an objection was settled"),
            _("The objection is settled."),
            SettleForm,
        ),
        ActionSpec(
            "stop_project",
            "stop",
            _("Stop the project"),
            _("The project is stopped; the owners are told why."),
            StopForm,
        ),
    )
}
