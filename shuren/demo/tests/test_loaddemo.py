"""loaddemo builds Guicheng as the article counts it, with one login per role, and is idempotent.

The demo is loaded once for the package (conftest.py) into a database cleared of the shared
test world; its demo-* users are kept, so loading also shows that existing logins are re-pointed
at the demo people.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min

from shuren.people.identity import is_valid_id_number
from shuren.people.models import Membership, Person, Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.places.models import Household, Place, PlaceKind, Resident, Shop, ShopKind
from shuren.places.paths import path_step
from shuren.testing import ROLE_USERS

# Every test here uses the database, so pytest-django keeps them together and the module's
# demo is loaded once (it runs database tests before the others, which would split them).
pytestmark = [pytest.mark.django_db, pytest.mark.early]


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def active_leaders(**filters):
    return Post.objects.active().filter(role=Role.LOUZHANG, **filters)


def test_it_says_the_demo_is_loaded(demo):
    # How long it takes is measured by benchmarks/loaddemo.py, never asserted in a test.
    assert "桂城演示数据已载入" in demo.output


def test_the_subdistrict_has_23_communities_including_the_articles_four(demo):
    gc = place("GC")
    assert (gc.name, gc.kind, gc.official_code) == (
        "桂城街道",
        PlaceKind.SUBDISTRICT,
        "440605011000",
    )
    communities = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    assert communities.count() == 23
    assert set(communities.values_list("parent", flat=True)) == {gc.pk}
    names = set(communities.values_list("name", flat=True))
    assert {"尖东社区", "同成社区", "江滨社区", "桂雅社区"} <= names
    codes = list(communities.values_list("official_code", flat=True))
    assert all(re.fullmatch(r"440605011\d{3}", c) for c in codes)
    assert len(set(codes)) == 23


def test_there_are_149_estates_and_39_without_a_property_company(demo):
    assert Place.objects.filter(kind=PlaceKind.ESTATE).count() == 149
    without = Place.objects.filter(kind=PlaceKind.ESTATE, property_company__isnull=True)
    assert without.count() == 39


def test_each_estate_without_a_property_company_has_a_self_governance_group_and_leader(demo):
    without = set(
        Place.objects.filter(kind=PlaceKind.ESTATE, property_company__isnull=True).values_list(
            "pk", flat=True
        )
    )
    groups = Team.objects.filter(kind=TeamKind.SELF_GOVERNANCE)
    assert groups.count() == 39
    assert set(groups.values_list("place", flat=True)) == without
    heads = Post.objects.active().filter(role=Role.ZIZHI_ZUZHANG)
    assert heads.count() == 39
    assert set(heads.values_list("place", flat=True)) == without
    assert all(post.team.place_id == post.place_id for post in heads.select_related("team"))


def test_64_leader_teams_hold_1494_active_building_leaders_384_of_them_party_members(demo):
    assert Team.objects.filter(kind=TeamKind.LEADER_TEAM).count() == 64
    leaders = active_leaders()
    assert leaders.count() == 1494
    assert leaders.values("person").distinct().count() == 1494
    assert leaders.filter(person__party_member=True).count() == 384
    # Every building leader belongs to exactly one leader team, and every team has members.
    memberships = Membership.objects.filter(team__kind=TeamKind.LEADER_TEAM)
    assert memberships.count() == 1494
    assert set(memberships.values_list("person", flat=True)) == set(
        leaders.values_list("person", flat=True)
    )
    sizes = Team.objects.filter(kind=TeamKind.LEADER_TEAM).annotate(n=Count("memberships"))
    assert sizes.aggregate(Min("n"))["n__min"] >= 1
    # Every estate has leaders, and a building (or floor band) holds one or two of them.
    estates = Place.objects.filter(kind=PlaceKind.ESTATE)
    for estate in estates:
        assert active_leaders(place__path__startswith=estate.path).exists(), estate.name
    per_place = leaders.values("place").annotate(n=Count("pk"))
    assert set(per_place.values_list("n", flat=True)) <= {1, 2}
    assert set(leaders.values_list("place__kind", flat=True)) == {
        PlaceKind.BUILDING,
        PlaceKind.FLOOR_BAND,
    }


def test_jinyu_lanwan_has_52_buildings_4700_households_and_85_leaders(demo):
    estate = place("GC-JD-JYLW")
    assert (estate.name, estate.parent.name) == ("金域蓝湾", "尖东社区")
    inside = Place.objects.subtree(estate)
    assert inside.filter(kind=PlaceKind.BUILDING).count() == 52
    assert Household.objects.filter(place__path__startswith=estate.path).count() == 4700
    assert active_leaders(place__path__startswith=estate.path).count() == 85


def test_jinyu_lanwan_has_the_seven_special_teams_and_its_mutual_aid_association(demo):
    estate = place("GC-JD-JYLW")
    special = Team.objects.filter(kind=TeamKind.SPECIAL_TEAM, place=estate)
    assert set(special.values_list("name", flat=True)) == {
        "关爱红马甲",
        "居家安全小剧场",
        "生活小能手",
        "善邻义教队",
        "风采义剪社",
        "创文风尚队",
        "楼长小助手",
    }
    assert all(team.memberships.exists() for team in special)
    association = Team.objects.get(kind=TeamKind.MUTUAL_AID, place=estate)
    assert association.name == "金域蓝湾街坊志愿互助会"
    assert estate.property_company.name == "金域蓝湾物业服务中心"
    assert list(estate.property_company.managed_places.all()) == [estate]


def test_jinyu_zhongyang_has_3146_households_and_floor_band_leaders_on_its_towers(demo):
    estate = place("GC-TC-JYZY")
    assert (estate.name, estate.parent.name) == ("万科金域中央", "同成社区")
    assert Household.objects.filter(place__path__startswith=estate.path).count() == 3146
    towers = Place.objects.subtree(estate).filter(kind=PlaceKind.BUILDING)
    assert towers.exists()
    for tower in towers:
        assert tower.storeys > 50
        bands = tower.children.filter(kind=PlaceKind.FLOOR_BAND).order_by("floor_from")
        assert bands.count() >= 2
        # The bands cover the tower from the ground to the roof, a few dozen floors each.
        assert bands.first().floor_from == 1
        assert bands.last().floor_to == tower.storeys
        for band in bands:
            assert 20 <= band.floor_to - band.floor_from + 1 <= 40
            assert active_leaders(place=band).count() == 1
    assert estate.property_company.name == "万科物业"
    association = Team.objects.get(kind=TeamKind.MUTUAL_AID, place=estate)
    assert association.name == "万科金域中央街坊志愿互助会"


def test_jiangbin_has_a_lane_leader_team_of_ten_five_of_them_party_members(demo):
    jb = place("GC-JB")
    lanes = Place.objects.filter(kind=PlaceKind.LANE, parent=jb)
    assert lanes.count() == 10
    posts = Post.objects.active().filter(role=Role.XIANGZHANG)
    assert posts.count() == 10
    assert set(posts.values_list("place", flat=True)) == set(lanes.values_list("pk", flat=True))
    assert posts.filter(person__party_member=True).count() == 5
    team = Team.objects.get(place=jb, name="江滨社区巷长队")
    assert set(team.memberships.values_list("person", flat=True)) == set(
        posts.values_list("person", flat=True)
    )


def test_guiya_has_a_street_of_60_shops_50_garment_factories_and_8_street_leaders(demo):
    street = Place.objects.get(kind=PlaceKind.STREET, parent__code="GC-GY")
    shops = Shop.objects.filter(place=street)
    assert shops.count() == 60
    assert shops.filter(kind=ShopKind.GARMENT_FACTORY).count() == 50
    posts = Post.objects.active().filter(role=Role.JIEZHANG)
    assert posts.count() == 8
    assert set(posts.values_list("place", flat=True)) == {street.pk}


def test_the_mediation_workshop_and_the_property_dispute_committee_exist(demo):
    workshop = Team.objects.get(kind=TeamKind.MEDIATION_WORKSHOP)
    assert workshop.name == "苏志敏创熟调解工作室"
    committee = Team.objects.get(kind=TeamKind.MEDIATION_COMMITTEE)
    assert committee.name == "桂城街道物业管理纠纷人民调解委员会"
    for team in (workshop, committee):
        assert team.place.code == "GC"
        assert Post.objects.active().filter(role=Role.TIAOJIEYUAN, team=team).exists()


# username -> (role, places of the post, team name or None)
EXPECTED_POSTS = {
    "demo-louzhang": (Role.LOUZHANG, {"GC-JD-JYLW-B01"}, None),
    "demo-louzhang2": (Role.LOUZHANG, {"GC-JD-JYLW-B02"}, None),
    "demo-xiangzhang": (Role.XIANGZHANG, {"GC-JB-L01"}, None),
    "demo-jiezhang": (Role.JIEZHANG, {"GC-GY-S01"}, None),
    "demo-shequ": (Role.SHEQU_STAFF, {"GC-JD"}, None),
    "demo-shequ2": (Role.SHEQU_STAFF, {"GC-TC"}, None),
    "demo-wangge": (Role.WANGGEYUAN, {"GC-JD"}, None),
    "demo-tiaojie": (Role.TIAOJIEYUAN, {"GC-JD", "GC-TC"}, "苏志敏创熟调解工作室"),
    "demo-wuye": (Role.WUYE, {None}, "金域蓝湾物业服务中心"),
    "demo-jiedao": (Role.JIEDAO_STAFF, {"GC"}, None),
    "demo-admin": (Role.SYSADMIN, {"GC"}, None),
    "demo-auditor": (Role.AUDITOR, {None}, None),
    "demo-secadmin": (Role.SECADMIN, {None}, None),
}


@pytest.mark.parametrize("username", sorted(EXPECTED_POSTS))
def test_each_demo_login_holds_its_post(demo, username):
    role, places, team = EXPECTED_POSTS[username]
    user = get_user_model().objects.get(username=username)
    posts = Post.objects.active().filter(person=user.person)
    assert set(posts.values_list("role", flat=True)) == {role}
    assert set(posts.values_list("place__code", flat=True)) == places
    assert set(posts.values_list("team__name", flat=True)) == {team}
    assert user.is_staff == (role in {Role.SYSADMIN, Role.AUDITOR, Role.SECADMIN})


def test_the_demo_resident_lives_in_building_1_of_jinyu_lanwan_and_holds_no_post(demo):
    user = get_user_model().objects.get(username="demo-resident")
    home = Resident.objects.get(person=user.person).household
    assert home.place.parent.code == "GC-JD-JYLW-B01"
    assert not Post.objects.filter(person=user.person).exists()


def test_the_demo_leaders_live_in_the_buildings_they_lead(demo):
    for username, building in (("demo-louzhang", "B01"), ("demo-louzhang2", "B02")):
        person = get_user_model().objects.get(username=username).person
        home = Resident.objects.get(person=person).household
        assert home.place.parent.code == f"GC-JD-JYLW-{building}"


def test_every_role_user_logs_in_with_the_demo_password_hashed_by_argon2(demo):
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert set(users.values_list("username", flat=True)) == set(ROLE_USERS)
    for user in users:
        assert user.password.startswith("argon2")
        assert user.check_password(settings.SHUREN_DEMO_PASSWORD), user.username
        assert user.person is not None, user.username
        assert user.person.code, user.username
    assert settings.SHUREN_DEMO_PASSWORD in demo.output
    for username in ROLE_USERS:
        assert username in demo.output


def test_people_have_plausible_names_phones_id_numbers_and_homes(demo):
    people = Person.objects.exclude(id_number="")
    assert people.count() > 20000
    for name, phone, id_number in people.values_list("name", "phone", "id_number"):
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name)
        assert phone == "" or re.fullmatch(r"1[3-9]\d{9}", phone)
        assert id_number.startswith("4406")
        assert is_valid_id_number(id_number)
    areas = Household.objects.aggregate(low=Min("exclusive_area"), high=Max("exclusive_area"))
    assert Decimal(45) <= areas["low"]
    assert areas["high"] <= Decimal(180)
    sizes = Household.objects.annotate(n=Count("residents")).values_list("n", flat=True)
    assert set(sizes) <= {1, 2, 3, 4}
    assert not Household.objects.filter(owners=None).exists()


def test_every_path_is_the_parents_path_and_the_places_own_key(demo):
    for place_ in Place.objects.select_related("parent"):
        parent = place_.parent
        assert place_.path == (parent.path if parent else "") + path_step(place_.pk)
        assert place_.depth == (parent.depth + 1 if parent else 0)


def _snapshot() -> dict[str, object]:
    models = (Place, Team, Person, Household, Resident, Shop, Post, Membership, get_user_model())
    counts = {model.__name__: model.objects.count() for model in models}
    return {
        **counts,
        "owners": Household.owners.through.objects.count(),
        "places changed": Place.objects.aggregate(Max("updated_at")),
        "persons changed": Person.objects.aggregate(Max("updated_at")),
        "households changed": Household.objects.aggregate(Max("updated_at")),
        "users": sorted(
            get_user_model().objects.values_list("username", "password", "person", "is_staff")
        ),
    }


def test_loading_again_changes_nothing(demo):
    before = _snapshot()
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert _snapshot() == before
    assert "未作任何改动" in out.getvalue()


def test_it_refuses_to_load_in_production_unless_told_to(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("loaddemo", stdout=StringIO())


def test_the_subdistrict_home_counts_1494_building_leaders_apart_from_lane_and_street_leaders(
    demo, client
):
    client.force_login(get_user_model().objects.get(username="demo-jiedao"))
    page = re.sub(r"\s+", " ", client.get("/").content.decode())
    assert re.search(r"<dt>楼长</dt><dd>1,?494</dd>", page)  # the article's figure
    assert "<dt>巷长</dt><dd>10</dd>" in page
    assert "<dt>街长</dt><dd>8</dd>" in page


ADMIN_LINK = re.compile(r'href="(/admin/[^"]*)"')


@pytest.mark.parametrize("username", sorted(ROLE_USERS))
def test_every_link_of_the_admin_home_opens_for_whoever_sees_it(demo, client, username):
    """Each demo login with the admin: open /admin/ and follow every link on it (but log out)."""
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    home = client.get("/admin/")
    if not user.is_staff:
        assert home.status_code == 302  # to the admin's login: no links to follow
        return
    assert home.status_code == 200
    links = sorted(
        {link.replace("&amp;", "&") for link in ADMIN_LINK.findall(home.content.decode())}
    )
    assert len(links) > 3
    broken = {}
    for link in links:
        if link.startswith("/admin/logout/"):
            continue
        answer = client.get(link, follow=True)
        if answer.status_code != 200:
            broken[link] = answer.status_code
    assert broken == {}, username
