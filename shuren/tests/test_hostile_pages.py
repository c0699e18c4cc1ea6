"""The fuzz of every page: each form of the site, each query parameter a page reads and each id
in an address is sent hostile values (NUL and control characters, ten megabytes, huge and
negative numbers, the wrong type, zero-width and right-to-left characters, HTML and SQL) as the
named user who uses it. No answer is a 500, and a refused request writes no row.

The forms are a registry here, keyed by the site's URL patterns: a pattern with no entry fails
`test_every_page_is_in_the_fuzz`, and each form's fields are checked against the form the site
renders (`test_the_fuzz_knows_every_field_of_each_form`), so neither goes stale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from shuren.access.tests.test_scope_matrix import sample_objects, site_routes
from shuren.cases import actions
from shuren.cases.models import Case, Category
from shuren.cases.tests.scope_matrix_inbox import sample_case
from shuren.cases.web.case_forms import ACTIONS, RevealPhoneForm
from shuren.deliberation import actions as deliberation
from shuren.deliberation.models import Decision
from shuren.deliberation.tests import hostile_elevators
from shuren.deliberation.tests.scope_matrix_meetings import sample_meeting
from shuren.deliberation.tests.scope_matrix_votes import sample_vote
from shuren.deliberation.web.meeting_forms import ACTIONS as MEETING_ACTIONS
from shuren.deliberation.web.vote_forms import (
    BallotForm,
    CancelForm,
    EnterBallotForm,
    RecountAddForm,
    RecountForm,
    VersionForm,
)
from shuren.insights.tests.scope_matrix_alerts import sample_alert
from shuren.insights.tests.scope_matrix_register import sample_export
from shuren.insights.web.alert_forms import AcknowledgeForm, CloseForm
from shuren.mediation.models import Party
from shuren.mediation.tests.scope_matrix_mediation import sample_mediation
from shuren.mediation.web.action_forms import ACTIONS as MEDIATION_ACTIONS
from shuren.notify.models import Notification
from shuren.people.models import Team
from shuren.places.models import Resident
from shuren.testing import PASSWORD, World, deliver
from shuren.tests.hostile import TEN_MB, TEXT_VALUES, grown, row_counts, values_for

__all__ = ["sample_objects"]  # the scope matrix's sample matters, made once for this module

Url = Callable[[World], str]


def at(path: str) -> Url:
    return lambda world: path


def case_url(suffix: str = "") -> Url:
    return lambda world: f"/cases/{sample_case(world, 'b1').pk}/{suffix}"


def alert_url(suffix: str = "") -> Url:
    # Building 1's sample alert is red: community staff answer for it (scope_matrix_alerts).
    return lambda world: f"/insights/alerts/{sample_alert(world, 'b1').pk}/{suffix}"


@dataclass(frozen=True)
class Page:
    """A page read with GET: each query parameter it reads is sent each hostile value."""

    user: str | None
    url: Url
    query: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A form posted to `url` with `fields` (valid values); each field in turn is sent each
    hostile value. `shown_on` is the page that renders it, to check the fields against."""

    user: str | None
    url: Url
    fields: Callable[[World], dict[str, str | None]]  # None: fuzzed, not sent when valid
    shown_on: Url | None = None
    query: tuple[str, ...] = ()
    form_class: Any = None  # or the Django form whose fields the fuzz must all send
    # Only these fields (the rest are another entry's form's, fuzzed there): None for all.
    fuzz: tuple[str, ...] | None = None
    prepare: Callable[[World], None] | None = None  # brings the sample matter to the step


def _valid(form: Form, world: World) -> dict[str, str]:
    return {name: value for name, value in form.fields(world).items() if value is not None}


@dataclass(frozen=True)
class Elsewhere:
    reason: str


@dataclass(frozen=True)
class Forms:
    """A URL with several forms (a page whose forms post to it, told apart by a field)."""

    forms: tuple[Form, ...] = field(default_factory=tuple)


def _robot_url(world: World) -> str:
    """The WeCom robot page of 金域蓝湾楼长队 (kept by 尖东's community staff)."""
    return f"/notifications/teams/{Team.objects.get(code='T-JYLW-LZ').pk}/robot/"


def _version(world: World) -> str:
    return str(sample_case(world, "b1").version)


def _action(
    fields: Callable[[World], dict[str, str | None]],
    act: str,
    user: str = "demo-shequ",
    prepare: Callable[[World], None] | None = None,
) -> Form:
    return Form(
        user,
        case_url(f"{act}/"),
        lambda world: {"version": _version(world), **fields(world)},
        form_class=ACTIONS[act.replace("-", "_")].form,
        prepare=prepare,
    )


def _accepted(world: World) -> None:
    actions.accept_case(actor=None, case=sample_case(world, "b1"))


def _resolved(world: World) -> None:
    _accepted(world)
    actions.resolve_case(
        actor=None, case=sample_case(world, "b1"), method="on_the_spot", summary="已处理"
    )


def _dispatched(world: World) -> None:
    team = Team.objects.get(code="WY-JYLW")
    actions.assign_case(actor=None, case=sample_case(world, "b1"), team=team)


def _intake(world: World, **extra: str) -> dict[str, str]:
    return {
        "place": str(world.place("GC-JD-JYLW-B01").pk),
        "category": str(Category.objects.get(code="neighbour-leak").pk),
        "title": "楼道灯坏了",
        "description": "三楼楼道灯不亮",
        "idempotency_key": "fuzz-key-1",
        "confirm": "new",
        "photos": "",
        "browse": None,
        "add_to": None,
        **extra,
    }


