"""The alert pages, the home section, the API and the admin: each reader sees the alerts they
answer for, red first, acknowledges them and closes them with a note; anyone else gets the
answer a missing alert gets (issue 11, items 4 and 7)."""

from __future__ import annotations

import pytest

# The matrix first: it imports every app's matrix module, this app's among them.
from shuren.access.tests.test_scope_matrix import MATRIX
from shuren.insights.alert_actions import acknowledge_alert, close_alert, raise_alert
from shuren.insights.alert_choices import AlertKind, AlertLevel, AlertStatus
from shuren.insights.models.alerts import Alert, RiskyWord
from shuren.insights.tests.scope_matrix_alerts import ALERT_SEES, build_samples, sample_alert
from shuren.kernel.models import Event
from shuren.kernel.versions import StaleVersion
from shuren.notify.models import Notification
from shuren.testing import ROLE_USERS, deliver


@pytest.fixture
def alert(world):
    """Raise one alert at building 1 of 金域蓝湾 (default: red risky words about a matter)."""

    def _alert(level: str = AlertLevel.RED, place: str = "GC-JD-JYLW-B01", key: str = "t") -> Alert:
        raised = raise_alert(
            kind=AlertKind.RISKY_WORDS,
            level=level,
            place=world.place(place),
            key=key,
            data={"words": ["持刀"], "number": "GC-2026-000123", "cases": []},
        )
        assert raised is not None
        return raised

    return _alert


def test_community_staff_list_their_alerts_red_first(client, login, alert):
    yellow = alert(AlertLevel.YELLOW, key="y")
    red = alert(AlertLevel.RED, key="r")
    orange = alert(AlertLevel.ORANGE, key="o")
    login("demo-shequ")
    page = client.get("/insights/alerts/")
    assert page.status_code == 200
    order = [row.alert for row in page.context["rows"]]
    assert order == [red, orange, yellow]
    assert "命中风险词：持刀" in page.content.decode()


def test_the_list_filters_by_level_and_state(client, login, alert, world):
    red = alert(AlertLevel.RED, key="r")
    closed = alert(AlertLevel.ORANGE, key="o")
    close_alert(actor=world.user("demo-shequ"), alert=closed, note="已处理")
    login("demo-shequ")
    assert [r.alert for r in client.get("/insights/alerts/").context["rows"]] == [red]
    assert [r.alert for r in client.get("/insights/alerts/?status=closed").context["rows"]] == [
        Alert.objects.get(pk=closed.pk)
    ]
    assert client.get("/insights/alerts/?level=yellow").context["rows"] == []
    assert len(client.get("/insights/alerts/?status=all").context["rows"]) == 2


def test_a_leader_sees_only_the_yellow_alerts_of_their_building(client, login, alert):
    yellow = alert(AlertLevel.YELLOW, key="y")
    alert(AlertLevel.RED, key="r")
    alert(AlertLevel.YELLOW, place="GC-JD-JYLW-B02", key="b2")
    login("demo-louzhang")
    assert [r.alert for r in client.get("/insights/alerts/").context["rows"]] == [yellow]


@pytest.mark.parametrize("username", ["demo-louzhang", "demo-wangge", "demo-shequ2", "demo-wuye"])
def test_an_alert_one_does_not_answer_for_is_a_404_like_a_missing_one(
    client, login, alert, username
):
    red = alert()
    login(username)
    for url in (f"/insights/alerts/{red.pk}/", "/insights/alerts/987654321/"):
        assert client.get(url).status_code == 404
    response = client.post(f"/insights/alerts/{red.pk}/close/", {"version": 1, "note": "x"})
    assert response.status_code == 404
    assert Alert.objects.get(pk=red.pk).status == AlertStatus.OPEN


def test_the_alert_page_gives_the_reason_and_the_matters_the_reader_may_open(client, login, world):
    from shuren.cases.actions import report_case
    from shuren.cases.models import Category
    from shuren.insights.tests.alert_support import NOW

    case = report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-noise"),
        title="邻居扬言纵火",
        at=NOW,
    )
    deliver()
    red = Alert.objects.get()
    login("demo-jiedao")
    page = client.get(f"/insights/alerts/{red.pk}/")
    text = page.content.decode()
    assert f"命中风险词：纵火（事项{case.number}）" in text
    assert f'href="{case.get_absolute_url()}"' in text
    assert page.context["actions"] == ["acknowledge", "close"]


