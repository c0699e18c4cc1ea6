"""Who sees which case (visible_to) and who may do what (rules), role by role."""

from __future__ import annotations

import pytest

from shuren.cases.actions import assign_case
from shuren.cases.models import Case
from shuren.people.models import Membership, Team
from shuren.testing import ROLE_USERS

EVERYONE = (*ROLE_USERS, "nobody")


@pytest.fixture
def cases(world, report):
    """One case in each corner of the world, named by where it is."""
    return {
        "b01": report("demo-resident", "GC-JD-JYLW-B01-U1"),
        "b02": report("demo-louzhang2", "GC-JD-JYLW-B02", title="2栋电梯异响"),
        "jdxc": report("demo-shequ", "GC-JD-JDXC-B01", title="旧村下水道堵塞"),
        "tc": report("demo-shequ2", "GC-TC-JYZY-T1-F01", title="T1栋外墙掉砖"),
        "lane": report("demo-xiangzhang", "GC-JB-L01-B01", title="巷口积水"),
    }


def seen_by(username: str, world, cases) -> set[str]:
    visible = set(Case.objects.visible_to(world.user(username)).values_list("pk", flat=True))
    return {name for name, case in cases.items() if case.pk in visible}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("demo-resident", {"b01"}),  # only what they reported, not the neighbours' matters
        ("demo-louzhang", {"b01"}),  # own building only
        ("demo-louzhang2", {"b02"}),
        ("demo-xiangzhang", {"lane"}),
        ("demo-jiezhang", set()),
        ("demo-shequ", {"b01", "b02", "jdxc"}),  # the whole community
        ("demo-shequ2", {"tc"}),
        ("demo-wangge", {"b01", "b02", "jdxc"}),
        ("demo-tiaojie", {"b01", "b02", "jdxc", "tc"}),  # the communities the workshop serves
        # None of its estate's matters at the building tier: only what it handles (below).
        ("demo-wuye", set()),
        ("demo-jiedao", {"b01", "b02", "jdxc", "tc", "lane"}),
        ("demo-admin", set()),  # 三员分立: no residents' matters
        ("demo-auditor", set()),
        ("demo-secadmin", set()),
        ("nobody", set()),
    ],
)
def test_each_role_sees_its_cases(username, expected, world, cases):
    assert seen_by(username, world, cases) == expected


def test_an_anonymous_visitor_sees_nothing(cases):
    from django.contrib.auth.models import AnonymousUser

    assert not Case.objects.visible_to(AnonymousUser()).exists()


def test_a_resident_sees_a_case_they_are_party_to(world, report, cases):
    wang = world.person("P-WANG")
    case = report("demo-shequ", "GC-JD-JYLW-B02", channel="phone", parties=[(wang, "respondent")])
    assert Case.objects.visible_to(world.user("demo-resident")).filter(pk=case.pk).exists()


def test_a_person_sees_a_case_assigned_to_them_outside_their_scope(world, cases):
    assign_case(actor=world.user("demo-shequ2"), case=cases["tc"], person=world.person("P-LZ1"))
    assert seen_by("demo-louzhang", world, cases) == {"b01", "tc"}


def test_a_team_member_sees_the_cases_assigned_to_their_team(world, cases):
    team = Team.objects.get(code="T-JYLW-HMJ")  # 关爱红马甲
    Membership.objects.create(team=team, person=world.person("P-WANG"))
    assign_case(actor=world.user("demo-shequ"), case=cases["b02"], team=team)
    assert seen_by("demo-resident", world, cases) == {"b01", "b02"}


def test_a_recorder_sees_what_they_entered(world, report):
    case = report("demo-louzhang", "GC-JD-JYLW-B01", contact_name="路人")
    assert case.recorded_by == world.user("demo-louzhang")
    assert Case.objects.visible_to(world.user("demo-louzhang")).filter(pk=case.pk).exists()


# perm -> who may, for a fresh tier-1 case in building 1 reported by demo-resident (the
# property company of the estate: nothing, it is not the company's matter)
MATRIX = {
    "cases.view_case": {
        "demo-resident",
        "demo-louzhang",
        "demo-shequ",
        "demo-wangge",
        "demo-tiaojie",
        "demo-jiedao",
    },
    # The tier-1 steps are the leader's: the tiers above see, dispatch, screen, note and close
    # (the community acts for a leader only where they have no login: test_on_behalf.py).
    "cases.accept_case": {"demo-louzhang"},
    "cases.assign_case": {"demo-shequ", "demo-wangge", "demo-jiedao"},
    "cases.add_note": {
        "demo-resident",
        "demo-louzhang",
        "demo-shequ",
        "demo-wangge",
        "demo-jiedao",
    },
    "cases.escalate_case": {"demo-louzhang"},
    "cases.return_case": set(),  # nobody: it is not assigned
    "cases.resolve_case": {"demo-louzhang"},
    # The reporter rates; the building's leader and community staff record a rating for them.
    "cases.follow_up_case": {"demo-resident"},
    "cases.rate_on_behalf": {"demo-louzhang", "demo-shequ", "demo-wangge", "demo-jiedao"},
    "cases.close_case": {"demo-louzhang", "demo-shequ", "demo-wangge", "demo-jiedao"},
    "cases.merge_case": {"demo-shequ", "demo-wangge", "demo-jiedao"},
    "cases.reject_case": {"demo-shequ", "demo-wangge", "demo-jiedao"},
    # Staff who may unmask at the place (a party to the matter never: test_parties.py).
    "cases.reveal_contact_phone": {"demo-shequ", "demo-wangge", "demo-tiaojie", "demo-jiedao"},
}


@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix_for_a_tier_1_case(perm, world, report):
    case = report()
    allowed = {name for name in EVERYONE if world.user(name).has_perm(perm, case)}
    assert allowed == MATRIX[perm]


def test_every_case_permission_is_in_the_matrix():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("cases.")}
    assert registered - {"cases.report_case"} == set(MATRIX)


def test_whoever_may_view_a_case_finds_it_in_visible_to(world, report):
    """The rule and the QuerySet agree, so a detail page and a list never disagree."""
    case = report()
    for name in EVERYONE:
        user = world.user(name)
        listed = Case.objects.visible_to(user).filter(pk=case.pk).exists()
        assert listed == user.has_perm("cases.view_case", case), name


def test_the_property_company_handles_a_case_assigned_to_it_at_tier_3(world, report):
    from shuren.cases.actions import escalate_case

    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=3)
    wuye = world.user("demo-wuye")
    assert not wuye.has_perm("cases.resolve_case", case)
    case = assign_case(
        actor=world.user("demo-shequ"), case=case, team=world.place("GC-JD-JYLW").property_company
    )
    wuye = world.user("demo-wuye")
    assert wuye.has_perm("cases.resolve_case", case)
    assert wuye.has_perm("cases.return_case", case)
    assert not world.user("demo-louzhang").has_perm("cases.resolve_case", case)


def test_reporting_is_allowed_where_the_user_lives_or_holds_a_post(world):
    resident, leader = world.user("demo-resident"), world.user("demo-louzhang")
    assert resident.has_perm("cases.report_case", world.place("GC-JD-JYLW"))
    assert resident.has_perm("cases.report_case", world.place("GC-JD-JYLW-B01-U1"))
    assert not resident.has_perm("cases.report_case", world.place("GC-JD-JYLW-B02"))
    assert not resident.has_perm("cases.report_case", world.place("GC-JD"))
    assert leader.has_perm("cases.report_case", world.place("GC-JD-JYLW-B01-U1"))
    assert not leader.has_perm("cases.report_case", world.place("GC-JD-JYLW"))
