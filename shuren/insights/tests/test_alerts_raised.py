"""Each early-warning rule raises the right alert with its reason in words, once; the people
who answer for its level are told, and nobody else (issue 11, item 4)."""

from __future__ import annotations

import pytest
from django.utils import translation

from shuren.cases.actions import accept_case, follow_up_case, resolve_case
from shuren.cases.workflow.sweep import run_sweep
from shuren.insights.alert_choices import AlertKind, AlertLevel
from shuren.insights.alert_raising import sweep_alerts
from shuren.insights.alert_rows import rows_for
from shuren.insights.models.alerts import Alert
from shuren.insights.tests.alert_support import NOW, days_ago
from shuren.notify.models import Notification
from shuren.testing import deliver


@pytest.fixture
def report(alert_report):
    """This module reports as the alert tests do (conftest's alert_report): title first."""
    return alert_report


def told(kind: str = "alert.raised") -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def reason_of(alert: Alert, user, language: str = "en") -> str:
    with translation.override(language):
        return rows_for(user, [Alert.objects.select_related("place", "category").get(pk=alert.pk)])[
            0
        ].reason


# --- Risky words ---------------------------------------------------------------------------------


def test_a_matter_with_a_knife_raises_a_red_alert_in_its_first_background_task(report, world):
    case = report("邻居吵架", description="对门男子持刀威胁，还说要打人")
    assert not Alert.objects.exists()  # the report itself stays small

    deliver()  # the report's first background task: the outbox drain

    alert = Alert.objects.get()
    assert (alert.kind, alert.level, alert.case, alert.place) == (
        AlertKind.RISKY_WORDS,
        AlertLevel.RED,
        case,
        case.place,
    )
    assert alert.data["words"] == ["持刀", "威胁", "打人"]
    shequ = world.user("demo-shequ")
    assert reason_of(alert, shequ) == f"Matched words: 持刀, 威胁, 打人, in matter {case.number}"
    assert "持刀、威胁、打人" in reason_of(alert, shequ, "zh-hans")


def test_the_community_and_the_subdistrict_are_told_of_a_red_alert_and_the_leader_is_not(
    report,
):
    report("有人要跳楼", description="楼顶有人站着")
    deliver()
    assert told() == {"demo-shequ", "demo-jiedao"}
    title = Notification.objects.filter(kind="alert.raised").first().title
    assert "跳楼" not in title
    assert title


def test_an_orange_word_alone_raises_an_orange_alert_told_to_the_community(report):
    report("门口被堵", description="邻居堵门不让出入")
    deliver()
    assert Alert.objects.get().level == AlertLevel.ORANGE
    assert told() == {"demo-shequ"}


def test_a_matter_without_risky_words_raises_nothing(report):
    report("楼道灯坏了", description="三楼楼道灯不亮")
    deliver()
    assert not Alert.objects.exists()


def test_an_inactive_word_of_the_lexicon_is_not_matched(report):
    from shuren.insights.models.alerts import RiskyWord

    word = RiskyWord.objects.get(word="上访")
    word.active = False
    word.save()  # the admin's row action saves it so: the worker reads the lexicon afresh
    report("准备上访", description="多次反映无果，准备上访")
    deliver()
    assert not Alert.objects.exists()


def test_with_early_warning_off_a_knife_raises_nothing(report, settings):
    settings.SHUREN_EARLY_WARNING = False
    report("持刀", description="有人持刀")
    deliver()
    assert not Alert.objects.exists()
    assert sweep_alerts(now=NOW).total == 0


# --- Hotspots ------------------------------------------------------------------------------------


def disputes_in_building_1(report, *ages: float) -> list:
    return [report(f"邻里纠纷{n}", at=days_ago(age)) for n, age in enumerate(ages)]


def test_three_disputes_in_one_building_within_30_days_raise_an_orange_hotspot(report, world):
    cases = disputes_in_building_1(report, 25, 10, 1)
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.HOTSPOT)
    assert (alert.level, alert.place) == (AlertLevel.ORANGE, world.place("GC-JD-JYLW-B01"))
    numbers = ", ".join(case.number for case in cases)
    expected = f"3 neighbour disputes in 1栋 within 30 days ({numbers})"
    assert reason_of(alert, world.user("demo-shequ")) == expected


def test_two_disputes_or_one_older_than_30_days_make_no_hotspot(report):
    disputes_in_building_1(report, 40, 10, 1)
    sweep_alerts(now=NOW)
    assert not Alert.objects.filter(kind=AlertKind.HOTSPOT).exists()


def test_a_second_sweep_raises_no_second_alert(report):
    disputes_in_building_1(report, 25, 10, 1)
    first = sweep_alerts(now=NOW)
    second = sweep_alerts(now=NOW)
    assert first.raised[AlertKind.HOTSPOT] == 1
    assert second.total == 0
    assert Alert.objects.filter(kind=AlertKind.HOTSPOT).count() == 1


def test_a_closed_hotspot_is_raised_again_only_for_a_new_dispute(report, world):
    from shuren.insights.alert_actions import close_alert

    disputes_in_building_1(report, 25, 10, 1)
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.HOTSPOT)
    close_alert(actor=world.user("demo-shequ"), alert=alert, note="已上门调解")
    assert sweep_alerts(now=NOW).raised[AlertKind.HOTSPOT] == 0
    report("又吵起来了", at=NOW)
    assert sweep_alerts(now=NOW).raised[AlertKind.HOTSPOT] == 1


