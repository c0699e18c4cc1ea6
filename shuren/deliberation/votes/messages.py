"""What owners and organisers are told about a vote, in the reader's language (notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from shuren.notify.messages import message


@message("vote.called")
def called(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Owners' vote: %(title)s") % p,
        _("You are an owner in this vote. Voting opens %(opens)s.") % p,
    )
