"""Who may do what with an owners' vote (django-rules).

- organises: an active organiser post (community staff or secretary, subdistrict staff, a
  homeowners' committee member) over the vote's place: calls it, enters paper and proxy
  ballots, closes and recounts it, reads who voted how.
- elector: a person among the owners in the electorate fixed at the notice: reads the vote and
  its result, casts their own ballot online while it is open.
Everyone else gets 404 for the vote, as for a missing id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import rules
from django.utils import timezone

from shuren.deliberation.votes.choices import Status
from shuren.deliberation.votes.electorate import is_elector, owner_keys_of
from shuren.deliberation.votes.models import Ballot, organiser_roots


@rules.predicate
def organises_at(user: Any, place: Any) -> bool:
    """An organiser post over the place (a vote is called on its place)."""
    return place is not None and any(place.path.startswith(r) for r in organiser_roots(user))


@rules.predicate
def organises(user: Any, vote: Any) -> bool:
    return vote is not None and organises_at(user, vote.place)


@rules.predicate
def elector(user: Any, vote: Any) -> bool:
    return vote is not None and is_elector(user, vote)


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("deliberation.call_vote", organises_at)
add_perm("deliberation.view_vote", organises | elector)
add_perm("deliberation.cast_ballot", elector)
add_perm("deliberation.enter_ballot", organises)
add_perm("deliberation.close_vote", organises)
add_perm("deliberation.recount_vote", organises)
add_perm("deliberation.cancel_vote", organises)


def available_actions(user: Any, vote: Any, at: dt.datetime | None = None) -> list[str]:
    """What the user may do with the vote now, in the order a page offers it (every face asks
    this): an elector's own ballot while voting is open and theirs is not in; an organiser's
    paper and proxy ballots while it is open, the count after the close, a recount after it,
    calling it off before it."""
    at = at or timezone.now()
    found: list[str] = []
    if vote.status == Status.ANNOUNCED and vote.opens_at <= at < vote.closes_at:
        keys = owner_keys_of(vote, getattr(user, "person_id", None))
        if keys and Ballot.objects.filter(vote=vote, owner_key__in=keys).count() < len(keys):
            found.append("cast_ballot")
    if not organises(user, vote):
        return found
    if vote.status == Status.ANNOUNCED:
        if vote.opens_at <= at < vote.closes_at:
            found.append("enter_ballot")
        if at >= vote.closes_at:
            found.append("close_vote")
        found.append("cancel_vote")
    elif vote.status == Status.CLOSED:
        found.append("recount_vote")
    return found
