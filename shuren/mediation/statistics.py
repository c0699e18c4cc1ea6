"""The justice bureau's mediation statistics (rules-cn.md §2) for an organisation or a place and
a period: accepted, succeeded, success rate, amount involved, by the official dispute types and
by source, and the prevention counters (conversions to criminal cases and to group petitions
prevented: cases and persons). `tabulate` is pure and proven by the tests; `statistics` reads
the rows with one query.

Definitions (shown with the figures): a case counts in the period it was registered in
(受理); it succeeded when it ended in an agreement (调解成功), whenever that was; the success
rate is succeeded / accepted; the amount is what the accepted cases involve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from shuren.mediation.choices import DisputeType, Outcome, Source
from shuren.mediation.models import Mediation
from shuren.places.paths import subtree_q


@dataclass(frozen=True)
class Row:
    dispute_type: str
    source: str
    outcome: str
    amount: Decimal
    criminal_persons: int
    petition_persons: int


@dataclass
class Line:
    """One line of the table: a dispute type, a source, or the total."""

    accepted: int = 0
    succeeded: int = 0
    amount: Decimal = Decimal("0")

    @property
    def rate(self) -> Decimal | None:
        """Succeeded / accepted, in per cent to one decimal; None with nothing accepted."""
        if not self.accepted:
            return None
        return (Decimal(100 * self.succeeded) / self.accepted).quantize(Decimal("0.1"))


@dataclass
class Table:
    total: Line = field(default_factory=Line)
    by_type: dict[str, Line] = field(default_factory=dict)
    by_source: dict[str, Line] = field(default_factory=dict)
    criminal_cases: int = 0
    criminal_persons: int = 0
    petition_cases: int = 0
    petition_persons: int = 0


def _add(line: Line, row: Row) -> None:
    line.accepted += 1
    line.succeeded += row.outcome == Outcome.AGREED
    line.amount += row.amount


def tabulate(rows: Iterable[Row]) -> Table:
    """The table of these accepted cases; every dispute type and source has a line (zeros
    included), in the bureau's order."""
    table = Table(
        by_type={t: Line() for t in DisputeType.values},
        by_source={s: Line() for s in Source.values},
    )
    for row in rows:
        _add(table.total, row)
        _add(table.by_type[row.dispute_type], row)
        _add(table.by_source[row.source], row)
        if row.criminal_persons:
            table.criminal_cases += 1
            table.criminal_persons += row.criminal_persons
        if row.petition_persons:
            table.petition_cases += 1
            table.petition_persons += row.petition_persons
    return table


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month."""
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def statistics(
    *, start: dt.date, end: dt.date, organisation: Any = None, place: Any = None
) -> Table:
    """The table of the cases registered from start to end (inclusive), of one organisation
    and/or at places under one place. One query."""
    q = Q(registered_on__gte=start, registered_on__lte=end)
    if organisation is not None:
        q &= Q(organisation=organisation)
    if place is not None:
        q &= subtree_q(place.path, "place_path")
    values = Mediation.objects.filter(q).values_list(
        "dispute_type",
        "source",
        "outcome",
        "amount",
        "prevented_criminal_persons",
        "prevented_petition_persons",
    )
    return tabulate(Row(*v) for v in values.order_by())
