"""Likely duplicates: alike texts score at least 0.3, different matters less; the search keeps to
the estate, the category, the last 30 days and the cases the user may see."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.cases.actions import merge_case, reject_case
from shuren.cases.intake.duplicates import (
    THRESHOLD,
    content_words,
    duplicate_area,
    duplicate_score,
    rank,
    similar_cases,
)
from shuren.cases.models import Category
from shuren.cases.tests.conftest import MONDAY

FISH = "楼下邻居晒咸鱼，气味很大"

# The same matter, told by two people in their own words.
ALIKE = [
    (FISH, "楼下晒咸鱼好臭"),
    (FISH, "楼下晒咸鱼，味道很大"),
    ("1栋502楼上漏水到我家", "502楼上漏水"),
    ("楼上漏水，天花板滴水", "楼上渗水到我家天花板"),
    ("小区门口路灯坏了", "北门路灯不亮了好几天"),
    ("小区门口路灯坏了", "小区门口的路灯不亮"),
    ("楼道灯坏了", "楼道的灯不亮"),
    ("消防通道被电动车堵住", "电动车堵塞消防通道"),
    ("消防通道被电瓶车占用", "消防通道被电动车堵住了"),
    ("晚上11点后楼上装修噪音太吵", "楼上装修太吵了"),
    ("楼上每天晚上很吵", "楼上晚上噪音扰民"),
    ("3号楼电梯坏了，老人上不去", "3号楼电梯坏了"),
    ("狗在楼道里大小便", "楼道里狗狗随地大小便"),
    ("垃圾桶满了没人清理", "垃圾桶满了"),
    ("楼道堆满杂物", "楼梯间乱堆杂物"),
    ("业主乱停车占用消防通道", "消防通道乱停车"),
    ("Street lights broken at the north gate", "north gate street lights broken"),
]

# Different matters, even in one estate and one category.
DIFFERENT = [
    (FISH, "楼上漏水到我家"),
    ("消防通道被电动车堵住", "楼上漏水到我家"),
    ("晚上11点后楼上装修噪音太吵", "楼下邻居晒咸鱼"),
    ("3号楼电梯坏了，老人上不去", "5号楼门禁坏了"),
    ("垃圾桶满了没人清理", "路灯坏了"),
    ("小区门口路灯坏了", "垃圾桶满了"),
    ("楼上漏水到我家", "水管爆裂，整栋停水"),
    ("宠物狗晚上叫", "楼上装修噪音"),
    ("请帮忙处理一下，谢谢", "麻烦尽快处理，谢谢"),
    ("", FISH),
    ("，。！？", "……"),
]


@pytest.mark.parametrize(("a", "b"), ALIKE)
def test_the_same_matter_in_other_words_scores_at_least_the_threshold(a, b):
    assert duplicate_score(a, b) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_matters_score_below_the_threshold(a, b):
    assert duplicate_score(a, b) < THRESHOLD


@pytest.mark.parametrize(("a", "b"), ALIKE + DIFFERENT)
def test_the_score_is_symmetric_and_between_0_and_1(a, b):
    assert duplicate_score(a, b) == duplicate_score(b, a)
    assert 0.0 <= duplicate_score(a, b) <= 1.0


@pytest.mark.parametrize("text", [FISH, "楼道堆满杂物", "Street lights broken"])
def test_a_text_is_its_own_perfect_duplicate(text):
    assert duplicate_score(text, text) == 1.0


def test_particles_politeness_and_punctuation_are_not_content():
    assert content_words("请帮忙处理一下我家的问题，谢谢！") == frozenset()
    assert "的" not in content_words(FISH)
    assert "，" not in content_words(FISH)


def test_everyday_synonyms_fold_together():
    assert "异味" in content_words("好臭")
    assert "异味" in content_words("气味很大")
    assert "噪音" in content_words("太吵了")
    assert "漏水" in content_words("天花板渗水")


def test_lone_digits_from_building_numbers_do_not_count_but_room_numbers_do():
    words = content_words("1栋502漏水")
    assert "1" not in words
    assert "502" in words


def test_a_short_report_matches_a_long_case_by_the_titles():
    ranked = rank(
        "楼下晒咸鱼好臭",
        "",
        [("long", FISH, "每天早上在阳台晒，风一吹整栋楼都是，窗户不敢开，老人孩子受不了")],
    )
    assert ranked
    assert ranked[0][0] == "long"


def test_rank_orders_by_score_keeps_ties_in_order_and_cuts_at_the_limit():
    candidates = [
        ("other", "楼上漏水", ""),
        ("close", "楼下晒咸鱼", ""),
        ("same", FISH, ""),
        ("same-too", FISH, ""),
    ]
    assert [item for item, _ in rank(FISH, "", candidates)] == ["same", "same-too", "close"]
    assert [item for item, _ in rank(FISH, "", candidates, limit=1)] == ["same"]
    assert rank(FISH, "", candidates, threshold=1.01) == []


# --- In the database --------------------------------------------------------------------------


def test_the_area_is_the_estate_lane_or_street_of_the_place(world):
    estate = world.place("GC-JD-JYLW")
    assert duplicate_area(world.place("GC-JD-JYLW-B01-U1")) == estate
    assert duplicate_area(world.place("GC-JD-JYLW-B02")) == estate
    assert duplicate_area(estate) == estate
    assert duplicate_area(world.place("GC-JB-L01-B01")) == world.place("GC-JB-L01")
    assert duplicate_area(world.place("GC-JD")) == world.place("GC-JD")


def _similar(world, username="demo-shequ", place="GC-JD-JYLW-B01", **extra):
    return similar_cases(
        user=world.user(username),
        place=world.place(place),
        category=extra.pop("category", Category.objects.get(code="neighbour-odour")),
        title=extra.pop("title", "楼下晒咸鱼好臭"),
        now=extra.pop("now", MONDAY + dt.timedelta(days=1)),
        **extra,
    )


def test_a_case_in_a_neighbouring_building_of_the_estate_is_offered(world, report):
    case = report("demo-shequ", "GC-JD-JYLW-B02-U1")
    found = _similar(world)
    assert [s.case for s in found] == [case]
    assert found[0].score >= THRESHOLD


def test_a_case_in_another_estate_or_category_or_older_than_30_days_is_not(world, report):
    report("demo-shequ", "GC-JD-JDXC-B01")  # 尖东新村: another estate
    report(category_code="neighbour-noise")
    report(at=MONDAY - dt.timedelta(days=31))
    kept = report(at=MONDAY - dt.timedelta(days=29))
    assert [s.case for s in _similar(world)] == [kept]


def test_only_cases_the_user_may_see_are_offered(world, report):
    neighbours = report("demo-louzhang2", "GC-JD-JYLW-B02", title="2栋楼下晒咸鱼，气味很大")
    own = report("demo-resident")
    # The resident sees their own report, never the neighbour's in building 2.
    assert [s.case for s in _similar(world, "demo-resident", "GC-JD-JYLW-B01-U1")] == [own]
    # The leader of building 1 sees building 1 only; community staff see both.
    assert [s.case for s in _similar(world, "demo-louzhang")] == [own]
    assert {s.case for s in _similar(world, "demo-shequ")} == {own, neighbours}


def test_rejected_and_merged_cases_are_not_offered(world, report):
    kept = report()
    rejected = report()
    merged = report()
    staff = world.user("demo-shequ")
    reject_case(actor=staff, case=rejected, reason="不属于社区事务")
    merge_case(actor=staff, case=merged, into=kept, reason="同一件事")
    assert [s.case for s in _similar(world)] == [kept]


def test_excluded_cases_and_empty_titles_give_nothing(world, report):
    case = report()
    assert _similar(world, exclude=[case.pk]) == []
    assert _similar(world, title="  ") == []


def test_at_most_five_are_offered_newest_first_among_equals(world, report):
    cases = [report(at=MONDAY - dt.timedelta(hours=i)) for i in range(7)]
    found = _similar(world, title=FISH)
    assert [s.case for s in found] == cases[:5]
