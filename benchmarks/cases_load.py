"""Bounded HTTP load for the cases benchmark: gunicorn servers on 127.0.0.1 and a small thread
pool that sends a fixed number of requests under a hard time cap, timing each one.

Only loopback addresses are ever used: every server binds 127.0.0.1 and the client refuses any
other host. A run stops by itself after `requests` requests or `time_cap` seconds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"
LOGS = Path(__file__).resolve().parent.parent / "var" / "bench-cases" / "logs"


def _load() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return round(one, 2), round(five, 2), round(fifteen, 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A gunicorn with 2 sync workers on 127.0.0.1; stopped by stop() (SIGTERM to its own pid)."""

    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self, *, ready_path: str, timeout: float = 60) -> None:
        self.log = LOGS / f"{self.name}-{self.port}.log"
        LOGS.mkdir(parents=True, exist_ok=True)
        argv = [
            *self.argv,
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{self.port}",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            argv,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", ready_path)
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {HOST}:{self.port} in {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class Request:
    method: str
    path: str
    body: bytes
    headers: dict[str, str]
    ok: Callable[[int, bytes], bool]


@dataclass
class RunResult:
    name: str
    sent: int
    ok: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]
    errors: list[str]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sent": self.sent,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "req_per_s": round(self.throughput, 1),
            "p50_ms": round(percentile(self.latencies_ms, 50), 1),
            "p95_ms": round(percentile(self.latencies_ms, 95), 1),
            "statuses": self.statuses,
            "errors": self.errors[:5],
            "load_before": self.load_before,
            "load_after": self.load_after,
        }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 1..100 is 50); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def run(
    name: str,
    port: int,
    make_request: Callable[[int], Request],
    *,
    requests: int,
    concurrency: int,
    time_cap: float,
) -> RunResult:
    """Send `requests` requests from `concurrency` threads, each on a new connection (gunicorn's
    sync workers close every connection), stopping early at `time_cap` seconds."""
    lock = threading.Lock()
    counter = iter(range(requests))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    ok = 0
    load_before = _load()
    started = time.monotonic()
    deadline = started + time_cap

    def worker() -> None:
        nonlocal ok
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            req = make_request(i)
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request(req.method, req.path, body=req.body, headers=req.headers)
                resp = conn.getresponse()
                body = resp.read()
                conn.close()
                status = resp.status
            except OSError as exc:
                with lock:
                    errors.append(repr(exc))
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            good = req.ok(status, body)
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if good:
                    ok += 1
                elif len(errors) < 20:
                    errors.append(f"{status}: {body[:300]!r}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
    seconds = time.monotonic() - started
    return RunResult(
        name, len(latencies), ok, seconds, latencies, statuses, errors, load_before, _load()
    )


# --- What each side receives ---------------------------------------------------------------


def shuren_requests(
    intake: list[dict[str, Any]], texts: list[tuple[str, str, str]]
) -> Callable[[int], Request]:
    """POST /api/v1/cases as residents (bearer tokens, round robin) on their own stairwell, with
    an Idempotency-Key as a mobile client sends; 201 is success."""

    def make(i: int) -> Request:
        who = intake[i % len(intake)]
        category, title, description = texts[i % len(texts)]
        body = json.dumps(
            {
                "place": who["place"],
                "category": category,
                "title": title,
                "description": description,
            },
            ensure_ascii=False,
        ).encode()
        return Request(
            "POST",
            "/api/v1/cases",
            body,
            {
                "Host": HOST,
                "Content-Type": "application/json",
                "Authorization": f"Bearer {who['token']}",
                "Idempotency-Key": str(uuid.uuid4()),
            },
            lambda status, _body: status == 201,
        )

    return make


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def helpdesk_session(port: int) -> tuple[str, str]:
    """GET the public form once: the csrftoken cookie and the form's token, as a browser has."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/helpdesk/tickets/submit/", headers={"Host": HOST})
    resp = conn.getresponse()
    html = resp.read()
    conn.close()
    cookie = ""
    for header, value in resp.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0].split("=", 1)[1]
    found = CSRF_INPUT.search(html)
    if resp.status != 200 or not cookie or not found:
        raise RuntimeError(f"helpdesk's form did not load: {resp.status} {html[:300]!r}")
    return cookie, found.group(1).decode()


def helpdesk_requests(
    port: int, queue: int, texts: list[tuple[str, str, str]], sessions: int
) -> Callable[[int], Request]:
    """POST /helpdesk/tickets/submit/ (helpdesk's public ticket form) as anonymous submitters,
    each with the CSRF cookie and token a browser would carry; the 302 to the ticket is success."""
    tokens = [helpdesk_session(port) for _ in range(sessions)]

    def make(i: int) -> Request:
        cookie, token = tokens[i % len(tokens)]
        _category, title, description = texts[i % len(texts)]
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "queue": queue,
                "title": title,
                "body": description,
                "priority": 3,
                "submitter_email": f"resident{i % 500}@example.com",
            }
        ).encode()
        return Request(
            "POST",
            "/helpdesk/tickets/submit/",
            body,
            {
                "Host": HOST,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://{HOST}:{port}/helpdesk/tickets/submit/",
            },
            lambda status, _body: status == 302,
        )

    return make
