"""The justice bureau's statistics: the pure table over many generated cases, and the one query
over registered cases of an organisation or a place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuren.mediation import actions
from shuren.mediation.choices import DisputeType, Outcome, Route, Source
from shuren.mediation.statistics import Row, month_bounds, statistics, tabulate

ROWS = st.lists(
    st.builds(
        Row,
        dispute_type=st.sampled_from(DisputeType.values),
        source=st.sampled_from(Source.values),
        outcome=st.sampled_from(["", *Outcome.values]),
        amount=st.decimals(min_value=0, max_value=10**6, places=2),
        criminal_persons=st.integers(0, 5),
        petition_persons=st.integers(0, 30),
    ),
    max_size=40,
)


@given(ROWS)
def test_the_lines_add_up_to_the_total(rows):
    table = tabulate(rows)
    assert table.total.accepted == len(rows)
    for lines in (table.by_type, table.by_source):
        assert sum(line.accepted for line in lines.values()) == table.total.accepted
        assert sum(line.succeeded for line in lines.values()) == table.total.succeeded
        assert sum((line.amount for line in lines.values()), Decimal(0)) == table.total.amount
    assert table.total.succeeded == sum(r.outcome == Outcome.AGREED for r in rows)
    assert table.criminal_cases == sum(r.criminal_persons > 0 for r in rows)
    assert table.petition_persons == sum(r.petition_persons for r in rows)


def test_every_official_type_and_source_has_a_line_in_the_bureaus_order():
    table = tabulate([])
    assert list(table.by_type) == DisputeType.values
    assert len(table.by_type) == 15
    assert list(table.by_source) == Source.values
    assert table.total.rate is None


def test_the_success_rate_is_succeeded_over_accepted_to_one_decimal():
    rows = [Row("neighbours", "application", Outcome.AGREED, Decimal(0), 0, 0)] * 2 + [
        Row("neighbours", "referral", Outcome.FAILED, Decimal(0), 0, 0)
    ]
    assert tabulate(rows).total.rate == Decimal("66.7")


def test_month_bounds_know_december_and_leap_february():
    assert month_bounds(2026, 12) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_bounds(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.mark.django_db
def test_the_month_counts_the_cases_registered_in_it_at_the_place_asked(register, world):
    user = world.user("demo-tiaojie")
    agreed = register(amount="1000.50")
    failed = register(place=world.place("GC-TC-JYZY-T1"), dispute_type=DisputeType.CONTRACT)
    actions.close_mediation(
        actor=user,
        mediation=failed,
        outcome=Outcome.FAILED,
        note="未成",
        routes_told=[Route.LITIGATION],
    )
    actions.record_prevention(actor=user, mediation=agreed, criminal_persons=2, petition_persons=0)
    agreed.outcome = Outcome.AGREED  # as issue_agreement leaves it (its path is test_flow's)
    agreed.save(update_fields=["outcome"])
    march = month_bounds(2026, 3)
    whole = statistics(start=march[0], end=march[1], organisation=agreed.organisation)
    assert (whole.total.accepted, whole.total.succeeded, whole.total.rate) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert whole.total.amount == Decimal("4200.50")
    assert (whole.criminal_cases, whole.criminal_persons) == (1, 2)
    jiandong = statistics(start=march[0], end=march[1], place=world.place("GC-JD"))
    assert jiandong.total.accepted == 1
    assert jiandong.by_type["neighbours"].succeeded == 1
    april = month_bounds(2026, 4)
    assert statistics(start=april[0], end=april[1], place=world.place("GC")).total.accepted == 0
