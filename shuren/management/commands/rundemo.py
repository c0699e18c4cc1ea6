"""Start the demo: web server, outbox worker, task worker and the periodic overdue sweep.

The demo is shown as the product runs: DEBUG off, so a missing page, a refusal or a failure
shows the product's own 404, 403 and 500 pages in the user's language, not Django's debug pages;
WhiteNoise serves the static files (settings.py). `DEBUG=true` in the environment still asks
for the debug pages.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from shuren.people.models import Post


def demo_logins() -> list[tuple[str, str]]:
    """(username, what they hold) for every demo-* account, in a stable order."""
    rows = []
    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    for user in users.select_related("person"):
        posts = (
            Post.objects.active().filter(person=user.person).select_related("place", "team")
            if user.person_id
            else Post.objects.none()
        )
        held = "；".join(
            f"{post.get_role_display()} · {post.place or post.team or ''}".rstrip(" ·")
            for post in posts
        )
        if not held and user.person_id:
            held = "居民 (resident)"
        rows.append((user.username, held))
    return rows


def demo_environment() -> dict[str, str]:
    """The environment of the demo's processes: this one's, with DEBUG off unless it says."""
    env = dict(os.environ)
    if not env.get("DEBUG"):
        env["DEBUG"] = "false"
    return env


def web_server(host: str, port: str) -> list[str]:
    """The demo's web server (Django's, without its reloader)."""
    return [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"]


# RQ's worker as production runs it (docs/integrations.md): django-tasks-rq's job class runs
# the task's function, the scheduler enqueues the retries that wait their backoff.
RQ_WORKER = ("rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler")


def task_worker() -> list[str]:
    """The worker of the task backend settings chose (SHUREN_TASK_BACKEND): the database's by
    default; RQ's, with its scheduler for the retries enqueued for later, on Redis."""
    if settings.SHUREN_TASK_BACKEND == "redis":
        return [sys.executable, "manage.py", *RQ_WORKER]
    return [sys.executable, "manage.py", "db_worker", "--interval", "2", "--no-reload"]


# In production cron or a systemd timer runs the sweep; the demo runs it itself this often.
SWEEP_EVERY_SECONDS = 600
# The overdue sweep, the early-warning sweep, then the register files past their keeping date.
SWEEPS = ("sweepoverdue", "sweepalerts", "purgeexports", "closevotes", "sweepmeetings")


def sweep_periodically(stop: threading.Event, env: dict[str, str]) -> None:
    """Run the overdue sweep, then the early-warning sweep (which reads the overdue flags), now
    and then every SWEEP_EVERY_SECONDS until told to stop."""
    while not stop.is_set():
        for command in SWEEPS:
            subprocess.run(  # noqa: S603 - our own commands, named above
                [sys.executable, "manage.py", command],
                cwd=settings.BASE_DIR,
                env=env,
                check=False,
            )
        stop.wait(SWEEP_EVERY_SECONDS)


class Command(BaseCommand):
    help = "Run the demo web server with its workers and the periodic overdue and alert sweeps."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS("\n熟人 Shuren 演示账号 (demo logins)"))
        for username, held in demo_logins():
            self.stdout.write(f"  {username:<18} {held}")
        self.stdout.write(f"  密码 (password): {settings.SHUREN_DEMO_PASSWORD}")
        self.stdout.write(f"\n  打开 (open) http://{host}:{port}/  — Ctrl-C 停止 (to stop)\n")

        env = demo_environment()
        workers = [
            # Turns what actions recorded in the outbox into notifications (kernel.outbox).
            subprocess.Popen(
                [sys.executable, "manage.py", "runoutbox", "--verbosity", "0"],
                cwd=settings.BASE_DIR,
                env=env,
            ),
            # Background tasks (django-tasks' database backend, or Redis's when chosen).
            subprocess.Popen(task_worker(), cwd=settings.BASE_DIR, env=env),  # noqa: S603 - ours
        ]
        stop = threading.Event()
        threading.Thread(target=sweep_periodically, args=(stop, env), daemon=True).start()
        # The web server too runs in a process of its own, so it reads DEBUG from its own
        # environment: settings are read once, when a process starts.
        server = subprocess.Popen(  # noqa: S603 - our own manage.py, host and port as given
            web_server(host, port), cwd=settings.BASE_DIR, env=env
        )
        try:
            server.wait()
        except KeyboardInterrupt:
            pass  # Ctrl-C reached every process of the terminal; collect them below
        finally:
            stop.set()
            for process in [server, *workers]:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in [server, *workers]:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