def _team(world: World) -> str:
    return str(Team.objects.get(code="WY-JYLW").pk)  # the property company of 金域蓝湾


def _case_pk(world: World) -> str:
    return str(sample_case(world, "b1").pk)


def _resident(world: World) -> str:
    return str(Resident.objects.get(household__code="H-B01-101", person__code="P-WANG").pk)


INTAKE_QUERY = ("browse",)


# --- Mediation (shuren/mediation/web): the workshop's mediator on building 1's sample case.


def mediation_url(suffix: str = "") -> Url:
    return lambda world: f"/mediation/{sample_mediation(world, 'b1').pk}/{suffix}"


def _party(world: World) -> str:
    m = sample_mediation(world, "b1")
    return str(Party.objects.filter(mediation=m, role="applicant").get().pk)


def _mediation_action(key: str, fields: Callable[[World], dict[str, str | None]]) -> Form:
    spec = MEDIATION_ACTIONS[key]
    return Form(
        "demo-tiaojie",
        mediation_url(f"{spec.slug}/"),
        lambda world: {"version": str(sample_mediation(world, "b1").version), **fields(world)},
        form_class=spec.form,
    )


def _registration(world: World) -> dict[str, str | None]:
    parties: dict[str, str | None] = {}
    for n, role, name in ((1, "applicant", "王秀英"), (2, "respondent", "赵志强"), (3, "", "")):
        parties |= {
            f"p{n}_role": role,
            f"p{n}_name": name,
            f"p{n}_gender": "",
            f"p{n}_id_number": "",
            f"p{n}_phone": "",
            f"p{n}_address": "",
        }
    return {
        "idempotency_key": "fuzz-mediation-1",
        "organisation": str(Team.objects.get(code="T-SZM").pk),
        "place": str(world.place("GC-JD-JYLW").pk),
        "source": "application",
        "referrer": "",
        "dispute_type": "neighbours",
        "title": "噪音扰民纠纷",
        "summary": "楼上夜间装修噪音",
        "amount": "500",
        **parties,
    }


MEDIATION: dict[str, Page | Form | Forms | Elsewhere] = {
    "mediation/": Page("demo-tiaojie", at("/mediation/"), ("status", "page")),
    "mediation/new/": Form(
        "demo-tiaojie", at("/mediation/new/"), _registration, shown_on=at("/mediation/new/")
    ),
    "mediation/statistics/": Page("demo-jiedao", at("/mediation/statistics/"), ("month", "of")),
    "mediation/statistics/xlsx/": Page(
        "demo-jiedao", at("/mediation/statistics/xlsx/"), ("month", "of")
    ),
    "mediation/<int:pk>/": Page("demo-tiaojie", mediation_url(), ("act",)),
    "mediation/<int:pk>/papers/<int:paper_pk>/": Page(
        "demo-tiaojie",
        lambda world: (
            f"/mediation/{sample_mediation(world, 'b1').pk}/papers/"
            f"{sample_mediation(world, 'b1').pk}/"
        ),
    ),
    # The papers as PDFs: GET pages that read no parameter (building 1's sample has no
    # agreement and no visit yet: those two answer 404, the others render).
    **{
        f"mediation/<int:pk>/papers/{key}.pdf": Page(
            "demo-tiaojie", mediation_url(f"papers/{key}.pdf")
        )
        for key in ("agreement", "registration", "follow-up", "file")
    },
    "mediation/<int:pk>/reveal/": Form(
        "demo-tiaojie",
        mediation_url("reveal/"),
        lambda world: {"party": _party(world), "field": "phone", "reason": "电话通知调解时间"},
        shown_on=mediation_url(),
    ),
    "mediation/<int:pk>/add-party/": _mediation_action(
        "add_party",
        lambda world: {
            "role": "third_party",
            "name": "物业公司",
            "gender": "",
            "id_number": "",
            "phone": "",
            "address": "",
        },
    ),
    "mediation/<int:pk>/consent/": _mediation_action(
        "consent",
        lambda world: {
            "party": _party(world),
            "consent": "given",
            "asked_for": str(world.person("P-TJ").pk),
            "refused": "",
        },
    ),
    "mediation/<int:pk>/mediators/": _mediation_action(
        "choose_mediators", lambda world: {"mediators": str(world.person("P-TJ").pk)}
    ),
    "mediation/<int:pk>/session/": _mediation_action(
        "hold_session",
        lambda world: {
            "held_at": "2026-03-04T10:00",
            "venue": "调解室",
            "parties": _party(world),
            "record": "双方陈述",
            "others_present": "",
        },
    ),
    "mediation/<int:pk>/extend/": _mediation_action(
        "extend", lambda world: {"days": "5", "parties_consented": "on", "reason": "补充证据"}
    ),
    "mediation/<int:pk>/agreement/": _mediation_action(
        "issue_agreement",
        lambda world: {
            "form": "written",
            "facts": "渗水",
            "points_in_dispute": "费用",
            "responsibilities": "楼上",
            "agreed_content": "赔偿",
            "performance_manner": "现金",
            "performance_place": "工作室",
            "performance_deadline": "2026-03-20",
        },
    ),
    "mediation/<int:pk>/close/": _mediation_action(
        "close",
        lambda world: {"outcome": "failed", "note": "分歧大", "routes_told": "litigation"},
    ),
    "mediation/<int:pk>/confirmation/": _mediation_action(
        "record_confirmation", lambda world: {"confirmation": "applied", "note": ""}
    ),
    "mediation/<int:pk>/follow-up/": _mediation_action(
        "follow_up",
        lambda world: {
            "performance": "full",
            "satisfaction": "satisfied",
            "recurred": "",
            "measures": "",
            "visited_on": "2026-03-25",
        },
    ),
    "mediation/<int:pk>/risk/": _mediation_action(
        "mark_risk", lambda world: {"note": "扬言报复", "police_informed": "on"}
    ),
    "mediation/<int:pk>/paper/": _mediation_action(
        "add_document",
        lambda world: {"kind": "evidence", "title": "现场照片", "file": "", "note": "纸质"},
    ),
    "mediation/<int:pk>/prevention/": _mediation_action(
        "record_prevention", lambda world: {"criminal_persons": "1", "petition_persons": "0"}
    ),
    "mediation/<int:pk>/archive/": _mediation_action("archive", lambda world: {}),
}


