"""The markup of an inbox's rows, written out in Python.

Every worker opens the inbox many times a day. Rendered by a template (a partial of
django-template-partials, once per page), the twenty rows of a page cost 6-11 ms at a million
matters on the 2-CPU server, five to eight times these 1.2-1.3 ms, and the whole page missed
its 20 ms (docs/performance.md, issue 8: "template partial or Python"). Here each label is
translated and escaped once per page and each value escaped once (format_html for each of the
desk's cells cost another 1 ms a page, issue 9); tests/test_inbox_html.py pins the markup.

A row is a table row: at a desk (1024 px and wider) the inbox is a table with a column per
fact; below that cases.css draws each row as a card. Cell labels that the column headers give
at a desk are written in the cell for the card, and hidden at a desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from shuren.cases.models import Case, OverdueFlag, Status
from shuren.workdays.calendar import SHANGHAI


@dataclass(frozen=True)
class Row:
    case: Case
    tone: str
    dispatch: bool  # a 派单 button straight from the list
    url: str = ""
    offline: bool = False  # at tier 1, its leader has no login (cases/on_behalf.py)
    place: str = ""  # the place's chain (社区 › 小区 › 楼栋); its own name when not given
    pick: bool = False  # a checkbox to dispatch it with others
    checked: bool = False  # picked already (the desk shown again after a refused dispatch)

    def __post_init__(self) -> None:
        if not self.url:
            object.__setattr__(self, "url", f"{detail_prefix()}{self.case.pk}/")


def _when(moment: Any, label: str) -> str:
    """A time cell's content; `label` is already escaped, the digits need no escaping."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, SHANGHAI)
    return (
        f'<span class="cell-label">{label} </span>'
        f'<time datetime="{local.isoformat()}">{local:%Y-%m-%d %H:%M}</time>'
    )


def render_rows(rows: Iterable[Row], *, picking: bool = False) -> SafeString:
    """The <tr> of each row, times in Asia/Shanghai; the table around them is the template's.
    With `picking`, every row has a first cell, with a checkbox where the row may be picked.
    Each label is translated and escaped once per page, each value of a row escaped once."""
    status_labels = {value: escape(label) for value, label in Status.choices}
    overdue = f'<span class="badge badge-overdue">{escape(gettext("Past the deadline"))}</span>'
    soon = f'<span class="badge badge-soon">{escape(gettext("Due soon"))}</span>'
    tier = gettext("Tier %(n)s")
    with_ = escape(gettext("With:"))
    reported_label = escape(gettext("Reported on"))
    due_label = escape(gettext("Deadline"))
    dispatch = escape(gettext("Dispatch"))
    choose = gettext("Choose %(number)s")
    offline = f'<span class="badge badge-offline">{escape(gettext("Leader has no account"))}</span>'
    parts: list[str] = []
    for row in rows:
        case = row.case
        url = escape(row.url)
        number = escape(case.number)
        badge = ""
        if case.is_open and case.overdue == OverdueFlag.RED:
            badge = overdue
        elif case.is_open and case.overdue == OverdueFlag.YELLOW:
            badge = soon
        if row.offline:
            badge += offline
        holder = case.assignee_person or case.assignee_team
        pick = ""
        if picking:
            box = ""
            if row.pick:
                box = (
                    f'<input type="checkbox" name="pick" value="{int(case.pk)}:{int(case.version)}"'
                    f' aria-label="{escape(choose % {"number": case.number})}"'
                    f"{' checked' if row.checked else ''}>"
                )
            pick = f'<td class="cell-pick">{box}</td>'
        due = _when(case.current_due, due_label)
        holder_cell = (
            f'<td class="cell-holder"><span class="cell-label">{with_} </span>'
            f"{escape(holder.name)}</td>"
            if holder
            else '<td class="cell-holder cell-empty"></td>'
        )
        action = (
            f'<a class="button row-action" href="{url}?act=assign#act-assign">{dispatch}'
            f'<span class="visually-hidden"> {number}</span></a>'
            if row.dispatch
            else ""
        )
        parts.append(
            f'<tr class="case-row">{pick}'
            f'<td class="cell-title"><a class="row" href="{url}">'
            f'<span class="row-main">{escape(case.title)}</span>'
            f'<span class="row-sub"><span class="case-no">{number}</span> · '
            f"{escape(case.category.full_label)}</span></a></td>"
            f'<td class="cell-place">{escape(row.place or case.place.name)}</td>'
            f'<td class="cell-state"><span class="badges"><span class="badge '
            f'badge-{escape(row.tone)}">{status_labels.get(case.status, escape(case.status))}'
            f"</span>{badge}</span></td>"
            f'<td class="cell-tier"><span class="badge badge-tier">'
            f"{escape(tier % {'n': case.current_tier})}</span></td>"
            f'<td class="cell-reported">{_when(case.reported_at, reported_label)}</td>'
            f'<td class="cell-due{"" if due else " cell-empty"}">{due}</td>'
            f'{holder_cell}<td class="cell-action">{action}</td></tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value went through escape()


def detail_prefix() -> str:
    """The case page's address without its id: one reverse() per page instead of per row."""
    marker = 987654321
    return reverse("cases:detail", kwargs={"pk": marker}).removesuffix(f"{marker}/")
