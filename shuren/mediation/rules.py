"""Who may do what to a mediation case (django-rules), and the actions a page offers.

- mediates: the user holds an active 调解员 post for the case's organisation. A dispute's file
  is its organisation's (Art. 27): nobody else reads a case, its parties or its papers; they
  get 404 as for a missing id. Only its mediators act on it, and see its parties' identity
  data unmasked, each reading logged (actions.reveal_party).
- registers_for: the same, for a new case of an organisation.
- The statistics (counts, never a case) are read by the organisation's mediators, and for a
  place by the subdistrict's and the communities' staff whose posts cover it: the justice
  bureau's monthly report is theirs to send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from shuren.access.context import standing_of
from shuren.mediation import law
from shuren.mediation.models import organisations_of
from shuren.people.roles import Role
from shuren.places.paths import drop_nested

# Who reads the statistics of a place: the staff who report them upward.
STATISTICS_ROLES = frozenset({Role.JIEDAO_STAFF, Role.SHEQU_SHUJI, Role.SHEQU_STAFF})


@rules.predicate
def mediates(user: Any, mediation: Any) -> bool:
    return mediation is not None and mediation.organisation_id in organisations_of(user)


@rules.predicate
def registers_for(user: Any, organisation: Any) -> bool:
    return organisation is not None and organisation.pk in organisations_of(user)


def statistics_roots(user: Any) -> tuple[str, ...]:
    """The places whose mediation statistics this user reads (their staff posts), outermost."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return drop_nested(
        {
            p.place_path
            for p in standing_of(user).posts
            if p.role in STATISTICS_ROLES and p.place_path
        }
    )


def registration_roots(user: Any, organisation: Any) -> tuple[str, ...]:
    """Where this user registers disputes for the organisation: under their own active 调解员
    posts for it (least privilege: not every place they see, nor every place the organisation
    serves through its other mediators)."""
    if organisation is None or organisation.pk not in organisations_of(user):
        return ()
    return drop_nested(
        {
            p.place_path
            for p in standing_of(user).posts
            if p.role == Role.TIAOJIEYUAN and p.team_id == organisation.pk and p.place_path
        }
    )


@rules.predicate
def reads_place_statistics(user: Any, place: Any) -> bool:
    return place is not None and any(place.path.startswith(r) for r in statistics_roots(user))


@rules.predicate
def reads_organisation_statistics(user: Any, organisation: Any) -> bool:
    """Its mediators, and the staff whose posts cover the organisation's home place."""
    if organisation is None:
        return False
    if organisation.pk in organisations_of(user):
        return True
    home = organisation.place.path
    return any(home.startswith(r) for r in statistics_roots(user))


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("mediation.view_mediation", mediates)
add_perm("mediation.register_mediation", registers_for)
for _action in law.ACTIONS:
    add_perm(f"mediation.{_action}", mediates)
add_perm("mediation.reveal_party", mediates)
add_perm("mediation.view_place_statistics", reads_place_statistics)
add_perm("mediation.view_organisation_statistics", reads_organisation_statistics)


def available_actions(user: Any, mediation: Any) -> list[str]:
    """The actions the state machine allows now and the user may take, in the order a page
    offers them (the law's own preconditions, such as consent, are the action's to explain)."""
    if not mediates(user, mediation):
        return []
    return [a for a in law.ACTIONS if law.allowed(a, mediation.status)]
