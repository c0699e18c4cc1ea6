"""`manage.py applyretention`: anonymise what is past its retention period (PIPL Art. 19, 47),
per kind, with the periods in SHUREN_RETENTION_DAYS. Each anonymised person is an action with
its event and audit entry; the cleared callers' contacts are one audit entry with the count.
Run it daily (cron or systemd timer), like the overdue sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from shuren.cases.workflow.upkeep import expire_contacts
from shuren.people.actions import ANONYMOUS, anonymise_person
from shuren.people.models import Membership, Person, Post
from shuren.places.models import Resident


def moved_out_persons(before: dt.date) -> Any:
    """Persons who lived here once, all of whose homes ended before `before`, who hold no post
    or membership since then, own no household (an owner who moved away still votes) and have
    no login still on: nobody's work needs them any more."""
    lived = Resident.objects.values("person_id")
    still_here = Resident.objects.filter(
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=before)
    ).values("person_id")
    serving = Post.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=before)).values(
        "person_id"
    )
    member = Membership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=before)).values(
        "person_id"
    )
    return (
        Person.objects.filter(pk__in=lived)
        .exclude(pk__in=still_here)
        .exclude(pk__in=serving)
        .exclude(pk__in=member)
        .exclude(user__is_active=True)
        .exclude(owned_households__isnull=False)
        .exclude(name=ANONYMOUS)
    )


class Command(BaseCommand):
    help = "Anonymise what is past its retention period (SHUREN_RETENTION_DAYS)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.SHUREN_RETENTION_DAYS
        today = timezone.localdate()
        before = today - dt.timedelta(days=days["moved_out_persons"])
        persons = moved_out_persons(before)
        closed_before = timezone.now() - dt.timedelta(days=days["closed_matter_contacts"])
        if options["dry_run"]:
            self.stdout.write(f"persons moved out before {before}: {persons.count()}")
            return
        done = 0
        for person in persons.iterator(chunk_size=500):
            anonymise_person(
                actor=None, person=person, reason=f"retention: moved out before {before}"
            )
            done += 1
        cleared = expire_contacts(closed_before=closed_before)
        self.stdout.write(
            f"anonymised {done} persons moved out before {before}; "
            f"cleared the contacts of {cleared} matters closed before {closed_before:%Y-%m-%d}"
        )
