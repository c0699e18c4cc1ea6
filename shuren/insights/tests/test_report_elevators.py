"""The work report counts the elevator retrofits: the stairwells whose elevator entered service
in the period at the place or below, and their estates once each; the page, the workbook and
the API give the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.accounts.models import ApiToken
from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.models import ElevatorProject
from shuren.insights.figures import Period, figures
from shuren.insights.report import values

pytestmark = pytest.mark.django_db


def _in_service(world, code, day, estate="GC-JD-JYLW"):
    return ElevatorProject.objects.create(
        place=world.place(code),
        estate=world.place(estate) if estate else None,
        title=f"{code} 加装电梯",
        stage=Stage.IN_SERVICE,
        in_service_on=day,
    )


@pytest.fixture
def elevators(world):
    _in_service(world, "GC-JD-JYLW-B01-U1", dt.date(2026, 3, 3))
    _in_service(world, "GC-JD-JYLW-B02-U1", dt.date(2026, 3, 31))
    _in_service(world, "GC-JD-JDXC-B01", dt.date(2026, 4, 1), estate="GC-JD-JDXC")
    _in_service(world, "GC-TC-JYZY-T1", dt.date(2026, 3, 10), estate="GC-TC-JYZY")
    ElevatorProject.objects.create(
        place=world.place("GC-JB-L01-B01"), title="施工中", stage=Stage.CONSTRUCTION
    )


def counted(world, code, start, end):
    found = values(figures(world.place(code).path, Period(start, end)))
    return found["elevator_stairwells"], found["elevator_estates"]


def test_stairwells_that_entered_service_in_the_period_and_their_estates_once(world, elevators):
    march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert counted(world, "GC-JD", *march) == (2, 1)
    assert counted(world, "GC", *march) == (3, 2)
    assert counted(world, "GC", dt.date(2026, 3, 1), dt.date(2026, 4, 30)) == (4, 3)
    assert counted(world, "GC-JD-JYLW-B01", *march) == (1, 1)
    assert counted(world, "GC-JB", dt.date(2020, 1, 1), dt.date(2026, 12, 31)) == (0, 0)


def test_the_api_and_the_page_give_the_same_numbers(client, world, elevators):
    query = {"place": world.place("GC").pk, "start": "2026-03-01", "end": "2026-03-31"}
    _token, raw = ApiToken.issue(user=world.user("demo-jiedao"), name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get("/api/v1/stats/report", query, headers=headers).json()
    assert (body["elevator_stairwells"], body["elevator_estates"]) == (3, 2)
    client.force_login(world.user("demo-jiedao"))
    page = client.get("/insights/report/", query).content.decode()
    assert "成功加装电梯的楼道3条、加装电梯的小区2个" in page