# --- Owners' votes (shuren/deliberation/web): building 1's sample vote, announced (it opens in
# 16 days): its organiser (demo-shequ) and its elector (demo-resident, 1栋101).
def vote_url(suffix: str = "") -> Url:
    return lambda world: f"/deliberation/votes/{sample_vote(world, 'b1').pk}/{suffix}"


def _call_vote(world: World) -> dict[str, str | None]:
    return {
        "place": str(world.place("GC-JD-JYLW-B01").pk),
        "matter": "4",
        "title": "续聘物业服务企业",
        "description": "",
        "opens_at": "2099-03-20T09:00",
        "closes_at": "2099-03-27T18:00",
    }


VOTES: dict[str, Page | Form | Forms | Elsewhere] = {
    "deliberation/votes/": Page("demo-shequ", at("/deliberation/votes/"), ("page",)),
    "deliberation/votes/new/": Form(
        "demo-shequ",
        at("/deliberation/votes/new/"),
        _call_vote,
        shown_on=at("/deliberation/votes/new/"),
    ),
    "deliberation/votes/<int:pk>/": Page("demo-shequ", vote_url()),
    "deliberation/votes/<int:pk>/ballot/": Form(
        "demo-resident",
        vote_url("ballot/"),
        lambda world: {"choice": "agree", "confirm": "on", "version": "1", "owner": ""},
        form_class=BallotForm,
    ),
    "deliberation/votes/<int:pk>/enter/": Form(
        "demo-shequ",
        vote_url("enter/"),
        lambda world: {
            "origin": "paper",
            "owner": f"p{world.person('P-WANG').pk}",
            "signer": "",
            "owner_name": "",
            "choice": "agree",
            "proxy_name": "",
            "paper": "",
            "authorisation": "",
        },
        form_class=EnterBallotForm,
    ),
    "deliberation/votes/<int:pk>/close/": Form(
        "demo-shequ", vote_url("close/"), lambda world: {"version": "1"}, form_class=VersionForm
    ),
    "deliberation/votes/<int:pk>/recount/": Forms(
        (
            Form(
                "demo-shequ",
                vote_url("recount/"),
                lambda world: {
                    "version": "1",
                    "ballot": "1",
                    "correction": "agree",
                    "reason": "核对",
                },
                form_class=RecountForm,
            ),
            Form(
                "demo-shequ",
                vote_url("recount/"),
                lambda world: {
                    "kind": "add",
                    "version": "1",
                    "origin": "paper",
                    "owner": f"p{world.person('P-WANG').pk}",
                    "signer": "",
                    "owner_name": "",
                    "choice": "agree",
                    "proxy_name": "",
                    "paper": "",
                    "authorisation": "",
                    "received_at": "2026-03-20T09:00",
                    "reason": "投票箱漏录一张",
                },
                form_class=RecountAddForm,
            ),
        )
    ),
    "deliberation/votes/<int:pk>/cancel/": Form(
        "demo-shequ",
        vote_url("cancel/"),
        lambda world: {"version": "1", "reason": "方案需重新论证"},
        shown_on=vote_url(),
        form_class=CancelForm,
    ),
    "deliberation/votes/<int:pk>/result/": Page("demo-resident", vote_url("result/")),
    "deliberation/votes/<int:pk>/notice.pdf": Page("demo-shequ", vote_url("notice.pdf")),
    "deliberation/votes/<int:pk>/papers/<int:paper_pk>/": Page(
        "demo-shequ", lambda world: f"{vote_url()(world)}papers/{sample_vote(world, 'b1').pk}/"
    ),
}

# --- Meetings (shuren/deliberation/web): building 1's sample meeting, under way now, organised
# by demo-shequ, 王秀英 (demo-resident) and the property company (demo-wuye) invited.


def meeting_url(suffix: str = "") -> Url:
    return lambda world: f"/deliberation/meetings/{sample_meeting(world, 'b1').pk}/{suffix}"


def _meeting_version(world: World) -> str:
    return str(sample_meeting(world, "b1").version)


def _code(world: World) -> str:
    return sample_meeting(world, "b1").checkin_code


def _minutes_to_approve(world: World) -> None:
    m = sample_meeting(world, "b1")
    deliberation.check_in(actor=world.user("demo-resident"), meeting=m, code=m.checkin_code)
    deliberation.draft_minutes(actor=None, meeting=m, text="样本纪要")


