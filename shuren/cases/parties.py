"""Who may see which party of a matter: the one answer the case page, the API, the exports and
the notifications apply (issue 10). The parties are the reporter (a resident with a login, or a
contact who is not registered: a caller, a WeChat group member), and the applicants,
respondents and other parties staff named.

The rule, least privilege first:

- **Those who handle the matter** (its place is under a post of theirs, they recorded it, or it
  is assigned to them or their team) and **its reporter** see every party by name, and the
  people who acted on it. Phones stay masked (`access.masking`); unmasking is its own logged
  step for the roles that may.
- **A party** (named as applicant, respondent or other party, and not its reporter) learns
  nobody's name: not who reported it, not the other parties, not who acted on it — the handler
  may be the very person who complained, and a neighbour need not learn who complained. They
  see their own line ("you are named as respondent"). This holds even where the party also
  holds a post over the place (a 楼长 complained about in his own building): being named in a
  dispute outranks handling it.
- **Anyone else who sees the matter** (they handled it once, 经手的) sees no party either, and
  of the people who acted on it only the workers: never the step that reported it, nor any
  step the reporter took (a note, a rating), which would name them.

Notifications follow it by construction: a message about a matter carries its number, title
and the masked text every viewer of the page sees, never a person's name
(`cases.workflow.actions.tell`); tests/test_parties.py renders every face for every demo role
and party position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from shuren.access.context import scope_of
from shuren.access.masking import mask_phone
from shuren.cases.choices import EventKind
from shuren.cases.models import Case, CaseEvent, CaseParty
from shuren.cases.reach import reach_of
from shuren.cases.rules import in_sight, is_assignee

# The steps a reporter takes as the resident who raised it (a worker who reported a matter takes
# the workers' steps under their own name, as any worker does).
REPORTERS_STEPS = frozenset({EventKind.NOTED, EventKind.FOLLOWED_UP, EventKind.REOPENED})
# Keys of an event's data that name a person or a team (the step's facts stay).
NAMING_KEYS = frozenset({"person", "person_name", "team_name", "on_behalf_of", "notified"})


@dataclass(frozen=True)
class PartyLens:
    """What one viewer may learn of one matter's people."""

    # Handlers and the reporter: every party by name, and whoever acted on it.
    names_people: bool
    # Named in it as a party (and not its reporter): not even the workers' names.
    is_party: bool = False
    # The viewer's own party rows (a party is told their own side, nothing more).
    own_person_id: int | None = None
    # Whom this viewer is, for the actor of the steps they took themselves.
    user_id: int | None = None
    # The matter's reporter, whose own steps would name them.
    reporter_id: int | None = None

    def reporter(self, case: Case) -> Any:
        return case.reporter if self.names_people else None

    def reporter_phone(self, case: Case) -> str:
        reporter = self.reporter(case)
        return mask_phone(reporter.phone) if reporter is not None else ""

    def contact_name(self, case: Case) -> str:
        return case.contact_name if self.names_people else ""

    def contact_phone(self, case: Case) -> str:
        """The unregistered contact's phone, masked; its logged reveal is a separate step."""
        return case.masked_contact_phone if self.names_people else ""

    def parties(self, rows: list[CaseParty]) -> list[CaseParty]:
        if self.names_people:
            return rows
        return [row for row in rows if row.person_id == self.own_person_id]

    def actor_hidden(self, event: CaseEvent) -> bool:
        """Whether the person who took this step is withheld from this viewer (the system,
        with no actor, is never a person)."""
        if self.names_people or event.actor_id is None or event.actor_id == self.user_id:
            return False
        if self.is_party or event.kind == EventKind.REPORTED:
            return True
        if event.kind not in REPORTERS_STEPS:
            return False
        person_id = event.actor.person_id if event.actor is not None else None
        return person_id is not None and person_id == self.reporter_id

    def actor(self, event: CaseEvent) -> str | None:
        """Who took the step: None for the system, "" where it is not for this viewer."""
        if event.actor is None:
            return None
        if self.actor_hidden(event):
            return ""
        person = event.actor.person
        return person.name if person is not None else event.actor.get_username()

    def event_data(self, event: CaseEvent) -> dict[str, Any]:
        """The step's facts; whom it went to or was done for, except to a party. Who was
        notified is the system's bookkeeping and never shown."""
        data = event.data or {}
        if not self.is_party:
            return {key: value for key, value in data.items() if key != "notified"}
        return {key: value for key, value in data.items() if key not in NAMING_KEYS}


def party_rows(case: Case) -> list[CaseParty]:
    """The matter's parties with their persons, in the order staff named them."""
    return list(CaseParty.objects.filter(case=case).select_related("person").order_by("pk"))


def lens_of(user: Any, case: Case, rows: list[CaseParty] | None = None) -> PartyLens:
    """The one answer: what `user` may learn of `case`'s people (see the module's rule).
    `rows`: the matter's parties where the caller has read them already (no second query)."""
    person_id = reach_of(user).person_id
    reporter = person_id is not None and case.reporter_id == person_id
    handles = (
        in_sight(user, case)
        or case.recorded_by_id == getattr(user, "pk", None)
        or is_assignee(user, case)
    )
    named = False
    if person_id is not None and not reporter:
        if rows is not None:
            named = any(row.person_id == person_id for row in rows)
        else:
            named = CaseParty.objects.filter(case_id=case.pk, person_id=person_id).exists()
    # Being named in a dispute outranks handling it.
    names = reporter or (handles and not named)
    return PartyLens(
        names_people=bool(names),
        is_party=named,
        own_person_id=person_id,
        user_id=user.pk,
        reporter_id=case.reporter_id,
    )


def may_reveal_contact(user: Any, case: Case, lens: PartyLens) -> bool:
    """Revealing an unregistered caller's phone (logged): the user may unmask at the place and
    learns the matter's people (never a party to it). The page asks this with the lens it
    already has; the action through the rule below."""
    return lens.names_people and scope_of(user).may_unmask_path(case.place_path)


@rules.predicate
def reveals_contact(user: Any, case: Any) -> bool:
    return case is not None and may_reveal_contact(user, case, lens_of(user, case))


rules.add_perm("cases.reveal_contact_phone", reveals_contact)
