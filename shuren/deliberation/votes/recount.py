"""After the close, the only way a ballot changes: a logged recount (a choice entered wrongly
corrected, a ballot received on time but entered late added with its proof, a ballot voided),
the result counted again and kept, the electors told. And calling off a vote not yet counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from shuren.deliberation.votes.ballots import (
    attach_papers,
    check_choice,
    entered_ballot,
    insert_ballot,
)
from shuren.deliberation.votes.choices import EventKind, Origin, Status
from shuren.deliberation.votes.counting import count, result_json
from shuren.deliberation.votes.models import Ballot, Vote, VoteEvent, VoteOwner
from shuren.kernel.action import Act, change
from shuren.kernel.outbox import NOBODY, Tell
from shuren.people.models import Person
from shuren.text import clean_text

MAX_CORRECTIONS = 200


@dataclass(frozen=True)
class ChangeChoice:
    """A ballot whose choice was entered wrongly: what the paper says."""

    ballot: int
    choice: str


@dataclass(frozen=True)
class VoidBallot:
    """A ballot that should not count (a forged signature, a proxy without authority …)."""

    ballot: int


@dataclass(frozen=True)
class AddBallot:
    """A paper or proxy ballot received before the close but not entered: with its proof."""

    owner_key: str
    choice: str
    origin: str
    received_at: dt.datetime
    person: Person | None = None
    owner_name: str = ""
    proxy_name: str = ""
    paper: File[Any] | None = None
    authorisation: File[Any] | None = None


Correction = ChangeChoice | VoidBallot | AddBallot


def _shown(ballot: Ballot) -> dict[str, Any]:
    return {
        "choice": ballot.choice,
        "origin": ballot.origin,
        "voided": ballot.voided_at is not None,
    }


def _ballot(vote: Vote, pk: int) -> Ballot:
    found = Ballot.objects.filter(vote=vote, pk=pk).first()
    if found is None:
        raise ValidationError(_("This ballot is not one of this vote's."), code="ballot")
    if found.voided_at is not None:
        raise ValidationError(_("This ballot was voided already."), code="voided")
    return found


def _apply(act: Act[Vote], correction: Correction, reason: str) -> tuple[Ballot, dict[str, Any]]:
    vote = act.subject
    if isinstance(correction, AddBallot):
        if not vote.opens_at <= correction.received_at < vote.closes_at:
            raise ValidationError(
                _("Only a ballot received while voting was open can be added."), code="late"
            )
        ballot = entered_ballot(
            act,
            owner_key=correction.owner_key,
            choice=correction.choice,
            origin=correction.origin,
            person=correction.person,
            owner_name=correction.owner_name,
            proxy_name=correction.proxy_name,
            paper=correction.paper,
            authorisation=correction.authorisation,
            cast_at=correction.received_at,
        )
        insert_ballot(act, ballot, NOBODY, record=False)
        return ballot, {"before": None, "after": _shown(ballot)}
    ballot = _ballot(vote, correction.ballot)
    before = _shown(ballot)
    if isinstance(correction, ChangeChoice):
        if ballot.origin == Origin.WEB:
            # The owner's own online ballot has no paper behind it to read again: it may be
            # voided with a reason, never rewritten by someone else.
            raise ValidationError(
                _("An owner's online ballot cannot be changed by the organisers; void it instead."),
                code="web_ballot",
            )
        check_choice(correction.choice)
        if correction.choice == ballot.choice:
            raise ValidationError(_("The ballot already says so."), code="same_choice")
        ballot.choice = correction.choice
        ballot.save(update_fields=["choice"])
    else:
        ballot.voided_at = act.at
        ballot.void_reason = reason[:200]
        ballot.save(update_fields=["voided_at", "void_reason"])
    return ballot, {"before": before, "after": _shown(ballot)}


def recount_vote(
    *,
    actor: Any,
    vote: Vote,
    corrections: Sequence[Correction],
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Vote:
    """Correct the ballots of a counted vote and count it again (organisers only): one event
    holding each ballot before and after and the reason; the electors are told the result."""
    reason = clean_text(reason, 2000)
    with change(
        Vote.objects,
        vote.pk,
        actor=actor,
        perm="deliberation.recount_vote",
        expected_version=expected_version,
        at=at,
    ) as act:
        vote = act.subject
        if vote.status != Status.CLOSED:
            raise ValidationError(
                _("Only a counted vote is recounted; until the close, ballots are entered."),
                code="not_counted",
            )
        if not reason:
            raise ValidationError(_("Say why the ballots are recounted."), code="reason")
        if not corrections:
            raise ValidationError(_("Say which ballots change."), code="corrections")
        if len(corrections) > MAX_CORRECTIONS:
            raise ValidationError(
                _("At most %(n)d corrections in one recount.") % {"n": MAX_CORRECTIONS},
                code="corrections",
            )
        touched = [b.ballot for b in corrections if not isinstance(b, AddBallot)]
        if len(touched) != len(set(touched)):
            raise ValidationError(_("Each ballot is corrected once."), code="twice")
        changes = []
        added = []
        for correction in corrections:
            ballot, shown = _apply(act, correction, reason)
            changes.append({"ballot": ballot.pk, "owner_key": ballot.owner_key, **shown})
            if isinstance(correction, AddBallot):
                added.append((ballot, correction))
        before = {"passed": vote.passed, "quorum_met": vote.quorum_met}
        result = count(vote)
        vote.quorum_met = result.quorum_met
        vote.passed = result.passed
        vote.result = result_json(result)
        vote.counted_at = act.at
        act.save(["quorum_met", "passed", "result", "counted_at"])
        act.record(
            VoteEvent(
                vote=vote,
                kind=EventKind.RECOUNTED,
                actor=actor,
                at=act.at,
                note=reason,
                data={
                    "changes": changes,
                    "before": before,
                    "after": {"passed": result.passed, "quorum_met": result.quorum_met},
                },
            ),
            tell=Tell.users(
                "vote.recounted",
                _electors(vote),
                actor=actor,
                title=vote.title,
                passed=result.passed,
                link=vote.get_absolute_url(),
            ),
        )
        for ballot, correction in added:
            attach_papers(act, ballot, correction.paper, correction.authorisation)
        return vote


def _electors(vote: Vote) -> Any:
    return get_user_model().objects.filter(
        person_id__in=VoteOwner.objects.filter(vote=vote).values("person_id"), is_active=True
    )


def cancel_vote(
    *,
    actor: Any,
    vote: Vote,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Vote:
    """Call off a vote not yet counted (organisers only), saying why; its electors are told and
    its ballots are never counted."""
    reason = clean_text(reason, 2000)
    with change(
        Vote.objects,
        vote.pk,
        actor=actor,
        perm="deliberation.cancel_vote",
        expected_version=expected_version,
        at=at,
    ) as act:
        vote = act.subject
        if vote.status != Status.ANNOUNCED:
            raise ValidationError(
                _("Only a vote not yet counted can be called off."), code="status"
            )
        if not reason:
            raise ValidationError(_("Say why the vote is called off."), code="reason")
        vote.status = Status.CANCELLED
        act.save(["status"])
        act.record(
            VoteEvent(
                vote=vote,
                kind=EventKind.CANCELLED,
                actor=actor,
                at=act.at,
                note=reason,
            ),
            tell=Tell.users(
                "vote.cancelled",
                _electors(vote),
                actor=actor,
                title=vote.title,
                reason=reason,
                link=vote.get_absolute_url(),
            ),
        )
        return vote
