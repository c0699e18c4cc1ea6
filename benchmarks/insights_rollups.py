"""Measure the insights' figures from the tallies against the raw GROUP BY over the matters
(issue 11, item 6): in one run on one PostgreSQL database, at each size (1 M, then 5 M matters).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench11 \\
        .venv/bin/python benchmarks/insights_rollups.py --sizes 1000000,5000000

The database must exist, be migrated or empty, and its name must start with "bench" (the run
empties cases_case and insights_tally). It writes one subdistrict (23 communities, ~150
estates, 4 buildings each) with the models' bulk_create, then the matters with one
`INSERT … SELECT … FROM generate_series` per million (secondary indexes and foreign keys of
cases_case dropped first and recreated from their own definitions afterwards, then VACUUM
ANALYZE): 2011-08-01 to now, growing over the years, every category, tiers 1-5, open ones
mostly in the last weeks, rejected and merged ones, settled ones with resolved_at after
reported_at, a resolve deadline for most and satisfied null/true/false. Each size adds
matters to the previous ones (1 M, then 4 M more).

At each size: the tallies are built with shuren.insights.tallies.rebuild() (the product's path,
timed; skipped above --python-rebuild-max, whose time is then estimated from the smaller size)
and, separately, with rebuild_sql() below (the benchmark's own INSERT … SELECT GROUP BY, not
product code: day, month and year rows, like tallies.contributions()). At the first size
tallies.check() must find no mismatch and the SQL rebuild must store exactly what rebuild()
stored. Then, for the subdistrict over 2011-08-01..today:

- report:   figures.figures(path, period) + report.values()   vs one raw GROUP BY category;
- overview: figures.by_category + by_month + by_child_area      vs three raw GROUP BYs;

each --warmup times, then --runs times, alternating; the medians and their ratio are printed
(goal: ours <= 0.2x the raw scan). Every counter of every group must agree with the raw SQL,
and report.values() of both must be equal, or the run stops. Results: printed, and written to
var/bench-insights/insights-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "var" / "bench-insights"
CODE = "BI"  # every place code the benchmark writes starts with it
START = dt.date(2011, 8, 1)
GOAL = 0.2  # ours <= 0.2x the raw scan
LOCAL = "Asia/Shanghai"
CHUNK = 1_000_000  # matters per INSERT statement
SETTLED = ("resolved", "followed_up", "closed")

# Titles, descriptions and search tokens about as long as intake's (the raw scan reads them).
TEXTS = (
    (
        "楼上卫生间漏水影响楼下住户",
        "楼上卫生间漏水，楼下天花板发霉，多次沟通未果，请楼长协调。",
        "楼上 卫生间 漏水 影响 楼下 住户 天花板 发霉 沟通 协调",
    ),
    (
        "深夜装修噪音扰民",
        "隔壁单元晚上十点后仍在装修，电钻声很大，老人小孩休息不好。",
        "深夜 装修 噪音 扰民 隔壁 单元 电钻 老人 小孩 休息",
    ),
    (
        "小区垃圾清运不及时",
        "三栋旁边的垃圾桶已经满了两天，气味很大，希望物业尽快清运。",
        "小区 垃圾 清运 及时 垃圾桶 气味 物业 尽快",
    ),
    (
        "地下车库占用消防通道",
        "有车辆长期停放在消防通道上，存在安全隐患，请尽快处理。",
        "地下 车库 占用 消防通道 车辆 停放 安全隐患 处理",
    ),
    (
        "楼道路灯损坏",
        "二单元五楼到七楼的楼道灯坏了一个星期，晚上上下楼很不方便。",
        "楼道 路灯 损坏 单元 晚上 上下楼 方便",
    ),
    (
        "电梯经常停运",
        "电梯这个月已经停了三次，楼上老人出行困难，请协调维修。",
        "电梯 经常 停运 老人 出行 困难 协调 维修",
    ),
)


def load() -> tuple[float, float, float]:
    return tuple(round(x, 2) for x in os.getloadavg())  # type: ignore[return-value]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # with DEBUG on Django keeps every query in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def sql(statement: str, params: Any = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


# --- the world -------------------------------------------------------------------------------


def build_places(communities: int, estates: int, buildings: int) -> dict[str, Any]:
    """One subdistrict with its communities, estates and buildings, level by level with a
    placeholder path, then the real paths (parent path + zero-padded pk) in one bulk_update."""
    from django.db import transaction

    from shuren.places.models import Place
    from shuren.places.paths import path_step

    existing = Place.objects.filter(code=f"{CODE}-S").first()
    if existing is None:
        with transaction.atomic():
            existing = _write_places(Place, path_step, communities, estates, buildings)
    root = existing
    places = list(
        Place.objects.filter(path__startswith=root.path).values_list("pk", "path", "kind")
    )
    return {"root": root.path, "places": places}


def _write_places(
    Place: Any, path_step: Any, communities: int, estates: int, buildings: int
) -> Any:
    def level(rows: list[tuple[str, str, str, Any]]) -> list[Any]:
        made = Place.objects.bulk_create(
            Place(
                kind=kind,
                name=name,
                code=code,
                parent=parent,
                path=f"~{code}",
                depth=(parent.depth + 1) if parent else 1,
            )
            for kind, name, code, parent in rows
        )
        for place in made:
            place.path = (place.parent.path if place.parent else "") + path_step(place.pk)
        Place.objects.bulk_update(made, ["path"])
        return made

    (root,) = level([("subdistrict", "基准街道", f"{CODE}-S", None)])
    coms = level([("community", f"社区{c + 1}", f"{CODE}-C{c}", root) for c in range(communities)])
    ests = level(
        [
            ("estate", f"小区{c + 1}-{e + 1}", f"{CODE}-E{c}-{e}", com)
            for c, com in enumerate(coms)
            for e in range(estates // communities + (1 if c < estates % communities else 0))
        ]
    )
    level(
        [
            ("building", f"{b + 1}栋", f"{CODE}-B{est.pk}-{b}", est)
            for est in ests
            for b in range(buildings)
        ]
    )
    return root


def spots(places: list[tuple[int, str, str]]) -> tuple[list[int], list[str]]:
    """Where matters happen, repeated by weight: buildings mostly, estates, communities less."""
    weight = {"building": 6, "estate": 4, "community": 3}
    ids: list[int] = []
    paths: list[str] = []
    for pk, path, kind in places:
        for _ in range(weight.get(kind, 0)):
            ids.append(pk)
            paths.append(path)
    return ids, paths


def category_mix() -> list[int]:
    """Category ids repeated by weight: neighbour disputes and facilities lead (the article)."""
    from shuren.cases.models import Category

    weight = {"neighbour": 2, "facilities": 12, "sanitation": 6, "parking": 4, "safety": 3}
    out: list[int] = []
    for pk, code, parent in Category.objects.values_list("pk", "code", "parent__code"):
        out += [pk] * weight.get(code, 1 if parent else 2)
    return out


def drop_case_indexes() -> list[str]:
    """Drop cases_case's secondary indexes and foreign keys; return the statements that recreate
    them (the primary key and the number's unique constraint stay)."""
    fks = sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'cases_case'::regclass AND contype = 'f'"
    )
    indexes = sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexname "
        "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'cases_case'::regclass)"
    )
    for name, _ in fks:
        sql(f'ALTER TABLE cases_case DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        sql(f'DROP INDEX "{name}"')
    return [d for _, d in indexes] + [
        f'ALTER TABLE cases_case ADD CONSTRAINT "{n}" {d}' for n, d in fks
    ]


INSERT = """
WITH s AS MATERIALIZED (
    SELECT g AS id, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e,
           random() AS f, random() AS h, random() AS k, random() AS m
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
), t AS MATERIALIZED (
    SELECT s.*,
        %(t0)s::timestamptz + make_interval(secs => %(span)s * sqrt(a)) AS reported_at,
        CASE WHEN b < 0.49 THEN 1 WHEN b < 0.71 THEN 2 WHEN b < 0.86 THEN 3
             WHEN b < 0.974 THEN 4 ELSE 5 END AS tier,
        1 + floor(f * %(nspots)s)::int AS spot,
        1 + floor(h * %(ncats)s)::int AS cat,
        1 + floor(k * 6)::int AS text
    FROM s
), u AS MATERIALIZED (
    SELECT t.*,
        CASE WHEN reported_at > %(now)s::timestamptz - interval '20 days' AND c < 0.6
                 THEN (ARRAY['reported', 'accepted', 'in_progress'])[1 + floor(d * 3)::int]
             WHEN c < 0.002 THEN 'in_progress'
             WHEN c < 0.032 THEN 'rejected'
             WHEN c < 0.052 THEN 'merged'
             WHEN c < 0.15 THEN 'resolved'
             WHEN c < 0.35 THEN 'followed_up'
             ELSE 'closed' END AS status,
        least(reported_at + make_interval(hours => 1 + floor(e * e * 960)::int),
              %(now)s::timestamptz) AS settle_at
    FROM t
)
INSERT INTO cases_case (
    id, number, title, description, search_text, channel, place_id, place_path, contact_name,
    contact_phone, risk, status, current_tier, max_tier, settled_tier, reported_at, accepted_at,
    resolved_at, followed_up_at, closed_at, accept_due, resolve_due, overdue, reopened_count,
    satisfied, resolution_method, resolution_summary, version, updated_at, merged_into_id,
    category_id
)
SELECT
    id, 'BI' || id, (%(titles)s::text[])[text], (%(descriptions)s::text[])[text],
    ' ' || (%(tokens)s::text[])[text] || ' ',
    (ARRAY['reception_day', 'patrol', 'visit', 'wechat_group', 'phone', 'online'])
        [1 + (id %% 6)::int],
    (%(spot_ids)s::bigint[])[spot], (%(spot_paths)s::text[])[spot], '', '', 'low', status,
    tier, tier,
    CASE WHEN status IN ('resolved', 'followed_up', 'closed') THEN tier END,
    reported_at,
    CASE WHEN status NOT IN ('reported', 'rejected') THEN reported_at + interval '2 hours' END,
    CASE WHEN status IN ('resolved', 'followed_up', 'closed') THEN settle_at END,
    CASE WHEN status IN ('followed_up', 'closed') THEN settle_at + interval '2 days' END,
    CASE WHEN status = 'closed' THEN settle_at + interval '3 days' END,
    reported_at + interval '1 day',
    CASE WHEN m < 0.9 THEN reported_at + make_interval(days => 3 + 4 * tier) END,
    'none', 0,
    CASE WHEN status IN ('followed_up', 'closed') AND h * 97 - floor(h * 97) < 0.93
         THEN d < 0.88 END,
    CASE WHEN status IN ('resolved', 'followed_up', 'closed') THEN 'mediation' ELSE '' END,
    '', 1, reported_at,
    CASE WHEN status = 'merged' THEN CASE WHEN id > %(lo)s THEN id - 1 ELSE id + 1 END END,
    (%(cat_ids)s::bigint[])[cat]
FROM u
"""


def add_matters(first: int, last: int, world: dict[str, Any], now: dt.datetime) -> float:
    """Insert matters with ids first..last; returns the seconds it took (with the indexes)."""
    from django.db import transaction

    from shuren.workdays.calendar import SHANGHAI

    ids, paths = spots(world["places"])
    cats = category_mix()
    t0 = dt.datetime.combine(START, dt.time(), tzinfo=SHANGHAI)
    began = time.perf_counter()
    with transaction.atomic():
        recreate = drop_case_indexes()
        sql("SELECT setseed(%s)", [0.201108 + first / 1e9])
        for lo in range(first, last + 1, CHUNK):
            hi = min(lo + CHUNK - 1, last)
            step = time.perf_counter()
            sql(
                INSERT,
                {
                    "lo": lo,
                    "hi": hi,
                    "t0": t0,
                    "span": (now - t0).total_seconds(),
                    "now": now,
                    "nspots": len(ids),
                    "ncats": len(cats),
                    "spot_ids": ids,
                    "spot_paths": paths,
                    "cat_ids": cats,
                    "titles": [t for t, _, _ in TEXTS],
                    "descriptions": [d for _, d, _ in TEXTS],
                    "tokens": [w for _, _, w in TEXTS],
                },
            )
            print(f"  matters {lo:,}..{hi:,} in {time.perf_counter() - step:.1f} s", flush=True)
        step = time.perf_counter()
        for statement in recreate:
            sql(statement)
        print(f"  indexes and foreign keys again in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    sql("VACUUM ANALYZE cases_case")
    print(f"  VACUUM ANALYZE in {time.perf_counter() - step:.1f} s")
    return time.perf_counter() - began


# --- the tallies -----------------------------------------------------------------------------


def _counter_sums(side: str) -> dict[str, str]:
    """Each tally counter as an SQL expression over one matter, for one side: "reported" (on the
    day it was reported) or "settled" (on the day it was settled); the definitions of
    tallies.contributions()."""
    from shuren.insights.models import COUNTERS

    counted = "status NOT IN ('rejected', 'merged')"
    settled_in = "status IN ('resolved', 'followed_up', 'closed')"
    exprs: dict[str, str] = dict.fromkeys(COUNTERS, "0")
    if side == "reported":
        exprs.update(
            reported="1",
            counted=f"({counted})::int",
            rejected="(status = 'rejected')::int",
            merged="(status = 'merged')::int",
            open=f"({counted} AND NOT {settled_in})::int",
            never_beyond=f"({counted} AND max_tier < 5)::int",
        )
        for tier in range(1, 6):
            exprs[f"reached_{tier}"] = f"({counted} AND max_tier = {tier})::int"
        for status in ("reported", "accepted", "in_progress", "resolved", "followed_up", "closed"):
            exprs[f"status_{status}"] = f"(status = '{status}')::int"
    else:
        exprs.update(
            settled="1",
            on_time_known="(resolve_due IS NOT NULL)::int",
            on_time="coalesce(resolved_at <= resolve_due, false)::int",
            followed_up="(satisfied IS NOT NULL)::int",
            satisfied="coalesce(satisfied, false)::int",
            days_taken=(
                f"((resolved_at AT TIME ZONE '{LOCAL}')::date"
                f" - (reported_at AT TIME ZONE '{LOCAL}')::date)"
            ),
        )
        for tier in range(1, 6):
            exprs[f"settled_{tier}"] = f"(settled_tier = {tier})::int"
    return exprs


SETTLED_WHERE = (
    "status IN ('resolved', 'followed_up', 'closed') AND settled_tier IS NOT NULL"
    " AND resolved_at IS NOT NULL"
)


def rebuild_sql() -> int:
    """The benchmark's own rebuild of the tallies (not product code): both sides of every matter
    summed per day, per month and per year (of the local Asia/Shanghai day, like
    tallies.contributions()), area and category in one INSERT … SELECT … GROUP BY."""
    from django.db import transaction

    from shuren.insights.models import COUNTERS
    from shuren.insights.tallies import AREA_LEN

    reported, settled = _counter_sums("reported"), _counter_sums("settled")
    local = f"AT TIME ZONE '{LOCAL}'"

    def side(exprs: dict[str, str], moment: str, where: str) -> str:
        values = ", ".join(f"{exprs[c]} AS {c}" for c in COUNTERS)
        return (
            f"SELECT ({moment} {local})::date AS day, substr(place_path, 1, {AREA_LEN}) AS area, "  # noqa: S608 - our own expressions, values as parameters
            f"category_id, {values} FROM cases_case WHERE {where}"
        )

    sums = ", ".join(f"sum({c})" for c in COUNTERS)
    with transaction.atomic():
        sql("DELETE FROM insights_tally")
        sql(
            f"INSERT INTO insights_tally (grain, start, area, category_id, {', '.join(COUNTERS)}) "  # noqa: S608 - our own expressions, values as parameters
            f"SELECT g.grain, g.start, x.area, x.category_id, {sums} FROM ("
            f"{side(reported, 'reported_at', 'true')} UNION ALL "
            f"{side(settled, 'resolved_at', SETTLED_WHERE)}) x "
            "CROSS JOIN LATERAL (VALUES ('d', x.day), ('m', date_trunc('month', x.day)::date), "
            "('y', date_trunc('year', x.day)::date)) "
            "AS g(grain, start) GROUP BY g.grain, g.start, x.area, x.category_id"
        )
        (rows,) = sql("SELECT count(*) FROM insights_tally")[0]
    sql("ANALYZE insights_tally")
    return int(rows)


# --- the raw GROUP BY ------------------------------------------------------------------------


def raw_grouped(root: str, period: Any, reported_dim: str, settled_dim: str) -> dict[Any, dict]:
    """Every counter per group, straight from cases_case: the matters reported in the period
    grouped by `reported_dim`, those settled in it by `settled_dim`, summed per group."""
    from shuren.insights.models import COUNTERS
    from shuren.places.paths import path_successor

    start, end = period.moments()
    reported, settled = _counter_sums("reported"), _counter_sums("settled")
    params = {"lo": root, "hi": path_successor(root), "start": start, "end": end}
    in_place = "place_path >= %(lo)s AND place_path < %(hi)s"

    def side(exprs: dict[str, str], dim: str, moment: str, where: str) -> str:
        values = ", ".join(f"sum({exprs[c]}) AS {c}" for c in COUNTERS)
        return (
            f"SELECT {dim} AS dim, {values} FROM cases_case c JOIN cases_category k "  # noqa: S608 - our own expressions, values as parameters
            f"ON k.id = c.category_id LEFT JOIN cases_category p ON p.id = k.parent_id "
            f"WHERE {in_place} AND {moment} >= %(start)s AND {moment} < %(end)s AND {where} "
            f"GROUP BY 1"
        )

    statement = (
        f"SELECT dim, {', '.join(f'sum({c})' for c in COUNTERS)} FROM ("  # noqa: S608 - our own expressions, values as parameters
        f"{side(reported, reported_dim, 'reported_at', 'true')} UNION ALL "
        f"{side(settled, settled_dim, 'resolved_at', SETTLED_WHERE)}) x GROUP BY dim"
    )
    return {
        row[0]: dict(zip(COUNTERS, (int(n) for n in row[1:]), strict=True))
        for row in sql(statement, params)
    }


def month_of(moment: str) -> str:
    return f"date_trunc('month', {moment} AT TIME ZONE '{LOCAL}')::date"


TOP = "coalesce(p.code, k.code)"


def raw_report(root: str, period: Any) -> dict[str, Any]:
    return raw_grouped(root, period, TOP, TOP)


def raw_overview(root: str, period: Any) -> tuple[dict[Any, dict], ...]:
    return (
        raw_grouped(root, period, TOP, TOP),
        raw_grouped(root, period, month_of("reported_at"), month_of("resolved_at")),
        raw_grouped(root, period, "substr(place_path, 1, 20)", "substr(place_path, 1, 20)"),
    )


def nonzero(groups: dict[Any, dict[str, int]]) -> dict[Any, dict[str, int]]:
    return {
        key: {name: n for name, n in counts.items() if n}
        for key, counts in groups.items()
        if any(counts.values())
    }


# --- measuring -------------------------------------------------------------------------------


def median_ms(
    pairs: dict[str, Callable[[], Any]], warmup: int, runs: int
) -> dict[str, dict[str, float]]:
    """Each callable `warmup` times, then `runs` times in turn (so a busy moment hits both)."""
    for fn in pairs.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(runs):
        for name, fn in pairs.items():
            began = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - began) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(ts), 2),
            "min_ms": round(min(ts), 2),
            "max_ms": round(max(ts), 2),
        }
        for name, ts in times.items()
    }


