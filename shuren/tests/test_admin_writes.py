"""Every admin of the project's models either writes through its app's actions (it overrides the
save, formset and delete steps that Django would otherwise run as plain saves) or lets nobody
write: checked for every named user and a superuser, so an admin no test posts to is held too
(the write guard, shuren/tests/guard.py, catches the writes the tests do make)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from shuren.testing import ROLE_USERS

# The steps Django runs as plain saves and deletes, by what they need.
WRITES = {
    "add": ("save_model",),
    "change": ("save_model",),
    "delete": ("delete_model", "delete_queryset"),
}


def project_admins() -> list[tuple[type, admin.ModelAdmin]]:
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_config.name.startswith("shuren.")
        ),
        key=lambda item: item[0]._meta.label,
    )


def written_by_project(owner: Any, method: str) -> bool:
    """The method is the project's own (it calls an action), not Django's plain save."""
    for cls in type(owner).__mro__:
        if method in vars(cls):
            return cls.__module__.startswith("shuren.")
    return False


def may(owner: Any, verb: str, request: Any, obj: Any = None) -> bool:
    check = getattr(owner, f"has_{verb}_permission")
    return check(request) if verb == "add" and obj is None else check(request, obj)


@pytest.fixture
def requests(world) -> list[Any]:
    root = get_user_model().objects.create_superuser("root", password="Long-enough-2026!")
    users = [world.user(name) for name in ROLE_USERS] + [root]
    made = []
    for user in users:
        request = RequestFactory().get("/admin/")
        request.user = user
        made.append(request)
    return made


@pytest.mark.parametrize(
    ("model", "model_admin"), project_admins(), ids=[m._meta.label for m, _a in project_admins()]
)
def test_an_admin_writes_only_through_actions(model, model_admin, requests):
    plain = []
    for request in requests:
        for verb, methods in WRITES.items():
            if not may(model_admin, verb, request):
                continue
            plain += [
                f"{request.user}: {verb} runs Django's {method}"
                for method in methods
                if not written_by_project(model_admin, method)
            ]
        for inline in model_admin.get_inline_instances(request):
            writes = may(inline, "add", request) or may(inline, "change", request)
            if writes and not written_by_project(model_admin, "save_formset"):
                plain.append(f"{request.user}: {type(inline).__name__} rows saved by Django")
            if inline.can_delete and may(inline, "delete", request):
                plain.append(f"{request.user}: {type(inline).__name__} rows deleted by Django")
    assert sorted(set(plain)) == []


def test_the_check_tells_djangos_plain_save_from_an_action():
    bare = type("BareAdmin", (admin.ModelAdmin,), {"__module__": "shuren.places.admin"})
    assert not written_by_project(bare(get_user_model(), admin.site), "save_model")
    assert written_by_project(admin.site._registry[get_user_model()], "save_model")
