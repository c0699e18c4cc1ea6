"""Who may read the figures of a place: the staff and leaders whose posts cover it (least
privilege: not a resident, a mediator, a property company or an administrator); and who answers
for an early-warning alert (sees, acknowledges and closes it): the holders of a post over its
place whose role answers for its level (alert_choices.LEVEL_ROLES: yellow the building, lane
or street leader and the community's staff, orange the community's staff and secretary, red
those and the subdistrict's staff). Nobody raises an alert but the system; the lexicon of risky
words is the system administrator's to edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from shuren.access.context import scope_of, standing_of
from shuren.insights.alert_choices import LEVEL_ROLES, AlertStatus
from shuren.people.roles import Role
from shuren.places.models import Place
from shuren.places.paths import STEP_LEN, drop_nested

FIGURE_ROLES = frozenset(
    {
        Role.LOUZHANG,
        Role.XIANGZHANG,
        Role.JIEZHANG,
        Role.WANGGEYUAN,
        Role.SHEQU_STAFF,
        Role.SHEQU_SHUJI,
        Role.JIEDAO_STAFF,
    }
)


@rules.predicate
def reads_figures_of(user: Any, place: Any) -> bool:
    """The place lies under one of the user's posts of a role that reads figures."""
    return place is not None and any(place.path.startswith(r) for r in figure_roots(user))


def readable_place(user: Any, place_id: int | None) -> Place | None:
    """The place asked for, if this user reads its figures; with none asked for, the outermost
    place whose figures they read; None otherwise. Every face (the pages, the downloads, the
    API) answers None with 404, as for a missing id."""
    if place_id is None:
        roots = sorted(figure_roots(user), key=lambda path: (len(path), path))
        return Place.objects.filter(path=roots[0]).first() if roots else None
    place: Place | None = Place.objects.visible_to(user).filter(pk=place_id).first()
    if place is None or not user.has_perm("insights.view_figures", place):
        return None
    return place


def reads_communities(user: Any) -> bool:
    """A post of a figure role over a community or the subdistrict (the scorecard compares a
    community's estates)."""
    return any(len(root) <= 2 * STEP_LEN for root in figure_roots(user))


def figure_roots(user: Any) -> tuple[str, ...]:
    """The places whose figures this user reads (their posts of a figure role), outermost."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "person_id", None):
        return ()
    return drop_nested(
        {
            post.place_path
            for post in standing_of(user).posts
            if post.role in FIGURE_ROLES and post.place_path
        }
    )


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("insights.view_figures", reads_figures_of)
# The case register (台账) of a place: whoever reads its figures (insights/register/).
add_perm("insights.export_register", reads_figures_of)


# --- Early warning ------------------------------------------------------------------------------


def answers_for_alert(user: Any, alert: Any) -> bool:
    """A post of the user's, of a role that answers for the alert's level, covers its place."""
    if alert is None or not getattr(user, "is_authenticated", False):
        return False
    roles, path = LEVEL_ROLES[alert.level], alert.place.path
    return any(
        post.role in roles and post.place_path and path.startswith(post.place_path)
        for post in standing_of(user).posts
    )


@rules.predicate
def sees_alert(user: Any, alert: Any) -> bool:
    return answers_for_alert(user, alert)


@rules.predicate
def runs_the_system(user: Any) -> bool:
    return Role.SYSADMIN in scope_of(user).roles


def available_alert_actions(user: Any, alert: Any) -> list[str]:
    """What the user may do with the alert now: "acknowledge" while it is open, "close" until
    it is closed; nothing if it is not theirs to answer for."""
    if not answers_for_alert(user, alert):
        return []
    if alert.status == AlertStatus.OPEN:
        return ["acknowledge", "close"]
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return ["close"]
    return []


add_perm("insights.see_alert", sees_alert)
add_perm("insights.acknowledge_alert", sees_alert)
add_perm("insights.close_alert", sees_alert)
add_perm("insights.raise_alert", rules.always_deny)  # the system only (actor None)
for _verb in ("view", "add", "change", "delete"):
    add_perm(f"insights.{_verb}_riskyword", runs_the_system)
