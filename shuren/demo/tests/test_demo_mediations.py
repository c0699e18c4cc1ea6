"""loaddemo's mediation cases: both of the article's organisations have mediators and a history
in every year since they opened, every status and outcome occurs, demo-tiaojie has open cases
this month (one near its time limit, one at risk), agreements carry their numbers and the items
of Art. 29, archived files are complete, the justice bureau's statistics of a past year give a
plausible success rate, and a second load adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from shuren.demo import data
from shuren.mediation import law, statistics
from shuren.mediation.casefile import checklist
from shuren.mediation.choices import AgreementForm, EventKind, Outcome, Status
from shuren.mediation.models import Mediation, MediationEvent, organisations_of
from shuren.mediation.outcome import agreement_facts
from shuren.people.models import Post, Team
from shuren.people.roles import Role
from shuren.places.models import Place

pytestmark = [pytest.mark.django_db, pytest.mark.early]

OPENED = {data.WORKSHOP[0]: 2019, data.MEDIATION_COMMITTEE[0]: 2018}


def test_both_organisations_have_mediators_and_cases_in_every_year_since_they_opened(demo):
    this_year = timezone.localdate().year
    for code, opened in OPENED.items():
        team = Team.objects.get(code=code)
        mediators = Post.objects.filter(team=team, role=Role.TIAOJIEYUAN)
        assert mediators.values("person").distinct().count() >= 3
        years = dict(
            Mediation.objects.filter(organisation=team)
            .values_list("registered_on__year")
            .annotate(n=Count("pk"))
        )
        assert sorted(years) == list(range(opened, this_year + 1)), code
        full_years = [n for year, n in years.items() if opened < year < this_year]
        assert min(full_years) >= 30, years


def test_the_workshops_first_case_was_at_jinyu_zhongyang(demo):
    first = Mediation.objects.filter(organisation__code=data.WORKSHOP[0]).order_by("number")[0]
    assert first.number == f"{data.WORKSHOP[0]}-2019-0001"
    assert first.place.code == data.JYZY[0]
    assert first.outcome == Outcome.AGREED


def test_every_status_outcome_and_agreement_form_occurs_and_most_cases_are_archived(demo):
    statuses = set(Mediation.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    outcomes = set(Mediation.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    forms = set(
        Mediation.objects.exclude(agreement_form="").values_list("agreement_form", flat=True)
    )
    assert forms == set(AgreementForm.values)
    total = Mediation.objects.count()
    assert Mediation.objects.filter(status=Status.ARCHIVED).count() > 0.9 * total
    sources = set(Mediation.objects.values_list("source", flat=True))
    assert len(sources) == 3


def test_demo_tiaojie_has_open_cases_this_month_one_near_its_limit_and_one_at_risk(demo):
    user = get_user_model().objects.get(username="demo-tiaojie")
    today = timezone.localdate()
    assert Team.objects.get(code=data.WORKSHOP[0]).pk in organisations_of(user)
    open_cases = Mediation.objects.visible_to(user).open()
    assert open_cases.filter(registered_on__gte=today.replace(day=1)).exists()
    assert any(0 <= m.days_left(today) <= 5 for m in open_cases)
    risky = open_cases.filter(at_risk=True, police_informed_at__isnull=False)
    assert risky.exists()
    # Entered through the actions: their events name the mediator.
    events = MediationEvent.objects.filter(mediation__in=open_cases, actor=user)
    assert {EventKind.REGISTERED, EventKind.SESSION, EventKind.RISK} <= set(
        events.values_list("kind", flat=True)
    )


def test_agreements_have_their_numbers_and_the_items_of_article_29(demo):
    agreed = Mediation.objects.filter(outcome=Outcome.AGREED)
    assert agreed.count() > 500
    numbers = list(agreed.values_list("agreement_number", flat=True))
    assert all(numbers)
    assert len(set(numbers)) == len(numbers)
    for m in list(agreed.order_by("pk"))[::17]:
        assert m.agreement_number.startswith(f"{m.organisation.code}-{m.agreed_on.year}-XY")
        assert law.missing_for_agreement(agreement_facts(m, m.agreement_form)) == []


def test_every_archived_file_is_complete(demo):
    for m in list(Mediation.objects.filter(status=Status.ARCHIVED).order_by("pk"))[::17]:
        assert law.missing_required(checklist(m)) == [], m.number
        kinds = list(m.events.values_list("kind", flat=True))
        assert kinds[0] == EventKind.REGISTERED
        assert kinds[-1] == EventKind.ARCHIVED


def test_a_past_years_statistics_of_the_subdistrict_give_a_plausible_success_rate(demo):
    year = timezone.localdate().year - 2
    gc = Place.objects.get(code=data.SUBDISTRICT[0])
    table = statistics.statistics(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), place=gc)
    assert table.total.accepted > 100
    assert table.total.rate is not None
    assert 80 <= table.total.rate <= 100
    assert table.total.amount > 0
    assert sum(line.accepted for line in table.by_source.values()) == table.total.accepted
    assert table.by_type["property_service"].accepted > table.by_type["labour"].accepted


def test_loading_again_adds_no_mediation(demo):
    before = Mediation.objects.count()
    call_command("loaddemo", stdout=StringIO())
    assert Mediation.objects.count() == before
