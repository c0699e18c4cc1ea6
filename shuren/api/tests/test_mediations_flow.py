"""The mediators' API, the whole way: a dispute registered, both parties' consent, the mediators,
a session, the agreement, a follow-up visit, and the archive refused while a paper is missing,
named in Chinese; a retried registration is the first case; no phone or ID number ever leaves
the server unmasked."""

from __future__ import annotations

import json
import re

import pytest

from shuren.mediation import actions
from shuren.mediation.choices import DocumentKind
from shuren.mediation.models import IdempotencyKey, Mediation, MediationEvent

pytestmark = pytest.mark.django_db

APPLICANT_PHONE, APPLICANT_ID = "13812345678", "440602195803031231"
RESPONDENT_PHONE = "13711112222"
# A full mainland mobile or resident ID number anywhere in an answer.
UNMASKED = re.compile(r"(?<![0-9])(1[3-9][0-9]{9}|[0-9]{17}[0-9Xx])(?![0-9])")


@pytest.fixture
def tiaojie(token_for):
    return token_for("demo-tiaojie")


@pytest.fixture
def registration(world):
    return {
        "organisation": world_team_pk(),
        "place": world.place("GC-JD-JYLW-B01").pk,
        "source": "application",
        "dispute_type": "neighbours",
        "title": "楼上漏水纠纷",
        "summary": f"101室天花板渗水，王秀英（电话{APPLICANT_PHONE}）申请调解。",
        "amount": "3200.00",
        "parties": [
            {
                "role": "applicant",
                "name": "王秀英",
                "phone": APPLICANT_PHONE,
                "id_number": APPLICANT_ID,
                "address": "金域蓝湾1栋101",
            },
            {"role": "respondent", "name": "陈美玲", "phone": RESPONDENT_PHONE},
        ],
    }


def world_team_pk() -> int:
    from shuren.people.models import Team

    return Team.objects.get(code="T-SZM").pk


@pytest.fixture
def post(client, tiaojie):
    """POST JSON as the workshop's mediator; the answer's JSON is scanned for unmasked data."""

    def _post(path: str, body: dict, **headers: str):
        response = client.post(
            f"/api/v1{path}", body, content_type="application/json", headers={**tiaojie, **headers}
        )
        assert not UNMASKED.search(response.content.decode()), response.content.decode()
        return response

    return _post