def _item(world: World) -> None:
    deliberation.record_decision(
        actor=None,
        meeting=sample_meeting(world, "b1"),
        text="样本决定",
        owner_team=Team.objects.get(code="WY-JYLW"),
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )


def _item_fields(world: World, **extra: str) -> dict[str, str | None]:
    d = Decision.objects.filter(meeting=sample_meeting(world, "b1")).first()
    return {
        "version": str(d.version if d else 1),
        "decision": str(d.pk if d else 0),
        **extra,
    }


def _new_meeting(world: World) -> dict[str, str | None]:
    return {
        "place": str(world.place("GC-JD-JYLW").pk),
        "token": "fuzz-meeting-1",
        "kind": "joint",
        "title": "停车联席会议",
        "starts_at": "2031-03-04T19:30",
        "ends_at": "2031-03-04T21:00",
        "venue": "社区会议室",
        "purpose": "",
        "persons": str(world.person("P-LZ1").pk),
        "teams": str(Team.objects.get(code="WY-JYLW").pk),
        "secretary": "",
        "agenda": "车位划线",
    }


MEETINGS: dict[str, Page | Form | Forms | Elsewhere] = {
    "deliberation/votes/<int:pk>/": Page(
        "demo-shequ",
        lambda world: f"/deliberation/votes/{sample_vote(world, 'b1').pk}/",
    ),
    "deliberation/meetings/": Page("demo-shequ", at("/deliberation/meetings/"), ("page",)),
    "deliberation/meetings/new/": Form(
        "demo-shequ",
        at("/deliberation/meetings/new/"),
        _new_meeting,
        shown_on=lambda world: f"/deliberation/meetings/new/?place={world.place('GC-JD-JYLW').pk}",
        query=("place",),
    ),
    "deliberation/meetings/check-in/": Form(
        "demo-resident",
        at("/deliberation/meetings/check-in/"),
        lambda world: {"code": _code(world)},
        shown_on=at("/deliberation/meetings/check-in/"),
    ),
    "deliberation/meetings/<int:pk>/": Page("demo-shequ", meeting_url(), ("act",)),
    "deliberation/meetings/<int:pk>/check-in/": Form(
        "demo-resident",
        meeting_url("check-in/"),
        lambda world: {"version": _meeting_version(world), "code": _code(world)},
        shown_on=meeting_url("check-in/"),
        query=("code",),
    ),
    "deliberation/meetings/<int:pk>/attendance/": Form(
        "demo-shequ",
        meeting_url("attendance/"),
        lambda world: {
            "version": _meeting_version(world),
            "person": str(world.person("P-WANG").pk),
        },
        shown_on=meeting_url(),
    ),
    "deliberation/meetings/<int:pk>/agenda/": Form(
        "demo-shequ",
        meeting_url("agenda/"),
        lambda world: {
            "version": _meeting_version(world),
            "title": "车位划线",
            "notes": "",
            "cases": "",
        },
        shown_on=meeting_url(),
    ),
    "deliberation/meetings/<int:pk>/minutes/": Form(
        "demo-shequ",
        meeting_url("minutes/"),
        lambda world: {"version": _meeting_version(world), "text": "一、车位划线。"},
        shown_on=meeting_url(),
    ),
    "deliberation/meetings/<int:pk>/approve/": Form(
        "demo-resident",
        meeting_url("approve/"),
        lambda world: {"version": _meeting_version(world), "revision": "1"},
        form_class=MEETING_ACTIONS["approve_minutes"].form,
        prepare=_minutes_to_approve,
    ),
    "deliberation/meetings/<int:pk>/decision/": Form(
        "demo-shequ",
        meeting_url("decision/"),
        lambda world: {
            "version": _meeting_version(world),
            "text": "物业两周内划线",
            "owner": f"t{Team.objects.get(code='WY-JYLW').pk}",
            "due_on": f"{timezone.localdate() + dt.timedelta(days=14):%Y-%m-%d}",
            "agenda_item": "",
            "settles": "",
        },
        shown_on=meeting_url(),
    ),
    "deliberation/meetings/<int:pk>/cancel/": Form(
        "demo-shequ",
        meeting_url("cancel/"),
        lambda world: {"version": _meeting_version(world), "reason": "台风"},
        form_class=MEETING_ACTIONS["cancel_meeting"].form,
    ),
    "deliberation/meetings/<int:pk>/done/": Form(
        "demo-wuye",
        meeting_url("done/"),
        lambda world: _item_fields(world, note="已划线"),
        form_class=MEETING_ACTIONS["complete_decision"].form,
        prepare=_item,
    ),
    "deliberation/meetings/<int:pk>/drop/": Form(
        "demo-shequ",
        meeting_url("drop/"),
        lambda world: _item_fields(world, reason="不再需要"),
        form_class=MEETING_ACTIONS["cancel_decision"].form,
        prepare=_item,
    ),
}


OPEN311 = Elsewhere("shuren/api/tests/test_open311_hostile.py: every POST field and filter")

