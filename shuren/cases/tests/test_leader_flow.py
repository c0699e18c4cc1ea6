"""The leader's flow (issue 9, item 4): each role is offered only the tiers it may send to, the
leader who settles on the spot holds the matter, 结案 waits for the reporter's rating or its
window, a leader records a rating given offline (代居民评价), and resolving and notes take
photos with intake's checks."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shuren.cases import actions
from shuren.cases.models import Case, CasePhoto, DeadlinePolicy, Status, Tier
from shuren.cases.tests.conftest import sh
from shuren.cases.tests.test_case_page import act, buttons, detail, kinds, text
from shuren.cases.workflow.escalation import escalation_tiers


def jpeg(colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def tiers_offered(response) -> list[str]:
    """The labels of the escalation form's tier tiles."""
    body = response.content.decode()
    form = re.search(r'<details class="act" id="act-escalate".*?</details>', body, flags=re.S)
    assert form, "no escalation form"
    return re.findall(r'name="to_tier"[^>]*>.*?<span>([^<]+)</span>', form.group(0), flags=re.S)


class TestWhereEachRoleMaySendAMatter:
    def test_a_building_leader_sends_it_within_the_community(self, client, login, report):
        case = report()
        login("demo-louzhang")
        page = client.get(detail(case))
        assert tiers_offered(page) == ["2 · 小区", "3 · 社区"]
        assert "转交单位" not in text(page)

    def test_where_nobody_answers_for_the_estate_the_leader_sends_it_to_the_community(
        self, world, report
    ):
        # 尖东新村 has no property company and no group leads with a login.
        case = report("demo-shequ", "GC-JD-JDXC-B01", category_code="facilities", tier=1)
        from shuren.people.models import Person, Post
        from shuren.people.roles import Role

        leader = Person.objects.create(name="新村楼长")
        Post.objects.create(person=leader, role=Role.LOUZHANG, place=world.place("GC-JD-JDXC-B01"))
        user = type(world.user("demo-louzhang")).objects.create(username="xc-lz", person=leader)
        assert escalation_tiers(user, Case.objects.get(pk=case.pk)) == [Tier.COMMUNITY]

    def test_community_staff_send_it_to_the_subdistrict_or_refer_it_beyond(
        self, client, login, report
    ):
        case = report("demo-shequ", tier=3)
        login("demo-shequ")
        page = client.get(detail(case))
        assert tiers_offered(page) == ["4 · 街道", "5 · 街道以外"]
        assert "转交单位（仅在转出街道时填写）" in text(page)

    def test_the_subdistrict_refers_it_beyond(self, client, login, report):
        case = report("demo-jiedao", tier=4)
        login("demo-jiedao")
        assert tiers_offered(client.get(detail(case))) == ["5 · 街道以外"]

    def test_a_referral_without_where_is_asked_for_in_the_labels_words(self, client, login, report):
        case = report("demo-shequ", tier=3)
        login("demo-shequ")
        response = act(client, case, "escalate", {"reason": "涉嫌违法", "to_tier": 5})
        assert response.status_code == 422
        assert "请填写转交单位。" in text(response)
        assert Case.objects.get(pk=case.pk).current_tier == Tier.COMMUNITY

    def test_the_action_refuses_a_tier_the_role_may_not_send_to(self, world, report):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as err:
            actions.escalate_case(
                actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=5
            )
        (error,) = err.value.error_dict["to_tier"]
        assert error.code == "tier_not_allowed"

    def test_the_overdue_sweep_is_not_bound_by_a_role(self, report):
        case = actions.escalate_case(actor=None, case=report(), reason="逾期未受理")
        assert case.current_tier == Tier.ESTATE


