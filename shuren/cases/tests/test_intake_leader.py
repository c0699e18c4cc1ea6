"""A leader's quick entry: for someone, with the channel it came by, only in their places."""

from __future__ import annotations

import re

import pytest

from shuren.cases.choices import EventKind
from shuren.cases.models import Case, CaseEvent, Channel
from shuren.cases.tests.intake_support import (
    form_data,
    htmx,
    media_in_tmp,  # noqa: F401 - autouse: photos go to a temporary folder
)

URL = "/cases/quick/"


def entry(world, place="GC-JD-JYLW-B01", **extra):
    return form_data(world, place, **extra)


@pytest.mark.parametrize(
    "username", ["demo-louzhang", "demo-louzhang2", "demo-xiangzhang", "demo-jiezhang"]
)
def test_every_kind_of_leader_has_the_quick_entry(client, login, username):
    login(username)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("username", ["demo-resident", "demo-shequ", "demo-wuye", "demo-admin"])
def test_others_get_a_404(client, login, username):
    login(username)
    assert client.get(URL).status_code == 404


def test_the_page_starts_at_the_leaders_building_with_its_unit_and_four_channels(
    client, login, world
):
    login("demo-louzhang")
    page = client.get(URL).content.decode()
    building, unit = world.place("GC-JD-JYLW-B01"), world.place("GC-JD-JYLW-B01-U1")
    assert re.search(rf'name="place" value="{building.pk}"[^>]*checked', page)
    assert f'name="place" value="{unit.pk}"' in page
    assert f'name="place" value="{world.place("GC-JD-JYLW-B02").pk}"' not in page
    channels = re.findall(r'name="channel" value="(\w+)"', page)
    assert channels == ["reception_day", "patrol", "visit", "wechat_group"]
    assert "接待日" in page
    assert "微信群" in page


def test_the_name_list_holds_the_residents_of_the_building_only(client, login):
    login("demo-louzhang")
    page = client.get(URL).content.decode()
    names = re.findall(r'<option value="([^"]+)">', page)
    assert {"王秀英", "李建国", "陈美玲"} <= set(names)
    assert "赵志强" not in names  # building 2
    assert "刘楼长" not in names  # the leader themself


def test_a_matter_raised_on_reception_day_is_recorded_as_such(client, login, world):
    leader = login("demo-louzhang")
    response = client.post(
        URL, entry(world, channel=Channel.RECEPTION_DAY, reporter="王秀英", title="楼下晒咸鱼")
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == Channel.RECEPTION_DAY
    assert case.reporter == world.person("P-WANG")
    assert case.recorded_by == leader
    assert case.contact_name == ""
    event = CaseEvent.objects.get(case=case, kind=EventKind.REPORTED)
    assert event.actor == leader
    assert event.data["channel"] == "reception_day"


def test_a_resident_may_be_named_by_code(client, login, world):
    login("demo-louzhang")
    client.post(URL, entry(world, channel=Channel.VISIT, reporter="p-chen"))
    assert Case.objects.get().reporter == world.person("P-CHEN")


def test_someone_from_the_wechat_group_is_a_contact_with_a_phone(client, login, world):
    login("demo-louzhang")
    client.post(
        URL,
        entry(
            world,
            channel=Channel.WECHAT_GROUP,
            contact_name="  张 阿姨 ",
            contact_phone="139 0000 2222",
        ),
    )
    case = Case.objects.get()
    assert case.reporter is None
    assert case.contact_name == "张 阿姨"
    assert case.contact_phone == "139 0000 2222"
    assert case.channel == Channel.WECHAT_GROUP


def test_a_matter_found_on_patrol_is_the_leaders_own(client, login, world):
    login("demo-louzhang")
    client.post(URL, entry(world, channel=Channel.PATROL, title="楼道堆满杂物"))
    case = Case.objects.get()
    assert case.reporter == world.person("P-LZ1")
    assert case.channel == Channel.PATROL


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"channel": Channel.VISIT}, "请填写反映人。"),
        ({"channel": Channel.VISIT, "reporter": "赵志强"}, "您负责的范围内没有叫“赵志强”的人。"),
        ({"channel": Channel.VISIT, "reporter": "王秀英", "contact_name": "张阿姨"}, "只填一处"),
        ({"channel": Channel.VISIT, "contact_name": "张阿姨", "contact_phone": "打电话"}, "数字"),
        ({"channel": Channel.PATROL, "contact_phone": "13900002222"}, "对应的姓名"),
        ({"channel": Channel.PHONE, "reporter": "王秀英"}, "反映渠道"),
        ({"reporter": "王秀英"}, "请选择反映渠道。"),
    ],
)
def test_an_incomplete_entry_says_what_is_missing_and_saves_nothing(
    client, login, world, extra, problem
):
    login("demo-louzhang")
    response = client.post(URL, entry(world, **extra))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize("place", ["GC-JD-JYLW-B02", "GC-JD-JYLW", "GC-TC-JYZY-T1"])
