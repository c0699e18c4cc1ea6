"""A property company sees what it handles, not the neighbourhood (issue 9, item 6).

It sees the matters assigned to it and those that are or were at the estate tier with it in its
estates; public security skips the estate tier; a complaint about the property service goes to
the owners' committee or self-governance group where there is one, else the community, and the
company complained about is never told, dispatched or allowed to settle it.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.cases.actions import assign_case, escalate_case, resolve_case
from shuren.cases.choices import EstateTier
from shuren.cases.estate import estate_tier_of
from shuren.cases.inbox.queries import InboxKind, inbox_cases, inboxes_for, page_of
from shuren.cases.intake.duplicates import similar_cases
from shuren.cases.intake.history import HistoricalCase, HistoricalStep, load_settled_history
from shuren.cases.models import Case, CaseEvent, Category
from shuren.cases.reference import forget
from shuren.cases.responsible import dispatch_choices
from shuren.cases.rules import available_actions
from shuren.cases.tests.conftest import MONDAY
from shuren.notify.models import Notification
from shuren.people.models import Person, Post, Team
from shuren.people.roles import Role
from shuren.places.models import Place
from shuren.testing import START, deliver


def sees(world, username: str, case: Case) -> bool:
    return Case.objects.visible_to(world.user(username)).filter(pk=case.pk).exists()


def told(case: Case, kind: str) -> set[str]:
    deliver()
    return set(
        Notification.objects.filter(object_id=str(case.pk), kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def company(world) -> Team:
    return world.place("GC-JD-JYLW").property_company


@pytest.fixture
def committee(world, django_user_model):
    """An owners' committee member for 金域蓝湾, with a login."""
    person = Person.objects.create(code="P-YWH", name="业委会老周", phone="13100000099")
    Post.objects.create(
        person=person, role=Role.YEWEIHUI, place=world.place("GC-JD-JYLW"), starts_on=START
    )
    return django_user_model.objects.create(username="demo-yeweihui", person=person)


# --- What the company sees ----------------------------------------------------------------------


def test_a_property_company_sees_none_of_its_estates_matters_at_the_building_tier(world, report):
    quarrel = report("demo-resident", "GC-JD-JYLW-B01-U1", category_code="neighbour-noise")
    assert not sees(world, "demo-wuye", quarrel)
    assert not world.user("demo-wuye").has_perm("cases.view_case", quarrel)
    assert available_actions(world.user("demo-wuye"), quarrel) == []
    assert sees(world, "demo-louzhang", quarrel)  # its leader does
    assert sees(world, "demo-shequ", quarrel)  # and the community


def test_the_company_sees_a_matter_once_it_reaches_the_estate_tier_and_keeps_it(world, report):
    case = report(category_code="facilities", title="1栋门禁坏了")
    case = escalate_case(actor=world.user("demo-louzhang"), case=case, reason="需要物业维修")
    assert case.current_tier == 2
    assert case.estate_company == world.place("GC-JD-JYLW").property_company
    assert told(case, "case.escalated") == {"demo-wuye", "demo-resident"}
    assert sees(world, "demo-wuye", case)
    assert "resolve" in available_actions(world.user("demo-wuye"), case)

    case = escalate_case(actor=world.user("demo-wuye"), case=case, reason="需社区协调", to_tier=3)
    assert sees(world, "demo-wuye", case)  # it was at the estate tier with the company
    # But it is not its work now: it follows it (经手的) and may add a note, no more.
    assert available_actions(world.user("demo-wuye"), case) == ["note"]


def test_a_matter_sent_straight_past_the_estate_tier_is_not_the_companys(world, report):
    case = report(category_code="facilities")
    case = escalate_case(actor=world.user("demo-louzhang"), case=case, reason="r", to_tier=3)
    assert case.estate_company is None
    assert not sees(world, "demo-wuye", case)


def test_the_company_sees_what_is_assigned_to_it_while_it_is(world, report, company):
    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=3)
    case = assign_case(actor=world.user("demo-shequ"), case=case, team=company)
    assert sees(world, "demo-wuye", case)
    assert world.user("demo-wuye").has_perm("cases.resolve_case", case)


