"""The WeCom (企业微信) group robot: its documented JSON messages and the POST that sends them.

A robot takes `POST <webhook>?key=KEY` with a UTF-8 JSON body: a text message (content at most
2048 bytes, with @-mentions by mobile number) or a markdown message (at most 4096 bytes, no
mentions). It answers {"errcode": 0, "errmsg": "ok"}; 45009 means "too often" (retry later),
93000 an invalid key (retrying cannot help). See ../shared/reference/wecom.md.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

TEXT_LIMIT = 2048
MARKDOWN_LIMIT = 4096
PER_MINUTE = 20  # the robot's documented limit
TIMEOUT = 5.0  # seconds: a robot that does not answer must not hold the worker
TOO_OFTEN = 45009
INVALID_KEY = 93000


class RobotError(Exception):
    """The robot did not take the message; `retry` says whether trying later may help."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` UTF-8 bytes, never inside a character."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode("utf-8", errors="ignore") + "…"


def text_message(content: str, *, mobiles: Iterable[str] = ()) -> dict[str, Any]:
    """A text message; the people named by mobile are @-mentioned (the numbers go to WeCom in
    mentioned_mobile_list, never into the content)."""
    text: dict[str, Any] = {"content": clip(content, TEXT_LIMIT)}
    mentioned = [m for m in mobiles if m]
    if mentioned:
        text["mentioned_mobile_list"] = mentioned
    return {"msgtype": "text", "text": text}


def markdown_message(content: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": clip(content, MARKDOWN_LIMIT)}}


def _escape(text: str) -> str:
    # A title is shown as text: markdown's link and markup characters would change it.
    for char in "[]()<>*`#":
        text = text.replace(char, " ")
    return " ".join(text.split())


def digest(heading: str, items: Sequence[tuple[str, str]]) -> tuple[str, int]:
    """One markdown digest of (title, link) items within the 4096-byte limit, and how many of
    the items it holds (at least one): a burst becomes one message instead of many, and what
    does not fit goes in the next."""
    content = f"### {_escape(heading)}\n"
    held = 0
    for title, link in items:
        line = f"> [{_escape(title)[:120]}]({link})\n" if link else f"> {_escape(title)[:120]}\n"
        if held and len((content + line).encode("utf-8")) > MARKDOWN_LIMIT:
            break
        content += line
        held += 1
    return clip(content, MARKDOWN_LIMIT), held


def allowed(webhook: str) -> bool:
    """Only WeCom's own address (and, in tests, a local fake): the server posts to what is set
    here, so no other host may be named (no requests into the internal network)."""
    prefixes: Sequence[str] = getattr(
        settings,
        "WECOM_WEBHOOK_PREFIXES",
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",),
    )
    return any(webhook.startswith(p) and len(webhook) > len(p) for p in prefixes)


def masked(webhook: str) -> str:
    """The address with its key hidden but its last four characters."""
    if not webhook:
        return ""
    base, sep, key = webhook.partition("key=")
    if not sep:
        return base[:30] + "…"
    return f"{base}key=" + "*" * 8 + key[-4:]  # not even the length of the key


def send(webhook: str, payload: dict[str, Any]) -> None:
    """POST one message; RobotError when it was not taken (HTTP error, timeout, errcode)."""
    timeout = float(getattr(settings, "WECOM_TIMEOUT", TIMEOUT))
    if not allowed(webhook):
        raise RobotError("the webhook address is not WeCom's", retry=False)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 (allowed() above: WeCom's https only)
        webhook,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        # The scheme and host are WeCom's (allowed() above), never a file: URL.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # noqa: S310 (checked above)
            answer = json.loads(response.read(65536).decode("utf-8") or "{}")
    except urllib.error.HTTPError as error:
        raise RobotError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise RobotError(f"unreachable: {type(error).__name__}") from None
    except ValueError:
        raise RobotError("the answer was not JSON") from None
    code = answer.get("errcode") if isinstance(answer, dict) else None
    if code == 0:
        return
    message = str(answer.get("errmsg", ""))[:200] if isinstance(answer, dict) else ""
    raise RobotError(f"errcode {code}: {message}", retry=code != INVALID_KEY)
