"""What people are told about their posts and teams: the words of each notification kind, in
the reader's language (rendered by the outbox worker, notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.notify.messages import message
from shuren.people.roles import Role


def _role(params: Mapping[str, Any]) -> str:
    return str(Role(params["role"]).label)


@message("post.appointed", label=gettext_lazy("I am appointed to a post"))
def appointed(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("You are now %(role)s of %(where)s, from %(date)s") % {
        "role": _role(p),
        "where": p["where"],
        "date": p["starts_on"],
    }
    return title, p.get("body", "")


@message("post.ended", label=gettext_lazy("A post of mine ends"))
def ended(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your post as %(role)s of %(where)s ends on %(date)s") % {
        "role": _role(p),
        "where": p["where"],
        "date": p["ends_on"],
    }
    return title, p.get("body", "")


@message("membership.joined", label=gettext_lazy("I am added to a team"))
def joined(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("You are now a member of %(team)s") % {"team": p["team"]}, ""


@message("membership.left", label=gettext_lazy("My membership of a team ends"))
def left(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("Your membership of %(team)s ends on %(date)s") % {
        "team": p["team"],
        "date": p["ends_on"],
    }, ""