def test_another_estates_company_sees_nothing_of_this_one(world, report):
    case = report(category_code="facilities")
    case = escalate_case(actor=world.user("demo-louzhang"), case=case, reason="r")
    vanke = Person.objects.create(code="P-VK", name="万科客服", phone="13100000098")
    Post.objects.create(
        person=vanke, role=Role.WUYE, team=Team.objects.get(code="WY-JYZY"), starts_on=START
    )
    user = type(world.user("demo-wuye")).objects.create(username="vanke", person=vanke)
    assert not Case.objects.visible_to(user).filter(pk=case.pk).exists()


# --- Public security skips the estate tier ------------------------------------------------------


def test_public_security_goes_from_the_building_straight_to_the_community(world, report):
    burglary = report(category_code="security", title="昨晚2栋有人撬门")
    assert estate_tier_of(burglary.category) == EstateTier.SKIP
    burglary = escalate_case(actor=world.user("demo-louzhang"), case=burglary, reason="报警了")
    assert (burglary.current_tier, burglary.estate_company) == (3, None)
    assert "demo-wuye" not in told(burglary, "case.escalated")
    assert told(burglary, "case.escalated") >= {"demo-shequ", "demo-wangge"}
    assert not sees(world, "demo-wuye", burglary)


def test_public_security_is_never_sent_to_the_estate_tier_on_purpose(world, report):
    burglary = report(category_code="security")
    with pytest.raises(ValidationError) as refused:
        escalate_case(actor=world.user("demo-louzhang"), case=burglary, reason="r", to_tier=2)
    # The estate tier is not among the tiers offered for it (workflow/escalation.py).
    assert refused.value.error_dict["to_tier"][0].code == "tier_not_allowed"
    assert Case.objects.get(pk=burglary.pk).current_tier == 1


def test_a_report_where_no_leader_answers_enters_at_the_community_for_public_security(
    world, report
):
    # The old village has no 楼长 and no property company, but a self-governance group.
    case = report("demo-shequ", "GC-JD-JDXC-B01", category_code="security", channel="phone")
    assert case.current_tier == 3


# --- A complaint about the property service -----------------------------------------------------


def test_a_complaint_about_the_property_service_skips_the_company_to_the_community(world, report):
    complaint = report(category_code="property", title="物业收费不透明")
    complaint = escalate_case(actor=world.user("demo-louzhang"), case=complaint, reason="r")
    assert (complaint.current_tier, complaint.estate_company) == (3, None)
    assert "demo-wuye" not in told(complaint, "case.escalated")
    assert not sees(world, "demo-wuye", complaint)


def test_it_goes_to_the_owners_committee_where_there_is_one(world, report, committee):
    complaint = report(category_code="property", title="物业收费不透明")
    complaint = escalate_case(actor=world.user("demo-louzhang"), case=complaint, reason="r")
    assert (complaint.current_tier, complaint.estate_company) == (2, None)
    # The committee, and the resident who reported it (in their own words); not the company.
    assert told(complaint, "case.escalated") == {"demo-yeweihui", "demo-resident"}
    assert not sees(world, "demo-wuye", complaint)
    resolve_case(
        actor=committee, case=complaint, method="mediation", summary="业委会约谈物业，公示收费"
    )


def test_it_is_not_sent_to_an_estate_tier_with_nobody_but_the_company(world, report):
    complaint = report(category_code="property")
    with pytest.raises(ValidationError) as refused:
        escalate_case(actor=world.user("demo-louzhang"), case=complaint, reason="r", to_tier=2)
    # Nobody but the company answers there, so the estate tier is not offered for it.
    assert refused.value.error_dict["to_tier"][0].code == "tier_not_allowed"


def test_the_company_complained_about_is_never_dispatched_the_complaint(world, report, company):
    complaint = escalate_case(
        actor=world.user("demo-louzhang"), case=report(category_code="property"), reason="r"
    )
    shequ = world.user("demo-shequ")
    with pytest.raises(ValidationError) as refused:
        assign_case(actor=shequ, case=complaint, team=company)
    assert refused.value.code == "complaint_about_company"
    with pytest.raises(ValidationError):
        assign_case(actor=shequ, case=complaint, person=world.person("P-WY"))
    people, teams = dispatch_choices(shequ, complaint)
    assert company.pk not in [pk for pk, _label in teams]
    assert world.person("P-WY").pk not in [pk for pk, _label in people]
    assert not CaseEvent.objects.filter(case=complaint, kind="assigned").exists()


