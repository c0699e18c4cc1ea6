"""The tallies stay exact: every case action moves a matter's counters from its old row to its
new one in the same transaction, the history import adds its matters, a moved building takes
its matters' counters along, and each counter's records (the list behind a figure) are exactly
the matters it counts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from shuren.cases import actions
from shuren.cases.models import Case, Category
from shuren.cases.tests.conftest import sh
from shuren.insights import tallies
from shuren.insights.figures import Period, by_category, by_child_area, by_month, period_parts
from shuren.insights.models import Tally
from shuren.insights.tallies import Facts, contributions, difference, records_q
from shuren.places.actions import move_place
from shuren.places.paths import subtree_q

pytestmark = pytest.mark.django_db


def facts(**changed) -> Facts:
    base = {
        "category_id": 1,
        "place_path": "0000000001" * 4,
        "reported_at": sh(2026, 3, 2, 9),
        "status": "reported",
        "max_tier": 1,
        "settled_tier": None,
        "resolved_at": None,
        "resolve_due": sh(2026, 3, 9, 18),
        "satisfied": None,
    }
    return Facts(**{**base, **changed})


class TestWhatOneMatterCounts:
    def test_an_open_matter_counts_on_its_reported_day_and_month_in_its_estate(self):
        counted = contributions(facts())
        area = "0000000001" * 3
        assert set(counted) == {
            ("d", dt.date(2026, 3, 2), area, 1),
            ("m", dt.date(2026, 3, 1), area, 1),
            ("y", dt.date(2026, 1, 1), area, 1),
        }
        assert counted[("d", dt.date(2026, 3, 2), area, 1)] == {
            "reported": 1,
            "counted": 1,
            "reached_1": 1,
            "status_reported": 1,
            "never_beyond": 1,
            "open": 1,
        }

    def test_a_settled_matter_counts_again_on_the_day_it_was_settled(self):
        counted = contributions(
            facts(
                status="closed",
                settled_tier=2,
                max_tier=2,
                resolved_at=sh(2026, 3, 10, 9),  # a day after its deadline
                satisfied=True,
            )
        )
        settled_day = counted[("d", dt.date(2026, 3, 10), "0000000001" * 3, 1)]
        assert settled_day == {
            "settled": 1,
            "settled_2": 1,
            "on_time_known": 1,
            "followed_up": 1,
            "satisfied": 1,
            "days_taken": 8,
        }
        # Reported and settled in one month: the month's row holds both.
        month = counted[("m", dt.date(2026, 3, 1), "0000000001" * 3, 1)]
        assert month["reported"] == month["settled"] == 1

    def test_the_day_is_shanghais_not_utcs(self):
        late = facts(reported_at=dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC))  # 01:30 on the 2nd
        assert ("d", dt.date(2026, 3, 2), "0000000001" * 3, 1) in contributions(late)

    def test_a_rejected_report_is_no_matter_and_a_merged_one_counts_as_the_one_it_joined(self):
        assert contributions(facts(status="rejected"))[
            ("d", dt.date(2026, 3, 2), "0000000001" * 3, 1)
        ] == {"reported": 1, "rejected": 1}
        assert (
            "counted"
            not in contributions(facts(status="merged"))[
                ("m", dt.date(2026, 3, 1), "0000000001" * 3, 1)
            ]
        )

    def test_a_matter_placed_at_its_community_counts_in_the_community(self):
        at_community = facts(place_path="0000000001" * 2)
        assert {key[2] for key in contributions(at_community)} == {"0000000001" * 2}


STATUSES = [
    "reported",
    "accepted",
    "in_progress",
    "resolved",
    "followed_up",
    "closed",
    "rejected",
    "merged",
]
# hypothesis takes naive bounds and adds the zone it is given.
moments = st.datetimes(
    min_value=dt.datetime(2011, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2030, 1, 1),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)
any_facts = st.builds(
    facts,
    status=st.sampled_from(STATUSES),
    max_tier=st.integers(1, 5),
    settled_tier=st.one_of(st.none(), st.integers(1, 5)),
    reported_at=moments,
    resolved_at=st.one_of(st.none(), moments),
    resolve_due=st.one_of(st.none(), moments),
    satisfied=st.one_of(st.none(), st.booleans()),
    category_id=st.integers(1, 3),
)


@given(
    st.lists(any_facts, max_size=6), st.lists(st.tuples(st.integers(0, 5), any_facts), max_size=6)
)
def test_applying_changes_as_differences_equals_counting_the_end_state_afresh(start, changes):
    rows = list(start)
    kept = difference((None, f) for f in rows)
    for index, after in changes:
        if not rows:
            break
        index %= len(rows)
        step = difference([(rows[index], after)])
        for key, counts in step.items():
            row = kept.setdefault(key, {})
            for name, n in counts.items():
                row[name] = row.get(name, 0) + n
        rows[index] = after
    cleaned = {k: {n: v for n, v in row.items() if v} for k, row in kept.items()}
    assert {k: v for k, v in cleaned.items() if v} == difference((None, f) for f in rows)


def _days_of(grain: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days a part covers: each day, each month's days, or each year's days."""
    if grain == "d":
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert first.day == last.day == 1
    if grain == "y":
        assert first.month == last.month == 1
        end = dt.date(last.year + 1, 1, 1)
    else:
        end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


