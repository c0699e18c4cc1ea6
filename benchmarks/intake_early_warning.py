"""Intake with early warning on against off (issue 11, item 6: goal on >= 0.8x off), in-process on
one PostgreSQL database: each report is report_case() (the action every face calls) followed by
draining its outbox row, as the worker does right after it: the in-app notifications and, with
early warning on, the risky-word match of its title and description on jieba's words (and the
alert, its event and its own row where a word is found).

    .venv/bin/python benchmarks/intake_early_warning.py [--database-url URL] [--reports 300]
        [--rounds 4] [--risky-share 0.05] [--fresh]

The database (default bench_alerts, recreated with --fresh: only names starting with "bench")
is migrated and given the test world (shuren/testing.py); reports go to building 1 of 金域蓝湾,
by its resident. Rounds alternate which side goes first; each side's figure is its reports per
second over all its rounds (the median round is printed too). A share of the reports
(--risky-share) says a risky word, so alerts are raised as they would be.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_alerts"
GOAL = 0.8

PLAIN = [
    ("neighbour-noise", "楼上半夜拖椅子", "每天晚上十二点以后楼上拖椅子，声音很大，影响休息。"),
    ("sanitation", "楼道垃圾没人清", "三楼楼道堆了好几天的垃圾，天热有味道。"),
    ("facilities", "单元门禁坏了", "1单元的门禁刷卡没反应，陌生人随便进出。"),
    ("parking", "消防通道被占", "小区东门消防通道长期停着两辆车。"),
    ("neighbour-leak", "楼上漏水到我家", "卫生间天花板一直滴水，楼上说不是他们的问题。"),
]
RISKY = [
    ("neighbour-noise", "邻居吵架", "对门男子喝了酒持刀在楼道里骂人。"),
    ("safety", "闻到煤气味", "二楼楼道里煤气味很重，不知道谁家漏了。"),
]


def recreate(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(
            f"--fresh drops the database: only a name starting with 'bench', not {name!r}"
        )
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reports", type=int, default=300, help="per side and round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--risky-share", type=float, default=0.05)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    if args.fresh:
        recreate(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from shuren.cases.actions import report_case
    from shuren.cases.models import Category
    from shuren.insights.models.alerts import Alert
    from shuren.kernel.outbox import drain
    from shuren.testing import World, build_world

    call_command("migrate", verbosity=0)
    build_world()
    world = World()
    actor = world.user("demo-resident")
    place = world.place("GC-JD-JYLW-B01-U1")
    categories = {c.code: c for c in Category.objects.all()}
    every = max(1, round(1 / args.risky_share)) if args.risky_share > 0 else 0

    def one(i: int) -> None:
        code, title, description = (
            RISKY[i % len(RISKY)] if every and i % every == 0 else PLAIN[i % len(PLAIN)]
        )
        report_case(
            actor=actor,
            place=place,
            category=categories[code],
            title=title,
            description=description,
        )
        drain()

    def run(on: bool, n: int, start: int) -> float:
        settings.SHUREN_EARLY_WARNING = on
        began = time.perf_counter()
        for i in range(start, start + n):
            one(i)
        return time.perf_counter() - began

    drain()
    run(True, 30, 0)  # warm: imports, jieba's dictionary, the connection, prepared plans
    run(False, 30, 0)
    seconds: dict[bool, list[float]] = {True: [], False: []}
    counter = 1000
    for r in range(args.rounds):
        for on in (True, False) if r % 2 == 0 else (False, True):
            seconds[on].append(run(on, args.reports, counter))
            counter += args.reports
    per_second = {on: args.reports * len(t) / sum(t) for on, t in seconds.items()}
    ratio = per_second[True] / per_second[False]
    version = connection.cursor().connection.info.server_version
    name = connection.settings_dict["NAME"]
    print(f"PostgreSQL {version // 10000}.{version % 10000}, database {name}")
    print(f"{args.reports} reports x {args.rounds} rounds per side, {args.risky_share:.0%} risky")
    for on in (True, False):
        median = statistics.median(seconds[on]) / args.reports * 1000
        print(
            f"early warning {'on ' if on else 'off'}: {per_second[on]:7.1f} reports/s "
            f"(median round {median:.2f} ms per report + drain)"
        )
    print(f"alerts raised in all: {Alert.objects.count()}")
    print(f"on / off = {ratio:.2f} (goal >= {GOAL}): {'met' if ratio >= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
