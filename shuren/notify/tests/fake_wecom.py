"""A local fake of WeCom's group robot webhook: a real HTTP server in a thread that checks
every payload against the documented format (../shared/reference/wecom.md) and answers as
told: "ok", an errcode (45009 too often, 93000 invalid key), an HTTP 500, or no answer in time."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PATH = "/cgi-bin/webhook/send"
MOBILE = re.compile(r"^(1[3-9][0-9]{9}|@all)$")


def problems(payload: Any) -> list[str]:
    """What is wrong with a message body by WeCom's documentation (nothing: [])."""
    if not isinstance(payload, dict) or set(payload) - {"msgtype", "text", "markdown"}:
        return ["not a message object"]
    kind = payload.get("msgtype")
    if kind == "text":
        text = payload.get("text")
        if not isinstance(text, dict) or set(text) - {
            "content",
            "mentioned_list",
            "mentioned_mobile_list",
        }:
            return ["text: unknown fields"]
        content = text.get("content")
        if not isinstance(content, str) or not content:
            return ["text: no content"]
        if len(content.encode("utf-8")) > 2048:
            return ["text: content over 2048 bytes"]
        mobiles = text.get("mentioned_mobile_list", [])
        if not isinstance(mobiles, list) or not all(
            isinstance(m, str) and MOBILE.match(m) for m in mobiles
        ):
            return ["text: bad mentioned_mobile_list"]
        return []
    if kind == "markdown":
        markdown = payload.get("markdown")
        if not isinstance(markdown, dict) or set(markdown) != {"content"}:
            return ["markdown: only content (no mentions)"]
        content = markdown["content"]
        if not isinstance(content, str) or not content:
            return ["markdown: no content"]
        if len(content.encode("utf-8")) > 4096:
            return ["markdown: content over 4096 bytes"]
        return []
    return [f"unknown msgtype {kind!r}"]


class FakeRobot:
    def __init__(self) -> None:
        self.answer = "ok"  # "ok", "45009", "93000", "500", "timeout"
        self.received: list[dict[str, Any]] = []
        self.refused: list[str] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if robot.answer == "timeout":
                    time.sleep(1.5)
                if url.path != PATH or not parse_qs(url.query).get("key"):
                    return self._reply(404, {"errcode": 93000, "errmsg": "invalid webhook url"})
                if not self.headers.get("Content-Type", "").startswith("application/json"):
                    robot.refused.append("content type")
                    return self._reply(200, {"errcode": 40008, "errmsg": "invalid message type"})
                try:
                    payload = json.loads(body.decode("utf-8"))
                except ValueError:
                    robot.refused.append("not JSON")
                    return self._reply(200, {"errcode": 40008, "errmsg": "invalid json"})
                wrong = problems(payload)
                if wrong:
                    robot.refused += wrong
                    return self._reply(200, {"errcode": 40008, "errmsg": "; ".join(wrong)})
                if robot.answer == "500":
                    return self._reply(500, {})
                if robot.answer in ("45009", "93000"):
                    return self._reply(200, {"errcode": int(robot.answer), "errmsg": "refused"})
                robot.received.append(payload)
                return self._reply(200, {"errcode": 0, "errmsg": "ok"})

            def _reply(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (a timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def prefix(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{PATH}?key="

    @property
    def webhook(self) -> str:
        return self.prefix + "0f3c9d2a-test-key-7788"

    def __enter__(self) -> FakeRobot:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
