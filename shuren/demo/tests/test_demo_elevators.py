"""loaddemo's elevator retrofits: the article's 65 stairwells in 24 old estates are in service
(from the records, 2016-2019), the work report counts them, and 尖东新村 has projects under way
at the survey, the vote (its vote open now), the notice (an objection sent to mediation),
construction, and one in service this month; a second load adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.models import ElevatorProject, Objection
from shuren.insights.figures import Period, figures
from shuren.insights.report import values
from shuren.places.models import Place, PlaceKind

pytestmark = [pytest.mark.django_db, pytest.mark.early]


def test_65_stairwells_of_24_old_estates_are_in_service_from_the_records(demo):
    history = ElevatorProject.objects.filter(from_records=True)
    assert history.count() == 65
    assert history.filter(stage=Stage.IN_SERVICE).count() == 65
    assert history.values("estate").distinct().count() == 24
    estates = Place.objects.filter(pk__in=history.values("estate"))
    assert set(estates.values_list("property_company", flat=True)) == {None}  # old estates
    assert set(history.values_list("place__kind", flat=True)) == {PlaceKind.BUILDING}
    first = history.order_by("in_service_on").first().in_service_on
    last = history.order_by("-in_service_on").first().in_service_on
    assert dt.date(2016, 3, 1) <= first <= last <= dt.date(2019, 6, 30)


def test_the_work_report_counts_them(demo):
    gc = Place.objects.get(code="GC")
    found = values(figures(gc.path, Period(dt.date(2016, 1, 1), dt.date(2019, 12, 31))))
    assert (found["elevator_stairwells"], found["elevator_estates"]) == (65, 24)


def test_jiandong_xincun_has_projects_under_way_and_one_vote_open_now(demo):
    live = ElevatorProject.objects.filter(from_records=False, estate__code="GC-JD-JDXC")
    stages = sorted(live.values_list("stage", flat=True))
    assert stages == sorted(
        [Stage.SURVEY, Stage.VOTE, Stage.NOTICE, Stage.CONSTRUCTION, Stage.IN_SERVICE]
    )
    voting = live.get(stage=Stage.VOTE)
    assert voting.vote is not None
    assert voting.vote.is_open()
    objection = Objection.objects.get(project__in=live)
    assert objection.case is not None
    assert objection.mediation_team is not None
    in_service = live.get(stage=Stage.IN_SERVICE)
    assert in_service.in_service_on >= timezone.localdate() - dt.timedelta(days=10)
    assert live.get(stage=Stage.CONSTRUCTION).total_cost is not None


def test_a_second_load_adds_no_elevator(demo):
    before = ElevatorProject.objects.count()
    call_command("loaddemo", stdout=StringIO())
    assert ElevatorProject.objects.count() == before
