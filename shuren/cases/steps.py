"""The steps every case action shares: lock and authorize, save with a version, write the event,
notify in each recipient's language. Only cases/actions.py and cases/intake.py use them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.access.conflicts import check_version
from shuren.cases.events import CaseEvent
from shuren.cases.models import Case
from shuren.cases.responsible import team_users

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.workdays.calendar import WorkCalendar


def required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code="required")
    return text


def check_photo_count(photos: Sequence[Any]) -> None:
    from shuren.cases.models import CasePhoto

    if len(photos) > CasePhoto.MAX_PER_CASE:
        raise ValidationError(
            _("At most %(n)d photos per case.") % {"n": CasePhoto.MAX_PER_CASE},
            code="too_many_photos",
        )


def attach_photos(case: Case, photos: Sequence[File], actor: User | None) -> None:
    """Store photos already checked and stripped by the intake form (photos.py)."""
    from shuren.cases.models import CasePhoto

    for photo in photos:
        CasePhoto.objects.create(
            case=case,
            file=photo,
            content_type=str(getattr(photo, "content_type", ""))[:50],
            size=photo.size or 0,
            uploaded_by=actor,
        )


def authorize(actor: User | None, perm: str, obj: Any) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this to this case."))


def begin(actor: User | None, case: Case, perm: str, expected_version: int | None) -> Case:
    """Lock the row, then authorize against its fresh state, then compare versions."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("place", "category")
        .get(pk=case.pk)
    )
    authorize(actor, perm, locked)
    check_version(locked, expected_version)
    return locked


def save(case: Case, fields: Iterable[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def event(
    case: Case,
    *,
    kind: str,
    actor: User | None,
    at: dt.datetime,
    from_status: str,
    from_tier: int,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=case.status,
        from_tier=from_tier,
        to_tier=case.current_tier,
        note=note,
        data=data or {},
    )


def calendar() -> WorkCalendar:
    from shuren.workdays.current import current_calendar

    return current_calendar()


def notify(
    users: Iterable[Any],
    case: Case,
    *,
    kind: str,
    actor: User | None,
    title: Callable[[], str],
    body: Callable[[], str] = lambda: "",
) -> list[int]:
    """Notify each user (never the actor) in their own language; returns the user ids."""
    from shuren.notify.actions import notify_users

    by_language: dict[str, list[Any]] = {}
    for user in users:
        if actor is not None and user.pk == actor.pk:
            continue
        by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user)
    link = case.get_absolute_url()
    notified: list[int] = []
    for language, group in by_language.items():
        with translation.override(language):
            notify_users(
                users=group,
                kind=kind,
                title=f"{case.number} {title()}",
                body=body(),
                link=link,
                object_id=case.pk,
            )
        notified.extend(u.pk for u in group)
    return sorted(notified)


def reporter_users(case: Case) -> Any:
    from django.contrib.auth import get_user_model

    if case.reporter_id is None:
        return []
    return get_user_model().objects.filter(person_id=case.reporter_id, is_active=True)


def assignee_users(case: Case) -> list[Any]:
    from django.contrib.auth import get_user_model

    users: list[Any] = []
    if case.assignee_person_id:
        users += list(
            get_user_model().objects.filter(person_id=case.assignee_person_id, is_active=True)
        )
    if case.assignee_team_id:
        users += list(team_users([case.assignee_team_id]))
    return users
