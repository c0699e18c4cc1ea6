"""The forms of a person's notification settings and of a team's WeCom robot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.notify.messages import kinds, label_of
from shuren.text import InputsForm


class PreferenceForm(InputsForm):
    by_email = forms.BooleanField(label=_("Tell me by e-mail too"), required=False)
    wecom_mention = forms.BooleanField(
        label=_("Mention me (@) in my team's WeCom group"), required=False
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    muted = forms.MultipleChoiceField(
        label=_("Not beyond the app"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These events are only listed here in the app."),
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["muted"].choices = [(k, kind_label(k)) for k in kinds()]  # type: ignore[attr-defined]


def kind_label(kind: str) -> str:
    """A kind in the person's words ("我反映的事项已办结"), as its capability labelled it."""
    return label_of(kind)


class RobotForm(InputsForm):
    webhook = forms.CharField(
        label=_("Robot webhook address"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to keep the address already set."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    enabled = forms.BooleanField(label=_("Send notices to this group"), required=False)
    disconnect = forms.BooleanField(label=_("Remove the address"), required=False)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
