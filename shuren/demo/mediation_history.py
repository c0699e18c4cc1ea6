"""Drawing the demo's mediation history: for each organisation and month, cases with their
parties, consent, mediators, sessions, ending, papers, follow-up visits and archiving, each
step an event as the action would record it (see shuren/demo/mediations.py for the plan)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from shuren.demo import data
from shuren.demo import mediation_texts as texts
from shuren.demo.case_facts import DEMO_SOURCE, aware, months
from shuren.demo.identities import IdentityMaker
from shuren.mediation import law
from shuren.mediation.choices import (
    AgreementForm,
    Confirmation,
    Consent,
    DisputeType,
    DocumentKind,
    EventKind,
    Outcome,
    PartyRole,
    Performance,
    Referrer,
    Route,
    Satisfaction,
    Source,
    Status,
)
from shuren.mediation.models import Document, FollowUp, Mediation, MediationEvent, Party, Session
from shuren.places.models import Place
from shuren.workdays.calendar import SHANGHAI

if TYPE_CHECKING:
    from shuren.people.models import Team

# Cases registered a year (the first, partial years pro rata; later years as the last).
PER_YEAR = {
    "workshop": {2019: 45, 2020: 60, 2021: 80, 2022: 90, 2023: 100, 2024: 110, 2025: 115},
    "committee": {2018: 40, 2019: 40, 2020: 45, 2021: 50, 2022: 55, 2023: 55, 2024: 60},
}
LATEST_PER_YEAR = {"workshop": 120, "committee": 60}
TYPES = {
    "workshop": {
        DisputeType.NEIGHBOURS: 40,
        DisputeType.MARRIAGE_FAMILY: 15,
        DisputeType.DAMAGES: 12,
        DisputeType.PROPERTY_SERVICE: 9,
        DisputeType.CONTRACT: 8,
        DisputeType.HOUSING_LAND: 6,
        DisputeType.LABOUR: 3,
        DisputeType.CONSUMER: 3,
        DisputeType.TRAFFIC: 2,
        DisputeType.OTHER: 2,
    },
    "committee": {
        DisputeType.PROPERTY_SERVICE: 78,
        DisputeType.NEIGHBOURS: 8,
        DisputeType.DAMAGES: 8,
        DisputeType.CONTRACT: 4,
        DisputeType.OTHER: 2,
    },
}
SOURCES = {Source.APPLICATION: 55, Source.REFERRAL: 30, Source.OWN_INITIATIVE: 15}
REFERRERS = {
    Referrer.POLICE: 35,
    Referrer.COURT: 15,
    Referrer.PETITIONS: 10,
    Referrer.DEPARTMENT: 25,
    Referrer.OTHER: 15,
}
OUTCOMES = {Outcome.AGREED: 90, Outcome.FAILED: 5, Outcome.TERMINATED: 2, Outcome.WITHDRAWN: 3}
AMOUNTS = {
    DisputeType.NEIGHBOURS: (0, 8000),
    DisputeType.PROPERTY_SERVICE: (500, 30000),
    DisputeType.MARRIAGE_FAMILY: (0, 60000),
    DisputeType.DAMAGES: (800, 20000),
    DisputeType.CONTRACT: (2000, 50000),
    DisputeType.HOUSING_LAND: (5000, 80000),
    DisputeType.LABOUR: (3000, 30000),
    DisputeType.CONSUMER: (500, 8000),
    DisputeType.TRAFFIC: (500, 6000),
    DisputeType.OTHER: (0, 0),
}
CLOSING_NOTES: dict[str, tuple[str, ...]] = {
    Outcome.FAILED: texts.FAILED_NOTES,
    Outcome.TERMINATED: texts.TERMINATED_NOTES,
    Outcome.WITHDRAWN: texts.WITHDRAWN_NOTES,
}
PAPERS = (  # optional papers of the file, and how often a case has one
    (DocumentKind.IDENTITY, "当事人身份证复印件", 0.3),
    (DocumentKind.EVIDENCE, "现场照片及相关证据", 0.25),
    (DocumentKind.INVESTIGATION, "现场调查笔录", 0.05),
    (DocumentKind.POWER_OF_ATTORNEY, "授权委托书", 0.04),
)


@dataclass(frozen=True)
class Mediator:
    person_id: int
    name: str
    since: dt.date
    paths: tuple[str, ...]  # the communities served; () for the whole subdistrict

    def serves(self, place: Place, day: dt.date) -> bool:
        return self.since <= day and (not self.paths or place.path.startswith(self.paths))


@dataclass(frozen=True)
class Org:
    key: str  # "workshop" or "committee"
    team: Team
    opened: dt.date
    mediators: list[Mediator]
    places: list[Place]  # where its disputes happen
    companies: dict[int, str]  # property company team id -> name


@dataclass
class Drawn:
    """One case of the history, with all that belongs to it, before it is written."""

    m: Mediation
    parties: list[Party] = field(default_factory=list)
    mediators: list[int] = field(default_factory=list)
    sessions: list[tuple[Session, list[int], list[int]]] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    events: list[MediationEvent] = field(default_factory=list)

    def event(self, kind: str, at: dt.datetime, actor: Any, to: str, **extra: Any) -> None:
        note = extra.pop("note", "")
        self.events.append(
            MediationEvent(
                kind=kind,
                actor=actor,
                at=at,
                from_status=self.m.status if kind != EventKind.REGISTERED else "",
                to_status=to,
                note=note,
                data=extra,
            )
        )
        self.m.status = to


class History:
    def __init__(self, rng: random.Random, now: dt.datetime, tiaojie: Any) -> None:
        self.rng, self.now, self.tiaojie = rng, now, tiaojie
        self.today = now.astimezone(SHANGHAI).date()
        self.people = IdentityMaker(rng)

    def draw(self, org: Org) -> Iterator[Drawn]:
        """The organisation's ended cases from its opening to the last few days."""
        rng, first = self.rng, True
        for month in months(org.opened, self.today):
            per_year = PER_YEAR[org.key].get(month.year, LATEST_PER_YEAR[org.key])
            count = per_year / 12 * (0.6 if month.month == 2 else 1) * rng.uniform(0.8, 1.2)
            for _ in range(round(count) + first):
                span = (min(month + dt.timedelta(days=31), self.today) - month).days
                day = month + dt.timedelta(days=rng.randrange(max(span, 1)))
                day = max(day, org.opened)
                drawn = self.case(org, day, first=first)
                first = False
                if drawn is not None:
                    yield drawn

    # --- one case

    def case(self, org: Org, day: dt.date, *, first: bool = False) -> Drawn | None:
        rng = self.rng
        kind = rng.choices(list(TYPES[org.key]), list(TYPES[org.key].values()))[0]
        place = rng.choice(org.places)
        if first and org.key == "workshop":
            # The article: the workshop's first case was at 万科金域中央 (同成).
            kind = DisputeType.PROPERTY_SERVICE
            place = next((p for p in org.places if p.code == data.JYZY[0]), place)
        company = place.property_company_id
        if kind == DisputeType.PROPERTY_SERVICE and company is None:
            kind = DisputeType.NEIGHBOURS
        serving = [x for x in org.mediators if x.serves(place, day)]
        if not serving:
            return None
        chosen = rng.sample(serving, 2 if len(serving) > 1 and rng.random() < 0.3 else 1)
        actor = self._user(chosen)
        outcome = (
            Outcome.AGREED if first else rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
        )
        source = rng.choices(list(SOURCES), list(SOURCES.values()))[0]
        referrer = (
            rng.choices(list(REFERRERS), list(REFERRERS.values()))[0]
            if source == Source.REFERRAL
            else ""
        )
        low, high = AMOUNTS[kind]
        amount = Decimal(rng.randrange(low, high + 1, 100) if high else 0)
        parties = self._parties(org, kind, company)
        a, b = parties[0].name, parties[1].name
        estate = place.name
        room = f"{rng.randint(2, 30)}{rng.randint(1, 8):02d}"
        words = rng.choice(texts.TEXTS[kind])
        fill = {"a": a, "b": b, "room": room, "estate": estate, "amount": f"{amount:,.0f}"}
        title, summary, facts, points, duties, content = (w.format(**fill) for w in words)
        m = Mediation(
            organisation=org.team,
            place=place,
            place_path=place.path,
            source=source,
            referrer=referrer,
            dispute_type=kind,
            title=title,
            summary=summary,
            amount=amount,
            status=Status.REGISTERED,
            registered_on=day,
            registered_by=actor,
            due_on=law.due_on(day),
        )
        d = Drawn(m, parties=parties, mediators=[x.person_id for x in chosen])
        at = aware(day, rng.uniform(9, 16.5))
        d.event(
            EventKind.REGISTERED,
            at,
            actor,
            Status.REGISTERED,
            source=source,
            referrer=referrer,
            case=None,
            origin=DEMO_SOURCE,
        )
        refused = outcome == Outcome.TERMINATED and rng.random() < 0.7
        for i, p in enumerate(parties):
            p.consent = Consent.REFUSED if refused and i == 1 else Consent.GIVEN
            p.consent_at = at + dt.timedelta(minutes=20 + 5 * i)
            d.event(
                EventKind.CONSENT,
                p.consent_at,
                actor,
                d.m.status,
                party_name=p.name,
                consent=p.consent,
            )
        d.event(
            EventKind.MEDIATORS,
            at + dt.timedelta(hours=1),
            actor,
            d.m.status,
            mediators=[x.name for x in chosen],
        )
        if rng.random() < 0.03:
            self._risk(d, at + dt.timedelta(hours=3), actor)
        last = self._sessions(d, org, outcome, refused, day, actor)
        if last is None:
            return None
        if outcome == Outcome.AGREED:
            self._agree(d, last, actor, (facts, points, duties, content))
        else:
            self._close(d, outcome, last, actor)
        self._papers(d, actor)
        self._prevention(d, actor)
        self._archive(d, actor)
        self._check(d)
        return d

    def _user(self, chosen: list[Mediator]) -> Any:
        """The mediator's login, when they have one (demo-tiaojie); else nobody recorded."""
        person = getattr(self.tiaojie, "person_id", None)
        return self.tiaojie if any(x.person_id == person for x in chosen) else None

    def _parties(self, org: Org, kind: str, company: int | None) -> list[Party]:
        rng = self.rng

        def person(role: str) -> Party:
            who = self.people.person(born_from=1945, born_to=2000)
            community = rng.choice(data.COMMUNITIES)[1]
            flat = f"{rng.randint(1, 30)}座{rng.randint(1, 30)}{rng.randint(1, 8):02d}室"
            address = f"桂城街道{community}{flat}"
            return Party(
                role=role,
                name=who.name,
                gender="男" if who.male else "女",
                id_number=who.id_number if rng.random() < 0.9 else "",
                phone=who.phone,
                address=address,
            )

        parties = [person(PartyRole.APPLICANT)]
        if kind == DisputeType.PROPERTY_SERVICE and company and rng.random() < 0.7:
            name = org.companies.get(company, "物业服务中心")
            parties.append(Party(role=PartyRole.RESPONDENT, name=name[:100]))
            if rng.random() < 0.3:  # the company applied: the owner is the respondent
                parties[0].role, parties[1].role = PartyRole.RESPONDENT, PartyRole.APPLICANT
                parties.reverse()
        else:
            parties.append(person(PartyRole.RESPONDENT))
        if rng.random() < 0.05:
            parties.append(person(PartyRole.THIRD_PARTY))
        return parties

    def _sessions(
        self, d: Drawn, org: Org, outcome: str, refused: bool, day: dt.date, actor: Any
    ) -> dt.datetime | None:
        """The sittings; the moment the case ended (None: it would end after today)."""
        rng = self.rng
        if outcome == Outcome.WITHDRAWN and rng.random() < 0.6:
            end = aware(day + dt.timedelta(days=rng.randint(1, 10)), rng.uniform(9, 17))
            return end if end.date() <= self.today - dt.timedelta(days=1) else None
        venues = texts.VENUES if org.key == "workshop" else texts.COMMITTEE_VENUES
        present = [i for i, p in enumerate(d.parties) if p.consent == Consent.GIVEN]
        moment = aware(day, 9)
        count = 1 if refused else rng.choices((1, 2, 3), (50, 35, 15))[0]
        if rng.random() < 0.05 and count > 1:
            days = rng.choice((10, 15, 20))
            d.m.extended_days = days
            d.m.due_on = law.due_on(day, days)
            d.event(
                EventKind.EXTENDED,
                moment + dt.timedelta(days=rng.randint(5, 15)),
                d.m.registered_by,
                d.m.status,
                note="经双方当事人同意延长调解期限",
                days=days,
                due_on=d.m.due_on.isoformat(),
            )
        for n in range(count):
            moment = aware(
                moment.date() + dt.timedelta(days=rng.randint(1, 6 if n else 4)),
                rng.choice((9.5, 10, 14.5, 15, 16)),
            )
            if moment.date() >= self.today:
                return None
            record = rng.choice(texts.SESSION_RECORDS)
            session = Session(
                held_at=moment, venue=rng.choice(venues), record=record, recorded_by=actor
            )
            d.sessions.append((session, present, d.mediators))
            d.event(
                EventKind.SESSION,
                moment + dt.timedelta(hours=2),
                actor,
                Status.MEDIATING,
                venue=session.venue,
                parties=[d.parties[i].name for i in present],
            )
        return moment + dt.timedelta(hours=2, minutes=30)

    def _risk(self, d: Drawn, at: dt.datetime, actor: Any) -> None:
        note = self.rng.choice(texts.RISK_NOTES)
        d.m.at_risk, d.m.risk_note, d.m.police_informed_at = True, note, at
        d.event(EventKind.RISK, at, actor, d.m.status, note=note, police_informed=True)

    def _agree(self, d: Drawn, at: dt.datetime, actor: Any, words: tuple[str, ...]) -> None:
        rng, m = self.rng, d.m
        written = rng.random() < 0.82
        m.agreement_form = AgreementForm.WRITTEN if written else AgreementForm.ORAL
        m.agreed_content = words[3]
        m.performance_manner = rng.choice(texts.MANNERS)
        if written:
            m.facts, m.points_in_dispute, m.responsibilities = words[:3]
            m.performance_place = m.place.name
            m.performance_deadline = at.date() + dt.timedelta(days=rng.choice((7, 15, 30)))
            m.confirmation = Confirmation.NOT_SOUGHT
        m.agreed_on = m.ended_on = at.astimezone(SHANGHAI).date()
        m.outcome = Outcome.AGREED
        d.event(EventKind.AGREED, at, actor, Status.AGREED, form=m.agreement_form)
        if written:
            self._paper(d, DocumentKind.SIGNED_AGREEMENT, "调解协议书签字件", at, actor)
            if rng.random() < 0.08:
                on = at + dt.timedelta(days=rng.randint(8, 25))
                if on.date() < self.today:
                    m.confirmation, m.confirmation_on = Confirmation.CONFIRMED, on.date()
                    m.confirmation_note = "南海区人民法院裁定确认调解协议有效"
                    d.event(
                        EventKind.CONFIRMATION,
                        on,
                        actor,
                        m.status,
                        note=m.confirmation_note,
                        confirmation=m.confirmation,
                    )
                    self._paper(d, DocumentKind.CONFIRMATION, "司法确认裁定书", on, actor)
        visit = at + dt.timedelta(days=rng.randint(10, 30))
        if visit.date() >= self.today:
            return
        recurred = rng.random() < 0.03
        performance = rng.choices(
            (Performance.FULL, Performance.PARTIAL, Performance.NOT_DUE), (85, 10, 5)
        )[0]
        satisfaction = rng.choices(
            (Satisfaction.SATISFIED, Satisfaction.FAIRLY, Satisfaction.UNSATISFIED), (80, 17, 3)
        )[0]
        d.follow_ups.append(
            FollowUp(
                visited_on=visit.date(),
                visitor=actor,
                performance=performance,
                satisfaction=satisfaction,
                recurred=recurred,
                measures=rng.choice(texts.FOLLOW_UP_MEASURES) if recurred else "",
            )
        )
        d.event(
            EventKind.FOLLOWED_UP,
            visit,
            actor,
            m.status,
            performance=performance,
            satisfaction=satisfaction,
            recurred=recurred,
        )
        if performance == Performance.FULL and rng.random() < 0.15:
            self._paper(d, DocumentKind.PERFORMANCE, "履行凭证（转账记录）", visit, actor)

    def _close(self, d: Drawn, outcome: str, at: dt.datetime, actor: Any) -> None:
        rng, m = self.rng, d.m
        m.outcome, m.outcome_note = outcome, rng.choice(CLOSING_NOTES[outcome])
        if outcome != Outcome.WITHDRAWN:
            m.routes_told = sorted(rng.sample(Route.values, rng.randint(1, 3)))
        m.ended_on = at.astimezone(SHANGHAI).date()
        d.event(
            EventKind.CLOSED,
            at,
            actor,
            outcome,
            note=m.outcome_note,
            outcome=outcome,
            routes=m.routes_told,
        )

    def _paper(self, d: Drawn, kind: str, title: str, at: dt.datetime, actor: Any) -> None:
        d.documents.append(
            Document(kind=kind, title=title, note="纸质原件存档", added_by=actor, added_at=at)
        )
        d.event(EventKind.DOCUMENT, at, actor, d.m.status, paper=kind, title=title)

    def _papers(self, d: Drawn, actor: Any) -> None:
        at = d.events[2].at + dt.timedelta(minutes=30)
        for kind, title, share in PAPERS:
            if self.rng.random() < share:
                self._paper(d, kind, title, at, actor)

    def _prevention(self, d: Drawn, actor: Any) -> None:
        rng, m = self.rng, d.m
        criminal = rng.randint(1, 3) if rng.random() < 0.06 else 0
        petition = rng.randint(3, 12) if rng.random() < 0.03 else 0
        if criminal or petition:
            m.prevented_criminal_persons, m.prevented_petition_persons = criminal, petition
            at = aware(m.ended_on or m.registered_on, 17)
            d.event(EventKind.PREVENTED, at, actor, m.status, criminal=criminal, petition=petition)

    def _archive(self, d: Drawn, actor: Any) -> None:
        last = max(e.at for e in d.events)
        at = aware(
            last.astimezone(SHANGHAI).date() + dt.timedelta(days=self.rng.randint(1, 10)), 16.5
        )
        if at >= self.now or law.missing_required(law.file_items(_file_facts(d))):
            return  # not yet archived (the follow-up visit, say, is still to come)
        d.m.archived_at = at
        d.event(EventKind.ARCHIVED, at, actor, Status.ARCHIVED)

    @staticmethod
    def _check(d: Drawn) -> None:
        """What the actions would have refused is refused here too."""
        m = d.m
        if m.outcome == Outcome.AGREED:
            agreement = law.AgreementFacts(
                form=m.agreement_form,
                parties_complete={p.role for p in d.parties}
                >= {PartyRole.APPLICANT, PartyRole.RESPONDENT},
                facts=m.facts,
                points_in_dispute=m.points_in_dispute,
                responsibilities=m.responsibilities,
                agreed_content=m.agreed_content,
                performance_manner=m.performance_manner,
                performance_place=m.performance_place,
                performance_deadline=m.performance_deadline,
            )
            assert not law.missing_for_agreement(agreement), m.title
        if m.status == Status.ARCHIVED:
            assert not law.missing_required(law.file_items(_file_facts(d))), m.title
        for _session, present, _mediators in d.sessions:
            assert all(d.parties[i].consent == Consent.GIVEN for i in present)


def _file_facts(d: Drawn) -> law.FileFacts:
    return law.FileFacts(
        outcome=d.m.outcome,
        has_parties=bool(d.parties),
        consents_recorded=all(p.consent != Consent.PENDING for p in d.parties),
        sessions=len(d.sessions),
        agreement_form=d.m.agreement_form,
        follow_ups=len(d.follow_ups),
        routes_told=bool(d.m.routes_told),
        confirmation=d.m.confirmation,
        papers=frozenset(doc.kind for doc in d.documents),
    )
