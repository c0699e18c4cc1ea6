"""Reaching neighbours, with consent (issue 9, item 5): a person says whether their 楼长 may see
their phone (their account page, or the Excel import; no by default); the 楼长 of their building
may then reveal it, logged like every reveal, and tap to call. A leader may publish a number for
their residents, shown with their name on their residents' matter pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from shuren.access.models import AccessLog
from shuren.cases.actions import report_case
from shuren.cases.models import Category
from shuren.kernel.models import Event
from shuren.people.actions import publish_phone, set_phone_consent
from shuren.people.models import Person
from shuren.places.excel.actions import import_places
from shuren.places.excel.exporter import export_workbook
from shuren.places.excel.template import RESIDENTS, write_workbook
from shuren.places.models import Resident

WANG_PHONE = "13812345678"


@pytest.fixture
def wang(world) -> Resident:
    """王秀英 of 1栋 room 101, whose 楼长 is demo-louzhang."""
    return Resident.objects.get(household__code="H-B01-101", person__code="P-WANG")


def phone_url(resident: Resident) -> str:
    return reverse("places:resident-phone", args=[resident.pk])


def agree(world, who: str = "demo-resident") -> None:
    user = world.user(who)
    set_phone_consent(actor=user, person=user.person, leader_sees_phone=True)


# --- The resident's say ---------------------------------------------------------------------------


def test_nobody_has_agreed_until_they_say_so(world):
    assert not Person.objects.filter(leader_sees_phone=True).exists()


def test_a_resident_says_on_their_account_page_whether_their_leader_may_see_their_phone(
    client, login, world
):
    login("demo-resident")
    page = client.get(reverse("accounts:account")).content.decode()
    assert "允许我的楼长查看我的电话" in page
    assert 'name="leader_sees_phone"' in page
    assert "checked" not in page
    assert "本楼住户可拨打的联系电话" not in page  # a resident publishes no number
    response = client.post(
        reverse("accounts:account"), {"form": "consent", "leader_sees_phone": "on"}
    )
    assert response.status_code == 302
    assert world.person("P-WANG").leader_sees_phone
    event = Event.objects.filter(kind="person.changed").latest("pk")
    assert event.data == {"fields": ["leader_sees_phone"]}  # which field, never a value
    client.post(reverse("accounts:account"), {"form": "consent"})
    assert not world.person("P-WANG").leader_sees_phone


def test_staff_who_keep_the_record_may_note_it_a_leader_may_not(world):
    wang = world.person("P-WANG")
    set_phone_consent(actor=world.user("demo-shequ"), person=wang, leader_sees_phone=True)
    with pytest.raises(PermissionDenied):
        set_phone_consent(actor=world.user("demo-louzhang"), person=wang, leader_sees_phone=False)
    assert world.person("P-WANG").leader_sees_phone


# --- The leader's call ----------------------------------------------------------------------------


def test_the_leader_reveals_and_calls_a_resident_who_agreed_and_it_is_logged(
    client, login, world, wang
):
    agree(world)
    login("demo-louzhang")
    response = client.post(phone_url(wang))
    assert response.status_code == 200
    assert f'href="tel:{WANG_PHONE}"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.get()
    assert (log.username, log.object_type, log.object_id, log.fields) == (
        "demo-louzhang",
        "person",
        str(wang.person_id),
        "phone",
    )
    assert log.reason == "楼长联系已同意查看电话的本楼住户"


def test_without_consent_the_leader_sees_no_number_and_nothing_is_logged(
    client, login, world, wang
):
    login("demo-louzhang")
    response = client.post(phone_url(wang))
    assert response.status_code == 403
    assert WANG_PHONE not in response.content.decode()
    assert "只有本楼楼长可以查看这个号码" in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("demo-louzhang2", 404),  # another building's leader: not theirs to see at all
        ("demo-resident", 403),  # herself: her own number needs no reveal
        ("demo-shequ", 403),  # staff reveal on the person's page, with a reason of their own
        ("demo-wuye", 403),
        ("demo-xiangzhang", 404),
    ],
)
def test_only_the_leader_of_their_own_building_calls_this_way(
    client, login, world, wang, username, status
):
    agree(world)
    login(username)
    assert client.post(phone_url(wang)).status_code == status
    assert not AccessLog.objects.exists()


def test_a_resident_who_moved_out_is_no_longer_reachable_this_way(client, login, world, wang):
    agree(world)
    Resident.objects.filter(pk=wang.pk).update(moved_out_on=dt.date(2026, 1, 1))
    login("demo-louzhang")
    assert client.post(phone_url(wang)).status_code == 404


def test_the_household_page_offers_the_leader_the_button_only_where_a_resident_agreed(
    client, login, world, wang
):
    login("demo-louzhang")
    url = reverse("places:household", args=[wang.household_id])
    assert phone_url(wang) not in client.get(url).content.decode()
    agree(world)
    page = client.get(url).content.decode()
    assert phone_url(wang) in page
    assert "显示王秀英的电话并拨打" in page
    assert WANG_PHONE not in page  # masked until the leader asks
    login("demo-shequ")
    assert phone_url(wang) not in client.get(url).content.decode()


# --- The Excel column -----------------------------------------------------------------------------


def test_the_excel_import_records_the_consent_and_an_empty_cell_keeps_it(world):
    agree(world)  # 王秀英 said yes on her account page
    rows = {
        "residents": [
            {
                "person_code": "P-WANG",
                "name": "王秀英",
                "phone": "138****5678",
                "household_code": "H-B01-101",
                "relation": "户主",
            },
            {
                "person_code": "P-CHEN",
                "name": "陈美玲",
                "phone": "137****2222",
                "household_code": "H-B01-102",
                "relation": "户主",
                "leader_sees_phone": "是",
            },
        ]
    }
    report = import_places(actor=world.user("demo-shequ"), file=write_workbook(rows))
    assert report.ok, report.errors
    assert world.person("P-WANG").leader_sees_phone  # the empty cell kept her own choice
    assert world.person("P-CHEN").leader_sees_phone
    rows["residents"][1]["leader_sees_phone"] = "否"
    import_places(actor=world.user("demo-shequ"), file=write_workbook(rows))
    assert not world.person("P-CHEN").leader_sees_phone


def test_the_excel_export_carries_the_column(world):
    agree(world)
    book = load_workbook(io.BytesIO(export_workbook(user=world.user("demo-shequ"))))
    sheet = book[RESIDENTS.title]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("楼长可见电话")
    consent = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (consent["P-WANG"], consent["P-CHEN"]) == ("是", "否")


# --- The leader's published number ----------------------------------------------------------------


def test_a_leader_publishes_a_number_and_their_residents_see_it_on_their_matter_page(
    client, login, world
):
    case = report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-odour"),
        title="楼下晒咸鱼",
    )
    login("demo-resident")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "刘楼长" in page
    assert "13100000001" not in page  # the leader's own phone is never shown
    assert "tel:" not in page

    login("demo-louzhang")
    response = client.post(
        reverse("accounts:account"), {"form": "published", "published_phone": "0757-86281234"}
    )
    assert response.status_code == 302
    login("demo-resident")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'href="tel:0757-86281234"' in page


def test_a_number_that_is_not_a_phone_is_refused_in_words(client, login, world):
    login("demo-louzhang")
    response = client.post(
        reverse("accounts:account"), {"form": "published", "published_phone": "call me"}
    )
    assert response.status_code == 400
    assert (
        "电话号码只能包含数字" in response.content.decode() or "数字" in response.content.decode()
    )
    assert world.person("P-LZ1").published_phone == ""


def test_only_a_leader_publishes_and_only_their_own_number(client, login, world):
    login("demo-resident")
    response = client.post(
        reverse("accounts:account"), {"form": "published", "published_phone": "1"}
    )
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        publish_phone(
            actor=world.user("demo-louzhang"), person=world.person("P-WANG"), phone="13100000001"
        )
    assert world.person("P-WANG").published_phone == ""


def test_a_login_without_a_person_has_nothing_to_choose(client, login):
    login("nobody")
    assert client.get(reverse("accounts:account")).status_code == 200
    assert client.post(reverse("accounts:account"), {"form": "consent"}).status_code == 200
