"""Rankings within each unit series: ties share a rank (并列) and the next rank is skipped.

By total, or by 得分率 (total ÷ maximum) where the framework says `rank_by = "rate"` because units
of one series have different maxima (an indicator that applies to some units only). Rates are
compared as exact fractions, never rounded: 1/3 and 2/6 tie, 98.474 % and 98.466 % do not, although
both print as 98.47 %. A unit with nothing due (maximum 0) has no rate; such units share the rank
after every unit that has one.

Units equal on that figure are ordered by the framework's stated tie-breaks (得分相同的，以…高者居前),
in order; only units equal on every one of them share a rank. Grade quotas read the same order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .results import UnitResult

if TYPE_CHECKING:  # the model imports the rule kinds from this package: no runtime import back
    from ..model import TieBreak

Key = tuple[Fraction, ...]


def rank_key(unit: UnitResult, rank_by: str) -> tuple[int, Fraction]:
    """What ranking compares, larger first: the total, or (has a rate, the exact rate)."""
    if rank_by == "rate":
        rate = unit.exact_rate
        return (1, rate) if rate is not None else (0, Fraction(0))
    return (1, Fraction(unit.total))


def tie_break_value(unit: UnitResult, tie_break: TieBreak) -> Fraction:
    """What one tie-break compares, larger first."""
    if tie_break.by == "category":
        return Fraction(sum((c.score for c in unit.categories if c.id == tie_break.id), Decimal(0)))
    if tie_break.by == "part":
        return Fraction(sum((c.score for c in unit.categories if c.part == tie_break.id), Decimal(0)))
    if tie_break.by == "indicator":
        return Fraction(sum((i.score for i in unit.indicators if i.id == tie_break.id), Decimal(0)))
    return -Fraction(sum(1 for i in unit.indicators if i.lost > 0))  # lost_indicators: fewer first


def order_key(unit: UnitResult, rank_by: str, tie_breaks: Sequence[TieBreak] = ()) -> Key:
    """The ranking figure, then every tie-break: units with equal keys share a rank."""
    has_figure, figure = rank_key(unit, rank_by)
    return (Fraction(has_figure), figure, *(tie_break_value(unit, t) for t in tie_breaks))


def in_rank_order(members: Sequence[UnitResult], rank_by: str, tie_breaks: Sequence[TieBreak] = ()) -> list[UnitResult]:
    """`members` best first (by `order_key`), equal keys by unit id so that the order is stable."""
    keys = {id(u): order_key(u, rank_by, tie_breaks) for u in members}
    return sorted(members, key=lambda u: (tuple(-k for k in keys[id(u)]), u.id))


def rank_units(units: list[UnitResult], rank_by: str = "total", tie_breaks: Sequence[TieBreak] = ()) -> None:
    by_series: dict[str, list[UnitResult]] = defaultdict(list)
    for u in units:
        by_series[u.series].append(u)
    for members in by_series.values():
        keys = {u.id: order_key(u, rank_by, tie_breaks) for u in members}
        figures = Counter(key[:2] for key in keys.values())
        counts = Counter(keys.values())
        previous: UnitResult | None = None
        for position, u in enumerate(in_rank_order(members, rank_by, tie_breaks), start=1):
            same = previous is not None and keys[previous.id] == keys[u.id]
            u.rank = previous.rank if same and previous is not None else position
            u.tied = counts[keys[u.id]] > 1
            # equal on the figure with another unit, and told apart by a stated tie-break
            u.tie_broken = figures[keys[u.id][:2]] > counts[keys[u.id]]
            previous = u
