"""Indicator review (指标评估) for the 绩效办: which indicators told units apart, and at what paperwork.

Figures and flags only, each with a definition (docs/progress.md); deciding what to keep is for
people. Every figure is computed from the year-end results of the engine, exactly: scores stay
``Decimal``, ratios are ``Fraction`` and are rounded only when printed. Like
:mod:`generator.score.results`, the review is a plain model that the command line and the site
render alike.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .load.bodies import pages
from .score import score_assessment
from .score.engine import score_unit
from .score.rank import rank_units
from .score.results import IndicatorResult, Line, Results, UnitResult

if TYPE_CHECKING:
    from .model import Assessment, Indicator, Unit

ZERO = Decimal(0)
#: Flags, in the order they are listed.
FLAGS = ("no_spread", "most_paperwork", "mostly_overturned")


@dataclass
class Spread:
    min: Decimal
    median: Decimal
    max: Decimal


@dataclass
class RankChange:
    """A unit whose rank within its series differs once the indicator is neutralised."""

    unit: str
    name: str
    series: str
    rank: int
    neutral_rank: int


@dataclass
class ReviewChanges:
    """Finding-based deductions of the results at an earlier revision, and what became of them."""

    deductions: int  # deductions that carried a finding at the earlier revision
    withdrawn: int  # the finding is gone
    reduced: int  # the finding stands, its net deduction is smaller
    increased: int  # the finding stands, its net deduction is larger
    added: int  # findings that deduct now and did not then

    @property
    def overturned(self) -> int:
        return self.withdrawn + self.reduced


@dataclass
class AppealCounts:
    """Appeals (复核/申诉) against an indicator's deductions, by outcome."""

    appealed: int = 0
    upheld: int = 0  # 维持
    changed: int = 0  # 变更
    revoked: int = 0  # 撤销
    open: int = 0  # undecided
    overturned: int = 0  # revoked, or changed to less than before

    @property
    def decided(self) -> int:
        return self.appealed - self.open


def count_appeals(rows: list[tuple[str, IndicatorResult]]) -> AppealCounts:
    counts = AppealCounts()
    for _, r in rows:
        for x in r.appeals:
            counts.appealed += 1
            if x.outcome is None:
                counts.open += 1
                continue
            counts.upheld += x.outcome == "维持"
            counts.changed += x.outcome == "变更"
            counts.revoked += x.outcome == "撤销"
            lowered = x.before is not None and x.after is not None and x.after < x.before
            counts.overturned += x.outcome == "撤销" or (x.outcome == "变更" and lowered)
    return counts


@dataclass
class IndicatorReview:
    id: str
    seq: str
    title: str
    category: str
    category_title: str
    method: str
    points: Decimal | None
    units: int  # units it was scored for (status scored or vetoed)
    units_lost: int  # of which scored below its points (none for a bonus indicator: no bonus is no loss)
    lost: Decimal  # points lost by all of them
    spread: Spread | None
    files: int  # evidence files those units filed for it
    pages: int  # their 公文页
    rank_changes: list[RankChange] = field(default_factory=list)
    review: ReviewChanges | None = None  # with an earlier revision to compare (`--since`)
    appeals: AppealCounts = field(default_factory=AppealCounts)  # appeals against its deductions, by outcome
    flags: list[str] = field(default_factory=list)
    previous: IndicatorReview | None = None  # the same indicator in the year compared with

    @property
    def at_stake(self) -> Decimal:
        """Points the indicator put at stake: its points for each unit it was scored for."""
        return (self.points or ZERO) * self.units

    @property
    def files_per_point(self) -> Fraction | None:
        return Fraction(self.files) / Fraction(self.at_stake) if self.at_stake > 0 else None

    @property
    def pages_per_point(self) -> Fraction | None:
        return Fraction(self.pages) / Fraction(self.at_stake) if self.at_stake > 0 else None


