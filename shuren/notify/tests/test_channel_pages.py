"""The pages of the channels: a person's notification settings, a team's WeCom robot."""

from __future__ import annotations

import pytest

from shuren.notify.models import Preference, TeamRobot
from shuren.people.models import Team

HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def leaders(world):
    return Team.objects.get(code="T-JYLW-LZ")


def test_a_person_sets_how_they_are_told(client, world):
    client.force_login(world.user("demo-louzhang"))
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    assert "通知方式" in page.content.decode()
    assert "我反映的事项已受理" in page.content.decode()  # a kind in the person's words
    assert "我受邀参加会议" in page.content.decode()
    assert "(case.accepted)" not in page.content.decode()
    answer = client.post(
        "/notifications/settings/",
        {"wecom_mention": "on", "quiet_from": "22:00", "quiet_until": "07:00", "version": ""},
    )
    assert answer.status_code == 302
    pref = Preference.objects.get(user=world.user("demo-louzhang"))
    assert (pref.wecom_mention, str(pref.quiet_from)) == (True, "22:00:00")


def test_half_quiet_hours_are_refused_in_words(client, world):
    client.force_login(world.user("demo-louzhang"))
    answer = client.post("/notifications/settings/", {"quiet_from": "22:00", "version": ""})
    assert answer.status_code == 422
    assert "同时填写" in answer.content.decode()
    assert not Preference.objects.exists()


def test_a_stale_form_is_answered_409(client, world):
    client.force_login(world.user("demo-louzhang"))
    client.post("/notifications/settings/", {"version": ""})
    client.post("/notifications/settings/", {"by_email": "", "version": "0"})
    answer = client.post("/notifications/settings/", {"version": "0"})
    assert answer.status_code == 409


def test_community_staff_connect_the_leaders_group_and_see_the_key_masked(client, world, leaders):
    client.force_login(world.user("demo-shequ"))
    assert (
        f"/notifications/teams/{leaders.pk}/robot/"
        in client.get("/notifications/settings/").content.decode()
    )
    url = f"/notifications/teams/{leaders.pk}/robot/"
    answer = client.post(url, {"webhook": HOOK, "enabled": "on", "version": ""})
    assert answer.status_code == 302
    assert TeamRobot.objects.get(team=leaders).webhook == HOOK
    page = client.get(url).content.decode()
    assert "693a91f6" not in page
    assert "5aaa" in page
    # Saving again without the address keeps it.
    assert client.post(url, {"webhook": "", "version": "0"}).status_code == 302
    robot = TeamRobot.objects.get(team=leaders)
    assert (robot.webhook, robot.enabled) == (HOOK, False)


def test_another_address_than_wecoms_is_refused(client, world, leaders):
    client.force_login(world.user("demo-shequ"))
    url = f"/notifications/teams/{leaders.pk}/robot/"
    answer = client.post(url, {"webhook": "http://127.0.0.1:6379/?key=x", "version": ""})
    assert answer.status_code == 422
    assert "企业微信群机器人地址" in answer.content.decode()
    assert not TeamRobot.objects.exists()


@pytest.mark.parametrize("username", ["demo-louzhang", "demo-resident", "demo-shequ2"])
def test_who_does_not_keep_the_team_gets_404(client, world, leaders, username):
    client.force_login(world.user(username))
    url = f"/notifications/teams/{leaders.pk}/robot/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"webhook": HOOK, "version": ""}).status_code == 404
    assert not TeamRobot.objects.exists()


def test_the_settings_page_lists_the_kept_teams_in_few_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.user("demo-jiedao"))
    client.get("/notifications/settings/")  # warm the session and the user's scope
    with django_assert_max_num_queries(10):
        page = client.get("/notifications/settings/")
    assert "金域蓝湾楼长队" in page.content.decode()
