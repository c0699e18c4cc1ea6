"""A mediation under way: consent (Art. 17), the mediators (Art. 23), sessions and their record
(Art. 27), the time limit's extension, risk (Art. 25), papers for the file, prevention counts,
and reading a party's identity data (logged)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.access.actions import log_unmasked_read
from shuren.access.masking import MASKERS
from shuren.kernel.action import Act, change, required
from shuren.mediation import law
from shuren.mediation.choices import Consent, DocumentKind, EventKind, Status
from shuren.mediation.models import Document, Mediation, MediationEvent, Party, Session
from shuren.mediation.notices import mediator_users, tell
from shuren.mediation.registration import PartyInput, check_parties
from shuren.people.models import Person, active_q
from shuren.people.roles import Role
from shuren.text import clean_text

DENIED = "You do not mediate for this organisation."
MAX_PAPER_BYTES = 10 * 1024 * 1024


class MediationTransitionError(ValidationError):
    """The action is not possible in the case's current state (the API answers 409)."""

    def __init__(self, action: str, status: str) -> None:
        self.action, self.status = action, status
        super().__init__(
            _("This cannot be done to a case that is %(status)s.")
            % {"status": Status(status).label},
            code="illegal_transition",
        )


@contextmanager
def begin(
    mediation: Mediation,
    actor: Any,
    action: str,
    expected_version: int | None,
    at: dt.datetime | None,
) -> Iterator[Act[Mediation]]:
    """The action on the locked, authorized, version-checked case, in a state that allows it."""
    with change(
        Mediation.objects.select_related("organisation", "place"),
        mediation.pk,
        actor=actor,
        perm=f"mediation.{action}",
        expected_version=expected_version,
        at=at,
        denied=_(DENIED),
    ) as act:
        if not law.allowed(action, act.subject.status):
            raise MediationTransitionError(action, act.subject.status)
        yield act


def event(
    act: Act[Mediation], kind: str, *, from_status: str, note: str = "", **data: Any
) -> MediationEvent:
    m = act.subject
    return MediationEvent(
        mediation=m,
        kind=kind,
        actor=act.actor,
        at=act.at,
        from_status=from_status,
        to_status=m.status,
        note=note,
        data=data,
    )


def _party(mediation: Mediation, party: Party | int) -> Party:
    pk = party.pk if isinstance(party, Party) else party
    found = Party.objects.filter(mediation=mediation, pk=pk).first()
    if found is None:
        raise ValidationError(_("That party is not in this case."), code="party")
    return found


