"""The law as pure functions, proven case by case and over many generated cases: the time limit,
consent, the items of Art. 29, the state machine and the case file's checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuren.mediation import law
from shuren.mediation.choices import AgreementForm, Consent, Outcome, Status

FULL = law.AgreementFacts(
    form=AgreementForm.WRITTEN,
    parties_complete=True,
    facts="漏水",
    points_in_dispute="维修费",
    responsibilities="楼上负主要责任",
    agreed_content="赔偿2800元",
    performance_manner="转账",
    performance_place="调解室",
    performance_deadline=dt.date(2026, 3, 20),
)
ART_29 = [attr for attr, _label in law.ART_29_ITEMS]


def test_the_time_limit_is_thirty_days_from_registration_plus_any_extension():
    assert law.due_on(dt.date(2026, 3, 3)) == dt.date(2026, 4, 2)
    assert law.due_on(dt.date(2026, 12, 15), 10) == dt.date(2027, 1, 24)
    assert law.confirmation_deadline(dt.date(2026, 2, 1)) == dt.date(2026, 3, 3)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 30))
def test_the_time_limit_never_ends_before_thirty_days(day, extra):
    assert (law.due_on(day, extra) - day).days == 30 + extra


def test_a_written_agreement_with_every_item_of_article_29_lacks_nothing():
    assert law.missing_for_agreement(FULL) == []


@pytest.mark.parametrize("attr", ART_29)
def test_each_missing_item_of_article_29_is_named(attr):
    empty = False if attr == "parties_complete" else None if attr.endswith("deadline") else "  "
    missing = law.missing_for_agreement(replace(FULL, **{attr: empty}))
    assert [str(m) for m in missing] == [str(dict(law.ART_29_ITEMS)[attr])]


@given(st.sets(st.sampled_from(ART_29)))
def test_a_written_agreement_names_exactly_the_items_it_lacks(blank):
    facts = replace(
        FULL,
        **{
            a: (False if a == "parties_complete" else None if a.endswith("deadline") else "")
            for a in blank
        },
    )
    named = {str(m) for m in law.missing_for_agreement(facts)}
    assert named == {str(label) for attr, label in law.ART_29_ITEMS if attr in blank}


def test_an_oral_agreement_needs_the_parties_the_content_and_how_it_is_performed():
    oral = law.AgreementFacts(AgreementForm.ORAL, True, "", "", "", "赔偿", "转账", "", None)
    assert law.missing_for_agreement(oral) == []
    assert len(law.missing_for_agreement(replace(oral, agreed_content=""))) == 1


@given(st.lists(st.sampled_from(Consent.values), max_size=6))
def test_only_consenting_parties_may_sit(consents):
    parties = [law.PartyFacts(i, f"当事人{i}", c) for i, c in enumerate(consents)]
    refusing = law.without_consent(parties)
    assert refusing == [p.name for p in parties if p.consent != Consent.GIVEN]


def test_the_state_machine_opens_ends_and_archives():
    assert law.next_status("hold_session", Status.REGISTERED) == Status.MEDIATING
    assert law.next_status("issue_agreement", Status.MEDIATING) == Status.AGREED
    assert law.next_status("issue_agreement", Status.REGISTERED) is None  # sit first
    assert law.next_status("archive", Status.FAILED) == Status.ARCHIVED
    assert not law.allowed("archive", Status.MEDIATING)
    assert not any(law.allowed(a, Status.ARCHIVED) for a in law.ACTIONS)
    assert not law.allowed("follow_up", Status.FAILED)


FILE = law.FileFacts(
    outcome=Outcome.AGREED,
    has_parties=True,
    consents_recorded=True,
    sessions=1,
    agreement_form=AgreementForm.WRITTEN,
    follow_ups=1,
    routes_told=False,
    confirmation="not_sought",
    papers=frozenset({"signed_agreement"}),
)


def test_a_complete_agreed_file_may_be_archived():
    assert law.missing_required(law.file_items(FILE)) == []


def test_an_agreed_file_needs_its_follow_up_and_the_signed_agreement():
    items = law.file_items(replace(FILE, follow_ups=0, papers=frozenset()))
    assert {i.key for i in items if i.required and not i.present} == {
        "follow_up",
        "signed_agreement",
    }


def test_a_failed_file_needs_the_routes_told_but_no_agreement():
    failed = replace(
        FILE, outcome=Outcome.FAILED, agreement_form="", follow_ups=0, papers=frozenset()
    )
    assert [i.key for i in law.file_items(failed) if i.required and not i.present] == ["routes"]
    assert law.missing_required(law.file_items(replace(failed, routes_told=True))) == []


def test_a_case_withdrawn_before_any_session_needs_no_record():
    withdrawn = replace(
        FILE,
        outcome=Outcome.WITHDRAWN,
        sessions=0,
        agreement_form="",
        follow_ups=0,
        papers=frozenset(),
    )
    assert law.missing_required(law.file_items(withdrawn)) == []


def test_the_papers_a_court_returned_are_required_once_a_confirmation_is_recorded():
    confirmed = replace(FILE, confirmation="confirmed")
    assert [i.key for i in law.file_items(confirmed) if i.required and not i.present] == [
        "confirmation"
    ]