@dataclass
class Review:
    year: int
    framework: str
    framework_title: str
    indicators: list[IndicatorReview]
    since: str | None = None  # the revision review changes are counted from
    previous_year: int | None = None


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def build_review(a: Assessment, base: tuple[str, Results] | None = None, results: Results | None = None) -> Review:
    """The review of year `a` at its end; `base` (label, year-end results) is an earlier revision of the
    same year, from which changes in review are counted; `results` are the year-end results of `a`
    when they are scored already (the site has them)."""
    results = results if results is not None else score_assessment(a)
    scored: dict[str, list[tuple[str, IndicatorResult]]] = {}
    appealed: dict[str, list[tuple[str, IndicatorResult]]] = {}
    for u in results.units:
        for r in u.indicators:
            if r.status in ("scored", "vetoed"):
                scored.setdefault(r.id, []).append((u.id, r))
            if r.appeals:
                appealed.setdefault(r.id, []).append((u.id, r))
    changes = _review_changes(base[1], results, a) if base else {}
    rescored: dict[str, dict[str, IndicatorResult]] = {}  # unit → its rows as _rank_changes scores them
    out = []
    for cat in a.framework.categories:
        for ind in cat.indicators:
            rows = scored.get(ind.id, [])
            scores = [r.score for _, r in rows]
            losing = [] if ind.method == "bonus" else rows  # a unit not awarded a bonus lost nothing
            evidence = [e for unit, _ in rows for e in a.evidence_by.get((unit, ind.id), ())]
            out.append(
                IndicatorReview(
                    id=ind.id,
                    seq=ind.seq,
                    title=ind.name,
                    category=cat.id,
                    category_title=cat.title,
                    method=ind.method or "deduction",
                    points=ind.points,
                    units=len(rows),
                    units_lost=sum(1 for _, r in losing if r.score < r.max),
                    lost=sum((r.max - r.score for _, r in losing), ZERO),
                    spread=Spread(min(scores), median(scores), max(scores)) if scores else None,
                    files=len(evidence),
                    pages=sum(pages(e) for e in evidence),
                    rank_changes=_rank_changes(a, results, ind, rows, rescored),
                    review=changes.get(ind.id, ReviewChanges(0, 0, 0, 0, 0)) if base else None,
                    appeals=count_appeals(appealed.get(ind.id, [])),
                )
            )
    _flag(out)
    return Review(a.year, a.framework.id, a.framework.title, out, base[0] if base else None)


def neutral_score(ind: Indicator) -> Decimal:
    """What every unit scores on a neutralised indicator: full points, or nothing for a bonus (加分) one."""
    return ZERO if ind.method == "bonus" else (ind.points or ZERO)


def _rank_changes(
    a: Assessment,
    results: Results,
    ind: Indicator,
    rows: list[tuple[str, IndicatorResult]],
    rescored: dict[str, dict[str, IndicatorResult]],
) -> list[RankChange]:
    """Units whose rank within their series differs when `ind` is neutralised — scored the same for
    everyone (rules removed: full points, or no bonus) and everything else scored by the engine,
    weights, caps and ties included. A unit that already scores the neutral value keeps its result
    as it is; for the others only the indicator's row is rescored, and its category and the unit's
    total recomputed (at province scale rescoring every row of every unit per indicator took minutes)."""
    affected = {unit for unit, r in rows if r.score != neutral_score(ind)}
    if not affected:
        return []
    changed = neutralised(a, ind)
    units = [
        _without(changed, a, unit, ind, rescored) if unit.id in affected else dataclasses.replace(results.unit(unit.id))
        for unit in a.units
    ]
    rank_units(units, a.framework.rank_by, a.framework.tie_break)
    neutral_rank = {x.id: x.rank for x in units}
    return [
        RankChange(u.id, u.name, u.series, u.rank, neutral_rank[u.id])
        for u in results.units
        if neutral_rank[u.id] != u.rank
    ]


def _without(
    changed: Assessment, a: Assessment, unit: Unit, ind: Indicator, rescored: dict[str, dict[str, IndicatorResult]]
) -> UnitResult:
    """The unit scored with `ind` neutralised: that row scored again, its other rows scored once per
    review (in `rescored`) and reused for every indicator neutralised after."""
    if unit.id not in rescored:
        rescored[unit.id] = {row.id: row for row in score_unit(a, unit, None).indicators}
    known = {k: row for k, row in rescored[unit.id].items() if k != ind.id}
    return score_unit(changed, unit, None, known=known)


