"""Masking of personal information, done on the server before anything leaves it."""

from __future__ import annotations

import re

# In free text: a mainland mobile number (11 digits from 13x-19x), an 18-character resident ID
# number (17 digits and a digit or X) or an old 15-digit one, each standing alone (not part of
# a longer run of digits, such as a matter's number or an amount).
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")


def mask_phone(phone: str) -> str:
    """138****5678: keep the operator prefix and the last four digits."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) <= 7:
        return (
            phone[:1] + "*" * (len(phone) - 2) + phone[-1:] if len(phone) > 2 else "*" * len(phone)
        )
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str) -> str:
    """4406**********123X: keep the province-city prefix and the last four characters."""
    id_number = (id_number or "").strip()
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_name(name: str) -> str:
    """张*明 / 李*: for lists shown to the public (kept for later public pages)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_text(text: str) -> str:
    """Free text (a description, a note) with every phone and ID number in it masked."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), text)


MASKERS = {"phone": mask_phone, "id_number": mask_id_number}
