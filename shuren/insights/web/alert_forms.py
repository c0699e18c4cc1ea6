"""The forms of the alert pages: the list's filters, acknowledging and closing with a note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.insights.alert_choices import AlertLevel, AlertStatus
from shuren.text import CheckVisible, InputsForm

NOT_CLOSED = ""
EVERY = "all"
OUT_OF_DATE = _("This form is out of date. Reload the page and try again.")


class AlertFilters(InputsForm):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("Every level")), *AlertLevel.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("State"),
        choices=[(NOT_CLOSED, _("Not closed yet")), *AlertStatus.choices, (EVERY, _("All"))],
        required=False,
    )


class VersionForm(InputsForm):
    """The version the page showed; a form without it is refused as out of date."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.prefix_name}-%s")
        super().__init__(*args, **kwargs)

    prefix_name = "alert"


class AcknowledgeForm(VersionForm):
    prefix_name = "acknowledge"


class CloseForm(VersionForm):
    prefix_name = "close"

    note = forms.CharField(
        label=_("What was done (required)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[CheckVisible(_("Say what was done about this alert."))],
        error_messages={"required": _("Say what was done about this alert.")},
    )
