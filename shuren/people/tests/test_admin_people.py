"""The admin gives and ends posts, keeps teams and their members and changes a person only
through the people actions: each save leaves its event, and what an action would refuse is a
message on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shuren.kernel.models import Event
from shuren.people.models import Membership, Post, Team
from shuren.people.roles import Role

B2 = "GC-JD-JYLW-B02"


def url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


def events(kind: str) -> list[Event]:
    return list(Event.objects.filter(kind=kind))


@pytest.fixture
def staff(world, client):
    """demo-shequ with admin access: community staff of 尖东."""
    get_user_model().objects.filter(username="demo-shequ").update(is_staff=True)
    client.force_login(world.user("demo-shequ"))
    return world.user("demo-shequ")


def appointment(world, **changes: object) -> dict[str, object]:
    return {
        "person": world.person("P-CHEN").pk,
        "role": Role.LOUZHANG,
        "place": world.place(B2).pk,
        "team": "",
        "title": "",
        "starts_on": "2026-01-01",
        "ends_on": "",
        "reason": "楼长换届",
        **changes,
    }


# --- posts --------------------------------------------------------------------------------------


def test_a_post_given_in_the_admin_goes_through_appoint_post(client, world, staff):
    response = client.post(url("people_post_add"), appointment(world))
    assert response.status_code == 302
    post = Post.objects.get(person__code="P-CHEN", role=Role.LOUZHANG)
    assert (post.place.code, post.starts_on) == (B2, dt.date(2026, 1, 1))
    [event] = events("post.appointed")
    assert (event.subject_id, event.actor, event.note) == (post.pk, staff, "楼长换届")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": Role.SHEQU_SHUJI, "place": "GC-JD"}, "你无权在这里任命这个职务。"),
        ({"place": "GC-TC-JYZY-T1"}, "选择一个有效的选项"),  # not even offered
        ({"role": Role.AUDITOR}, "系统管理员、安全管理员和审计员不在这里任命。"),
        ({"place": ""}, "请选择该职务负责的地点。"),
    ],
)
def test_a_post_the_user_may_not_give_is_a_message_on_the_form(
    client, world, staff, changes, message
):
    if changes.get("place"):
        changes["place"] = world.place(changes["place"]).pk
    response = client.post(url("people_post_add"), appointment(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.filter(person__code="P-CHEN").exists()
    assert events("post.appointed") == []


def test_a_post_is_ended_in_the_admin_with_a_reason_through_end_post(client, world, staff):
    post = Post.objects.get(person__code="P-LZ2", role=Role.LOUZHANG)
    page = url("people_post_change", post.pk)
    response = client.post(page, {"ends_on": "2026-12-31", "reason": ""})
    assert response.status_code == 200
    assert "请说明卸任的原因。" in response.content.decode()
    response = client.post(page, {"ends_on": "2026-12-31", "reason": "搬离小区"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ends_on == dt.date(2026, 12, 31)
    [event] = events("post.ended")
    assert (event.subject_id, event.note) == (post.pk, "搬离小区")


def test_an_ended_post_is_read_not_changed(client, world, staff):
    post = Post.objects.get(person__code="P-LZ2", role=Role.LOUZHANG)
    Post.objects.filter(pk=post.pk).update(ends_on=dt.date(2025, 1, 1))
    response = client.post(
        url("people_post_change", post.pk), {"ends_on": "2026-12-31", "reason": "改"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["demo-secadmin", "demo-auditor"])
def test_the_security_administrator_and_the_auditor_give_no_posts(client, world, username):
    client.force_login(world.user(username))
    assert client.get(url("people_post_add")).status_code == 403


def test_the_system_administrator_gives_no_post_it_reads_no_residents(client, world, login):
    # 三员分立: choosing a person for a post is the staff's, who see the residents.
    login("demo-admin")
    response = client.post(url("people_post_add"), appointment(world))
    assert response.status_code in (200, 403)
    assert not Post.objects.filter(person=world.person("P-CHEN"), role=Role.LOUZHANG).exists()


# --- teams and members --------------------------------------------------------------------------


def team_form(team: Team, rows: list[dict[str, object]], initial: int) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": team.kind,
        "name": team.name,
        "place": team.place_id,
        "description": team.description,
        "founded_on": "",
        "dissolved_on": "",
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": initial,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{i}-{key}"] = value
    return data


def test_members_join_and_leave_a_team_in_the_admin_through_the_actions(client, world, staff):
    team = Team.objects.get(code="T-JYLW-HMJ")
    page = url("people_team_change", team.pk)
    new_row = {"person": world.person("P-CHEN").pk, "role": "member", "starts_on": "2026-02-01"}
    response = client.post(page, team_form(team, [{**new_row, "team": team.pk}], 0))
    assert response.status_code == 302
    membership = Membership.objects.get(team=team, person__code="P-CHEN")
    assert [e.subject_id for e in events("membership.joined")] == [membership.pk]

    existing = {"id": membership.pk, "team": team.pk, **new_row}
    response = client.post(page, team_form(team, [{**existing, "ends_on": "2026-11-30"}], 1))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == dt.date(2026, 11, 30)
    assert [e.subject_id for e in events("membership.left")] == [membership.pk]


def test_a_members_role_is_not_rewritten_in_the_admin(client, world, staff):
    team = Team.objects.get(code="T-JYLW-HMJ")
    membership = Membership.objects.create(
        team=team, person=world.person("P-CHEN"), starts_on=dt.date(2026, 1, 1)
    )
    row = {
        "id": membership.pk,
        "team": team.pk,
        "person": membership.person_id,
        "role": "lead",
        "starts_on": "2026-01-01",
    }
    response = client.post(url("people_team_change", team.pk), team_form(team, [row], 1))
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == "member"


def test_a_team_founded_in_the_admin_goes_through_create_team(client, world, staff):
    response = client.post(
        url("people_team_add"),
        {
            "kind": "patrol_team",
            "name": "金域蓝湾巡逻队",
            "code": "T-JYLW-XL",
            "place": world.place("GC-JD-JYLW").pk,
            "description": "",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(code="T-JYLW-XL")
    assert [e.subject_id for e in events("team.created")] == [team.pk]


def test_an_action_refused_at_save_time_is_a_message_not_an_error_page(client, world, staff):
    team = Team.objects.get(code="T-JYLW-HMJ")
    page = url("people_team_change", team.pk)
    form = team_form(team, [], 0)
    response = client.post(page, {**form, "founded_on": "2026-05-01", "dissolved_on": "2026-01-01"})
    assert response.status_code == 302
    assert response["Location"] == page
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["队伍的解散日期不能早于成立日期（2026-05-01）。"]
    team.refresh_from_db()
    assert team.dissolved_on is None
    assert events("team.changed") == []


# --- persons ------------------------------------------------------------------------------------


def test_a_person_changed_in_the_admin_leaves_an_event_without_numbers(
    client, world, login, admin_login
):
    admin_login("demo-jiedao")
    wang = world.person("P-WANG")
    response = client.post(
        url("people_person_change", wang.pk),
        {
            "name": "王秀英",
            "code": wang.code,
            "party_member": "",
            "seen_version": wang.version,
            "new_phone": "13800009999",
            "new_id_number": "",
        },
    )
    assert response.status_code == 302
    [event] = events("person.changed")
    assert (event.subject_id, event.data) == (wang.pk, {"fields": ["phone"]})
