"""Place and household pages: in scope they show the place and masked contacts; out of scope
they answer 404 exactly like an id that does not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.places.models import Household, Place
from shuren.web.tests.pages import assert_same_404

MISSING = 999_999_999


def place_url(world, code: str) -> str:
    return reverse("places:detail", args=[world.place(code).pk])


def household_url(world, code: str) -> str:
    return reverse("places:household", args=[world.household(code).pk])


def test_place_pages_need_login(client, world):
    assert client.get(place_url(world, "GC-JD")).status_code == 302
    assert client.get(household_url(world, "H-B01-101")).status_code == 302


def test_a_leader_opens_their_building_with_households_and_masked_phones(client, login, world):
    login("demo-louzhang")
    response = client.get(place_url(world, "GC-JD-JYLW-B01"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "1栋1单元" in text
    assert "王秀英" in text
    assert "138****5678" in text
    assert "13812345678" not in text


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("demo-louzhang", "GC-JD-JYLW-B02"),  # the sibling building
        ("demo-louzhang", "GC-JD-JYLW"),  # the estate above
        ("demo-shequ", "GC-TC"),  # the sibling community
        ("demo-shequ2", "GC-JD-JYLW-B01"),  # another community's building
        ("demo-wuye", "GC-JD-JDXC"),  # an estate the company does not manage
        ("demo-resident", "GC-JD"),  # above the estate
        ("demo-auditor", "GC"),
        ("nobody", "GC"),
    ],
)
def test_out_of_scope_places_answer_404_like_a_missing_id(client, login, world, username, code):
    login(username)
    outside = client.get(place_url(world, code))
    missing = client.get(reverse("places:detail", args=[MISSING]))
    assert_same_404(outside, missing)


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("demo-louzhang", "H-B02-201"),
        ("demo-resident", "H-B01-102"),  # the neighbour
        ("demo-shequ2", "H-B01-101"),
        ("demo-wuye", "H-JDXC-101"),
        ("demo-secadmin", "H-B01-101"),
    ],
)
def test_out_of_scope_households_answer_404(client, login, world, username, code):
    login(username)
    outside = client.get(household_url(world, code))
    missing = client.get(reverse("places:household", args=[MISSING]))
    assert_same_404(outside, missing)


def test_the_resident_opens_their_own_household(client, login, world):
    login("demo-resident")
    response = client.get(household_url(world, "H-B01-101"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "王秀英" in text
    assert "李建国" in text
    assert "139****1111" in text
    assert "13900001111" not in text
    assert "89.50" in text  # exclusive area


def test_the_breadcrumb_shows_only_places_in_scope(client, login, world):
    login("demo-louzhang")
    response = client.get(household_url(world, "H-B01-101"))
    chain = [p.code for p in response.context["chain"]]
    assert chain == ["GC-JD-JYLW-B01", "GC-JD-JYLW-B01-U1"]


def test_community_staff_see_the_estates_of_their_community_with_counts(client, login, world):
    login("demo-shequ")
    response = client.get(place_url(world, "GC-JD"))
    rows = {row.place.code: row for row in response.context["children"]}
    assert set(rows) == {"GC-JD-JYLW", "GC-JD-JDXC"}
    assert rows["GC-JD-JYLW"].households == 3


def test_a_street_page_lists_its_shops(client, login, world):
    login("demo-jiezhang")
    text = client.get(place_url(world, "GC-GY-S01")).content.decode()
    assert "桂雅路1号商铺" in text
    assert "制衣厂" in text


def test_a_building_page_pages_its_households(client, login, world):
    unit = world.place("GC-JD-JYLW-B01-U1")
    for n in range(30):
        Household.objects.create(place=unit, code=f"H-B01-Z{n:02d}", room=f"7{n:02d}")
    login("demo-louzhang")
    page2 = client.get(place_url(world, "GC-JD-JYLW-B01"), {"page": 2})
    assert len(page2.context["household_rows"]) == 12


def test_the_place_page_query_count_does_not_grow_with_children(
    client, login, world, django_assert_max_num_queries
):
    from shuren.places.actions import create_place

    estate = world.place("GC-JD-JYLW")
    login("demo-shequ")
    with django_assert_max_num_queries(20) as before:
        client.get(place_url(world, "GC-JD-JYLW"))
    for n in range(10):
        create_place(
            actor=None, kind="building", name=f"{n + 3}栋", code=f"GC-JD-JYLW-BX{n}", parent=estate
        )
    assert Place.objects.filter(parent=estate).count() == 12
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(place_url(world, "GC-JD-JYLW"))
