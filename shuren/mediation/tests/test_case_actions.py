"""The case page's actions as a mediator posts them: each one done and said so, each refusal of
the law answered 422 with its words on the page, a stale form 409, and the matter's page showing
its mediation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuren.cases.actions import assign_case
from shuren.mediation import actions
from shuren.mediation.choices import Consent, Status
from shuren.mediation.models import Document, Mediation, Party
from shuren.mediation.rules import available_actions
from shuren.mediation.web.action_forms import ACTIONS
from shuren.testing import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediator(client, world):
    client.force_login(world.user("demo-tiaojie"))
    return client


def post(client, m, slug, **data):
    m.refresh_from_db()
    return client.post(f"/mediation/{m.pk}/{slug}/", {"version": str(m.version), **data})


def consent_all(client, m):
    for party in Party.objects.filter(mediation=m):
        assert post(client, m, "consent", party=party.pk, consent="given").status_code == 302


def mediating(client, m, world):
    consent_all(client, m)
    tj = world.person("P-TJ")
    assert post(client, m, "mediators", mediators=tj.pk).status_code == 302
    parties = list(Party.objects.filter(mediation=m).values_list("pk", flat=True))
    response = post(
        client,
        m,
        "session",
        held_at="2026-03-04T10:00",
        venue="工作室调解室",
        parties=parties,
        record="双方同意分担维修费用。",
        others_present="",
    )
    assert response.status_code == 302


def test_the_page_offers_a_form_for_each_action_the_domain_offers(mediator, register, world):
    m = register()
    text = mediator.get(m.get_absolute_url()).content.decode()
    for key in available_actions(world.user("demo-tiaojie"), m):
        assert f'action="/mediation/{m.pk}/{ACTIONS[key].slug}/"' in text


def test_the_page_knows_every_action_of_the_law():
    from shuren.mediation import law

    assert list(ACTIONS) == list(law.ACTIONS)


def test_a_written_agreement_from_consent_to_the_archived_file(mediator, register, world):
    m = register()
    mediating(mediator, m, world)
    m.refresh_from_db()
    assert m.status == Status.MEDIATING
    response = post(
        mediator,
        m,
        "agreement",
        form="written",
        facts="101室天花板渗水。",
        points_in_dispute="维修费用分担。",
        responsibilities="楼上承担主要责任。",
        agreed_content="楼上支付维修费3200元。",
        performance_manner="现金支付",
        performance_place="调解工作室",
        performance_deadline="2026-03-20",
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Status.AGREED
    assert m.agreement_number
    page = mediator.get(m.get_absolute_url()).content.decode()
    assert "调解协议已生成并编号" in page
    assert "共同申请司法确认" in page
    assert post(mediator, m, "confirmation", confirmation="applied", note="").status_code == 302
    response = post(
        mediator, m, "follow-up", performance="full", satisfaction="satisfied", measures=""
    )
    assert response.status_code == 302
    scan = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = post(
        mediator, m, "paper", kind="signed_agreement", title="签字协议书", note="", file=scan
    )
    assert response.status_code == 302
    doc = Document.objects.get(mediation=m)
    download = mediator.get(f"/mediation/{m.pk}/papers/{doc.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    assert post(mediator, m, "archive").status_code == 302
    m.refresh_from_db()
    assert m.status == Status.ARCHIVED


def test_an_agreement_without_the_art_29_items_names_them(mediator, register, world):
    m = register()
    mediating(mediator, m, world)
    response = post(mediator, m, "agreement", form="written", agreed_content="赔偿")
    assert response.status_code == 422
    text = response.content.decode()
    assert "纠纷的主要事实" in text
    assert "履行期限" in text
    m.refresh_from_db()
    assert m.status == Status.MEDIATING


def test_a_session_with_a_party_who_has_not_consented_is_refused(mediator, register, world):
    m = register()
    applicant = Party.objects.get(mediation=m, role="applicant")
    assert post(mediator, m, "consent", party=applicant.pk, consent="given").status_code == 302
    post(mediator, m, "mediators", mediators=world.person("P-TJ").pk)
    respondent = Party.objects.get(mediation=m, role="respondent")
    page = mediator.get(m.get_absolute_url()).content.decode()
    assert f'value="{respondent.pk}" id="hold_session-parties_1" disabled' in page
    response = post(
        mediator,
        m,
        "session",
        held_at="2026-03-04T10:00",
        venue="调解室",
        parties=[applicant.pk, respondent.pk],
        record="记录",
    )
    assert response.status_code == 422
    assert "陈美玲" in response.content.decode()
    assert not m.sessions.exists()


def test_a_stale_form_is_409_and_changes_nothing(mediator, register):
    m = register()
    party = Party.objects.get(mediation=m, role="applicant")
    stale = m.version
    actions.record_prevention(
        actor=None, mediation=m, criminal_persons=1, petition_persons=0
    )  # someone else acted meanwhile
    response = mediator.post(
        f"/mediation/{m.pk}/consent/",
        {"version": str(stale), "party": party.pk, "consent": "given"},
    )
    assert response.status_code == 409
    assert "别人已经改动了这件调解案件，所以这次没有保存" in response.content.decode()
    party.refresh_from_db()
    assert party.consent == Consent.PENDING


def test_an_action_the_state_does_not_allow_is_409(mediator, register):
    m = register()
    response = post(mediator, m, "follow-up", performance="full", satisfaction="satisfied")
    assert response.status_code == 409


def test_an_incomplete_form_is_422_with_the_form_open(mediator, register):
    m = register()
    response = post(mediator, m, "extend", days="", reason="")
    assert response.status_code == 422
    assert 'id="act-extend" open' in response.content.decode()


def test_extending_needs_both_parties_consent(mediator, register):
    m = register()
    response = post(mediator, m, "extend", days="10", reason="需要补充证据")
    assert response.status_code == 422
    assert "双方" in response.content.decode()
    assert (
        post(
            mediator, m, "extend", days="10", reason="需要补充证据", parties_consented="on"
        ).status_code
        == 302
    )
    m.refresh_from_db()
    assert m.extended_days == 10


def test_closing_as_failed_needs_the_routes_told(mediator, register):
    m = register()
    response = post(mediator, m, "close", outcome="failed", note="分歧太大")
    assert response.status_code == 422
    response = post(
        mediator, m, "close", outcome="failed", note="分歧太大", routes_told=["litigation"]
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Status.FAILED


def test_marking_risk_records_that_the_police_were_told(mediator, register):
    m = register()
    response = post(mediator, m, "risk", note="一方扬言报复", police_informed="on")
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.at_risk
    assert m.police_informed_at is not None


def test_adding_a_party_and_recording_prevention(mediator, register):
    m = register()
    response = post(
        mediator,
        m,
        "add-party",
        role="third_party",
        name="物业公司",
        gender="",
        id_number="",
        phone="",
        address="",
    )
    assert response.status_code == 302
    assert Party.objects.filter(mediation=m, role="third_party").exists()
    response = post(mediator, m, "prevention", criminal_persons="2", petition_persons="0")
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.prevented_criminal_persons == 2


def test_archiving_an_incomplete_file_names_what_is_missing(mediator, register):
    m = register()
    post(mediator, m, "close", outcome="withdrawn", note="申请人撤回")
    response = post(mediator, m, "archive")
    assert response.status_code == 422
    assert "归档" in response.content.decode()


def test_the_matters_page_shows_its_mediation_and_links_it_for_the_mediator(
    client, world, report, workshop
):
    case = report(title="楼上漏水，协商不成", category_code="neighbour-leak")
    case = assign_case(actor=world.user("demo-shequ"), case=case, team=workshop, note="转调解")
    deliver()
    m = Mediation.objects.get(case=case)
    client.force_login(world.user("demo-tiaojie"))
    text = client.get(f"/cases/{case.pk}/").content.decode()
    assert "调解中 · 苏志敏创熟调解工作室" in text
    assert f'href="{m.get_absolute_url()}"' in text
    client.force_login(world.user("demo-shequ"))
    text = client.get(f"/cases/{case.pk}/").content.decode()
    assert "调解中 · 苏志敏创熟调解工作室" in text
    assert m.get_absolute_url() not in text
