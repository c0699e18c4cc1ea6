"""Writers of the holiday calendar: loading the year files into HolidayDay."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from shuren.workdays.current import invalidate_calendar
from shuren.workdays.models import HolidayDay
from shuren.workdays.sources import DATA_DIR, YearFile, read_year_files


def write_year_files(*, model: Any, year_files: Iterable[YearFile]) -> dict[int, int]:
    """Replace each given year's rows with its file's days; returns rows written per year.

    Takes the model class so the data migration can pass its historical model. Days of other
    years are left alone; a day the file lists replaces whatever row held that date before.
    """
    written: dict[int, int] = {}
    for year_file in year_files:
        days = [entry.day for entry in year_file.entries]
        model.objects.filter(year=year_file.year).delete()
        model.objects.filter(date__in=days).delete()
        model.objects.bulk_create(
            model(
                date=entry.day,
                kind=entry.kind,
                name=entry.name,
                year=year_file.year,
                provisional=year_file.provisional,
            )
            for entry in year_file.entries
        )
        written[year_file.year] = len(days)
    return written


@transaction.atomic
def load_holidays(
    *, years: Iterable[int] | None = None, data_dir: Path = DATA_DIR
) -> dict[int, int]:
    """Load the holiday files (all, or only ``years``) into HolidayDay, replacing admin edits.

    Every file is read and checked first, so a broken file changes nothing.
    """
    year_files = read_year_files(data_dir)
    if years is not None:
        wanted = set(years)
        missing = wanted - {year_file.year for year_file in year_files}
        if missing:
            raise ValueError(f"no holiday file for {sorted(missing)} in {data_dir}")
        year_files = [year_file for year_file in year_files if year_file.year in wanted]
    written = write_year_files(model=HolidayDay, year_files=year_files)
    transaction.on_commit(invalidate_calendar)
    return written
