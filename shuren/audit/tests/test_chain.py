"""The chain holds: `manage.py verifyaudit` passes on an untouched trail and names the entry that
was edited or deleted behind the application's back (raw SQL, the database's guard lifted as an
intruder with the owner's rights would); the application and the database refuse both."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from shuren.audit.actions import record
from shuren.audit.chain import HASHED, link
from shuren.audit.choices import Kind
from shuren.audit.models import AppendOnly, AuditEntry
from shuren.audit.verify import stored_rows, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(world):
    user = world.user("demo-shequ")
    return [record(Kind.LOGIN, actor=user, target=user, detail={"n": n}).seq for n in range(1, 6)]


def raw(sql: str, params: list[object]) -> None:
    """Run SQL on the audit table as its owner could: with the append-only trigger lifted for
    this test's transaction only (rolled back with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_append_only")
        cursor.execute(sql, params)


def verify() -> tuple[bool, str]:
    """Run the command; return whether it passed and what it said."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verifyaudit", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_verifyaudit_passes_on_an_untouched_trail_and_prints_the_head(five):
    passed, said = verify()
    assert passed, said
    head = AuditEntry.objects.get(seq=5)
    assert "5" in said
    assert head.hash in said


def test_an_empty_trail_is_intact():
    assert verify()[0]


def test_verifyaudit_names_an_edited_entry(five):
    raw("UPDATE audit_auditentry SET target_label = %s WHERE seq = %s", ["someone-else", 3])
    passed, said = verify()
    assert not passed
    result = verify_chain()
    assert [(f.kind, f.first) for f in result.findings] == [("edited", 3)]
    assert " 3 " in said.replace("\n", " ")


def test_verifyaudit_names_an_entry_rewritten_with_a_fresh_hash(five):
    row = AuditEntry.objects.values(*HASHED, "prev_hash").get(seq=2)
    row["detail"] = {"n": 99}
    raw(
        "UPDATE audit_auditentry SET detail = %s, hash = %s WHERE seq = %s",
        ['{"n": 99}', link(row["prev_hash"], row), 2],
    )
    result = verify_chain()
    # Its own hash fits its new content; the next entry's link to it does not.
    assert [(f.kind, f.first, f.last) for f in result.findings] == [("broken_link", 2, 3)]
    assert not verify()[0]


def test_verifyaudit_names_a_deleted_entry(five):
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [4])
    result = verify_chain()
    assert [(f.kind, f.first, f.last) for f in result.findings] == [("deleted", 4, 4)]
    passed, said = verify()
    assert not passed
    assert "4" in said


def test_verifyaudit_names_the_newest_entries_deleted(five):
    raw("DELETE FROM audit_auditentry WHERE seq >= %s", [4])
    result = verify_chain()
    assert [(f.kind, f.first, f.last) for f in result.findings] == [("deleted", 4, 5)]


def test_verifyaudit_names_the_first_entries_deleted(five):
    raw("DELETE FROM audit_auditentry WHERE seq <= %s", [2])
    result = verify_chain()
    assert [(f.kind, f.first, f.last) for f in result.findings] == [("deleted", 1, 2)]


def test_a_renumbered_entry_does_not_hide_a_deletion(five):
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [5])
    raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [5, 4])
    kinds = {(f.kind, f.first) for f in verify_chain().findings}
    assert ("deleted", 4) in kinds
    assert ("edited", 5) in kinds


def test_the_walk_reads_the_trail_a_page_at_a_time_in_order(five):
    assert [row["seq"] for row in stored_rows(page=2)] == five


def test_the_application_cannot_change_or_delete_an_entry(five):
    entry = AuditEntry.objects.get(seq=1)
    entry.target_label = "x"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=1).update(target_label="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=1).delete()
    assert verify()[0]


def test_the_database_refuses_an_update_of_an_entry(five):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET target_label = 'x' WHERE seq = 1")
    assert verify()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_deleting_a_young_entry_even_with_the_purge_flag(five):
    def delete_as_the_purge_does() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('shuren.audit_purge', 'on', true)")
            cursor.execute("DELETE FROM audit_auditentry WHERE seq = 1")

    with pytest.raises(DatabaseError):
        delete_as_the_purge_does()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 5


def test_no_application_code_but_the_purge_deletes_or_changes_entries():
    """The one statement that deletes is the purge's (audit/actions.py); nothing else names the
    table for SQL or calls the QuerySet's writes on the entries (they would raise anyway)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writes = re.compile(r"AuditEntry\.objects[^\n]*\.(update|delete|bulk_update|raw)\(")
    table = re.compile(r"audit_auditentry|AuditEntry\._meta\.db_table", re.IGNORECASE)
    purge = root / "audit" / "actions.py"
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and (
            writes.search(text := path.read_text(encoding="utf-8"))
            or (table.search(text) and path != purge)
        )
    ]
    assert found == []


def test_a_lost_head_row_is_named_and_appends_go_on_from_the_newest_entry(five, world):
    from shuren.audit.models import AuditHead

    AuditHead.objects.filter(pk=1).delete()  # as someone with the database's keys could
    assert [f.kind for f in verify_chain().findings] == ["head"]
    entry = record(Kind.LOGOUT, actor=world.user("demo-shequ"))
    assert entry.seq == 6
    assert verify_chain().ok
