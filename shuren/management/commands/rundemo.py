"""Start the demo: web server, outbox worker, task worker and the periodic overdue sweep."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
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


# In production cron or a systemd timer runs the sweep; the demo runs it itself this often.
SWEEP_EVERY_SECONDS = 600


def sweep_periodically(stop: threading.Event) -> None:
    """Run the overdue sweep now and then every SWEEP_EVERY_SECONDS until told to stop."""
    while not stop.is_set():
        subprocess.run(
            [sys.executable, "manage.py", "sweepoverdue"],
            cwd=settings.BASE_DIR,
            check=False,
        )
        stop.wait(SWEEP_EVERY_SECONDS)


class Command(BaseCommand):
    help = "Run the demo web server with its workers and a periodic overdue sweep."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS("\n熟人 Shuren 演示账号 (demo logins)"))
        for username, held in demo_logins():
            self.stdout.write(f"  {username:<18} {held}")
        self.stdout.write(f"  密码 (password): {settings.SHUREN_DEMO_PASSWORD}")
        self.stdout.write(f"\n  打开 (open) http://{host}:{port}/  — Ctrl-C 停止 (to stop)\n")

        workers = [
            # Turns what actions recorded in the outbox into notifications (kernel.outbox).
            subprocess.Popen(
                [sys.executable, "manage.py", "runoutbox", "--verbosity", "0"],
                cwd=settings.BASE_DIR,
            ),
            # Background tasks (django-tasks' database backend).
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--interval", "2", "--no-reload"],
                cwd=settings.BASE_DIR,
            ),
        ]
        stop = threading.Event()
        threading.Thread(target=sweep_periodically, args=(stop,), daemon=True).start()
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            stop.set()
            for worker in workers:
                worker.send_signal(signal.SIGINT)
            for worker in workers:
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
