"""The home page shows each role its own scope, with phones masked, in a fixed number of
queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.people.models import Person
from shuren.places.models import Household, Resident
from shuren.testing import ROLE_USERS

HOME = "/"


def home_text(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def sections_of(client, template: str):
    response = client.get(HOME)
    return [s for s in response.context["sections"] if s.template == template]


def test_home_needs_login(client, world):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_resident_sees_their_household_its_places_and_its_members_masked(client, login):
    login("demo-resident")
    text = home_text(client)
    assert "金域蓝湾" in text
    assert "1栋1单元" in text
    assert "101" in text
    assert "王秀英" in text
    assert "李建国" in text
    assert "138****5678" in text
    assert "139****1111" in text
    assert "陈美玲" not in text  # the neighbour in 102
    assert "尖东社区" not in text  # the chain stops at the estate


def test_a_leaders_home_names_their_building_and_opens_the_register(client, login):
    login("demo-louzhang")
    text = home_text(client)
    assert "1栋" in text
    assert reverse("web:buildings") in text
    assert "2 户" in text
    assert "王秀英" not in text  # the register is its own page (我的楼栋)


def test_community_staff_see_their_community_with_counts_and_nothing_of_the_sibling(client, login):
    login("demo-shequ")
    (section,) = sections_of(client, "web/home/community.html")
    assert [p.name for p in section.heading_places] == ["尖东社区"]
    counts = {row.place.name: row for row in section.rows}
    assert set(counts) == {"金域蓝湾", "尖东新村"}
    jylw = counts["金域蓝湾"]
    assert (jylw.buildings, jylw.households, jylw.leaders, jylw.teams) == (2, 3, 2, 3)
    old_village = counts["尖东新村"]
    assert (old_village.buildings, old_village.households, old_village.leaders) == (1, 1, 0)
    assert section.totals["households"] == 4
    # The totals also count what stands on the community itself: the property company's team.
    assert section.totals["teams"] == 5
    text = home_text(client)
    assert "同成社区" not in text
    assert "万科金域中央" not in text


def test_the_sibling_communitys_staff_see_only_their_own(client, login):
    login("demo-shequ2")
    text = home_text(client)
    assert "同成社区" in text
    assert "万科金域中央" in text
    assert "金域蓝湾" not in text
    assert "尖东社区" not in text


def test_the_grid_worker_sees_the_community_like_its_staff(client, login):
    login("demo-wangge")
    text = home_text(client)
    assert "尖东社区" in text
    assert "金域蓝湾" in text
    assert "尖东新村" in text


def test_the_mediator_sees_the_workshop_and_the_communities_it_serves(client, login):
    login("demo-tiaojie")
    text = home_text(client)
    assert "苏志敏创熟调解工作室" in text
    assert "尖东社区" in text
    assert "同成社区" in text
    assert "江滨社区" not in text


def test_the_property_company_sees_the_estates_it_manages(client, login):
    login("demo-wuye")
    (section,) = sections_of(client, "web/home/property.html")
    assert [t.name for t in section.teams] == ["金域蓝湾物业服务中心"]
    assert [row.place.name for row in section.rows] == ["金域蓝湾"]
    assert section.rows[0].households == 3
    text = home_text(client)
    assert "尖东新村" not in text  # same community, no property company


def test_subdistrict_staff_see_the_communities_side_by_side(client, login):
    login("demo-jiedao")
    (section,) = sections_of(client, "web/home/subdistrict.html")
    counts = {row.place.name: row for row in section.rows}
    assert set(counts) == {"尖东社区", "同成社区", "江滨社区", "桂雅社区"}
    assert counts["尖东社区"].estates == 2
    assert counts["尖东社区"].households == 4
    assert counts["同成社区"].households == 1
    assert counts["江滨社区"].leaders == 1
    assert counts["桂雅社区"].leaders == 1
    assert section.totals["households"] == 6
    assert section.totals["estates"] == 3
    assert section.totals["teams"] == 7  # with the mediation workshop on the subdistrict


def test_the_system_admin_sees_the_root_and_the_way_to_the_admin(client, login):
    login("demo-admin")
    text = home_text(client)
    assert "桂城街道" in text
    assert reverse("admin:index") in text


def test_the_auditor_sees_the_access_log_link_and_no_residents(client, login):
    login("demo-auditor")
    text = home_text(client)
    assert reverse("access:log") in text
    assert "金域蓝湾" not in text
    assert "王秀英" not in text


def test_the_security_admin_sees_the_admin_link_and_no_residents(client, login):
    login("demo-secadmin")
    text = home_text(client)
    assert reverse("admin:index") in text
    assert "金域蓝湾" not in text
    assert "王秀英" not in text


def test_an_account_without_a_person_is_told_to_ask_the_office(client, login):
    login("nobody")
    assert "社区工作人员" in home_text(client)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_no_home_page_shows_a_full_phone_or_id_number(client, login, username):
    login(username)
    text = home_text(client)
    for phone, id_number in Person.objects.values_list("phone", "id_number"):
        assert not phone or phone not in text
        assert not id_number or id_number not in text


# Measured once and pinned: the number of queries of each home page must not grow with the
# data (session and user, the scope, the user's posts, the bell's unread count and the newest
# notifications, the work counts — one per inbox and one for one's own reports — then a
# fixed few per section; one more for the open alerts of those who answer for alerts).
# Each count holds one query for the owners' votes the user is asked to vote in, one for an
# elevator project over a resident's home (elevators.home), and the
# meetings' share: the user's open follow-through items (one query) and, for who organises
# no meeting, whether any invites them (one more).
HOME_QUERIES = {
    "demo-resident": 17,
    "demo-louzhang": 15,
    "demo-louzhang2": 15,
    "demo-xiangzhang": 15,
    "demo-jiezhang": 15,
    "demo-shequ": 18,
    "demo-shequ2": 18,
    "demo-wangge": 18,
    "demo-tiaojie": 14,
    "demo-wuye": 20,
    "demo-jiedao": 19,
    "demo-admin": 14,
    "demo-auditor": 15,  # and the audit trail's count of the last day
    "demo-secadmin": 13,
}


def test_every_role_has_a_pinned_query_count():
    assert set(HOME_QUERIES) == set(ROLE_USERS)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_home_page_query_count_is_pinned(
    client, login, username, django_assert_max_num_queries
):
    login(username)
    with django_assert_max_num_queries(HOME_QUERIES[username]):
        assert client.get(HOME).status_code == 200


def test_the_query_count_does_not_grow_with_the_households(
    client, login, world, django_assert_max_num_queries
):
    unit = world.place("GC-JD-JYLW-B01-U1")
    someone = world.person("P-CHEN")
    for n in range(40):
        household = Household.objects.create(place=unit, code=f"H-B01-Y{n:02d}", room=f"8{n:02d}")
        Resident.objects.create(household=household, person=someone, relation="tenant")
    for username in ("demo-louzhang", "demo-shequ", "demo-jiedao", "demo-wuye"):
        login(username)
        with django_assert_max_num_queries(HOME_QUERIES[username]):
            assert client.get(HOME).status_code == 200
