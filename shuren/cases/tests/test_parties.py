"""One rule for a matter's people (cases.parties), on every face: the case page, the API and the
notifications, for every demo role and every party position.

The dispute: 陈美玲 (room 102) complains about her neighbour 王秀英 (room 101, demo-resident);
community staff record it with 王秀英 as respondent, her son 李建国 as applicant's side witness
(applicant) and 赵志强 of building 2 as another party. The building's leader takes it on and
陈美玲 adds a note. A second matter names the building's own leader (刘楼长) as respondent; a
third came from a caller who is not registered (周先生).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.models import CaseEvent
from shuren.cases.parties import PartyLens, party_rows
from shuren.notify.models import Notification
from shuren.testing import ROLE_USERS, deliver

# Logins for the persons of the world who have none, so each party position can look.
PARTY_LOGINS = {"chen": "P-CHEN", "zhao": "P-ZHAO", "li": "P-WANG-SON"}
NAMES = ("陈美玲", "王秀英", "赵志强", "李建国", "周先生")
PHONES = ("13711112222", "137****2222", "13699998888", "136****8888")

# Who sees the dispute at all, and of them who learns its people (written by hand, not derived).
SEES_DISPUTE = {
    "demo-louzhang",  # leads building 1
    "demo-shequ",
    "demo-wangge",
    "demo-tiaojie",
    "demo-jiedao",
    "demo-resident",  # named as respondent
    "chen",  # reported it
    "zhao",  # named as another party
    "li",  # named as applicant
}
PARTIES = {"demo-resident": "被申请人", "zhao": "其他当事人", "li": "申请人"}
NAMES_PEOPLE = SEES_DISPUTE - set(PARTIES)


def text(response: Any) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


@pytest.fixture
def people(world) -> dict[str, Any]:
    User = get_user_model()
    users = {name: world.user(name) for name in ROLE_USERS}
    for username, code in PARTY_LOGINS.items():
        users[username] = User.objects.create_user(
            username=username, person=world.person(code), password=None
        )
    return users


@pytest.fixture
def dispute(report, world, people):
    case = report(
        "demo-shequ",
        channel="reception_day",
        reporter=world.person("P-CHEN"),
        parties=[
            (world.person("P-WANG"), "respondent"),
            (world.person("P-WANG-SON"), "applicant"),
            (world.person("P-ZHAO"), "other"),
        ],
    )
    case = actions.accept_case(actor=people["demo-louzhang"], case=case)
    actions.add_note(actor=people["chen"], case=case, note="补充：昨晚又晒了")
    deliver()
    return case


def page(client, user: Any, case: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk]))


def api(client, user: Any, case: Any) -> Any:
    client.force_login(user)  # the API takes the session too (the site's own pages call it)
    return client.get(f"/api/v1/cases/{case.pk}")


@pytest.mark.parametrize("username", sorted(set(ROLE_USERS) | set(PARTY_LOGINS)))
def test_each_role_and_party_position_learns_the_same_people_on_the_page_and_in_the_api(
    client, people, dispute, username
):
    user = people[username]
    shown, answered = page(client, user, dispute), api(client, user, dispute)
    if username not in SEES_DISPUTE:
        assert (shown.status_code, answered.status_code) == (404, 404)
        return
    assert (shown.status_code, answered.status_code) == (200, 200)
    body, data = text(shown), answered.json()
    timeline_actors = {event["actor"] for event in data["events"]}
    if username in NAMES_PEOPLE:
        assert "陈美玲" in body
        assert data["reporter"]["name"] == "陈美玲"
        assert data["reporter"]["phone"] == "137****2222"
        assert {p["name"] for p in data["parties"]} == {"王秀英", "李建国", "赵志强"}
        assert {"刘楼长", "陈美玲"} <= timeline_actors
        assert "13711112222" not in body + answered.content.decode()
    else:
        side = PARTIES[username]
        assert f"您在此事项中的身份：{side}" in body
        assert data["reporter"] is None
        assert [p["side_label"] for p in data["parties"]] == [side]
        assert timeline_actors <= {"", None}  # nobody's name, not even the worker's
        others = [name for name in NAMES if name != user.person.name]
        everything = body + answered.content.decode()
        assert [name for name in [*others, "刘楼长", "尖东社工"] if name in everything] == []
        assert [phone for phone in PHONES if phone in everything] == []


def test_a_leader_named_as_respondent_in_his_own_building_is_told_no_name(
    client, report, world, people
):
    case = report(
        "demo-shequ",
        channel="reception_day",
        reporter=world.person("P-WANG"),
        parties=[(world.person("P-LZ1"), "respondent")],
    )
    actions.add_note(actor=people["demo-resident"], case=case, note="楼长占用楼道")
    leader = people["demo-louzhang"]
    body = text(page(client, leader, case))
    data = api(client, leader, case).json()
    assert "王秀英" not in body
    assert "13812345678" not in body
    assert data["reporter"] is None
    assert {event["actor"] for event in data["events"]} <= {"", None}
    assert "您在此事项中的身份：被申请人" in body
    # The staff who entered it see everyone.
    assert api(client, people["demo-shequ"], case).json()["reporter"]["name"] == "王秀英"


def test_a_caller_who_is_not_registered_is_shown_to_those_who_handle_it_and_no_party(
    client, report, world, people
):
    case = report(
        "demo-shequ",
        channel="phone",
        contact_name="周先生",
        contact_phone="13699998888",
        parties=[(world.person("P-WANG"), "respondent")],
    )
    handler = api(client, people["demo-louzhang"], case).json()
    assert (handler["contact_name"], handler["contact_phone"]) == ("周先生", "136****8888")
    party = api(client, people["demo-resident"], case).json()
    assert (party["contact_name"], party["contact_phone"]) == ("", "")
    assert "周先生" not in text(page(client, people["demo-resident"], case))


def test_a_party_cannot_reveal_the_callers_phone_even_as_staff(client, report, world, people):
    # The community's own worker is named in a dispute: they may unmask in their community, but
    # not on a matter in which they are a party.
    case = report(
        "demo-jiedao",
        channel="phone",
        contact_name="周先生",
        contact_phone="13699998888",
        parties=[(world.person("P-SQ"), "respondent")],
    )
    client.force_login(people["demo-shequ"])
    response = client.post(reverse("cases:reveal_phone", args=[case.pk]), {"reason": "回访当事人"})
    assert response.status_code in (403, 404)
    assert "13699998888" not in response.content.decode()


def test_a_worker_who_handled_it_once_sees_the_workers_but_never_the_reporters_own_steps(
    dispute, people
):
    # Someone who sees the matter only because they acted on it once (经手的), with no post
    # over its place any more: the lens for them is neither a handler's nor a party's.
    onlooker = PartyLens(
        names_people=False, user_id=people["demo-louzhang2"].pk, reporter_id=dispute.reporter_id
    )
    events = CaseEvent.objects.filter(case=dispute).select_related("actor__person")
    actors = {event.kind: onlooker.actor(event) for event in events}
    assert actors == {"reported": "", "accepted": "刘楼长", "noted": ""}
    assert onlooker.reporter(dispute) is None
    assert onlooker.parties(party_rows(dispute)) == []


def test_no_notification_names_a_party_to_anyone(dispute, people):
    # Messages carry the number, the title and the masked text the page shows every viewer.
    for notification in Notification.objects.all():
        words = f"{notification.title} {notification.body}"
        assert [name for name in NAMES if name in words] == [], notification.recipient_id
