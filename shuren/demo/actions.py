"""Loading the Guicheng demo: write the plan into the database, creating only what is missing.

The place tree, people, posts, teams and households are seed data: written straight into the
tables in bulk, like the test world (shuren/testing.py), not through the people and place
actions, which would authorize a missing actor and record thousands of events for rows nobody
changed. The demo's matters do go through the case actions (case_actions, history, sweep), and
its mediation cases through the mediation actions, or in bulk for their history (mediations.py),
and its elevator projects likewise (elevators.py).
and its meetings through the meetings' actions (meetings.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from shuren.cases import actions as case_actions
from shuren.cases.intake.history import load_settled_history
from shuren.cases.models import Case, CaseEvent, EventKind
from shuren.cases.workflow.sweep import run_sweep
from shuren.demo.case_facts import DEMO_SOURCE, LOGINS, Facts
from shuren.demo.case_live import LiveCase, LiveStep, plan_live
from shuren.demo.cases import plan_history
from shuren.demo.elevators import load_demo_elevators
from shuren.demo.guicheng import build_plan
from shuren.demo.mediations import load_demo_mediations
from shuren.demo.meetings import load_demo_meetings
from shuren.demo.plan import LoginSpec, Plan
from shuren.demo.votes import load_demo_votes
from shuren.people.models import Membership, Person, Post, Team
from shuren.places.models import Household, Place, Resident, Shop
from shuren.places.paths import path_step
from shuren.places.tree import check_parent
from shuren.workdays.current import current_calendar

# Stay under SQLite's default limit of 999 bound parameters per statement.
CHUNK = 900
K = TypeVar("K")


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    users_changed: int = 0
    logins: list[LoginSpec] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return self.users_changed > 0 or any(self.created.values())


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _lookup(model: type[models.Model], key: str, values: Iterable[Any], *fields: str) -> dict:
    """Existing rows whose `key` is among values: key -> the tuple of fields (pk by default)."""
    fields = fields or ("pk",)
    found = {}
    for chunk in _chunks(sorted(set(values))):
        for row in model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, *fields):
            found[row[0]] = row[1] if len(fields) == 1 else row[1:]
    return found


def _existing_pairs(
    model: type[models.Model], key: str, ids: Iterable[int], pair: Callable[[Any], K], *fields: str
) -> set[K]:
    found: set[K] = set()
    for chunk in _chunks(sorted(set(ids))):
        rows = model._default_manager.filter(**{f"{key}__in": chunk}).values_list(*fields)
        found.update(pair(row) for row in rows)
    return found


@transaction.atomic
def load_demo(
    *, password: str, plan: Plan | None = None, now: dt.datetime | None = None
) -> LoadResult:
    """Create whatever of the demo is missing; rows that exist (by code) are left as they are.

    Places, teams, persons, households and shops are matched by code, posts by person, role,
    place and team, memberships by team and person, users by username. The matters (cases)
    are written once, with everything else in place (see load_demo_cases). A second run
    therefore creates nothing and changes nothing.
    """
    plan = plan or build_plan()
    result = LoadResult(logins=plan.logins)
    places, new_estates = _load_places(plan, result)
    teams = _load_teams(plan, places, result)
    # Property companies are teams, and teams hang on places: link the two once both exist.
    linked = [
        Place(pk=places[spec.code][0], property_company_id=teams[spec.company])
        for spec in plan.places
        if spec.company and spec.code in new_estates
    ]
    Place.objects.bulk_update(linked, ["property_company"], batch_size=500)
    persons = _load_persons(plan, result)
    _load_households(plan, places, persons, result)
    _load_shops(plan, places, persons, result)
    _load_posts(plan, places, teams, persons, result)
    _load_memberships(plan, teams, persons, result)
    _load_users(plan, persons, password, result)
    result.created.update(load_demo_cases(now=now))
    result.created.update(load_demo_mediations(now=now))
    result.created.update(load_demo_elevators(now=now))
    result.created.update(load_demo_votes(now=now))
    result.created.update(load_demo_meetings(now=now))
    return result


def _load_places(plan: Plan, result: LoadResult) -> tuple[dict[str, tuple], set[str]]:
    """Places level by level; a new place's path needs its own primary key and its parent's path."""
    known: dict[str, tuple] = _lookup(
        Place, "code", (s.code for s in plan.places), "pk", "path", "depth", "kind"
    )
    depth: dict[str, int] = {}
    for spec in plan.places:
        depth[spec.code] = 0 if spec.parent is None else depth[spec.parent] + 1
    created: set[str] = set()
    by_code = {s.code: s for s in plan.places}
    for level in sorted(set(depth.values())):
        new = []
        for spec in plan.places:
            if depth[spec.code] != level or spec.code in known:
                continue
            parent = known[spec.parent] if spec.parent else None
            check_parent(spec.kind, Place(kind=parent[3]) if parent else None)
            new.append(
                Place(
                    kind=spec.kind,
                    name=spec.name,
                    code=spec.code,
                    official_code=spec.official_code,
                    parent_id=parent[0] if parent else None,
                    storeys=spec.storeys,
                    floor_from=spec.floor_from,
                    floor_to=spec.floor_to,
                    address=spec.address,
                    # Unique placeholder until the primary key is known (as create_place does).
                    path=f"~{spec.code}",
                    depth=parent[2] + 1 if parent else 0,
                )
            )
        Place.objects.bulk_create(new, batch_size=500)
        for place in new:
            parent_code = by_code[place.code].parent
            prefix = known[parent_code][1] if parent_code else ""
            place.path = prefix + path_step(place.pk)
            known[place.code] = (place.pk, place.path, place.depth, place.kind)
            created.add(place.code)
        Place.objects.bulk_update(new, ["path"], batch_size=500)
    result.created["places"] = len(created)
    return known, created


def _load_teams(plan: Plan, places: dict[str, tuple], result: LoadResult) -> dict[str, int]:
    known = _lookup(Team, "code", (t.code for t in plan.teams))
    new = [
        Team(
            code=t.code,
            kind=t.kind,
            name=t.name,
            place_id=places[t.place][0],
            founded_on=t.founded_on,
            description=t.description,
        )
        for t in plan.teams
        if t.code not in known
    ]
    Team.objects.bulk_create(new, batch_size=500)
    known.update({t.code: t.pk for t in new})
    result.created["teams"] = len(new)
    return known


def _load_persons(plan: Plan, result: LoadResult) -> dict[str, int]:
    known = _lookup(Person, "code", plan.persons)
    new = [
        Person(
            code=p.code,
            name=p.name,
            phone=p.phone,
            id_number=p.id_number,
            party_member=p.party_member,
        )
        for p in plan.persons.values()
        if p.code not in known
    ]
    Person.objects.bulk_create(new, batch_size=2000)
    known.update({p.code: p.pk for p in new})
    result.created["persons"] = len(new)
    return known


def _load_households(
    plan: Plan, places: dict[str, tuple], persons: dict[str, int], result: LoadResult
) -> None:
    """Households missing by code; their owners and residents come with them, all or nothing."""
    known = _lookup(Household, "code", (h.code for h in plan.households))
    place_ids = {places[h.place][0] for h in plan.households}
    # A room already taken under another code (data entered by hand) is left alone.
    taken = _existing_pairs(Household, "place_id", place_ids, tuple, "place_id", "room")
    new = [
        Household(
            code=h.code,
            place_id=places[h.place][0],
            room=h.room,
            floor=h.floor,
            exclusive_area=h.area,
        )
        for h in plan.households
        if h.code not in known and (places[h.place][0], h.room) not in taken
    ]
    Household.objects.bulk_create(new, batch_size=2000)
    created = {h.code: h.pk for h in new}
    Owner = Household.owners.through
    Owner.objects.bulk_create(
        [
            Owner(household_id=created[h.code], person_id=persons[owner])
            for h in plan.households
            if h.code in created
            for owner in h.owners
        ],
        batch_size=2000,
    )
    residents = [
        Resident(
            household_id=created[r.household],
            person_id=persons[r.person],
            relation=r.relation,
            moved_in_on=r.moved_in_on,
        )
        for r in plan.residents
        if r.household in created
    ]
    Resident.objects.bulk_create(residents, batch_size=2000)
    result.created["households"] = len(new)
    result.created["residents"] = len(residents)


def _load_shops(
    plan: Plan, places: dict[str, tuple], persons: dict[str, int], result: LoadResult
) -> None:
    known = _lookup(Shop, "code", (s.code for s in plan.shops))
    new = [
        Shop(
            code=s.code,
            place_id=places[s.place][0],
            name=s.name,
            kind=s.kind,
            address=s.address,
            contact_id=persons[s.contact],
        )
        for s in plan.shops
        if s.code not in known
    ]
    Shop.objects.bulk_create(new)
    result.created["shops"] = len(new)


def _load_posts(
    plan: Plan,
    places: dict[str, tuple],
    teams: dict[str, int],
    persons: dict[str, int],
    result: LoadResult,
) -> None:
    existing = _existing_pairs(
        Post,
        "person_id",
        (persons[p.person] for p in plan.posts),
        tuple,
        "person_id",
        "role",
        "place_id",
        "team_id",
    )
    new = []
    for spec in plan.posts:
        place_id = places[spec.place][0] if spec.place else None
        team_id = teams[spec.team] if spec.team else None
        row = (persons[spec.person], spec.role, place_id, team_id)
        if row not in existing:
            existing.add(row)
            new.append(
                Post(
                    person_id=row[0],
                    role=spec.role,
                    place_id=place_id,
                    team_id=team_id,
                    title=spec.title,
                    starts_on=spec.starts_on,
                )
            )
    Post.objects.bulk_create(new, batch_size=1000)
    result.created["posts"] = len(new)


def _load_memberships(
    plan: Plan, teams: dict[str, int], persons: dict[str, int], result: LoadResult
) -> None:
    existing = _existing_pairs(
        Membership,
        "team_id",
        (teams[m.team] for m in plan.memberships),
        tuple,
        "team_id",
        "person_id",
    )
    new = []
    for spec in plan.memberships:
        row = (teams[spec.team], persons[spec.person])
        if row not in existing:
            existing.add(row)
            new.append(
                Membership(
                    team_id=row[0], person_id=row[1], role=spec.role, starts_on=spec.starts_on
                )
            )
    Membership.objects.bulk_create(new, batch_size=1000)
    result.created["memberships"] = len(new)


def _load_users(plan: Plan, persons: dict[str, int], password: str, result: LoadResult) -> None:
    """Upsert the demo logins by username: an existing demo-* user is re-pointed at the demo."""
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in plan.logins])
    }
    for spec in plan.logins:
        person_id = persons[spec.person]
        user = users.get(spec.username)
        if user is None:
            User.objects.filter(person_id=person_id).update(person=None)
            user = User(username=spec.username, person_id=person_id, is_staff=spec.is_staff)
            user.set_password(password)
            user.save()
            result.created["users"] = result.created.get("users", 0) + 1
            continue
        changed = []
        if user.person_id != person_id:
            # One person, one login: whoever else pointed at this person lets go first.
            User.objects.filter(person_id=person_id).exclude(pk=user.pk).update(person=None)
            user.person_id = person_id
            changed.append("person")
        if user.is_staff != spec.is_staff:
            user.is_staff = spec.is_staff
            changed.append("is_staff")
        if not user.is_active:
            user.is_active = True
            changed.append("is_active")
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
            result.users_changed += 1
    result.created.setdefault("users", 0)


# --- Matters ------------------------------------------------------------------------------------


def load_demo_cases(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The demo's matters since 2011 (shuren/demo/cases.py), unless they are there already.

    The settled history goes in through cases/history.py in bulk; the open cases of the last
    weeks through the case actions, as leaders and staff would enter them; then the overdue
    sweep looks at them once. The history's REPORTED events carry DEMO_SOURCE: when one
    exists, the demo's cases were loaded before and nothing is added.
    """
    if CaseEvent.objects.filter(kind=EventKind.REPORTED, data__source=DEMO_SOURCE).exists():
        return {"cases": 0, "case_events": 0}
    now = now or timezone.now()
    cases, events = Case.objects.count(), CaseEvent.objects.count()
    facts = Facts.read()
    load_settled_history(rows=plan_history(facts, now))
    _enter_live_cases(plan_live(facts, now, current_calendar()), facts)
    run_sweep(now=now)
    return {
        "cases": Case.objects.count() - cases,
        "case_events": CaseEvent.objects.count() - events,
    }