def verify(root: str, period: Any) -> None:
    """Our figures must equal the raw SQL's, every counter of every group."""
    from shuren.insights import figures, report

    ours = figures.figures(root, period)
    raw_categories, raw_months, raw_areas = raw_overview(root, period)
    assert nonzero(ours.categories) == nonzero(raw_categories), "by category differs"
    assert nonzero(figures.by_month(root, period)) == nonzero(raw_months), "by month differs"
    assert nonzero(figures.by_child_area(root, period)) == nonzero(raw_areas), "by area differs"
    overall = figures.total(raw_categories.values())
    theirs = figures.Figures(
        path=root,
        period=period,
        categories=raw_categories,
        overall=overall,
        rates=figures.rates(overall),
        leaders=ours.leaders,
    )
    assert report.values(ours) == report.values(theirs), "report values differ"
    print(f"  agree: {report.values(ours)}")


def measure_size(root: str, period: Any, args: argparse.Namespace) -> dict[str, Any]:
    from shuren.insights import figures, report

    def our_report() -> Any:
        return report.values(figures.figures(root, period))

    def our_overview() -> Any:
        return (
            figures.by_category(root, period),
            figures.by_month(root, period),
            figures.by_child_area(root, period),
        )

    out: dict[str, Any] = {"load_before": load()}
    for label, ours, raw in (
        ("report", our_report, lambda: raw_report(root, period)),
        ("overview", our_overview, lambda: raw_overview(root, period)),
    ):
        timed = median_ms({"ours": ours, "raw": raw}, args.warmup, args.runs)
        ratio = timed["ours"]["median_ms"] / timed["raw"]["median_ms"]
        out[label] = {**timed, "ratio": round(ratio, 4), "met": ratio <= GOAL}
        print(
            f"  {label:<9} ours {timed['ours']['median_ms']:9.2f} ms  raw "
            f"{timed['raw']['median_ms']:9.2f} ms  ratio {ratio:.3f}x  "
            f"{'met' if ratio <= GOAL else 'MISSED'} (goal <= {GOAL}x)  load {load()}",
            flush=True,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--python-rebuild-max", type=int, default=5_000_000)
    parser.add_argument("--communities", type=int, default=23)
    parser.add_argument("--estates", type=int, default=150)
    parser.add_argument("--buildings", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    name = urlparse(url).path.lstrip("/")
    if not url.startswith("postgres") or not name.startswith("bench"):
        sys.exit("DATABASE_URL must be a PostgreSQL database whose name starts with 'bench'")
    setup_django(url)
    from django.core.management import call_command

    from shuren.insights import tallies
    from shuren.insights.figures import Period
    from shuren.insights.models import Tally

    call_command("migrate", verbosity=0)
    world = build_places(args.communities, args.estates, args.buildings)
    root = world["root"]
    sql("TRUNCATE cases_case, insights_tally CASCADE")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    period = Period(START, now.date())
    sizes = [int(s) for s in args.sizes.split(",")]
    (version,) = sql("SELECT version()")[0]
    results: dict[str, Any] = {
        "started": now.isoformat(),
        "machine": {"cpus": os.cpu_count(), "postgres": version, "load": load()},
        "places": len(world["places"]),
        "period": [period.start.isoformat(), period.end.isoformat()],
        "sizes": {},
    }
    print(f"{len(world['places'])} places under {root}; period {period.start}..{period.end}")
    have = 0
    python_rate = None
    for size in sizes:
        print(f"\n== {size:,} matters (load {load()})", flush=True)
        res: dict[str, Any] = {"insert_s": round(add_matters(have + 1, size, world, now), 1)}
        have = size
        if size <= args.python_rebuild_max:
            began, cpu = time.perf_counter(), time.process_time()
            rows = tallies.rebuild()
            res["rebuild_s"] = round(time.perf_counter() - began, 1)
            res["rebuild_cpu_s"] = round(time.process_time() - cpu, 1)
            res["rebuild_rows"] = rows
            res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            python_rate = res["rebuild_s"] / size
            print(
                f"  tallies.rebuild(): {rows:,} rows in {res['rebuild_s']} s "
                f"(CPU {res['rebuild_cpu_s']} s, peak RSS {res['peak_rss_mb']} MB)",
                flush=True,
            )
            sql("ANALYZE insights_tally")
            if size == sizes[0]:
                began = time.perf_counter()
                mismatches = tallies.check()
                res["check_s"] = round(time.perf_counter() - began, 1)
                print(f"  tallies.check(): {len(mismatches)} mismatches in {res['check_s']} s")
                assert not mismatches, mismatches[:5]
                stored = tallies.stored()
        elif python_rate is not None:
            res["rebuild_s_estimated"] = round(python_rate * size, 0)
            print(f"  tallies.rebuild() skipped; estimated {res['rebuild_s_estimated']} s")
        began = time.perf_counter()
        rows = rebuild_sql()
        res["rebuild_sql_s"] = round(time.perf_counter() - began, 1)
        print(f"  rebuild_sql() (benchmark only): {rows:,} rows in {res['rebuild_sql_s']} s")
        if size == sizes[0] and size <= args.python_rebuild_max:
            assert tallies.stored() == stored, "rebuild_sql() differs from tallies.rebuild()"
            print("  rebuild_sql() stored exactly what tallies.rebuild() stored")
        res["tallies"] = Tally.objects.count()
        res["tallies_by_grain"] = dict(sql("SELECT grain, count(*) FROM insights_tally GROUP BY 1"))
        print(f"  tallies by grain: {res['tallies_by_grain']}")
        verify(root, period)
        res.update(measure_size(root, period, args))
        results["sizes"][str(size)] = res
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"insights-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten to {target}")


if __name__ == "__main__":
    main()
