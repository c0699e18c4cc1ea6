"""The Chinese strings of the cases app, and the admin that edits policies but never state."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from shuren.cases.models import Case, Category, Status


def test_every_string_of_the_app_has_a_chinese_translation():
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po")
    )
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_seeded_categories_read_in_chinese_and_english(db):
    odour = Category.objects.get(code="neighbour-odour")
    assert odour.full_label == "邻里纠纷 › 异味"
    with translation.override("en"):
        assert odour.full_label == "Neighbour dispute › Odour"
    assert [c.label for c in Category.objects.filter(parent=None)] == [
        "邻里纠纷",
        "物业纠纷",
        "环境卫生",
        "治安",
        "公共设施",
        "安全隐患",
        "停车",
        "加装电梯",
        "其他",
    ]
    assert [c.label for c in odour.parent.children.all()] == [
        "噪音",
        "漏水",
        "异味",
        "杂物堆放",
        "宠物",
        "装修",
        "其他",
    ]


def test_neighbour_disputes_are_never_public_but_facilities_may_be(db):
    assert not Category.objects.get(code="neighbour-noise").may_be_public
    assert Category.objects.get(code="facilities").may_be_public


def test_the_case_field_labels_do_not_clash_with_other_apps(db):
    assert str(Case._meta.get_field("title").verbose_name) == "标题"
    assert str(Case._meta.get_field("place").verbose_name) == "地点"
    assert str(Status.REPORTED.label) == "待受理"


def test_risk_maps_to_the_early_warning_colours(report):
    case = report("demo-louzhang", risk="critical")
    assert case.warning_colour == "red"
    case.risk = "high"
    assert case.warning_colour == "orange"
    case.risk = "medium"
    assert case.warning_colour == "yellow"
    case.risk = "low"
    assert case.warning_colour == ""


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x-Root-2026-long")
    client.force_login(user)
    return client


@pytest.fixture
def leader_client(client, world):
    """The building's leader as a superuser: the flag opens the case admin, which shows what
    their scope holds, and their actions are asked of the rules."""
    leader = world.user("demo-louzhang")
    leader.is_staff = leader.is_superuser = True
    leader.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(leader)
    return client


class TestAdmin:
    def test_the_case_list_and_page_show_state_read_only(self, leader_client, report):
        case = report()
        assert case.number in leader_client.get("/admin/cases/case/").content.decode()
        page = leader_client.get(f"/admin/cases/case/{case.pk}/change/")
        assert page.status_code == 200
        assert b'name="status"' not in page.content
        assert leader_client.get("/admin/cases/case/add/").status_code == 403

    def test_a_superuser_flag_opens_no_matter_scope_applies_to_everyone(
        self, superuser_client, report
    ):
        case = report()
        listed = superuser_client.get("/admin/cases/case/")
        assert listed.status_code == 200
        assert case.number not in listed.content.decode()
        assert superuser_client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 302
        response = superuser_client.post(
            "/admin/cases/case/",
            {"action": "accept_selected", "_selected_action": [case.pk]},
            follow=True,
        )
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.status == Status.REPORTED

    def test_the_admin_action_goes_through_accept_case(self, leader_client, report):
        case = report()
        response = leader_client.post(
            "/admin/cases/case/",
            {"action": "accept_selected", "_selected_action": [case.pk]},
            follow=True,
        )
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.status == Status.ACCEPTED
        assert case.events.order_by("pk").last().kind == "accepted"

    def test_an_illegal_admin_action_is_reported_not_applied(self, leader_client, report):
        case = report()
        response = leader_client.post(
            "/admin/cases/case/",
            {"action": "close_selected", "_selected_action": [case.pk]},
            follow=True,
        )
        assert "不能结案状态为“待受理”的事项。" in response.content.decode()
        case.refresh_from_db()
        assert case.status == Status.REPORTED

    def test_deadline_policies_are_edited_in_the_admin(self, superuser_client):
        from shuren.cases.models import DeadlinePolicy

        policy = DeadlinePolicy.objects.get(category=None, risk="", stage="resolve")
        response = superuser_client.post(
            f"/admin/cases/deadlinepolicy/{policy.pk}/change/",
            {"category": "", "risk": "", "stage": "resolve", "amount": 12, "unit": "working_days"},
        )
        assert response.status_code == 302
        policy.refresh_from_db()
        assert policy.amount == 12
