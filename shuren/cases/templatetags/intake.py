"""Template tags of the intake pages: the links a home page shows to the intakes a user may use."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuren.access.scope import scope_of
from shuren.cases.forms_intake import MODE_ROLES, Mode

register = template.Library()

LINKS = (
    (Mode.RESIDENT, "cases:report", _("Report a matter")),
    (Mode.LEADER, "cases:quick-entry", _("Enter a matter for a resident")),
    (Mode.STAFF, "cases:staff-entry", _("Enter a matter")),
)


def _may_use(user: Any, mode: Mode) -> bool:
    # The scope is already on the user for this request (the context processor built it), so
    # the home page pays no query for these links; the pages themselves check the places.
    scope = scope_of(user)
    if mode == Mode.RESIDENT:
        return scope.is_resident
    return bool(scope.roles & MODE_ROLES[mode])


@register.simple_tag
def intake_links(user: Any) -> list[tuple[str, str]]:
    """(label, url) of each intake page this user may use, in the order above."""
    return [(str(label), reverse(name)) for mode, name, label in LINKS if _may_use(user, mode)]
