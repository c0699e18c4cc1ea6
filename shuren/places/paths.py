"""Place-path arithmetic: the one definition of a materialized path, used by every layer.

Each step of a path is a place's primary key, zero-padded to STEP_LEN digits; a place's path is
its parent's path followed by its own step. Paths hold digits only, so a subtree is the
half-open range [path, successor(path)) under any collation: one B-tree range scan on SQLite
and PostgreSQL alike. This module imports nothing of the project: models, scope, cases and
benchmarks all build on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

STEP_LEN = 10


def path_step(pk: int) -> str:
    return str(pk).zfill(STEP_LEN)


def path_successor(path: str) -> str:
    """The smallest digit string of the same length that sorts after every path in the subtree."""
    return str(int(path) + 1).zfill(len(path))


def subtree_q(path: str, field: str = "path") -> Q:
    """The rows whose `field` lies in the subtree of `path` (the place itself included)."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_successor(path)})


def ancestor_paths(path: str, *, include_self: bool = True, from_depth: int = 1) -> list[str]:
    """The paths above a place, root first: its subdistrict, community, … down to itself.

    `from_depth` starts lower down the tree (3: the estate, lane or street level)."""
    end = len(path) if include_self else len(path) - STEP_LEN
    return [path[:i] for i in range(from_depth * STEP_LEN, end + 1, STEP_LEN)]


def depth_of(path: str) -> int:
    """1 for the subdistrict, 2 for a community, …"""
    return len(path) // STEP_LEN


def drop_nested(paths: Iterable[str]) -> tuple[str, ...]:
    """The given subtree roots without those that lie inside another one, sorted."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        # Sorted, a nested path comes straight after its root or after other paths nested in it.
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def within(path: str, roots: Iterable[str]) -> bool:
    """True when the path lies in the subtree of one of the roots."""
    return any(path.startswith(root) for root in roots)


def common_root(paths: Iterable[str]) -> str:
    """The path of the lowest place holding every one of these places (itself, if only one);
    empty when they lie in separate trees or there are none."""
    common: str | None = None
    for path in paths:
        if common is None:
            common = path
            continue
        steps = 0
        while (
            steps < min(len(common), len(path)) // STEP_LEN
            and common[steps * STEP_LEN : (steps + 1) * STEP_LEN]
            == path[steps * STEP_LEN : (steps + 1) * STEP_LEN]
        ):
            steps += 1
        common = common[: steps * STEP_LEN]
    return common or ""
