"""The owners' vote pages: an owner votes with one tap and a confirmation and sees their ballot
as it came in; staff enter paper and proxy ballots with their papers, refused in words without
them; a late ballot and a short notice are refused in words; the count, the result with both
tests and the numbers behind them, the public notice; a recount; the lists' query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.deliberation.actions import cast_ballot, close_vote, enter_ballot
from shuren.deliberation.models import Ballot, BallotPaper, Vote, VoteEvent
from shuren.deliberation.tests.conftest import open_vote
from shuren.deliberation.tests.files import not_a_scan, scan
from shuren.deliberation.votes.notice import notice_available

pytestmark = pytest.mark.django_db


def _key(world, code):
    return f"p{world.person(code).pk}"


def _page(client, vote):
    return client.get(f"/deliberation/votes/{vote.pk}/")


def test_an_owner_taps_agree_confirms_and_sees_their_ballot(client, world, vote):
    client.force_login(world.user("demo-resident"))
    page = _page(client, vote).content.decode()
    assert "同意" in page
    assert "反对" in page
    assert "弃权" in page
    asked = client.post(f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree"})
    assert asked.status_code == 200
    assert "您选择了：同意" in asked.content.decode()
    assert not Ballot.objects.exists()
    done = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree", "confirm": "on"}
    )
    assert done.status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.owner_key, ballot.choice, ballot.origin) == (
        _key(world, "P-WANG"),
        "agree",
        "web",
    )
    page = _page(client, vote).content.decode()
    assert "网上投票" in page
    assert 'value="agree"' not in page  # no second ballot offered


def test_an_owner_sees_no_one_elses_choice(client, world, vote):
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-CHEN"),
        choice="disagree",
        origin="paper",
        person=world.person("P-CHEN"),
        paper=scan(),
    )
    client.force_login(world.user("demo-resident"))
    page = _page(client, vote).content.decode()
    assert "陈美玲" not in page
    assert "谁已投票" not in page


def test_a_ballot_after_the_close_is_refused_in_words(client, world):
    vote = open_vote(world, closes_in=-1)
    client.force_login(world.user("demo-resident"))
    response = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree", "confirm": "on"}
    )
    assert response.status_code == 409
    assert "不予计入" in response.content.decode() or "已截止" in response.content.decode()
    assert not Ballot.objects.exists()


def test_someone_outside_the_electorate_gets_404(client, world, vote):
    client.force_login(world.user("demo-louzhang2"))
    assert _page(client, vote).status_code == 404
    response = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree", "confirm": "on"}
    )
    assert response.status_code == 404


def test_staff_enter_a_paper_ballot_with_its_scan_and_only_they_open_it(client, world, vote):
    client.force_login(world.user("demo-shequ"))
    page = _page(client, vote).content.decode()
    assert "录入纸质表决票" in page
    data = {"origin": "paper", "owner": _key(world, "P-CHEN"), "choice": "disagree"}
    refused = client.post(f"/deliberation/votes/{vote.pk}/enter/", data)
    assert refused.status_code == 422
    assert "请附上纸质表决票的扫描件" in refused.content.decode()
    wrong = client.post(f"/deliberation/votes/{vote.pk}/enter/", {**data, "paper": not_a_scan()})
    assert wrong.status_code == 422
    assert "PDF、JPEG 或 PNG" in wrong.content.decode()
    assert not Ballot.objects.exists()
    done = client.post(f"/deliberation/votes/{vote.pk}/enter/", {**data, "paper": scan()})
    assert done.status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.person, ballot.origin) == (world.person("P-CHEN"), "paper")
    paper = BallotPaper.objects.get(ballot=ballot)
    assert client.get(f"/deliberation/votes/{vote.pk}/papers/{paper.pk}/").status_code == 200
    client.force_login(world.user("demo-resident"))
    assert client.get(f"/deliberation/votes/{vote.pk}/papers/{paper.pk}/").status_code == 404


def test_staff_enter_a_proxy_ballot_with_the_authorisation(client, world, vote):
    client.force_login(world.user("demo-shequ"))
    data = {"origin": "proxy", "owner": _key(world, "P-CHEN"), "choice": "agree"}
    refused = client.post(f"/deliberation/votes/{vote.pk}/enter/", data)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "请写明业主授权的代理人姓名" in body
    assert "请附上业主的书面授权委托书" in body
    done = client.post(
        f"/deliberation/votes/{vote.pk}/enter/",
        {**data, "proxy_name": "陈小明", "authorisation": scan("auth.jpg")},
    )
    assert done.status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.origin, ballot.proxy_name) == ("proxy", "陈小明")
    assert BallotPaper.objects.get(ballot=ballot).kind == "authorisation"


def test_staff_call_a_vote_and_a_short_notice_is_refused_in_words(client, world):
    client.force_login(world.user("demo-shequ"))
    form = client.get("/deliberation/votes/new/").content.decode()
    assert "1栋1单元" in form or "1栋" in form
    now = timezone.localtime()
    data = {
        "place": str(world.place("GC-JD-JYLW-B01").pk),
        "matter": "4",
        "title": "续聘物业服务企业",
        "opens_at": f"{now + dt.timedelta(days=10):%Y-%m-%dT%H:%M}",
        "closes_at": f"{now + dt.timedelta(days=20):%Y-%m-%dT%H:%M}",
    }
    short = client.post("/deliberation/votes/new/", data)
    assert short.status_code == 422
    assert "公告之日起 15 日" in short.content.decode() or "15" in short.content.decode()
    assert not Vote.objects.exists()
    data["opens_at"] = f"{now + dt.timedelta(days=16):%Y-%m-%dT%H:%M}"
    done = client.post("/deliberation/votes/new/", data)
    assert done.status_code == 302
    assert Vote.objects.get().title == "续聘物业服务企业"


def test_only_organisers_find_the_call_a_vote_page(client, world):
    client.force_login(world.user("demo-resident"))
    assert client.get("/deliberation/votes/new/").status_code == 404


def test_staff_count_after_the_close_and_the_result_shows_both_tests(client, world):
    vote = open_vote(world, closes_in=7)
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree")
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=_key(world, "P-CHEN"),
        choice="agree",
        origin="paper",
        person=world.person("P-CHEN"),
        paper=scan(),
    )
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(world.user("demo-shequ"))
    assert "计票并公布结果" in _page(client, vote).content.decode()
    assert client.post(f"/deliberation/votes/{vote.pk}/close/", {}).status_code == 302
    client.force_login(world.user("demo-resident"))
    page = client.get(f"/deliberation/votes/{vote.pk}/result/").content.decode()
    assert "通过" in page
    assert "参与表决" in page
    assert "同意" in page
    assert "2 / 2" in page  # the headcount behind both tests
    pdf = client.get(f"/deliberation/votes/{vote.pk}/notice.pdf")
    if notice_available() is None:
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 503


def test_a_recount_on_the_page_corrects_a_ballot_with_its_reason(client, world):
    vote = open_vote(world)
    # A paper ballot entered wrongly (an owner's own online ballot is never rewritten).
    enter_ballot(
        actor=world.user("demo-shequ"),
        vote=vote,
        owner_key=f"p{world.person('P-WANG').pk}",
        choice="disagree",
        origin="paper",
        person=world.person("P-WANG"),
        paper=scan(),
    )
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    close_vote(actor=None, vote=vote)
    vote.refresh_from_db()
    ballot = Ballot.objects.get(vote=vote)
    client.force_login(world.user("demo-shequ"))
    refused = client.post(
        f"/deliberation/votes/{vote.pk}/recount/",
        {"ballot": str(ballot.pk), "correction": "agree", "version": str(vote.version)},
    )
    assert refused.status_code == 422
    done = client.post(
        f"/deliberation/votes/{vote.pk}/recount/",
        {
            "ballot": str(ballot.pk),
            "correction": "agree",
            "reason": "核对原件，录入有误",
            "version": str(vote.version),
        },
    )
    assert done.status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).choice == "agree"
    assert VoteEvent.objects.get(vote=vote, kind="recounted").note == "核对原件，录入有误"
    stale = client.post(
        f"/deliberation/votes/{vote.pk}/recount/",
        {"ballot": str(ballot.pk), "correction": "void", "reason": "x", "version": "1"},
    )
    assert stale.status_code == 409


def test_the_list_holds_what_each_user_may_see_in_a_pinned_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(3):
        open_vote(world, title=f"表决{n}")
    open_vote(world, title="二栋的表决", place="GC-JD-JYLW-B02")
    client.force_login(world.user("demo-resident"))
    with django_assert_max_num_queries(12):
        page = client.get("/deliberation/votes/").content.decode()
    assert "表决2" in page
    assert "二栋的表决" not in page
    client.force_login(world.user("demo-shequ"))
    with django_assert_max_num_queries(12):
        page = client.get("/deliberation/votes/").content.decode()
    assert "二栋的表决" in page
    assert "发起表决" in page


def test_the_vote_page_for_organisers_takes_a_pinned_number_of_queries(
    client, world, vote, django_assert_max_num_queries
):
    for code in ("P-WANG", "P-CHEN"):
        enter_ballot(
            actor=world.user("demo-shequ"),
            vote=vote,
            owner_key=_key(world, code),
            choice="agree",
            origin="paper",
            person=world.person(code),
            paper=scan(),
        )
    client.force_login(world.user("demo-shequ"))
    with django_assert_max_num_queries(25):
        assert _page(client, vote).status_code == 200


def test_an_owner_finds_the_open_vote_on_their_home_and_organisers_the_list(client, world, vote):
    client.force_login(world.user("demo-resident"))
    home = client.get("/").content.decode()
    assert "请您参加的表决" in home
    assert f"/deliberation/votes/{vote.pk}/" in home
    client.force_login(world.user("demo-shequ"))
    assert "/deliberation/votes/" in client.get("/").content.decode()
    client.force_login(world.user("demo-louzhang2"))
    assert "/deliberation/votes/" not in client.get("/").content.decode()


def test_a_recount_adds_a_ballot_received_on_time_with_its_scan(client, world):
    vote = open_vote(world)
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree")
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    close_vote(actor=None, vote=vote)
    vote.refresh_from_db()
    assert vote.quorum_met is False
    client.force_login(world.user("demo-shequ"))
    received = timezone.localtime(vote.opens_at + dt.timedelta(hours=3))
    data = {
        "kind": "add",
        "version": str(vote.version),
        "origin": "paper",
        "owner": _key(world, "P-CHEN"),
        "choice": "agree",
        "received_at": f"{received:%Y-%m-%dT%H:%M}",
        "reason": "投票箱里漏录一张，已核对原件",
    }
    without = client.post(f"/deliberation/votes/{vote.pk}/recount/", data)
    assert without.status_code == 422
    assert "请附上纸质表决票的扫描件" in without.content.decode()
    done = client.post(f"/deliberation/votes/{vote.pk}/recount/", {**data, "paper": scan()})
    assert done.status_code == 302
    vote.refresh_from_db()
    assert (vote.quorum_met, vote.passed) == (True, True)
    added = Ballot.objects.get(vote=vote, owner_key=_key(world, "P-CHEN"))
    assert BallotPaper.objects.filter(ballot=added, kind="scan").exists()


def test_the_public_notice_carries_counts_and_no_owner(world):
    from django.template.loader import render_to_string

    from shuren.deliberation.votes.notice import notice_context

    vote = open_vote(world)
    cast_ballot(actor=world.user("demo-resident"), vote=vote, choice="agree")
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    close_vote(actor=None, vote=vote)
    vote.refresh_from_db()
    html = render_to_string("deliberation/votes/notice_pdf.html", notice_context(vote))
    assert "1栋1单元加装电梯" in html
    assert "参与表决" in html
    assert "未通过" in html
    for name in ("王秀英", "陈美玲", "101", "102"):
        assert name not in html


def test_an_owner_of_two_units_held_differently_chooses_which_one_each_ballot_is_for(client, world):
    # 王秀英 owns 101 alone and 102 with 陈美玲: two owners of the electorate, two ballots. The
    # page offered her the buttons but every tap was refused as "not an owner of this unit".
    world.household("H-B01-102").owners.add(world.person("P-WANG"))
    vote = open_vote(world)
    both = "+".join(f"p{pk}" for pk in sorted(world.person(c).pk for c in ("P-WANG", "P-CHEN")))
    client.force_login(world.user("demo-resident"))
    page = _page(client, vote).content.decode()
    assert "101" in page
    assert "102" in page
    unnamed = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree", "confirm": "on"}
    )
    assert unnamed.status_code == 422
    assert "哪一套" in unnamed.content.decode()
    asked = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/", {"choice": "agree", "owner": both}
    )
    assert asked.status_code == 200
    assert f'value="{both}"' in asked.content.decode()
    done = client.post(
        f"/deliberation/votes/{vote.pk}/ballot/",
        {"choice": "agree", "owner": both, "confirm": "on"},
    )
    assert done.status_code == 302
    assert list(Ballot.objects.values_list("owner_key", flat=True)) == [both]
    client.post(
        f"/deliberation/votes/{vote.pk}/ballot/",
        {"choice": "disagree", "owner": _key(world, "P-WANG"), "confirm": "on"},
    )
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["agree", "disagree"]
