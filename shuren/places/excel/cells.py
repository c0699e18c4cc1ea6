"""Reading one cell of an imported sheet: text, numbers, areas, phones, ID numbers, labels.

Each parser returns the clean value or raises CellError with a message in the active language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import override

from shuren.people.identity import id_check_char
from shuren.places.excel.template import KIND_LABELS, NO, OWNER_SEPARATORS, RELATION_LABELS, YES
from shuren.places.models import PlaceKind, Relation

MASK_CHAR = "*"
MAX_AREA = Decimal("9999999.99")  # max_digits=9, decimal_places=2

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Landline: optional area code (0 + 2-3 digits), 7-8 digits, optional extension.
_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?")
_AREA = re.compile(r"\d+(\.\d+)?")
_SEPARATORS = re.compile("[" + re.escape(OWNER_SEPARATORS) + "]")


class CellError(ValueError):
    """A cell holds something that cannot be imported; the message says what, for the user."""


def text(value: object) -> str:
    """A cell as trimmed text; whole numbers typed into Excel come back without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        raise CellError(_("This cell holds a date; type the value as text."))
    return str(value).strip()


def limited(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CellError(
            _("Too long: at most %(max)d characters, this has %(length)d.")
            % {"max": max_length, "length": len(value)}
        )
    return value


def code(value: object, max_length: int) -> str:
    result = text(value)
    if any(ch.isspace() for ch in result):
        raise CellError(_("A code cannot contain spaces."))
    return limited(result, max_length)


def whole_number(value: object, *, minimum: int, maximum: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("Must be a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Must be a whole number."))
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        raw = str(value).strip()
        if not re.fullmatch(r"-?\d+", raw):
            raise CellError(_("Must be a whole number."))
        number = int(raw)
    if not minimum <= number <= maximum:
        raise CellError(
            _("Must be between %(min)d and %(max)d.") % {"min": minimum, "max": maximum}
        )
    return number


def area(value: object) -> Decimal | None:
    """Exclusive area in m²: positive, at most two decimal places, never rounded silently."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("The area must be a number of square metres, like 89.50."))
    if isinstance(value, float):
        # Excel keeps 15 significant digits; a formula's 120.25000000000001 is 120.25.
        raw = format(value, ".15g")
    elif isinstance(value, int | Decimal):
        raw = str(value)
    else:
        raw = str(value).strip().removesuffix("㎡").removesuffix("m²").strip()
    if raw.startswith("-"):
        raise CellError(_("The area cannot be negative."))
    if not _AREA.fullmatch(raw):
        raise CellError(_("The area must be a number of square metres, like 89.50."))
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("The area must be a number of square metres, like 89.50.")) from None
    if number <= 0:
        raise CellError(_("The area must be greater than 0."))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("The area may have at most two decimal places."))
    if number > MAX_AREA:
        raise CellError(_("The area is too large."))
    return number.quantize(Decimal("0.01"))


def is_masked(value: str) -> bool:
    return MASK_CHAR in value


def phone(value: object) -> str:
    """An 11-digit mainland mobile number or a landline (digits and hyphens)."""
    result = re.sub(r"\s", "", text(value))
    if not result or is_masked(result):
        return result
    if _MOBILE.fullmatch(result) or (_LANDLINE.fullmatch(result) and len(result) <= 20):
        return result
    raise CellError(
        _("Not a phone number: use an 11-digit mobile number or a landline like 0757-86281234.")
    )


def id_number(value: object) -> str:
    result = text(value).upper()
    if not result or is_masked(result):
        return result
    if isinstance(value, float) or "E+" in result:
        raise CellError(
            _("The ID number was stored as a number and lost digits; format the column as text.")
        )
    if len(result) != 18 or not result[:17].isdigit() or result[17] not in "0123456789X":
        raise CellError(_("An ID number has 18 characters: 17 digits and a digit or X."))
    if id_check_char(result[:17]) != result[17]:
        raise CellError(_("The ID number's last character does not match its check digit."))
    try:
        dt.date(int(result[6:10]), int(result[10:12]), int(result[12:14]))
    except ValueError:
        raise CellError(_("The ID number does not contain a valid date of birth.")) from None
    return result


@functools.cache
def _label_lookup(labels_key: str) -> dict[str, str]:
    """Every accepted spelling of a value: its Chinese labels, its value, its English label."""
    sources: dict[str, tuple[dict[str, tuple[str, ...]], type[TextChoices]]] = {
        "kind": (KIND_LABELS, PlaceKind),
        "relation": (RELATION_LABELS, Relation),
    }
    labels, choices = sources[labels_key]
    lookup: dict[str, str] = {}
    with override("en"):
        for member in choices:
            lookup[str(member.value).lower()] = str(member.value)
            lookup[str(member.label).lower()] = str(member.value)
    for value, chinese in labels.items():
        for label in chinese:
            lookup[label] = str(value)
    return lookup


def place_kind(value: object) -> str:
    raw = text(value)
    kind = _label_lookup("kind").get(raw.lower()) or _current_label(raw, PlaceKind)
    if kind is None:
        raise CellError(
            _("Unknown kind %(value)s; use one of %(choices)s.")
            % {"value": raw, "choices": "、".join(labels[0] for labels in KIND_LABELS.values())}
        )
    return kind


def relation(value: object) -> str:
    raw = text(value)
    found = _label_lookup("relation").get(raw.lower()) or _current_label(raw, Relation)
    if found is None:
        raise CellError(
            _("Unknown relation %(value)s; use one of %(choices)s.")
            % {
                "value": raw,
                "choices": "、".join(labels[0] for labels in RELATION_LABELS.values()),
            }
        )
    return found


def _current_label(raw: str, choices: type[TextChoices]) -> str | None:
    """The label in the user's own language, in case it differs from the file's."""
    for member in choices:
        if str(member.label) == raw:
            return str(member.value)
    return None


_TRUE = {YES, "y", "yes", "true", "1", "党员"}
_FALSE = {NO, "", "n", "no", "false", "0", "群众"}


def yes_no(value: object) -> bool:
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("Write 是 (yes) or 否 (no)."))


def code_list(value: object, max_length: int) -> list[str]:
    """Owner codes separated by 、 or a comma; each code once, in the order written."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text(value)):
        item = part.strip()
        if item:
            seen[code(item, max_length)] = None
    return list(seen)


def has_separator(value: str) -> bool:
    return bool(_SEPARATORS.search(value))
