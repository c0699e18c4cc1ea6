"""The Excel import as one bulk action: every checked row written in one transaction with bulk
statements, and ONE kernel event for the whole import ("places.imported", with the counts).

Why not one action per row (create_place, move_in …): those lock, check and record one row
at a time, and an import of 10,000 households (benchmarks/import_households.py) would take
minutes and leave 25,000 events saying less than the one that matters to an auditor: this user
imported this file, here, with these counts. The importer checks every row against the same
rules and permissions as the actions (importer.py), and writes through writing.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.db import IntegrityError, transaction

from shuren.access.context import forget
from shuren.kernel.action import create
from shuren.places.excel.importer import prepare_import
from shuren.places.excel.report import ImportReport
from shuren.places.excel.writing import MoveRejected, apply_plan, import_subject

if TYPE_CHECKING:
    from shuren.accounts.models import User


def import_places(
    *, actor: User, file: str | Path | bytes | IO[bytes], dry_run: bool = False
) -> ImportReport:
    """Import a workbook made from the template: every row is written, or none is and the
    report lists each problem (sheet, row, column, what). The event is kept on the lowest place
    holding every place the file names (on the importing account when the file spans separate
    trees); an import that changes nothing records none. With dry_run the writes are made and
    rolled back, so the counts are those of a real run."""
    run = prepare_import(user=actor, file=file, dry_run=dry_run)
    if not run.ready:
        return run.report
    try:
        with create(actor=actor, perm="places.import_places", on=None) as act:
            before = [place.path for place in run.plan.db_places.values()]
            place_pks = apply_plan(run.plan, act.at)
            if run.report.changes_anything:
                act.created(import_subject(place_pks, before) or actor)
                act.record_change("places.imported", data=run.report.as_data())
            else:
                act.unchanged()
            if dry_run:
                transaction.set_rollback(True)
    except MoveRejected as exc:
        return run.move_rejected(exc)
    except IntegrityError:
        return run.raced()
    forget(actor)  # the import may have moved places that the actor's scope names by path
    return run.report