@given(st.dates(dt.date(2011, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 2000), st.booleans())
def test_a_periods_parts_cover_each_of_its_days_exactly_once(start, length, years):
    period = Period(start, start + dt.timedelta(days=length))
    parts = period_parts(period, years=years)
    covered = [day for part in parts for day in _days_of(*part)]
    assert covered == [start + dt.timedelta(days=i) for i in range(length + 1)]
    if not years:
        assert all(grain != "y" for grain, _first, _last in parts)


def test_a_long_period_is_read_as_its_years_then_months_then_days():
    parts = period_parts(Period(dt.date(2011, 8, 1), dt.date(2019, 12, 31)))
    assert parts == [
        ("m", dt.date(2011, 8, 1), dt.date(2011, 12, 1)),
        ("y", dt.date(2012, 1, 1), dt.date(2019, 1, 1)),
    ]
    assert period_parts(Period(dt.date(2026, 3, 15), dt.date(2026, 4, 2))) == [
        ("d", dt.date(2026, 3, 15), dt.date(2026, 4, 2)),
    ]


def settle(case: Case, *, satisfied: bool | None = True, at: dt.datetime) -> Case:
    case = actions.accept_case(actor=None, case=case, at=at)
    case = actions.resolve_case(
        actor=None, case=case, method="on_the_spot", summary="已处理", at=at
    )
    if satisfied is not None:
        case = actions.follow_up_case(actor=None, case=case, satisfied=satisfied, at=at)
    return case


@pytest.fixture
def lived(report):
    """Matters through every kind of action: settled, reopened and settled again, escalated,
    rejected, merged, and left open."""
    settle(report(), at=sh(2026, 3, 3, 10))
    reopened = settle(report(title="漏水"), satisfied=False, at=sh(2026, 3, 4, 10))
    again = Case.objects.get(pk=reopened.pk)  # reopened (重办): in progress again
    actions.resolve_case(
        actor=None, case=again, method="on_the_spot", summary="再修", at=sh(2026, 3, 30)
    )
    up = report("demo-shequ", "GC-JD", category_code="facilities", title="路灯不亮")
    actions.escalate_case(actor=None, case=up, reason="需要街道协调", to_tier=4, at=sh(2026, 3, 5))
    actions.reject_case(actor=None, case=report(title="重复"), reason="不是问题", at=sh(2026, 3, 5))
    still_open = report(title="楼道堆物")
    actions.merge_case(
        actor=None, case=report(title="同一件事"), into=still_open, at=sh(2026, 3, 5)
    )
    report("demo-shequ2", "GC-TC-JYZY-T1", category_code="parking", title="乱停车")
    return Case.objects.all()


class TestTheActionsKeepThemExact:
    def test_after_every_kind_of_action_the_tallies_equal_a_recount(self, lived):
        assert lived.count() == 7
        assert tallies.check() == []
        assert Tally.objects.filter(grain="m").exists()

    def test_checkrollups_says_so_and_catches_a_wrong_row(self, lived):
        out = StringIO()
        call_command("checkrollups", stdout=out)
        assert "一致" in out.getvalue()
        Tally.objects.filter(grain="m").update(settled=99)
        with pytest.raises(CommandError, match="checkrollups --fix"):
            call_command("checkrollups", stdout=StringIO(), stderr=StringIO())
        call_command("checkrollups", "--fix", stdout=StringIO())
        assert tallies.check() == []

    def test_an_action_refused_leaves_the_tallies_as_they_were(self, world, report):
        case = report()
        before = tallies.stored()
        with pytest.raises(PermissionDenied):
            actions.accept_case(actor=world.user("demo-resident"), case=case)
        assert tallies.stored() == before

    def test_a_moved_building_takes_its_matters_counters_to_its_new_estate(self, world, lived):
        old_estate = world.place("GC-JD-JYLW").path
        building = world.place("GC-JD-JYLW-B02")
        actions.report_case(
            actor=None,
            place=building,
            category=Category.objects.get(code="parking"),
            title="车位被占",
        )
        move_place(actor=None, place=building, new_parent=world.place("GC-JD-JDXC"))
        assert tallies.check() == []
        assert not Case.objects.filter(
            subtree_q(old_estate, "place_path"), title="车位被占"
        ).exists()


class TestEachFiguresRecordsAreTheMattersItCounts:
    def test_for_every_counter_the_list_behind_it_has_as_many_matters(self, world, lived):
        period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        start, end = period.moments()
        summed = by_category(world.place("GC").path, period)
        total: dict[str, int] = {}
        for counts in summed.values():
            for name, n in counts.items():
                total[name] = total.get(name, 0) + n
        for counter in tallies.LISTED:
            assert Case.objects.filter(records_q(counter, start, end)).count() == total.get(
                counter, 0
            ), counter
        assert total["settled"] == 2
        assert total["rejected"] == total["merged"] == 1


class TestFiguresOfAPlaceAndPeriod:
    def test_a_building_below_the_areas_is_counted_from_its_matters_alike(self, world, lived):
        period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        estate = by_category(world.place("GC-JD-JYLW").path, period)
        building = by_category(world.place("GC-JD-JYLW-B01").path, period)
        # All the neighbour matters of the test are in building 1's unit.
        assert building["neighbour"] == estate["neighbour"]

    def test_months_and_communities_side_by_side(self, world, lived):
        gc = world.place("GC").path
        period = Period(dt.date(2026, 2, 15), dt.date(2026, 4, 15))
        months = by_month(gc, period)
        assert list(months) == [dt.date(2026, 3, 1)]
        communities = by_child_area(gc, period)
        assert set(communities) == {world.place("GC-JD").path, world.place("GC-TC").path}
        assert communities[world.place("GC-TC").path]["reported"] == 1

    def test_a_period_outside_the_matters_counts_nothing(self, world, lived):
        assert (
            by_category(world.place("GC").path, Period(dt.date(2020, 1, 1), dt.date(2020, 2, 1)))
            == {}
        )
