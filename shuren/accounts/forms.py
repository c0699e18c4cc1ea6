"""The login form: large, plain fields and errors that say what happened in words; and the
account page's two choices (the phone consent, a leader's published number); choosing my own
password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shuren.text import InputsForm, harden


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. Please try again. After 5 wrong tries in a "
            "row the account is locked for 15 minutes."
        ),
        "inactive": _("This account is switched off. Please ask your community office."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Password")
        harden([self.fields["username"]])


class PhoneConsentForm(InputsForm):
    """A resident's say on whether the leader of their building may see their phone."""

    leader_sees_phone = forms.BooleanField(
        label=_("My building leader may see my phone number, to reach me"),
        help_text=_(
            "Off by default. When on, your 楼长 can see your number in full and call you; "
            "every time they look is recorded."
        ),
        required=False,
    )


class PublishedPhoneForm(InputsForm):
    """The number a leader gives the residents of their building."""

    published_phone = forms.CharField(
        label=_("A number my residents may call"),
        help_text=_(
            "Shown in full to the residents of your building on their matters' pages. Leave it "
            "empty to show your name only."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class PasswordForm(InputsForm):
    """Choose my own password: the current one, and the new one twice (the password rules)."""

    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].help_text = password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("again")
        if password and again and password != again:
            self.add_error("again", _("The two new passwords are not the same."))
        elif password:
            try:
                validate_password(password, self.user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data
