"""The ladder of a project and what each step needs (rules-cn.md §1), as pure functions: a
step is refused while anything it needs is missing, and each reason is named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shuren.deliberation.elevators.choices import STAGES, Stage


def next_stage(stage: str) -> str | None:
    """The stage after this one; None at the last (in service) and off the ladder (stopped)."""
    if stage not in STAGES:
        return None
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


@dataclass(frozen=True)
class Facts:
    """What the project holds now that the ladder reads."""

    stage: str
    surveyed: bool
    vote_passed: bool | None  # None: no vote counted yet
    consents_pending: int
    consents_refused: int
    today: dt.date
    notice_ends_on: dt.date | None
    open_objections: int
    costs_agreed: bool


def blockers(f: Facts) -> list[str]:
    """Why the project cannot move to its next stage now (codes; empty: it can)."""
    found: list[str] = []
    if f.stage == Stage.IN_SERVICE:
        return ["last_stage"]
    if f.stage == Stage.STOPPED:
        return ["stopped"]
    if f.stage == Stage.SURVEY and not f.surveyed:
        found.append("survey_missing")
    if f.stage == Stage.VOTE:
        # The vote passed (matter 7: double 2/3 taking part, double 3/4 of them agreeing) AND
        # every owner whose exclusive part the works occupy consented, one by one.
        if f.vote_passed is None:
            found.append("vote_not_counted")
        elif not f.vote_passed:
            found.append("vote_not_passed")
        if f.consents_refused:
            found.append("consent_refused")
        if f.consents_pending:
            found.append("consent_pending")
    if f.stage == Stage.NOTICE:
        if f.notice_ends_on is None or f.today <= f.notice_ends_on:
            found.append("notice_running")
        if f.open_objections:
            found.append("objection_open")
    if f.stage == Stage.DESIGN and not f.costs_agreed:
        # Nobody builds before the owners know what each pays.
        found.append("costs_missing")
    return found


def notice_window(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The public notice's first and last day (both included)."""
    return start, start + dt.timedelta(days=max(days, 1) - 1)


def objection_window_open(
    stage: str, starts_on: dt.date | None, ends_on: dt.date | None, today: dt.date
) -> bool:
    return (
        stage == Stage.NOTICE
        and starts_on is not None
        and ends_on is not None
        and starts_on <= today <= ends_on
    )
