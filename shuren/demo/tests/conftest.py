"""The demo, loaded once for this package's tests: into a database cleared of the shared test
world, exactly as `make demo` meets a fresh one, inside a transaction rolled back when the
package's last test ends, so every other test finds the shared world untouched.

The world's demo-* users are kept, so loading also shows that existing logins are re-pointed at
the demo people. The modules that use it are marked `early` (the root conftest.py): they run
first, inside the first batch of tests xdist hands one worker, so the demo (~35 s) is loaded
once per run rather than once per module or worker."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from shuren.people.models import Membership, Person, Post, Team
from shuren.places.models import Household, Place, Resident, Shop


@dataclass
class Loaded:
    output: str


def clear_shared_world() -> None:
    """Empty the place tree and its people (inside the package's transaction, rolled back)."""
    Resident.objects.all().delete()
    Household.objects.all().delete()
    Shop.objects.all().delete()
    Membership.objects.all().delete()
    Post.objects.all().delete()
    Place.objects.update(property_company=None)
    Team.objects.all().delete()
    for depth in sorted(set(Place.objects.values_list("depth", flat=True)), reverse=True):
        Place.objects.filter(depth=depth).delete()
    get_user_model().objects.update(person=None)
    Person.objects.all().delete()


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Loaded]:
    with django_db_blocker.unblock(), transaction.atomic():
        clear_shared_world()
        out = StringIO()
        call_command("loaddemo", stdout=out)
        # Check the demo's deferred foreign keys now, once, outside every test's savepoint:
        # PostgreSQL otherwise checks them again at each test's end (Django's
        # check_constraints, ~1.6 s over this many rows), as a rollback to the savepoint
        # puts the checks it fired back in the queue.
        connection.check_constraints()
        yield Loaded(out.getvalue())
        transaction.set_rollback(True)