# --- Surges --------------------------------------------------------------------------------------


def test_a_week_far_above_its_8_week_baseline_raises_a_red_surge_for_the_community(report, world):
    for week in range(1, 9):
        report("垃圾没清运", category="sanitation", at=days_ago(7 * week + 3))
    recent = [report("垃圾没清运", category="sanitation", at=days_ago(d)) for d in range(6)]
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.SURGE)
    assert (alert.level, alert.place, alert.category.code) == (
        AlertLevel.RED,
        world.place("GC-JD"),
        "sanitation",
    )
    assert alert.data["recent"] == 6
    assert alert.data["expected"] == 1.0
    assert alert.data["p_value"] < 0.01
    assert alert.case_ids == [case.pk for case in reversed(recent)]  # oldest first
    reason = reason_of(alert, world.user("demo-jiedao"))
    assert reason.startswith("Sanitation in 尖东社区: 6 matters in the last 7 days, against 1.0")
    deliver()
    assert told() == {"demo-shequ", "demo-jiedao"}


def test_a_week_within_its_baseline_raises_no_surge(report):
    for week in range(1, 9):
        for _n in range(3):
            report("垃圾没清运", category="sanitation", at=days_ago(7 * week + 3))
    for d in range(4):
        report("垃圾没清运", category="sanitation", at=days_ago(d))
    sweep_alerts(now=NOW)
    assert not Alert.objects.filter(kind=AlertKind.SURGE).exists()


# --- Repeat parties ------------------------------------------------------------------------------


@pytest.fixture
def huang_in_three_disputes(report, world):
    """黄丽 (who lives in 同成, outside 尖东) is named a party in three disputes in 尖东."""
    huang = world.person("P-HUANG")
    return [
        report(
            f"对门邻居的纠纷{n}",
            username="demo-shequ",
            at=days_ago(age),
            parties=[(huang, "respondent")],
        )
        for n, age in enumerate((80, 40, 2))
    ]


def test_one_person_in_three_disputes_within_90_days_raises_an_orange_alert(
    huang_in_three_disputes, world
):
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(
        kind=AlertKind.REPEAT_PARTIES, data__person=world.person("P-HUANG").pk
    )
    assert (alert.level, alert.place) == (AlertLevel.ORANGE, world.place("GC-JD"))
    assert alert.case_ids == [case.pk for case in huang_in_three_disputes]


def test_the_repeat_party_is_masked_to_a_reader_whose_scope_does_not_hold_them(
    huang_in_three_disputes, world
):
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(
        kind=AlertKind.REPEAT_PARTIES, data__person=world.person("P-HUANG").pk
    )
    reason = reason_of(alert, world.user("demo-shequ"))
    assert reason.startswith("黄* is named in 3 disputes in 尖东社区 within 90 days")
    assert "黄丽" not in reason


def test_the_repeat_party_is_named_to_a_reader_whose_scope_holds_them(report, world):
    for n, age in enumerate((50, 20, 3)):
        report(f"纠纷{n}", at=days_ago(age))  # 王秀英 of building 1 reports all three
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.REPEAT_PARTIES)
    assert reason_of(alert, world.user("demo-shequ")).startswith("王秀英 is named in 3 disputes")


def test_no_message_about_a_repeat_party_names_the_person(huang_in_three_disputes):
    sweep_alerts(now=NOW)
    deliver()
    messages = Notification.objects.filter(kind="alert.raised").values_list("title", "body")
    assert messages
    for title, body in messages:
        assert "黄丽" not in title + body
        assert "黄*" not in title + body


# --- Overdue and unsatisfied ----------------------------------------------------------------------


def test_a_matter_overdue_raises_an_orange_alert_once(report, world):
    case = report("屋顶漏水", category="facilities", at=days_ago(20))
    run_sweep(now=NOW)  # the overdue sweep flags it red
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.OVERDUE)
    assert (alert.level, alert.case) == (AlertLevel.ORANGE, case)
    assert reason_of(alert, world.user("demo-shequ")) == (
        f"Matter {case.number} is overdue: 屋顶漏水"
    )
    assert sweep_alerts(now=NOW).total == 0


def test_an_unsatisfied_follow_up_raises_a_yellow_alert_for_the_leader_and_the_community(
    report, world
):
    case = report("楼道堆放杂物", category="sanitation", at=days_ago(3))
    leader = world.user("demo-louzhang")
    accept_case(actor=leader, case=case, at=days_ago(3))
    resolve_case(actor=leader, case=case, method="on_the_spot", summary="已清理", at=days_ago(2))
    follow_up_case(actor=world.user("demo-resident"), case=case, satisfied=False, at=days_ago(1))
    deliver()
    Notification.objects.all().delete()
    sweep_alerts(now=NOW)
    alert = Alert.objects.get(kind=AlertKind.UNSATISFIED)
    assert (alert.level, alert.case) == (AlertLevel.YELLOW, case)
    assert reason_of(alert, leader) == (
        f"The reporter of matter {case.number} is not satisfied: 楼道堆放杂物"
    )
    deliver()
    assert told() == {"demo-louzhang", "demo-shequ"}
