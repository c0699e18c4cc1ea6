"""Reporting a matter: numbering, entry tier, deadlines, the reporter, idempotency."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from shuren.cases.actions import report_case
from shuren.cases.models import Case, CaseEvent, Channel, IdempotencyKey, Status, Tier
from shuren.cases.tests.conftest import MONDAY, sh
from shuren.notify.models import Notification
from shuren.testing import deliver


def test_a_resident_reports_a_fish_smell_and_gets_a_readable_number(world, report):
    case = report()
    assert case.number == "GC-2026-000001"
    assert case.status == Status.REPORTED
    assert case.reporter == world.person("P-WANG")
    assert case.recorded_by == world.user("demo-resident")
    assert case.channel == Channel.ONLINE
    assert case.place_path == world.place("GC-JD-JYLW-B01-U1").path
    assert case.version == 1


def test_numbers_count_up_within_a_year_and_restart_the_next(report):
    first = report()
    second = report()
    next_year = report(at=sh(2027, 3, 1, 10))
    assert [first.number, second.number, next_year.number] == [
        "GC-2026-000001",
        "GC-2026-000002",
        "GC-2027-000001",
    ]


@override_settings(SHUREN_CASE_PREFIX="NH")
def test_the_number_prefix_comes_from_the_settings(report):
    assert report().number == "NH-2026-000001"


def test_a_case_in_a_building_with_a_leader_starts_at_tier_1_and_the_leader_is_told(world, report):
    case = report()
    assert case.current_tier == case.max_tier == Tier.BUILDING
    deliver()
    notes = Notification.objects.filter(object_id=str(case.pk))
    assert {n.recipient.username for n in notes} == {"demo-louzhang"}
    assert notes.get().kind == "case.reported"
    assert case.number in notes.get().title


def test_a_case_in_an_estate_without_leaders_starts_with_the_property_company(world, report):
    case = report("demo-shequ", "GC-JD-JYLW", category_code="facilities", title="路灯坏了")
    assert case.current_tier == Tier.ESTATE
    deliver()
    assert set(
        Notification.objects.filter(object_id=str(case.pk)).values_list(
            "recipient__username", flat=True
        )
    ) == {"demo-wuye"}


def test_a_case_at_the_community_itself_starts_at_tier_3(world, report):
    case = report("demo-shequ", "GC-JD", category_code="facilities", title="社区广场灯坏了")
    assert case.current_tier == Tier.COMMUNITY
    # The reporter is community staff themself, so only the grid worker is told.
    deliver()
    assert set(
        Notification.objects.filter(object_id=str(case.pk)).values_list(
            "recipient__username", flat=True
        )
    ) == {"demo-wangge"}


def test_staff_may_enter_a_case_straight_at_a_higher_tier(report):
    case = report("demo-shequ", "GC-JD-JYLW-B01", tier=Tier.COMMUNITY)
    assert case.current_tier == case.max_tier == Tier.COMMUNITY


def test_deadlines_follow_the_policy_on_working_days(report):
    case = report(at=sh(2026, 3, 6, 16))  # a Friday afternoon
    assert case.accept_due == sh(2026, 3, 9, 16)  # Monday, 1 working day later
    # 邻里纠纷 is a complaint: 15 working days
    assert case.resolve_due == sh(2026, 3, 27, 16)


def test_a_critical_risk_is_due_within_hours_even_at_the_weekend(report):
    # The leader finds the fire escape blocked on a Saturday evening.
    case = report("demo-louzhang", at=sh(2026, 3, 7, 20), risk="critical", title="消防通道被堵")
    assert case.accept_due == sh(2026, 3, 7, 21)
    assert case.resolve_due == sh(2026, 3, 7, 22)


def test_a_leader_records_a_visit_on_behalf_of_an_anonymous_neighbour(world, report):
    case = report(
        "demo-louzhang",
        "GC-JD-JYLW-B01",
        channel=Channel.VISIT,
        contact_name="陈阿姨",
        contact_phone="13612345678",
    )
    assert case.reporter is None
    assert case.recorded_by == world.user("demo-louzhang")
    assert case.channel == Channel.VISIT
    assert case.masked_contact_phone == "136****5678"
    event = case.events.get()
    assert event.data["channel"] == "visit"


def test_a_leader_records_for_a_named_resident(world, report):
    wang = world.person("P-WANG")
    case = report("demo-louzhang", "GC-JD-JYLW-B01", channel=Channel.RECEPTION_DAY, reporter=wang)
    assert case.reporter == wang
    assert case.recorded_by == world.user("demo-louzhang")


def test_staff_record_a_dispute_with_its_parties(world, report):
    wang, chen = world.person("P-WANG"), world.person("P-CHEN")
    case = report(
        "demo-shequ",
        "GC-JD-JYLW-B01",
        channel=Channel.RECEPTION_DAY,
        reporter=wang,
        parties=[(wang, "applicant"), (chen, "respondent")],
    )
    assert {(p.person.code, p.side) for p in case.case_parties.all()} == {
        ("P-WANG", "applicant"),
        ("P-CHEN", "respondent"),
    }


@pytest.mark.parametrize(
    ("username", "extra", "why"),
    [
        ("demo-resident", {"channel": Channel.PHONE}, "居民请在线上报"),
        ("demo-resident", {"risk": "high"}, "只有工作人员可以设定风险等级"),
        ("demo-resident", {"contact_name": "陈阿姨"}, "只有楼长等骨干和工作人员可以代他人登记事项"),
        ("demo-louzhang", {"channel": Channel.PHONE}, "您不能登记经由这一渠道反映的事项"),
        (
            "demo-louzhang",
            {"channel": Channel.VISIT, "parties": [("P-CHEN", "respondent")]},
            "只有工作人员可以登记事项的当事人",
        ),
        ("demo-wuye", {"channel": Channel.PATROL}, "居民请在线上报"),
    ],
)
def test_the_intake_policy_refuses_what_a_role_may_not_record(world, report, username, extra, why):
    if "parties" in extra:
        extra = {**extra, "parties": [(world.person(c), side) for c, side in extra["parties"]]}
    with pytest.raises(PermissionDenied, match=why):
        report(username, "GC-JD-JYLW-B01", **extra)
    assert not Case.objects.exists()


def test_reporting_writes_one_reported_event(report):
    case = report()
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.to_status, event.to_tier, event.at) == (
        "reported",
        "reported",
        1,
        MONDAY,
    )


def test_a_resident_may_not_report_at_another_building(report):
    with pytest.raises(PermissionDenied):
        report("demo-resident", "GC-JD-JYLW-B02")
    assert not Case.objects.exists()


def test_a_user_without_a_post_or_home_may_not_report(report):
    with pytest.raises(PermissionDenied):
        report("nobody", "GC-JD-JYLW-B01")


def test_a_title_is_required(report):
    with pytest.raises(ValidationError) as err:
        report(title="  ")
    assert err.value.code == "required"


def test_at_most_four_photos(report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photos = [SimpleUploadedFile(f"{i}.jpg", b"x", "image/jpeg") for i in range(5)]
    with pytest.raises(ValidationError) as err:
        report(photos=photos)
    assert err.value.code == "too_many_photos"


def test_photos_are_stored_under_a_neutral_name(report, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = report(photos=[SimpleUploadedFile("王秀英13812345678.JPG", b"\xff\xd8", "image/jpeg")])
    photo = case.photos.get()
    assert (photo.content_type, photo.size) == ("image/jpeg", 2)
    assert photo.file.name.startswith("cases/")
    assert photo.file.name.endswith(".jpg")
    assert "王" not in photo.file.name
    # The whole phone number: three digits of it may well occur in the name's time stamp.
    assert "13812345678" not in photo.file.name


class TestIdempotency:
    def test_a_retried_submission_returns_the_same_case(self, report):
        first = report(idempotency_key="abc-123")
        again = report(idempotency_key="abc-123")
        assert again.pk == first.pk
        assert again.replayed
        assert not first.replayed
        assert Case.objects.count() == 1
        assert CaseEvent.objects.count() == 1

    def test_a_retry_with_photos_writes_no_second_file(self, report, settings, tmp_path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.MEDIA_ROOT = tmp_path

        def photo():
            return [SimpleUploadedFile("a.jpg", b"\xff\xd8", "image/jpeg")]

        first = report(idempotency_key="with-photo", photos=photo())
        again = report(idempotency_key="with-photo", photos=photo())
        assert again.pk == first.pk
        assert again.replayed
        assert len([f for f in tmp_path.rglob("*") if f.is_file()]) == 1

    def test_the_key_is_per_user(self, report):
        mine = report("demo-resident", idempotency_key="same")
        theirs = report("demo-louzhang", "GC-JD-JYLW-B01", idempotency_key="same")
        assert mine.pk != theirs.pk

    def test_a_key_older_than_a_day_is_forgotten(self, report):
        first = report(idempotency_key="k", at=MONDAY)
        later = report(idempotency_key="k", at=sh(2026, 3, 3, 10, 1))
        assert later.pk != first.pk
        assert IdempotencyKey.objects.get().case == later

    def test_the_sweep_purges_expired_keys(self, report):
        from shuren.cases.actions import purge_idempotency_keys

        report(idempotency_key="old", at=MONDAY)
        assert purge_idempotency_keys(now=sh(2026, 3, 3, 9)) == 0
        assert purge_idempotency_keys(now=sh(2026, 3, 3, 11)) == 1


def test_the_system_may_report_without_an_actor(world, category):
    case = report_case(
        actor=None,
        place=world.place("GC-JD-JYLW-B01"),
        category=category("facilities"),
        title="Open311: 路灯不亮",
        channel=Channel.OPEN311,
        contact_name="匿名",
        at=MONDAY,
    )
    assert case.recorded_by is None
    assert case.reporter is None
