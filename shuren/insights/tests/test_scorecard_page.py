"""The scorecard page with the test world: 尖东's two estates side by side by the seven marks,
each with its rule and its value, ranked; within the reader's scope (community staff and the
subdistrict) only."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from shuren.cases.tests.conftest import sh
from shuren.insights.scorecard import State
from shuren.insights.tests.test_tallies import settle
from shuren.people.actions import join_team
from shuren.people.models import Team

pytestmark = pytest.mark.django_db


def page(client, world, user="demo-shequ", **params):
    client.force_login(world.user(user))
    return client.get(reverse("insights:scorecard"), params)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def lines(response) -> dict[str, tuple[int, int, dict[str, State]]]:
    """Each estate's (position, marks met, each mark's state) as the page's context has them."""
    out = {}
    for card, _shown in response.context["lines"]:
        out[card.unit.code] = (card.position, card.met, {m.code: m.state for m in card.marks})
    return out


def test_the_estates_of_the_community_side_by_side(client, world):
    found = lines(page(client, world))
    position, met, jylw = found["GC-JD-JYLW"]
    assert (position, met) == (1, 2)
    assert jylw == {
        "party": State.MET,  # 刘楼长 is a party member
        "leaders": State.MET,  # both buildings have their 楼长
        "governance": State.NOT_MET,  # the leader team has nobody on it yet
        "consultation": State.NOT_RECORDED,
        "deliberation": State.NOT_RECORDED,
        "care": State.NOT_MET,  # the 街坊互助会 exists, with no members yet
        "company": State.NOT_MET,  # its company has settled nothing here yet
    }
    position, met, old = found["GC-JD-JDXC"]
    assert (position, met) == (2, 0)
    assert old["care"] == State.NOT_RECORDED
    assert old["company"] == State.NO_COMPANY
    assert set(found) == {"GC-JD-JYLW", "GC-JD-JDXC"}  # not 同成's estate


def test_each_mark_says_its_rule_and_value_in_chinese(client, world):
    body = text(page(client, world))
    assert "楼栋有楼长" in body
    assert "有在任楼长（街巷由巷长、街长负责）的楼栋所占比例" in body
    assert "2栋中2栋有楼长" in body
    assert "无物业公司" in body
    assert "协商有机制 尚未记录" in body
    assert "议事有平台 尚未记录" in body
    assert "第1名 金域蓝湾" in body
    assert "七项标志达到2项" in body


def test_members_and_a_good_company_record_earn_their_marks(client, world, report):
    day = dt.date(2026, 1, 1)
    for person in ("P-LZ1", "P-LZ2"):
        join_team(
            actor=None,
            team=Team.objects.get(code="T-JYLW-LZ"),
            person=world.person(person),
            starts_on=day,
        )
    for person in ("P-WANG", "P-WANG-SON", "P-CHEN", "P-ZHAO", "P-LZ1"):
        join_team(
            actor=None,
            team=Team.objects.get(code="T-JYLW-JFH"),
            person=world.person(person),
            starts_on=day,
        )
    for title in ("电梯异响", "楼道灯坏", "垃圾未清"):
        # Entered at the estate tier (held by its property company), by the desk.
        held = report(
            "", title=title, category_code="facilities", tier=2, reporter=world.person("P-WANG")
        )
        settle(held, at=sh(2026, 3, 3, 10))
    _position, met, jylw = lines(page(client, world))["GC-JD-JYLW"]
    assert jylw["governance"] == jylw["care"] == jylw["company"] == State.MET
    assert met == 5


@pytest.mark.parametrize(
    "user",
    ["demo-resident", "demo-louzhang", "demo-tiaojie", "demo-wuye", "demo-admin", "nobody"],
)
def test_who_reads_no_communitys_figures_gets_404(client, world, user):
    assert page(client, world, user).status_code == 404


def test_another_community_or_a_place_that_is_not_one_is_404(client, world):
    assert page(client, world, place=world.place("GC-TC").pk).status_code == 404
    assert page(client, world, place=world.place("GC-JD-JYLW").pk).status_code == 404
    assert page(client, world, place=987_654_321).status_code == 404
    assert page(client, world, "demo-shequ2", place=world.place("GC-TC").pk).status_code == 200


def test_the_subdistrict_chooses_among_its_communities(client, world):
    response = page(client, world, "demo-jiedao", place=world.place("GC-TC").pk)
    assert response.status_code == 200
    assert [c.code for c in response.context["communities"]] == [
        "GC-JD",
        "GC-TC",
        "GC-JB",
        "GC-GY",
    ]
    assert set(lines(response)) == {"GC-TC-JYZY"}
    lane = lines(page(client, world, "demo-jiedao", place=world.place("GC-JB").pk))
    assert lane["GC-JB-L01"][2]["leaders"] == State.MET  # 江巷长 leads the lane's houses


def test_a_bad_place_is_400_for_a_reader(client, world):
    assert page(client, world, place="abc").status_code == 400


def test_the_page_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.user("demo-shequ"))
    url = reverse("insights:scorecard")
    client.get(url)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