def add_party(
    *,
    actor: Any,
    mediation: Mediation,
    party: PartyInput,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Party:
    """A party the registration did not name (the other side of a dispatched matter, a third
    party who joins); they are asked for their consent like the others."""
    (p,) = check_parties([party], both_sides=False)
    with begin(mediation, actor, "add_party", expected_version, at) as act:
        m = act.subject
        added = Party.objects.create(
            mediation=m,
            role=p.role,
            name=p.name,
            person=p.person,
            gender=p.gender,
            id_number=p.id_number,
            phone=p.phone,
            address=p.address,
        )
        act.save([])
        act.record(
            event(
                act,
                EventKind.PARTY,
                from_status=m.status,
                party=added.pk,
                party_name=added.name,
                role=added.role,
            )
        )
        return added


def record_consent(
    *,
    actor: Any,
    mediation: Mediation,
    party: Party | int,
    consent: str,
    asked_for: Person | None = None,
    refused: Person | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Party:
    """A party told of their rights and duties says whether they accept mediation (Art. 17),
    and may ask for a mediator or refuse one (Art. 23)."""
    if consent not in (Consent.GIVEN, Consent.REFUSED):
        raise ValidationError(_("Say whether the party consents."), code="consent")
    with begin(mediation, actor, "consent", expected_version, at) as act:
        m = act.subject
        p = _party(m, party)
        mediators = set(organisation_mediators(m))
        for person in (asked_for, refused):
            if person is not None and person.pk not in mediators:
                raise ValidationError(
                    _("%(name)s is not a mediator of this organisation.") % {"name": person.name},
                    code="not_a_mediator",
                )
        if asked_for is not None and refused is not None and asked_for.pk == refused.pk:
            raise ValidationError(_("A party cannot ask for and refuse one mediator."), code="both")
        if refused is not None and m.mediators.filter(pk=refused.pk).exists():
            m.mediators.remove(refused)  # Art. 23: the refused mediator steps aside
        p.consent, p.consent_at = consent, act.at
        p.asked_for, p.refused = asked_for, refused
        p.save(update_fields=["consent", "consent_at", "asked_for", "refused"])
        act.save([])
        act.record(
            event(
                act,
                EventKind.CONSENT,
                from_status=m.status,
                party=p.pk,
                party_name=p.name,
                consent=consent,
                asked_for=asked_for.name if asked_for else "",
                refused=refused.name if refused else "",
            )
        )
        return p


def organisation_mediators(m: Mediation) -> list[int]:
    """The people with an active 调解员 post for the case's organisation (the pages offer them)."""
    return list(
        Person.objects.filter(
            active_q(prefix="posts__"),
            posts__role=Role.TIAOJIEYUAN,
            posts__team_id=m.organisation_id,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def choose_mediators(
    *,
    actor: Any,
    mediation: Mediation,
    mediators: Sequence[Person],
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """The mediators of the case: the organisation's own, none a party refused (Art. 23)."""
    if not mediators:
        raise ValidationError(_("Choose at least one mediator."), code="required")
    with begin(mediation, actor, "choose_mediators", expected_version, at) as act:
        m = act.subject
        allowed = set(organisation_mediators(m))
        refused = dict(
            Party.objects.filter(mediation=m, refused__isnull=False).values_list(
                "refused_id", "name"
            )
        )
        for person in mediators:
            if person.pk not in allowed:
                raise ValidationError(
                    _("%(name)s is not a mediator of this organisation.") % {"name": person.name},
                    code="not_a_mediator",
                )
            if person.pk in refused:
                raise ValidationError(
                    _("%(party)s refused %(name)s as mediator (Art. 23).")
                    % {"party": refused[person.pk], "name": person.name},
                    code="refused_mediator",
                )
        m.mediators.set(mediators)
        act.save([])
        act.record(
            event(
                act,
                EventKind.MEDIATORS,
                from_status=m.status,
                mediators=[p.name for p in mediators],
            ),
            tell=tell(
                "mediation.mediators",
                [
                    u
                    for u in mediator_users(m.organisation)
                    if u.person_id in {p.pk for p in mediators}
                ],
                m,
                actor,
            ),
        )
        return m


def hold_session(
    *,
    actor: Any,
    mediation: Mediation,
    held_at: dt.datetime,
    venue: str,
    parties: Sequence[Party | int],
    record: str,
    mediators: Sequence[Person] = (),
    others_present: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Session:
    """调解: a sitting with the parties present, and its record. Nobody who has not consented
    sits in it (Art. 17); the mediators present are the case's."""
    venue = required(clean_text(venue), _("Say where the session was held."))[:100]
    record = required(clean_text(record), _("Write the record of the session."))
    others_present = clean_text(others_present)[:200]
    if not parties:
        raise ValidationError(_("Name the parties present."), code="parties")
    with begin(mediation, actor, "hold_session", expected_version, at) as act:
        m = act.subject
        present = [_party(m, p) for p in parties]
        refusing = law.without_consent(law.PartyFacts(p.pk, p.name, p.consent) for p in present)
        if refusing:
            raise ValidationError(
                _("No session with a party who has not consented (Art. 17): %(names)s.")
                % {"names": "、".join(refusing)},
                code="no_consent",
            )
        chosen = set(m.mediators.values_list("pk", flat=True))
        sitting = list(mediators) or list(Person.objects.filter(pk__in=chosen))
        if not sitting:
            raise ValidationError(_("Choose the case's mediators first."), code="no_mediator")
        strangers = [p.name for p in sitting if p.pk not in chosen]
        if strangers:
            raise ValidationError(
                _("Only the case's mediators sit in its sessions: %(names)s.")
                % {"names": "、".join(strangers)},
                code="not_the_mediator",
            )
        from_status = m.status
        m.status = law.next_status("hold_session", m.status) or m.status
        act.save(["status"])
        session = Session.objects.create(
            mediation=m,
            held_at=held_at,
            venue=venue,
            others_present=others_present,
            record=record,
            recorded_by=actor,
        )
        session.parties.set(present)
        session.mediators.set(sitting)
        act.record(
            event(
                act,
                EventKind.SESSION,
                from_status=from_status,
                session=session.pk,
                venue=venue,
                parties=[p.name for p in present],
            )
        )
        return session


def extend_time_limit(
    *,
    actor: Any,
    mediation: Mediation,
    days: int,
    parties_consented: bool,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """延长调解期限: only with both parties' consent, at most 30 more days in all."""
    reason = required(clean_text(reason), _("Say why the time limit is extended."))
    if not parties_consented:
        raise ValidationError(
            _("The time limit is extended only with both parties' consent."), code="no_consent"
        )
    if not isinstance(days, int) or days < 1:
        raise ValidationError(_("Extend by at least one day."), code="days")
    with begin(mediation, actor, "extend", expected_version, at) as act:
        m = act.subject
        if m.extended_days + days > law.MAX_EXTENSION_DAYS:
            raise ValidationError(
                _("The time limit may be extended by %(max)s days in all; %(left)s are left.")
                % {"max": law.MAX_EXTENSION_DAYS, "left": law.MAX_EXTENSION_DAYS - m.extended_days},
                code="too_long",
            )
        m.extended_days += days
        m.due_on = law.due_on(m.registered_on, m.extended_days)
        act.save(["extended_days", "due_on"])
        act.record(
            event(
                act,
                EventKind.EXTENDED,
                from_status=m.status,
                note=reason,
                days=days,
                due_on=m.due_on.isoformat(),
            )
        )
        return m


def mark_risk(
    *,
    actor: Any,
    mediation: Mediation,
    note: str,
    police_informed: bool,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """Art. 25: the dispute may turn violent or criminal. The community's and the subdistrict's
    staff are told at once (the red alert the outbox row raises, insights/alert_mediation.py);
    whether the police were informed is recorded."""
    note = required(clean_text(note), _("Describe the risk."))
    with begin(mediation, actor, "mark_risk", expected_version, at) as act:
        m = act.subject
        m.at_risk, m.risk_note = True, note
        fields = ["at_risk", "risk_note"]
        if police_informed and m.police_informed_at is None:
            m.police_informed_at = act.at
            fields.append("police_informed_at")
        act.save(fields)
        act.record(
            event(
                act,
                EventKind.RISK,
                from_status=m.status,
                note=note,
                police_informed=m.police_informed_at is not None,
            ),
            # The other mediators hear of it; the community and the subdistrict through the red
            # alert insights raises from this row (insights/alert_mediation.py).
            tell=tell(
                "mediation.at_risk",
                mediator_users(m.organisation),
                m,
                actor,
                place=m.place_id,
                police_informed=m.police_informed_at is not None,
            ),
        )
        return m


def add_document(
    *,
    actor: Any,
    mediation: Mediation,
    kind: str,
    title: str,
    file: File[Any] | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Document:
    """A paper for the case file: evidence, identity copies, the signed agreement's scan…"""
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose what kind of paper this is."), code="kind")
    title = required(clean_text(title), _("Give the paper a title."))[:100]
    note = clean_text(note)
    if file is None and not note:
        raise ValidationError(_("Attach the file, or describe the paper."), code="required")
    if file is not None and (file.size or 0) > MAX_PAPER_BYTES:
        raise ValidationError(_("A paper may be at most 10 MB."), code="too_large")
    with begin(mediation, actor, "add_document", expected_version, at) as act:
        m = act.subject
        doc = Document(
            mediation=m, kind=kind, title=title, note=note, added_by=actor, added_at=act.at
        )
        if file is not None:
            doc.file.save(file.name or "paper", file, save=False)
        doc.save()
        act.save([])
        act.record(
            event(
                act,
                EventKind.DOCUMENT,
                from_status=m.status,
                document=doc.pk,
                paper=kind,
                title=title,
            )
        )
        return doc


def record_prevention(
    *,
    actor: Any,
    mediation: Mediation,
    criminal_persons: int,
    petition_persons: int,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Mediation:
    """The statistics' prevention counters: how many people this case kept from a criminal case
    and from a group petition (0 for none)."""
    for n in (criminal_persons, petition_persons):
        if not isinstance(n, int) or not 0 <= n <= 10000:
            raise ValidationError(_("Give a number of persons from 0 to 10,000."), code="persons")
    with begin(mediation, actor, "record_prevention", expected_version, at) as act:
        m = act.subject
        m.prevented_criminal_persons = criminal_persons
        m.prevented_petition_persons = petition_persons
        act.save(["prevented_criminal_persons", "prevented_petition_persons"])
        act.record(
            event(
                act,
                EventKind.PREVENTED,
                from_status=m.status,
                criminal=criminal_persons,
                petition=petition_persons,
            )
        )
        return m


@transaction.atomic
def reveal_party(
    *, user: Any, party: Party, field: str, reason: str, ip_address: str | None = None
) -> str:
    """One party's unmasked identity field, for the organisation's mediators only, with the
    access-log row (and its audit twin) in the same transaction."""
    if field not in (*MASKERS, "address"):
        raise ValueError(f"unknown personal field {field!r}")
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    if not user.has_perm("mediation.reveal_party", party.mediation):
        raise PermissionDenied
    log_unmasked_read(
        user=user,
        object_type="mediation_party",
        object_id=party.pk,
        field=field,
        reason=reason,
        ip_address=ip_address,
    )
    return str(getattr(party, field))
