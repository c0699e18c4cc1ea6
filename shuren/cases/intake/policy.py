"""The intake policy: who may report a matter where, through which channel, at which risk level,
naming which parties. One answer for every face: the report pages choose their fields from it,
the API checks a body against it, and report_case() enforces it.

Three ways in (modes):
- a resident reports, online, on the places they live in (their unit, building, estate);
- a leader (楼长, 巷长, 街长, 业委会, 自治小组长) enters a matter within the places of their posts:
  someone raised it with them, at a reception day, on patrol, on a visit or in the group chat;
  they may say how risky it is (they stand in front of it);
- community and subdistrict staff enter matters within the places of their posts by any of
  those channels, by phone or at a joint meeting, with a risk level and the parties.
Anyone may report a matter as their own (online) wherever they may report at all. Open311
reports arrive through their own door (the system, not a user's intake).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shuren.access.context import scope_of, standing_of
from shuren.access.scope import resident_place_paths
from shuren.cases.choices import Channel, RiskLevel
from shuren.people.models import Post
from shuren.people.roles import LEADER_ROLES, Role
from shuren.places.models import Place
from shuren.places.paths import drop_nested, within


class Mode(StrEnum):
    RESIDENT = "resident"
    LEADER = "leader"
    STAFF = "staff"


# Who enters matters for others: volunteer leaders (quick entry) and professional staff, the
# mediators among them (a dispute walks into the workshop). The property company handles the
# matters dispatched to it; it reports as a resident where its staff live.
MODE_ROLES: dict[Mode, frozenset[str]] = {
    Mode.LEADER: frozenset(LEADER_ROLES),
    Mode.STAFF: frozenset(
        {Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN, Role.TIAOJIEYUAN, Role.JIEDAO_STAFF}
    ),
}
# A leader hears of a matter in person or in the group chat; staff also by phone and at the
# joint meeting. Self-reports (online) and Open311 come through their own doors.
LEADER_CHANNELS = (Channel.RECEPTION_DAY, Channel.PATROL, Channel.VISIT, Channel.WECHAT_GROUP)
STAFF_CHANNELS = (*LEADER_CHANNELS, Channel.PHONE, Channel.JOINT_MEETING)


@dataclass(frozen=True)
class Rights:
    """What one way in allows."""

    channels: tuple[str, ...]
    sets_risk: bool  # may say the matter is more than low risk
    names_others: bool  # enters for someone else (a resident, a caller)
    names_parties: bool  # names the applicants and respondents


RIGHTS: dict[Mode, Rights] = {
    Mode.RESIDENT: Rights(
        (Channel.ONLINE,), sets_risk=False, names_others=False, names_parties=False
    ),
    Mode.LEADER: Rights(LEADER_CHANNELS, sets_risk=True, names_others=True, names_parties=False),
    Mode.STAFF: Rights(STAFF_CHANNELS, sets_risk=True, names_others=True, names_parties=True),
}


def modes_of(user: Any) -> list[Mode]:
    """The ways in this user has at all, from the scope the request already holds (no query):
    a home of their own, or a post of the mode's roles."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    scope = scope_of(user)
    modes = [Mode.RESIDENT] if scope.is_resident else []
    return modes + [mode for mode, roles in MODE_ROLES.items() if scope.roles & roles]


def may_use(user: Any, mode: Mode) -> bool:
    return mode in modes_of(user)


def _post_paths(user: Any, roles: frozenset[str]) -> tuple[str, ...]:
    return drop_nested(
        post.place_path
        for post in standing_of(user).posts
        if post.role in roles and post.place_path is not None
    )


def modes_at(user: Any, place: Place) -> list[Mode]:
    """The ways in this user has at this place (a superuser enters as staff anywhere)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    modes = []
    home_paths = {p for _hid, path in standing_of(user).homes for p in resident_place_paths(path)}
    if place.path in home_paths:
        modes.append(Mode.RESIDENT)
    for mode, roles in MODE_ROLES.items():
        if within(place.path, _post_paths(user, roles)):
            modes.append(mode)
    return modes


def enters_for_others_at(user: Any, place: Place) -> bool:
    """Whether a contact this user names is someone else (a leader's or staff's entry) rather
    than a way to reach the user themself (a resident's own report)."""
    return any(RIGHTS[mode].names_others for mode in modes_at(user, place))


def check_report(
    user: Any, place: Place, *, channel: str, risk: str, parties: bool, for_someone: bool
) -> None:
    """PermissionDenied, in words, when the report goes beyond what this user may do here.

    `for_someone`: the report names another reporter or a contact; `parties`: it names the
    parties. Where the user may not report at all is the rules' `cases.report_case`."""
    modes = modes_at(user, place)
    rights = [RIGHTS[mode] for mode in modes]
    if channel != Channel.ONLINE and not any(channel in r.channels for r in rights):
        if not any(r.names_others for r in rights):
            raise PermissionDenied(_("Residents report online; only staff record a channel."))
        raise PermissionDenied(_("You may not record a matter that came this way."))
    if risk != RiskLevel.LOW and not any(r.sets_risk for r in rights):
        raise PermissionDenied(_("Only staff set the risk level."))
    if for_someone and not any(r.names_others for r in rights):
        raise PermissionDenied(_("Only leaders and staff enter a matter for someone else."))
    if parties and not any(r.names_parties for r in rights):
        raise PermissionDenied(_("Only staff name the parties of a matter."))


# --- Where a way in reaches ---------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Where one user may report in one mode: their own places, or the subtrees of their posts."""

    mode: Mode
    singles: tuple[Place, ...] = ()
    roots: tuple[Place, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.singles or self.roots)

    def allows(self, place: Place) -> bool:
        if any(place.pk == single.pk for single in self.singles):
            return True
        return any(place.path.startswith(root.path) for root in self.roots)

    @property
    def default(self) -> Place | None:
        """A resident's own place (the deepest: their unit or building); a post's place."""
        if self.singles:
            return max(self.singles, key=lambda p: (p.depth, -self.singles.index(p)))
        return self.roots[0] if len(self.roots) == 1 else None


def _post_roots(user: Any, roles: frozenset[str]) -> tuple[Place, ...]:
    if not getattr(user, "person_id", None):
        return ()
    places = sorted(
        {
            post.place
            for post in Post.objects.active()
            .filter(person_id=user.person_id, role__in=sorted(roles), place__isnull=False)
            .select_related("place")
            if post.place is not None
        },
        key=lambda p: p.path,
    )
    outermost = set(drop_nested(p.path for p in places))  # not a place inside another post's
    return tuple(p for p in places if p.path in outermost)


def _home_places(user: Any) -> tuple[Place, ...]:
    """The places a resident lives in, from their household up to the estate (or lane, street):
    the places Scope gives a resident, from the request's standing, as the Scope leaves out
    what the user's posts already cover."""
    paths = {p for _household, path in standing_of(user).homes for p in resident_place_paths(path)}
    if not paths:
        return ()
    return tuple(Place.objects.filter(path__in=sorted(paths)))


def places_for(user: Any, mode: Mode) -> Places:
    if user is None or not user.is_authenticated or not user.is_active:
        return Places(mode)
    if mode == Mode.RESIDENT:
        return Places(mode, singles=_home_places(user))
    return Places(mode, roots=_post_roots(user, MODE_ROLES[mode]))
