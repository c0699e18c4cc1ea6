"""Registering a dispute (登记): directly (a walk-in, a referral from the police, a court or
another department) or from a matter dispatched to the organisation; and the numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.kernel.action import create, required
from shuren.mediation import law
from shuren.mediation.choices import DisputeType, EventKind, PartyRole, Referrer, Source, Status
from shuren.mediation.models import (
    ORGANISATION_KINDS,
    IdempotencyKey,
    Mediation,
    MediationCounter,
    MediationEvent,
    Party,
)
from shuren.mediation.notices import mediator_users, tell
from shuren.people.models import Person, Team
from shuren.places.models import Place
from shuren.text import clean_text

MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class PartyInput:
    """One party as registered: role, name and, if given, identity data."""

    role: str
    name: str
    person: Person | None = None
    gender: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


def allocate_number(organisation: Team, kind: str, year: int) -> int:
    """The organisation's next number of this kind (case, agreement) in the year, gapless:
    the counter row stays locked until the action commits."""
    counters = MediationCounter.objects.select_for_update()
    row = counters.filter(organisation=organisation, kind=kind, year=year).first()
    if row is None:
        try:
            with transaction.atomic():
                MediationCounter.objects.create(
                    organisation=organisation, kind=kind, year=year, last=0
                )
        except IntegrityError:
            pass  # another registration created it first
        row = counters.get(organisation=organisation, kind=kind, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def case_number(organisation: Team, year: int, n: int) -> str:
    return f"{organisation.code}-{year}-{n:04d}"


def check_amount(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount if amount not in (None, "") else 0))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The amount must be a number of yuan."), code="amount") from None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise ValidationError(
            _("The amount must be between 0 and 999,999,999,999.99 yuan."), code="amount"
        )
    return value.quantize(Decimal("0.01"))


def check_parties(parties: Sequence[PartyInput], *, both_sides: bool = True) -> list[PartyInput]:
    """Every party named, with a known role; an applicant and a respondent (a matter may name
    only its reporter: the mediator adds the other side, add_party)."""
    cleaned = []
    for p in parties:
        name = clean_text(p.name or "").strip()
        if not name:
            raise ValidationError(_("Name every party."), code="party_name")
        if p.role not in PartyRole.values:
            raise ValidationError(_("Choose each party's role."), code="party_role")
        cleaned.append(
            PartyInput(
                role=p.role,
                name=name[:100],
                person=p.person,
                gender=(p.gender or "").strip()[:8],
                id_number=(p.id_number or "").strip().upper()[:18],
                phone=(p.phone or "").strip()[:20],
                address=clean_text(p.address or "").strip()[:200],
            )
        )
    roles = {p.role for p in cleaned}
    if not cleaned:
        raise ValidationError(_("Name the parties to the dispute."), code="parties")
    if both_sides and (PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles):
        raise ValidationError(
            _("A dispute needs at least an applicant and a respondent."), code="parties"
        )
    return cleaned


def register_mediation(
    *,
    actor: Any,
    organisation: Team,
    place: Place,
    source: str,
    dispute_type: str,
    title: str,
    summary: str,
    parties: Sequence[PartyInput],
    referrer: str = "",
    amount: Any = 0,
    case: Any = None,
    registered_on: dt.date | None = None,
    idempotency_key: str | None = None,
    require_both_sides: bool = True,
    at: dt.datetime | None = None,
) -> Mediation:
    """登记: a dispute before the organisation, with its source, type, amount and parties; the
    30-day clock starts. A retry with the same Idempotency-Key within 24 h returns the first
    case (with `replayed` set); the same key with another dispute is refused."""
    if organisation.kind not in ORGANISATION_KINDS:
        raise ValidationError(_("This team is not a mediation organisation."), code="organisation")
    if source not in Source.values:
        raise ValidationError(_("Choose where the dispute came from."), code="source")
    if source == Source.REFERRAL and referrer not in Referrer.values:
        raise ValidationError(_("Say who referred the dispute."), code="referrer")
    if source != Source.REFERRAL:
        referrer = ""
    if dispute_type not in DisputeType.values:
        raise ValidationError(_("Choose the type of dispute."), code="dispute_type")
    title = required(clean_text(title or ""), _("Give the dispute a title."))[:100]
    summary = required(clean_text(summary or ""), _("Summarise the dispute."))
    value = check_amount(amount)
    people = check_parties(parties, both_sides=require_both_sides)
    key = (idempotency_key or "").strip()[:100] if actor is not None else ""
    values = {
        "organisation": organisation,
        "place": place,
        "source": source,
        "referrer": referrer,
        "dispute_type": dispute_type,
        "title": title,
        "summary": summary,
        "amount": value,
        "case": case,
    }
    try:
        return _register(actor, values, people, key, registered_on, at)
    except IntegrityError:
        # A copy of this request committed its key while this one ran (the key's unique
        # constraint refused the second): this one rolled back whole; answer the first case.
        found = _replay(actor, key, at or timezone.now()) if key else None
        if found is None:
            raise
        return _same_dispute(found, values)


def _replay(actor: Any, key: str, now: dt.datetime) -> Mediation | None:
    """The case an earlier request with this key made within 24 h; an older key is forgotten."""
    found = IdempotencyKey.objects.filter(user=actor, key=key).select_related("mediation").first()
    if found is None:
        return None
    if found.created_at < now - IdempotencyKey.TTL:
        found.delete()  # expired: the key may be used again
        return None
    found.mediation.replayed = True
    return found.mediation


def _same_dispute(m: Mediation, values: dict[str, Any]) -> Mediation:
    """A key sent again with another dispute is a client's mistake that must not pass for
    success: the first case is not that dispute."""
    if (m.organisation_id, m.place_id, m.title, m.summary) != (
        values["organisation"].pk,
        values["place"].pk,
        values["title"],
        values["summary"],
    ):
        raise ValidationError(
            _(
                "This Idempotency-Key was already used for another dispute. Send a new key "
                "with each new registration."
            ),
            code="idempotency_key_reused",
        )
    return m


def _register(
    actor: Any,
    values: dict[str, Any],
    people: Sequence[PartyInput],
    key: str,
    registered_on: dt.date | None,
    at: dt.datetime | None,
) -> Mediation:
    organisation, source, referrer, case = (
        values["organisation"],
        values["source"],
        values["referrer"],
        values["case"],
    )
    with create(actor=actor, perm="mediation.register_mediation", on=organisation, at=at) as act:
        if key:
            found = _replay(actor, key, act.at)
            if found is not None:
                act.unchanged()
                return _same_dispute(found, values)
        day = registered_on or timezone.localdate(act.at)
        n = allocate_number(organisation, "case", day.year)
        mediation = act.created(
            Mediation.objects.create(
                number=case_number(organisation, day.year, n),
                place_path=values["place"].path,
                status=Status.REGISTERED,
                registered_on=day,
                registered_by=actor,
                due_on=law.due_on(day),
                **values,
            )
        )
        Party.objects.bulk_create(
            Party(
                mediation=mediation,
                role=p.role,
                name=p.name,
                person=p.person,
                gender=p.gender,
                id_number=p.id_number,
                phone=p.phone,
                address=p.address,
            )
            for p in people
        )
        if key:
            # Inserted, never updated: a concurrent copy's insert is refused by the unique
            # constraint and that copy answers this case (register_mediation).
            IdempotencyKey.objects.create(user=actor, key=key, mediation=mediation)
        act.record(
            MediationEvent(
                mediation=mediation,
                kind=EventKind.REGISTERED,
                actor=actor,
                at=act.at,
                to_status=mediation.status,
                data={"source": source, "referrer": referrer, "case": case.pk if case else None},
            ),
            tell=tell(
                "mediation.registered",
                mediator_users(organisation),
                mediation,
                actor,
            ),
        )
        return mediation


# A matter's category, as the justice bureau counts its dispute.
TYPE_OF_CATEGORY = {"neighbour": DisputeType.NEIGHBOURS, "property": DisputeType.PROPERTY_SERVICE}


def dispute_type_of(category_code: str) -> str:
    root = (category_code or "").split("-")[0]
    return TYPE_OF_CATEGORY.get(root, DisputeType.OTHER)


__all__ = ["PartyInput", "register_mediation"]
