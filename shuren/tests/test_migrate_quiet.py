"""`migrate` says what it applies and nothing else: no system-check warning on either database
(SQLite ignores the INCLUDE columns of the inbox's index, which settings.py says once)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_migrate_prints_no_warning(db):
    out, err = StringIO(), StringIO()
    call_command("migrate", stdout=out, stderr=err, verbosity=1, skip_checks=False)
    said = out.getvalue() + err.getvalue()
    assert "WARNING" not in said.upper(), said
    assert "No migrations to apply." in said
