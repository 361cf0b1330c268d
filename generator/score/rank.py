"""Rankings within each unit series: ties share a rank (并列) and the next rank is skipped.

By total, or by 得分率 (total ÷ maximum) where the framework says `rank_by = "rate"` because units
of one series have different maxima (an indicator that applies to some units only). Rates are
compared as exact fractions, never rounded: 1/3 and 2/6 tie, 98.474 % and 98.466 % do not, although
both print as 98.47 %. A unit with nothing due (maximum 0) has no rate; such units share the rank
after every unit that has one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

from .results import UnitResult


def rank_key(unit: UnitResult, rank_by: str) -> tuple[int, Fraction]:
    """What ranking compares, larger first: the total, or (has a rate, the exact rate)."""
    if rank_by == "rate":
        rate = unit.exact_rate
        return (1, rate) if rate is not None else (0, Fraction(0))
    return (1, Fraction(unit.total))


def rank_units(units: list[UnitResult], rank_by: str = "total") -> None:
    by_series: dict[str, list[UnitResult]] = defaultdict(list)
    for u in units:
        by_series[u.series].append(u)
    for members in by_series.values():
        keyed = sorted(((rank_key(u, rank_by), u) for u in members), key=lambda k: (-k[0][0], -k[0][1], k[1].id))
        counts = Counter(key for key, _ in keyed)
        for position, (key, u) in enumerate(keyed, start=1):
            previous = keyed[position - 2] if position > 1 else None
            u.rank = previous[1].rank if previous is not None and previous[0] == key else position
            u.tied = counts[key] > 1
