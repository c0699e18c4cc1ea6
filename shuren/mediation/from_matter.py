"""A matter dispatched to a mediation organisation opens a mediation case (the outbox handler,
after the dispatch commits): its parties come from the matter, its source is a referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuren.cases.choices import PartySide
from shuren.cases.models import Case, CaseEvent
from shuren.kernel.models import Outbox
from shuren.mediation.choices import PartyRole, Referrer, Source
from shuren.mediation.models import ORGANISATION_KINDS, Mediation
from shuren.mediation.registration import PartyInput, dispute_type_of, register_mediation
from shuren.people.models import Team

ROLE_OF_SIDE: dict[str, str] = {
    PartySide.APPLICANT: PartyRole.APPLICANT,
    PartySide.RESPONDENT: PartyRole.RESPONDENT,
    PartySide.OTHER: PartyRole.THIRD_PARTY,
}


def parties_of(case: Case) -> list[PartyInput]:
    """The matter's parties in their roles, and its reporter (or the caller without an account
    who left a name) as the applicant when no party is."""
    found: list[PartyInput] = []
    seen: set[int] = set()
    for cp in case.case_parties.select_related("person").order_by("pk"):
        seen.add(cp.person_id)
        found.append(_input(ROLE_OF_SIDE.get(cp.side, PartyRole.THIRD_PARTY), cp.person))
    has_applicant = any(p.role == PartyRole.APPLICANT for p in found)
    if case.reporter_id and case.reporter_id not in seen and not has_applicant:
        found.insert(0, _input(PartyRole.APPLICANT, case.reporter))
    elif not found and case.contact_name:
        # A caller without an account (a phone call, a neighbour's objection taken down by
        # staff): the name and number they left are the applicant's.
        found.append(
            PartyInput(
                role=PartyRole.APPLICANT,
                name=case.contact_name,
                phone=case.contact_phone or "",
            )
        )
    return found


def _input(role: str, person: Any) -> PartyInput:
    return PartyInput(
        role=role,
        name=person.name,
        person=person,
        id_number=person.id_number or "",
        phone=person.phone or "",
    )


def open_from_matter(
    *, actor: Any, case: Case, organisation: Team, at: dt.datetime | None = None
) -> Mediation:
    """The organisation's open case for this matter, registered now if it has none."""
    existing = Mediation.objects.open().filter(case=case, organisation=organisation).first()
    if existing is not None:
        return existing
    return register_mediation(
        actor=actor,
        organisation=organisation,
        place=case.place,
        source=Source.REFERRAL,
        referrer=Referrer.MATTER,
        dispute_type=dispute_type_of(case.category.code if case.category_id else ""),
        title=case.title,
        summary=case.description or case.title,
        parties=parties_of(case),
        case=case,
        require_both_sides=False,
        at=at,
    )


def on_outbox_row(row: Outbox) -> None:
    """The outbox handler: a matter assigned to a mediation organisation opens its case."""
    if row.subject_type != "cases.case" or row.kind != "case.assigned":
        return
    step = CaseEvent.objects.filter(pk=row.event_id).first()
    team_id = (step.data or {}).get("team") if step is not None else None
    if not team_id:
        return
    team = Team.objects.filter(pk=team_id, kind__in=ORGANISATION_KINDS).first()
    case = (
        Case.objects.select_related("place", "category", "reporter")
        .filter(pk=row.subject_id)
        .first()
    )
    if team is None or case is None:
        return
    open_from_matter(actor=None, case=case, organisation=team, at=step.at if step else None)
