"""The work report's mediation figures (GET /api/v1/stats/report): the place's cases registered
in the period, the succeeded ones, the rate, the amount and the prevention counters, for the
staff who send the bureau its statistics; null for the other readers of the report."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.mediation import actions
from shuren.mediation.choices import AgreementForm, Consent, DisputeType, Source
from shuren.mediation.models import Mediation
from shuren.mediation.tests.conftest import PARTIES, REGISTERED_AT
from shuren.people.models import Team

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def registered(world, amount: str, place: str = "GC-JD-JYLW-B01") -> Mediation:
    return actions.register_mediation(
        actor=world.user("demo-tiaojie"),
        organisation=Team.objects.get(code="T-SZM"),
        place=world.place(place),
        source=Source.APPLICATION,
        dispute_type=DisputeType.NEIGHBOURS,
        title="楼上漏水纠纷",
        summary="101室天花板渗水。",
        amount=amount,
        parties=PARTIES,
        at=REGISTERED_AT,
    )


def settled(world, m: Mediation) -> None:
    """Consent, a session and a written agreement: a case that succeeded."""
    user = world.user("demo-tiaojie")
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    for party in m.parties.all():
        actions.record_consent(actor=user, mediation=m, party=party, consent=Consent.GIVEN)
    actions.hold_session(
        actor=user,
        mediation=m,
        held_at=REGISTERED_AT + dt.timedelta(days=2),
        venue="尖东社区调解室",
        parties=list(m.parties.all()),
        record="双方达成一致。",
    )
    actions.issue_agreement(
        actor=user,
        mediation=m,
        form=AgreementForm.WRITTEN,
        facts="漏水",
        points_in_dispute="维修费用",
        responsibilities="301室承担",
        agreed_content="赔偿2800元",
        performance_manner="转账",
        performance_place="调解室",
        performance_deadline=dt.date(2026, 3, 20),
        at=REGISTERED_AT + dt.timedelta(days=2),
    )


@pytest.fixture
def march(world):
    first, second = registered(world, "3200"), registered(world, "1000.50")
    settled(world, first)
    actions.record_prevention(
        actor=world.user("demo-tiaojie"), mediation=second, criminal_persons=2, petition_persons=0
    )
    registered(world, "999", place="GC-JB-L01-B01")  # another community's
    return first, second


def test_the_subdistrict_reads_the_mediation_figures_of_its_place(api_get, world, march):
    body = api_get("demo-jiedao", "/stats/report", place=world.place("GC").pk, **MARCH).json()
    figures = body["mediation"]
    assert {k: v for k, v in figures.items() if k != "definition"} == {
        "accepted": 3,
        "succeeded": 1,
        "success_rate": pytest.approx(1 / 3),
        "amount": "5199.50",
        "criminal_cases": 1,
        "criminal_persons": 2,
        "petition_cases": 0,
        "petition_persons": 0,
    }
    assert figures["definition"]


def test_a_community_counts_only_the_cases_at_its_places_and_in_the_period(api_get, world, march):
    community = world.place("GC-JD").pk
    body = api_get("demo-shequ", "/stats/report", place=community, **MARCH).json()
    assert (body["mediation"]["accepted"], body["mediation"]["amount"]) == (2, "4200.50")
    april = api_get(
        "demo-shequ", "/stats/report", place=community, start="2026-04-01", end="2026-04-30"
    ).json()
    assert april["mediation"]["accepted"] == 0
    assert april["mediation"]["success_rate"] is None


def test_a_building_leader_reads_the_report_without_the_mediation_figures(api_get, world, march):
    body = api_get(
        "demo-louzhang", "/stats/report", place=world.place("GC-JD-JYLW-B01").pk, **MARCH
    ).json()
    assert "neighbour_disputes" in body
    assert body["mediation"] is None
