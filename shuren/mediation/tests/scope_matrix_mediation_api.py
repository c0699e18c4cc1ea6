"""The mediations API's routes in the scope matrix (access/tests/test_scope_matrix.py).

A mediation case is its organisation's (Art. 27), whatever place it is about: its mediators see
it, nobody else does, however wide their posts (the subdistrict, the administrator). The samples
of 金域蓝湾 1 and 2 and 金域中央 T1 are disputes before the workshop (T-SZM), whose mediator
demo-tiaojie sees the three; the lane's is before 江滨's own committee, which has no demo user:
for every role, another organisation's case answers exactly like a missing id. On a case the
role sees, an action answers with its own verdict (done, not possible now, incomplete).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shuren.access.tests.test_scope_matrix import MISSING_ID, SAMPLES, ObjectRoute, PlainRoute
from shuren.mediation.actions import PartyInput, register_mediation
from shuren.mediation.choices import DisputeType, PartyRole, Source
from shuren.mediation.models import Mediation
from shuren.people.models import Team, TeamKind
from shuren.testing import ROLE_USERS, World

# Not the pages' sample title (scope_matrix_mediation.py): both modules build samples at the
# same places, and each must find its own.
TITLE = "样本调解（接口）：楼上漏水纠纷"
COMMITTEE = "T-JB-TWH"
MEDIATION_SEES: dict[str, set[str]] = {role: set() for role in ROLE_USERS}
MEDIATION_SEES["demo-tiaojie"] = {"b1", "b2", "t1"}


def build_samples(world: World) -> None:
    """One dispute per sample place, registered by the system (rolled back at the module's end)."""
    committee, _created = Team.objects.get_or_create(
        code=COMMITTEE,
        defaults={
            "kind": TeamKind.MEDIATION_COMMITTEE,
            "name": "江滨社区人民调解委员会",
            "place": world.place("GC-JB"),
        },
    )
    workshop = Team.objects.get(code="T-SZM")
    for sample, (place_code, _household, _person) in SAMPLES.items():
        register_mediation(
            actor=None,
            organisation=committee if sample == "lane" else workshop,
            place=world.place(place_code),
            source=Source.APPLICATION,
            dispute_type=DisputeType.NEIGHBOURS,
            title=TITLE,
            summary="天花板渗水，维修费用分担有争议。",
            amount="1000",
            parties=(
                PartyInput(PartyRole.APPLICANT, "王秀英", phone="13812345678"),
                PartyInput(PartyRole.RESPONDENT, "陈美玲"),
            ),
        )


def sample_mediation(world: World, sample: str) -> Mediation:
    return Mediation.objects.get(place__code=SAMPLES[sample][0], title=TITLE)


def _action(name: str, data: dict[str, str], ok: set[int]) -> ObjectRoute:
    # The sample is fresh (registered, version 1, consent not yet asked) in every test.
    return ObjectRoute(
        f"/api/v1/mediations/{{pk}}/{name}",
        sample_mediation,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: ok,
        sees=MEDIATION_SEES,
    )


BASE = "api/v1/mediations/<int:mediation_id>"
ROUTES: dict[str, Any] = {
    # Everyone may ask; only a mediator's register holds anything (test_mediations_errors.py).
    "api/v1/mediations": PlainRoute("/api/v1/mediations"),
    BASE: ObjectRoute("/api/v1/mediations/{pk}", sample_mediation, sees=MEDIATION_SEES),
    f"{BASE}/parties": _action("parties", {"role": "third_party", "name": "李建国"}, {200}),
    # The party or mediator named is not in the case or the organisation: the field says so.
    f"{BASE}/consent": _action("consent", {"party": str(MISSING_ID), "consent": "given"}, {422}),
    f"{BASE}/mediators": _action("mediators", {"mediators": str(MISSING_ID)}, {422}),
    f"{BASE}/session": _action(
        "session",
        {
            "held_at": "2026-03-05T10:00:00+08:00",
            "venue": "调解室",
            "parties": str(MISSING_ID),
            "record": "记录",
        },
        {422},
    ),
    f"{BASE}/extend": _action(
        "extend", {"days": "10", "parties_consented": "true", "reason": "双方同意延期"}, {200}
    ),
    # Registered, not mediating yet: no agreement, confirmation, follow-up or archive.
    f"{BASE}/agreement": _action(
        "agreement", {"form": "oral", "agreed_content": "赔偿", "performance_manner": "转账"}, {409}
    ),
    f"{BASE}/close": _action("close", {"outcome": "withdrawn", "note": "申请人撤回"}, {200}),
    f"{BASE}/confirmation": _action("confirmation", {"confirmation": "applied"}, {409}),
    f"{BASE}/follow-up": _action(
        "follow-up", {"performance": "full", "satisfaction": "satisfied"}, {409}
    ),
    f"{BASE}/risk": _action("risk", {"note": "扬言报复", "police_informed": "true"}, {200}),
    f"{BASE}/prevention": _action(
        "prevention", {"criminal_persons": "1", "petition_persons": "0"}, {200}
    ),
    f"{BASE}/archive": _action("archive", {}, {409}),
}

# What a role sees of a mediation case does not depend on its place but on its organisation:
# each route is walked with a case of the workshop's (b1), another organisation's (the lane's)
# and a missing id, not with every sample.
ROUTES = {
    route: replace(entry, samples=("b1", "lane", "missing"))
    if isinstance(entry, ObjectRoute)
    else entry
    for route, entry in ROUTES.items()
}