def test_acknowledging_records_one_event_and_tells_the_others(client, login, alert):
    red = alert()
    deliver()
    Notification.objects.all().delete()
    login("demo-shequ")
    response = client.post(f"/insights/alerts/{red.pk}/acknowledge/", {"version": 1})
    assert response.status_code == 302
    red.refresh_from_db()
    assert (red.status, red.version, red.acknowledged_by.username) == (
        AlertStatus.ACKNOWLEDGED,
        2,
        "demo-shequ",
    )
    kinds = list(
        Event.objects.filter(subject_type="insights.alert", subject_id=red.pk).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["alert.raised", "alert.acknowledged"]
    deliver()
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"demo-jiedao"}  # never the one who acted


def test_closing_needs_a_note_and_writes_nothing_without_one(client, login, alert):
    red = alert()
    login("demo-shequ")
    response = client.post(f"/insights/alerts/{red.pk}/close/", {"version": 1, "note": "  "})
    assert response.status_code == 422
    assert "请写明对此预警做了哪些处理" in response.content.decode()
    assert Alert.objects.get(pk=red.pk).status == AlertStatus.OPEN
    response = client.post(f"/insights/alerts/{red.pk}/close/", {"version": 1, "note": "已报警"})
    assert response.status_code == 302
    red.refresh_from_db()
    assert (red.status, red.close_note, red.closed_by.username) == (
        AlertStatus.CLOSED,
        "已报警",
        "demo-shequ",
    )


def test_a_stale_version_is_a_409_and_changes_nothing(client, login, alert, world):
    red = alert()
    acknowledge_alert(actor=world.user("demo-jiedao"), alert=red)
    login("demo-shequ")
    response = client.post(f"/insights/alerts/{red.pk}/close/", {"version": 1, "note": "已处理"})
    assert response.status_code == 409
    assert Alert.objects.get(pk=red.pk).status == AlertStatus.ACKNOWLEDGED
    with pytest.raises(StaleVersion):
        close_alert(actor=world.user("demo-shequ"), alert=red, note="已处理", expected_version=1)


def test_a_second_alert_of_the_same_key_is_not_raised_while_one_is_open(alert, world):
    first = alert(key="same")
    again = raise_alert(
        kind=AlertKind.RISKY_WORDS,
        level=AlertLevel.RED,
        place=world.place("GC-JD-JYLW-B01"),
        key="same",
        data={"cases": []},
    )
    assert again is None
    assert list(Alert.objects.filter(key="same")) == [first]


# --- Pinned query counts -------------------------------------------------------------------------

LIST_QUERIES = 9  # session, user, standing, count, page, repeat parties' names (2), messages


def test_the_list_page_query_count_does_not_grow_with_the_alerts(
    client, login, alert, django_assert_max_num_queries
):
    for n in range(3):
        alert(AlertLevel.RED, key=f"r{n}")
    login("demo-shequ")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/insights/alerts/").status_code == 200
    for n in range(3, 20):
        alert(AlertLevel.ORANGE, key=f"o{n}")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert client.get("/insights/alerts/").status_code == 200


# --- The home page -------------------------------------------------------------------------------


def test_the_home_page_lists_open_alerts_red_first(client, login, alert):
    alert(AlertLevel.ORANGE, key="o")
    red = alert(AlertLevel.RED, key="r")
    login("demo-shequ")
    text = client.get("/").content.decode()
    assert 'id="home-alerts"' in text
    assert text.index(f"/insights/alerts/{red.pk}/") < text.index("warn-orange")


def test_a_home_without_alerts_has_no_alert_section(client, login, alert):
    alert(AlertLevel.RED)
    login("demo-louzhang")
    assert 'id="home-alerts"' not in client.get("/").content.decode()


# --- The API -------------------------------------------------------------------------------------


def test_the_api_lists_the_callers_alerts_only(client, login, alert):
    red = alert(AlertLevel.RED, key="r")
    alert(AlertLevel.YELLOW, place="GC-TC-JYZY-T1", key="t1")
    login("demo-shequ")
    body = client.get("/api/v1/alerts").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["level"], item["kind"], item["actions"]) == (
        red.pk,
        "red",
        "risky_words",
        ["acknowledge", "close"],
    )
    assert item["details"]["words"] == ["持刀"]
    assert item["reason"].startswith("命中风险词：持刀")


