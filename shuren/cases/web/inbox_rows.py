"""The markup of an inbox's rows, written out in Python.

Every worker opens the inbox many times a day. Rendered by a template (a partial of
django-template-partials, once per page), the twenty rows of a page cost 6-11 ms at a million
matters on the 2-CPU server, five to eight times these 1.2-1.3 ms, and the whole page missed
its 20 ms (docs/performance.md, issue 8: "template partial or Python"). Here each label is
translated once per page and each value escaped by format_html; tests/test_inbox_html.py pins
the markup.
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
    offline: bool = False  # at tier 1, its leader has no login (cases/on_behalf.py)

    def __post_init__(self) -> None:
        if not self.url:
            object.__setattr__(self, "url", f"{detail_prefix()}{self.case.pk}/")


def render_rows(rows: Iterable[Row]) -> SafeString:
    """The <li> of each row, times in Asia/Shanghai; the list around them is the template's."""
    status_labels = {value: str(label) for value, label in Status.choices}
    overdue = gettext("Past the deadline")
    soon = gettext("Due soon")
    tier = gettext("Tier %(n)s")
    with_ = gettext("With:")
    dispatch = gettext("Dispatch")
    offline = gettext("Leader has no account")
    parts: list[str] = []
    for row in rows:
        case = row.case
        url = row.url
        badge = ""
        if case.is_open and case.overdue == OverdueFlag.RED:
            badge = format_html('<span class="badge badge-overdue">{}</span>', overdue)
        elif case.is_open and case.overdue == OverdueFlag.YELLOW:
            badge = format_html('<span class="badge badge-soon">{}</span>', soon)
        if row.offline:
            badge += format_html('<span class="badge badge-offline">{}</span>', offline)
        holder = case.assignee_person or case.assignee_team
        reported = timezone.localtime(case.reported_at, SHANGHAI)
        parts.append(
            format_html(
                '<li class="case-row"><a class="row" href="{url}">'
                '<span class="row-main">{title}</span>'
                '<span class="row-sub badges"><span class="badge badge-{tone}">{status}</span>'
                '{badge}<span class="badge badge-tier">{tier}</span></span>'
                '<span class="row-sub">{category} · {place}</span>'
                '<span class="row-sub"><span class="case-no">{number}</span> · '
                '<time datetime="{iso}">{shown}</time>{holder}</span></a>{action}</li>',
                url=url,
                title=case.title,
                tone=row.tone,
                status=status_labels.get(case.status, case.status),
                badge=badge,
                tier=tier % {"n": case.current_tier},
                category=case.category.full_label,
                place=case.place.name,
                number=case.number,
                iso=reported.isoformat(),
                shown=reported.strftime("%Y-%m-%d %H:%M"),
                holder=format_html(" · {} {}", with_, holder.name) if holder else "",
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
