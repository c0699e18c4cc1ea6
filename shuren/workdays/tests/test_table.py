"""The HolidayDay table: loaded by migration, edited in the admin, reloaded by command, cached."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shuren.workdays import current
from shuren.workdays.calendar import is_working_day
from shuren.workdays.current import current_calendar, invalidate_calendar
from shuren.workdays.models import HolidayDay, HolidayKind
from shuren.workdays.sources import calendar_from_files, read_year_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin_client(client, world):
    """The system administrator keeps the calendar (三员分立); a superuser flag alone does not."""
    client.force_login(world.user("demo-admin"))
    return client


def test_the_migration_loaded_every_day_of_every_file():
    expected = {
        (e.day, e.kind, e.name, f.year, f.provisional) for f in read_year_files() for e in f.entries
    }
    loaded = set(HolidayDay.objects.values_list("date", "kind", "name", "year", "provisional"))
    assert loaded == expected


def test_the_current_calendar_is_the_files_calendar():
    assert current_calendar() == calendar_from_files()
    assert current_calendar().years == frozenset({2025, 2026, 2027})


def test_the_calendar_is_read_once_and_then_served_from_memory(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = current_calendar()
        second = current_calendar()
    assert first is second


def test_after_the_cache_time_the_table_is_read_again(monkeypatch, django_assert_num_queries):
    current_calendar()
    monkeypatch.setattr(current, "CACHE_SECONDS", 0.0)
    with django_assert_num_queries(1):
        current_calendar()


def test_invalidating_rereads_the_table():
    assert is_working_day(current_calendar(), date(2026, 10, 10))
    HolidayDay.objects.filter(date=date(2026, 10, 10)).delete()
    # Without invalidation this process keeps its copy for up to CACHE_SECONDS.
    assert is_working_day(current_calendar(), date(2026, 10, 10))
    invalidate_calendar()
    assert not is_working_day(current_calendar(), date(2026, 10, 10))


def test_an_admin_edit_reaches_the_calendar_at_once(
    sysadmin_client, django_capture_on_commit_callbacks
):
    assert is_working_day(current_calendar(), date(2026, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin_client.post(
            reverse("admin:workdays_holidayday_add"),
            {"date": "2026-12-31", "kind": "off", "name": "测试", "year": "2026"},
        )
    assert response.status_code == 302
    assert not is_working_day(current_calendar(), date(2026, 12, 31))


def test_an_admin_delete_reaches_the_calendar_at_once(
    sysadmin_client, django_capture_on_commit_callbacks
):
    day = HolidayDay.objects.get(date=date(2025, 9, 28))
    assert is_working_day(current_calendar(), day.date)
    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin_client.post(
            reverse("admin:workdays_holidayday_delete", args=[day.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not is_working_day(current_calendar(), day.date)  # an ordinary Sunday again


def test_the_admin_refuses_a_make_up_day_on_a_weekday(sysadmin_client):
    response = sysadmin_client.post(
        reverse("admin:workdays_holidayday_add"),
        {"date": "2026-12-30", "kind": "makeup", "name": "测试", "year": "2026"},
    )
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not HolidayDay.objects.filter(date=date(2026, 12, 30)).exists()


def test_the_admin_lists_the_calendar_with_weekdays(sysadmin_client):
    response = sysadmin_client.get(reverse("admin:workdays_holidayday_changelist") + "?year=2026")
    assert response.status_code == 200
    assert "2026" in response.content.decode()


def test_the_system_administrator_keeps_the_calendar(world):
    assert world.user("demo-admin").has_perm("workdays.change_holidayday")
    assert not world.user("demo-auditor").has_perm("workdays.change_holidayday")
    assert not world.user("demo-jiedao").has_perm("workdays.view_holidayday")


def test_the_system_administrator_sees_the_calendar_in_the_admin(client, login):
    login("demo-admin")
    assert client.get(reverse("admin:workdays_holidayday_changelist")).status_code == 200


def test_loadholidays_restores_a_year_from_its_file(django_capture_on_commit_callbacks):
    HolidayDay.objects.filter(year=2025).delete()
    HolidayDay.objects.create(date=date(2025, 12, 31), kind=HolidayKind.OFF, name="误录", year=2025)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loadholidays", "--year", "2025", stdout=out)
    assert "2025: 33 days" in out.getvalue()
    assert not HolidayDay.objects.filter(date=date(2025, 12, 31)).exists()
    assert HolidayDay.objects.filter(year=2025).count() == 33
    assert current_calendar() == calendar_from_files()


def test_loadholidays_refuses_a_year_without_a_file():
    with pytest.raises(CommandError, match="2031"):
        call_command("loadholidays", "--year", "2031", stdout=StringIO())
