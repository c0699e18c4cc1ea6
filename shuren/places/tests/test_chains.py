"""The places above a page of rows, read by key in one hand-written statement, and the chains
(社区 › 小区 › 楼栋) a list above a building names its places by."""

from __future__ import annotations

from shuren.places.models import Place
from shuren.places.queries import Above, place_chains, places_above


def test_the_places_above_are_what_the_orm_reads(world, django_assert_num_queries):
    paths = list(Place.objects.values_list("path", flat=True))
    with django_assert_num_queries(1):
        above = places_above(paths)
    assert above == {
        place.pk: Above(place.name, place.property_company_id) for place in Place.objects.all()
    }
    with django_assert_num_queries(0):
        assert places_above([]) == {}


def test_the_places_above_one_place_are_its_ancestors_and_itself(world):
    unit = world.place("GC-JD-JYLW-B01-U1")
    above = places_above([unit.path])
    assert set(above) == {p.pk for p in [*unit.ancestors(), unit]}
    estate = world.place("GC-JD-JYLW")
    assert above[estate.pk].property_company_id == estate.property_company_id


def test_a_chain_starts_at_the_community_and_leaves_out_what_the_next_name_says(world):
    paths = [world.place(c).path for c in ("GC-JD-JYLW-B01-U1", "GC-JD-JDXC-B01", "GC-JB-L01")]
    assert place_chains(paths) == {
        paths[0]: "尖东社区 › 金域蓝湾 › 1栋1单元",
        paths[1]: "尖东社区 › 尖东新村1座",
        paths[2]: "江滨社区 › 江滨东一巷",
    }


def test_a_chain_may_start_lower_down_and_costs_nothing_when_the_places_are_known(
    world, django_assert_num_queries
):
    unit = world.place("GC-TC-JYZY-T1-F01")
    above = places_above([unit.path])
    with django_assert_num_queries(0):
        chains = place_chains([unit.path], from_depth=4, above=above)
    assert chains == {unit.path: "T1栋1-28层"}