def act(post, m: dict, action: str, **body):
    """An action on the case as last read, sending its version; the new detail."""
    response = post(f"/mediations/{m['id']}/{action}", {"version": m["version"], **body})
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_dispute_runs_from_registration_to_the_file_through_the_api(
    post, client, tiaojie, registration, world
):
    response = post("/mediations", registration)
    assert response.status_code == 201
    m = response.json()
    assert (m["number"], m["status"], m["days_left"] is not None) == (
        "T-SZM-" + m["registered_on"][:4] + "-0001",
        "registered",
        True,
    )
    assert m["amount"] == "3200.00"
    assert [p["role"] for p in m["parties"]] == ["applicant", "respondent"]
    assert "consent" in m["actions"]
    assert "agreement" not in m["actions"]
    applicant, respondent = m["parties"]
    assert applicant["phone"] == "138****5678"
    assert applicant["id_number"] == "4406**********1231"
    assert applicant["has_address"] is True
    assert respondent["has_address"] is False

    m = act(post, m, "consent", party=applicant["id"], consent="given")
    m = act(post, m, "consent", party=respondent["id"], consent="given")
    assert [p["consent"] for p in m["parties"]] == ["given", "given"]
    tiaojie_person = world.person("P-TJ")
    m = act(post, m, "mediators", mediators=[tiaojie_person.pk])
    assert m["mediators"] == [{"id": tiaojie_person.pk, "name": "苏调解"}]
    m = act(
        post,
        m,
        "session",
        held_at="2026-03-05T10:00:00+08:00",
        venue="尖东社区调解室",
        parties=[applicant["id"], respondent["id"]],
        record="双方陈述了事实，同意由301室承担大部分费用。",
    )
    assert m["status"] == "mediating"
    assert m["sessions"][0]["parties"] == [applicant["id"], respondent["id"]]
    m = act(
        post,
        m,
        "agreement",
        form="written",
        facts="2026年2月起301室卫生间漏水至101室天花板。",
        points_in_dispute="维修费用由谁承担。",
        responsibilities="301室防水层老化，应承担主要责任。",
        agreed_content="301室承担维修费用3200元中的2800元。",
        performance_manner="微信转账",
        performance_place="尖东社区调解室",
        performance_deadline="2099-03-20",
    )
    assert (m["status"], m["outcome"], m["agreement"]["form"]) == ("agreed", "agreed", "written")
    assert m["agreement"]["number"].startswith("T-SZM-")
    assert m["agreement"]["confirmation"] == "not_sought"
    assert m["agreement"]["confirmation_deadline"] is not None
    assert m["days_left"] is None  # ended: the time limit no longer runs
    m = act(post, m, "follow-up", performance="full", satisfaction="satisfied")
    assert m["follow_ups"][0]["performance"] == "full"

    # The signed scan is a paper the page uploads: archiving is refused, naming it in Chinese.
    refused = client.post(
        f"/api/v1/mediations/{m['id']}/archive",
        {"version": m["version"]},
        content_type="application/json",
        headers={**tiaojie, "Accept-Language": "zh-hans"},
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["code"] == "file_incomplete"
    assert "签字" in body["errors"][0]["message"]  # 签字协议书（扫描件）
    assert "归档" in body["errors"][0]["message"]
    missing = [i["key"] for i in m["checklist"] if i["required"] and not i["present"]]
    assert missing == ["signed_agreement"]

    actions.add_document(
        actor=world.user("demo-tiaojie"),
        mediation=Mediation.objects.get(pk=m["id"]),
        kind=DocumentKind.SIGNED_AGREEMENT,
        title="签字协议书扫描件",
        note="原件存档",
    )
    detail = client.get(f"/api/v1/mediations/{m['id']}", headers=tiaojie).json()
    assert detail["papers"][0]["kind"] == "signed_agreement"
    m = act(post, detail, "archive")
    assert m["status"] == "archived"
    assert m["actions"] == []  # an archived file is closed to every action
    assert [e["kind"] for e in m["events"]][:2] == ["registered", "consent"]
    assert m["events"][-1]["kind"] == "archived"


def test_a_retried_registration_returns_the_first_case_never_a_second(post, registration):
    first = post("/mediations", registration, **{"Idempotency-Key": "reg-1"})
    again = post("/mediations", registration, **{"Idempotency-Key": "reg-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Mediation.objects.count() == 1
    assert MediationEvent.objects.filter(kind="registered").count() == 1
    assert IdempotencyKey.objects.count() == 1
    other = post(
        "/mediations", {**registration, "title": "噪音扰民"}, **{"Idempotency-Key": "reg-1"}
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Mediation.objects.count() == 1


def test_no_answer_holds_a_full_phone_or_id_number(post, client, tiaojie, registration):
    m = post("/mediations", registration).json()
    party = m["parties"][0]["id"]
    m = act(post, m, "parties", role="third_party", name="李建国", phone="13900001111")
    m = act(
        post,
        m,
        "risk",
        note=f"申请人称对方扬言报复，对方电话{RESPONDENT_PHONE}",
        police_informed=True,
    )
    m = act(post, m, "consent", party=party, consent="given")
    listed = client.get("/api/v1/mediations", headers=tiaojie)
    detail = client.get(f"/api/v1/mediations/{m['id']}", headers=tiaojie)
    for response in (listed, detail):
        text = json.dumps(response.json(), ensure_ascii=False)
        assert not UNMASKED.search(text), text
    assert detail.json()["summary"].count("138****5678") == 1
    assert "137****2222" in detail.json()["risk_note"]
    assert detail.json()["at_risk"] is True
    assert detail.json()["police_informed_at"] is not None
    assert detail.json()["parties"][2]["phone"] == "139****1111"
