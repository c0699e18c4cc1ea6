"""The statistics page and its workbook: the month's figures of the workshop for its mediator and
of a place for the staff whose posts cover it, each figure's definition, the same numbers in
Excel; and nothing for who reads no statistics."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from shuren.mediation import actions
from shuren.mediation.choices import AgreementForm, Consent
from shuren.mediation.tests.conftest import REGISTERED_AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_of_cases(register, world):
    """March 2026: two neighbours' disputes (one agreed) and one about property management."""
    user = world.user("demo-tiaojie")
    agreed = register()
    register(title="物业费纠纷", dispute_type="property_service", amount="1000")
    register(title="噪音纠纷", source="own_initiative", amount="0")
    actions.choose_mediators(actor=user, mediation=agreed, mediators=[user.person])
    for party in agreed.parties.all():
        actions.record_consent(actor=user, mediation=agreed, party=party, consent=Consent.GIVEN)
    actions.hold_session(
        actor=user,
        mediation=agreed,
        held_at=REGISTERED_AT,
        venue="调解室",
        parties=list(agreed.parties.all()),
        record="达成一致",
    )
    agreed.refresh_from_db()
    actions.issue_agreement(
        actor=user,
        mediation=agreed,
        form=AgreementForm.ORAL,
        agreed_content="楼上赔偿",
        performance_manner="现金",
    )
    agreed.refresh_from_db()
    actions.record_prevention(actor=user, mediation=agreed, criminal_persons=2, petition_persons=0)
    return agreed


def _rows(text: str) -> str:
    return " ".join(text.split())


def test_the_mediator_reads_the_workshops_month(client, world, workshop, month_of_cases):
    client.force_login(world.user("demo-tiaojie"))
    response = client.get("/mediation/statistics/", {"month": "2026-03", "of": f"o{workshop.pk}"})
    assert response.status_code == 200
    text = _rows(response.content.decode())
    assert '<th scope="row">全部纠纷</th><td>3</td><td>1</td><td>33.3%</td><td>4200.00</td>' in text
    assert '<th scope="row">邻里</th><td>2</td><td>1</td><td>50.0%</td>' in text
    assert '<th scope="row">防止民转刑</th><td>1</td><td>2</td>' in text
    assert "当月登记受理的案件" in text  # each figure's definition


def test_subdistrict_staff_read_their_place_and_the_workshop_but_no_case(
    client, world, month_of_cases
):
    client.force_login(world.user("demo-jiedao"))
    page = client.get("/mediation/statistics/", {"month": "2026-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "苏志敏创熟调解工作室" in text
    assert "桂城" in text or "GC" in text
    assert month_of_cases.number not in text
    assert client.get(month_of_cases.get_absolute_url()).status_code == 404


def test_a_month_it_cannot_read_is_a_message_not_a_failure(client, world, month_of_cases):
    client.force_login(world.user("demo-tiaojie"))
    response = client.get("/mediation/statistics/", {"month": "2026-13"})
    assert response.status_code == 400
    assert "年-月" in response.content.decode()


@pytest.mark.parametrize("username", ["demo-resident", "demo-louzhang", "demo-wuye"])
def test_who_reads_no_statistics_finds_no_page(client, world, username):
    client.force_login(world.user(username))
    assert client.get("/mediation/statistics/").status_code == 404
    assert client.get("/mediation/statistics/xlsx/").status_code == 404


def test_the_workbook_holds_the_same_figures(client, world, workshop, month_of_cases):
    client.force_login(world.user("demo-tiaojie"))
    response = client.get(
        "/mediation/statistics/xlsx/", {"month": "2026-03", "of": f"o{workshop.pk}"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="mediation-statistics-2026-03.xlsx"'
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(c for c in r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ("调解统计", "苏志敏创熟调解工作室")
    assert rows[1][:3] == ("统计期间", "2026-03-01", "2026-03-31") or rows[1][1:3] == (
        "2026-03-01",
        "2026-03-31",
    )
    by_line = {r[1]: r[2:6] for r in rows if r and len(r) >= 6 and r[1]}
    assert by_line["全部纠纷"] == (3, 1, 33.3, 4200.0)
    assert by_line["邻里"] == (2, 1, 50.0, 3200.0)
    assert by_line["物业"][:2] == (1, 0)
    prevented = {r[0]: r[2:4] for r in rows if r and r[0] in ("防止民转刑", "防止群体性上访")}
    assert prevented == {"防止民转刑": (1, 2), "防止群体性上访": (0, 0)}
