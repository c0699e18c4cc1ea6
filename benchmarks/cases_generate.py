"""Fill a database with a city-scale set of matters: the benchmark's data generator (issue 3).

    .venv/bin/python benchmarks/cases_generate.py --database-url URL [--cases 1000000] [--fresh]

Migrates the target database first, then writes a city (cases_world.py: 8 subdistricts × 23
communities × ~150 estates per subdistrict × buildings × stairwells, ~590 k households, their
owners, leaders, staff, property companies and logins) and N matters with their timelines and
parties (cases_rows.py), and prints rows per second. PostgreSQL: one transaction, COPY, with
the big tables' secondary indexes and foreign keys dropped first and recreated from their own
definitions afterwards, then VACUUM ANALYZE. SQLite: executemany in batches of 5,000 (bulk_create
managed only 16,000 rows/s), one transaction per chunk, secondary indexes dropped and recreated
the same way, then ANALYZE.

--fresh drops and recreates the database first (PostgreSQL: only a database whose name starts
with "bench"; SQLite: deletes the file). Without it the database must hold no cases yet.
Writes a manifest (var/bench-cases/<database>.json: counts, timings, the users whose inboxes
cases_measure.py opens, and the API tokens of the residents who report through the API).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
MANIFESTS = BASE_DIR / "var" / "bench-cases"
DEFAULT_URL = f"sqlite:///{BASE_DIR / 'var' / 'bench-cases.sqlite3'}"
BENCH_PASSWORD = "Bench-cases-2026"  # noqa: S105 - the benchmark database's logins only


def database_label(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        return Path(parsed.path).stem
    return parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop and create the target database; refuses anything not named bench*."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.path}{suffix}").unlink(missing_ok=True)
        Path(parsed.path).parent.mkdir(parents=True, exist_ok=True)
        return
    name = parsed.path.lstrip("/")
    if not name.startswith("bench"):
        sys.exit(
            f"--fresh drops the database, so only one whose name starts with 'bench', not {name!r}"
        )
    import psycopg

    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # with DEBUG on Django keeps every query in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path.insert(0, str(BASE_DIR))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()


class Models:
    """The models the generator writes, imported once Django is set up."""

    def __init__(self) -> None:
        from shuren.accounts.models import ApiToken, User
        from shuren.cases.models import Case, CaseCounter, CaseEvent, CaseParty, Category
        from shuren.people.models import Person, Post, Team
        from shuren.places.models import Household, Place, Resident

        self.Place, self.Team, self.Person, self.Post = Place, Team, Person, Post
        self.Household, self.Resident, self.User, self.ApiToken = (
            Household,
            Resident,
            User,
            ApiToken,
        )
        self.Case, self.CaseEvent, self.CaseParty = Case, CaseEvent, CaseParty
        self.Category, self.CaseCounter = Category, CaseCounter


def next_ids(m: Models) -> dict[str, int]:
    from django.db.models import Max

    def after(model: Any) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    return {
        "place": after(m.Place),
        "team": after(m.Team),
        "person": after(m.Person),
        "household": after(m.Household),
        "owner": after(m.Household.owners.through),
        "resident": after(m.Resident),
        "post": after(m.Post),
        "user": after(m.User),
        "token": after(m.ApiToken),
        "case": after(m.Case),
        "event": after(m.CaseEvent),
        "party": after(m.CaseParty),
    }


class SearchText:
    """Case.search_text as report_case would write it, when the search index exists.

    A description is the title, "，" and a detail sentence; jieba splits at punctuation and line
    breaks, so the tokens of "title\\ndescription" are those of the title then of the detail,
    deduplicated: cached per title and per detail instead of segmenting a million texts."""

    def __init__(self, m: Models) -> None:
        self.enabled = any(f.name == "search_text" for f in m.Case._meta.concrete_fields)
        self.cache: dict[str, list[str]] = {}
        if self.enabled:
            from shuren.cases.search import tokens

            self.tokens = tokens

    def _cut(self, text: str) -> list[str]:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self.tokens(text)
        return found

    def __call__(self, title: str, description: str) -> str:
        detail = description[len(title) + 1 :] if description.startswith(title) else description
        seen = dict.fromkeys(self._cut(title))
        seen.update(dict.fromkeys(self._cut(detail)))
        return f" {' '.join(seen)} " if seen else ""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--subdistricts", type=int, default=8)
    parser.add_argument("--communities", type=int, default=23, help="per subdistrict")
    parser.add_argument("--estates", type=int, default=150, help="per subdistrict")
    parser.add_argument("--intake-users", type=int, default=64)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20110801)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args()
    if database_label(args.database_url).startswith("test"):
        sys.exit("refusing to write into a test database")

    started = time.monotonic()
    timings: dict[str, float] = {}
    if args.fresh:
        recreate_database(args.database_url)
    setup_django(args.database_url)

    import cases_copy
    from cases_rows import CaseMaker, chunks, report_times
    from cases_world import Builder, Ids
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.monotonic() - t
    m = Models()
    if m.Case.objects.exists() or m.Place.objects.filter(code__startswith="BX").exists():
        sys.exit("the database already holds cases or a benchmark city; use --fresh")
    postgres = cases_copy.is_postgresql()
    now = timezone.now()

    t = time.monotonic()
    ids = Ids(next_ids(m))
    world = Builder(models=m, ids=ids, seed=args.seed, now=now).build(
        subdistricts=args.subdistricts,
        communities=args.communities,
        estates=args.estates,
        password_hash=make_password(BENCH_PASSWORD),
        intake_users=args.intake_users,
    )
    timings["plan the city"] = time.monotonic() - t
    print(f"city: {json.dumps(world.counts)}", flush=True)

    written: dict[str, int] = {}
    big_tables = [
        m.Case._meta.db_table,
        m.CaseEvent._meta.db_table,
        m.CaseParty._meta.db_table,
        m.Household._meta.db_table,
        m.Household.owners.through._meta.db_table,
        m.Resident._meta.db_table,
        m.Person._meta.db_table,
        m.Post._meta.db_table,
    ]
    search_text = SearchText(m)
    maker = CaseMaker(
        models=m,
        spots=world.spots,
        categories=dict(m.Category.objects.values_list("code", "pk")),
        community_staff=world.community_staff,
        prefix=settings.SHUREN_CASE_PREFIX,
        seed=args.seed + 1,
        now=now,
        next_case=ids.next["case"],
        next_event=ids.next["event"],
        next_party=ids.next["party"],
    )
    times = report_times(args.cases, maker.rng, now)
    write_seconds = 0.0
    make_seconds = 0.0

    def write(table: Any) -> None:
        nonlocal write_seconds
        t0 = time.monotonic()
        n = cases_copy.write(table)
        write_seconds += time.monotonic() - t0
        key = table.model._meta.db_table
        written[key] = written.get(key, 0) + n

    outer = transaction.atomic() if postgres else None
    if outer:
        outer.__enter__()
    try:
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("SET LOCAL synchronous_commit = off")
        t = time.monotonic()
        dropped = cases_copy.drop_secondary(big_tables)
        timings["drop secondary indexes and foreign keys"] = time.monotonic() - t
        print(
            f"dropped {len(dropped.indexes)} indexes and {len(dropped.foreign_keys)} foreign keys "
            f"on {len(big_tables)} tables for the load (restored at the end)",
            flush=True,
        )
        with transaction.atomic():
            for key in (
                "place",
                "team",
                "person",
                "household",
                "owner",
                "resident",
                "post",
                "user",
                "token",
            ):
                write(world.tables[key])
        world.tables.clear()
        timings["write the city"] = write_seconds
        city_write = write_seconds
        done = 0
        for chunk in chunks(times, args.chunk):
            t0 = time.monotonic()
            batch = maker.batch(chunk)
            if search_text.enabled:
                batch.cases.columns = (*batch.cases.columns, "search_text")
                batch.cases.rows = [(*row, search_text(row[2], row[3])) for row in batch.cases.rows]
            make_seconds += time.monotonic() - t0
            with transaction.atomic():
                write(batch.cases)
                write(batch.events)
                write(batch.parties)
            done += len(chunk)
            elapsed = time.monotonic() - started
            print(f"  {done:>9,} cases  ({elapsed:6.1f} s)", flush=True)
        timings["make the cases (Python)"] = make_seconds
        timings["write the cases"] = write_seconds - city_write
        counters = [
            m.CaseCounter(prefix=settings.SHUREN_CASE_PREFIX, year=year, last=last)
            for year, last in sorted(maker.counters.per_year.items())
        ]
        m.CaseCounter.objects.bulk_create(counters)
        t = time.monotonic()
        with transaction.atomic():
            cases_copy.restore(dropped)
            timings["recreate indexes and foreign keys"] = time.monotonic() - t
        cases_copy.reset_sequences(
            [
                m.Place,
                m.Team,
                m.Person,
                m.Household,
                m.Household.owners.through,
                m.Resident,
                m.Post,
                m.User,
                m.ApiToken,
                m.Case,
                m.CaseEvent,
                m.CaseParty,
            ]
        )
        t = time.monotonic()
    except BaseException:
        if outer:
            outer.__exit__(*sys.exc_info())
        raise
    if outer:
        outer.__exit__(None, None, None)
    timings["commit"] = time.monotonic() - t

    t = time.monotonic()
    with connection.cursor() as cursor:
        if postgres:
            for table in [*big_tables, m.Place._meta.db_table, m.User._meta.db_table]:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
        else:
            cursor.execute("ANALYZE")
    timings["vacuum/analyze"] = time.monotonic() - t
    total = time.monotonic() - started
    rows = sum(written.values())

    label = database_label(args.database_url)
    manifest = {
        "database": label,
        "vendor": connection.vendor,
        "generated_at": now.isoformat(),
        "seed": args.seed,
        "cases": args.cases,
        "open_cases": maker.counters.open_cases,
        "statuses": maker.counters.statuses,
        "max_tiers": {str(k): v for k, v in sorted(maker.counters.max_tiers.items())},
        "city": world.counts,
        "rows": written,
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
        "total_s": round(total, 1),
        "rows_per_s": round(rows / write_seconds) if write_seconds else None,
        "search_text": search_text.enabled,
        "password": BENCH_PASSWORD,
        "measured": world.measured,
        "intake": world.intake,
    }
    MANIFESTS.mkdir(parents=True, exist_ok=True)
    path = MANIFESTS / f"{label}.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
    path.chmod(0o600)

    print()
    for key, n in written.items():
        print(f"  {key:<28} {n:>10,} rows")
    for key, seconds in timings.items():
        print(f"  {key:<40} {seconds:7.1f} s")
    print(
        f"{rows:,} rows written at {rows / write_seconds:,.0f} rows/s "
        f"(write time {write_seconds:.1f} s); "
        f"{args.cases:,} cases with {written.get(m.CaseEvent._meta.db_table, 0):,} events; "
        f"{maker.counters.open_cases:,} open; total {total:.1f} s "
        f"({args.cases / total:,.0f} cases/s end to end, {rows / total:,.0f} rows/s end to end)"
    )
    print(f"manifest: {path.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
