"""Every action of consultation (the one door pages, the API and commands call)."""

from shuren.deliberation.votes.calling import call_vote

__all__ = ["call_vote"]