def test_the_company_never_settles_a_complaint_about_itself_it_holds(world, report, company):
    """Even one it was given before the policy named the category (the admin may change it)."""
    case = escalate_case(
        actor=world.user("demo-louzhang"), case=report(category_code="facilities"), reason="r"
    )
    case = escalate_case(actor=world.user("demo-wuye"), case=case, reason="r", to_tier=3)
    case = assign_case(actor=world.user("demo-shequ"), case=case, team=company)
    wuye = world.user("demo-wuye")
    assert wuye.has_perm("cases.resolve_case", case)
    Category.objects.filter(code="facilities").update(estate_tier=EstateTier.WITHOUT_COMPANY)
    forget()
    wuye = world.user("demo-wuye")  # a new request
    for perm in ("accept", "resolve", "close", "escalate", "return", "assign", "reject"):
        assert not wuye.has_perm(f"cases.{perm}_case", case), perm
    with pytest.raises(PermissionDenied):
        resolve_case(actor=wuye, case=case, method="property_repair", summary="修好了")


def test_the_company_may_not_enter_a_complaint_about_itself_at_its_own_tier(world, report):
    with pytest.raises(PermissionDenied) as refused:
        report("demo-wuye", "GC-JD-JYLW", category_code="property", tier=2)
    assert str(refused.value) == "您不能在这一层级登记事项。"
    case = report("demo-wuye", "GC-JD-JYLW", category_code="facilities", tier=2)
    assert case.estate_company == world.place("GC-JD-JYLW").property_company


def test_a_sub_category_follows_its_parent_where_the_parent_is_stricter(world):
    Category.objects.filter(code="neighbour").update(estate_tier=EstateTier.SKIP)
    forget()
    assert estate_tier_of(Category.objects.get(code="neighbour-noise")) == EstateTier.SKIP
    Category.objects.filter(code="neighbour").update(estate_tier=EstateTier.ALL)
    Category.objects.filter(code="neighbour-noise").update(estate_tier=EstateTier.SKIP)
    forget()
    assert estate_tier_of(Category.objects.get(code="neighbour-noise")) == EstateTier.SKIP
    assert estate_tier_of(Category.objects.get(code="neighbour-leak").pk) == EstateTier.ALL


# --- Every face: inbox, search, duplicate hint, API, page ---------------------------------------


def test_the_companys_inbox_holds_its_estate_tier_work_and_what_it_was_given(
    world, report, company, django_assert_num_queries
):
    report(title="楼下晒咸鱼，气味很大")  # tier 1: the leader's
    at_estate = escalate_case(
        actor=world.user("demo-louzhang"), case=report(category_code="facilities"), reason="r"
    )
    given = assign_case(
        actor=world.user("demo-shequ"),
        case=escalate_case(
            actor=world.user("demo-louzhang2"),
            case=report("demo-louzhang2", "GC-JD-JYLW-B02", category_code="sanitation"),
            reason="r",
            to_tier=3,
        ),
        team=company,
    )
    wuye = world.user("demo-wuye")
    inbox = next(i for i in inboxes_for(wuye) if i.kind == InboxKind.ASSIGNED)
    listed = set(inbox_cases(wuye, inbox).values_list("pk", flat=True))
    assert listed == {at_estate.pk, given.pk}
    wuye = world.user("demo-wuye")
    inbox = next(i for i in inboxes_for(wuye) if i.kind == InboxKind.ASSIGNED)
    with django_assert_num_queries(2):  # the page's ids with its count, then its rows
        page = page_of(inbox_cases(wuye, inbox), 1)
    assert page.count == 2


def test_search_and_the_duplicate_hint_show_the_company_only_its_own(world, report):
    fish = report(title="楼下晒咸鱼，气味很大")
    wuye = world.user("demo-wuye")
    hint = similar_cases(
        user=wuye,
        place=fish.place,
        category=fish.category,
        title="楼下晒咸鱼，味道很大",
        now=fish.reported_at,
    )
    assert hint == []
    assert [
        s.case.pk
        for s in similar_cases(
            user=world.user("demo-louzhang"),
            place=fish.place,
            category=fish.category,
            title="楼下晒咸鱼，味道很大",
            now=fish.reported_at,
        )
    ] == [fish.pk]


