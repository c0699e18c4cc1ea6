"""Time `manage.py loaddemo` on a fresh SQLite database: the first load and an idempotent rerun.

Run: .venv/bin/python benchmarks/loaddemo.py   (goal, issue 2: the first load under 60 s)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3"}
        run(["migrate", "--no-input"], env)
        first = run(["loaddemo"], env)
        second = run(["loaddemo"], env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    load = os.getloadavg()[0]
    print(f"loaddemo first run:  {first:6.1f} s   (goal < 60 s)")
    print(f"loaddemo second run: {second:6.1f} s   (idempotent: changes nothing)")
    print(f"peak memory of a child process: {peak_mb:.0f} MB; load average {load:.2f}")


if __name__ == "__main__":
    main()
