"""Checking the stored chain: rows read in number order, a page at a time (keyset on `seq`),
so a trail of millions of rows is checked in constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shuren.audit.actions import chain_start
from shuren.audit.chain import HASHED, Finding, Walk, walk
from shuren.audit.models import AuditEntry, AuditHead

PAGE = 5000


def stored_rows(after: int = 0, page: int = PAGE) -> Iterator[dict[str, Any]]:
    fields = (*HASHED, "prev_hash", "hash")
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=after).order_by("seq").values(*fields)[:page])
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1]["seq"]


def verify_chain(cap: int = 100) -> Walk:
    """Walk the whole stored chain from its start (the genesis or the newest purge's anchor)
    to its head. Entries older than the anchor are not looked at: a purge removed them."""
    start_seq, start_hash = chain_start()
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    first = AuditEntry.objects.order_by("seq").values_list("seq", flat=True).first()
    if head is None and first is not None:
        # The head row is made with the first entry; without it the newest rows are unchecked.
        result = walk(stored_rows(start_seq), start_seq=start_seq, start_hash=start_hash, cap=cap)
        result.findings.insert(0, Finding("head", 0, 0, "the chain's head row is missing"))
        return result
    return walk(
        stored_rows(start_seq),
        start_seq=start_seq,
        start_hash=start_hash,
        head=(head[0], head[1]) if head else None,
        cap=cap,
    )
