"""The database refuses to change audit rows, whoever asks (not only the application).

PostgreSQL: UPDATE of an entry or an anchor is refused; DELETE of an entry only passes inside
the purge's transaction (its transaction-local flag `shuren.audit_purge`) and only for rows
older than 180 days, the legal floor, whatever the application's settings say; anchors are
never deleted. TRUNCATE is left to the database owner (the test runner empties tables with it).

SQLite (the demo and the tests): UPDATE is refused; DELETE is not, because Django's test runner
empties tables with DELETE between transactional tests. The application never deletes
(audit/models.py refuses it; the purge is one statement in audit/actions.py).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION shuren_audit_entry_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('shuren.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% of entry % refused)', TG_OP, OLD.seq
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION shuren_audit_anchor_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit anchors are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION shuren_audit_entry_guard();
CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_auditanchor
    FOR EACH ROW EXECUTE FUNCTION shuren_audit_anchor_guard();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_auditanchor;
DROP FUNCTION IF EXISTS shuren_audit_entry_guard();
DROP FUNCTION IF EXISTS shuren_audit_anchor_guard();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE ON audit_auditanchor
       BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only",
    "DROP TRIGGER IF EXISTS audit_anchor_append_only",
]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
