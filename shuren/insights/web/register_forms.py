"""The register's form: a place the user reads the figures of, two days, and (for those who may
unmask) full names and phones with a reason. The API reads the same checks (clean_period)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.access.context import scope_of
from shuren.insights.figures import Period, PeriodError
from shuren.insights.register.export import may_unmask
from shuren.insights.rules import figure_roots
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import subtree_q
from shuren.text import InputsForm, strip_invisible

# The first and last day a register may cover (the article's records start in 2011).
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
# Below its roots the form offers the places a register is usually kept for (not each building).
OFFERED_KINDS = (
    PlaceKind.SUBDISTRICT,
    PlaceKind.COMMUNITY,
    PlaceKind.ESTATE,
    PlaceKind.LANE,
    PlaceKind.STREET,
)


def exportable_places(user: Any) -> Any:
    """Every place the user may export the register of: under their posts of a figure role."""
    roots = figure_roots(user)
    if not roots:
        return Place.objects.none()
    under = Q(pk__in=[])
    for root in roots:
        under |= subtree_q(root)
    return Place.objects.visible_to(user).filter(under)


def offered_places(user: Any) -> list[tuple[str, str]]:
    roots = figure_roots(user)
    places = (
        exportable_places(user)
        .filter(Q(kind__in=OFFERED_KINDS) | Q(path__in=roots))
        .order_by("path")
        .values_list("pk", "name", "path")
    )
    top = min((len(root) for root in roots), default=0)
    # Indented by depth below the outermost post, as the tree reads.
    return [(str(pk), "　" * ((len(path) - top) // 10) + name) for pk, name, path in places]


def clean_period(start: dt.date | None, end: dt.date | None) -> tuple[Period | None, str]:
    """The period, or why not (a message in the user's language)."""
    if start is None or end is None:
        return None, _("Enter both days.")
    if start > end:
        return None, _("The first day is after the last day.")
    if start < EARLIEST or end > LATEST:
        return None, _("Choose days between %(first)s and %(last)s.") % {
            "first": EARLIEST.isoformat(),
            "last": LATEST.isoformat(),
        }
    try:
        return Period(start, end), ""
    except PeriodError as error:  # longer than the figures count (thirty years)
        return None, str(error)


class RegisterForm(InputsForm):
    place = forms.ChoiceField(
        label=gettext_lazy("Place"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the places offered.")},
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    unmask = forms.BooleanField(
        required=False, label=gettext_lazy("Full names and phone numbers (logged)")
    )
    reason = forms.CharField(required=False, max_length=200, label=gettext_lazy("Reason"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"start": today.replace(day=1), "end": today})
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["place"].choices = offered_places(user)  # type: ignore[attr-defined]
        self.may_unmask = bool(scope_of(user).unmask_roots)
        if not self.may_unmask:
            del self.fields["unmask"]
            del self.fields["reason"]

    def clean_place(self) -> Place:
        place: Place | None = (
            exportable_places(self.user).filter(pk=self.cleaned_data["place"]).first()
        )
        if place is None:  # a choice the form offered, so only a stale page gets here
            raise forms.ValidationError(_("Choose one of the places offered."))
        return place

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "start" in data and "end" in data:
            period, problem = clean_period(data["start"], data["end"])
            if period is None:
                self.add_error("end", problem)
            else:
                data["period"] = period
        if data.get("unmask"):
            if not strip_invisible(data.get("reason") or ""):  # zero-width is no reason
                self.add_error("reason", _("Say why full names and phones are needed."))
            place = data.get("place")
            if place is not None and not may_unmask(self.user, place):
                self.add_error("unmask", _("You may not see full names and phones here."))
        return data
