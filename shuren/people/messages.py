"""What people are told about their posts and teams: the words of each notification kind, in
the reader's language (rendered by the outbox worker, notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from shuren.notify.messages import message
from shuren.people.roles import Role


def _role(params: Mapping[str, Any]) -> str:
    return str(Role(params["role"]).label)


@message("post.appointed")
def appointed(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("You are now %(role)s of %(where)s, from %(date)s") % {
        "role": _role(p),
        "where": p["where"],
        "date": p["starts_on"],
    }
    return title, p.get("body", "")


@message("post.ended")
def ended(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your post as %(role)s of %(where)s ends on %(date)s") % {
        "role": _role(p),
        "where": p["where"],
        "date": p["ends_on"],
    }
    return title, p.get("body", "")


@message("membership.joined")
def joined(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("You are now a member of %(team)s") % {"team": p["team"]}, ""


@message("membership.left")
def left(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("Your membership of %(team)s ends on %(date)s") % {
        "team": p["team"],
        "date": p["ends_on"],
    }, ""
