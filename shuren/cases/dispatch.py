"""Dispatching several matters at once (派单 from the desk): who may, and what became of each.

The desk posts the matters it showed, each with the version it showed, and one team. Each
matter is then one assign_case of its own (its own transaction, lock, version check and event),
so one refusal never undoes another matter's dispatch. A retried POST dispatches nothing twice:
its versions are out of date by then, and a matter already with that team is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.cases.actions import assign_case
from shuren.cases.choices import Status
from shuren.cases.models import Case
from shuren.cases.responsible import teams_to_dispatch
from shuren.cases.rules import permission
from shuren.cases.workflow.transitions import Action, allowed
from shuren.kernel.versions import StaleVersion
from shuren.people.models import Team
from shuren.places.queries import Above

# A desk page holds 20 matters; a POST naming more than this is not one of ours.
MAX_AT_ONCE = 100


class Outcome(models.TextChoices):
    DONE = "done", _("Dispatched")
    ALREADY = "already", _("Already with this team")
    STALE = "stale", _("Changed meanwhile")
    REFUSED = "refused", _("Not dispatched")
    NOT_FOUND = "not_found", _("Not found")


@dataclass(frozen=True)
class Pick:
    """A matter as the desk showed it: its id and the version the page was rendered with."""

    case_id: int
    version: int


@dataclass(frozen=True)
class Result:
    case_id: int
    number: str  # "" when the matter was not found (or is not the user's to see)
    outcome: str
    reason: str = ""


def dispatch_refusal(user: Any, case: Case) -> str:
    """Why this user may not dispatch this matter now, in words; "" when they may."""
    if not allowed(Action.ASSIGN, case.status):
        return str(
            _("It is %(status)s: only open matters are dispatched.")
            % {"status": Status(case.status).label}
        )
    if not user.has_perm(permission("assign"), case):
        return str(
            _("Your post does not dispatch matters at tier %(tier)s here.")
            % {"tier": case.current_tier}
        )
    return ""


def teams_for(cases: Iterable[Case], *, above: dict[int, Above] | None = None) -> list[Team]:
    """The teams a desk offers for these matters, the estate's property company and the teams
    nearest their places first (responsible.teams_to_dispatch); none without matters."""
    paths = {case.place_path for case in cases}
    return teams_to_dispatch(paths, above=above) if paths else []


def offered_team(cases: Sequence[Case], team_id: int) -> Team | None:
    """The team, if it serves at least one of these matters; any other id reads as missing."""
    return next((t for t in teams_for(cases) if t.pk == team_id), None)


def dispatch_each(*, actor: Any, picks: Sequence[Pick], team: Team, note: str = "") -> list[Result]:
    """Dispatch each picked matter to the team, one assign_case each, and say what happened to
    each, in the order picked. A matter the actor cannot see reads exactly like a missing one."""
    found = (
        Case.objects.visible_to(actor)
        .select_related("place", "category")
        .in_bulk([pick.case_id for pick in picks])
    )
    results: list[Result] = []
    for pick in picks:
        case = found.get(pick.case_id)
        if case is None:
            results.append(Result(pick.case_id, "", Outcome.NOT_FOUND))
            continue
        if _with_team(case, team):  # a retried POST, or someone was quicker: nothing to do
            results.append(Result(case.pk, case.number, Outcome.ALREADY))
            continue
        refusal = dispatch_refusal(actor, case)
        if refusal:
            results.append(Result(case.pk, case.number, Outcome.REFUSED, refusal))
            continue
        results.append(_dispatch_one(actor, case, pick.version, team, note))
    return results


def _with_team(case: Case, team: Team) -> bool:
    return case.assignee_team_id == team.pk and case.assignee_person_id is None


def _dispatch_one(actor: Any, case: Case, version: int, team: Team, note: str) -> Result:
    try:
        assign_case(actor=actor, case=case, team=team, note=note, expected_version=version)
    except StaleVersion:
        case.refresh_from_db(fields=["assignee_team", "assignee_person", "version"])
        if _with_team(case, team):
            return Result(case.pk, case.number, Outcome.ALREADY)
        return Result(
            case.pk,
            case.number,
            Outcome.STALE,
            str(_("Someone changed it after the list was shown; open it to see how it stands.")),
        )
    except PermissionDenied as exc:
        return Result(case.pk, case.number, Outcome.REFUSED, str(exc))
    except ValidationError as exc:  # the team does not serve its place, or its state moved on
        return Result(case.pk, case.number, Outcome.REFUSED, " ".join(exc.messages))
    return Result(case.pk, case.number, Outcome.DONE)