def test_the_api_acknowledges_and_a_retry_answers_the_same(client, login, alert):
    red = alert()
    login("demo-shequ")
    url = f"/api/v1/alerts/{red.pk}/acknowledge"
    first = client.post(url, {"version": 1}, content_type="application/json")
    again = client.post(url, {"version": 1}, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "acknowledged"
    assert Event.objects.filter(kind="alert.acknowledged").count() == 1


def test_the_api_answers_409_with_the_current_version_for_a_stale_one(client, login, alert, world):
    red = alert()
    acknowledge_alert(actor=world.user("demo-jiedao"), alert=red)
    login("demo-shequ")
    response = client.post(
        f"/api/v1/alerts/{red.pk}/close",
        {"version": 1, "note": "已处理"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["current_version"]) == ("conflict", 2)


def test_the_api_refuses_a_close_without_a_note(client, login, alert):
    red = alert()
    login("demo-shequ")
    response = client.post(
        f"/api/v1/alerts/{red.pk}/close",
        {"version": 1, "note": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Alert.objects.get(pk=red.pk).status == AlertStatus.OPEN


def test_an_alert_out_of_sight_is_a_404_in_the_api(client, login, alert):
    red = alert()
    login("demo-shequ2")
    assert client.get(f"/api/v1/alerts/{red.pk}").status_code == 404
    response = client.post(
        f"/api/v1/alerts/{red.pk}/acknowledge", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 404


# --- The admin -----------------------------------------------------------------------------------


def test_the_system_administrator_edits_the_lexicon_and_an_event_is_left(client, login, world):
    login("demo-admin")
    response = client.post(
        "/admin/insights/riskyword/add/", {"word": "砸车", "level": "orange", "active": "on"}
    )
    assert response.status_code == 302
    assert RiskyWord.objects.get(word="砸车").level == AlertLevel.ORANGE
    assert Event.objects.filter(kind="riskyword.added").exists()


def test_the_lexicon_is_seeded_with_the_issues_words(db):
    words = dict(RiskyWord.objects.values_list("word", "level"))
    for word in ("打人", "上访", "堵门"):
        assert words[word] == AlertLevel.ORANGE
    for word in ("持刀", "跳楼", "自杀", "煤气", "纵火"):
        assert words[word] == AlertLevel.RED


def test_alerts_are_read_only_in_the_admin(client, login, alert, world):
    red = alert()
    login("demo-admin")
    assert client.get("/admin/insights/alert/").status_code == 200
    assert client.post(f"/admin/insights/alert/{red.pk}/change/", {}).status_code == 403


# --- The scope matrix's table, as QuerySets ------------------------------------------------------


@pytest.mark.parametrize("role", ROLE_USERS)
def test_each_role_lists_exactly_the_alerts_the_matrix_says(world, role):
    build_samples(world)
    assert "insights/alerts/<int:pk>/" in MATRIX
    listed = set(Alert.objects.visible_to(world.user(role)).values_list("pk", flat=True))
    expected = {sample_alert(world, sample).pk for sample in ALERT_SEES[role]}
    assert listed == expected


DETAIL_QUERIES = 11  # session, user, standing, the alert, its matters, its timeline, messages …


def test_the_alert_page_query_count_does_not_grow_with_its_matters(
    client, login, world, django_assert_max_num_queries
):
    from shuren.cases.actions import report_case
    from shuren.cases.models import Category

    cases = [
        report_case(
            actor=None,
            place=world.place("GC-JD-JYLW-B01-U1"),
            category=Category.objects.get(code="neighbour-noise"),
            title=f"纠纷{n}",
        )
        for n in range(12)
    ]
    alert = raise_alert(
        kind=AlertKind.HOTSPOT,
        level=AlertLevel.ORANGE,
        place=world.place("GC-JD-JYLW-B01"),
        key="hotspot:test",
        data={"count": 12, "days": 30, "cases": [c.pk for c in cases], "numbers": []},
    )
    login("demo-shequ")
    with django_assert_max_num_queries(DETAIL_QUERIES):
        page = client.get(f"/insights/alerts/{alert.pk}/")
    assert len(page.context["cases"]) == 12


def test_the_sweep_command_says_what_it_raised(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("sweepalerts", stdout=out)
    assert out.getvalue().startswith("raised 0 alert(s)")
