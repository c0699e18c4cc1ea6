"""Suite-wide fixtures: the shared world is built once per session (see shuren/testing.py)."""

from __future__ import annotations

import pytest

from shuren.testing import World, build_world

pytest_plugins = ["shuren.tests.guard"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """No test writes photos into the checkout's var/media, or sweeps its files."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


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
