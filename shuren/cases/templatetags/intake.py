"""Template tags of the intake pages: the links a home page shows to the intakes a user may use."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuren.cases.intake.policy import Mode, may_use

register = template.Library()

LINKS = (
    (Mode.RESIDENT, "cases:report", _("Report a matter")),
    (Mode.LEADER, "cases:quick-entry", _("Enter a matter for a resident")),
    (Mode.STAFF, "cases:staff-entry", _("Enter a matter")),
)


@register.simple_tag
def intake_links(user: Any) -> list[tuple[str, str]]:
    """(label, url) of each intake page this user may use, in the order above (no query: the
    request's scope says it)."""
    return [(str(label), reverse(name)) for mode, name, label in LINKS if may_use(user, mode)]