LIVE_ACTIONS: dict[str, Callable[..., Case]] = {
    "accept": lambda step, refs, **common: case_actions.accept_case(**common, note=step.text),
    "note": lambda step, refs, **common: case_actions.add_note(**common, note=step.text),
    "assign": lambda step, refs, **common: case_actions.assign_case(
        **common, team=refs["teams"][step.team_id], note=step.text
    ),
    "escalate": lambda step, refs, **common: case_actions.escalate_case(
        **common, reason=step.text, to_tier=step.to_tier, referred_to=step.referred_to
    ),
    "merge": lambda step, refs, **common: case_actions.merge_case(
        **common, into=refs["cases"][step.into], reason=step.text
    ),
    "reject": lambda step, refs, **common: case_actions.reject_case(**common, reason=step.text),
}


def _enter_live_cases(specs: list[LiveCase], facts: Facts) -> None:
    places = Place.objects.in_bulk({s.place for s in specs}, field_name="code")
    users = get_user_model().objects.filter(username__in=LOGINS).in_bulk(field_name="username")
    team_ids = {step.team_id for s in specs for step in s.steps if step.team_id}
    refs: dict[str, dict[Any, Any]] = {"teams": Team.objects.in_bulk(team_ids), "cases": {}}
    for spec in specs:
        case = case_actions.report_case(
            actor=users.get(spec.by) if spec.by else None,
            place=places[spec.place],
            category=facts.categories[spec.category],
            title=spec.title,
            description=spec.description,
            channel=spec.channel,
            reporter=Person(pk=spec.reporter_id) if spec.reporter_id else None,
            contact_name=spec.contact_name,
            contact_phone=spec.contact_phone,
            risk=spec.risk,
            tier=spec.tier,
            at=spec.at,
        )
        for step in spec.steps:
            case = _live_step(step, case, users, refs)
        refs["cases"][spec.key] = case


def _live_step(step: LiveStep, case: Case, users: dict[str, Any], refs: dict) -> Case:
    actor = users.get(step.by) if step.by else None
    return LIVE_ACTIONS[step.action](step, refs, actor=actor, case=case, at=step.at)
