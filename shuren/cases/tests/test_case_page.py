"""The case page: what it shows to whom, and each action form posting to its one action."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from shuren.access.models import AccessLog
from shuren.cases import actions
from shuren.cases.models import Case, CaseEvent, CasePhoto, OverdueFlag, Status, Tier
from shuren.cases.tests.conftest import MONDAY

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def detail(case: Case) -> str:
    return reverse("cases:detail", kwargs={"pk": case.pk})


def act(client, case: Case, action: str, data: dict | None = None, version: int | None = None):
    case.refresh_from_db()
    url = reverse(f"cases:{action}", kwargs={"pk": case.pk})
    return client.post(
        url, {"version": case.version if version is None else version, **(data or {})}
    )


def text(response) -> str:
    """The page's visible text, tags stripped, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def buttons(response) -> set[str]:
    """The actions offered: the ids of the action blocks on the page."""
    return set(re.findall(r'id="act-([a-z_]+)"', response.content.decode()))


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


class TestWhatThePageShows:
    def test_number_status_in_words_ladder_place_category_and_channel(self, client, login, report):
        # The leader enters what a neighbour posted in the building's group chat.
        case = report("demo-louzhang", channel="wechat_group")
        login("demo-louzhang")
        page = text(client.get(detail(case)))
        assert case.number in page
        assert "状态： 待受理" in page
        assert "第1级 · 楼长、巷长、街长 当前所在" in page
        assert "桂城街道 › 尖东社区 › 金域蓝湾 › 1栋 › 1栋1单元" in page
        assert "邻里纠纷 › 异味" in page
        assert "微信群" in page

    def test_deadlines_are_shown_in_shanghai_time_with_their_state_in_words(
        self, client, login, report
    ):
        case = report()  # Monday 10:00 in Guicheng: accept by the next working day
        login("demo-louzhang")
        page = text(client.get(detail(case)))
        assert f"受理期限 {case.accept_due.astimezone(SH):%Y-%m-%d %H:%M}" in page
        assert "逾期" in page  # that Monday is long past
        Case.objects.filter(pk=case.pk).update(overdue=OverdueFlag.YELLOW, accept_due=FUTURE)
        assert "即将到期" in text(client.get(detail(case)))

    def test_the_reporters_phone_is_masked(self, client, login, report):
        case = report()
        login("demo-shequ")
        page = text(client.get(detail(case)))
        assert "王秀英 · 138****5678" in page
        assert "13812345678" not in page

    def test_a_party_is_not_told_who_complained(self, client, login, report, world):
        # The neighbour in room 102 raised a dispute in which the resident of room 101 is the
        # other side; the community staff entered it with its parties. (The page names the
        # building's leader to everyone: that is who leads it, not who complained.)
        case = report(
            "demo-shequ",
            channel="reception_day",
            reporter=world.person("P-CHEN"),
            parties=[(world.person("P-WANG"), "respondent")],
        )
        login("demo-resident")
        page = text(client.get(detail(case)))
        assert "反映人信息不向纠纷当事人显示" in page
        assert "陈美玲" not in page
        login("demo-shequ")
        assert "陈美玲" in text(client.get(detail(case)))

    def test_the_timeline_lists_every_event_in_order(self, client, login, report, world):
        case = report()
        leader = world.user("demo-louzhang")
        actions.accept_case(actor=leader, case=case)
        actions.add_note(actor=leader, case=case, note="已上门查看")
        login("demo-louzhang")
        page = text(client.get(detail(case)))
        timeline = page.split("办理记录")[-1]
        assert timeline.index("登记事项") < timeline.index("受理") < timeline.index("已上门查看")

    def test_photos_are_served_through_the_scoped_view_only(
        self, client, login, report, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        case = report()
        photo = CasePhoto(case=case, content_type="image/png", size=len(PNG))
        photo.file.save("x.png", ContentFile(PNG), save=True)
        login("demo-louzhang")
        url = reverse("cases:photo", kwargs={"pk": case.pk, "photo_pk": photo.pk})
        assert url in client.get(detail(case)).content.decode()
        assert "/media/" not in client.get(detail(case)).content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == PNG

    def test_a_photo_out_of_scope_or_of_another_case_is_not_found(
        self, client, login, report, world, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        case = report()
        other = report(place="GC-JD-JYLW-B01")
        photo = CasePhoto(case=case, content_type="image/png", size=len(PNG))
        photo.file.save("x.png", ContentFile(PNG), save=True)
        login("demo-louzhang2")
        assert client.get(reverse("cases:photo", args=[case.pk, photo.pk])).status_code == 404
        login("demo-louzhang")
        assert client.get(reverse("cases:photo", args=[other.pk, photo.pk])).status_code == 404

    def test_out_of_scope_is_a_404_like_a_missing_case(self, client, login, report):
        case = report()
        login("demo-louzhang2")
        assert client.get(detail(case)).status_code == 404


SH = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
FUTURE = __import__("datetime").datetime(2099, 1, 1, tzinfo=SH)


class TestWhichActionsShow:
    def test_the_building_leader_may_accept_resolve_escalate_and_note(self, client, login, report):
        case = report()
        login("demo-louzhang")
        assert buttons(client.get(detail(case))) == {"accept", "resolve", "escalate", "note"}

    def test_community_staff_may_dispatch_merge_and_turn_down_a_leaders_matter(
        self, client, login, report
    ):
        case = report()
        login("demo-shequ")
        # Taking it on, settling and escalating are the leader's, who has a login.
        assert buttons(client.get(detail(case))) == {"assign", "note", "merge", "reject"}

    def test_the_reporter_may_add_a_note_and_later_rate_the_result(
        self, client, login, report, world
    ):
        case = report()
        login("demo-resident")
        assert buttons(client.get(detail(case))) == {"note"}
        actions.resolve_case(
            actor=world.user("demo-louzhang"), case=case, method="on_the_spot", summary="已劝说"
        )
        assert buttons(client.get(detail(case))) == {"follow_up", "note"}

    def test_the_property_company_may_hand_back_what_it_was_given(
        self, client, login, report, world
    ):
        case = report()
        company = world.place("GC-JD-JYLW").property_company
        actions.assign_case(actor=world.user("demo-shequ"), case=case, team=company)
        login("demo-wuye")
        shown = buttons(client.get(detail(case)))
        assert {"return", "resolve", "note"} <= shown
        # Given it outside a tier of its own, it hands it back rather than sending it up.
        assert "escalate" not in shown

    def test_a_leader_may_only_add_notes_once_the_case_went_up(self, client, login, report, world):
        case = report()
        actions.escalate_case(actor=world.user("demo-louzhang"), case=case, reason="需社区协调")
        login("demo-louzhang")
        assert buttons(client.get(detail(case))) == {"note"}

    def test_a_leader_who_never_handled_a_case_that_went_up_may_do_nothing(
        self, client, login, report, world
    ):
        # Recorded by the community in his building, and sent on: never his to handle.
        case = report("demo-shequ", tier=3, channel="phone")
        actions.escalate_case(actor=world.user("demo-shequ"), case=case, reason="需街道协调")
        login("demo-louzhang")
        page = client.get(detail(case))
        assert buttons(page) == set()
        assert "这件事项现在没有需要您办理的操作" in text(page)

    def test_the_dispatch_form_offers_the_leader_the_company_and_the_workshop(
        self, client, login, report
    ):
        case = report()
        login("demo-shequ")
        page = text(client.get(detail(case) + "?act=assign"))
        assert "刘楼长 · 楼长 · 1栋" in page
        assert "金域蓝湾物业服务中心 · 物业" in page
        assert "苏志敏创熟调解工作室" in page
        assert "张楼长" not in page  # the leader of building 2


class TestActions:
    def test_the_leader_accepts_with_one_tap(self, client, login, report):
        case = report()
        login("demo-louzhang")
        response = act(client, case, "accept")
        assert response.status_code == 302
        assert response["Location"] == detail(case)
        case.refresh_from_db()
        assert case.status == Status.ACCEPTED
        assert "已受理，这件事项由您办理" in text(client.get(detail(case)))

    def test_a_stale_version_is_refused_with_a_reload_message_and_nothing_changes(
        self, client, login, report, world
    ):
        case = report()
        actions.add_note(actor=world.user("demo-shequ"), case=case, note="已电话联系")
        login("demo-louzhang")
        response = act(client, case, "escalate", {"reason": "需社区协调"}, version=1)
        assert response.status_code == 409
        page = text(response)
        assert "别人已经改动了这件事项，所以这次没有保存" in page
        assert "重新载入页面" in page
        assert "需社区协调" in response.content.decode()  # what they typed is kept
        case.refresh_from_db()
        assert (case.current_tier, case.version) == (Tier.BUILDING, 2)

    def test_a_stale_version_answers_htmx_with_409_too(self, client, login, report, world):
        case = report()
        actions.add_note(actor=world.user("demo-shequ"), case=case, note="已电话联系")
        login("demo-louzhang")
        response = client.post(
            reverse("cases:accept", args=[case.pk]), {"version": 1}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 409

    def test_json_callers_get_the_code_and_the_chinese_message(self, client, login, report, world):
        case = report()
        actions.add_note(actor=world.user("demo-shequ"), case=case, note="已电话联系")
        login("demo-louzhang")
        response = client.post(
            reverse("cases:accept", args=[case.pk]), {"version": 1}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "stale_version"
        assert "别人已经改动了" in response.json()["message"]

    def test_an_illegal_transition_says_why(self, client, login, report):
        case = report()
        login("demo-shequ")
        response = act(client, case, "close")
        assert response.status_code == 409
        assert "不能结案状态为“待受理”的事项。" in text(response)
        assert Case.objects.get(pk=case.pk).status == Status.REPORTED

    def test_a_refused_permission_says_so_and_changes_nothing(self, client, login, report):
        case = report()
        login("demo-resident")
        response = act(client, case, "accept")
        assert response.status_code == 403
        assert "您无权对此事项进行这项操作" in text(response)
        assert Case.objects.get(pk=case.pk).version == 1

    def test_escalating_needs_a_reason(self, client, login, report):
        case = report()
        login("demo-louzhang")
        response = act(client, case, "escalate", {"reason": " "})
        assert response.status_code == 422
        assert "请填写这一项" in text(response)
        assert Case.objects.get(pk=case.pk).current_tier == Tier.BUILDING

    def test_escalating_goes_one_tier_up_by_default_and_to_the_community_when_chosen(
        self, client, login, report
    ):
        case = report()
        login("demo-louzhang")
        assert act(client, case, "escalate", {"reason": "需物业处理"}).status_code == 302
        assert Case.objects.get(pk=case.pk).current_tier == Tier.ESTATE
        other = report()
        assert (
            act(client, other, "escalate", {"reason": "涉及多方", "to_tier": 3}).status_code == 302
        )
        assert Case.objects.get(pk=other.pk).current_tier == Tier.COMMUNITY

    def test_a_leader_may_not_send_a_matter_past_the_community(self, client, login, report):
        case = report()
        login("demo-louzhang")
        response = act(client, case, "escalate", {"reason": "涉及多方", "to_tier": 4})
        assert response.status_code == 422
        assert "请从列出的层级中选择一个" in text(response)
        assert Case.objects.get(pk=case.pk).current_tier == Tier.BUILDING

    def test_dispatch_return_resolve_unsatisfied_follow_up_and_close(
        self, client, login, report, world
    ):
        case = report()
        company = world.place("GC-JD-JYLW").property_company
        login("demo-shequ")
        assert (
            act(client, case, "assign", {"team": company.pk, "note": "请维修"}).status_code == 302
        )
        login("demo-wuye")
        assert act(client, case, "return", {"reason": "不属于物业范围"}).status_code == 302
        login("demo-shequ")
        assert act(client, case, "assign", {"team": company.pk}).status_code == 302
        login("demo-wuye")
        response = act(client, case, "resolve", {"method": "property_repair", "summary": "已修好"})
        assert response.status_code == 302
        login("demo-resident")
        assert (
            act(client, case, "follow_up", {"satisfied": "no", "note": "还在漏"}).status_code == 302
        )
        case.refresh_from_db()
        assert (case.status, case.reopened_count) == (Status.IN_PROGRESS, 1)
        login("demo-wuye")
        act(client, case, "resolve", {"method": "property_repair", "summary": "换了水管"})
        login("demo-resident")
        assert act(client, case, "follow_up", {"satisfied": "yes"}).status_code == 302
        login("demo-shequ")
        assert act(client, case, "close").status_code == 302
        assert kinds(case) == [
            "reported",
            "assigned",
            "returned",
            "assigned",
            "resolved",
            "reopened",
            "resolved",
            "followed_up",
            "closed",
        ]

    def test_dispatching_to_someone_not_offered_is_refused(self, client, login, report, world):
        case = report()
        login("demo-shequ")
        vanke = world.place("GC-TC-JYZY").property_company
        response = act(client, case, "assign", {"team": vanke.pk})
        assert response.status_code == 422
        assert Case.objects.get(pk=case.pk).assignee_team is None

    def test_merging_into_a_visible_case_by_its_number(self, client, login, report):
        first, duplicate = report(), report()
        login("demo-shequ")
        response = act(client, duplicate, "merge", {"into": first.number.lower()})
        assert response.status_code == 302
        duplicate.refresh_from_db()
        assert (duplicate.status, duplicate.merged_into_id) == (Status.MERGED, first.pk)
        assert f'href="{detail(first)}"' in client.get(detail(duplicate)).content.decode()

    def test_merging_into_a_case_one_cannot_see_is_a_missing_number(self, client, login, report):
        other = report("demo-shequ2", place="GC-TC-JYZY-T1")
        case = report()
        login("demo-shequ")
        response = act(client, case, "merge", {"into": other.number})
        assert response.status_code == 422
        assert "没有您能查看的这个编号的事项" in text(response)

    def test_turning_down_needs_a_reason_and_tells_it(self, client, login, report):
        case = report()
        login("demo-shequ")
        assert act(client, case, "reject", {"reason": ""}).status_code == 422
        assert act(client, case, "reject", {"reason": "属私人合同纠纷"}).status_code == 302
        assert Case.objects.get(pk=case.pk).status == Status.REJECTED

    def test_a_form_without_its_version_is_out_of_date(self, client, login, report):
        case = report()
        login("demo-louzhang")
        response = client.post(reverse("cases:accept", args=[case.pk]), {})
        assert response.status_code == 422
        assert Case.objects.get(pk=case.pk).status == Status.REPORTED

    def test_an_action_on_a_case_out_of_scope_is_a_404_and_changes_nothing(
        self, client, login, report
    ):
        case = report()
        login("demo-louzhang2")
        assert act(client, case, "accept").status_code == 404
        assert Case.objects.get(pk=case.pk).version == 1


class TestRevealingTheContactPhone:
    @pytest.fixture
    def anonymous(self, report):
        return report(
            "demo-louzhang", contact_name="李先生", contact_phone="13987654321", at=MONDAY
        )

    def test_community_staff_see_it_once_for_a_reason_and_it_is_logged(
        self, client, login, anonymous
    ):
        login("demo-shequ")
        page = client.get(detail(anonymous))
        assert "139****4321" in text(page)
        assert "13987654321" not in text(page)
        response = client.post(
            reverse("cases:reveal_phone", args=[anonymous.pk]), {"reason": "回访反映人"}
        )
        assert response.status_code == 200
        assert "13987654321" in text(response)
        assert response["Cache-Control"] == "no-store"
        log = AccessLog.objects.get(object_type="case", object_id=str(anonymous.pk))
        assert (log.fields, log.reason) == ("contact_phone", "回访反映人")

    def test_a_leader_may_not_and_nothing_is_logged(self, client, login, anonymous):
        login("demo-louzhang")
        assert "查看完整电话号码" not in text(client.get(detail(anonymous)))
        response = client.post(
            reverse("cases:reveal_phone", args=[anonymous.pk]), {"reason": "想知道"}
        )
        assert response.status_code == 403
        assert "13987654321" not in text(response)
        assert not AccessLog.objects.filter(object_type="case").exists()

    def test_a_reason_is_required(self, client, login, anonymous):
        login("demo-shequ")
        response = client.post(reverse("cases:reveal_phone", args=[anonymous.pk]), {"reason": ""})
        assert response.status_code == 422
        assert not AccessLog.objects.filter(object_type="case").exists()


TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "cases"
TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(?P<msgid>.+?)\1""")
BLOCK = re.compile(
    r"{%\s*blocktranslate(?P<args>[^%]*)%}(?P<one>.*?)"
    r"(?:{%\s*plural\s*%}(?P<many>.*?))?{%\s*endblocktranslate\s*%}",
    re.DOTALL,
)


def _msgids() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for path in [*(TEMPLATES / "inbox").glob("*.html"), *(TEMPLATES / "case").glob("*.html")]:
        source = path.read_text()
        found += [(m["msgid"], None) for m in TRANSLATE.finditer(source)]
        for m in BLOCK.finditer(source):
            one = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", m["one"])
            many = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", m["many"]) if m["many"] else None
            found.append((one, many))
    return found


def test_every_string_of_these_pages_reads_in_chinese():
    assert len(_msgids()) > 50
    with translation.override("zh-hans"):
        untranslated = [
            one
            for one, many in _msgids()
            if (ngettext(one, many, 1) if many else gettext(one)) == one
        ]
    assert untranslated == []


def test_every_string_of_these_views_and_forms_reads_in_chinese():
    source = "".join(
        (Path(__file__).resolve().parents[1] / name).read_text()
        for name in (
            "web/case_page.py",
            "web/case_actions.py",
            "web/inbox_views.py",
            "web/case_forms.py",
            "inbox/queries.py",
        )
    )
    calls = re.finditer(r"""(?:\b_|gettext_lazy|gettext)\(\s*((?:"[^"]*"\s*)+)""", source)
    msgids = ["".join(re.findall(r'"([^"]*)"', m.group(1))) for m in calls]
    assert len(msgids) > 80
    with translation.override("zh-hans"):
        assert [m for m in msgids if gettext(m) == m] == []


def test_the_pages_read_in_english_for_an_english_user(client, login, report):
    case = report()
    user = login("demo-shequ")
    user.language = "en"
    user.save(update_fields=["language"])
    page = text(client.get(detail(case)))
    assert "What you can do now" in page
    assert "State: Reported" in page
    assert "My community" in text(client.get(reverse("cases:inbox")))


def test_the_page_shows_every_action_the_domain_offers_and_no_other():
    from shuren.cases.rules import ACTION_NAMES
    from shuren.cases.web.case_forms import ACTIONS

    assert tuple(ACTIONS) == ACTION_NAMES
