"""The write guard: during every test, a model of the project written from a face (an admin, a
view, the API) with no action on the call stack fails the test.

"Every write through an action" (docs/architecture.md) is checked where it can slip: a
`save_model` left at Django's default, a view calling `.save()`, `.update()` or an m2m `.set()`.
Registered for the whole suite by the root conftest.py (`pytest_plugins`).

How: Model.save/delete and the QuerySet's update, delete, bulk_create and bulk_update are
wrapped for the session (m2m changes go through the latter). Signals would not do: pre_save
misses update() and the bulk writes, and a pre_delete receiver on every model turns off
Django's fast deletes, changing the query counts tests pin. Each write walks the call stack
(sys._getframe, cheap): it fails when some frame belongs to a face and none to an action.

- a face: a module shuren.<app>.admin, shuren.<app>.views*, shuren.<app>.web.*, shuren.web.*,
  shuren.api.*; or a Django method (ModelAdmin.save_model, ModelForm.save, a generic view)
  running on an instance of a class defined in one;
- an action: a module named `actions` or inside a package so named (shuren.<app>.actions,
  shuren.cases.workflow.actions, shuren.places.excel.actions), a module whose functions an
  `actions` module offers in its `__all__` (cases/actions.py: intake/report.py,
  workflow/upkeep.py …), and the kernel;
- only the project's own models count: Django's bookkeeping (sessions, the admin's log, axes'
  login records) is not domain data, and neither are the markers in BOOKKEEPING, each allowed
  only for its fields and only when written by the function named.
Test modules and fixtures (shuren.testing, */tests/*) are neither: they build worlds directly.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model, QuerySet

FACE, ACTION, NEITHER = "face", "action", "neither"
# Markers of a login, not changes to a record: (model, fields) -> the function that writes them.
BOOKKEEPING = {
    ("accounts.user", frozenset({"last_login"})): "django.contrib.auth.models.update_last_login",
    # The hash of a correct password upgraded to the current hasher (same password).
    ("accounts.user", frozenset({"password"})): "django.contrib.auth.base_user.setter",
    ("accounts.apitoken", frozenset({"last_used_at"})): "shuren.accounts.models.authenticate",
}


class FaceWroteDirectly(AssertionError):
    """A face wrote a model without an action (see shuren/tests/guard.py)."""


def offered_by_actions() -> frozenset[str]:
    """The modules whose functions an app's `actions` module offers in its `__all__`: they are
    that app's actions, wherever they are written."""
    offered = set()
    for config in apps.get_app_configs():
        name = f"{config.name}.actions"
        if not config.name.startswith("shuren.") or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for exported in getattr(module, "__all__", ()):
            offered.add(getattr(module, exported).__module__)
    return frozenset(offered)


_offered: frozenset[str] = frozenset()


def classify(module: str) -> str:
    """Whether code of this module is a face, an action, or neither."""
    parts = module.split(".")
    if parts[0] != "shuren" or "tests" in parts or module == "shuren.testing":
        return NEITHER
    if "actions" in parts or module in _offered:
        return ACTION
    if any(p in {"admin", "web", "api"} or p.startswith("views") for p in parts[1:]):
        return FACE  # the kernel's admin helpers too: they call its row action
    return ACTION if parts[:2] == ["shuren", "kernel"] else NEITHER


_by_code: dict[Any, str] = {}
_SELF = "self"  # a Django method: what it is depends on the instance it runs on


def _kind(frame: FrameType) -> str:
    code = frame.f_code
    kind = _by_code.get(code)
    if kind is None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("shuren."):
            kind = classify(module)
        elif module.startswith("django.") and code.co_argcount and code.co_varnames[0] == "self":
            kind = _SELF
        else:
            kind = NEITHER
        _by_code[code] = kind
    if kind is _SELF:
        owner = type(frame.f_locals.get("self")).__module__
        return FACE if classify(owner) == FACE else NEITHER
    return kind


def face_without_action(frame: FrameType | None) -> FrameType | None:
    """The first face frame on the stack from `frame` outwards, unless an action is on it."""
    face = None
    while frame is not None:
        kind = _kind(frame)
        if kind == ACTION:
            return None
        if kind == FACE and face is None:
            face = frame
        frame = frame.f_back
    return face


def _written_by(frame: FrameType | None, function: str) -> bool:
    while frame is not None:
        if f"{frame.f_globals.get('__name__')}.{frame.f_code.co_name}" == function:
            return True
        frame = frame.f_back
    return False


class Guard:
    """The write guard of the running session; `violations` holds what it caught."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.project_labels = {
            config.label for config in apps.get_app_configs() if config.name.startswith("shuren.")
        }

    def check(self, model: type[Model], fields: Iterable[str] | None, depth: int) -> None:
        meta = model._meta
        if meta.app_label not in self.project_labels:
            return
        caller = sys._getframe(depth)
        if fields is not None:
            writer = BOOKKEEPING.get((meta.label_lower, frozenset(fields)))
            if writer is not None and _written_by(caller, writer):
                return
        face = face_without_action(caller)
        if face is None:
            return
        where = f"{face.f_globals.get('__name__')}:{face.f_lineno} ({face.f_code.co_name})"
        message = f"{meta.label} written from the face {where} without an action"
        self.violations.append(message)
        raise FaceWroteDirectly(message)


def _wrap(
    owner: type, name: str, model_of: Callable[..., type[Model]], fields_of: Callable[..., Any]
) -> Callable[[], None]:
    original = getattr(owner, name)

    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _guard is not None:
            # depth 2: the caller of save()/update(), skipping this wrapper's own frame.
            _guard.check(model_of(self), fields_of(self, args, kwargs), 2)
        return original(self, *args, **kwargs)

    guarded.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, name, guarded)
    return lambda: setattr(owner, name, original)


def _update_fields(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return kwargs.get("update_fields")


_guard: Guard | None = None


def install() -> Callable[[], None]:
    """Wrap the writes; returns the function that unwraps them."""
    global _guard, _offered
    _offered = offered_by_actions()
    _by_code.clear()
    _guard = Guard()
    undo = [
        _wrap(Model, "save", type, _update_fields),
        _wrap(Model, "delete", type, lambda *a: None),
        _wrap(QuerySet, "update", lambda qs: qs.model, lambda qs, a, kw: kw.keys()),
        _wrap(QuerySet, "delete", lambda qs: qs.model, lambda *a: None),
        _wrap(QuerySet, "bulk_create", lambda qs: qs.model, lambda *a: None),
        _wrap(QuerySet, "bulk_update", lambda qs: qs.model, lambda *a: None),
    ]

    def uninstall() -> None:
        global _guard
        _guard = None
        for step in undo:
            step()

    return uninstall


@pytest.fixture(scope="session", autouse=True)
def _write_guard() -> Any:
    uninstall = install()
    yield _guard
    uninstall()


_FAILED_BY_GUARD = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if call.excinfo is not None and call.excinfo.errisinstance(FaceWroteDirectly):
        item.stash[_FAILED_BY_GUARD] = True
    return report


@pytest.fixture(autouse=True)
def write_guard(request: pytest.FixtureRequest, _write_guard: Guard) -> Any:
    """Fails the test for a face's direct write even when the code under test swallowed the
    exception the guard raised (a test of the guard itself clears what it provoked)."""
    _write_guard.violations.clear()
    yield _write_guard
    caught, _write_guard.violations[:] = list(_write_guard.violations), []
    if caught and not request.node.stash.get(_FAILED_BY_GUARD, False):
        pytest.fail("a face wrote without an action:\n" + "\n".join(caught), pytrace=False)
