"""What the case page says about now, in plain words: who handles the matter (by name) and what
happens next. The same for everyone who may see the matter; the reporter is spoken to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases.choices import EventKind, Status
from shuren.cases.models import Case, CaseEvent
from shuren.cases.responsible import Handler, handling_now
from shuren.cases.workflow.rating import has_someone_to_ask, rating_window_ends
from shuren.workdays.calendar import SHANGHAI


@dataclass(frozen=True)
class Now:
    label: str  # "Who is handling it", "Who settled it", or "" (nobody does any more)
    who: list[str]
    next: str
    # Some of them are people this viewer may not be told of (a party to a dispute learns
    # nobody's name: the handler may be who complained).
    withheld: bool = False

    @property
    def shows_who(self) -> bool:
        """A who-line to show: someone handles it, and not only people this viewer may not
        be told of."""
        return bool(self.label) and (bool(self.who) or not self.withheld)


def _when(moment: Any) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def _last(events: list[CaseEvent], kind: str) -> CaseEvent | None:
    return next((e for e in reversed(events) if e.kind == kind), None)


def _name(event: CaseEvent | None) -> str:
    if event is None or event.actor is None:
        return ""
    person = event.actor.person
    return person.name if person else event.actor.get_username()


def now_of(case: Case, events: list[CaseEvent], *, is_reporter: bool, names_people: bool) -> Now:
    """Who handles the matter now (or settled it) and what happens next; people by name only
    for a viewer who may see the matter's people (cases.parties)."""
    if case.status in (Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED):
        who = [Handler(p.name, True) for p in [case.assignee_person] if p is not None]
        who += [Handler(t.name, False) for t in [case.assignee_team] if t is not None]
        if not who and (name := _name(_last(events, EventKind.RESOLVED))):
            who = [Handler(name, True)]
        label, next_ = _("Who settled it"), _settled_next(case, is_reporter=is_reporter)
    elif not case.is_open:  # turned down or merged: nobody handles it any more
        return Now("", [], _open_next(case, False))
    else:
        escalated = _last(events, EventKind.ESCALATED)
        referred_to = str((escalated.data or {}).get("referred_to", "")) if escalated else ""
        who = handling_now(case, referred_to=referred_to)
        label, next_ = _("Who is handling it"), _open_next(case, bool(who))
    shown = [h.name for h in who if names_people or not h.is_person]
    return Now(label, shown, next_, withheld=len(shown) < len(who))


def _open_next(case: Case, who: bool) -> str:
    if case.status == Status.REJECTED:
        return _("It was not taken on as a matter for the community; the reason is below.")
    if case.status == Status.MERGED:
        number = case.merged_into.number if case.merged_into else ""
        return _("It is handled together with matter %(number)s.") % {"number": number}
    if not who:
        return _("The community office will find someone to handle it.")
    if case.status == Status.REPORTED:
        if case.accept_due:
            return _("They will look into it and take it on by %(when)s.") % {
                "when": _when(case.accept_due)
            }
        return _("They will look into it and take it on.")
    if case.resolve_due:
        return _("They are working on it; it should be settled by %(when)s.") % {
            "when": _when(case.resolve_due)
        }
    return _("They are working on it.")


def _settled_next(case: Case, *, is_reporter: bool) -> str:
    if case.status == Status.CLOSED:
        return _("The matter is closed.")
    if case.status == Status.FOLLOWED_UP:
        return _("The reporter's rating is in; the matter will be closed.")
    if is_reporter:
        return _("It has been settled. Please tell us below whether you are satisfied.")
    if not has_someone_to_ask(case):
        return _("It has been settled; the matter will be closed.")
    ends = rating_window_ends(case)
    return _(
        "It has been settled. The reporter is asked whether they are satisfied "
        "(until %(when)s); then the matter is closed."
    ) % {"when": _when(ends)}
