"""我的楼栋: a leader's household register, searchable by room and name, masked, paged, and
nobody else's."""

from __future__ import annotations

import pytest

from shuren.places.models import Household, Resident

BUILDINGS = "/buildings/"


def register_text(client, **params) -> str:
    response = client.get(BUILDINGS, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_building_leader_sees_their_building_and_its_households_with_masked_phones(client, login):
    login("demo-louzhang")
    text = register_text(client)
    assert "1栋" in text
    assert "王秀英" in text
    assert "138****5678" in text
    assert "陈美玲" in text
    assert "137****2222" in text
    assert "赵志强" not in text
    assert "2栋" not in text


def test_the_other_building_leader_sees_only_building_2(client, login):
    login("demo-louzhang2")
    text = register_text(client)
    assert "赵志强" in text
    assert "136****3333" in text
    assert "王秀英" not in text
    assert "陈美玲" not in text


def test_a_lane_leader_sees_the_lane_and_its_households(client, login):
    login("demo-xiangzhang")
    text = register_text(client)
    assert "江滨东一巷" in text
    assert "何婆婆" in text
    assert "133****6666" in text
    assert "金域蓝湾" not in text


def test_a_street_leader_sees_the_street_and_its_shops(client, login):
    login("demo-jiezhang")
    text = register_text(client)
    assert "桂雅路" in text
    assert "桂雅路1号商铺" in text
    assert "桂雅路3号商铺" in text
    assert "金域蓝湾" not in text


def test_a_leaders_households_are_paged(client, login, world):
    unit = world.place("GC-JD-JYLW-B01-U1")
    for n in range(25):
        Household.objects.create(place=unit, code=f"H-B01-X{n:02d}", room=f"9{n:02d}")
    login("demo-louzhang")
    first = client.get(BUILDINGS)
    assert len(first.context["register"].rows) == 20
    assert first.context["register"].households.paginator.count == 27
    second = client.get(BUILDINGS, {"page": 2})
    assert len(second.context["register"].rows) == 7
    assert "第 2 页，共 2 页" in second.content.decode()


def test_the_register_finds_a_household_by_room(client, login):
    login("demo-louzhang")
    text = register_text(client, q="102")
    assert "陈美玲" in text
    assert "王秀英" not in text


def test_the_register_finds_a_household_by_a_residents_name(client, login):
    login("demo-louzhang")
    text = register_text(client, q="李建国")  # lives in 101 with 王秀英, the head
    assert "王秀英" in text
    assert "陈美玲" not in text


def test_a_name_from_another_building_finds_nothing(client, login):
    login("demo-louzhang")
    response = client.get(BUILDINGS, {"q": "赵志强"})
    assert response.context["register"].rows == []
    assert "0 户" in response.content.decode()


@pytest.mark.parametrize(
    "username", ["demo-resident", "demo-shequ", "demo-wuye", "demo-jiedao", "demo-admin"]
)
def test_who_leads_no_building_has_no_register(client, login, username):
    login(username)
    assert client.get(BUILDINGS).status_code == 404


def test_the_register_needs_login(client, world):
    assert client.get(BUILDINGS).status_code == 302


def test_the_registers_query_count_does_not_grow_with_the_households(
    client, login, world, django_assert_max_num_queries
):
    unit = world.place("GC-JD-JYLW-B01-U1")
    someone = world.person("P-CHEN")
    for n in range(40):
        household = Household.objects.create(place=unit, code=f"H-B01-Y{n:02d}", room=f"8{n:02d}")
        Resident.objects.create(household=household, person=someone, relation="tenant")
    login("demo-louzhang")
    with django_assert_max_num_queries(BUILDING_QUERIES):
        assert client.get(BUILDINGS, {"q": "8"}).status_code == 200


BUILDING_QUERIES = 12