REGISTRY: dict[str, Page | Form | Forms | Elsewhere] = {
    "": Page("demo-shequ", at("/")),
    "buildings/": Page("demo-louzhang", at("/buildings/"), ("q", "page", "shops")),
    "accounts/login/": Form(
        None,
        at("/accounts/login/"),
        lambda world: {"username": "demo-resident", "password": "not-the-password"},
        shown_on=at("/accounts/login/"),
        query=("next",),
    ),
    "accounts/logout/": Form("demo-shequ", at("/accounts/logout/"), lambda world: {}),
    "accounts/prefs/elder/": Form(
        "demo-shequ",
        at("/accounts/prefs/elder/"),
        lambda world: {"next": "/", "on": "1"},
        shown_on=at("/"),
    ),
    "accounts/prefs/language/": Form(
        "demo-shequ",
        at("/accounts/prefs/language/"),
        lambda world: {"next": "/", "language": "zh-hans"},
        shown_on=at("/"),
    ),
    "accounts/me/": Forms(
        (
            Form(
                "demo-resident",
                at("/accounts/me/"),
                lambda world: {"form": "consent", "leader_sees_phone": "on"},
                shown_on=at("/accounts/me/"),
            ),
            Form(
                "demo-louzhang",
                at("/accounts/me/"),
                lambda world: {"form": "published", "published_phone": "13800138000"},
                shown_on=at("/accounts/me/"),
            ),
        )
    ),
    "accounts/password/": Form(
        "demo-resident",
        at("/accounts/password/"),
        lambda world: {
            "current": PASSWORD,
            "password": "New-pass-2026!x",
            "again": "New-pass-2026!x",
        },
        shown_on=at("/accounts/password/"),
    ),
    "me/data/": Form("demo-resident", at("/me/data/"), lambda world: {}),
    "people/<int:pk>/anonymise/": Form(
        "demo-shequ",
        lambda world: f"/people/{world.person('P-WANG').pk}/anonymise/",
        lambda world: {"reason": "本人到社区提出书面申请", "confirm": "yes"},
        shown_on=lambda world: f"/people/{world.person('P-WANG').pk}/",
    ),
    "audit/": Page(
        "demo-auditor", at("/audit/"), ("kind", "user", "date_from", "date_to", "q", "before")
    ),
    "audit/export/": Page(
        "demo-auditor", at("/audit/export/"), ("kind", "user", "date_from", "date_to", "q")
    ),
    "places/<int:pk>/": Page(
        "demo-shequ",
        lambda world: f"/places/{world.place('GC-JD-JYLW').pk}/",
        ("page", "shops"),
    ),
    "places/households/<int:pk>/": Page(
        "demo-shequ", lambda world: f"/places/households/{world.household('H-B01-101').pk}/"
    ),
    "places/residents/<int:pk>/phone/": Form(
        "demo-louzhang",
        lambda world: f"/places/residents/{_resident(world)}/phone/",
        lambda world: {},
    ),
    "places/excel/template/": Page("demo-shequ", at("/places/excel/template/")),
    # The work report, its downloads and the scorecard (insights/web/report_views.py,
    # scorecard_views.py): GET pages whose every parameter is fuzzed.
    "insights/report/": Page("demo-shequ", at("/insights/report/"), ("place", "start", "end")),
    "insights/report/pdf/": Page(
        "demo-shequ", at("/insights/report/pdf/"), ("place", "start", "end")
    ),
    "insights/report/xlsx/": Page(
        "demo-shequ", at("/insights/report/xlsx/"), ("place", "start", "end")
    ),
    "insights/scorecard/": Page("demo-jiedao", at("/insights/scorecard/"), ("place",)),
    "places/excel/import/": Form(
        "demo-shequ",
        at("/places/excel/import/"),
        lambda world: {"file": "", "dry_run": "on"},
        shown_on=at("/places/excel/import/"),
    ),
    "places/excel/export/": Form(
        "demo-shequ",
        at("/places/excel/export/"),
        lambda world: {"root": "GC-JD-JYLW-B01", "unmask": "", "reason": ""},
        shown_on=at("/places/excel/export/"),
    ),
    "people/<int:pk>/": Page("demo-shequ", lambda world: f"/people/{world.person('P-WANG').pk}/"),
    "people/<int:pk>/reveal/": Form(
        "demo-shequ",
        lambda world: f"/people/{world.person('P-WANG').pk}/reveal/",
        lambda world: {"field": "phone", "reason": "核实住户联系方式"},
        shown_on=lambda world: f"/people/{world.person('P-WANG').pk}/",
    ),
    "access/log/": Page(
        "demo-auditor", at("/access/log/"), ("username", "date_from", "date_to", "page")
    ),
    "cases/report/": Form(
        "demo-resident",
        at("/cases/report/"),
        _intake,
        shown_on=at("/cases/report/"),
        query=INTAKE_QUERY,
    ),
    "cases/report/duplicates/": Page(
        "demo-resident",
        at("/cases/report/duplicates/"),
        ("title", "place", "category", "description"),
    ),
    "cases/quick/": Form(
        "demo-louzhang",
        at("/cases/quick/"),
        lambda world: _intake(
            world,
            channel="reception_day",
            reporter="self",
            contact_name="王阿姨",
            contact_phone="13800138000",
            risk="low",
        ),
        shown_on=at("/cases/quick/"),
        query=INTAKE_QUERY,
        # The fields every intake shares are the resident's form's (IntakeForm), fuzzed there.
        fuzz=("channel", "reporter", "contact_name", "contact_phone", "risk"),
    ),
    "cases/staff/": Form(
        "demo-shequ",
        at("/cases/staff/"),
        lambda world: _intake(
            world,
            channel="phone",
            reporter="self",
            contact_name="王阿姨",
            contact_phone="13800138000",
            risk="low",
            applicants="王阿姨",
            respondents="李先生",
        ),
        shown_on=at("/cases/staff/"),
        query=INTAKE_QUERY,
        fuzz=("applicants", "respondents", "risk"),
    ),
    "cases/": Page(
        "demo-shequ",
        at("/cases/"),
        ("q", "status", "category", "tier", "overdue", "assigned", "sort", "page"),
    ),
    "cases/dispatch/": Form(
        "demo-shequ",
        at("/cases/dispatch/"),
        lambda world: {
            "pick": f"{_case_pk(world)}:{_version(world)}",
            "team": _team(world),
            "next": "/cases/",
        },
        shown_on=at("/cases/?assigned=no"),
    ),
    "cases/<int:pk>/": Page("demo-shequ", case_url(), ("act",)),
    "cases/<int:pk>/photos/<int:photo_pk>/": Page(
        "demo-shequ", lambda world: f"/cases/{_case_pk(world)}/photos/{_case_pk(world)}/"
    ),
    "cases/<int:pk>/accept/": _action(lambda world: {"note": "已受理"}, "accept", "demo-louzhang"),
    "cases/<int:pk>/assign/": _action(
        lambda world: {"person": "", "team": _team(world), "note": "请物业处理"}, "assign"
    ),
    "cases/<int:pk>/note/": _action(lambda world: {"note": "电话联系了住户", "photos": ""}, "note"),
    "cases/<int:pk>/escalate/": _action(
        lambda world: {"reason": "需社区协调", "to_tier": "3", "referred_to": ""},
        "escalate",
        "demo-louzhang",
    ),
    "cases/<int:pk>/return/": _action(
        lambda world: {"reason": "不归我管"}, "return", "demo-wuye", _dispatched
    ),
    "cases/<int:pk>/resolve/": _action(
        lambda world: {"method": "on_the_spot", "summary": "已当场处理", "photos": ""},
        "resolve",
        "demo-louzhang",
        _accepted,
    ),
    "cases/<int:pk>/follow-up/": _action(
        lambda world: {"satisfied": "yes", "note": "满意"}, "follow-up", "demo-resident", _resolved
    ),
    "cases/<int:pk>/rate-on-behalf/": _action(
        lambda world: {"satisfied": "yes", "via": "phone", "note": "电话回访"},
        "rate-on-behalf",
        "demo-louzhang",
        _resolved,
    ),
    "cases/<int:pk>/close/": _action(lambda world: {"note": "结案"}, "close", prepare=_resolved),
    "cases/<int:pk>/merge/": _action(
        lambda world: {"into": sample_case(world, "b2").number, "reason": "重复"}, "merge"
    ),
    "cases/<int:pk>/reject/": _action(lambda world: {"reason": "不属于社区事务"}, "reject"),
    "cases/<int:pk>/reveal-phone/": Form(
        "demo-shequ",
        case_url("reveal-phone/"),
        lambda world: {"reason": "联系反映人核实情况"},
        form_class=RevealPhoneForm,
    ),
    "insights/register/": Form(
        "demo-shequ",
        at("/insights/register/"),
        lambda world: {
            "place": str(world.place("GC-JD").pk),
            "start": "2026-03-01",
            "end": "2026-03-31",
            "unmask": "",
            "reason": "",
        },
        shown_on=at("/insights/register/"),
    ),
    "insights/register/files/": Page("demo-shequ", at("/insights/register/files/")),
    "insights/register/files/<int:pk>/download/": Page(
        "demo-louzhang",
        lambda world: f"/insights/register/files/{sample_export(world, 'b1').pk}/download/",
    ),
    "notifications/": Page("demo-louzhang", at("/notifications/"), ("unread", "page")),
    "notifications/<int:pk>/": Page(
        "demo-louzhang", lambda world: f"/notifications/{_note(world)}/"
    ),
    "notifications/read/": Form(
        "demo-louzhang",
        at("/notifications/read/"),
        lambda world: {"id": str(_note(world)), "next": "/notifications/"},
        shown_on=lambda world: f"/notifications/?unread={_note(world) and 1}",
    ),
    "notifications/settings/": Form(
        "demo-louzhang",
        at("/notifications/settings/"),
        lambda world: {
            "by_email": "",
            "wecom_mention": "on",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
            "muted": None,
            "version": "",
        },
        shown_on=at("/notifications/settings/"),
    ),
    "notifications/teams/<int:pk>/robot/": Form(
        "demo-shequ",
        _robot_url,
        lambda world: {
            "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-0123",
            "enabled": "on",
            "disconnect": None,
            "version": "",
        },
        shown_on=_robot_url,
    ),
    "insights/alerts/": Page("demo-shequ", at("/insights/alerts/"), ("level", "status", "page")),
    "insights/alerts/<int:pk>/": Page("demo-shequ", alert_url()),
    "insights/alerts/<int:pk>/acknowledge/": Form(
        "demo-shequ",
        alert_url("acknowledge/"),
        lambda world: {"version": "1"},
        form_class=AcknowledgeForm,
    ),
    "insights/alerts/<int:pk>/close/": Form(
        "demo-shequ",
        alert_url("close/"),
        lambda world: {"version": "1", "note": "已上门核实"},
        shown_on=alert_url(),
        form_class=CloseForm,
    ),
    "insights/": Page("demo-jiedao", at("/insights/"), ("place", "start", "end")),
    "insights/records/": Page(
        "demo-jiedao",
        at("/insights/records/"),
        ("place", "start", "end", "counter", "category", "month", "page"),
    ),
    # The admin's forms are Django's ModelForms, each field validated by its model field; its
    # changelists' search and page parameters are fuzzed here.
    "admin/": Page("demo-admin", at("/admin/places/place/"), ("q", "p", "o", "kind")),
    # Open311's routes are fuzzed by their own module, with every field and filter of the
    # standard (api/tests/test_open311_hostile.py).
    "open311/v2/": OPEN311,
    "open311/v2/^discovery\\.(?P<fmt>json|xml)$": OPEN311,
    "open311/v2/^requests/(?P<number>[-\\w]{1,40})\\.(?P<fmt>json|xml)$": OPEN311,
    "open311/v2/^requests\\.(?P<fmt>json|xml)$": OPEN311,
    "open311/v2/^services/(?P<code>[-\\w]{1,40})\\.(?P<fmt>json|xml)$": OPEN311,
    "open311/v2/^services\\.(?P<fmt>json|xml)$": OPEN311,
    "open311/v2/^tokens/(?P<value>[-\\w]{1,40})\\.(?P<fmt>json|xml)$": OPEN311,
    **MEDIATION,
    **hostile_elevators.entries(Page, Form, at),
    **VOTES,
    **MEETINGS,
}


