"""Who hears of a mediation case, and what the message says (the outbox row an action writes)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from shuren.kernel.outbox import Tell
from shuren.people.models import Team, active_q
from shuren.people.roles import Role


def mediator_users(organisation: Team) -> QuerySet[Any]:
    """The active logins of the organisation's mediators (active 调解员 posts for it)."""
    posts = active_q(prefix="person__posts__")
    return (
        get_user_model()
        .objects.filter(
            posts,
            is_active=True,
            person__posts__role=Role.TIAOJIEYUAN,
            person__posts__team=organisation,
        )
        .distinct()
        .order_by("pk")
    )


def tell(
    kind: str, users: Iterable[Any], mediation: Any, actor: Any, body: str = "", **extra: Any
) -> Tell:
    return Tell.users(
        kind,
        users,
        actor=actor,
        number=mediation.number,
        title=mediation.title,
        body=body,
        link=mediation.get_absolute_url(),
        **extra,
    )
