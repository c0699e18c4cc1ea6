"""The mediation pages in the scope matrix (access/tests/test_scope_matrix.py).

Each sample place has a dispute before the workshop (苏志敏创熟调解工作室), registered by the
system, with a paper whose id is the case's id (so one {pk} names both). A dispute's file is its
organisation's (Art. 27): the workshop's mediator, demo-tiaojie, sees all four; everyone else,
community and subdistrict staff included, gets 404 as for a missing id, and nothing changes. The
register and the registration form are the mediators'; the statistics are also read by the
staff whose posts cover a place (rules.STATISTICS_ROLES)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.mediation.actions import PartyInput, register_mediation
from shuren.mediation.choices import DisputeType, PartyRole, Source
from shuren.mediation.models import Document, Mediation
from shuren.mediation.papers import papers_available
from shuren.people.models import Team
from shuren.testing import ROLE_USERS, World

TITLE = "样本调解：楼上漏水纠纷"
PAPER_NAME = "mediation/scope-matrix/sample.pdf"
MEDIATORS = {"demo-tiaojie"}
STATISTICS_READERS = {"demo-tiaojie", "demo-jiedao", "demo-shequ", "demo-shequ2"}
# Who sees each sample's case: the workshop's mediator all of them, nobody else any.
MEDIATION_SEES: dict[str, set[str]] = {role: set() for role in ROLE_USERS}
MEDIATION_SEES["demo-tiaojie"] = set(SAMPLES)


def build_samples(world: World) -> None:
    if not default_storage.exists(PAPER_NAME):
        default_storage.save(PAPER_NAME, ContentFile(b"%PDF-1.4 sample"))
    workshop = Team.objects.get(code="T-SZM")
    for place_code, _household, person_code in SAMPLES.values():
        m = register_mediation(
            actor=None,
            organisation=workshop,
            place=world.place(place_code),
            source=Source.APPLICATION,
            dispute_type=DisputeType.NEIGHBOURS,
            title=TITLE,
            summary="样本纠纷的简要情况。",
            parties=[
                PartyInput(
                    PartyRole.APPLICANT, world.person(person_code).name, phone="13987654321"
                ),
                PartyInput(PartyRole.RESPONDENT, "样本被申请人", phone="13911112222"),
            ],
        )
        Document.objects.create(
            pk=m.pk, mediation=m, kind="evidence", title="样本证据", file=PAPER_NAME
        )


def sample_mediation(world: World, sample: str) -> Mediation:
    place_code = SAMPLES[sample][0]
    return Mediation.objects.get(place__code=place_code, title=TITLE)


def _mediators(role: str) -> int:
    return 200 if role in MEDIATORS else 404


def _readers(role: str) -> int:
    return 200 if role in STATISTICS_READERS else 404


def _action(slug: str, data: dict[str, str], ok: set[int]) -> ObjectRoute:
    # The sample case is fresh (registered, version 1) in every test: each test rolls back.
    return ObjectRoute(
        f"/mediation/{{pk}}/{slug}/",
        sample_mediation,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: ok,
        sees=MEDIATION_SEES,
    )


def _printed(role: str) -> set[int]:
    # A PDF where this machine can make them, else the page saying what to install (CI has
    # them: test_papers.py fails there without them).
    return {200 if papers_available() is None else 503}


def _paper(key: str, ok: Callable[[str], set[int]]) -> ObjectRoute:
    return ObjectRoute(
        f"/mediation/{{pk}}/papers/{key}.pdf", sample_mediation, ok=ok, sees=MEDIATION_SEES
    )


ROUTES: dict[str, Any] = {
    "mediation/": PlainRoute("/mediation/", _mediators),
    "mediation/new/": PlainRoute("/mediation/new/", _mediators),
    "mediation/statistics/": PlainRoute("/mediation/statistics/", _readers),
    "mediation/statistics/xlsx/": PlainRoute("/mediation/statistics/xlsx/", _readers),
    "mediation/<int:pk>/": ObjectRoute("/mediation/{pk}/", sample_mediation, sees=MEDIATION_SEES),
    "mediation/<int:pk>/papers/<int:paper_pk>/": ObjectRoute(
        "/mediation/{pk}/papers/{pk}/", sample_mediation, sees=MEDIATION_SEES
    ),
    # The PDFs: only the mediator's four requests of each route render one (everyone else's 404
    # comes before any rendering). The samples have no agreement and no follow-up visit yet, so
    # those two are 404 for the mediator too, without rendering (test_paper_downloads.py
    # downloads them).
    "mediation/<int:pk>/papers/agreement.pdf": _paper("agreement", lambda role: {404}),
    "mediation/<int:pk>/papers/registration.pdf": _paper("registration", _printed),
    "mediation/<int:pk>/papers/follow-up.pdf": _paper("follow-up", lambda role: {404}),
    "mediation/<int:pk>/papers/file.pdf": _paper("file", _printed),
    # The party named is no party of the case: said so (422), nothing shown, nothing logged.
    "mediation/<int:pk>/reveal/": ObjectRoute(
        "/mediation/{pk}/reveal/",
        sample_mediation,
        method="post",
        data={"party": "987654321", "field": "phone", "reason": "电话通知调解时间"},
        ok=lambda role: {422},
        sees=MEDIATION_SEES,
    ),
    "mediation/<int:pk>/add-party/": _action(
        "add-party", {"role": "third_party", "name": "物业公司"}, {302}
    ),
    # Without a party or mediator named (the samples' ids differ per sample): 422.
    "mediation/<int:pk>/consent/": _action("consent", {"consent": "given"}, {422}),
    "mediation/<int:pk>/mediators/": _action("mediators", {}, {422}),
    "mediation/<int:pk>/session/": _action(
        "session", {"held_at": "2026-03-04T10:00", "venue": "调解室", "record": "记录"}, {422}
    ),
    "mediation/<int:pk>/extend/": _action(
        "extend", {"days": "5", "parties_consented": "on", "reason": "补充证据"}, {302}
    ),
    # Nobody sat down yet: an agreement, a confirmation, a follow-up, the archive are 409.
    "mediation/<int:pk>/agreement/": _action(
        "agreement", {"form": "oral", "agreed_content": "赔偿", "performance_manner": "现金"}, {409}
    ),
    "mediation/<int:pk>/close/": _action("close", {"outcome": "withdrawn", "note": "撤回"}, {302}),
    "mediation/<int:pk>/confirmation/": _action("confirmation", {"confirmation": "applied"}, {409}),
    "mediation/<int:pk>/follow-up/": _action(
        "follow-up", {"performance": "full", "satisfaction": "satisfied"}, {409}
    ),
    "mediation/<int:pk>/risk/": _action(
        "risk", {"note": "扬言报复", "police_informed": "on"}, {302}
    ),
    "mediation/<int:pk>/paper/": _action(
        "paper", {"kind": "evidence", "title": "现场照片", "note": "纸质"}, {302}
    ),
    "mediation/<int:pk>/prevention/": _action(
        "prevention", {"criminal_persons": "1", "petition_persons": "0"}, {302}
    ),
    "mediation/<int:pk>/archive/": _action("archive", {}, {409}),
}

# What a role sees of a mediation case does not depend on its place (it is its organisation's):
# each route is walked with one sample of the workshop's, the lane's and a missing id, not all.
ROUTES = {
    route: replace(entry, samples=("b1", "lane", "missing"))
    if isinstance(entry, ObjectRoute)
    else entry
    for route, entry in ROUTES.items()
}
