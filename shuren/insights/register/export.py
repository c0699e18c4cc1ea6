"""Building the case register for one user, place and period, and logging it: the audit entry of
every export, and the access-log entry of an unmasked one (access.actions, which counts the
lines written in full, never their values). The page, the API and the background task call
this one function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from shuren.access.actions import log_unmasked_export
from shuren.access.context import scope_of
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.cases.metrics import case_facts, tier_metrics
from shuren.insights.figures import Period
from shuren.insights.register.book import Heading, local_now, write_register
from shuren.insights.register.rows import matters, place_names, register_rows
from shuren.places.models import Place

EXPORT_PERM = "insights.export_register"
UNMASKED_FIELDS = ["reporter_name", "reporter_phone"]


@dataclass(frozen=True)
class Built:
    content: bytes
    rows: int
    unmasked: int


def may_export(user: Any, place: Place) -> bool:
    return bool(user.has_perm(EXPORT_PERM, place))


def may_unmask(user: Any, place: Place) -> bool:
    """Full names and phones of the whole place: the user may unmask everywhere under it."""
    return scope_of(user).may_unmask_path(place.path)


def count_matters(user: Any, place: Place, period: Period) -> int:
    return matters(user, place, period).count()


def _exported_by(user: Any) -> str:
    person = getattr(user, "person", None)
    name = getattr(person, "name", "")
    return f"{name}（{user.get_username()}）" if name else user.get_username()


def build_register(
    *,
    user: Any,
    place: Place,
    period: Period,
    unmask: bool = False,
    reason: str = "",
    ip_address: str | None = None,
    export_id: int | None = None,
) -> Built:
    """The workbook, with its audit entry (and access-log entry when unmasked) written."""
    if not may_export(user, place):
        raise PermissionDenied
    if unmask and (not reason.strip() or not may_unmask(user, place)):
        raise PermissionDenied
    cases = matters(user, place, period)
    heading = Heading(
        place=place_names({place.path}).get(place.path, place.name),
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        exported_by=_exported_by(user),
        exported_at=local_now(),
        unmasked=unmask,
    )
    metrics = tier_metrics(case_facts(cases))
    content, tallies = write_register(heading, register_rows(user, cases, unmask=unmask), metrics)
    if unmask:
        log_unmasked_export(
            user=user,
            object_type="case",
            fields=UNMASKED_FIELDS,
            count=tallies.unmasked,
            reason=reason.strip(),
            ip_address=ip_address,
        )
    detail: dict[str, Any] = {
        "file": "register",
        "start": heading.start,
        "end": heading.end,
        "matters": tallies.rows,
        "unmasked": unmask,
    }
    if export_id is not None:
        detail["export"] = export_id
    record(Kind.EXPORT, actor=user, ip=ip_address, target=place, detail=detail)
    return Built(content=content, rows=tallies.rows, unmasked=tallies.unmasked)
