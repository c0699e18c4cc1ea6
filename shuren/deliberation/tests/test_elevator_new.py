"""Registering an elevator project on the pages: the community staff and the subdistrict's
register one for a stairwell under their posts in a few taps (from the list's chooser or from
the stairwell's place page); a place outside their posts is a 404 like a missing id; the form's
and the rules' refusals are words on the form kept (422); a form sent twice registers one
project and names it; the place page offers the link only to those who may use it."""

from __future__ import annotations

import pytest

from shuren.deliberation.actions import create_project, stop_project
from shuren.deliberation.elevators.choices import Electorate, Stage
from shuren.deliberation.models import ElevatorProject
from shuren.deliberation.votes.choices import Matter
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import path_step

pytestmark = pytest.mark.django_db

NEW = "/deliberation/elevators/new/"
STAIRWELL = "GC-JD-JYLW-B01-U1"
LONE_BUILDING = "GC-JD-JDXC-B01"  # 尖东新村1座: registered without stairwells


def login(client, world, username):
    client.force_login(world.user(username))
    return client


def form_for(world, code, **extra):
    return {
        "place": str(world.place(code).pk),
        "title": "",
        "electorate": "place",
        "matter": "7",
        "notice_days": "10",
        **extra,
    }


@pytest.mark.parametrize(
    ("username", "code", "status"),
    [
        ("demo-shequ", STAIRWELL, 200),
        ("demo-shequ", LONE_BUILDING, 200),
        ("demo-jiedao", STAIRWELL, 200),
        ("demo-shequ2", STAIRWELL, 404),  # 同成's staff: 尖东 is not theirs
        ("demo-shequ2", "GC-TC-JYZY-T1", 200),
        ("demo-louzhang", STAIRWELL, 404),
        ("demo-resident", STAIRWELL, 404),
        ("demo-wuye", STAIRWELL, 404),
        ("demo-wangge", STAIRWELL, 404),
    ],
)
def test_who_may_open_the_form_for_a_stairwell(client, world, username, code, status):
    login(client, world, username)
    response = client.get(NEW, {"place": world.place(code).pk})
    assert response.status_code == status
    if status == 200:
        assert 'id="register-elevator"' in response.content.decode()


def test_a_missing_place_is_a_404_like_one_out_of_scope(client, world):
    login(client, world, "demo-shequ")
    assert client.get(NEW, {"place": 987654321}).status_code == 404
    assert client.post(NEW, form_for(world, STAIRWELL, place="987654321")).status_code == 404


def test_the_staff_register_a_project_from_the_form(client, world):
    login(client, world, "demo-shequ")
    data = form_for(world, STAIRWELL, electorate="building", matter="9", notice_days="15")
    response = client.post(NEW, data)
    project = ElevatorProject.objects.get(place__code=STAIRWELL)
    assert response.status_code == 302
    assert response.url == f"/deliberation/elevators/{project.pk}/"
    assert project.stage == Stage.SURVEY
    assert (project.electorate, project.matter, project.notice_days) == (
        Electorate.BUILDING,
        Matter.OTHER,
        15,
    )
    assert project.title == "1栋1单元加装电梯"
    assert project.created_by == world.user("demo-shequ")
    assert "项目已登记" in client.get(response.url).content.decode()


def test_a_building_without_stairwells_is_registered_without_asking_who_votes(client, world):
    login(client, world, "demo-shequ")
    page = client.get(NEW, {"place": world.place(LONE_BUILDING).pk}).content.decode()
    assert 'name="electorate"' not in page
    data = form_for(world, LONE_BUILDING, title="尖东新村1座加装电梯")
    del data["electorate"]
    assert client.post(NEW, data).status_code == 302
    assert ElevatorProject.objects.get(place__code=LONE_BUILDING).electorate == Electorate.PLACE


def test_a_form_sent_twice_registers_one_project_and_names_it(client, world):
    login(client, world, "demo-shequ")
    data = form_for(world, STAIRWELL, title="1单元电梯")
    assert client.post(NEW, data).status_code == 302
    again = client.post(NEW, data)
    assert again.status_code == 422
    body = again.content.decode()
    assert "该楼道已有进行中的项目" in body
    project = ElevatorProject.objects.get(place__code=STAIRWELL)
    assert f'href="/deliberation/elevators/{project.pk}/"' in body
    # Opened afresh, the form is not offered: the project under way is.
    shown = client.get(NEW, {"place": world.place(STAIRWELL).pk}).content.decode()
    assert 'id="register-elevator"' not in shown
    assert "此处已有项目在办" in shown


