"""Forms of the mediation pages other than a case's actions: the register's filter, registering
a dispute with its parties, the statistics' choice of month and organisation or place, and the
reveal of a party's identity data."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.mediation.choices import DisputeType, PartyRole, Referrer, Source, Status
from shuren.mediation.registration import PartyInput
from shuren.text import InputsForm, harden

REQUIRED = {"required": _("Please fill this in.")}
GENDERS = [("", _("Not given")), ("男", _("Male")), ("女", _("Female"))]
# A fixed set of party rows on the registration form: an applicant, a respondent and one more
# (a third party, or a second person on either side); more are added on the case page.
PARTY_ROWS = 3


def text(label: Any, *, required: bool = True, max_length: int = 200, **attrs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs=attrs),
    )


def area(label: Any, *, required: bool = True, max_length: int = 5000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RegisterFilterForm(InputsForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open", _("Open (registered or mediating)")), *Status.choices],
    )

    def status_filter(self) -> str:
        """The status asked for; a value the form refuses counts as none."""
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class PartyFields:
    """The fields of one party row on the registration form, by its number."""

    @staticmethod
    def add(form: forms.Form, n: int, role: str) -> None:
        form.fields[f"p{n}_role"] = forms.ChoiceField(
            label=_("Role"), choices=[("", "—"), *PartyRole.choices], required=False, initial=role
        )
        form.fields[f"p{n}_name"] = text(_("Name"), required=False, max_length=100)
        form.fields[f"p{n}_gender"] = forms.ChoiceField(
            label=_("Gender"), choices=GENDERS, required=False
        )
        form.fields[f"p{n}_id_number"] = text(
            _("ID number"), required=False, max_length=18, autocomplete="off"
        )
        form.fields[f"p{n}_phone"] = text(
            _("Phone"), required=False, max_length=20, inputmode="tel", autocomplete="off"
        )
        form.fields[f"p{n}_address"] = text(_("Address"), required=False, max_length=200)


ID_NUMBER = re.compile(r"^(?:\d{17}[\dX]|\d{15})$")
PHONE = re.compile(r"^[\d\-+ ]{5,20}$")


class RegisterForm(InputsForm):
    """登记: the organisation, where, whence, what kind, what it is about, and the parties."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    organisation = forms.TypedChoiceField(
        label=_("Mediation organisation"), coerce=int, error_messages=REQUIRED
    )
    place = forms.TypedChoiceField(
        label=_("Where the dispute is"), coerce=int, error_messages=REQUIRED
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Source.choices, widget=forms.RadioSelect, error_messages=REQUIRED
    )
    referrer = forms.ChoiceField(
        label=_("Referred by (only for a referral)"),
        choices=[("", "—"), *Referrer.choices],
        required=False,
    )
    dispute_type = forms.ChoiceField(
        label=_("Type of dispute"),
        choices=[("", "—"), *DisputeType.choices],
        error_messages=REQUIRED,
    )
    title = text(_("Title"), max_length=100)
    summary = area(_("Summary of the dispute"))
    amount = forms.DecimalField(
        label=_("Amount involved (yuan)"),
        required=False,
        min_value=0,
        max_value=999_999_999_999,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": _("The amount must be a number of yuan.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        places: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", organisations)
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0][0]
        set_choices(self, "place", [("", "—"), *places])
        for n, role in enumerate((PartyRole.APPLICANT, PartyRole.RESPONDENT, ""), start=1):
            PartyFields.add(self, n, role)
        # The party fields came after InputsForm hardened the others.
        harden(f for name, f in self.fields.items() if re.match(r"^p\d_", name))

    def party_rows(self) -> list[list[Any]]:
        """The bound fields of each party row, for the template."""
        names = ("role", "name", "gender", "id_number", "phone", "address")
        return [[self[f"p{n}_{name}"] for name in names] for n in range(1, PARTY_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, PARTY_ROWS + 1):
            id_number = (data.get(f"p{n}_id_number") or "").upper()
            if id_number and not ID_NUMBER.match(id_number):
                self.add_error(f"p{n}_id_number", _("An ID number has 18 characters (or 15)."))
            phone = data.get(f"p{n}_phone") or ""
            if phone and not PHONE.match(phone):
                self.add_error(f"p{n}_phone", _("A phone number is digits only."))
        return data

    def parties(self) -> list[PartyInput]:
        """The rows with a name (a row left empty is no party)."""
        data = self.cleaned_data
        return [
            PartyInput(
                role=data.get(f"p{n}_role") or "",
                name=data.get(f"p{n}_name") or "",
                gender=data.get(f"p{n}_gender") or "",
                id_number=(data.get(f"p{n}_id_number") or "").upper(),
                phone=data.get(f"p{n}_phone") or "",
                address=data.get(f"p{n}_address") or "",
            )
            for n in range(1, PARTY_ROWS + 1)
            if data.get(f"p{n}_name") or (data.get(f"p{n}_role") and n > 2)
        ]


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class StatisticsForm(InputsForm):
    """Which month, and whose figures: an organisation ("o<id>") or a place ("p<id>")."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    of = forms.ChoiceField(label=_("Figures of"), required=False)

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "of", scopes)

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        found = MONTH.match(value)
        if not found or not (1 <= int(found[2]) <= 12) or not (2000 <= int(found[1]) <= 2100):
            raise forms.ValidationError(_("Give the month as YYYY-MM, such as 2026-03."))
        return int(found[1]), int(found[2])

    def chosen(self, today: dt.date) -> tuple[tuple[int, int], str]:
        """The month and the scope asked for, or this month and the first scope."""
        valid = self.is_valid()
        data = self.cleaned_data if valid else {}
        month = data.get("month") or (today.year, today.month)
        field = self.fields["of"]
        assert isinstance(field, forms.ChoiceField)
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        first = str(choices[0][0])
        return month, data.get("of") or first


class RevealForm(InputsForm):
    party = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    field = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[("phone", "phone"), ("id_number", "id_number"), ("address", "address")],
    )
    reason = text(_("Why do you need to see it? (recorded in the access log)"), max_length=200)
