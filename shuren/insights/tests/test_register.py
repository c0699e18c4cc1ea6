"""The case register (台账): a place's matters of a period as a workbook in the communities' layout,
with a summary sheet; scoped, masked by default, unmasked only for who may and then logged,
every export an audit entry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuren.access.models import AccessLog
from shuren.audit.models import AuditEntry
from shuren.insights.tests.register_support import (
    END,
    START,
    known_matters,
    register_lines,
    report,
    sh,
    sheets,
    summary,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "编号",
    "登记时间",
    "反映人",
    "地点",
    "类别",
    "事由",
    "最高层级",
    "承办",
    "处理方式及结果",
    "用时天数",
    "是否按时",
    "满意度",
    "状态",
]


def export(client, world, username, place="GC-JD", **extra):
    client.force_login(world.user(username))
    data = {"place": world.place(place).pk, "start": START, "end": END, **extra}
    return client.post("/insights/register/", data)


def every_text(content: bytes) -> str:
    return "\n".join(
        str(value) for rows in sheets(content).values() for row in rows for value in row
    )


def test_community_staff_get_one_line_per_matter_of_the_period_in_the_communities_layout(
    client, world
):
    matters = known_matters(world)
    response = export(client, world, "demo-shequ")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    register = next(iter(sheets(response.content).values()))
    assert register[0] == ["桂城街道/尖东社区事项台账（2026-03-01 至 2026-03-31）"]
    assert register[1] == HEADERS
    lines = register_lines(response.content)
    # Oldest first; the evening of the last day is in, the days either side and 同成 are not.
    assert [line[0] for line in lines] == [
        matters["settled"].number,
        matters["disputed"].number,
        matters["called"].number,
    ]
    assert lines[0] == [
        matters["settled"].number,
        "2026-03-02 10:00",
        "王*英 138****5678",
        "桂城街道/尖东社区/金域蓝湾/1栋/1栋1单元",
        "邻里纠纷/异味",
        "楼下邻居晒咸鱼，气味很大：每天下午都晒，电话 138****5678 可以联系我",
        "楼长、巷长、街长",
        "刘楼长",
        "就地化解：楼长上门协调，改到天台晾晒",
        2,
        "是",
        "满意",
        "已回访",
    ]
    # An unregistered caller, masked; a title that looks like a formula stays text.
    assert lines[2][2] == "刘*华 139****4321"
    assert lines[2][5] == '=HYPERLINK("http://x","点这里")'
    assert lines[2][9:] == [None, None, None, "待受理"]


def test_the_summary_sheet_counts_categories_states_and_the_tier_metrics(client, world):
    known_matters(world)
    response = export(client, world, "demo-shequ")
    assert list(sheets(response.content))[1] == "汇总"
    rows = summary(response.content)
    assert rows["地点"] == ["桂城街道/尖东社区"]
    assert rows["时段"] == ["2026-03-01 至 2026-03-31"]
    assert rows["导出人"] == ["尖东社工（demo-shequ）"]
    assert rows["个人信息"] == ["已脱敏"]
    assert rows["事项数"] == [3]
    assert rows["邻里纠纷/异味"] == [1]
    assert rows["邻里纠纷/噪音"] == [1]
    assert rows["邻里纠纷/漏水"] == [1]
    assert rows["已回访"] == [1]
    assert rows["待受理"] == [2]
    assert rows["计入事项（不含不予受理和合并）"] == [3]
    assert rows["已办结"] == [1]
    assert rows["第1层级办结"] == [1]
    assert rows["就地化解率（第1-2层级）"] == ["100.0%", 1, 1]
    assert rows["矛盾不上交率"] == ["100.0%", 3, 3]
    assert rows["按时办结率"] == ["100.0%", 1, 1]
    assert rows["满意率"] == ["100.0%", 1, 1]
    assert "导出时间" in rows


def test_a_period_with_nothing_settled_leaves_its_rates_empty_not_zero(client, world):
    report(world, "GC-JD-JYLW-B01", sh(2026, 3, 3), actor=None)
    rows = summary(export(client, world, "demo-shequ").content)
    assert rows["就地化解率（第1-2层级）"] == [None, 0, 0]
    assert rows["满意率"] == [None, 0, 0]


def test_no_full_phone_or_name_leaves_in_a_masked_register(client, world):
    known_matters(world)
    text = every_text(export(client, world, "demo-shequ").content)
    for secret in ("13812345678", "王秀英", "13987654321", "刘德华", "13711112222", "陈美玲"):
        assert secret not in text
    assert not AccessLog.objects.exists()


def test_a_leader_named_as_a_party_learns_nobody_of_that_matter(client, world):
    """刘楼长 is the respondent of the renovation noise in his own building: being named in a
    dispute outranks handling it (cases.parties), in the register as on the case page."""
    matters = known_matters(world)
    response = export(client, world, "demo-louzhang", place="GC-JD-JYLW-B01")
    assert response.status_code == 200
    lines = {line[0]: line for line in register_lines(response.content)}
    assert set(lines) == {matters["settled"].number, matters["disputed"].number}
    assert lines[matters["disputed"].number][2] is None  # no reporter
    assert lines[matters["disputed"].number][7] is None  # no handler
    assert lines[matters["settled"].number][2] == "王*英 138****5678"


def test_staff_who_may_unmask_get_full_names_and_phones_with_a_reason_and_it_is_logged(
    client, world
):
    known_matters(world)
    response = export(client, world, "demo-shequ", unmask="on", reason="区里核查回访情况")
    assert response.status_code == 200
    lines = register_lines(response.content)
    assert [line[2] for line in lines] == [
        "王秀英 13812345678",
        "陈美玲 13711112222",
        "刘德华 13987654321",
    ]
    assert summary(response.content)["个人信息"] == ["完整显示（已记入访问日志）"]
    log = AccessLog.objects.get()
    assert (log.username, log.action, log.object_type, log.count) == (
        "demo-shequ",
        AccessLog.Action.EXPORT,
        "case",
        3,
    )
    assert log.reason == "区里核查回访情况"
    assert "13812345678" not in log.fields + log.reason


def test_unmasking_needs_a_reason(client, world):
    known_matters(world)
    response = export(client, world, "demo-shequ", unmask="on", reason="\u200b")
    assert response.status_code == 400
    assert "请说明需要完整姓名和电话的原因" in response.content.decode()
    assert not AccessLog.objects.exists()
    assert not AuditEntry.objects.filter(kind="export").exists()


def test_a_leader_who_may_not_unmask_gets_a_masked_register_whatever_they_send(client, world):
    known_matters(world)
    page = export(client, world, "demo-louzhang", place="GC-JD-JYLW-B01")
    client.force_login(world.user("demo-louzhang"))
    assert 'name="unmask"' not in client.get("/insights/register/").content.decode()
    response = export(
        client, world, "demo-louzhang", place="GC-JD-JYLW-B01", unmask="on", reason="想看"
    )
    assert response.status_code == 200
    assert "13812345678" not in every_text(response.content)
    assert page.status_code == 200
    assert not AccessLog.objects.exists()


def test_another_communitys_matters_never_appear(client, world):
    matters = known_matters(world)
    response = export(client, world, "demo-jiedao", place="GC")
    numbers = [line[0] for line in register_lines(response.content)]
    assert matters["other"].number in numbers  # the subdistrict sees both communities
    response = export(client, world, "demo-shequ2", place="GC-TC")
    assert [line[0] for line in register_lines(response.content)] == [matters["other"].number]


def test_a_place_outside_ones_figures_is_refused_like_one_not_offered(client, world):
    known_matters(world)
    response = export(client, world, "demo-shequ2", place="GC-JD")
    assert response.status_code == 400
    assert "请从列出的地点中选择" in response.content.decode()
    assert not AuditEntry.objects.filter(kind="export").exists()


def test_whoever_reads_no_figures_finds_no_register_page(client, world):
    for username in ("demo-resident", "demo-wuye", "demo-tiaojie", "demo-admin", "nobody"):
        client.force_login(world.user(username))
        assert client.get("/insights/register/").status_code == 404


def test_days_the_wrong_way_round_are_a_message_in_chinese(client, world):
    response = export(client, world, "demo-shequ", start="2026-03-31", end="2026-03-01")
    assert response.status_code == 400
    assert "起始日期晚于截止日期" in response.content.decode()


def test_every_export_is_an_audit_entry(client, world):
    known_matters(world)
    export(client, world, "demo-shequ")
    entry = AuditEntry.objects.get(kind="export")
    assert entry.actor_username == "demo-shequ"
    assert entry.target_type == "places.place"
    assert entry.target_id == str(world.place("GC-JD").pk)
    assert entry.detail["file"] == "register"
    assert entry.detail["matters"] == 3
    assert entry.detail["unmasked"] is False


def test_the_form_offers_the_places_one_reads_the_figures_of(client, world):
    client.force_login(world.user("demo-shequ"))
    page = client.get("/insights/register/").content.decode()
    assert "尖东社区" in page
    assert "金域蓝湾" in page
    assert "同成社区" not in page
    assert "1栋1单元" not in page  # below an estate, a place is chosen through the API


def _queries(client, world) -> int:
    data = {"place": world.place("GC-JD").pk, "start": START, "end": END}
    client.force_login(world.user("demo-shequ"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/insights/register/", data)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_matters(client, world):
    """The session, the user and their posts; the places offered and the place chosen; the
    count; the tier metrics; the matters and their parties; the places above them; the audit
    entry (a savepoint, its head, the entry, the head again, the release)."""
    known_matters(world)
    _queries(client, world)  # what a process reads once (the calendar, the categories)
    few = _queries(client, world)
    for day in range(5, 25):
        report(
            world,
            "GC-JD-JYLW-B01-U1" if day % 2 else "GC-JD-JYLW-B02",
            sh(2026, 3, day),
            actor=world.user("demo-resident") if day % 2 else None,
            contact_name="" if day % 2 else "路人",
            contact_phone="" if day % 2 else "13900000000",
        )
    assert few == _queries(client, world) == 16