def neutralised(a: Assessment, ind: Indicator) -> Assessment:
    """A copy of `a` whose indicator `ind` has no rules; `a` itself is not touched."""
    framework = a.framework.model_copy()
    categories = []
    for cat in a.framework.categories:
        if any(i is ind for i in cat.indicators):
            cat = cat.model_copy()
            cat._indicators = [i.model_copy(update={"rule": []}) if i is ind else i for i in cat.indicators]
        categories.append(cat)
    framework._categories = categories
    return dataclasses.replace(a, framework=framework)


def _flag(indicators: list[IndicatorReview]) -> None:
    """no_spread: scored for two units or more, all alike. most_paperwork: the highest quarter by files
    per point (⌈n ÷ 4⌉ of the n indicators that have the figure and some files; ties with the last
    included). mostly_overturned: more than half of its finding deductions were withdrawn or reduced since
    a revision, or more than half of its decided appeals revoked or lowered a deduction."""
    for i in indicators:
        if i.spread is not None and i.units >= 2 and i.spread.min == i.spread.max:
            i.flags.append("no_spread")
    ranked = sorted((i for i in indicators if i.files and i.files_per_point is not None), key=_paperwork, reverse=True)
    if ranked:
        bar = _paperwork(ranked[math.ceil(len(ranked) / 4) - 1])
        for i in ranked:
            if _paperwork(i) >= bar:
                i.flags.append("most_paperwork")
    for i in indicators:
        by_history = i.review is not None and i.review.overturned * 2 > i.review.deductions
        by_appeals = i.appeals.overturned * 2 > i.appeals.decided > 0
        if by_history or by_appeals:
            i.flags.append("mostly_overturned")


def _paperwork(i: IndicatorReview) -> Fraction:
    return i.files_per_point or Fraction(0)


def _finding_lines(r: IndicatorResult | None) -> dict[str, Decimal]:
    """Net deduction per finding: its deduction or veto lines, less the mitigations that name it."""
    net: dict[str, Decimal] = {}
    for line in r.deductions if r is not None else []:
        owner = _owner(line)
        if owner is not None:
            net[owner] = net.get(owner, ZERO) + line.amount
    return net


def _owner(line: Line) -> str | None:
    if line.kind in ("deduction", "veto") and line.finding:
        return line.finding
    if line.kind == "mitigation" and line.mitigates:
        return line.mitigates
    return None


def _review_changes(base: Results, head: Results, head_a: Assessment) -> dict[str, ReviewChanges]:
    """Per indicator: the base revision's finding deductions, withdrawn, reduced or increased at head.

    A finding still filed whose lines vanished because another finding now vetoes the indicator is
    superseded, not overturned: it counts in none of the three.
    """
    out: dict[str, ReviewChanges] = {}
    for u in base.units:
        now = head.unit(u.id)
        now_by = {x.id: x for x in now.indicators} if now else {}
        for r in u.indicators:
            now_r = now_by.get(r.id)
            before, after = _finding_lines(r), _finding_lines(now_r)
            filed = {f.id for f in head_a.findings_by.get((u.id, r.id), ())}
            vetoed_by = next((x.finding for x in now_r.deductions if x.kind == "veto"), None) if now_r else None
            c = out.setdefault(r.id, ReviewChanges(0, 0, 0, 0, 0))
            for finding, amount in before.items():
                if amount <= 0:
                    continue
                c.deductions += 1
                if finding not in filed:
                    c.withdrawn += 1
                elif vetoed_by is not None and vetoed_by != finding:
                    continue
                elif after.get(finding, ZERO) < amount:
                    c.reduced += 1
                elif after.get(finding, ZERO) > amount:
                    c.increased += 1
            c.added += sum(1 for finding, amount in after.items() if amount > 0 and before.get(finding, ZERO) <= 0)
    return out


def attach_previous(review: Review, previous: Review) -> None:
    """The same indicators (by id) in an earlier year, for the trend."""
    by_id = {i.id: i for i in previous.indicators}
    review.previous_year = previous.year
    for i in review.indicators:
        i.previous = by_id.get(i.id)


def comparable(a: Assessment, other: Assessment) -> bool:
    """Two years of one organisation: the same framework, or at least half of `a`'s indicator ids shared."""
    if a.framework.id == other.framework.id:
        return True
    ids = {i.id for i in a.framework.indicators()}
    return bool(ids) and 2 * len(ids & {i.id for i in other.framework.indicators()}) >= len(ids)
