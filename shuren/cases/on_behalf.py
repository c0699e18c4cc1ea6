"""A building whose leader has no login: the community acts for them (代办).

Many 楼长, 巷长 and 街长 hold their post without an account. A matter at their building still
enters at tier 1 and the community's staff are told; the community's staff and grid workers
(社区工作人员, 社区书记, 网格员) of that community take its tier-1 steps for the leader (take it on,
settle it on the spot, escalate it), and each such step records whom it was done for (the
event's data "on_behalf_of": the post, the person and their name), which the timeline shows as
代办. Only there: where a leader of the place has an account, the tier-1 steps are theirs.

Who leads a place at tier 1 is what cases.responsible.building_leaders finds: a leader's post
at the place or above it, and for a building or unit the posts below it too (a tower split into
floor bands). `without_account` answers it for a page of rows in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from shuren.cases.choices import Tier
from shuren.cases.reach import reach_of
from shuren.people.models import Post, active_q
from shuren.people.roles import Role
from shuren.places.models import PlaceKind
from shuren.places.paths import ancestor_paths

LEADER_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
# A matter at one of these places is also led by the posts below it (units, floor bands).
LED_FROM_BELOW = (PlaceKind.BUILDING, PlaceKind.UNIT)
# The community roles that act for a leader without an account (cases.reach's tier 3).
COMMUNITY_TIER = Tier.COMMUNITY


@dataclass(frozen=True)
class Leader:
    post_id: int
    person_id: int
    name: str
    place_path: str
    has_account: bool
    role: str = Role.LOUZHANG
    published_phone: str = ""  # the number they give their residents (empty: none)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    def on_behalf(self) -> dict[str, Any]:
        """What an event records of the leader a step was taken for."""
        return {"post": self.post_id, "person": self.person_id, "name": self.name}


def _leaders(places: list[tuple[str, str]]) -> list[Leader]:
    """The active tier-1 posts that lead any of these (path, kind) places, with whether their
    holder has an active login: one query."""
    if not places:
        return []
    where = Q(place__path__in=sorted({a for path, _k in places for a in ancestor_paths(path)}))
    for path, kind in places:
        if kind in LED_FROM_BELOW:
            where |= Q(place__path__startswith=path)
    User = get_user_model()
    posts = (
        Post.objects.filter(active_q(), where, role__in=LEADER_ROLES)
        .annotate(
            has_account=Exists(User.objects.filter(person_id=OuterRef("person_id"), is_active=True))
        )
        .values_list(
            "pk",
            "person_id",
            "person__name",
            "place__path",
            "has_account",
            "role",
            "person__published_phone",
        )
        .order_by("pk")
    )
    return [Leader(*row) for row in posts]


def _leads(leader: Leader, path: str, kind: str) -> bool:
    return path.startswith(leader.place_path) or (
        kind in LED_FROM_BELOW and leader.place_path.startswith(path)
    )


def leaders_of(place: Any) -> list[Leader]:
    """The leaders of the place at tier 1, with or without a login (one query)."""
    return [
        leader
        for leader in _leaders([(place.path, place.kind)])
        if _leads(leader, place.path, place.kind)
    ]


def case_leaders(case: Any) -> list[Leader]:
    """leaders_of the matter's place, kept on the case object: the rules ask for several steps
    and the case page names them."""
    cached: list[Leader] | None = getattr(case, "_leaders", None)
    if cached is None:
        cached = case._leaders = leaders_of(case.place)
    return cached


def leader_without_account(case: Any) -> Leader | None:
    """The leader a tier-1 matter waits for when no leader of its place has a login (the first
    by post), else None."""
    if case.current_tier != Tier.BUILDING:
        return None
    leaders = case_leaders(case)
    return leaders[0] if leaders and not any(leader.has_account for leader in leaders) else None


def without_account(cases: list[Any]) -> set[int]:
    """The ids of the tier-1 matters among these whose leaders have no login (an inbox page's
    rows, whose places carry their kind): one query, none without tier-1 rows."""
    at_tier1 = [c for c in cases if c.current_tier == Tier.BUILDING]
    leaders = _leaders([(c.place_path, c.place.kind) for c in at_tier1])
    found: set[int] = set()
    for case in at_tier1:
        mine = [leader for leader in leaders if _leads(leader, case.place_path, case.place.kind)]
        if mine and not any(leader.has_account for leader in mine):
            found.add(case.pk)
    return found


def acts_for_leader(user: Any, case: Any) -> bool:
    """The user is community staff or a grid worker of the matter's community, and the matter
    waits at tier 1 for a leader without a login."""
    if case is None or case.current_tier != Tier.BUILDING:
        return False
    roots = reach_of(user).roots.get(COMMUNITY_TIER, ())
    if not any(case.place_path.startswith(root) for root in roots):
        return False
    return leader_without_account(case) is not None


def leads(user: Any, case: Any) -> bool:
    """The user holds a tier-1 post that leads the matter's place: at it or above it (the 楼长
    of its building), or below a building or unit (a floor band of a tower)."""
    roots = reach_of(user).roots.get(Tier.BUILDING, ())
    if any(case.place_path.startswith(root) for root in roots):
        return True
    below = [root for root in roots if root.startswith(case.place_path)]
    return bool(below) and case.place.kind in LED_FROM_BELOW


def on_behalf_of(actor: Any, case: Any) -> dict[str, Any] | None:
    """What a tier-1 step by this actor records: the leader it was done for, when the actor is
    not a leader of the place but acts for one without a login; else None."""
    if actor is None or case.current_tier != Tier.BUILDING or leads(actor, case):
        return None
    leader = leader_without_account(case) if acts_for_leader(actor, case) else None
    return leader.on_behalf() if leader is not None else None
