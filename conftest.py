"""Suite-wide fixtures: the shared world is built once per session (see shuren/testing.py), that
is once per xdist worker (`make test` runs two, each with its own test database)."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import settings

from shuren.testing import World, build_world

# No deadline per example: on a loaded 2-core CI machine one may take longer than hypothesis's
# 200 ms, and a property that holds is then reported as flaky.
settings.register_profile("shuren", deadline=None)
settings.load_profile("shuren")

pytest_plugins = ["shuren.tests.guard"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


def _database_use(item: pytest.Item) -> str:
    """'transactional', 'db' or 'none', as pytest-django decides when it orders the tests."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if "live_server" in fixtures or "transactional_db" in fixtures:
        return "transactional"
    if marker is not None:
        # django_db(transaction=False, reset_sequences=False, ...), by keyword or position
        transaction = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        reset = marker.kwargs.get("reset_sequences", marker.args[1:2] == (True,))
        return "transactional" if transaction or reset else "db"
    return "db" if "db" in fixtures else "none"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """After pytest-django's order (database tests, transactional ones, the rest): the modules
    marked `early` go first. Each builds something costly once per module (the demo, ~30 s); at
    the front they fall inside the first batch of consecutive tests xdist hands one worker, so
    the module is never split between workers that would each build it."""
    items.sort(
        key=lambda item: not (item.get_closest_marker("early") and _database_use(item) == "db")
    )
    # The second database's run (`make test-postgres`) runs the tests that use a database: the
    # others (pure functions, hypothesis properties, templates, files) ran in the first run
    # and would test nothing new, at a third of the second run's time.
    if os.environ.get("SHUREN_DATABASE_TESTS_ONLY"):
        kept = [item for item in items if _database_use(item) != "none"]
        config.hook.pytest_deselected(items=[i for i in items if _database_use(i) == "none"])
        items[:] = kept
    # xdist's loadscope, loadfile and loadgroup keep tests by node id: two items with one id (the
    # schemathesis operations under pytest 9.2) would silently run once. `--dist load` is safe.
    if config.getoption("dist", "no") in ("loadscope", "loadfile", "loadgroup"):
        twice = sorted(id for id, n in Counter(i.nodeid for i in items).items() if n > 1)
        if twice:
            raise pytest.UsageError(
                f"--dist {config.getoption('dist')} would run only one of the tests that share "
                f"each of these node ids; use --dist load: {twice}"
            )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translations once, before xdist starts its workers: tests that compile them
    again (the Excel modules) then find them up to date, so no two workers write one .mo file
    at the same time while a third reads it."""
    if not hasattr(session.config, "workerinput"):
        import io

        from django.core.management import call_command

        call_command("compiletranslations", stdout=io.StringIO())


_emptied_by: list[str] = []  # in this process (one xdist worker): the transactional test run


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A transactional test (live server, transaction=True) empties every table when it ends, the
    shared world and the migrations' seeded rows included. pytest-django therefore runs them after
    all other database tests; under xdist that holds in each worker with `--dist load` (the
    Makefile's), not with `worksteal` (a worker may steal ordinary tests after running its
    transactional ones) nor `loadfile` (it sends the biggest files first). Fail such a test at
    once with the reason, rather than with a missing world."""
    use = _database_use(item)
    if use == "db" and _emptied_by:
        pytest.fail(
            f"{item.nodeid} uses the shared world, but the transactional test {_emptied_by[0]} "
            "already ran in this process and emptied the database: run database tests before "
            "transactional ones (pytest-django's order; with xdist, --dist load)",
            pytrace=False,
        )
    if use == "transactional" and not _emptied_by:
        _emptied_by.append(item.nodeid)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """No test writes photos into the checkout's var/media, or sweeps its files."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="session", autouse=True)
def _static_files_listed_once():
    """WhiteNoise lists every static file through the finders (~190 files, ~60 ms) when its
    middleware is made, which Django's test client does for each client, so for nearly every
    test; a server makes it once per process. List them once per test process instead: nothing
    adds a static file while the tests run, and each client still gets a middleware of its own."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    listed: dict[tuple[object, ...], dict[str, object]] = {}
    original = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = (self.static_prefix, self.max_age, self.charset, self.allow_all_origins)
        if key not in listed:
            before = dict(self.files)
            original(self)
            listed[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original  # type: ignore[method-assign]


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def login(client, world):
    """Log the test client in as one of the named users and return that user."""

    def _login(username: str):
        user = world.user(username)
        client.force_login(user)
        return user

    return _login


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    """Each test rolls its changes back, so no process-wide copy may outlive the test."""
    from shuren.cases import reference

    reference.forget()
    yield
    reference.forget()


@pytest.fixture
def admin_login(login, world):
    """Let a named user into the admin (is_staff) and log in as them: community or subdistrict
    staff who keep households and persons there. The system administrator does not (三员分立:
    no residents' data), so these tests use the staff whose data it is."""

    def _admin_login(username: str):
        user = world.user(username)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return login(username)

    return _admin_login
