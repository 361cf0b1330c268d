"""Rankings within each unit series: ties share a rank (并列) and the next rank is skipped."""

from __future__ import annotations

from collections import defaultdict

from .results import UnitResult


def rank_units(units: list[UnitResult]) -> None:
    by_series: dict[str, list[UnitResult]] = defaultdict(list)
    for u in units:
        by_series[u.series].append(u)
    for members in by_series.values():
        members.sort(key=lambda u: (-u.total, u.id))
        for position, u in enumerate(members, start=1):
            previous = members[position - 2] if position > 1 else None
            u.rank = previous.rank if previous is not None and previous.total == u.total else position
        totals = [u.total for u in members]
        for u in members:
            u.tied = totals.count(u.total) > 1
