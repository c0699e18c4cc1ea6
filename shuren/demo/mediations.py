"""The demo's mediation cases: the history of 苏志敏创熟调解工作室 (since 2019) and of the
property-dispute committee (since 2018-06) written in bulk, and this month's open cases of
demo-tiaojie entered through the mediation actions.

The article gives no mediation counts for either organisation (its 838 neighbour disputes are
the volunteers' and leaders' matters, shuren/demo/cases.py); it tells that the workshop's first
case was at 万科金域中央 in 同成 (so the workshop's first registered case is there). The volumes
here are plausible guesses: the workshop grows from about 45 cases a year to 120, the committee
from 40 to 60; about nine in ten end in an agreement (most written, some oral), the rest fail,
are terminated or withdrawn, with the routes told (Art. 26).

Why the history goes in straight into the tables: it is a record of what was done years ago
(as cases/intake/history.py is for matters), a thousand cases with ten thousand steps, and
nobody is to be told of it today; running it through the actions would write an outbox row
per step and take minutes. It is not a way around the law: each case is drawn along the
actions' state machine (law.TRANSITIONS), a written agreement carries every item of Art. 29
(law.missing_for_agreement) and a case is archived only with its file complete
(law.file_items), which `_check` asserts before anything is written. Mediation has no keeper
(kernel.action.keep), so there is nothing to hand over (keep_inserted). The counters move on
past the history, so what the actions register next continues its numbers. The open cases of
this month (and a few just ended) are entered through the actions, as a mediator would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from shuren.demo import data
from shuren.demo.case_facts import DEMO_SOURCE
from shuren.demo.mediation_history import Drawn, History, Mediator, Org
from shuren.demo.mediation_live import enter_live
from shuren.mediation.choices import EventKind
from shuren.mediation.models import (
    Document,
    FollowUp,
    Mediation,
    MediationCounter,
    MediationEvent,
    Party,
    Session,
)
from shuren.mediation.registration import case_number
from shuren.people.models import Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind

BATCH = 500


def load_demo_mediations(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Both organisations' history and demo-tiaojie's open cases, unless they are there: the
    history's REGISTERED events carry DEMO_SOURCE, so a second load adds nothing."""
    marker = MediationEvent.objects.filter(kind=EventKind.REGISTERED, data__origin=DEMO_SOURCE)
    if marker.exists():
        return {"mediations": 0}
    orgs = _organisations()
    if set(orgs) != {"workshop", "committee"}:
        return {"mediations": 0}
    now = now or timezone.now()
    before = Mediation.objects.count()
    rng = random.Random(data.SEED + 2018)
    tiaojie = get_user_model().objects.filter(username="demo-tiaojie").first()
    history = History(rng, now, tiaojie)
    _write([*history.draw(orgs["workshop"]), *history.draw(orgs["committee"])])
    if tiaojie is not None:
        enter_live(orgs["workshop"], tiaojie, now, rng)
    return {"mediations": Mediation.objects.count() - before}


def _organisations() -> dict[str, Org]:
    """The two organisations with their mediators (and the communities each serves) and the
    places their disputes come from."""
    gc = Place.objects.filter(code=data.SUBDISTRICT[0]).first()
    if gc is None:
        return {}
    estates = list(
        Place.objects.filter(
            kind=PlaceKind.ESTATE, path__startswith=gc.path, property_company__isnull=False
        ).order_by("code")
    )
    communities = list(Place.objects.filter(kind=PlaceKind.COMMUNITY).order_by("code"))
    companies = dict(Team.objects.filter(kind=TeamKind.PROPERTY_COMPANY).values_list("pk", "name"))
    teams = Team.objects.filter(code__in=[data.WORKSHOP[0], data.MEDIATION_COMMITTEE[0]])
    orgs = {}
    for team in teams:
        serving: dict[int, tuple[str, dt.date, set[str]]] = {}
        posts = Post.objects.filter(team=team, role=Role.TIAOJIEYUAN).select_related(
            "person", "place"
        )
        for post in posts.order_by("pk"):
            name, since, paths = serving.get(
                post.person_id, (post.person.name, post.starts_on, set())
            )
            if post.place is not None and post.place.kind == PlaceKind.COMMUNITY:
                paths.add(post.place.path)
            serving[post.person_id] = (name, min(since, post.starts_on), paths)
        mediators = [
            Mediator(pk, name, since, tuple(sorted(paths)))
            for pk, (name, since, paths) in sorted(serving.items())
        ]
        if team.code == data.WORKSHOP[0]:
            served = tuple(p for x in mediators for p in x.paths)
            places = [c for c in communities if c.path in served]
            places += [e for e in estates if e.path.startswith(served)]
            key, opened = "workshop", dt.date(2019, 1, 1)
        else:
            places, key, opened = estates, "committee", dt.date(2018, 6, 1)
        if mediators and places:
            orgs[key] = Org(key, team, team.founded_on or opened, mediators, places, companies)
    return orgs