def _note(world: World) -> int:
    """A notification of demo-louzhang's: the sample matters' reports, delivered."""
    user = world.user("demo-louzhang")
    if not Notification.objects.filter(recipient=user).exists():
        deliver()
    note = Notification.objects.filter(recipient=user).order_by("pk").first()
    assert note is not None, "demo-louzhang was told of no sample matter"
    return note.pk


def _is_api(route: str) -> bool:
    return route.startswith("api/")


def test_every_page_is_in_the_fuzz():
    routes = [r for r in site_routes() if not _is_api(r)]  # the API: test_hostile_api.py
    missing = [r for r in routes if r not in REGISTRY]
    assert not missing, f"URL patterns the fuzz does not send hostile values to: {missing}"
    stale = [r for r in REGISTRY if r not in routes]
    assert not stale, f"fuzz entries for URLs that no longer exist: {stale}"


def _forms(entry: Page | Form | Forms | Elsewhere) -> list[Form]:
    if isinstance(entry, Form):
        return [entry]
    return list(entry.forms) if isinstance(entry, Forms) else []


class _FormFields(HTMLParser):
    """The names of the fields of each <form method=post>, by the path it posts to."""

    def __init__(self, here: str) -> None:
        super().__init__()
        self.here = here
        self.current: str | None = None
        self.fields: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            action = values.get("action") or values.get("hx-post") or self.here
            self.current = urlsplit(action).path
            self.fields.setdefault(self.current, set())
        elif (
            tag in ("input", "select", "textarea", "button") and self.current and values.get("name")
        ):
            self.fields[self.current].add(values["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def _client(world: World, user: str | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(world.user(user))
    return client


SHOWN = [(route, i) for route, e in REGISTRY.items() for i, f in enumerate(_forms(e)) if f.shown_on]
CLASSES = [
    (route, i) for route, e in REGISTRY.items() for i, f in enumerate(_forms(e)) if f.form_class
]


def test_every_form_is_checked_for_its_fields():
    unchecked = [
        route
        for route, entry in REGISTRY.items()
        for form in _forms(entry)
        if form.shown_on is None and form.form_class is None and form.fields(World()) != {}
    ]
    assert not unchecked, f"forms whose field list nothing checks: {unchecked}"


@pytest.mark.parametrize(("route", "index"), SHOWN)
def test_the_fuzz_knows_every_field_of_each_form(sample_objects, world, route, index):
    form = _forms(REGISTRY[route])[index]
    assert form.shown_on is not None
    client = _client(world, form.user)
    page = form.shown_on(world)
    response = client.get(page)
    assert response.status_code == 200, (route, response.status_code)
    parser = _FormFields(urlsplit(page).path)
    parser.feed(response.content.decode())
    target = urlsplit(form.url(world)).path
    assert target in parser.fields, f"{page} shows no form posting to {target}"
    # Several forms may post to one address (told apart by a field): the fuzz sends them all.
    known = {name for other in _forms(REGISTRY[route]) for name in other.fields(world)}
    unknown = parser.fields[target] - known - {"csrfmiddlewaretoken"}
    assert not unknown, f"fields of {route} the fuzz does not send: {sorted(unknown)}"


@pytest.mark.parametrize(("route", "index"), CLASSES)
def test_the_fuzz_knows_every_field_of_each_form_class(sample_objects, world, route, index):
    form = _forms(REGISTRY[route])[index]
    unknown = set(form.form_class.base_fields) - set(form.fields(world))
    assert not unknown, f"fields of {route} the fuzz does not send: {sorted(unknown)}"


def _answer(client: Client, method: str, url: str, data: Any) -> tuple[int, list[str]]:
    """Send one request in a savepoint rolled back after it: its status, and the tables it
    changed the row count of."""
    with transaction.atomic():
        before = row_counts()
        response = client.post(url, data) if method == "post" else client.get(url, data)
        changed = grown(before, row_counts())
        transaction.set_rollback(True)
    return response.status_code, changed


REFUSED = re.compile(r"^4\d\d$")


def _check(route: str, what: str, status: int, changed: list[str], baseline: int) -> None:
    assert status < 500, f"{route} {what}: {status}"
    if REFUSED.match(str(status)) or (status == 200 and baseline != 200):
        assert not changed, f"{route} {what} was refused ({status}) but wrote rows: {changed}"


def _id_paths(url: str) -> list[str]:
    """The address with each of its ids in turn made huge and made zero."""
    ids = list(re.finditer(r"/(\d+)/", url))
    out = []
    for match in ids:
        for value in ("99999999999999999999", "0"):
            out.append(url[: match.start(1)] + value + url[match.end(1) :])
    return out


FUZZED = [r for r in REGISTRY if not isinstance(REGISTRY[r], Elsewhere)]


@pytest.fixture(autouse=True)
def _quick_password_checks(settings):
    """The login form is fuzzed too: a wrong password is found wrong without Argon2's cost (the
    stored hashes are Argon2's, which this list does not know, so every check fails at once)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("route", FUZZED)
def test_hostile_values_are_refused_cleanly(sample_objects, world, route):
    entry = REGISTRY[route]
    pages = [entry] if isinstance(entry, Page) else []
    for page in [*pages, *_forms(entry)]:
        client = _client(world, page.user)
        url = page.url(world)
        # Every query parameter it reads (and one it does not) hostile at once: a page's
        # parameters are read each on its own, so one refused does not hide another.
        for what, value in TEXT_VALUES.items():
            if what == "long":
                continue  # a request line of a megabyte: the web server refuses it first
            query = dict.fromkeys((*page.query, "unknown"), value)
            status, changed = _answer(client, "get", url, query)
            _check(route, f"GET {sorted(query)}={what}", status, changed, 200)
        for wrong in _id_paths(url):
            status, _changed = _answer(client, "get", wrong, {})
            assert status < 500, f"GET {wrong}: {status}"
    for form in _forms(entry):
        if form.prepare is not None:
            form.prepare(world)
        client = _client(world, form.user)
        url = form.url(world)
        valid = _valid(form, world)
        baseline, _changed = _answer(client, "post", url, valid)
        # The valid form reaches the view's checks: a 403 or 404 here would leave them unfuzzed.
        assert baseline not in (403, 404, 405), (route, baseline)
        fields = form.fields(world)
        for name in sorted(form.fuzz or fields):
            for what, value in values_for(fields[name]).items():
                status, changed = _answer(client, "post", url, {**valid, name: value})
                _check(route, f"POST {name}={what}", status, changed, baseline)
        # Once per form: ten megabytes in its first field, a NUL in a field it does not have.
        for name, value in ((next(iter(fields), "unknown"), TEN_MB), ("unknown", "\x00")):
            status, changed = _answer(client, "post", url, {**valid, name: value})
            _check(route, f"POST {name}=ten_mb", status, changed, baseline)
        for wrong in _id_paths(url):
            status, _changed = _answer(client, "post", wrong, valid)
            assert status < 500, f"POST {wrong}: {status}"


def test_a_nul_in_a_note_is_a_message_on_the_form_not_a_500(sample_objects, world):
    """Found by hand on PostgreSQL: a NUL in a note crashed the write."""
    client = _client(world, "demo-shequ")
    case = sample_case(world, "b1")
    response = client.post(
        f"/cases/{case.pk}/note/", {"version": str(case.version), "note": "电话\x00联系"}
    )
    assert response.status_code == 422
    assert "控制字符" in response.content.decode()
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_title_of_only_invisible_characters_is_required_text(sample_objects, world):
    client = _client(world, "demo-resident")
    before = Case.objects.count()
    valid = {k: v for k, v in _intake(world, title="\u200b\u200d").items() if v is not None}
    response = client.post("/cases/report/", valid)
    assert response.status_code == 200  # the form again, with its message
    assert "请用一句话说说是什么事" in response.content.decode()
    assert Case.objects.count() == before


def test_resolve_finds_every_fuzzed_address(sample_objects, world):
    """The registry's addresses are the site's: each resolves to the route it is filed under."""
    for route in FUZZED:
        entry = REGISTRY[route]
        for item in [entry] if isinstance(entry, Page) else _forms(entry):
            path = urlsplit(item.url(world)).path
            assert resolve(path).route.startswith(route.rstrip("/")) or route == "admin/", path


def test_a_megabyte_of_username_is_a_form_error_not_a_500(world, client):
    """Found by the fuzz on PostgreSQL: AuthenticationForm sets the username's max_length after
    making the field, so nothing checked it, and django-axes's 255-character column refused the
    failed login's record."""
    response = client.post(
        "/accounts/login/", {"username": "长" * 300_000, "password": "not-the-password"}
    )
    assert response.status_code == 200  # the form again, with its message
    assert "errorlist" in response.content.decode() or "field-error" in response.content.decode()


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_form_of_the_pages_is_an_inputs_form():
    """The rule of shuren/text.py reaches every form through one base class. The admin's forms
    are Django's ModelForms, validated by each model field (and NUL stopped by web/guard.py)."""
    from django import forms
    from django.urls import get_resolver

    from shuren.accounts.forms import LoginForm
    from shuren.text import InputsForm

    get_resolver().url_patterns  # noqa: B018 - loads every view module, and so every form
    ours = {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("shuren.")
        and not form.__module__.endswith(".admin")
        and ".tests" not in form.__module__
        and form is not InputsForm
    }
    assert len(ours) >= 15, sorted(f.__qualname__ for f in ours)  # every view module loaded
    # AuthenticationForm is the login's base; LoginForm hardens its username in __init__.
    others = {f.__qualname__ for f in ours if not issubclass(f, InputsForm)} - {LoginForm.__name__}
    assert others == set()
