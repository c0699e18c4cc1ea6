"""The markup of an inbox's rows, written out in Python.

Every worker opens the inbox many times a day. Rendered by a template (a partial of
django-template-partials, once per page), the twenty rows of a page cost 6-11 ms at a million
matters on the 2-CPU server, five to eight times these 1.2-1.3 ms, and the whole page missed
its 20 ms (docs/performance.md, issue 8: "template partial or Python"). Here each label is
translated once per page and each value escaped by format_html; tests/test_inbox_html.py pins
the markup.

A row is a table row: at a desk (1024 px and wider) the inbox is a table with a column per
fact; below that cases.css draws each row as a card. Cell labels that the column headers give
at a desk are written in the cell for the card, and hidden at a desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
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
    place: str = ""  # the place's chain (社区 › 小区 › 楼栋); its own name when not given
    pick: bool = False  # a checkbox to dispatch it with others
    checked: bool = False  # picked already (the desk shown again after a refused dispatch)

    def __post_init__(self) -> None:
        if not self.url:
            object.__setattr__(self, "url", f"{detail_prefix()}{self.case.pk}/")


def _when(moment: object, label: str) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment, SHANGHAI)  # type: ignore[arg-type]
    return format_html(
        '<span class="cell-label">{} </span><time datetime="{}">{}</time>',
        label,
        local.isoformat(),
        local.strftime("%Y-%m-%d %H:%M"),
    )


def render_rows(rows: Iterable[Row], *, picking: bool = False) -> SafeString:
    """The <tr> of each row, times in Asia/Shanghai; the table around them is the template's.
    With `picking`, every row has a first cell, with a checkbox where the row may be picked."""
    status_labels = {value: str(label) for value, label in Status.choices}
    overdue = gettext("Past the deadline")
    soon = gettext("Due soon")
    tier = gettext("Tier %(n)s")
    with_ = gettext("With:")
    reported_label = gettext("Reported on")
    due_label = gettext("Deadline")
    dispatch = gettext("Dispatch")
    choose = gettext("Choose %(number)s")
    parts: list[str] = []
    for row in rows:
        case = row.case
        url = row.url
        badge = ""
        if case.is_open and case.overdue == OverdueFlag.RED:
            badge = format_html('<span class="badge badge-overdue">{}</span>', overdue)
        elif case.is_open and case.overdue == OverdueFlag.YELLOW:
            badge = format_html('<span class="badge badge-soon">{}</span>', soon)
        holder = case.assignee_person or case.assignee_team
        pick = ""
        if picking:
            pick = format_html(
                '<td class="cell-pick">{}</td>',
                format_html(
                    '<input type="checkbox" name="pick" value="{}:{}" aria-label="{}"{}>',
                    case.pk,
                    case.version,
                    choose % {"number": case.number},
                    " checked" if row.checked else "",
                )
                if row.pick
                else "",
            )
        due = _when(case.current_due, due_label)
        parts.append(
            format_html(
                '<tr class="case-row">{pick}'
                '<td class="cell-title"><a class="row" href="{url}">'
                '<span class="row-main">{title}</span>'
                '<span class="row-sub"><span class="case-no">{number}</span> · {category}'
                "</span></a></td>"
                '<td class="cell-place">{place}</td>'
                '<td class="cell-state"><span class="badges">'
                '<span class="badge badge-{tone}">{status}</span>{badge}</span></td>'
                '<td class="cell-tier"><span class="badge badge-tier">{tier}</span></td>'
                '<td class="cell-reported">{reported}</td>'
                '<td class="cell-due{due_empty}">{due}</td>'
                '<td class="cell-holder{holder_empty}">{holder}</td>'
                '<td class="cell-action">{action}</td></tr>',
                pick=pick,
                url=url,
                title=case.title,
                number=case.number,
                category=case.category.full_label,
                place=row.place or case.place.name,
                tone=row.tone,
                status=status_labels.get(case.status, case.status),
                badge=badge,
                tier=tier % {"n": case.current_tier},
                reported=_when(case.reported_at, reported_label),
                due=due,
                due_empty="" if due else " cell-empty",
                holder=format_html('<span class="cell-label">{} </span>{}', with_, holder.name)
                if holder
                else "",
                holder_empty="" if holder else " cell-empty",
                action=format_html(
                    '<a class="button row-action" href="{}?act=assign#act-assign">{}'
                    '<span class="visually-hidden"> {}</span></a>',
                    url,
                    dispatch,
                    case.number,
                )
                if row.dispatch
                else "",
            )
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece went through format_html


def detail_prefix() -> str:
    """The case page's address without its id: one reverse() per page instead of per row."""
    marker = 987654321
    return reverse("cases:detail", kwargs={"pk": marker}).removesuffix(f"{marker}/")
