"""What text and numbers Shuren accepts from anyone, in one place: the forms (InputsForm), the API's
schemas (api/inputs.py) and the request guard (web/guard.py) all ask this leaf.

Refused: NUL, which PostgreSQL cannot store, and the other control characters except tab and
the line breaks (they garble a page or a terminal and mean nothing in a matter), the Unicode
direction overrides that make text read other than it is stored (a file name "txt.exe" shown
as "exe.txt"), and lone surrogates, which no database encodes. A required text of nothing but
blanks and zero-width characters is empty. A number must fit a database's 64-bit integer.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, newline and carriage return; DEL and the C1 controls; the bidirectional
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069); lone surrogates.
UNSAFE_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
# The same rule as a JSON Schema pattern (ECMA-262 escapes), published in the OpenAPI document.
SAFE_TEXT_PATTERN = (
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff]*$"
)
# Characters that show nothing: zero-width space, joiners, word joiner, byte-order mark,
# Mongolian vowel separator, the direction marks.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e\u200e\u200f"
_EDGES = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")

# What a BIGINT column (PostgreSQL) or an INTEGER (SQLite) holds.
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)

UNSAFE_MESSAGE = _("This text contains control characters; remove them and try again.")
REQUIRED_MESSAGE = _("This field is required.")
RANGE_MESSAGE = _("This number is too large.")


def has_unsafe_characters(value: str) -> bool:
    return _UNSAFE.search(value) is not None


def strip_invisible(value: str) -> str:
    """Without the blanks and invisible characters at either end."""
    return _EDGES.sub("", value)


def clean_text(value: Any, max_length: int | None = None) -> str:
    """Text as every action takes it: no control characters (a ValidationError in words), no
    blanks or invisible characters at either end, no longer than `max_length` if given."""
    text = "" if value is None else str(value)
    check_text(text)
    text = strip_invisible(text)
    if max_length is not None:
        MaxLengthValidator(max_length)(text)
    return text


def fits_integer(value: int) -> bool:
    return MIN_INT <= value <= MAX_INT


def check_text(value: Any) -> None:
    """A validator: text without control characters."""
    if isinstance(value, str) and has_unsafe_characters(value):
        raise ValidationError(UNSAFE_MESSAGE, code="unsafe_characters")


class CheckVisible:
    """A validator for required text: something besides blanks and invisible characters, or the
    field's own message for a missing value."""

    def __init__(self, message: Any = REQUIRED_MESSAGE) -> None:
        self.message = message

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and not strip_invisible(value):
            raise ValidationError(self.message, code="required")


def check_integer(value: Any) -> None:
    if isinstance(value, int) and not fits_integer(value):
        raise ValidationError(RANGE_MESSAGE, code="max_value")


class InputsForm(forms.Form):
    """A form whose every text field refuses control characters (one message, ours, instead of
    Django's for NUL alone), whose required text must show something, and whose every whole
    number fits the database. Every form of the site's pages starts here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden(self.fields.values())


def harden(fields: Any) -> None:
    """Add the checks above to Django form fields (for a ModelForm or AuthenticationForm, whose
    base class is not InputsForm)."""
    for field in fields:
        if isinstance(field, forms.CharField):
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(check_text)
            # A max_length set after the field was made (AuthenticationForm does so for the
            # username) has no validator: a megabyte of username reached django-axes, whose
            # 255-character column refused it on PostgreSQL.
            if field.max_length is not None and not any(
                isinstance(v, MaxLengthValidator) for v in field.validators
            ):
                field.validators.append(MaxLengthValidator(field.max_length))
            if field.required:
                field.validators.append(CheckVisible(field.error_messages["required"]))
        elif isinstance(field, forms.IntegerField):
            field.validators.append(check_integer)
