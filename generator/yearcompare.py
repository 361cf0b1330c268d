"""Year over year: each unit's total, 得分率, rank and indicators against the previous year of the same
organisation.

The previous year is the nearest earlier one whose framework is the same or shares at least half
of this year's indicator ids (:func:`generator.review.comparable`); indicators are compared where
their ids persist. Differences are exact; the 得分率 difference is in percentage points, rounded
only when printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .load.walk import YEAR_DIR
from .problems import InputError
from .score.results import IndicatorResult, Results, UnitResult
from .types import round_to

if TYPE_CHECKING:
    from .model import Assessment
    from .tree import Tree

CENT = Decimal("0.01")


@dataclass
class UnitChange:
    """One unit against its result in the previous year."""

    previous: UnitResult
    total: Decimal  # this year's total − last year's
    rate: Decimal | None  # 得分率 difference in percentage points (exact); None without both rates
    rank: int  # places moved up (positive) or down (negative) within the series

    @property
    def rate_shown(self) -> Decimal | None:
        return round_to(self.rate, CENT) if self.rate is not None else None


@dataclass
class YearComparison:
    year: int
    previous_year: int
    units: dict[str, UnitChange]

    def unit(self, unit_id: str) -> UnitChange | None:
        return self.units.get(unit_id)

    def indicator(self, unit_id: str, indicator_id: str) -> IndicatorResult | None:
        """The unit's result on the same indicator last year, where the indicator and the unit persist."""
        change = self.units.get(unit_id)
        if change is None:
            return None
        return next((r for r in change.previous.indicators if r.id == indicator_id), None)


def compare_years(current: Results, previous: Results) -> YearComparison:
    before = {u.id: u for u in previous.units}
    units: dict[str, UnitChange] = {}
    for u in current.units:
        p = before.get(u.id)
        if p is None or p.series != u.series:
            continue  # a new unit, or one that changed series, has no comparable rank
        rate = u.total * 100 / u.max - p.total * 100 / p.max if u.max > 0 and p.max > 0 else None
        units[u.id] = UnitChange(p, u.total - p.total, rate, p.rank - u.rank)
    return YearComparison(current.year, previous.year, units)


def previous_year(
    root: Path,
    a: Assessment,
    filing_dates: bool = True,
    history: tuple[Path, str] | None = None,
    tree: Tree | None = None,
) -> Assessment | None:
    """The nearest comparable earlier year in the repository at `root`, or None: the site's 上年
    columns score it, the indicator review reads its figures.

    An earlier year that does not load cleanly is passed over: the comparison is an aid, and
    `kaohe check` reports that year's problems. `tree`: the working tree to read (default: `root`'s).
    """
    from .review import comparable
    from .tree import FsTree
    from .workspace import open_year, years_in

    if not _earlier_folders(root, a.year):
        return None  # a repository's first year: no need to walk 30,000 files to find nothing
    tree = tree or FsTree(root)
    for year in reversed([y for y in years_in(tree) if y < a.year]):
        try:
            _, earlier = open_year(str(root), None, year, "required" if filing_dates else "off", history, (root, tree))
        except InputError:
            continue
        if comparable(a, earlier):
            return earlier
    return None


def _earlier_folders(root: Path, year: int) -> bool:
    """Whether evidence/ holds anything named like a year before `year`. Only a folder so named can
    be an earlier year (:func:`generator.workspace.years_in` walks the whole tree to say which are)."""
    try:
        with os.scandir(root / "evidence") as entries:
            return any(YEAR_DIR.match(e.name) and int(e.name) < year for e in entries)
    except OSError:
        return True  # the walk reports what is wrong