def test_a_place_outside_the_leaders_places_is_refused(client, login, world, place):
    login("demo-louzhang")
    response = client.post(URL, entry(world, place, channel=Channel.PATROL))
    assert "请从列出的地点中选择一个。" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_lane_leader_enters_a_matter_at_a_house_in_the_lane(client, login, world):
    login("demo-xiangzhang")
    page = client.get(URL).content.decode()
    house = world.place("GC-JB-L01-B01")
    assert f'name="place" value="{house.pk}"' in page
    client.post(URL, entry(world, "GC-JB-L01-B01", channel=Channel.VISIT, reporter="何婆婆"))
    case = Case.objects.get()
    assert case.place == house
    assert case.reporter == world.person("P-HE")


def test_opening_a_place_shows_the_places_under_it_in_place(client, login, world):
    login("demo-xiangzhang")
    lane, house = world.place("GC-JB-L01"), world.place("GC-JB-L01-B01")
    response = client.get(URL, {"browse": house.pk}, **htmx())
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="place-picker"')
    assert re.search(rf'name="place" value="{house.pk}"[^>]*checked', page)
    assert f'name="browse" value="{lane.pk}"' in page  # back up to the lane


def test_browsing_outside_the_leaders_places_falls_back_to_their_own(client, login, world):
    login("demo-louzhang")
    other = world.place("GC-TC-JYZY-T1")
    page = client.get(URL, {"browse": other.pk}, **htmx()).content.decode()
    assert f'name="place" value="{other.pk}"' not in page
    assert f'name="place" value="{world.place("GC-JD-JYLW-B01").pk}"' in page


def test_browsing_without_javascript_keeps_what_was_typed(client, login, world):
    login("demo-xiangzhang")
    house = world.place("GC-JB-L01-B01")
    data = entry(world, "GC-JB-L01", channel=Channel.VISIT, title="巷口下水道堵了")
    response = client.post(URL, {**data, "browse": house.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="巷口下水道堵了"' in page
    assert re.search(r'name="channel" value="visit"[^>]*checked', page)
    assert "还没有提交" not in page  # moving about is not a failed submit
    assert Case.objects.count() == 0


def test_the_note_on_a_duplicate_says_how_and_from_whom_it_came(client, login, world):
    from shuren.cases.actions import report_case
    from shuren.cases.tests.intake_support import category

    earlier = report_case(
        actor=world.user("demo-louzhang"),
        place=world.place("GC-JD-JYLW-B01"),
        category=category(),
        title="楼下晒咸鱼好臭",
    )
    login("demo-louzhang")
    data = entry(world, channel=Channel.WECHAT_GROUP, contact_name="张阿姨", description="")
    asked = client.post(URL, data)
    assert "这些看起来是同一件事" in asked.content.decode()
    client.post(URL, {**data, "add_to": earlier.pk})
    note = CaseEvent.objects.get(case=earlier, kind=EventKind.NOTED).note
    assert note == "[微信群 · 张阿姨] 楼下邻居晒咸鱼，气味很大"


def test_a_leader_of_two_buildings_chooses_one_first(client, login, world):
    import datetime as dt

    from shuren.people.models import Post
    from shuren.people.roles import Role

    Post.objects.create(
        person=world.person("P-LZ1"),
        role=Role.LOUZHANG,
        place=world.place("GC-JD-JYLW-B02"),
        starts_on=dt.date(2020, 1, 1),
    )
    login("demo-louzhang")
    b1, b2 = world.place("GC-JD-JYLW-B01"), world.place("GC-JD-JYLW-B02")
    top = client.get(URL).content.decode()
    assert re.findall(r'name="place" value="(\d+)"', top) == [str(b1.pk), str(b2.pk)]
    assert " checked" not in re.search(r'<div id="place-picker".*?</div>', top, re.S)[0]
    inside = client.get(URL, {"browse": b2.pk}, **htmx()).content.decode()
    assert "返回我负责的全部地点" in inside
    assert f'name="place" value="{world.place("GC-JD-JYLW-B02-U1").pk}"' in inside
    client.post(URL, entry(world, "GC-JD-JYLW-B02-U1", channel=Channel.VISIT, reporter="赵志强"))
    assert Case.objects.get().reporter == world.person("P-ZHAO")