def test_the_api_and_the_page_answer_the_company_404_for_a_neighbours_quarrel(
    client, world, report
):
    quarrel = report(category_code="neighbour-noise", title="楼上半夜跳绳")
    client.force_login(world.user("demo-wuye"))
    assert client.get(f"/cases/{quarrel.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{quarrel.pk}").status_code == 404
    listed = client.get("/api/v1/cases", {"q": "跳绳"}).json()
    assert listed["count"] == 0
    assert client.get("/cases/", {"q": "跳绳", "status": "all"}).status_code == 200
    assert "楼上半夜跳绳" not in client.get("/cases/", {"q": "跳绳", "status": "all"}).text


def test_a_party_reads_no_reporter_in_the_api_as_on_the_page(client, world, report):
    zhao = world.person("P-ZHAO")
    case = report(
        "demo-shequ",
        "GC-JD-JYLW-B02",
        channel="phone",
        reporter=world.person("P-CHEN"),
        parties=[(zhao, "respondent")],
    )
    party = type(world.user("demo-wuye")).objects.create(username="zhao", person=zhao)
    client.force_login(party)
    body = client.get(f"/api/v1/cases/{case.pk}").json()
    assert body["reporter"] is None
    assert body["events"][0]["actor"] == ""
    client.force_login(world.user("demo-shequ"))
    assert client.get(f"/api/v1/cases/{case.pk}").json()["reporter"]["name"] == "陈美玲"


def test_a_matter_handed_back_stays_in_the_companys_handled_list(client, world, report, company):
    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=3)
    case = assign_case(actor=world.user("demo-shequ"), case=case, team=company)
    client.force_login(world.user("demo-wuye"))
    response = client.post(
        f"/cases/{case.pk}/return/", {"version": case.version, "reason": "不属于物业服务范围"}
    )
    assert response.status_code == 302
    # It handled the matter (经手的): it follows it from there, and may add notes, no more.
    assert response["Location"] == f"/cases/{case.pk}/"
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    case.refresh_from_db()
    assert available_actions(world.user("demo-wuye"), case) == ["note"]


# --- History and the migration ------------------------------------------------------------------


def test_the_migration_gives_the_company_what_was_at_its_tier_and_keeps_the_rest(world, report):
    at_estate = escalate_case(
        actor=world.user("demo-louzhang"), case=report(category_code="facilities"), reason="r"
    )
    security = report(category_code="security")
    Case.objects.filter(pk=security.pk).update(current_tier=2, max_tier=2)
    tier1 = report()
    Case.objects.update(estate_company=None)
    Category.objects.update(estate_tier=EstateTier.ALL)
    migration = importlib.import_module("shuren.cases.migrations.0008_estate_tier_policy")
    migration.set_policies_and_companies(apps, None)
    company = world.place("GC-JD-JYLW").property_company
    assert Case.objects.get(pk=at_estate.pk).estate_company == company
    assert Case.objects.get(pk=security.pk).estate_company is None
    assert Case.objects.get(pk=tier1.pk).estate_company is None
    assert Category.objects.get(code="security").estate_tier == EstateTier.SKIP
    assert Category.objects.get(code="property").estate_tier == EstateTier.WITHOUT_COMPANY


def test_settled_history_gives_the_company_what_reached_it_at_the_estate_tier(world):
    def settled_at_the_estate(code: str) -> HistoricalCase:
        hour = dt.timedelta(hours=1)
        return HistoricalCase(
            place=world.place("GC-JD-JYLW-B01"),
            category=Category.objects.get(code=code),
            title=f"台账记录 {code}",
            reported_at=MONDAY,
            steps=[
                HistoricalStep(kind="escalated", at=MONDAY + hour, note="上报", to_tier=2),
                HistoricalStep(
                    kind="resolved", at=MONDAY + 5 * hour, method="mediation", note="已协调"
                ),
            ],
        )

    load_settled_history(
        rows=[settled_at_the_estate("facilities"), settled_at_the_estate("property")]
    )
    company = world.place("GC-JD-JYLW").property_company
    assert Case.objects.get(category__code="facilities").estate_company == company
    assert Case.objects.get(category__code="property").estate_company is None


def test_a_company_that_leaves_the_estate_keeps_its_record_but_handles_no_more(world, report):
    case = escalate_case(
        actor=world.user("demo-louzhang"), case=report(category_code="facilities"), reason="r"
    )
    assert "resolve" in available_actions(world.user("demo-wuye"), case)
    Place.objects.filter(code="GC-JD-JYLW").update(property_company=None)
    wuye = world.user("demo-wuye")  # a new request: the company manages no estate now
    assert sees(world, "demo-wuye", case)
    assert available_actions(wuye, case) == []
