"""A matter dispatched to the workshop opens its mediation case (after the dispatch, in the
outbox worker); the matter says 调解中 and follows the outcome with its own event."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.cases.actions import assign_case
from shuren.cases.links import links_of
from shuren.cases.models import EventKind as CaseEventKind
from shuren.cases.models import ResolutionMethod
from shuren.cases.models import Status as CaseStatus
from shuren.mediation import actions
from shuren.mediation.choices import (
    AgreementForm,
    Consent,
    Outcome,
    PartyRole,
    Referrer,
    Route,
    Source,
    Status,
)
from shuren.mediation.models import Mediation
from shuren.mediation.tests.conftest import REGISTERED_AT
from shuren.testing import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(report, world, workshop):
    """A resident's leak, dispatched by the community's staff to the workshop, delivered."""
    case = report(title="楼上漏水，协商不成", category_code="neighbour-leak")
    case = assign_case(actor=world.user("demo-shequ"), case=case, team=workshop, note="转调解")
    deliver()
    return case


def test_dispatching_a_matter_to_the_workshop_opens_a_referred_case_with_its_reporter(
    dispatched, world
):
    m = Mediation.objects.get(case=dispatched)
    assert (m.source, m.referrer, m.status, m.dispute_type) == (
        Source.REFERRAL,
        Referrer.MATTER,
        Status.REGISTERED,
        "neighbours",
    )
    applicant = m.parties.get()
    assert (applicant.role, applicant.name) == (PartyRole.APPLICANT, "王秀英")
    assert applicant.phone == "13812345678"  # stored, encrypted; shown masked


def test_delivering_again_opens_no_second_case(dispatched):
    deliver()
    assert Mediation.objects.filter(case=dispatched).count() == 1


def test_the_matter_says_mediating_and_links_the_case_for_its_mediators_only(dispatched, world):
    m = Mediation.objects.get(case=dispatched)
    (mediator_sees,) = links_of(world.user("demo-tiaojie"), dispatched)
    assert mediator_sees.url == m.get_absolute_url()
    assert mediator_sees.number == m.number
    (resident_sees,) = links_of(world.user("demo-resident"), dispatched)
    assert resident_sees.url == ""
    assert resident_sees.number == ""
    assert resident_sees.status == mediator_sees.status


def _agree(m, user):
    actions.add_party(
        actor=user, mediation=m, party=actions.PartyInput(PartyRole.RESPONDENT, "陈美玲")
    )
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    for party in m.parties.all():
        actions.record_consent(actor=user, mediation=m, party=party, consent=Consent.GIVEN)
    actions.hold_session(
        actor=user,
        mediation=m,
        held_at=REGISTERED_AT + dt.timedelta(days=1),
        venue="调解室",
        parties=list(m.parties.all()),
        record="双方同意由楼上承担维修费。",
    )
    m.refresh_from_db()
    return actions.issue_agreement(
        actor=user,
        mediation=m,
        form=AgreementForm.ORAL,
        agreed_content="楼上承担维修费",
        performance_manner="三日内请师傅维修",
    )


def test_an_agreement_resolves_the_matter_by_mediation(dispatched, world):
    user = world.user("demo-tiaojie")
    m = _agree(Mediation.objects.get(case=dispatched), user)
    dispatched.refresh_from_db()
    assert dispatched.status == CaseStatus.RESOLVED
    assert dispatched.resolution_method == ResolutionMethod.MEDIATION
    assert m.agreement_number in dispatched.events.get(kind=CaseEventKind.RESOLVED).note


def test_a_failed_mediation_sends_the_matter_up(dispatched, world):
    user = world.user("demo-tiaojie")
    m = Mediation.objects.get(case=dispatched)
    tier = dispatched.current_tier
    actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.FAILED,
        note="双方分歧过大",
        routes_told=[Route.LITIGATION],
    )
    dispatched.refresh_from_db()
    assert dispatched.status in (CaseStatus.ACCEPTED, CaseStatus.REPORTED)
    last = dispatched.events.order_by("-pk").first()
    assert last.kind in (CaseEventKind.ESCALATED, CaseEventKind.RETURNED)
    assert "双方分歧过大" in last.note
    assert dispatched.current_tier >= tier


def test_the_matters_api_says_where_it_is_for_everyone_who_sees_it(dispatched, world, client):
    from shuren.accounts.models import ApiToken

    def elsewhere(username: str) -> list[dict[str, str]]:
        _token, raw = ApiToken.issue(user=world.user(username), name="test")
        answer = client.get(
            f"/api/v1/cases/{dispatched.pk}",
            headers={"Authorization": f"Bearer {raw}", "Accept-Language": "zh-hans"},
        )
        assert answer.status_code == 200
        return answer.json()["elsewhere"]

    (shequ,) = elsewhere("demo-shequ")
    assert (shequ["label"], shequ["status"], shequ["url"]) == ("苏志敏创熟调解工作室", "调解中", "")
    (mediator,) = elsewhere("demo-tiaojie")
    assert mediator["number"] == Mediation.objects.get(case=dispatched).number


def test_a_callers_matter_without_an_account_opens_its_case_with_the_caller_as_applicant(
    report, world, workshop
):
    """A phone call taken by staff (or a neighbour's objection they write down) has no reporter
    with an account: the name and number the caller left make the applicant."""
    case = report(
        "demo-shequ",
        place="GC-JD-JYLW-B01",
        title="楼上漏水，来电反映",
        category_code="neighbour-leak",
        channel="phone",
        contact_name="李阿姨",
        contact_phone="13900002222",
    )
    assign_case(actor=world.user("demo-shequ"), case=case, team=workshop, note="转调解")
    deliver()
    applicant = Mediation.objects.get(case=case).parties.get()
    assert (applicant.role, applicant.name, applicant.phone) == (
        PartyRole.APPLICANT,
        "李阿姨",
        "13900002222",
    )
