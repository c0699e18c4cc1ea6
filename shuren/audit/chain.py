"""The hash chain: each entry's canonical form, its link hash, and the walk that checks a chain
(pure over the rows it is given, so millions of rows stream through in constant memory)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shuren.audit.models import GENESIS

# The fields a hash covers, in this order; `seq` among them, so renumbering a row shows.
HASHED = (
    "seq",
    "at",
    "kind",
    "actor_pk",
    "actor_username",
    "ip",
    "target_type",
    "target_id",
    "target_label",
    "detail",
)


def canonical(values: dict[str, Any]) -> bytes:
    """One row as bytes that do not depend on the database: keys sorted, the time in UTC to
    the microsecond, JSON with no spaces (jsonb reorders keys; SQLite keeps the text)."""
    at = values["at"]
    assert isinstance(at, dt.datetime)
    assert at.tzinfo is not None
    row = {name: values[name] for name in HASHED}
    row["at"] = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(values)).hexdigest()


@dataclass
class Finding:
    """What the walk found wrong, named by the entries' numbers."""

    kind: str  # "edited", "deleted", "broken_link", "head"
    first: int
    last: int
    message: str


@dataclass
class Walk:
    rows: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    findings: list[Finding] = field(default_factory=list)
    more: int = 0  # findings past the cap, counted but not kept

    def add(self, finding: Finding, cap: int) -> None:
        if len(self.findings) < cap:
            self.findings.append(finding)
        else:
            self.more += 1

    @property
    def ok(self) -> bool:
        return not self.findings


def walk(
    rows: Iterable[dict[str, Any]],
    *,
    start_seq: int = 0,
    start_hash: str = GENESIS,
    head: tuple[int, str] | None = None,
    cap: int = 100,
) -> Walk:
    """Check rows given in `seq` order, starting after entry `start_seq` whose hash is
    `start_hash` (the genesis, or a purge's anchor), and end at `head` (the stored newest
    number and hash), if any.

    - a row whose hash is not the hash of its content: **edited**;
    - a missing number (a gap, or rows missing at the start or the end): **deleted**;
    - a row that does not link to the row before it although the numbers follow on: the row
      before was rewritten with a fresh hash (**broken_link**, named by that row's number).
    """
    result = Walk(last_seq=start_seq, last_hash=start_hash)
    expected_prev = start_hash
    for row in rows:
        seq = row["seq"]
        result.rows += 1
        if seq != result.last_seq + 1:
            result.add(
                Finding(
                    "deleted",
                    result.last_seq + 1,
                    seq - 1,
                    f"entries {result.last_seq + 1}..{seq - 1} were deleted",
                ),
                cap,
            )
        elif row["prev_hash"] != expected_prev:
            result.add(
                Finding(
                    "broken_link",
                    result.last_seq,
                    seq,
                    f"entry {result.last_seq} was changed: entry {seq} no longer links to it",
                ),
                cap,
            )
        if link(row["prev_hash"], row) != row["hash"]:
            result.add(Finding("edited", seq, seq, f"entry {seq} was changed"), cap)
        result.last_seq, result.last_hash = seq, row["hash"]
        expected_prev = row["hash"]
    if head is not None:
        head_seq, head_hash = head
        if head_seq > result.last_seq:
            result.add(
                Finding(
                    "deleted",
                    result.last_seq + 1,
                    head_seq,
                    f"entries {result.last_seq + 1}..{head_seq} (the newest) were deleted",
                ),
                cap,
            )
        elif head_seq == result.last_seq and head_hash != result.last_hash:
            result.add(Finding("edited", head_seq, head_seq, f"entry {head_seq} was changed"), cap)
        elif head_seq < result.last_seq:
            result.add(
                Finding(
                    "head",
                    head_seq,
                    result.last_seq,
                    f"the chain's head says {head_seq} but entries go on to {result.last_seq}",
                ),
                cap,
            )
    return result
