"""Where a user may send a matter up the ladder (上报): decided here, once, for the case page's
form, the API and the escalate action alike.

A user sends a matter above their own tier at its place, and only so far:

- a 楼长/巷长/街长 (tier 1) and the estate's people (tier 2: property company, 业委会,
  自治小组) keep it inside the community (小事不出社区): to the estate tier where someone
  answers for the place there, or to the community;
- community staff (tier 3) send it to the subdistrict, or, for what only the police, a court
  or the district can settle, beyond it (转交, naming where);
- subdistrict staff send it beyond the subdistrict.

Whoever holds a matter without a tier of their own there (a mediation workshop, a leader
given a matter outside their building) hands it back (退单) instead; community staff acting
for a leader without a login (代办) send as the leader would. The system (the overdue
sweep) is not bound by this: it goes one tier up.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shuren.cases.choices import Tier
from shuren.cases.on_behalf import acts_for_leader
from shuren.cases.reach import reach_of
from shuren.cases.responsible import responsible_users

# A user's own tier at the place -> the highest tier they may send a matter to.
CEILING: dict[int, int] = {
    Tier.BUILDING: Tier.COMMUNITY,
    Tier.ESTATE: Tier.COMMUNITY,
    Tier.COMMUNITY: Tier.BEYOND,
    Tier.SUBDISTRICT: Tier.BEYOND,
}


def own_tier(user: Any, place_path: str) -> int:
    """The highest tier at which a post of the user's covers the place (0: none). Subdistrict
    staff hold tier 5 in their reach only to follow referrals; their own tier is 4."""
    reach = reach_of(user)
    tiers = [
        tier
        for tier, roots in reach.roots.items()
        if any(place_path.startswith(root) for root in roots)
    ]
    return min(max(tiers), Tier.SUBDISTRICT) if tiers else 0


def _bounds(user: Any, case: Any) -> tuple[int, int]:
    """(the lowest tier above both the case and the user, the highest the user may reach).
    Community staff acting for a leader without a login (代办) send as that leader would."""
    if case.current_tier == Tier.BUILDING and acts_for_leader(user, case):
        mine = int(Tier.BUILDING)
    elif reach_of(user).holds_for_company(case):
        # A property company's tier is its estates' (its posts hang on the company, not on a
        # place): it holds the matter at the estate tier now.
        mine = int(Tier.ESTATE)
    else:
        mine = own_tier(user, case.place_path)
    return max(case.current_tier, mine) + 1, CEILING.get(mine, 0)


def may_escalate(user: Any, case: Any) -> bool:
    """Some tier is left for this user to send the case to (no query beyond their reach)."""
    lowest, highest = _bounds(user, case)
    return lowest <= highest


def _estate_answers(case: Any) -> bool:
    """Someone answers for the case's place at the estate tier (two look-ups)."""
    return responsible_users(case.place, Tier.ESTATE, category=case.category).exists()


def escalation_tiers(user: Any, case: Any) -> list[int]:
    """The tiers this user may send the case to, lowest first. The estate tier counts only
    where someone answers for the place at it; a case whose place is not loaded is read
    with it."""
    lowest, highest = _bounds(user, case)
    return [
        tier for tier in range(lowest, highest + 1) if tier != Tier.ESTATE or _estate_answers(case)
    ]


def tier_names(tiers: list[int]) -> str:
    return "、".join(str(Tier(t).label) for t in tiers)


def check_escalation(user: Any, case: Any, to_tier: int | None, referred_to: str) -> int:
    """The tier an escalation by this user goes to (the lowest they may reach when they name
    none), or why not: ValidationError for a tier they may not send to or a referral without
    where, PermissionDenied when no tier is left to them."""
    lowest, highest = _bounds(user, case)
    if lowest > highest:
        raise PermissionDenied(
            _(
                "There is no higher tier you may send this matter to. "
                "Hand it back to whoever gave it to you instead."
            )
        )
    # The estate tier is looked up only when it could be the answer.
    if to_tier is None:
        to_tier = escalation_tiers(user, case)[0]
    elif (to_tier == Tier.ESTATE or not lowest <= to_tier <= highest) and to_tier not in (
        tiers := escalation_tiers(user, case)
    ):
        raise ValidationError(
            {
                "to_tier": ValidationError(
                    _("You may send this matter to: %(tiers)s.") % {"tiers": tier_names(tiers)},
                    code="tier_not_allowed",
                )
            }
        )
    if to_tier == Tier.BEYOND and not referred_to.strip():
        raise ValidationError(
            {
                "referred_to": ValidationError(
                    _("Say which body outside the subdistrict it is referred to."),
                    code="required",
                )
            }
        )
    return to_tier
