"""What owners and organisers are told about a vote, in the reader's language (notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.notify.messages import message


@message("vote.called", label=gettext_lazy("An owners' vote I take part in is called"))
def called(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Owners' vote: %(title)s") % p,
        _("You are an owner in this vote. Voting opens %(opens)s.") % p,
    )


@message("vote.ballot_entered", label=gettext_lazy("The organisers enter a ballot for my unit"))
def ballot_entered(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Your ballot was entered: %(title)s") % p,
        _(
            "The organisers entered a ballot for your unit from paper or a proxy. If you did "
            "not vote, tell them at once."
        ),
    )


@message("vote.counted", label=gettext_lazy("The result of an owners' vote is published"))
def counted(p: Mapping[str, Any]) -> tuple[str, str]:
    if p.get("passed"):
        return _("Vote passed: %(title)s") % p, _("The result and the numbers are published.")
    return _("Vote not passed: %(title)s") % p, _("The result and the numbers are published.")


@message("vote.recounted", label=gettext_lazy("An owners' vote is counted again"))
def recounted(p: Mapping[str, Any]) -> tuple[str, str]:
    outcome = _("passed") if p.get("passed") else _("not passed")
    return (
        _("Vote recounted: %(title)s") % p,
        _("The organisers corrected ballots and counted again: %(outcome)s.")
        % {"outcome": outcome},
    )


@message("vote.cancelled", label=gettext_lazy("An owners' vote is called off"))
def cancelled(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("Vote called off: %(title)s") % p, _("Why: %(reason)s") % p
