"""The mediation pages read as a mediator uses them: the register with its time limits, registering
a dispute (a double submit registers it once), the case page with masked parties and a logged
reveal; and everyone else meets a 404, as for a page that is not there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.access.models import AccessLog
from shuren.mediation.choices import Status
from shuren.mediation.models import Mediation, Party

pytestmark = pytest.mark.django_db

OUTSIDERS = ("demo-shequ", "demo-jiedao", "demo-resident")


@pytest.fixture
def mediator(client, world):
    client.force_login(world.user("demo-tiaojie"))
    return client


def _new_form(world, workshop, **extra):
    data = {
        "idempotency_key": "key-1",
        "organisation": str(workshop.pk),
        "place": str(world.place("GC-JD-JYLW").pk),
        "source": "application",
        "referrer": "",
        "dispute_type": "neighbours",
        "title": "噪音扰民纠纷",
        "summary": "楼上夜间装修噪音，双方多次争吵。",
        "amount": "500",
        "p1_role": "applicant",
        "p1_name": "王秀英",
        "p1_gender": "女",
        "p1_id_number": "440602195803031231",
        "p1_phone": "13812345678",
        "p1_address": "广东省佛山市南海区桂城金域蓝湾1栋101",
        "p2_role": "respondent",
        "p2_name": "赵志强",
        "p2_gender": "男",
        "p2_id_number": "",
        "p2_phone": "13622223333",
        "p2_address": "",
        "p3_role": "",
        "p3_name": "",
        "p3_gender": "",
        "p3_id_number": "",
        "p3_phone": "",
        "p3_address": "",
    }
    data.update(extra)
    return data


def test_the_register_lists_the_workshops_cases_with_the_days_left(mediator, register):
    m = register()
    today = timezone.localdate()
    page = mediator.get("/mediation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert m.number in text
    assert "楼上漏水纠纷" in text
    assert "邻里" in text
    left = (m.due_on - today).days
    if left >= 0:
        assert f"剩余 {left} 天" in text
    else:
        assert f"已超期 {-left} 天" in text


def test_a_case_past_its_time_limit_is_red_and_one_at_risk_is_flagged(mediator, register):
    registered = timezone.now() - dt.timedelta(days=40)
    m = register(at=registered)
    Mediation.objects.filter(pk=m.pk).update(at_risk=True)  # the flag, as mark_risk sets it
    text = mediator.get("/mediation/").content.decode()
    assert 'class="days-over"' in text
    assert "已超期" in text
    assert "有风险" in text


def test_the_register_filters_by_status(mediator, register):
    m = register()
    assert m.number in mediator.get("/mediation/", {"status": "open"}).content.decode()
    assert m.number not in mediator.get("/mediation/", {"status": "agreed"}).content.decode()
    # A status it does not know shows everything rather than failing.
    assert mediator.get("/mediation/", {"status": "nonsense"}).status_code == 200


@pytest.mark.parametrize("username", OUTSIDERS)
def test_who_mediates_for_no_organisation_finds_no_register(client, world, username):
    client.force_login(world.user(username))
    assert client.get("/mediation/").status_code == 404
    assert client.get("/mediation/new/").status_code == 404


def test_registering_a_dispute_opens_its_case_page(mediator, world, workshop):
    form = mediator.get("/mediation/new/")
    assert form.status_code == 200
    assert 'name="idempotency_key"' in form.content.decode()
    response = mediator.post("/mediation/new/", _new_form(world, workshop))
    m = Mediation.objects.get(title="噪音扰民纠纷")
    assert response.status_code == 302
    assert response["Location"] == m.get_absolute_url()
    assert (m.status, m.source, m.dispute_type) == (Status.REGISTERED, "application", "neighbours")
    assert sorted(m.parties.values_list("role", "name")) == [
        ("applicant", "王秀英"),
        ("respondent", "赵志强"),
    ]


def test_a_double_submit_registers_the_dispute_once(mediator, world, workshop):
    data = _new_form(world, workshop)
    first = mediator.post("/mediation/new/", data)
    second = mediator.post("/mediation/new/", data)
    assert first["Location"] == second["Location"]
    assert Mediation.objects.filter(title="噪音扰民纠纷").count() == 1


def test_a_dispute_without_a_respondent_is_refused_in_words(mediator, world, workshop):
    data = _new_form(world, workshop, p2_name="", p2_role="respondent")
    response = mediator.post("/mediation/new/", data)
    assert response.status_code == 422
    assert "申请人" in response.content.decode()
    assert not Mediation.objects.filter(title="噪音扰民纠纷").exists()


def test_a_wrong_id_number_is_a_message_on_its_field(mediator, world, workshop):
    response = mediator.post("/mediation/new/", _new_form(world, workshop, p1_id_number="123"))
    assert response.status_code == 422
    assert "身份证号码为 18 位" in response.content.decode()


def test_a_referral_must_say_who_referred_it(mediator, world, workshop):
    response = mediator.post("/mediation/new/", _new_form(world, workshop, source="referral"))
    assert response.status_code == 422
    assert not Mediation.objects.filter(title="噪音扰民纠纷").exists()


def test_an_organisation_the_user_does_not_mediate_for_is_not_offered(mediator, world, workshop):
    response = mediator.post("/mediation/new/", _new_form(world, workshop, organisation="999999"))
    assert response.status_code == 422


def test_the_case_page_masks_the_parties_identity_data(mediator, register):
    m = register()
    text = mediator.get(m.get_absolute_url()).content.decode()
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "4406**********1231" in text
    assert "440602195803031231" not in text
    assert "调解期限至" in text


def test_a_reveal_shows_the_field_once_and_is_logged(mediator, register):
    m = register()
    applicant = Party.objects.get(mediation=m, role="applicant")
    response = mediator.post(
        f"/mediation/{m.pk}/reveal/",
        {"party": applicant.pk, "field": "phone", "reason": "电话通知调解时间"},
    )
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.get(object_type="mediation_party", object_id=str(applicant.pk))
    assert (log.fields, log.reason) == ("phone", "电话通知调解时间")


def test_a_reveal_without_a_reason_shows_nothing_and_logs_nothing(mediator, register):
    m = register()
    applicant = Party.objects.get(mediation=m, role="applicant")
    response = mediator.post(
        f"/mediation/{m.pk}/reveal/", {"party": applicant.pk, "field": "phone", "reason": " "}
    )
    assert response.status_code == 422
    assert "13812345678" not in response.content.decode()
    assert not AccessLog.objects.filter(object_type="mediation_party").exists()


def test_a_party_of_another_case_is_not_revealed(mediator, register):
    m = register()
    other = register(title="另一宗纠纷")
    stranger = Party.objects.filter(mediation=other).first()
    response = mediator.post(
        f"/mediation/{m.pk}/reveal/", {"party": stranger.pk, "field": "phone", "reason": "核实"}
    )
    assert response.status_code == 422
    assert not AccessLog.objects.filter(object_type="mediation_party").exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_the_case_exactly_as_for_a_missing_id(
    client, world, register, username
):
    m = register()
    client.force_login(world.user(username))
    for suffix in ("", "reveal/", "consent/", "archive/", "papers/1/"):
        method = client.get if suffix in ("", "papers/1/") else client.post
        assert method(f"/mediation/{m.pk}/{suffix}").status_code == 404
        assert method(f"/mediation/987654321/{suffix}").status_code == 404


def test_the_home_page_leads_the_mediator_to_the_register_and_staff_to_the_statistics(
    client, world
):
    client.force_login(world.user("demo-tiaojie"))
    text = client.get("/").content.decode()
    assert "/mediation/" in text
    assert "调解台账" in text
    client.force_login(world.user("demo-jiedao"))
    text = client.get("/").content.decode()
    assert "调解台账" not in text
    assert "调解统计" in text
    client.force_login(world.user("demo-resident"))
    assert "调解" not in client.get("/").content.decode()
