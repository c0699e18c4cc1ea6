"""Measure the cases at scale, side by side in one run on one PostgreSQL server (issue 3):

(a) intake through POST /api/v1/cases, served by gunicorn (2 workers) on 127.0.0.1, against
(b) django-helpdesk 2.6.1's public ticket form POST, served the same way from its own venv and
    its own database (benchmarks/helpdesk/), with the same client and concurrency;
(c) the inbox first page of a building leader, community staff and subdistrict staff at each
    size (100 k and 1 M matters by default).

    .venv/bin/python benchmarks/cases_measure.py [--sizes 100000,1000000] [--no-generate]

For every size it recreates the database (--database-url, default bench_shuren), fills it with
cases_generate.py and measures the inboxes; intake and helpdesk are measured at the last size.
The client sends a fixed number of requests from a few threads under a hard time cap, in
rounds that alternate which side goes first. Before each phase it waits (up to --quiet-wait
seconds) for the 1-minute load average to drop below --max-load, and records the load beside
every figure. Results: printed, and written to var/bench-cases/measure-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
HELPDESK = HERE / "helpdesk"
RESULTS = BASE_DIR / "var" / "bench-cases"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_shuren"
PAGE = 20

GOALS = {
    "intake_vs_helpdesk_throughput": 3.0,  # ≥ 3× helpdesk's requests/s, with a lower p95
    "inbox_p50_ms_at_1m": 20.0,
    "inbox_growth_1m_over_100k": 1.5,
}


def load() -> tuple[float, float, float]:
    return tuple(round(x, 2) for x in os.getloadavg())  # type: ignore[return-value]


def wait_for_quiet(max_load: float, wait: float) -> tuple[float, float, float]:
    """Wait until the 1-minute load average is below max_load, at most `wait` seconds."""
    deadline = time.monotonic() + wait
    announced = False
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        if not announced:
            print(f"  load {load()} ≥ {max_load}: waiting up to {wait:.0f} s for a quieter moment")
            announced = True
        time.sleep(15)
    return load()


def generate(url: str, cases: int) -> dict[str, Any]:
    print(f"\n== generating {cases:,} cases into {urlparse(url).path.lstrip('/')}", flush=True)
    subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(HERE / "cases_generate.py"),
            "--database-url",
            url,
            "--cases",
            str(cases),
            "--fresh",
        ],
        check=True,
    )
    return manifest(url)


def manifest(url: str) -> dict[str, Any]:
    label = urlparse(url).path.lstrip("/")
    return json.loads((RESULTS / f"{label}.json").read_text())


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


# --- (c) the inbox ---------------------------------------------------------------------------


def inbox_measure(man: dict[str, Any], repeats: int) -> dict[str, Any]:
    """First inbox page per role: the real inbox when shuren/cases/inbox/queries.py exists,
    otherwise Case.objects.visible_to(user) newest first (and its open part). Each request
    loads the user afresh, as the auth middleware does, so scope and reach are computed every
    time."""
    from cases_inbox import inbox_pages
    from django.db import connection

    results: dict[str, Any] = {}
    for role, info in man["measured"].items():
        results[role] = {}
        for label, fetch in inbox_pages(info["user"], PAGE).items():
            for _ in range(3):
                fetch()  # warm: connection, jieba, the plan cache
            times = []
            rows = 0
            for _ in range(repeats):
                t0 = time.perf_counter()
                rows = fetch()
                times.append((time.perf_counter() - t0) * 1000)
            from cases_load import percentile

            results[role][label] = {
                "p50_ms": round(percentile(times, 50), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "rows": rows,
                "load": load(),
            }
            print(
                f"  {role:<18} {label:<34} p50 {results[role][label]['p50_ms']:7.2f} ms  "
                f"p95 {results[role][label]['p95_ms']:7.2f} ms  rows {rows}  load {load()}"
            )
    connection.close()
    return results


# --- (a) and (b) intake ---------------------------------------------------------------------


def texts(n: int = 200) -> list[tuple[str, str, str]]:
    """(category, title, description) like a resident types, the same for both sides."""
    import random

    from cases_rows import DETAILS, HOME, TITLES

    rng = random.Random(7)
    codes = [c for c, _w in HOME]
    out = []
    for _ in range(n):
        code = rng.choice(codes)
        title = rng.choice(TITLES[code]).format(p=f"{rng.randint(1, 20)}栋{rng.randint(1, 3)}单元")
        out.append((code, title, title + "，" + rng.choice(DETAILS).format(n=rng.randint(2, 30))))
    return out


def intake_measure(url: str, man: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from cases_load import Server, helpdesk_requests, run, shuren_requests

    # Neither server inherits this process's Django settings or database.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    prepared = subprocess.run(  # noqa: S603 - our own script
        [str(HELPDESK / "setup.sh")], check=True, capture_output=True, text=True, env=env
    )
    queue = json.loads(prepared.stdout.strip().splitlines()[-1])["queue"]
    shuren = Server(
        "shuren",
        [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "shuren.wsgi"],
        BASE_DIR,
        {
            **env,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "SHUREN_ENV": "development",
        },
    )
    helpdesk = Server(
        "helpdesk",
        [str(HELPDESK / ".venv" / "bin" / "gunicorn"), "hdbench.wsgi"],
        HELPDESK,
        {**env, "DJANGO_SETTINGS_MODULE": "hdbench.settings"},
    )
    sample = texts()
    runs: dict[str, list[dict[str, Any]]] = {"shuren": [], "helpdesk": []}
    try:
        shuren.start(ready_path="/api/v1/categories")
        helpdesk.start(ready_path="/helpdesk/tickets/submit/")
        makers = {
            "shuren": (shuren.port, shuren_requests(man["intake"], sample)),
            "helpdesk": (
                helpdesk.port,
                helpdesk_requests(helpdesk.port, queue, sample, args.concurrency),
            ),
        }
        for name, (port, make) in makers.items():  # warm both: imports, jieba, connections
            run(name, port, make, requests=args.warmup, concurrency=args.concurrency, time_cap=60)
        for r in range(args.rounds):
            order = ["shuren", "helpdesk"] if r % 2 == 0 else ["helpdesk", "shuren"]
            for name in order:
                quiet = wait_for_quiet(args.max_load, args.quiet_wait)
                port, make = makers[name]
                result = run(
                    name,
                    port,
                    make,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    time_cap=args.time_cap,
                )
                s = result.summary()
                s["latencies_ms"] = result.latencies_ms
                s["load_at_start"] = quiet
                runs[name].append(s)
                print(
                    f"  round {r + 1} {name:<9} {s['ok']:>5}/{s['sent']:<5} ok  "
                    f"{s['req_per_s']:7.1f} req/s  p50 {s['p50_ms']:6.1f} ms  "
                    f"p95 {s['p95_ms']:6.1f} ms  load {s['load_before']} → "
                    f"{s['load_after']}  {s['statuses']}",
                    flush=True,
                )
                if s["errors"]:
                    print(f"    errors: {s['errors'][:2]}")
    finally:
        shuren.stop()
        helpdesk.stop()
    return pooled(runs)


def pooled(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    from cases_load import percentile

    out: dict[str, Any] = {}
    for name, rs in runs.items():
        latencies = [x for r in rs for x in r.pop("latencies_ms")]
        ok = sum(r["ok"] for r in rs)
        seconds = sum(r["seconds"] for r in rs)
        out[name] = {
            "rounds": rs,
            "ok": ok,
            "req_per_s": round(ok / seconds, 1) if seconds else 0,
            "p50_ms": round(percentile(latencies, 50), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
        }
    return out


def verdict(results: dict[str, Any]) -> list[str]:
    lines = []
    intake = results.get("intake")
    if intake:
        s, h = intake["shuren"], intake["helpdesk"]
        ratio = s["req_per_s"] / h["req_per_s"] if h["req_per_s"] else float("inf")
        met = ratio >= GOALS["intake_vs_helpdesk_throughput"] and s["p95_ms"] < h["p95_ms"]
        lines.append(
            f"intake: {s['req_per_s']} req/s vs helpdesk {h['req_per_s']} req/s = {ratio:.2f}×, "
            f"p95 {s['p95_ms']} vs {h['p95_ms']} ms: {'MET' if met else 'MISSED'} "
            "(goal ≥ 3× and lower p95)"
        )
    sizes = sorted(results.get("inbox", {}), key=int)
    if sizes:
        big = results["inbox"][sizes[-1]]
        small = results["inbox"][sizes[0]] if len(sizes) > 1 else None
        for role, pages in big.items():
            # The goal is the real inbox's when it exists; visible_to is only for comparison.
            judged = [k for k in pages if k.startswith("inbox:")] or list(pages)
            for label, fig in pages.items():
                if label not in judged:
                    continue
                growth = ""
                ok = fig["p50_ms"] <= GOALS["inbox_p50_ms_at_1m"]
                if small and label in small.get(role, {}):
                    g = fig["p50_ms"] / small[role][label]["p50_ms"]
                    growth = f", {g:.2f}× the {int(sizes[0]):,} figure"
                    ok = ok and g <= GOALS["inbox_growth_1m_over_100k"]
                lines.append(
                    f"inbox {role} / {label}: p50 {fig['p50_ms']} ms "
                    f"at {int(sizes[-1]):,}{growth}: "
                    f"{'MET' if ok else 'MISSED'} (goal p50 ≤ 20 ms and ≤ 1.5×)"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", default="100000,1000000", help="case counts, comma-separated")
    parser.add_argument("--no-generate", action="store_true", help="measure the database as it is")
    parser.add_argument("--requests", type=int, default=2000, help="per side and round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--time-cap", type=float, default=120.0, help="seconds per side and round")
    parser.add_argument("--inbox-repeats", type=int, default=50)
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--skip-inbox", action="store_true")
    parser.add_argument("--max-load", type=float, default=2.0)
    parser.add_argument("--quiet-wait", type=float, default=900.0)
    args = parser.parse_args()
    host = urlparse(args.database_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the benchmark only talks to a database on this machine (127.0.0.1)")
    if urlparse(args.database_url).path.lstrip("/").startswith("test"):
        sys.exit("never the test database")
    sys.path.insert(0, str(HERE))

    started = dt.datetime.now(dt.UTC)
    results: dict[str, Any] = {
        "started": started.isoformat(),
        "machine": {"cpus": os.cpu_count(), "load_at_start": load()},
        "settings": vars(args),
        "goals": GOALS,
        "inbox": {},
        "generated": {},
    }
    sizes = [int(s) for s in args.sizes.split(",")]
    setup_django(args.database_url)
    from django.db import connection

    if args.no_generate:
        man = manifest(args.database_url)
        sizes = [man["cases"]]
    for size in sizes:
        if not args.no_generate:
            connection.close()
            man = generate(args.database_url, size)
            results["generated"][str(size)] = {
                k: man[k] for k in ("timings_s", "total_s", "rows_per_s", "rows")
            }
        if args.skip_inbox:
            continue
        print(f"\n== inbox first page at {size:,} cases", flush=True)
        results.setdefault("inbox_load_at_start", {})[str(size)] = wait_for_quiet(
            args.max_load, args.quiet_wait
        )
        results["inbox"][str(size)] = inbox_measure(man, args.inbox_repeats)
    if not args.skip_intake:
        print(
            f"\n== intake at {sizes[-1]:,} cases: "
            "Shuren POST /api/v1/cases vs helpdesk's ticket POST",
            flush=True,
        )
        results["intake"] = intake_measure(args.database_url, man, args)
    results["finished"] = dt.datetime.now(dt.UTC).isoformat()
    results["verdict"] = verdict(results)
    print()
    for line in results["verdict"]:
        print(line)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"measure-{started:%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"results: {out.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
