"""Fixtures for the mediation tests: the shared world's workshop (苏志敏创熟调解工作室, T-SZM) and
its mediator demo-tiaojie (苏调解, for 尖东 and 同成), a registered dispute, and the matters'
own fixtures (report, category, fresh_calendar)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401
from shuren.mediation.actions import PartyInput, register_mediation
from shuren.mediation.choices import DisputeType, PartyRole, Source
from shuren.mediation.models import Mediation
from shuren.people.models import Team
from shuren.workdays.calendar import SHANGHAI

# Tuesday 3 March 2026, 09:30 in Guicheng.
REGISTERED_AT = dt.datetime(2026, 3, 3, 9, 30, tzinfo=SHANGHAI)
PARTIES = (
    PartyInput(PartyRole.APPLICANT, "王秀英", phone="13812345678", id_number="440602195803031231"),
    PartyInput(PartyRole.RESPONDENT, "陈美玲", phone="13711112222"),
)


@pytest.fixture(autouse=True)
def _in_english():
    """The domain's tests read the law's words as written (English); the Chinese of them is the
    catalog's, read by the API's and the pages' tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def workshop(db) -> Team:
    return Team.objects.get(code="T-SZM")


@pytest.fixture
def register(world, workshop):
    """Register a dispute as a named mediator (demo-tiaojie) and return it."""

    def _register(username: str = "demo-tiaojie", **extra: Any) -> Mediation:
        values: dict[str, Any] = {
            "organisation": workshop,
            "place": world.place("GC-JD-JYLW-B01"),
            "source": Source.APPLICATION,
            "dispute_type": DisputeType.NEIGHBOURS,
            "title": "楼上漏水纠纷",
            "summary": "101室天花板渗水，双方对维修费用分担有争议。",
            "amount": "3200",
            "parties": PARTIES,
            "at": REGISTERED_AT,
        }
        values.update(extra)
        return register_mediation(actor=world.user(username) if username else None, **values)

    return _register
