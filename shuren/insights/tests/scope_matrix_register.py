"""The case register's routes in the scope matrix (access/tests/test_scope_matrix.py).

Its form and list answer the roles that read a place's figures (insights.rules.FIGURE_ROLES)
and 404 everyone else. The API's register of a sample place answers those whose figure posts
cover it; any other place is a 404 like a missing one. An export file is its owner's alone:
each sample place has one, owned by a leader or staff member of that place, and anyone else
asking for it gets the missing file's 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.insights.models.exports import ExportFile, ExportStatus
from shuren.testing import ROLE_USERS, World

FIGURE_READERS = {
    "demo-louzhang",
    "demo-louzhang2",
    "demo-xiangzhang",
    "demo-jiezhang",
    "demo-shequ",
    "demo-shequ2",
    "demo-wangge",
    "demo-jiedao",
}
# The sample places whose register each role may export, written out by hand.
EXPORTS: dict[str, set[str]] = {
    **{role: set() for role in ROLE_USERS},
    "demo-louzhang": {"b1"},
    "demo-louzhang2": {"b2"},
    "demo-xiangzhang": {"lane"},
    "demo-shequ": {"b1", "b2"},
    "demo-shequ2": {"t1"},
    "demo-wangge": {"b1", "b2"},
    "demo-jiedao": {"b1", "b2", "t1", "lane"},
}
# Each sample place's export file and its owner.
OWNERS = {
    "b1": "demo-louzhang",
    "b2": "demo-louzhang2",
    "t1": "demo-shequ2",
    "lane": "demo-xiangzhang",
}
OWNS: dict[str, set[str]] = {
    **{role: set() for role in ROLE_USERS},
    **{owner: {sample} for sample, owner in OWNERS.items()},
}
FILE_NAME = "private/register/scope-matrix/sample.xlsx"


def build_samples(world: World) -> None:
    """One ready export file per sample place (seed data, as the test world's are)."""
    if not default_storage.exists(FILE_NAME):
        default_storage.save(FILE_NAME, ContentFile(b"PK\x03\x04 sample"))
    now = timezone.now()
    for sample, owner in OWNERS.items():
        ExportFile.objects.create(
            owner=world.user(owner),
            place=world.place(SAMPLES[sample][0]),
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 1, 31),
            status=ExportStatus.READY,
            file=FILE_NAME,
            rows=0,
            created_at=now,
            finished_at=now,
            expires_at=now + dt.timedelta(days=7),
        )


def sample_export(world: World, sample: str) -> ExportFile:
    return ExportFile.objects.get(place__code=SAMPLES[sample][0], owner__username=OWNERS[sample])


def _place(world: World, sample: str) -> Any:
    return world.place(SAMPLES[sample][0])


def _figure_readers(role: str) -> int:
    return 200 if role in FIGURE_READERS else 404


ROUTES: dict[str, Any] = {
    "insights/register/": PlainRoute("/insights/register/", _figure_readers),
    "insights/register/files/": PlainRoute("/insights/register/files/", _figure_readers),
    "insights/register/files/<int:pk>/download/": ObjectRoute(
        "/insights/register/files/{pk}/download/", sample_export, sees=OWNS
    ),
    "api/v1/stats/register": ObjectRoute(
        "/api/v1/stats/register?place={pk}&start=2026-01-01&end=2026-12-31",
        _place,
        sees=EXPORTS,
    ),
}
