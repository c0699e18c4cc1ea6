"""The home page's way in to elevator retrofits: the staff who run projects always; a resident
once their stairwell has a project; nobody else."""

from __future__ import annotations

import pytest

from shuren.deliberation.actions import create_project

pytestmark = pytest.mark.django_db

LINK = 'href="/deliberation/elevators/"'


def _home(client, login, username: str) -> str:
    login(username)
    return client.get("/").content.decode()


def test_the_staff_who_run_projects_find_them_from_home(client, login):
    assert LINK in _home(client, login, "demo-shequ")
    assert LINK in _home(client, login, "demo-jiedao")


def test_a_resident_finds_the_project_of_their_stairwell_once_there_is_one(world, client, login):
    assert LINK not in _home(client, login, "demo-resident")
    create_project(actor=world.user("demo-shequ"), place=world.place("GC-JD-JYLW-B01-U1"))
    assert LINK in _home(client, login, "demo-resident")


def test_a_leader_or_the_property_company_has_no_way_in(world, client, login):
    create_project(actor=world.user("demo-shequ"), place=world.place("GC-JD-JYLW-B01-U1"))
    for username in ("demo-louzhang2", "demo-wuye", "demo-tiaojie"):
        assert LINK not in _home(client, login, username)
