"""The project's own actions: register it, record the survey of intent, call its owners' vote
with its policy, agree the cost sharing, move it up its ladder one stage at a time, or stop it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.deliberation.elevators import law
from shuren.deliberation.elevators.audience import owner_users
from shuren.deliberation.elevators.choices import (
    CLOSED_STAGES,
    Consent,
    Electorate,
    EventKind,
    ObjectionStatus,
    Stage,
)
from shuren.deliberation.elevators.costs import CostError, share_costs
from shuren.deliberation.elevators.models import (
    AffectedOwner,
    ElevatorEvent,
    ElevatorProject,
    FloorWeight,
    Objection,
)
from shuren.deliberation.elevators.queries import households_by_floor
from shuren.deliberation.votes.calling import call_vote
from shuren.deliberation.votes.choices import Matter
from shuren.deliberation.votes.choices import Status as VoteStatus
from shuren.deliberation.votes.models import Vote
from shuren.kernel.action import Act, change, create
from shuren.kernel.outbox import Tell
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import ancestor_paths
from shuren.text import clean_text
from shuren.workdays.calendar import SHANGHAI

# What stops a step, in words (law.blockers' codes).
BLOCKED = {
    "last_stage": gettext_lazy("The elevator is in service: there is no further stage."),
    "stopped": gettext_lazy("The project was stopped: register a new one to start again."),
    "survey_missing": gettext_lazy("Record the survey of intent first."),
    "vote_not_counted": gettext_lazy("The owners' vote has not been called and counted yet."),
    "vote_not_passed": gettext_lazy(
        "The owners' vote did not pass: call a new vote, or leave the project where it is."
    ),
    "consent_refused": gettext_lazy(
        "An owner whose flat the works affect refused: the project cannot go on without that "
        "owner's consent."
    ),
    "consent_pending": gettext_lazy(
        "An owner whose flat the works affect has not consented yet: each must consent."
    ),
    "notice_running": gettext_lazy(
        "The public notice is still running: objections are taken until its last day."
    ),
    "objection_open": gettext_lazy(
        "An objection is still open: settle it (through its matter or mediation) first."
    ),
    "costs_missing": gettext_lazy(
        "Agree the total cost and the floor weights before construction starts."
    ),
}
COST_REFUSALS = {
    "total": gettext_lazy("The total cost must be a sum of yuan, to the fen, not negative."),
    "no_households": gettext_lazy("No households are registered in this stairwell."),
    "weight_negative": gettext_lazy("A floor weight cannot be negative."),
    "weights_zero": gettext_lazy("At least one floor must carry a share of the cost."),
}
MAX_TOTAL = Decimal("99999999.99")


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at, SHANGHAI).date()


def event(act: Act[ElevatorProject], kind: str, note: str = "", **data: Any) -> ElevatorEvent:
    project = act.subject
    return ElevatorEvent(
        project=project,
        kind=kind,
        from_stage=project.stage,
        to_stage=project.stage,
        actor=act.actor,
        at=act.at,
        note=note,
        data=data,
    )


def tell_owners(kind: str, project: ElevatorProject, actor: Any, **params: Any) -> Tell:
    return Tell.users(
        kind,
        owner_users(project),
        actor=actor,
        title=project.title,
        link=project.get_absolute_url(),
        **params,
    )


def electorate_place(project: ElevatorProject) -> Place:
    """Whose owners vote: the stairwell served, or (the policy) its whole building."""
    place = project.place
    if project.electorate == Electorate.BUILDING and place.kind == PlaceKind.UNIT:
        assert place.parent is not None
        return place.parent
    return place


def create_project(
    *,
    actor: Any,
    place: Place,
    title: str = "",
    matter: int = Matter.REBUILD,
    electorate: str = Electorate.PLACE,
    notice_days: int = 10,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """Register a project for a stairwell (or a building registered without stairwells)."""
    with create(actor=actor, perm="deliberation.create_elevator_project", on=place, at=at) as act:
        if place.kind == PlaceKind.BUILDING and place.children.filter(kind=PlaceKind.UNIT).exists():
            raise ValidationError(
                _("This building has stairwells: register the project for the stairwell served."),
                code="place",
            )
        if place.kind not in (PlaceKind.UNIT, PlaceKind.BUILDING):
            raise ValidationError(
                _("An elevator is added to a stairwell (or a building without stairwells)."),
                code="place",
            )
        if matter not in Matter.values:
            raise ValidationError(_("Choose one of the nine matters of Art. 278."), code="matter")
        if electorate not in Electorate.values:
            raise ValidationError(_("Choose whose owners vote."), code="electorate")
        if not 1 <= notice_days <= 60:
            raise ValidationError(
                _("The public notice runs between 1 and 60 days."), code="notice_days"
            )
        # The place's row is locked first, so two registrations at once (a form sent twice)
        # are taken one after the other and the second finds the first.
        Place.objects.select_for_update().filter(pk=place.pk).first()
        if ElevatorProject.objects.filter(place=place).exclude(stage__in=CLOSED_STAGES).exists():
            raise ValidationError(
                _("This stairwell already has a project under way."), code="duplicate"
            )
        estate = (
            Place.objects.filter(path__in=ancestor_paths(place.path), kind=PlaceKind.ESTATE)
            .only("pk")
            .first()
        )
        title = clean_text(title, 120) or _("%(place)s: adding an elevator") % {"place": place.name}
        project: ElevatorProject = act.created(
            ElevatorProject.objects.create(
                place=place,
                estate=estate,
                title=title,
                matter=matter,
                electorate=electorate,
                notice_days=notice_days,
                created_by=actor,
                created_at=act.at,
                stage_changed_at=act.at,
            )
        )
        act.record(
            event(act, EventKind.CREATED),
            tell=tell_owners("elevator.created", project, actor),
        )
        return project


def record_survey(
    *,
    actor: Any,
    project: ElevatorProject,
    asked: int,
    in_favour: int,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """The survey of intent: how many households were asked and how many want an elevator."""
    with change(
        ElevatorProject.objects.select_related("place"),
        project.pk,
        actor=actor,
        perm="deliberation.record_survey",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage != Stage.SURVEY:
            raise ValidationError(
                _("The survey of intent is recorded before the vote."), code="stage"
            )
        if asked < 1 or in_favour < 0 or in_favour > asked:
            raise ValidationError(
                _("Those in favour are between none and all of the households asked."),
                code="survey",
            )
        project.survey_asked, project.survey_in_favour = asked, in_favour
        project.survey_note = clean_text(note, 2000)
        project.surveyed_on = local_day(act.at)
        act.save(["survey_asked", "survey_in_favour", "survey_note", "surveyed_on"])
        act.record(
            event(act, EventKind.SURVEYED, project.survey_note, asked=asked, in_favour=in_favour)
        )
        return project


def call_project_vote(
    *,
    actor: Any,
    project: ElevatorProject,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """Call the owners' vote with the project's policy (its matter, its electorate): the vote's
    own notice and electorate (votes.calling), and the project's step, together or not at all."""
    with change(
        ElevatorProject.objects.select_related("place", "vote"),
        project.pk,
        actor=actor,
        perm="deliberation.call_project_vote",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage != Stage.VOTE:
            raise ValidationError(_("The vote is called in the vote stage."), code="stage")
        current = project.vote
        if current is not None and (
            current.status == VoteStatus.ANNOUNCED
            or (current.status == VoteStatus.CLOSED and current.passed)
        ):
            raise ValidationError(
                _("This project's vote is under way or has passed."), code="vote_exists"
            )
        vote: Vote = call_vote(
            actor=actor,
            place=electorate_place(project),
            matter=project.matter,
            title=project.title,
            description=_(
                "The owners decide whether to add an elevator to %(place)s (Art. 278, "
                "matter %(matter)d)."
            )
            % {"place": project.place.name, "matter": project.matter},
            opens_at=opens_at,
            closes_at=closes_at,
            at=act.at,
        )
        project.vote = vote
        act.save(["vote"])
        act.record(event(act, EventKind.VOTE_CALLED, vote=vote.pk))
        return project


def parse_weights(raw: Mapping[Any, Any]) -> dict[int, Decimal]:
    """Floor weights from a form or the API: floor -> weight, each a number."""
    weights: dict[int, Decimal] = {}
    for floor, weight in raw.items():
        try:
            weights[int(floor)] = Decimal(str(weight).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError(
                _("Each floor's weight must be a number."), code="weight"
            ) from None
    return weights


def agree_costs(
    *,
    actor: Any,
    project: ElevatorProject,
    total: Decimal,
    weights: Mapping[int, Decimal],
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """Record the total cost and the floor weights the owners agreed; every household's floor
    must carry a weight, so the table shown to them sums exactly to the total."""
    with change(
        ElevatorProject.objects.select_related("place"),
        project.pk,
        actor=actor,
        perm="deliberation.agree_costs",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage == Stage.STOPPED:
            raise ValidationError(BLOCKED["stopped"], code="stopped")
        if project.stage in (Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.IN_SERVICE):
            raise ValidationError(
                _("The cost sharing is agreed before construction starts."), code="stage"
            )
        if not total.is_finite() or total > MAX_TOTAL:
            raise ValidationError(COST_REFUSALS["total"], code="total")
        by_floor, unknown = households_by_floor(project.place)
        if unknown:
            raise ValidationError(
                _("The floor of %(rooms)s is not on the register: complete it first.")
                % {"rooms": "、".join(unknown[:10])},
                code="floor_unknown",
            )
        try:
            share_costs(total, by_floor, weights)
        except CostError as refused:
            if refused.code == "weight_missing":
                raise ValidationError(
                    _("Give a weight for floor %(floors)s.")
                    % {"floors": "、".join(str(f) for f in refused.floors)},
                    code="weight_missing",
                ) from None
            raise ValidationError(COST_REFUSALS[refused.code], code=refused.code) from None
        FloorWeight.objects.filter(project=project).delete()
        FloorWeight.objects.bulk_create(
            FloorWeight(project=project, floor=floor, weight=weight)
            for floor, weight in sorted(weights.items())
            if floor in by_floor
        )
        project.total_cost = total
        act.save(["total_cost"])
        act.record(
            event(act, EventKind.COSTS, total=str(total)),
            tell=tell_owners("elevator.costs", project, actor, total=f"{total:.2f}"),
        )
        return project


def facts_of(project: ElevatorProject, today: dt.date) -> law.Facts:
    """What the ladder reads of the project now (a few counts)."""
    consents = list(AffectedOwner.objects.filter(project=project).values_list("consent", flat=True))
    vote = project.vote
    passed = vote.passed if vote is not None and vote.status == VoteStatus.CLOSED else None
    return law.Facts(
        stage=project.stage,
        surveyed=project.surveyed_on is not None,
        vote_passed=passed,
        consents_pending=consents.count(Consent.PENDING),
        consents_refused=consents.count(Consent.REFUSED),
        today=today,
        notice_ends_on=project.notice_ends_on,
        open_objections=Objection.objects.filter(
            project=project, status=ObjectionStatus.OPEN
        ).count(),
        costs_agreed=project.total_cost is not None,
    )


def advance_project(
    *,
    actor: Any,
    project: ElevatorProject,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """Move the project to its next stage, if everything the step needs is there (else each
    missing thing in words); the owners of the stairwell are told."""
    with change(
        ElevatorProject.objects.select_related("place", "vote"),
        project.pk,
        actor=actor,
        perm="deliberation.advance_project",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        today = local_day(act.at)
        found = law.blockers(facts_of(project, today))
        if found:
            raise ValidationError(" ".join(str(BLOCKED[c]) for c in found), code=found[0])
        to = law.next_stage(project.stage)
        assert to is not None
        from_stage = project.stage
        project.stage, project.stage_changed_at = to, act.at
        fields = ["stage", "stage_changed_at"]
        if to == Stage.NOTICE:
            project.notice_starts_on, project.notice_ends_on = law.notice_window(
                today, project.notice_days
            )
            fields += ["notice_starts_on", "notice_ends_on"]
        if to == Stage.IN_SERVICE:
            project.in_service_on = today
            fields.append("in_service_on")
        act.save(fields)
        step = event(act, EventKind.ADVANCED, clean_text(note, 2000))
        step.from_stage = from_stage
        params: dict[str, Any] = {"stage": to}
        if to == Stage.NOTICE:
            assert project.notice_ends_on is not None
            params["until"] = project.notice_ends_on.isoformat()
        act.record(step, tell=tell_owners("elevator.advanced", project, actor, **params))
        return project


def stop_project(
    *,
    actor: Any,
    project: ElevatorProject,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ElevatorProject:
    """Stop a project that will not go on (the vote failed and the owners gave up, the owners
    withdrew): it keeps its record, the stage it stopped at and why, and no longer holds the
    stairwell; the owners are told why. An elevator in service is not stopped, nor a project
    while its owners' vote is being taken (the vote is called off, or counted, first: it is the
    owners' own act, with its own electors to tell)."""
    with change(
        ElevatorProject.objects.select_related("place", "vote"),
        project.pk,
        actor=actor,
        perm="deliberation.stop_project",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage == Stage.IN_SERVICE:
            raise ValidationError(
                _("The elevator is in service: a project in service is not stopped."),
                code="in_service",
            )
        if project.stage == Stage.STOPPED:
            raise ValidationError(_("This project is already stopped."), code="stopped")
        if project.vote is not None and project.vote.status == VoteStatus.ANNOUNCED:
            raise ValidationError(
                _(
                    "The owners' vote on this project is being taken: call it off on the vote's "
                    "page (or wait for its count) before stopping the project."
                ),
                code="vote_open",
            )
        why = clean_text(reason, 2000)
        if not why:
            raise ValidationError(
                _("Say why the project is stopped: the owners are told."), code="reason"
            )
        from_stage = project.stage
        project.stopped_from, project.stop_reason = from_stage, why
        project.stage, project.stage_changed_at = Stage.STOPPED, act.at
        act.save(["stage", "stage_changed_at", "stopped_from", "stop_reason"])
        step = event(act, EventKind.STOPPED, why)
        step.from_stage = from_stage
        act.record(step, tell=tell_owners("elevator.stopped", project, actor, reason=why))
        return project
