"""Make helpdesk's database ready for the benchmark: migrate, one public queue, an empty ticket
table. Run with this folder's venv: .venv/bin/python prepare.py [--keep-tickets]; prints the
queue id as JSON on the last line."""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep-tickets", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    queue, _created = Queue.objects.get_or_create(
        slug="neighbourhood",
        defaults={"title": "Neighbourhood matters", "allow_public_submission": True},
    )
    if not args.keep_tickets:
        FollowUp.objects.all().delete()
        Ticket.objects.all().delete()
    print(json.dumps({"queue": queue.pk, "tickets": Ticket.objects.count()}))


if __name__ == "__main__":
    main()
