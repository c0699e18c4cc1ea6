"""The migrations that encrypt phone and ID numbers (people 0004, cases 0009) convert rows that
exist, and their reverse opens them back: run for real, by `manage.py migrate` on a database of
their own, rows written in clear as they stood before."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from shuren.crypto import blind_index, decrypt

ROOT = Path(__file__).resolve().parents[2]
BEFORE = [("people", "0003_person_phone_consent"), ("cases", "0008_estate_tier_policy")]
PEOPLE = [
    ("P-1", "王秀英", "13812345678", "440602195803031231"),
    ("P-2", "李建国", "0757-86281234", ""),
    ("P-3", "陈美玲", "", "44060219700202345X"),
]


def manage(db: Path, *args: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "LANG": "C.UTF-8",
        "DATABASE_URL": f"sqlite:///{db}",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args, "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_migration_encrypts_existing_rows_and_its_reverse_opens_them(tmp_path):
    db = tmp_path / "before.sqlite3"
    for app, name in BEFORE:
        manage(db, "migrate", app, name)
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO people_person (code, name, phone, id_number, party_member, "
            "leader_sees_phone, published_phone, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 0, 0, '', 1, '2026-01-01', '2026-01-01')",
            PEOPLE,
        )

    manage(db, "migrate")  # forward
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT code, phone, id_number, phone_index, id_number_index FROM people_person "
            "ORDER BY code"
        ).fetchall()
    for (code, *plain), (_code, phone, id_number, phone_index, id_index) in zip(
        [(c, p, i) for c, _n, p, i in PEOPLE], rows, strict=True
    ):
        assert _code == code
        for value, stored in zip(plain, (phone, id_number), strict=True):
            assert stored == "" if not value else stored.startswith("enc1:test:")
            assert value not in stored or not value
        assert decrypt(phone, column="people.Person.phone") == plain[0]
        assert decrypt(id_number, column="people.Person.id_number") == plain[1]
        assert phone_index == blind_index(plain[0], kind="phone")
        assert id_index == blind_index(plain[1], kind="id_number")

    for app, name in BEFORE:  # and back
        manage(db, "migrate", app, name)
    with sqlite3.connect(db) as conn:
        back = conn.execute(
            "SELECT code, name, phone, id_number FROM people_person ORDER BY code"
        ).fetchall()
        columns = {row[1] for row in conn.execute("PRAGMA table_info(people_person)")}
    assert back == PEOPLE
    assert "phone_index" not in columns