class TestSettledOnTheSpot:
    def test_the_leader_who_settles_it_holds_it(self, client, login, world, report):
        case = report()
        leader = world.user("demo-louzhang")
        case = actions.resolve_case(actor=leader, case=case, method="on_the_spot", summary="已劝说")
        assert case.assignee_person_id == leader.person_id
        assert case.events.get(kind="resolved").to_person_id == leader.person_id
        login("demo-shequ")
        assert "承办人 刘楼长" in text(client.get(detail(case)))

    def test_a_dispatched_holder_stays_the_holder(self, world, report):
        company = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=report(), team=company)
        case = actions.resolve_case(
            actor=world.user("demo-wuye"), case=case, method="property_repair", summary="已修"
        )
        assert (case.assignee_person_id, case.assignee_team_id) == (None, company.pk)


class TestClosingWaitsForTheRating:
    def test_close_is_not_offered_while_the_reporter_may_still_rate(
        self, client, login, world, report
    ):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        login("demo-shequ")
        assert "close" not in buttons(client.get(detail(case)))
        response = act(client, case, "close")
        assert response.status_code == 422
        assert "前还可以评价" in text(response)
        assert Case.objects.get(pk=case.pk).status == Status.RESOLVED

    def test_close_is_offered_once_the_rating_is_in(self, client, login, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        actions.follow_up_case(actor=world.user("demo-resident"), case=case, satisfied=True)
        login("demo-shequ")
        assert "close" in buttons(client.get(detail(case)))
        assert act(client, case, "close").status_code == 302

    def test_close_is_offered_once_three_working_days_have_passed(self, world, report):
        from shuren.cases.rules import may

        case = actions.resolve_case(
            actor=world.user("demo-louzhang"),
            case=report(),
            method="on_the_spot",
            summary="好了",
            at=sh(2026, 3, 6, 16),  # a Friday: Mon, Tue, Wed are the three working days
        )
        from shuren.cases.workflow.rating import awaits_rating, rating_window_ends

        assert rating_window_ends(case) == sh(2026, 3, 11, 16)
        assert awaits_rating(case, sh(2026, 3, 11, 15, 59))
        assert not awaits_rating(case, sh(2026, 3, 11, 16))
        assert may(world.user("demo-shequ"), case, "close")  # today is long after

    def test_the_window_is_a_policy_the_admin_may_change(self, world, report):
        from shuren.cases import reference
        from shuren.cases.workflow.rating import rating_window_ends

        policy = DeadlinePolicy.objects.get(category=None, risk="", stage="rating")
        assert (policy.amount, policy.unit) == (3, "working_days")
        DeadlinePolicy.objects.filter(pk=policy.pk).update(amount=5)
        reference.forget()
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"),
            case=report(),
            method="on_the_spot",
            summary="好了",
            at=sh(2026, 3, 6, 16),
        )
        assert rating_window_ends(case) == sh(2026, 3, 13, 16)

    def test_a_matter_the_leader_found_on_patrol_is_closed_without_waiting(self, world, report):
        case = report("demo-louzhang", "GC-JD-JYLW-B01", channel="patrol")
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=case, method="on_the_spot", summary="已清理"
        )
        case = actions.close_case(actor=world.user("demo-shequ"), case=case)
        assert case.status == Status.CLOSED

    def test_the_system_closes_whenever_it_must(self, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        assert actions.close_case(actor=None, case=case).status == Status.CLOSED


class TestARatingRecordedForTheResident:
    def test_the_leader_records_what_the_resident_said_in_person(
        self, client, login, world, report
    ):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        login("demo-louzhang")
        page = client.get(detail(case))
        assert "rate_on_behalf" in buttons(page)
        assert "居民是怎么告诉您的？" in text(page)
        response = act(
            client,
            case,
            "rate_on_behalf",
            {"satisfied": "yes", "via": "in_person", "note": "王阿姨说现在没味道了"},
        )
        assert response.status_code == 302
        page = text(client.get(detail(case)))
        assert "代居民评价 · 刘楼长" in page
        assert "满意 · 当面" in page
        assert Case.objects.get(pk=case.pk).satisfied is True

    def test_how_it_came_must_be_said(self, client, login, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        login("demo-louzhang")
        response = act(client, case, "rate_on_behalf", {"satisfied": "yes"})
        assert response.status_code == 422
        assert "请选择居民是怎么告诉您的。" in text(response)

    def test_unsatisfied_it_reopens_and_the_holders_are_told(self, world, report):
        from shuren.notify.models import Notification
        from shuren.testing import deliver

        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        case = actions.rate_on_behalf(
            actor=world.user("demo-shequ"), case=case, satisfied=False, via="phone", note="还臭"
        )
        assert (case.status, case.reopened_count) == (Status.IN_PROGRESS, 1)
        event = case.events.order_by("pk").last()
        assert (event.kind, event.data["previous_summary"]) == ("rated_behalf", "好了")
        deliver()
        told = Notification.objects.filter(object_id=str(case.pk), kind="case.reopened")
        # The holders, and the resident: told in their own words that it is handled again.
        assert {n.recipient.username for n in told} == {"demo-louzhang", "demo-resident"}

    def test_a_leader_of_another_building_may_not(self, world, report):
        from django.core.exceptions import PermissionDenied

        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        with pytest.raises(PermissionDenied):
            actions.rate_on_behalf(
                actor=world.user("demo-louzhang2"), case=case, satisfied=True, via="phone"
            )

    def test_it_is_not_offered_for_what_the_leader_found_on_patrol(
        self, client, login, world, report
    ):
        case = report("demo-louzhang", "GC-JD-JYLW-B01", channel="patrol")
        actions.resolve_case(
            actor=world.user("demo-louzhang"), case=case, method="on_the_spot", summary="已清理"
        )
        login("demo-louzhang")
        assert "rate_on_behalf" not in buttons(client.get(detail(case)))


class TestPhotosOnResolvingAndNotes:
    def test_the_leader_resolves_with_a_photo_of_the_result(self, client, login, report):
        case = report()
        login("demo-louzhang")
        case.refresh_from_db()
        response = client.post(
            f"/cases/{case.pk}/resolve/",
            {
                "version": case.version,
                "method": "on_the_spot",
                "summary": "已清理楼道",
                "photos": [jpeg(), jpeg("blue")],
            },
        )
        assert response.status_code == 302
        assert CasePhoto.objects.filter(case=case).count() == 2
        assert case.events.get(kind="resolved").data["photos"] == 2
        assert "2 张照片" in text(client.get(detail(case)))

    def test_a_note_takes_a_photo_and_the_page_form_sends_files(self, client, login, report):
        case = report()
        login("demo-louzhang")
        page = client.get(detail(case)).content.decode()
        note_form = re.search(r'id="act-note".*?</form>', page, flags=re.S).group(0)
        assert 'enctype="multipart/form-data"' in note_form
        case.refresh_from_db()
        response = client.post(
            f"/cases/{case.pk}/note/",
            {"version": case.version, "note": "楼道现场", "photos": [jpeg()]},
        )
        assert response.status_code == 302
        assert CasePhoto.objects.filter(case=case).count() == 1

    def test_what_is_not_a_photo_is_refused_as_at_intake(self, client, login, report):
        case = report()
        login("demo-louzhang")
        case.refresh_from_db()
        fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
        response = client.post(
            f"/cases/{case.pk}/resolve/",
            {"version": case.version, "method": "on_the_spot", "summary": "好了", "photos": [fake]},
        )
        assert response.status_code == 422
        assert "不是照片" in text(response) or "JPEG" in text(response)
        assert Case.objects.get(pk=case.pk).status == Status.REPORTED
        assert kinds(case) == ["reported"]

    def test_at_most_four_at_a_time(self, client, login, report):
        case = report()
        login("demo-louzhang")
        case.refresh_from_db()
        response = client.post(
            f"/cases/{case.pk}/note/",
            {"version": case.version, "note": "现场", "photos": [jpeg() for _ in range(5)]},
        )
        assert response.status_code == 422
        assert CasePhoto.objects.filter(case=case).count() == 0


def test_today_is_after_the_test_worlds_monday():
    assert timezone.now() > sh(2026, 3, 12)
