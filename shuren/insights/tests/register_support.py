"""The matters the register's tests export: a handful in 尖东社区 in March 2026, one just outside
the period on each side, and one in 同成社区 (another community)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from shuren.cases import actions
from shuren.cases.models import Case, Category
from shuren.testing import World
from shuren.workdays.calendar import SHANGHAI

START, END = "2026-03-01", "2026-03-31"


def sh(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def report(world: World, place: str, at: dt.datetime, **extra: Any) -> Case:
    extra.setdefault("title", "楼下邻居晒咸鱼，气味很大")
    category = Category.objects.get(code=extra.pop("category", "neighbour-odour"))
    return actions.report_case(place=world.place(place), category=category, at=at, **extra)


def known_matters(world: World) -> dict[str, Case]:
    """Five matters; the first two settled, the rest open."""
    settled = report(
        world,
        "GC-JD-JYLW-B01-U1",
        sh(2026, 3, 2),
        actor=world.user("demo-resident"),
        description="每天下午都晒，电话 13812345678 可以联系我",
    )
    actions.accept_case(actor=world.user("demo-louzhang"), case=settled, at=sh(2026, 3, 2, 11))
    settled = actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=Case.objects.get(pk=settled.pk),
        method="on_the_spot",
        summary="楼长上门协调，改到天台晾晒",
        at=sh(2026, 3, 4),
    )
    actions.follow_up_case(
        actor=world.user("demo-resident"),
        case=Case.objects.get(pk=settled.pk),
        satisfied=True,
        at=sh(2026, 3, 5),
    )
    called = report(
        world,
        "GC-JD-JYLW-B02",
        sh(2026, 3, 31, 23, 30),  # the last evening of the period: inside
        actor=None,
        category="neighbour-leak",
        title='=HYPERLINK("http://x","点这里")',
        contact_name="刘德华",
        contact_phone="13987654321",
    )
    disputed = report(
        world,
        "GC-JD-JYLW-B01",
        sh(2026, 3, 10),
        actor=world.user("demo-shequ"),
        reporter=world.person("P-CHEN"),
        title="装修噪音",
        category="neighbour-noise",
        parties=[(world.person("P-LZ1"), "respondent")],
    )
    before = report(world, "GC-JD-JYLW-B01", sh(2026, 2, 28, 23, 50), actor=None, title="二月")
    after = report(world, "GC-JD-JYLW-B01", sh(2026, 4, 1, 0, 10), actor=None, title="四月")
    other = report(world, "GC-TC-JYZY-T1", sh(2026, 3, 3), actor=None, title="同成的事")
    return {
        "settled": Case.objects.get(pk=settled.pk),
        "called": called,
        "disputed": disputed,
        "before": before,
        "after": after,
        "other": other,
    }


def sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Each sheet's rows as lists of values (empty trailing cells dropped)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    out: dict[str, list[list[Any]]] = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        out[sheet.title] = rows
    return out


def register_lines(content: bytes) -> list[list[Any]]:
    """The register sheet's matter lines (after its title and header rows)."""
    return next(iter(sheets(content).values()))[2:]


def summary(content: bytes) -> dict[str, list[Any]]:
    """The summary sheet as {first cell: the rest of its row}."""
    rows = list(sheets(content).values())[1]
    return {str(row[0]): row[1:] for row in rows if row}
