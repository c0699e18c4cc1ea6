"""The holiday files say what the notices say, and a broken file is refused with its name."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shuren.workdays.sources import (
    MAKEUP,
    OFF,
    HolidayFileError,
    YearFile,
    read_year_file,
    read_year_files,
)


def by_year() -> dict[int, YearFile]:
    return {year_file.year: year_file for year_file in read_year_files()}


def days(year: int, kind: str) -> dict[date, str]:
    year_file = by_year()[year]
    return {e.day: e.name for e in year_file.entries if e.kind == kind}


def test_there_is_a_file_for_2025_2026_and_2027():
    assert sorted(by_year()) == [2025, 2026, 2027]


def test_2025_and_2026_are_from_the_published_notices_and_2027_is_provisional():
    files = by_year()
    assert files[2025].provisional is False
    assert files[2026].provisional is False
    assert files[2027].provisional is True
    assert "国办发明电〔2024〕12号" in files[2025].source
    assert "暂定" in files[2027].source


def test_the_2025_make_up_days_are_the_notices():
    assert days(2025, MAKEUP) == {
        date(2025, 1, 26): "春节",
        date(2025, 2, 8): "春节",
        date(2025, 4, 27): "劳动节",
        date(2025, 9, 28): "国庆节、中秋节",
        date(2025, 10, 11): "国庆节、中秋节",
    }


def test_the_2026_make_up_days_are_the_notices():
    assert days(2026, MAKEUP) == {
        date(2026, 1, 4): "元旦",
        date(2026, 2, 14): "春节",
        date(2026, 2, 28): "春节",
        date(2026, 5, 9): "劳动节",
        date(2026, 9, 20): "国庆节",
        date(2026, 10, 10): "国庆节",
    }


@pytest.mark.parametrize(
    ("year", "name", "first", "last"),
    [
        (2025, "元旦", date(2025, 1, 1), date(2025, 1, 1)),
        (2025, "春节", date(2025, 1, 28), date(2025, 2, 4)),
        (2025, "清明节", date(2025, 4, 4), date(2025, 4, 6)),
        (2025, "劳动节", date(2025, 5, 1), date(2025, 5, 5)),
        (2025, "端午节", date(2025, 5, 31), date(2025, 6, 2)),
        (2025, "国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8)),
        (2026, "元旦", date(2026, 1, 1), date(2026, 1, 3)),
        (2026, "春节", date(2026, 2, 15), date(2026, 2, 23)),
        (2026, "清明节", date(2026, 4, 4), date(2026, 4, 6)),
        (2026, "劳动节", date(2026, 5, 1), date(2026, 5, 5)),
        (2026, "端午节", date(2026, 6, 19), date(2026, 6, 21)),
        (2026, "中秋节", date(2026, 9, 25), date(2026, 9, 27)),
        (2026, "国庆节", date(2026, 10, 1), date(2026, 10, 7)),
    ],
)
def test_each_holiday_period_is_every_day_from_first_to_last(year, name, first, last):
    listed = sorted(day for day, holiday in days(year, OFF).items() if holiday == name)
    assert listed[0] == first
    assert listed[-1] == last
    assert len(listed) == (last - first).days + 1


def test_every_make_up_day_is_a_weekend_day():
    for year in (2025, 2026, 2027):
        assert all(day.weekday() >= 5 for day in days(year, MAKEUP))


def test_each_year_takes_thirteen_weekdays_off_net_of_make_up_days():
    # 全国年节及纪念日放假办法 (2024 revision): 13 statutory days; 调休 only moves days.
    for year in (2025, 2026, 2027):
        weekdays_off = sum(day.weekday() < 5 for day in days(year, OFF))
        assert weekdays_off - len(days(year, MAKEUP)) == 13


def write(tmp_path, year, payload):
    path = tmp_path / f"cn-{year}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def payload(**changes):
    base = {
        "year": 2030,
        "provisional": True,
        "source": "test",
        "holidays": [{"name": "国庆节", "off": ["2030-10-01"], "makeup": ["2030-09-29"]}],
    }
    base.update(changes)
    return base


def test_a_good_file_reads(tmp_path):
    year_file = read_year_file(write(tmp_path, 2030, payload()))
    assert [(e.day, e.kind) for e in year_file.entries] == [
        (date(2030, 9, 29), MAKEUP),
        (date(2030, 10, 1), OFF),
    ]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"year": 2031}, "file name"),
        ({"provisional": "no"}, "provisional"),
        ({"source": ""}, "source"),
        ({"holidays": []}, "holidays"),
        ({"holidays": [{"name": "国庆节", "off": ["2030-13-01"]}]}, "YYYY-MM-DD"),
        ({"holidays": [{"name": "国庆节", "off": ["2031-10-01"]}]}, "not in 2030"),
        ({"holidays": [{"name": "国庆节", "off": ["2030-10-01"], "days": 3}]}, "3 days"),
        (
            {"holidays": [{"name": "国庆节", "off": ["2030-10-01"], "makeup": ["2030-09-30"]}]},
            "Saturday or Sunday",
        ),
        (
            {
                "holidays": [
                    {"name": "国庆节", "off": ["2030-10-01"]},
                    {"name": "中秋节", "off": ["2030-10-01"]},
                ]
            },
            "listed twice",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_file(tmp_path, changes, problem):
    with pytest.raises(HolidayFileError, match=problem) as caught:
        read_year_file(write(tmp_path, 2030, payload(**changes)))
    assert "cn-2030.json" in str(caught.value)


def test_the_same_day_in_two_files_is_refused(tmp_path):
    write(tmp_path, 2030, payload())
    write(
        tmp_path,
        2031,
        payload(year=2031, holidays=[{"name": "元旦", "off": ["2031-01-01"], "makeup": []}]),
    )
    assert [f.year for f in read_year_files(tmp_path)] == [2030, 2031]
    write(
        tmp_path,
        2031,
        payload(
            year=2031, holidays=[{"name": "元旦", "off": ["2031-01-01"], "makeup": ["2030-09-29"]}]
        ),
    )
    with pytest.raises(HolidayFileError, match="both"):
        read_year_files(tmp_path)
