"""A dispute from registration to the archived file, through the actions, and the law holding at
each step: no session without consent (Art. 17), a refused mediator steps aside (Art. 23), no
written agreement without the items of Art. 29, the other routes told on failure (Art. 26), no
archive with a required paper missing (Art. 27)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from shuren.kernel.models import Outbox
from shuren.kernel.versions import StaleVersion
from shuren.mediation import actions
from shuren.mediation.choices import (
    AgreementForm,
    Consent,
    DocumentKind,
    EventKind,
    Outcome,
    PartyRole,
    Performance,
    Route,
    Satisfaction,
    Status,
)
from shuren.mediation.models import Mediation
from shuren.mediation.tests.conftest import REGISTERED_AT

pytestmark = pytest.mark.django_db

SESSION_AT = REGISTERED_AT + dt.timedelta(days=2)
WRITTEN = {
    "facts": "2026年2月起301室卫生间漏水至101室天花板。",
    "points_in_dispute": "维修费用由谁承担。",
    "responsibilities": "301室防水层老化，应承担主要责任。",
    "agreed_content": "301室承担维修费用3200元中的2800元。",
    "performance_manner": "微信转账",
    "performance_place": "尖东社区调解室",
    "performance_deadline": dt.date(2026, 3, 20),
}


def consent_all(mediation, user, consent=Consent.GIVEN):
    for party in mediation.parties.all():
        actions.record_consent(actor=user, mediation=mediation, party=party, consent=consent)


def sit(mediation, user, **extra):
    return actions.hold_session(
        actor=user,
        mediation=mediation,
        held_at=SESSION_AT,
        venue="尖东社区调解室",
        parties=list(mediation.parties.all()),
        record="双方陈述了事实，同意继续协商。",
        **extra,
    )


def test_registering_numbers_the_case_starts_its_thirty_days_and_tells_the_other_mediators(
    register,
):
    m = register()
    assert m.number == "T-SZM-2026-0001"
    assert (m.status, m.registered_on, m.due_on) == (
        Status.REGISTERED,
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 2),
    )
    assert [p.role for p in m.parties.all()] == [PartyRole.APPLICANT, PartyRole.RESPONDENT]
    assert register().number == "T-SZM-2026-0002"
    assert Outbox.objects.filter(kind="mediation.registered", subject_id=m.pk).count() == 1


def test_a_retried_registration_with_its_key_is_the_same_case(register):
    first = register(idempotency_key="k-1")
    again = register(idempotency_key="k-1")
    assert again.pk == first.pk
    assert Mediation.objects.count() == 1


def test_a_dispute_needs_both_sides_a_known_source_and_a_sane_amount(register):
    with pytest.raises(ValidationError, match="applicant and a respondent"):
        register(parties=[actions.PartyInput(PartyRole.APPLICANT, "王秀英")])
    with pytest.raises(ValidationError, match="referred"):
        register(source="referral", referrer="")
    for bad in ("-1", "abc", "1e20", "NaN"):
        with pytest.raises(ValidationError):
            register(amount=bad)
    assert Mediation.objects.count() == 0


def test_only_the_organisations_mediators_register_and_see_its_cases(register, world):
    with pytest.raises(PermissionDenied):
        register(username="demo-shequ")
    m = register()
    for username in ("demo-shequ", "demo-jiedao", "demo-resident", "demo-louzhang", "demo-admin"):
        assert not Mediation.objects.visible_to(world.user(username)).filter(pk=m.pk).exists()
    assert Mediation.objects.visible_to(world.user("demo-tiaojie")).filter(pk=m.pk).exists()


def test_no_session_with_a_party_who_has_not_consented(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    applicant, respondent = m.parties.all()
    actions.record_consent(actor=user, mediation=m, party=applicant, consent=Consent.GIVEN)
    with pytest.raises(ValidationError, match="陈美玲"):
        sit(m, user)
    actions.record_consent(actor=user, mediation=m, party=respondent, consent=Consent.REFUSED)
    with pytest.raises(ValidationError, match=r"Art\. 17"):
        sit(m, user)
    m.refresh_from_db()
    assert m.status == Status.REGISTERED
    assert not m.sessions.exists()


def test_a_refused_mediator_steps_aside_and_cannot_be_chosen_again(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    respondent = m.parties.get(role=PartyRole.RESPONDENT)
    actions.record_consent(
        actor=user, mediation=m, party=respondent, consent=Consent.GIVEN, refused=user.person
    )
    assert not m.mediators.exists()
    with pytest.raises(ValidationError, match=r"Art\. 23"):
        actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])


def test_a_written_agreement_names_each_missing_item_of_article_29(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    consent_all(m, user)
    sit(m, user)
    m.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        actions.issue_agreement(
            actor=user, mediation=m, form=AgreementForm.WRITTEN, agreed_content="赔偿2800元"
        )
    said = " ".join(refused.value.messages)
    for item in ("main facts", "points in dispute", "place of performance", "deadline"):
        assert item in said
    m.refresh_from_db()
    assert (m.status, m.agreement_number) == (Status.MEDIATING, "")


def test_a_dispute_runs_from_registration_to_the_archived_file(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    consent_all(m, user)
    sit(m, user)
    m.refresh_from_db()
    m = actions.issue_agreement(
        actor=user,
        mediation=m,
        form=AgreementForm.WRITTEN,
        expected_version=m.version,
        at=SESSION_AT,
        **WRITTEN,
    )
    assert (m.status, m.outcome, m.agreement_number) == (
        Status.AGREED,
        Outcome.AGREED,
        "T-SZM-2026-XY0001",
    )
    with pytest.raises(ValidationError, match=gettext("Follow-up record")):
        actions.archive_mediation(actor=user, mediation=m)
    actions.follow_up(
        actor=user,
        mediation=m,
        performance=Performance.FULL,
        satisfaction=Satisfaction.SATISFIED,
        recurred=False,
        visited_on=dt.date(2026, 3, 25),
    )
    with pytest.raises(ValidationError, match=re.escape(gettext("Signed agreement (scan)"))):
        actions.archive_mediation(actor=user, mediation=m)
    actions.add_document(
        actor=user,
        mediation=m,
        kind=DocumentKind.SIGNED_AGREEMENT,
        title="签字协议书扫描件",
        note="原件存档",
    )
    m = actions.archive_mediation(actor=user, mediation=m)
    assert m.status == Status.ARCHIVED
    assert m.outcome == Outcome.AGREED
    kinds = list(m.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.REGISTERED
    assert kinds[-1] == EventKind.ARCHIVED
    assert kinds.count(EventKind.CONSENT) == 2


def test_a_failed_mediation_records_the_other_routes_told(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    with pytest.raises(ValidationError, match=r"Art\. 26"):
        actions.close_mediation(actor=user, mediation=m, outcome=Outcome.FAILED, note="分歧过大")
    m = actions.close_mediation(
        actor=user,
        mediation=m,
        outcome=Outcome.FAILED,
        note="分歧过大",
        routes_told=[Route.LITIGATION, Route.ARBITRATION],
    )
    assert m.status == Status.FAILED
    assert m.routes_told == ["arbitration", "litigation"]


def test_a_stale_version_is_refused(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.choose_mediators(actor=user, mediation=m, mediators=[user.person])
    with pytest.raises(StaleVersion):
        actions.extend_time_limit(
            actor=user,
            mediation=m,
            days=10,
            parties_consented=True,
            reason="双方同意",
            expected_version=1,
        )


def test_the_time_limit_is_extended_only_with_consent_and_at_most_thirty_days(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    with pytest.raises(ValidationError, match="consent"):
        actions.extend_time_limit(
            actor=user, mediation=m, days=10, parties_consented=False, reason="x"
        )
    m = actions.extend_time_limit(
        actor=user, mediation=m, days=20, parties_consented=True, reason="双方同意延期"
    )
    assert m.due_on == dt.date(2026, 4, 22)
    with pytest.raises(ValidationError, match="10"):
        actions.extend_time_limit(
            actor=user, mediation=m, days=11, parties_consented=True, reason="再延"
        )


def test_marking_a_risk_tells_the_community_and_the_subdistrict(register, world):
    user = world.user("demo-tiaojie")
    m = register()
    actions.mark_risk(actor=user, mediation=m, note="一方扬言动手", police_informed=True)
    row = Outbox.objects.get(kind="mediation.at_risk", subject_id=m.pk)
    told = set(row.recipients)
    assert world.user("demo-shequ").pk in told
    assert world.user("demo-jiedao").pk in told
    assert world.user("demo-resident").pk not in told
    m.refresh_from_db()
    assert m.at_risk
    assert m.police_informed_at is not None


def test_reading_a_partys_id_number_is_for_its_mediators_and_logged(register, world):
    from shuren.access.models import AccessLog

    m = register()
    party = m.parties.get(role=PartyRole.APPLICANT)
    number = actions.reveal_party(
        user=world.user("demo-tiaojie"), party=party, field="id_number", reason="制作协议书"
    )
    assert number == "440602195803031231"
    assert AccessLog.objects.filter(object_type="mediation_party", object_id=str(party.pk)).exists()
    with pytest.raises(PermissionDenied):
        actions.reveal_party(
            user=world.user("demo-jiedao"), party=party, field="id_number", reason="看看"
        )
