"""A person's identifiers: citizen ID numbers (居民身份证号码, GB 11643-1999) with their check
character, and phone numbers; the checks every writer of a person applies (actions, forms)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Weights of the first 17 digits, and the check character for each weighted sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,18}$")
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dX])$")


def id_check_char(first17: str) -> str:
    """The check character of an 18-character ID number from its first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    return len(value) == 18 and value[:17].isdigit() and value[17] == id_check_char(value[:17])


def clean_phone(value: str) -> str:
    """The phone stripped; a ValidationError unless it is digits (with spaces, hyphens, a +)."""
    phone = (value or "").strip()
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(_("Enter a phone number of digits only."), code="phone")
    return phone


def clean_id_number(value: str) -> str:
    """The ID number in capitals; a ValidationError unless it has the form and check digit."""
    id_number = (value or "").strip().upper()
    if id_number and not ID_NUMBER_RE.match(id_number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits, then a digit or X."), code="id_number"
        )
    if id_number and not is_valid_id_number(id_number):
        raise ValidationError(
            _("The ID number's last character does not match its check digit."), code="id_check"
        )
    return id_number
