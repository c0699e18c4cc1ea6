"""The workflow actions: each one's happy path, its event, and every refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.cases import actions
from shuren.cases.models import Case, CaseEvent, OverdueFlag, ResolutionMethod, Status, Tier
from shuren.cases.tests.conftest import MONDAY, sh
from shuren.cases.workflow.transitions import TRANSITIONS, Action, CaseTransitionError
from shuren.kernel.versions import StaleVersion
from shuren.notify.models import Notification
from shuren.testing import deliver


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


def last_event(case: Case) -> CaseEvent:
    return case.events.order_by("pk").last()


def notified(case: Case, kind: str) -> set[str]:
    deliver()
    return set(
        Notification.objects.filter(object_id=str(case.pk), kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


class TestAccept:
    def test_the_leader_accepts_a_case_in_their_building(self, world, report):
        case = report()
        case = actions.accept_case(actor=world.user("demo-louzhang"), case=case, at=MONDAY)
        assert case.status == Status.ACCEPTED
        assert case.accepted_at == MONDAY
        assert case.version == 2
        assert kinds(case) == ["reported", "accepted"]

    def test_the_leader_of_another_building_may_not(self, world, report):
        case = report()
        with pytest.raises(PermissionDenied):
            actions.accept_case(actor=world.user("demo-louzhang2"), case=case)
        case.refresh_from_db()
        assert (case.status, case.version) == (Status.REPORTED, 1)

    def test_accepting_twice_is_refused_in_plain_chinese(self, world, report):
        leader = world.user("demo-louzhang")
        case = actions.accept_case(actor=leader, case=report())
        with pytest.raises(CaseTransitionError) as err:
            actions.accept_case(actor=leader, case=case)
        assert err.value.code == "illegal_transition"
        assert err.value.messages == ["不能受理状态为“已受理”的事项。"]
        assert kinds(case) == ["reported", "accepted"]

    def test_a_stale_version_is_refused_and_nothing_changes(self, world, report):
        case = report()
        actions.add_note(actor=world.user("demo-louzhang"), case=case, note="已电话联系")
        with pytest.raises(StaleVersion) as err:
            actions.accept_case(actor=world.user("demo-louzhang"), case=case, expected_version=1)
        assert err.value.current == 2
        case.refresh_from_db()
        assert case.status == Status.REPORTED


class TestAssign:
    def test_community_staff_dispatch_to_the_property_company(self, world, report):
        case = report()
        team = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=case, team=team)
        assert case.status == Status.IN_PROGRESS
        assert case.assignee_team == team
        assert case.assignee_person is None
        assert case.accepted_at is not None  # dispatching accepts on the way
        assert case.current_tier == Tier.BUILDING  # assigning does not move the tier
        assert notified(case, "case.assigned") == {"demo-wuye"}
        event = last_event(case)
        assert (event.kind, event.data["team_name"]) == ("assigned", "金域蓝湾物业服务中心")

    def test_to_the_mediation_workshop(self, world, report):
        from shuren.people.models import Team

        case = report()
        case = actions.assign_case(
            actor=world.user("demo-shequ"), case=case, team=Team.objects.get(code="T-SZM")
        )
        assert notified(case, "case.assigned") == {"demo-tiaojie"}

    def test_to_a_leader_in_person(self, world, report):
        case = report()
        case = actions.assign_case(
            actor=world.user("demo-shequ"), case=case, person=world.person("P-LZ1")
        )
        assert case.assignee_person == world.person("P-LZ1")
        assert notified(case, "case.assigned") == {"demo-louzhang"}

    def test_not_to_a_team_that_does_not_serve_the_place(self, world, report):
        from shuren.people.models import Team

        case = report()
        with pytest.raises(ValidationError) as err:
            actions.assign_case(
                actor=world.user("demo-shequ"), case=case, team=Team.objects.get(code="WY-JYZY")
            )
        assert err.value.code == "team_out_of_place"

    def test_a_leader_does_not_dispatch(self, world, report):
        with pytest.raises(PermissionDenied):
            actions.assign_case(
                actor=world.user("demo-louzhang"), case=report(), person=world.person("P-LZ2")
            )

    def test_someone_to_assign_to_is_required(self, world, report):
        with pytest.raises(ValidationError):
            actions.assign_case(actor=world.user("demo-shequ"), case=report())


class TestNote:
    def test_a_note_is_one_event_and_changes_no_state(self, world, report):
        case = actions.add_note(
            actor=world.user("demo-louzhang"), case=report(), note="下午去看过了"
        )
        assert case.status == Status.REPORTED
        assert case.version == 2
        assert last_event(case).note == "下午去看过了"

    def test_the_reporter_may_add_a_note(self, world, report):
        actions.add_note(actor=world.user("demo-resident"), case=report(), note="今天又有味道")

    def test_an_empty_note_is_refused(self, world, report):
        with pytest.raises(ValidationError):
            actions.add_note(actor=world.user("demo-louzhang"), case=report(), note=" ")


class TestReturn:
    def test_the_property_company_returns_a_case_with_a_reason(self, world, report):
        team = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=report(), team=team)
        case = actions.return_case(
            actor=world.user("demo-wuye"), case=case, reason="属于业主私人纠纷，非物业职责"
        )
        assert case.status == Status.ACCEPTED
        assert case.assignee_team is None
        event = last_event(case)
        assert (event.kind, event.note, event.data["team"]) == (
            "returned",
            "属于业主私人纠纷，非物业职责",
            team.pk,
        )
        # The tier that holds the case hears of it.
        assert notified(case, "case.returned") == {"demo-louzhang"}

    def test_a_reason_is_required(self, world, report):
        team = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=report(), team=team)
        with pytest.raises(ValidationError) as err:
            actions.return_case(actor=world.user("demo-wuye"), case=case, reason="")
        assert err.value.messages == ["请说明退单的理由。"]

    def test_only_the_assignee_returns(self, world, report):
        team = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=report(), team=team)
        with pytest.raises(PermissionDenied):
            actions.return_case(actor=world.user("demo-louzhang"), case=case, reason="不是我")


class TestResolveAndFollowUp:
    def test_the_leader_settles_on_the_spot(self, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"),
            case=report(),
            method=ResolutionMethod.ON_THE_SPOT,
            summary="上门劝说，已把咸鱼移到天台",
            at=sh(2026, 3, 2, 15),
        )
        assert case.status == Status.RESOLVED
        assert case.settled_tier == Tier.BUILDING
        assert case.resolved_at == sh(2026, 3, 2, 15)
        assert case.resolved_on_time is True
        assert case.follow_up_due == sh(2026, 3, 3, 15)
        assert notified(case, "case.resolved") == {"demo-resident"}

    def test_a_summary_and_a_method_are_required(self, world, report):
        case = report()
        leader = world.user("demo-louzhang")
        with pytest.raises(ValidationError):
            actions.resolve_case(actor=leader, case=case, method="on_the_spot", summary="")
        with pytest.raises(ValidationError):
            actions.resolve_case(actor=leader, case=case, method="magic", summary="好了")

    def test_the_property_company_resolves_what_is_assigned_to_it(self, world, report):
        team = world.place("GC-JD-JYLW").property_company
        case = report()
        case = actions.escalate_case(
            actor=world.user("demo-louzhang"), case=case, reason="涉及公共管道", to_tier=3
        )
        case = actions.assign_case(actor=world.user("demo-shequ"), case=case, team=team)
        case = actions.resolve_case(
            actor=world.user("demo-wuye"),
            case=case,
            method=ResolutionMethod.PROPERTY_REPAIR,
            summary="更换了公共排水管",
        )
        assert case.settled_tier == Tier.COMMUNITY

    def test_the_satisfied_reporter_follows_up_and_staff_close(self, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        case = actions.follow_up_case(
            actor=world.user("demo-resident"), case=case, satisfied=True, note="很满意"
        )
        assert (case.status, case.satisfied) == (Status.FOLLOWED_UP, True)
        case = actions.close_case(actor=world.user("demo-shequ"), case=case)
        assert case.status == Status.CLOSED
        assert case.closed_at is not None
        assert kinds(case) == ["reported", "resolved", "followed_up", "closed"]

    def test_an_unsatisfied_follow_up_reopens_the_case(self, world, report):
        team = world.place("GC-JD-JYLW").property_company
        case = actions.assign_case(actor=world.user("demo-shequ"), case=report(), team=team)
        case = actions.resolve_case(
            actor=world.user("demo-wuye"),
            case=case,
            method="property_repair",
            summary="已修",
            at=sh(2026, 3, 4, 10),
        )
        case = actions.follow_up_case(
            actor=world.user("demo-resident"),
            case=case,
            satisfied=False,
            note="还在漏",
            at=sh(2026, 3, 5, 10),
        )
        assert case.status == Status.IN_PROGRESS
        assert (case.reopened_count, case.satisfied) == (1, False)
        assert case.settled_tier is None
        assert case.resolved_at is None
        assert case.resolve_due == sh(2026, 3, 26, 10)  # a new 15 working days from today
        event = last_event(case)
        assert (event.kind, event.data["previous_summary"]) == ("reopened", "已修")
        assert notified(case, "case.reopened") == {"demo-wuye"}

    def test_someone_else_may_not_rate_the_case(self, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        with pytest.raises(PermissionDenied):
            actions.follow_up_case(actor=world.user("demo-louzhang2"), case=case, satisfied=True)

    def test_community_staff_record_the_answer_the_reporter_gave_them_by_phone(self, world, report):
        case = actions.resolve_case(
            actor=world.user("demo-louzhang"), case=report(), method="on_the_spot", summary="好了"
        )
        with pytest.raises(PermissionDenied):
            actions.follow_up_case(actor=world.user("demo-shequ"), case=case, satisfied=True)
        case = actions.rate_on_behalf(
            actor=world.user("demo-shequ"), case=case, satisfied=True, via="phone"
        )
        assert case.status == Status.FOLLOWED_UP
        assert last_event(case).kind == "rated_behalf"


class TestMergeAndReject:
    def test_a_duplicate_merges_into_the_open_case(self, world, report):
        first, second = report(), report("demo-louzhang", "GC-JD-JYLW-B01")
        shequ = world.user("demo-shequ")
        second = actions.merge_case(actor=shequ, case=second, into=first, reason="同一件事")
        assert second.status == Status.MERGED
        assert second.merged_into == first
        assert last_event(second).data["into_number"] == first.number
        assert list(first.merged_cases.all()) == [second]

    def test_not_into_itself(self, world, report):
        case = report()
        with pytest.raises(ValidationError) as err:
            actions.merge_case(actor=world.user("demo-shequ"), case=case, into=case)
        assert err.value.code == "same_case"

    def test_not_into_a_closed_case(self, world, report):
        first = actions.reject_case(actor=world.user("demo-shequ"), case=report(), reason="重复")
        with pytest.raises(ValidationError) as err:
            actions.merge_case(actor=world.user("demo-shequ"), case=report(), into=first)
        assert err.value.code == "target_not_open"

    def test_community_staff_reject_with_a_reason_and_the_reporter_is_told(self, world, report):
        case = actions.reject_case(
            actor=world.user("demo-shequ"), case=report(), reason="属于民事诉讼范围"
        )
        assert case.status == Status.REJECTED
        assert case.overdue == OverdueFlag.NONE
        assert notified(case, "case.rejected") == {"demo-resident"}

    def test_a_leader_may_not_reject(self, world, report):
        with pytest.raises(PermissionDenied):
            actions.reject_case(actor=world.user("demo-louzhang"), case=report(), reason="x")

    def test_a_reason_is_required_to_reject(self, world, report):
        with pytest.raises(ValidationError):
            actions.reject_case(actor=world.user("demo-shequ"), case=report(), reason="")


# Drive a fresh case into each status through the actions themselves.
def _case_in(status: str, world, report) -> Case:
    shequ, leader = world.user("demo-shequ"), world.user("demo-louzhang")
    case = report()
    if status == Status.REPORTED:
        return case
    if status == Status.ACCEPTED:
        return actions.accept_case(actor=leader, case=case)
    if status == Status.IN_PROGRESS:
        return actions.assign_case(actor=shequ, case=case, person=world.person("P-LZ1"))
    if status == Status.REJECTED:
        return actions.reject_case(actor=shequ, case=case, reason="不属实")
    if status == Status.MERGED:
        return actions.merge_case(actor=shequ, case=case, into=report())
    case = actions.resolve_case(actor=leader, case=case, method="on_the_spot", summary="好了")
    if status == Status.RESOLVED:
        return case
    case = actions.follow_up_case(actor=world.user("demo-resident"), case=case, satisfied=True)
    if status == Status.FOLLOWED_UP:
        return case
    return actions.close_case(actor=shequ, case=case)


def _attempt(action: str, case: Case, world, report) -> None:
    shequ = None  # the system: the state machine alone decides, whoever may act
    call = {
        Action.ACCEPT: lambda: actions.accept_case(actor=shequ, case=case),
        Action.ASSIGN: lambda: actions.assign_case(
            actor=shequ, case=case, person=world.person("P-LZ1")
        ),
        Action.ESCALATE: lambda: actions.escalate_case(actor=shequ, case=case, reason="r"),
        Action.RETURN: lambda: actions.return_case(actor=shequ, case=case, reason="r"),
        Action.RESOLVE: lambda: actions.resolve_case(
            actor=shequ, case=case, method="on_the_spot", summary="s"
        ),
        Action.FOLLOW_UP_SATISFIED: lambda: actions.follow_up_case(
            actor=shequ, case=case, satisfied=True
        ),
        Action.FOLLOW_UP_UNSATISFIED: lambda: actions.follow_up_case(
            actor=shequ, case=case, satisfied=False
        ),
        Action.CLOSE: lambda: actions.close_case(actor=shequ, case=case),
        Action.MERGE: lambda: actions.merge_case(actor=shequ, case=case, into=report()),
        Action.REJECT: lambda: actions.reject_case(actor=shequ, case=case, reason="r"),
    }[action]
    call()


ILLEGAL = [
    (action, status)
    for action in Action.values
    if action != Action.ADD_NOTE
    for status in Status.values
    if status not in TRANSITIONS[action]
]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(action, status, world, report):
    case = _case_in(status, world, report)
    before = (case.status, case.version, case.events.count())
    with pytest.raises(CaseTransitionError) as err:
        _attempt(action, case, world, report)
    assert err.value.code == "illegal_transition"
    assert str(Status(status).label) in err.value.messages[0]
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == before


@pytest.mark.parametrize("status", Status.values)
def test_a_note_may_be_added_in_every_status(status, world, report):
    case = _case_in(status, world, report)
    events = case.events.count()
    actions.add_note(actor=world.user("demo-shequ"), case=case, note="备注")
    assert case.events.count() == events + 1


def test_each_action_writes_exactly_one_event(world, report):
    shequ, leader = world.user("demo-shequ"), world.user("demo-louzhang")
    resident = world.user("demo-resident")
    team = world.place("GC-JD-JYLW").property_company
    case = report()
    steps = [
        lambda c: actions.accept_case(actor=leader, case=c),
        lambda c: actions.add_note(actor=leader, case=c, note="n"),
        lambda c: actions.escalate_case(actor=leader, case=c, reason="r"),
        lambda c: actions.assign_case(actor=shequ, case=c, team=team),
        lambda c: actions.return_case(actor=world.user("demo-wuye"), case=c, reason="r"),
        lambda c: actions.resolve_case(actor=shequ, case=c, method="mediation", summary="s"),
        lambda c: actions.follow_up_case(actor=resident, case=c, satisfied=False),
        lambda c: actions.resolve_case(actor=shequ, case=c, method="mediation", summary="s"),
        lambda c: actions.rate_on_behalf(actor=leader, case=c, satisfied=True, via="in_person"),
        lambda c: actions.close_case(actor=shequ, case=c),
    ]
    for step in steps:
        events, version = case.events.count(), case.version
        case = step(case)
        assert case.events.count() == events + 1
        assert case.version == version + 1
    assert kinds(case) == [
        "reported",
        "accepted",
        "noted",
        "escalated",
        "assigned",
        "returned",
        "resolved",
        "reopened",
        "resolved",
        "rated_behalf",
        "closed",
    ]


def test_the_timeline_records_states_tiers_and_actors(world, report):
    leader = world.user("demo-louzhang")
    case = actions.escalate_case(actor=leader, case=report(), reason="楼长调解不成", to_tier=3)
    event = last_event(case)
    assert (event.actor, event.from_status, event.to_status) == (leader, "reported", "reported")
    assert (event.from_tier, event.to_tier, event.note) == (1, 3, "楼长调解不成")


def test_a_view_can_pass_an_anonymous_user_and_is_refused(report):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.accept_case(actor=AnonymousUser(), case=report())  # type: ignore[arg-type]


def test_whoever_accepts_a_matter_nobody_has_becomes_its_assignee(report, world):
    leader = world.user("demo-louzhang")
    case = actions.accept_case(actor=leader, case=report())
    assert case.assignee_person_id == leader.person_id
    assert case.events.get(kind="accepted").data == {"person": leader.person_id}
