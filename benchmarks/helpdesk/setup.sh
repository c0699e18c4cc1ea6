#!/usr/bin/env bash
# django-helpdesk 2.6.1 in its own venv (benchmarks/helpdesk/.venv) and its own database on the
# same PostgreSQL server as Shuren's benchmark. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
PGHOST="${HELPDESK_DB_HOST:-127.0.0.1}"
PGUSER="${HELPDESK_DB_USER:-postgres}"
DB="${HELPDESK_DB_NAME:-helpdesk_bench}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
if ! .venv/bin/python -c "import helpdesk, gunicorn, psycopg" 2>/dev/null; then
    .venv/bin/pip install -q -r requirements.txt
fi
if ! psql -h "$PGHOST" -U "$PGUSER" -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    createdb -h "$PGHOST" -U "$PGUSER" "$DB"
fi
.venv/bin/python prepare.py "$@"
