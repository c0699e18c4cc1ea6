"""Objections raised while the public notice runs: each opens a matter (cases' report_case,
category 加装电梯) naming the objector, and where a mediation organisation serves the place the
matter is dispatched to it (cases' assign_case), whose outbox handler opens the mediation case
(mediation.from_matter). Settling an objection is the staff's record of how it ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.cases import actions as cases
from shuren.cases.choices import Channel
from shuren.cases.models import Case, Category
from shuren.cases.responsible import teams_serving
from shuren.deliberation.elevators import law
from shuren.deliberation.elevators.audience import manager_users
from shuren.deliberation.elevators.choices import EventKind, ObjectionStatus
from shuren.deliberation.elevators.models import ElevatorProject, Objection
from shuren.deliberation.elevators.projects import event, local_day
from shuren.kernel.action import change
from shuren.kernel.outbox import Tell
from shuren.mediation.models import ORGANISATION_KINDS
from shuren.people.models import Person, Team
from shuren.text import clean_text

CATEGORY = "elevator"


def mediation_for(project: ElevatorProject) -> Team | None:
    """The mediation organisation nearest the place that serves it (a community's committee
    before the subdistrict's workshop), if any."""
    teams = teams_serving(project.place.path).filter(kind__in=ORGANISATION_KINDS)
    return max(
        teams.select_related("place"), key=lambda t: (len(t.place.path), -t.pk), default=None
    )


def _open_matter(
    project: ElevatorProject, objector: Person | None, name: str, text: str, own: bool, at: Any
) -> tuple[Case, Team | None]:
    """The matter the objection opens, dispatched to mediation where there is one. The system
    reports it (the objection is the owner's act, recorded with them); it names the objector."""
    category = Category.objects.get(code=CATEGORY)
    case = cases.report_case(
        actor=None,
        place=project.place,
        category=category,
        title=_("Objection to adding an elevator: %(place)s") % {"place": project.place.name},
        description=text,
        channel=Channel.ONLINE if own else Channel.RECEPTION_DAY,
        reporter=objector,
        contact_name="" if objector is not None else name,
        at=at,
    )
    team = mediation_for(project)
    if team is not None:
        case = cases.assign_case(
            actor=None,
            case=case,
            team=team,
            note=_("An objection in the public notice of an elevator retrofit: to mediation."),
            at=at,
        )
    return case, team


def file_objection(
    *,
    actor: Any,
    project: ElevatorProject,
    text: str,
    name: str = "",
    person: Person | None = None,
    at: dt.datetime | None = None,
) -> Objection:
    """An owner objects while the notice runs (or staff record a neighbour's objection, named);
    the objection opens its matter, and the staff running the project are told."""
    with change(
        ElevatorProject.objects.select_related("place"),
        project.pk,
        actor=actor,
        perm="deliberation.file_objection",
        at=at,
    ) as act:
        project = act.subject
        today = local_day(act.at)
        if not law.objection_window_open(
            project.stage, project.notice_starts_on, project.notice_ends_on, today
        ):
            raise ValidationError(
                _("Objections are taken only while the public notice runs."), code="window"
            )
        text = clean_text(text, 5000).strip()
        if not text:
            raise ValidationError(_("Say what the objection is."), code="text")
        own_person_id = getattr(actor, "person_id", None) if actor is not None else None
        staff = actor is None or actor.has_perm("deliberation.advance_project", project)
        if not staff or (person is None and not name.strip()):
            # An owner objects for themselves.
            person = Person.objects.filter(pk=own_person_id).first() if own_person_id else None
        name = clean_text(name, 100).strip() or (person.name if person else "")
        if not name:
            raise ValidationError(_("Name who objects."), code="name")
        case, team = _open_matter(
            project,
            person,
            name,
            text,
            own=person is not None and person.pk == own_person_id,
            at=act.at,
        )
        objection = Objection.objects.create(
            project=project,
            person=person,
            name=name,
            text=text,
            filed_at=act.at,
            case=case,
            mediation_team=team,
        )
        act.save([])
        act.record(
            event(act, EventKind.OBJECTION, objection=objection.pk, case=case.number),
            tell=Tell.users(
                "elevator.objection",
                manager_users(project),
                actor=actor,
                title=project.title,
                link=project.get_absolute_url(),
            ),
        )
        return objection


def settle_objection(
    *,
    actor: Any,
    project: ElevatorProject,
    objection: Objection,
    note: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Objection:
    """Record how an objection ended (mediated, withdrawn, the design changed)."""
    with change(
        ElevatorProject.objects.select_related("place"),
        project.pk,
        actor=actor,
        perm="deliberation.settle_objection",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        row = Objection.objects.filter(pk=objection.pk, project=project).first()
        if row is None or row.status != ObjectionStatus.OPEN:
            raise ValidationError(_("This objection is not open."), code="not_open")
        note = clean_text(note, 2000).strip()
        if not note:
            raise ValidationError(_("Say how the objection was settled."), code="note")
        row.status, row.settled_at, row.settled_note = ObjectionStatus.SETTLED, act.at, note
        row.save(update_fields=["status", "settled_at", "settled_note"])
        act.save([])
        told = Tell.users(
            "elevator.objection_settled",
            row_users(row),
            actor=actor,
            title=project.title,
            link=project.get_absolute_url(),
        )
        act.record(event(act, EventKind.OBJECTION_SETTLED, note, objection=row.pk), tell=told)
        return row


def row_users(row: Objection) -> list[Any]:
    """The objector's account, if they have one."""
    if row.person_id is None:
        return []
    return list(get_user_model().objects.filter(person_id=row.person_id, is_active=True))
