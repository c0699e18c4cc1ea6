"""One report's server cost, in-process: POST /api/v1/cases through Django's test client (every
middleware, the bearer token, Ninja, the action), with no HTTP and no gunicorn in the way.

    .venv/bin/python benchmarks/intake_inprocess.py [--database-url URL] [--reports 300]
        [--profile] [--sql]

Uses the residents and tokens of a database filled by cases_generate.py (its manifest in
var/bench-cases/). Prints the p50/p95 wall time and the CPU time per report, the SQL statements
of one report (--sql lists them) and, with --profile, the top of a cProfile of all reports.
The reports it makes stay in the database, like those of cases_measure.py.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_shuren"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="list one report's statements")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path[:0] = [str(BASE_DIR), str(HERE)]
    import django

    django.setup()
    from cases_load import percentile
    from cases_measure import manifest, texts
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    man = manifest(args.database_url)
    intake = man["intake"]
    sample = texts()
    client = Client()

    def report(i: int) -> None:
        who = intake[i % len(intake)]
        category, title, description = sample[i % len(sample)]
        response = client.post(
            "/api/v1/cases",
            json.dumps(
                {
                    "place": who["place"],
                    "category": category,
                    "title": title,
                    "description": description,
                },
                ensure_ascii=False,
            ),
            content_type="application/json",
            headers={
                "Authorization": f"Bearer {who['token']}",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")

    for i in range(20):
        report(i)  # warm: imports, jieba's dictionary, the connection, caches
    with CaptureQueriesContext(connection) as one:
        report(20)
    print(f"SQL statements in one report: {len(one.captured_queries)}")
    if args.sql:
        for q in one.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:160]}")

    profiler = cProfile.Profile() if args.profile else None
    wall: list[float] = []
    cpu0 = time.process_time()
    if profiler:
        profiler.enable()
    for i in range(args.reports):
        t0 = time.perf_counter()
        report(100 + i)
        wall.append((time.perf_counter() - t0) * 1000)
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - cpu0) * 1000 / args.reports
    print(
        f"{args.reports} reports: p50 {percentile(wall, 50):.2f} ms, "
        f"p95 {percentile(wall, 95):.2f} ms, CPU {cpu:.2f} ms per report "
        f"(load {os.getloadavg()[0]:.2f})"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )


if __name__ == "__main__":
    main()
