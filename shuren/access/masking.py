"""Masking of personal information, done on the server before anything leaves it."""

from __future__ import annotations


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


MASKERS = {"phone": mask_phone, "id_number": mask_id_number}
