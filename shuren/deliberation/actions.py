"""Every action of consultation (the one door pages, the API and commands call)."""

from shuren.deliberation.votes.ballots import cast_ballot, enter_ballot
from shuren.deliberation.votes.calling import call_vote
from shuren.deliberation.votes.counting import close_vote

__all__ = ["call_vote", "cast_ballot", "close_vote", "enter_ballot"]
