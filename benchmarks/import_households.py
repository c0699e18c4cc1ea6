"""Benchmark of the Excel import: 10,000 households into a fresh SQLite database.

Generates one workbook (estates, buildings, stairwells, 10,000 households and ~15,000
residents, all with valid ID numbers), imports it as a subdistrict staff member into a new
SQLite file under var/, and prints the seconds and the peak memory; then imports the same file
again with its phones and ID numbers masked, as a default export writes them (the idempotent
re-run, which must change nothing; full numbers would count as updates, since the import never
compares them with the stored ones) and prints that time too.

    .venv/bin/python benchmarks/import_households.py [--households 10000] [--keep]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_FILE = BASE_DIR / "var" / "bench-excel-import.sqlite3"
XLSX_FILE = BASE_DIR / "var" / "bench-excel-import.xlsx"
MASKED_FILE = BASE_DIR / "var" / "bench-excel-import-masked.xlsx"

BUILDINGS_PER_ESTATE = 25
UNITS_PER_BUILDING = 2
HOUSEHOLDS_PER_UNIT = 20  # 10 floors × 2 rooms


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    DB_FILE.parent.mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    # Production-like: with DEBUG on, Django would keep every query in memory.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def make_importer():
    """A subdistrict with one community, and a subdistrict staff member who imports."""
    from django.contrib.auth import get_user_model

    from shuren.people.models import Person, Post, Role, Team, TeamKind
    from shuren.places.actions import create_place

    subdistrict = create_place(
        actor=None, kind="subdistrict", name="桂城街道", code="GC", parent=None
    )
    community = create_place(
        actor=None, kind="community", name="尖东社区", code="GC-JD", parent=subdistrict
    )
    Team.objects.create(
        kind=TeamKind.PROPERTY_COMPANY, name="示例物业", code="WY-BENCH", place=community
    )
    person = Person.objects.create(name="街道干部", code="P-BENCH-STAFF")
    Post.objects.create(person=person, role=Role.JIEDAO_STAFF, place=subdistrict)
    return get_user_model().objects.create(username="bench-importer", person=person)


def id_number(serial: int) -> str:
    from shuren.people.identity import id_check_char

    year = 1940 + serial % 60
    month = 1 + serial % 12
    day = 1 + serial % 28
    first17 = f"440605{year:04d}{month:02d}{day:02d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def generate(households: int) -> dict[str, list[list[object]]]:
    per_estate = BUILDINGS_PER_ESTATE * UNITS_PER_BUILDING * HOUSEHOLDS_PER_UNIT
    estates = -(-households // per_estate)
    places: list[list[object]] = []
    household_rows: list[list[object]] = []
    residents: list[list[object]] = []
    count = 0
    person = 0
    for e in range(1, estates + 1):
        estate = f"GC-JD-E{e:02d}"
        company = "WY-BENCH" if e % 2 else ""
        places.append(
            [estate, "小区", f"示例{e}号小区", "GC-JD", "", None, None, None, company, ""]
        )
        for b in range(1, BUILDINGS_PER_ESTATE + 1):
            building = f"{estate}-B{b:02d}"
            places.append([building, "楼栋", f"{b}栋", estate, "", 10, None, None, "", ""])
            for u in range(1, UNITS_PER_BUILDING + 1):
                unit = f"{building}-U{u}"
                places.append(
                    [unit, "单元", f"{b}栋{u}单元", building, "", None, None, None, "", ""]
                )
                for h in range(HOUSEHOLDS_PER_UNIT):
                    if count == households:
                        break
                    count += 1
                    floor, room = 1 + h // 2, f"{1 + h // 2}{u}{h % 2 + 1:02d}"
                    code = f"{unit}-{room}"
                    head = f"P{person:06d}"
                    owners = [head]
                    members = [(head, "户主")]
                    if count % 2 == 0:  # every second household: a spouse, co-owner
                        owners.append(f"P{person + 1:06d}")
                        members.append((owners[1], "配偶"))
                    area = f"{60 + (count * 7) % 90}.{count % 100:02d}"
                    household_rows.append([code, unit, room, floor, area, "、".join(owners)])
                    for offset, (person_code, relation) in enumerate(members):
                        serial = person + offset
                        residents.append(
                            [
                                person_code,
                                f"居民{serial}",
                                f"139{serial:08d}",
                                id_number(serial),
                                "是" if serial % 7 == 0 else "否",
                                code,
                                relation,
                            ]
                        )
                    person += len(members)
    return {"places": places, "households": household_rows, "residents": residents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the database and workbook")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command

    from shuren.access.masking import mask_id_number, mask_phone
    from shuren.places.excel.actions import import_places
    from shuren.places.excel.template import write_workbook

    call_command("migrate", verbosity=0)
    user = make_importer()

    started = time.perf_counter()
    rows = generate(args.households)
    XLSX_FILE.write_bytes(write_workbook(rows))
    made = time.perf_counter() - started
    for row in rows["residents"]:
        row[2], row[3] = mask_phone(str(row[2])), mask_id_number(str(row[3]))
    MASKED_FILE.write_bytes(write_workbook(rows))
    sizes = {key: len(value) for key, value in rows.items()}
    del rows
    gc.collect()
    print(
        f"workbook: {sizes['places']} places, {sizes['households']} households, "
        f"{sizes['residents']} residents; {XLSX_FILE.stat().st_size / 1e6:.1f} MB, "
        f"written in {made:.1f} s"
    )

    before = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    report = import_places(actor=user, file=XLSX_FILE)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    if not report.ok:
        print("\n".join(report.lines()[:20]))
        raise SystemExit(1)
    print(
        f"first import: {first:.1f} s ({first_cpu:.1f} s CPU in this process); "
        f"peak memory {peak_mb():.0f} MB "
        f"(process, {before:.0f} MB before the import)"
    )
    for what, counts in report.count_rows():
        print(f"  {what}: {counts.created} created")

    started, cpu = time.perf_counter(), time.process_time()
    again = import_places(actor=user, file=MASKED_FILE)
    second, second_cpu = time.perf_counter() - started, time.process_time() - cpu
    changed = sum(c.created + c.updated for _w, c in again.count_rows())
    print(
        f"re-import (idempotent): {second:.1f} s ({second_cpu:.1f} s CPU); {changed} rows changed"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    verdict = "PASS" if first < 30 and again.ok and changed == 0 else "FAIL"
    print(f"{verdict}: {sizes['households']} households in {first:.1f} s (target < 30 s)")

    if not args.keep:
        wal, shm = Path(f"{DB_FILE}-wal"), Path(f"{DB_FILE}-shm")
        for path in (XLSX_FILE, MASKED_FILE, DB_FILE, wal, shm):
            path.unlink(missing_ok=True)
    if verdict == "FAIL":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
