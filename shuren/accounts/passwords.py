"""Password length by role: 8 characters for everyone, 12 for staff (rules-cn.md section 4)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shuren.people.models import Post
from shuren.people.roles import STAFF_ROLES

MIN_LENGTH = 8
STAFF_MIN_LENGTH = 12


def is_staff_user(user: Any) -> bool:
    if user is None:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    return Post.objects.active().filter(person_id=person_id, role__in=STAFF_ROLES).exists()


class RoleLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = STAFF_MIN_LENGTH if is_staff_user(user) else MIN_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min)d character.",
                    "This password is too short. It must contain at least %(min)d characters.",
                    minimum,
                )
                % {"min": minimum},
                code="password_too_short",
                params={"min": minimum},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(min)d characters (%(staff)d for staff accounts)."
        ) % {"min": MIN_LENGTH, "staff": STAFF_MIN_LENGTH}