def _write(cases: list[Drawn]) -> None:
    """The history in bulk: numbers by organisation and year in the order of registration
    (agreements in the order they took effect), then every row that belongs to a case, then
    the counters past the last numbers."""
    last: dict[tuple[int, str, int], int] = defaultdict(int)
    # Numbers already given (a matter dispatched to the workshop opened a case): continue them.
    for org_id, kind, year, n in MediationCounter.objects.values_list(
        "organisation_id", "kind", "year", "last"
    ):
        last[(org_id, kind, year)] = n
    for d in sorted(cases, key=lambda d: (d.m.registered_on, d.events[0].at)):
        key = (d.m.organisation.pk, "case", d.m.registered_on.year)
        last[key] += 1
        d.m.number = case_number(d.m.organisation, key[2], last[key])
    agreed = [d for d in cases if d.m.agreed_on]
    for d in sorted(agreed, key=lambda d: (d.m.agreed_on, d.m.number)):
        assert d.m.agreed_on is not None
        key = (d.m.organisation.pk, "agreement", d.m.agreed_on.year)
        last[key] += 1
        d.m.agreement_number = f"{d.m.organisation.code}-{key[2]}-XY{last[key]:04d}"
    Mediation.objects.bulk_create([d.m for d in cases], batch_size=BATCH)
    for d in cases:
        children: list[Party | FollowUp | Document | MediationEvent] = [
            *d.parties,
            *d.follow_ups,
            *d.documents,
            *d.events,
        ]
        for child in children:
            child.mediation = d.m
        for session, _present, _mediators in d.sessions:
            session.mediation = d.m
    Party.objects.bulk_create([p for d in cases for p in d.parties], batch_size=BATCH)
    Session.objects.bulk_create([s for d in cases for s, *_x in d.sessions], batch_size=BATCH)
    FollowUp.objects.bulk_create([f for d in cases for f in d.follow_ups], batch_size=BATCH)
    Document.objects.bulk_create([x for d in cases for x in d.documents], batch_size=BATCH)
    MediationEvent.objects.bulk_create([e for d in cases for e in d.events], batch_size=BATCH)
    Chosen = Mediation.mediators.through
    Present = Session.parties.through
    Sitting = Session.mediators.through
    Chosen.objects.bulk_create(
        [Chosen(mediation_id=d.m.pk, person_id=p) for d in cases for p in d.mediators],
        batch_size=BATCH,
    )
    Present.objects.bulk_create(
        [
            Present(session_id=s.pk, party_id=d.parties[i].pk)
            for d in cases
            for s, present, _m in d.sessions
            for i in present
        ],
        batch_size=BATCH,
    )
    Sitting.objects.bulk_create(
        [
            Sitting(session_id=s.pk, person_id=p)
            for d in cases
            for s, _p, mediators in d.sessions
            for p in mediators
        ],
        batch_size=BATCH,
    )
    for (organisation, kind, year), n in last.items():
        MediationCounter.objects.update_or_create(
            organisation_id=organisation, kind=kind, year=year, defaults={"last": n}
        )
