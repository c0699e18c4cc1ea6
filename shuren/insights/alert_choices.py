"""The kinds, levels and states of an early-warning alert, and which posts answer for each level:
a leaf (roles only), so the models, the rules and the actions read the one table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.people.roles import Role


class AlertKind(models.TextChoices):
    HOTSPOT = "hotspot", _("Hotspot")
    SURGE = "surge", _("Surge")
    RISKY_WORDS = "risky_words", _("Risky words")
    REPEAT_PARTIES = "repeat_parties", _("Repeat parties")
    OVERDUE = "overdue", pgettext_lazy("alert kind", "Overdue")
    UNSATISFIED = "unsatisfied", _("Unsatisfied follow-up")
    # 人民调解法 Art. 25: a dispute in mediation may turn violent or criminal.
    MEDIATION_RISK = "mediation_risk", _("Dispute in mediation at risk")


class AlertLevel(models.TextChoices):
    """红 tell the subdistrict now; 橙 handle today; 黄 the leader handles it on the spot."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert status", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", pgettext_lazy("alert status", "Closed")


# Red first: the order of every list and of the home page.
LEVEL_RANK = {AlertLevel.RED: 0, AlertLevel.ORANGE: 1, AlertLevel.YELLOW: 2}
LEADER_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
COMMUNITY_ROLES = (Role.SHEQU_STAFF, Role.SHEQU_SHUJI)

# Who answers for an alert of each level: the holders of these roles in a post over the alert's
# place (the place itself or above it). They see it, are told of it, acknowledge and close it.
LEVEL_ROLES: dict[str, tuple[str, ...]] = {
    AlertLevel.YELLOW: (*LEADER_ROLES, *COMMUNITY_ROLES),
    AlertLevel.ORANGE: COMMUNITY_ROLES,
    AlertLevel.RED: (*COMMUNITY_ROLES, Role.JIEDAO_STAFF),
}


def levels_for(role: str) -> list[str]:
    """The levels of alert a post of this role answers for."""
    return [level for level, roles in LEVEL_ROLES.items() if role in roles]


def highest(levels: list[str]) -> str:
    """The most urgent of these levels (red over orange over yellow)."""
    return min(levels, key=lambda level: LEVEL_RANK[AlertLevel(level)])
