"""The owners whose exclusive part the works occupy or affect, and their individual consents
(rules-cn.md §1: the vote's majority does not bind them; each must consent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.deliberation.elevators.audience import manager_users
from shuren.deliberation.elevators.choices import Consent, EventKind, Stage
from shuren.deliberation.elevators.models import AffectedOwner, ElevatorProject
from shuren.deliberation.elevators.projects import event, local_day
from shuren.kernel.action import change
from shuren.kernel.outbox import NOBODY, Tell
from shuren.people.models import Person
from shuren.places.models import Household, PlaceKind
from shuren.places.paths import subtree_q
from shuren.text import clean_text

OPEN_STAGES = (Stage.SURVEY, Stage.VOTE)


def _building_path(project: ElevatorProject) -> str:
    place = project.place
    if place.kind == PlaceKind.UNIT and place.parent is not None:
        return place.parent.path
    return place.path


def name_affected_owner(
    *,
    actor: Any,
    project: ElevatorProject,
    household: Household,
    how: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> AffectedOwner:
    """Name a flat of the building whose exclusive part the works occupy (a window, a garden,
    a passage): its owner's consent is then needed before the notice."""
    with change(
        ElevatorProject.objects.select_related("place", "place__parent"),
        project.pk,
        actor=actor,
        perm="deliberation.name_affected_owner",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage not in OPEN_STAGES:
            raise ValidationError(
                _("Affected owners are named before the public notice."), code="stage"
            )
        in_building = Household.objects.filter(
            subtree_q(_building_path(project), "place__path"), pk=household.pk
        ).exists()
        if not in_building:
            raise ValidationError(
                _("This flat is not in the building the elevator is added to."), code="household"
            )
        how = clean_text(how, 200).strip()
        if not how:
            raise ValidationError(_("Say how the works affect this flat."), code="how")
        row, created = AffectedOwner.objects.get_or_create(
            project=project, household=household, defaults={"how": how}
        )
        if not created:
            raise ValidationError(_("This flat is already named."), code="already_named")
        act.save([])
        act.record(event(act, EventKind.AFFECTED, how, household=household.pk, room=household.room))
        return row


def record_consent(
    *,
    actor: Any,
    project: ElevatorProject,
    household: Household,
    given: bool,
    person: Person | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> AffectedOwner:
    """Record an affected owner's answer (given or refused), signed by one of the flat's
    registered owners; the staff running the project are told."""
    with change(
        ElevatorProject.objects.select_related("place"),
        project.pk,
        actor=actor,
        perm="deliberation.record_consent",
        expected_version=expected_version,
        at=at,
    ) as act:
        project = act.subject
        if project.stage not in OPEN_STAGES:
            raise ValidationError(
                _("Consents are recorded before the public notice."), code="stage"
            )
        row = AffectedOwner.objects.filter(project=project, household=household).first()
        if row is None:
            raise ValidationError(
                _("Name this flat as affected before recording its consent."), code="not_named"
            )
        owners = set(household.owners.values_list("pk", flat=True))
        if owners and (person is None or person.pk not in owners):
            raise ValidationError(
                _("Choose which of the flat's registered owners answered."), code="person"
            )
        row.consent = Consent.GIVEN if given else Consent.REFUSED
        row.person = person
        row.decided_on = local_day(act.at)
        row.note = clean_text(note, 2000)
        row.save(update_fields=["consent", "person", "decided_on", "note"])
        act.save([])
        told: Tell = NOBODY
        if not given:
            told = Tell.users(
                "elevator.consent_refused",
                manager_users(project),
                actor=actor,
                title=project.title,
                room=household.room,
                link=project.get_absolute_url(),
            )
        act.record(
            event(act, EventKind.CONSENT, row.note, room=household.room, consent=row.consent),
            tell=told,
        )
        return row