def test_once_stopped_the_stairwell_takes_a_new_project(client, world):
    staff = world.user("demo-shequ")
    first = create_project(actor=staff, place=world.place(STAIRWELL))
    stop_project(actor=staff, project=first, reason="业主撤回申请")
    login(client, world, "demo-shequ")
    assert client.post(NEW, form_for(world, STAIRWELL)).status_code == 302
    assert ElevatorProject.objects.filter(place__code=STAIRWELL).count() == 2


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"notice_days": "0"}, "公示期为1至60天"),
        ({"notice_days": "abc"}, "公示期为1至60天"),
        ({"matter": "12"}, "第二百七十八条"),
        ({"electorate": "everyone"}, "请选择由哪些业主表决"),
        ({"place": "GC-JD-JYLW-B01"}, "该楼栋已登记楼道"),  # a building with stairwells
        ({"place": "GC-JD-JYLW"}, "电梯加装在楼道"),  # an estate
    ],
)
def test_refusals_are_words_on_the_form_kept(client, world, change, words):
    login(client, world, "demo-shequ")
    if "place" in change:
        change = {"place": str(world.place(change["place"]).pk)}
    response = client.post(NEW, form_for(world, STAIRWELL, title="保留的标题", **change))
    assert response.status_code == 422
    body = response.content.decode()
    assert words in body, body[body.find("alert") : body.find("alert") + 400]
    assert "保留的标题" in body
    assert not ElevatorProject.objects.exists()


def test_those_who_run_no_project_do_not_get_the_form(client, world):
    for username in ("demo-resident", "demo-louzhang", "demo-wuye", "demo-tiaojie"):
        login(client, world, username)
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, form_for(world, STAIRWELL)).status_code == 404
    assert not ElevatorProject.objects.exists()


def test_the_list_leads_managers_to_the_form(client, world):
    login(client, world, "demo-shequ")
    assert f'href="{NEW}"' in client.get("/deliberation/elevators/").content.decode()
    login(client, world, "demo-resident")
    assert f'href="{NEW}"' not in client.get("/deliberation/elevators/").content.decode()


def test_the_chooser_goes_from_the_estates_to_the_stairwells(
    client, world, django_assert_max_num_queries
):
    login(client, world, "demo-shequ")
    with django_assert_max_num_queries(10):
        estates = client.get(NEW)
    names = [e.name for e in estates.context["estates"]]
    assert "金域蓝湾" in names
    assert "金域中央" not in "".join(names)  # 同成's, not this staff's
    jylw = world.place("GC-JD-JYLW")
    with django_assert_max_num_queries(10):
        inside = client.get(NEW, {"within": jylw.pk})
    labels = [label for _place, label in inside.context["candidates"]]
    assert "金域蓝湾 · 1栋 · 1栋1单元" in labels
    assert all(not label.endswith(" · 1栋") for label in labels)  # it has stairwells
    # An estate or a building given as the place opens the chooser inside it.
    assert client.get(NEW, {"place": jylw.pk}).context["candidates"]
    found = client.get(NEW, {"q": "尖东新村"}).context["candidates"]
    assert [p.code for p, _label in found] == [LONE_BUILDING]
    other = world.place("GC-TC-JYZY")
    assert client.get(NEW, {"within": other.pk}).context.get("candidates") is None


def test_the_chooser_shows_at_most_50_of_many_stairwells_in_pinned_queries(
    client, world, django_assert_max_num_queries
):
    building = world.place("GC-JD-JYLW-B02")
    for n in range(2, 80):
        unit = Place.objects.create(
            kind=PlaceKind.UNIT,
            name=f"2栋{n}单元",
            code=f"GC-JD-JYLW-B02-U{n}",
            parent=building,
            path=f"~u{n}",
            depth=building.depth + 1,
        )
        Place.objects.filter(pk=unit.pk).update(path=building.path + path_step(unit.pk))
    login(client, world, "demo-jiedao")
    with django_assert_max_num_queries(10):
        response = client.get(NEW, {"q": "金域蓝湾"})
    assert len(response.context["candidates"]) == 50
    assert response.context["more"] is True
    assert "只显示前50个" in response.content.decode()
    narrowed = client.get(NEW, {"q": "2栋7"}).context["candidates"]
    wanted = {"2栋7单元", *(f"2栋{n}单元" for n in range(70, 80))}
    assert {p.name for p, _label in narrowed} == wanted


@pytest.mark.parametrize(
    ("username", "code", "shown"),
    [
        ("demo-shequ", STAIRWELL, True),
        ("demo-shequ", LONE_BUILDING, True),
        ("demo-jiedao", STAIRWELL, True),
        ("demo-shequ", "GC-JD-JYLW-B01", False),  # a building with stairwells
        ("demo-shequ", "GC-JD-JYLW", False),  # an estate
        ("demo-louzhang", STAIRWELL, False),  # sees the stairwell, runs no project
        ("demo-wangge", STAIRWELL, False),
    ],
)
def test_the_place_page_offers_the_form_to_those_who_may_register_there(
    client, world, username, code, shown
):
    login(client, world, username)
    place = world.place(code)
    response = client.get(f"/places/{place.pk}/")
    if response.status_code == 404:
        assert not shown
        return
    assert (f'href="{NEW}?place={place.pk}"' in response.content.decode()) is shown
