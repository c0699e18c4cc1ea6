"""The resident's flow (issue 9, item 3): they rate in their own words on intake's large tiles,
the page says who handles their matter and what happens next, words of the trade stay on staff
pages, and the category picker reads clearly."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from shuren.cases import actions
from shuren.cases.models import Case, EventKind, Status
from shuren.cases.tests.conftest import sh
from shuren.cases.tests.test_case_page import act, buttons, detail, kinds, text


def resolved(world, report, **kwargs) -> Case:
    return actions.resolve_case(
        actor=world.user("demo-louzhang"),
        case=report(**kwargs),
        method="on_the_spot",
        summary="已上门劝说，不再晾晒。",
        at=sh(2026, 3, 2, 15),
    )


def form_html(response, key: str) -> str:
    """The markup of one action's form on the page."""
    body = response.content.decode()
    match = re.search(rf'<form[^>]*id="act-{key}".*?</form>', body, flags=re.S)
    assert match, f"no open form act-{key}"
    return match.group(0)


class TestTheResidentRates:
    def test_the_question_is_asked_in_their_words_with_two_large_tiles(
        self, client, login, world, report
    ):
        case = resolved(world, report)
        login("demo-resident")
        page = client.get(detail(case))
        form = form_html(page, "follow_up")  # open on the page, not behind a button
        assert "<legend>您对处理结果满意吗？</legend>" in form
        tiles = re.findall(r'<label class="tile"[^>]*>.*?<span>([^<]+)</span>', form, flags=re.S)
        assert tiles == ["满意", "不满意，请重新处理"]
        assert "提交评价" in form
        assert "登记回访" not in text(page)
        assert "已经办好了。请在下面告诉我们您是否满意。" in text(page)

    def test_their_rating_is_on_the_timeline_as_the_residents_rating(
        self, client, login, world, report
    ):
        case = resolved(world, report)
        login("demo-resident")
        response = act(client, case, "follow_up", {"satisfied": "yes", "note": "谢谢楼长"})
        assert response.status_code == 302
        page = text(client.get(detail(case)))
        assert "谢谢您的评价。" in page
        assert "居民评价 · 王秀英" in page
        assert "居民评价： 满意" in page
        assert Case.objects.get(pk=case.pk).status == Status.FOLLOWED_UP
        with translation.override("en"):
            assert str(EventKind.FOLLOWED_UP.label) == "Resident's rating"

    def test_not_satisfied_reopens_it_and_the_timeline_says_so(self, client, login, world, report):
        case = resolved(world, report)
        login("demo-resident")
        act(client, case, "follow_up", {"satisfied": "no", "note": "还是有味道"})
        assert kinds(case)[-1] == "reopened"
        assert "居民评价：不满意，重新办理" in text(client.get(detail(case)))

    def test_choosing_nothing_is_asked_again_in_the_same_words(self, client, login, world, report):
        case = resolved(world, report)
        login("demo-resident")
        response = act(client, case, "follow_up", {})
        assert response.status_code == 422
        assert "请选择满意或不满意。" in text(response)
        assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


class TestWhoHandlesItNow:
    def test_a_new_report_names_the_building_leader_and_when_it_is_taken_on(
        self, client, login, report
    ):
        case = report()
        login("demo-resident")
        page = text(client.get(detail(case)))
        assert "谁在处理 刘楼长（楼长）" in page
        assert "接下来 会先了解情况，在 2026-03-03 10:00 前受理。" in page

    def test_a_dispatched_matter_names_the_team_and_when_it_should_be_settled(
        self, client, login, world, report
    ):
        case = report()
        company = world.place("GC-JD-JYLW").property_company
        actions.assign_case(actor=world.user("demo-shequ"), case=case, team=company)
        login("demo-resident")
        page = text(client.get(detail(case)))
        assert "谁在处理 金域蓝湾物业服务中心" in page
        assert "正在处理，预计在 2026-03-23 10:00 前办好。" in page

    def test_at_the_community_it_names_the_community(self, client, login, world, report):
        case = report()
        actions.escalate_case(
            actor=world.user("demo-louzhang"), case=case, reason="需社区协调", to_tier=3
        )
        login("demo-resident")
        assert "谁在处理 尖东社区" in text(client.get(detail(case)))

    def test_referred_beyond_the_subdistrict_it_names_where(self, client, login, world, report):
        case = report("demo-shequ", tier=3)
        actions.escalate_case(
            actor=world.user("demo-shequ"),
            case=case,
            reason="涉嫌违法",
            to_tier=5,
            referred_to="桂城派出所",
        )
        login("demo-shequ")
        assert "谁在处理 桂城派出所" in text(client.get(detail(case)))

    def test_settled_on_the_spot_it_names_the_leader_who_settled_it(
        self, client, login, world, report
    ):
        case = resolved(world, report)
        login("demo-resident")
        assert "谁办好的 刘楼长" in text(client.get(detail(case)))

    def test_a_party_of_a_dispute_learns_no_handlers_name(self, client, login, world, report):
        case = report(
            "demo-shequ",
            channel="reception_day",
            reporter=world.person("P-LZ1"),
            parties=[(world.person("P-WANG"), "respondent")],
        )
        login("demo-resident")
        page = text(client.get(detail(case)))
        assert "刘楼长" not in page
        assert "谁在处理" not in page
        assert "会先了解情况" in page


class TestWordsOfTheTrade:
    def test_a_resident_is_not_shown_staff_jargon(self, client, login, report):
        case = report()
        login("demo-resident")
        page = text(client.get(detail(case)))
        for jargon in ("现在可以办理", "承办人", "尚未派单"):
            assert jargon not in page
        assert "您可以" in page

    def test_staff_see_their_own_words(self, client, login, report):
        case = report()
        login("demo-shequ")
        page = text(client.get(detail(case)))
        assert "现在可以办理" in page
        assert "承办人 尚未派单" in page


class TestTheCategoryPicker:
    def test_no_two_tiles_read_the_same_and_every_group_has_a_heading(self, client, login):
        login("demo-resident")
        body = client.get(reverse("cases:report")).content.decode()
        field = re.search(r'<fieldset[^>]*id="category-field".*?</fieldset>', body, flags=re.S)
        assert field
        groups = re.findall(
            r'<p class="tiles-title"[^>]*>([^<]+)</p>\s*<ul class="tiles"[^>]*>(.*?)</ul>',
            field.group(0),
            flags=re.S,
        )
        assert [title for title, _tiles in groups] == ["邻里纠纷", "其他类型"]
        labels = [
            label
            for _title, tiles in groups
            for label in re.findall(r"<span>([^<]+)</span>", tiles)
        ]
        assert len(labels) == len(set(labels)) == 15
        assert "其他邻里纠纷" in labels
        assert "其他" in labels

    def test_the_disambiguated_tile_reads_well_in_english_too(self, client, login):
        login("demo-resident")
        with translation.override("en"):
            from shuren.cases.web.intake_forms import category_sections

            labels = [tile.label for s in category_sections() for tile in s.items]
        assert "Other (Neighbour dispute)" in labels


def test_the_reporter_sees_only_their_own_rating_form(client, login, world, report):
    case = resolved(world, report)
    login("demo-resident")
    assert buttons(client.get(detail(case))) == {"follow_up", "note"}


def test_a_turned_down_matter_names_nobody_and_says_why_not(client, login, world, report):
    case = actions.reject_case(actor=world.user("demo-shequ"), case=report(), reason="属于民事诉讼")
    login("demo-resident")
    page = text(client.get(detail(case)))
    assert "谁在处理" not in page
    assert "这件事没有被受理，原因见下方记录。" in page
