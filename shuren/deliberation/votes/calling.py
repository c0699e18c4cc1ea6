"""Calling an owners' vote: the notice, and the electorate fixed from the register at it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shuren.deliberation.votes import law
from shuren.deliberation.votes.choices import EventKind, Matter
from shuren.deliberation.votes.electorate import registered_units
from shuren.deliberation.votes.models import (
    Vote,
    VoteEvent,
    VoteIdempotencyKey,
    VoteOwner,
    VoteUnit,
)
from shuren.kernel.action import create
from shuren.kernel.outbox import Tell
from shuren.places.models import Place
from shuren.text import clean_text

MAX_SHOWN_MISSING = 10


def check_vote(
    *,
    place: Place,
    matter: int,
    title: str,
    notice_at: dt.datetime,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> None:
    """What a vote needs before it can be called, each refusal in the user's words."""
    if place.kind not in law.VOTE_PLACE_KINDS:
        raise ValidationError(
            _("Owners vote over an estate, a building or a stairwell."), code="place"
        )
    if matter not in Matter.values:
        raise ValidationError(_("Choose one of the nine matters of Art. 278."), code="matter")
    if not title.strip():
        raise ValidationError(_("Say what the owners are asked to decide."), code="title")
    if not law.notice_long_enough(notice_at, opens_at):
        raise ValidationError(
            _("Voting may open no earlier than %(days)d days after the notice, on %(date)s.")
            % {"days": law.NOTICE_DAYS, "date": f"{law.earliest_opening(notice_at):%Y-%m-%d}"},
            code="notice_period",
        )
    if closes_at <= opens_at:
        raise ValidationError(_("Voting must close after it opens."), code="closes_at")
    try:  # every page shows the times in Guicheng: one past the calendar's end cannot be shown
        timezone.localtime(closes_at)
    except OverflowError:
        raise ValidationError(
            _("Give a closing time before the year 9999."), code="too_far"
        ) from None


def call_vote(
    *,
    actor: Any,
    place: Place,
    matter: int,
    title: str,
    description: str = "",
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    idempotency_key: str = "",
    at: dt.datetime | None = None,
) -> Vote:
    """Publish the notice of a vote and fix its electorate: the place's households, their
    exclusive areas and owners as the register has them now (one event, the electors told).
    A retry with the same Idempotency-Key within 24 h returns the first vote (`replayed`)."""
    key = idempotency_key.strip()[:100] if actor is not None else ""
    try:
        return _call(actor, place, matter, title, description, opens_at, closes_at, key, at)
    except IntegrityError:
        # A copy of this request stored its key while this one ran: this one rolled back whole.
        found = _replay(actor, key, at or timezone.now()) if key else None
        if found is None:
            raise
        return found


def _replay(actor: Any, key: str, now: dt.datetime) -> Vote | None:
    found = VoteIdempotencyKey.objects.filter(user=actor, key=key).select_related("vote").first()
    if found is None or now - found.created_at > VoteIdempotencyKey.TTL:
        return None
    vote = found.vote
    vote.replayed = True  # type: ignore[attr-defined]
    return vote


def _call(
    actor: Any,
    place: Place,
    matter: int,
    title: str,
    description: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    idem_key: str,
    at: dt.datetime | None,
) -> Vote:
    with create(actor=actor, perm="deliberation.call_vote", on=place, at=at) as act:
        if idem_key:
            found = _replay(actor, idem_key, act.at)
            if found is not None:
                act.unchanged()
                return found
            VoteIdempotencyKey.objects.filter(user=actor, key=idem_key).delete()  # older than 24 h
        title = clean_text(title, 120)
        description = clean_text(description, 5000)
        check_vote(
            place=place,
            matter=matter,
            title=title,
            notice_at=act.at,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        registered = registered_units(place)
        if not registered:
            raise ValidationError(
                _("No households are registered under %(place)s.") % {"place": place.name},
                code="electorate_empty",
            )
        missing = law.missing_area(registered)
        if missing:
            rooms = "、".join(u.room for u in missing[:MAX_SHOWN_MISSING])
            raise ValidationError(
                ngettext(
                    "%(count)d household has no exclusive area on the register (%(rooms)s): "
                    "complete the register before calling the vote.",
                    "%(count)d households have no exclusive area on the register (%(rooms)s): "
                    "complete the register before calling the vote.",
                    len(missing),
                )
                % {"count": len(missing), "rooms": rooms},
                code="area_missing",
            )
        units = law.electorate(registered)
        vote: Vote = act.created(
            Vote.objects.create(
                title=title,
                description=description,
                matter=matter,
                place=place,
                notice_at=act.at,
                opens_at=opens_at,
                closes_at=closes_at,
                called_by=actor,
            )
        )
        VoteUnit.objects.bulk_create(
            VoteUnit(
                vote=vote,
                household_id=u.household_id,
                room=u.room,
                floor=u.floor,
                area=u.area,
                developer_unsold=u.developer_unsold,
                owner_key=u.owner_key,
            )
            for u in units
        )
        owners = {(u.owner_key, pk) for u in units for pk in u.owner_ids}
        VoteOwner.objects.bulk_create(
            VoteOwner(vote=vote, owner_key=key, person_id=pk) for key, pk in sorted(owners)
        )
        electors = get_user_model().objects.filter(
            person_id__in={pk for _key, pk in owners}, is_active=True
        )
        if idem_key:
            VoteIdempotencyKey.objects.create(
                user=actor, key=idem_key, vote=vote, created_at=act.at
            )
        act.record(
            VoteEvent(
                vote=vote,
                kind=EventKind.CALLED,
                actor=actor,
                at=act.at,
                data={"units": len(units), "owners": len({u.owner_key for u in units})},
            ),
            tell=Tell.users(
                "vote.called",
                electors,
                actor=actor,
                title=vote.title,
                opens=f"{timezone.localtime(opens_at):%Y-%m-%d %H:%M}",
                link=vote.get_absolute_url(),
            ),
        )
        return vote
