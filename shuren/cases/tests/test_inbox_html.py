"""An inbox row's markup: what it shows, escaped, in Asia/Shanghai time; a table row at a desk
that cases.css draws as a card on a phone."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from shuren.cases import actions
from shuren.cases.inbox.queries import page_rows
from shuren.cases.models import OverdueFlag
from shuren.cases.tests.conftest import sh
from shuren.cases.web.inbox_rows import Row, render_rows
from shuren.workdays.calendar import SHANGHAI


def test_a_row_shows_title_state_tier_category_place_number_and_local_time(world, report):
    case = report(title="楼下邻居晒咸鱼", at=sh(2026, 3, 2, 0, 30))  # 16:30 UTC the day before
    (row,) = page_rows([case.pk])
    row.overdue = OverdueFlag.NONE  # a new matter's first deadline may already be near
    with translation.override("zh-hans"):
        html = render_rows([Row(case=row, tone="new", dispatch=False)])
    url = reverse("cases:detail", kwargs={"pk": case.pk})
    assert html.startswith(
        f'<tr class="case-row"><td class="cell-title"><a class="row" href="{url}">'
    )
    assert '<span class="row-main">楼下邻居晒咸鱼</span>' in html
    assert f'<span class="case-no">{case.number}</span> · {row.category.full_label}' in html
    assert '<span class="badge badge-new">待受理</span>' in html
    assert '<span class="badge badge-tier">第1级</span>' in html
    assert f'<td class="cell-place">{row.place.name}</td>' in html  # no chain given: its name
    assert (
        '<td class="cell-reported"><span class="cell-label">反映时间 </span>'
        '<time datetime="2026-03-02T00:30:00+08:00">2026-03-02 00:30</time></td>'
    ) in html
    due = timezone.localtime(row.accept_due, SHANGHAI)
    assert (
        f'<td class="cell-due"><span class="cell-label">期限 </span>'
        f'<time datetime="{due.isoformat()}">{due:%Y-%m-%d %H:%M}</time></td>'
    ) in html
    assert '<td class="cell-holder cell-empty"></td>' in html  # nobody holds it yet
    assert "row-action" not in html  # no dispatch button unless asked
    assert "checkbox" not in html  # nor a box to tick
    assert "badge-overdue" not in html
    assert "badge-soon" not in html


def test_a_row_shows_the_chain_of_its_place_when_given(world, report):
    (row,) = page_rows([report().pk])
    html = render_rows(
        [Row(case=row, tone="new", dispatch=False, place="尖东社区 › 金域蓝湾 › 1栋")]
    )
    assert '<td class="cell-place">尖东社区 › 金域蓝湾 › 1栋</td>' in html


def test_a_desk_row_has_a_box_to_tick_carrying_the_version_it_shows(world, report):
    waiting, given = report(), report()
    rows = page_rows([waiting.pk, given.pk])
    with translation.override("zh-hans"):
        html = render_rows(
            [Row(rows[0], "new", True, pick=True, checked=True), Row(rows[1], "new", False)],
            picking=True,
        )
    first, second = html.split("\n")
    assert (
        f'<td class="cell-pick"><input type="checkbox" name="pick" value="{waiting.pk}:1" '
        f'aria-label="选择 {waiting.number}" checked></td>'
    ) in first
    assert '<td class="cell-pick"></td>' in second  # the column is kept, the box is not


def test_the_title_and_names_are_escaped(world, report):
    case = report(title='<script>alert("x")</script> & 噪音')
    (row,) = page_rows([case.pk])
    html = render_rows([Row(case=row, tone="new", dispatch=False)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 噪音" in html


def test_an_open_matter_shows_its_overdue_or_due_soon_badge_a_settled_one_does_not(world, report):
    red, yellow, settled = report(), report(), report()
    (r, y, s) = page_rows([red.pk, yellow.pk, settled.pk])
    r.overdue, y.overdue = OverdueFlag.RED, OverdueFlag.YELLOW
    s.overdue, s.status = OverdueFlag.RED, "closed"
    with translation.override("zh-hans"):
        html = render_rows([Row(case=c, tone="new", dispatch=False) for c in (r, y, s)])
    first, second, third = html.split("\n")
    assert '<span class="badge badge-overdue">逾期</span>' in first
    assert '<span class="badge badge-soon">即将到期</span>' in second
    assert "badge-overdue" not in third
    assert "badge-soon" not in third


def test_the_holder_and_the_dispatch_button_show_when_they_apply(world, report):
    company = world.place("GC-JD-JYLW").property_company
    given, waiting = report(), report()
    actions.assign_case(actor=world.user("demo-shequ"), case=given, team=company)
    rows = page_rows([given.pk, waiting.pk])
    with translation.override("zh-hans"):
        html = render_rows(
            [Row(case=rows[0], tone="working", dispatch=False), Row(rows[1], "new", True)]
        )
    first, second = html.split("\n")
    assert f'<span class="cell-label">承办： </span>{company.name}</td>' in first
    url = reverse("cases:detail", kwargs={"pk": waiting.pk})
    assert (
        f'<a class="button row-action" href="{url}?act=assign#act-assign">派单'
        f'<span class="visually-hidden"> {waiting.number}</span></a></td></tr>'
    ) in second


def test_the_labels_follow_the_language(world, report):
    (row,) = page_rows([report().pk])
    with translation.override("en"):
        html = render_rows([Row(case=row, tone="new", dispatch=True)])
    assert ">Reported</span>" in html
    assert ">Reported on </span>" in html
    assert ">Tier 1</span>" in html
    assert ">Dispatch<" in html


def test_no_rows_render_nothing():
    assert render_rows([]) == ""


def test_times_are_shown_in_shanghai_whatever_the_active_zone(world, report):
    from django.utils import timezone

    case = report(at=dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC))
    (row,) = page_rows([case.pk])
    with timezone.override("UTC"):
        html = render_rows([Row(case=row, tone="new", dispatch=False)])
    assert ">2026-03-02 10:00</time>" in html
