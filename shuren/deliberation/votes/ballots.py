"""Ballots: an owner's own online, or entered by an organiser from paper or by proxy. One per
owner per vote (a database constraint); late, early and out-of-electorate ballots refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.deliberation.votes.attachments import attach, check_papers
from shuren.deliberation.votes.choices import BallotChoice, EventKind, Origin, PaperKind, Status
from shuren.deliberation.votes.electorate import owner_keys_of
from shuren.deliberation.votes.models import Ballot, Vote, VoteEvent, VoteOwner, VoteUnit
from shuren.kernel.action import Act, change
from shuren.kernel.outbox import NOBODY, Tell
from shuren.people.models import Person
from shuren.text import clean_text


def check_open(vote: Vote, at: dt.datetime) -> None:
    """Ballots are taken from the opening to the close, and never after the count."""
    if vote.status == Status.CANCELLED:
        raise ValidationError(_("This vote was cancelled."), code="cancelled")
    if vote.status == Status.CLOSED:
        raise ValidationError(
            _("This vote has been counted: a ballot can no longer be taken."), code="counted"
        )
    if at < vote.opens_at:
        raise ValidationError(
            _("Voting has not opened yet: it opens %(opens)s.")
            % {"opens": f"{timezone.localtime(vote.opens_at):%Y-%m-%d %H:%M}"},
            code="not_open",
        )
    if at >= vote.closes_at:
        raise ValidationError(
            _("Voting closed %(closes)s: this ballot is late and is not counted.")
            % {"closes": f"{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}"},
            code="late",
        )


def check_choice(choice: str) -> None:
    if choice not in BallotChoice.values:
        raise ValidationError(_("Choose agree, disagree or abstain."), code="choice")


def insert_ballot(act: Act[Vote], ballot: Ballot, tell: Tell, *, record: bool = True) -> Ballot:
    """Save a new ballot; the one-per-owner constraint refuses a second in words. A recount
    adds ballots under its own event (record=False)."""
    vote = act.subject
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal undoes only this
            ballot.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(
            _("A ballot has already been taken for this owner; each owner votes once."),
            code="already_voted",
        ) from None
    if not record:
        return ballot
    act.record(
        VoteEvent(
            vote=vote,
            kind=EventKind.BALLOT,
            actor=act.actor,
            at=act.at,
            data={"ballot": ballot.pk, "origin": ballot.origin},
        ),
        tell=tell,
    )
    return ballot


def cast_ballot(
    *,
    actor: Any,
    vote: Vote,
    choice: str,
    owner_key: str = "",
    at: dt.datetime | None = None,
) -> Ballot:
    """An owner votes online, for themselves (the owner key they hold in the electorate; one of
    them, named, if they hold several)."""
    with change(Vote.objects, vote.pk, actor=actor, perm="deliberation.cast_ballot", at=at) as act:
        vote = act.subject
        check_open(vote, act.at)
        check_choice(choice)
        person_id = getattr(actor, "person_id", None)
        keys = owner_keys_of(vote, person_id)
        if not owner_key and len(keys) == 1:
            owner_key = keys[0]
        if not owner_key and len(keys) > 1:
            raise ValidationError(
                _(
                    "You are an owner of more than one unit in this vote: choose which one this "
                    "ballot is for."
                ),
                code="owner_key",
            )
        if owner_key not in keys:
            raise ValidationError(
                _("You are not an owner of this unit in this vote."), code="not_elector"
            )
        return insert_ballot(
            act,
            Ballot(
                vote=vote,
                owner_key=owner_key,
                choice=choice,
                origin=Origin.WEB,
                person_id=person_id,
                entered_by=actor,
                cast_at=act.at,
            ),
            NOBODY,
        )


def entered_ballot(
    act: Act[Vote],
    *,
    owner_key: str,
    choice: str,
    origin: str,
    person: Person | None,
    owner_name: str,
    proxy_name: str,
    paper: File[Any] | None,
    authorisation: File[Any] | None,
    cast_at: dt.datetime,
) -> Ballot:
    """A paper or proxy ballot checked against the electorate and its papers, not yet saved
    (entering a ballot, and a recount adding one received on time)."""
    vote = act.subject
    check_choice(choice)
    if origin not in (Origin.PAPER, Origin.PROXY):
        raise ValidationError(_("A ballot entered is on paper or by proxy."), code="origin")
    if not VoteUnit.objects.filter(vote=vote, owner_key=owner_key).exists():
        raise ValidationError(
            _("This owner is not in the electorate of this vote."), code="not_elector"
        )
    owners = owner_persons(vote, owner_key)
    owner_name = clean_text(owner_name, 100)
    proxy_name = clean_text(proxy_name, 100)
    if owners:
        if person is None or person.pk not in owners:
            raise ValidationError(
                _("Choose which of the unit's registered owners signed."), code="person"
            )
        owner_name = owner_name or person.name
    elif person is not None:
        # No owner on the register: the paper's name stands, never a person recorded as owner.
        raise ValidationError(
            _("This unit has no registered owner: write the name on the ballot instead."),
            code="person",
        )
    elif not owner_name:
        raise ValidationError(
            _("Write the owner's name as it is on the ballot."), code="owner_name"
        )
    if origin == Origin.PROXY and not proxy_name:
        raise ValidationError(
            _("Write the name of the proxy the owner authorised."), code="proxy_name"
        )
    check_papers(origin, paper, authorisation)
    return Ballot(
        vote=vote,
        owner_key=owner_key,
        choice=choice,
        origin=origin,
        person=person,
        owner_name=owner_name,
        proxy_name=proxy_name if origin == Origin.PROXY else "",
        entered_by=act.actor,
        cast_at=cast_at,
    )


def owner_persons(vote: Vote, owner_key: str) -> set[int]:
    return set(
        VoteOwner.objects.filter(vote=vote, owner_key=owner_key).values_list("person_id", flat=True)
    )


def attach_papers(
    act: Act[Vote],
    ballot: Ballot,
    paper: File[Any] | None,
    authorisation: File[Any] | None,
) -> None:
    """The files reach the disk last, once the ballot is in: a refusal writes none."""
    if paper is not None:
        attach(ballot, PaperKind.SCAN, paper, act.actor, act.at)
    if authorisation is not None:
        attach(ballot, PaperKind.AUTHORISATION, authorisation, act.actor, act.at)


def enter_ballot(
    *,
    actor: Any,
    vote: Vote,
    owner_key: str,
    choice: str,
    origin: str,
    person: Person | None = None,
    owner_name: str = "",
    proxy_name: str = "",
    paper: File[Any] | None = None,
    authorisation: File[Any] | None = None,
    at: dt.datetime | None = None,
) -> Ballot:
    """An organiser enters a paper ballot (with its scan) or a proxy's (with the owner's written
    authorisation): for an owner key of the electorate, signed by one of its registered owners
    (or, for a unit with no owner on the register, by the name on the paper); a proxy's ballot
    names the proxy. The owners are told."""
    with change(Vote.objects, vote.pk, actor=actor, perm="deliberation.enter_ballot", at=at) as act:
        vote = act.subject
        check_open(vote, act.at)
        ballot = entered_ballot(
            act,
            owner_key=owner_key,
            choice=choice,
            origin=origin,
            person=person,
            owner_name=owner_name,
            proxy_name=proxy_name,
            paper=paper,
            authorisation=authorisation,
            cast_at=act.at,
        )
        told = get_user_model().objects.filter(
            person_id__in=owner_persons(vote, owner_key), is_active=True
        )
        insert_ballot(
            act,
            ballot,
            Tell.users(
                "vote.ballot_entered",
                told,
                actor=actor,
                title=vote.title,
                link=vote.get_absolute_url(),
            ),
        )
        attach_papers(act, ballot, paper, authorisation)
        return ballot
