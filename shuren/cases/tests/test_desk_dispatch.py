"""Community staff dispatch several matters at once from the desk: one assign_case per matter,
each with its event and its outbox row, and a word on what became of each; a retried POST
dispatches nothing twice; out of scope reads like a missing id; bad input is a 422, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.dispatch import MAX_AT_ONCE, Outcome, Pick, dispatch_each
from shuren.cases.models import Case, CaseEvent, EventKind
from shuren.cases.responsible import teams_serving, teams_to_dispatch
from shuren.kernel.models import Outbox
from shuren.notify.models import Notification
from shuren.people.models import Team
from shuren.places.queries import places_above
from shuren.testing import deliver

DISPATCH = "/cases/dispatch/"
BACK = "/cases/?status=all&sort=-reported"


@pytest.fixture
def waiting(report):
    """Three new matters in 金域蓝湾 that nobody has been given yet."""
    return [
        report(title="楼上漏水到我家"),
        report(title="楼道堆放杂物"),
        report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title="2栋电梯异响"),
    ]


@pytest.fixture
def company(world) -> Team:
    return world.place("GC-JD-JYLW").property_company


def picks(*cases: Case) -> list[str]:
    return [f"{case.pk}:{case.version}" for case in cases]


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def assigned_events(*cases: Case) -> int:
    return CaseEvent.objects.filter(case__in=cases, kind=EventKind.ASSIGNED).count()


def test_a_community_worker_dispatches_three_matters_at_once(
    client, login, world, waiting, company
):
    login("demo-shequ")
    before = Outbox.objects.count()
    response = client.post(DISPATCH, {"pick": picks(*waiting), "team": company.pk, "next": BACK})
    assert response.status_code == 303
    assert response["Location"] == BACK  # the same list, its filters and order kept
    for case in waiting:
        case.refresh_from_db()
        assert (case.status, case.assignee_team_id, case.version) == ("in_progress", company.pk, 2)
    assert assigned_events(*waiting) == 3  # one action, one event per matter
    assert Outbox.objects.count() == before + 3
    numbers = "、".join(case.number for case in waiting)
    assert said(response) == [f"已将 3 件事项派给{company.name}：{numbers}。已通知对方。"]
    deliver()  # the company's staff are told of each matter
    assert Notification.objects.filter(recipient=world.user("demo-wuye")).count() == 3


def test_a_retried_post_dispatches_nothing_twice(client, login, waiting, company):
    login("demo-shequ")
    form = {"pick": picks(*waiting), "team": company.pk, "next": BACK}
    client.post(DISPATCH, form, follow=True)  # its messages read on the list it returned to
    events, rows = assigned_events(*waiting), Outbox.objects.count()
    again = client.post(DISPATCH, form)  # the same body: the browser sent it twice
    assert again.status_code == 303
    assert (assigned_events(*waiting), Outbox.objects.count()) == (events, rows)
    numbers = "、".join(case.number for case in waiting)
    assert said(again) == [f"以下事项已在{company.name}手中，未重复派单：{numbers}。"]


def test_a_matter_changed_meanwhile_is_left_alone_and_the_others_are_dispatched(
    client, login, world, waiting, company
):
    login("demo-shequ")
    shown = picks(*waiting)
    actions.add_note(actor=world.user("demo-louzhang"), case=waiting[0], note="已上门查看")
    response = client.post(DISPATCH, {"pick": shown, "team": company.pk, "next": BACK})
    assert response.status_code == 303
    first = Case.objects.get(pk=waiting[0].pk)
    assert first.assignee_team_id is None
    assert assigned_events(*waiting) == 2
    assert said(response)[1] == (
        f"{first.number} 未派单：列表显示之后，已有人改动了这件事项；请打开查看最新情况。"
    )


def test_a_matter_the_team_does_not_serve_is_refused_with_the_reason(
    client, login, world, waiting, report
):
    elsewhere = report("demo-shequ", place="GC-JD-JDXC-B01", title="新村路灯不亮")
    red_vests = Team.objects.get(code="T-JYLW-HMJ")  # 金域蓝湾's own team
    login("demo-shequ")
    response = client.post(
        DISPATCH, {"pick": picks(waiting[0], elsewhere), "team": red_vests.pk, "next": BACK}
    )
    assert response.status_code == 303
    assert Case.objects.get(pk=waiting[0].pk).assignee_team == red_vests
    assert Case.objects.get(pk=elsewhere.pk).assignee_team is None
    assert said(response)[1] == f"{elsewhere.number} 未派单：{red_vests.name} 不负责这个地方。"


def test_a_settled_matter_is_refused_in_words(client, login, world, waiting, company):
    actions.resolve_case(
        actor=world.user("demo-louzhang"), case=waiting[0], method="on_the_spot", summary="已处理"
    )
    settled = Case.objects.get(pk=waiting[0].pk)
    login("demo-shequ")
    response = client.post(
        DISPATCH, {"pick": picks(settled, waiting[1]), "team": company.pk, "next": BACK}
    )
    assert response.status_code == 303
    assert Case.objects.get(pk=settled.pk).status == "resolved"
    assert (
        said(response)[1]
        == f"{settled.number} 未派单：该事项当前为“已办结”：只有尚未办结的事项才能派单。"
    )


def test_a_leader_may_not_dispatch_and_is_told_why(client, login, waiting, company):
    login("demo-louzhang")
    response = client.post(DISPATCH, {"pick": picks(waiting[0]), "team": company.pk})
    assert response.status_code == 303
    assert Case.objects.get(pk=waiting[0].pk).assignee_team is None
    assert said(response) == [f"{waiting[0].number} 未派单：您的岗位不能为这里第1级的事项派单。"]


def test_a_matter_out_of_scope_reads_like_a_missing_one_and_is_unchanged(
    world, waiting, report, company
):
    tower = report("demo-shequ2", place="GC-TC-JYZY-T1", title="T1栋电梯异响")
    shequ = world.user("demo-shequ")
    results = dispatch_each(
        actor=shequ,
        picks=[Pick(tower.pk, 1), Pick(987_654_321, 1), Pick(waiting[0].pk, 1)],
        team=company,
    )
    assert [(r.number, r.outcome, r.reason) for r in results[:2]] == [
        ("", Outcome.NOT_FOUND, ""),
        ("", Outcome.NOT_FOUND, ""),
    ]
    assert results[2].outcome == Outcome.DONE
    tower.refresh_from_db()
    assert (tower.version, tower.assignee_team_id) == (1, None)


def test_the_desk_page_says_how_many_were_not_found(client, login, waiting, company, report):
    tower = report("demo-shequ2", place="GC-TC-JYZY-T1", title="T1栋电梯异响")
    login("demo-shequ")
    response = client.post(
        DISPATCH, {"pick": picks(waiting[0], tower), "team": company.pk, "next": BACK}
    )
    assert said(response)[1] == "有 1 件事项未找到，未作任何处理。"


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"team": "TEAM"}, "请至少勾选一件要派单的事项。"),
        ({"pick": "PICK"}, "请选择派给哪个队伍。"),
        ({"pick": "PICK", "team": "x"}, "请选择派给哪个队伍。"),
        ({"pick": ["1:x"], "team": "TEAM"}, "无法识别所选的事项。请刷新页面后重试。"),
        (
            {"pick": ["99999999999999999999:1"], "team": "TEAM"},
            "无法识别所选的事项。请刷新页面后重试。",
        ),
        (
            {"pick": [f"{i}:1" for i in range(MAX_AT_ONCE + 1)], "team": "TEAM"},
            "一次最多派单 100 件事项。",
        ),
        ({"pick": "PICK", "team": "OTHER"}, "这些事项没有这个队伍可派。"),
        ({"pick": "PICK", "team": "999999999"}, "这些事项没有这个队伍可派。"),
    ],
)
def test_bad_input_shows_the_list_again_with_the_problem_and_changes_nothing(
    client, login, world, waiting, company, form, problem
):
    other = world.place("GC-TC-JYZY").property_company  # 同成's company: serves none of them
    values = {"TEAM": company.pk, "OTHER": other.pk, "PICK": picks(*waiting)}
    data = {
        key: values.get(value, value) if isinstance(value, str) else value
        for key, value in form.items()
    }
    login("demo-shequ")
    response = client.post(DISPATCH, {**data, "next": BACK})
    assert response.status_code == 422
    body = response.content.decode()
    assert f'<p class="field-error" id="bulk-error">问题： {problem}</p>' in body
    assert f'name="next" value="{BACK.replace("&", "&amp;")}"' in body  # still the same list
    assert other.name not in body  # a team that serves none of them is never named
    assert assigned_events(*waiting) == 0
    if form.get("pick") == "PICK":  # the ticks are kept
        assert body.count(" checked>") == 3


def test_the_way_back_never_leaves_the_inbox(client, login, waiting, company):
    login("demo-shequ")
    for wanted in ("https://evil.example/cases/", "//evil.example/", "/admin/", "/cases/1/"):
        response = client.post(
            DISPATCH, {"pick": picks(waiting[0]), "team": company.pk, "next": wanted}
        )
        assert response["Location"] == "/cases/", wanted


def test_dispatching_three_costs_a_fixed_number_of_queries_per_matter(
    world, waiting, company, django_assert_num_queries
):
    shequ = world.user("demo-shequ")
    # The user's standing and the matters; the categories (kept per process) once; then per
    # matter its transaction (2), the locked row, the team's place, the update, the team's
    # people, the event, the outbox row and the tallies' upsert.
    with django_assert_num_queries(2 + 1 + 3 * 9):
        results = dispatch_each(
            actor=shequ, picks=[Pick(c.pk, c.version) for c in waiting], team=company
        )
    assert [r.outcome for r in results] == [Outcome.DONE] * 3


def test_the_desk_ticks_only_what_nobody_has_yet_and_offers_the_estate_s_company_first(
    client, login, world, waiting, company
):
    actions.assign_case(actor=world.user("demo-shequ"), case=waiting[2], team=company)
    login("demo-shequ")
    body = client.get(reverse("cases:inbox")).content.decode()
    assert body.count('type="checkbox" name="pick"') == 2
    assert f'value="{waiting[2].pk}:' not in body
    first_team = body.split('<select id="bulk-team" name="team"')[1].split("</option>")[1]
    assert company.name in first_team
    login("demo-louzhang")
    body = client.get(reverse("cases:inbox")).content.decode()
    assert "checkbox" not in body
    assert "bulk-team" not in body


def test_the_dispatch_list_puts_the_estate_s_company_then_the_nearest_teams_first(world):
    place = world.place("GC-JD-JYLW-B01-U1")
    teams = list(teams_to_dispatch([place.path]))
    assert set(teams) == set(teams_serving(place.path))
    assert teams[0] == world.place("GC-JD-JYLW").property_company
    homes = [len(team.place.path) for team in teams[1:]]
    assert homes == sorted(homes, reverse=True)  # the estate's own teams before the workshop's
    assert teams[-1].code == "T-SZM"  # the subdistrict's mediation workshop comes last
    # The inbox reads the places above once for the names too, and gets the same list.
    assert teams_to_dispatch([place.path], above=places_above([place.path])) == teams


def test_a_list_for_several_places_offers_what_serves_any_of_them(world):
    paths = [world.place(code).path for code in ("GC-JD-JYLW-B01-U1", "GC-JD-JDXC-B01")]
    teams = teams_to_dispatch(paths)
    assert set(teams) == set(teams_serving(paths[0])) | set(teams_serving(paths[1]))
    assert teams == teams_to_dispatch(paths, above=places_above(paths))
    assert teams[0] == world.place("GC-JD-JYLW").property_company


def test_the_case_page_offers_the_teams_in_the_same_order(client, login, world, waiting):
    login("demo-shequ")
    body = client.get(reverse("cases:detail", args=[waiting[0].pk])).content.decode()
    select = body.split('name="team"')[1].split("</select>")[0]
    offered = [t.name for t in teams_to_dispatch([waiting[0].place_path])]
    positions = [select.index(name) for name in offered]
    assert positions == sorted(positions)
