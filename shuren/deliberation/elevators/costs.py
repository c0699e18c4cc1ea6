"""Sharing a project's cost by floor (pure): each household's share in yuan to the fen, the
shares summing exactly to the total (largest-remainder rounding), higher floors paying more as
the per-project floor weights say (rules-cn.md §1: the weights are the owners' agreement)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

FEN = Decimal("0.01")


class CostError(ValueError):
    """Costs that cannot be shared (the words say why, in the caller's language)."""

    def __init__(self, code: str, floors: Sequence[int] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.floors = tuple(floors)


def floor_of(room: str, floor: int | None) -> int | None:
    """The household's floor: as registered, else read from its room number ("101" is on the
    1st floor, "1203" on the 12th); None when neither says."""
    if floor is not None:
        return floor
    digits = re.fullmatch(r"0*(\d+)", (room or "").strip())
    if digits is None or len(digits.group(1)) < 3:
        return None
    return int(digits.group(1)[:-2])


def share_costs(
    total: Decimal,
    households_by_floor: Mapping[int, Sequence[int]],
    weights: Mapping[int, Decimal],
) -> dict[int, Decimal]:
    """Each household's share (household id -> yuan, two places). A household's exact share is
    total × its floor's weight / the sum of all households' weights; each is rounded down to the
    fen and the fen left over go one each to the largest remainders (ties: the higher floor,
    then the smaller household id), so the shares sum exactly to the total."""
    if not total.is_finite() or total < 0 or total != total.quantize(FEN):
        raise CostError("total")
    households = sorted(
        (floor, household) for floor, ids in households_by_floor.items() for household in ids
    )
    if not households:
        raise CostError("no_households")
    missing = sorted({floor for floor, _h in households if floor not in weights})
    if missing:
        raise CostError("weight_missing", missing)
    if any(not w.is_finite() or w < 0 for w in weights.values()):
        raise CostError("weight_negative")
    whole = sum((Fraction(weights[floor]) for floor, _h in households), Fraction(0))
    if whole == 0:
        raise CostError("weights_zero")
    fen = int(total / FEN)
    exact = {h: Fraction(fen) * Fraction(weights[floor]) / whole for floor, h in households}
    floors = {h: floor for floor, h in households}
    base = {h: int(share) for h, share in exact.items()}  # shares are >= 0: int() floors
    left = fen - sum(base.values())
    order = sorted(exact, key=lambda h: (-(exact[h] - base[h]), -floors[h], h))
    for h in order[:left]:
        base[h] += 1
    return {h: (Decimal(n) * FEN).quantize(FEN, rounding=ROUND_DOWN) for h, n in base.items()}
