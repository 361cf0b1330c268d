"""Grades (考核等次): bands by score, quotas per series, ties across a quota, and unit vetoes.

A unit's band is the first (best) whose minimums its total reaches: `min_percent` of its maximum
and `min_total` points, where given. Then, within each series and band by band, best first:

1. a unit veto forcing a grade (降为不合格) sets it, whatever the score, outside every quota;
2. a unit veto capping the grade (不得评为优秀) keeps the unit out of the bands above the cap;
3. a band with a quota grants at most its limit (⌊⌉ of percent × the series' units, and/or a
   count), in rank order with the framework's tie-breaks; units still tied across the limit all get
   the band or none does, as the quota's `ties` says. Units left out compete for the next band they
   reach.

Every difference between the band reached and the grade given is a :class:`GradeNote` with its
arithmetic, so the sheet can say why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..messages import tr
from ..types import plain
from .rank import in_rank_order, order_key
from .results import GradeNote, QuotaUse, UnitResult

if TYPE_CHECKING:
    from ..model import Framework, Grade, Quota

ROUNDING = {"floor": ROUND_FLOOR, "round": ROUND_HALF_UP, "ceil": ROUND_CEILING}


def reaches(grade: Grade, unit: UnitResult) -> bool:
    """Whether the unit's total meets the band's minimums (a band from 0 % takes every total)."""
    if unit.max <= 0:
        return False
    if grade.takes_the_rest:
        return True
    percent_ok = grade.min_percent is None or unit.total * 100 >= grade.min_percent * unit.max
    total_ok = grade.min_total is None or unit.total >= grade.min_total
    return percent_ok and total_ok


def quota_limit(quota: Quota, units: int, noun: str) -> tuple[int, str]:
    """How many of `units` the quota allows, and the arithmetic in words (8个单位×15%=1.2，向下取整为1名).

    `noun` names what is counted: "units" (个单位) or "staff" (人), the catalogue's "grading.count.<noun>"."""
    limits: list[int] = []
    words: list[str] = []
    if quota.percent is not None and quota.rounding is not None:
        exact = Decimal(units) * quota.percent / 100
        limit = int(exact.to_integral_value(ROUNDING[quota.rounding]))
        limits.append(limit)
        count = tr(f"grading.count.{noun}", n=units)
        rounding = tr(f"grading.rounding.{quota.rounding}")
        words.append(
            tr(
                "grading.percent",
                count=count,
                percent=plain(quota.percent),
                exact=plain(exact),
                rounding=rounding,
                limit=limit,
            )
        )
    if quota.count is not None:
        limits.append(quota.count)
        words.append(tr("grading.at-most", limit=quota.count))
    return min(limits), tr("value.clause-separator").join(words)


def grade_units(units: list[UnitResult], fw: Framework, noun: str = "units") -> list[QuotaUse]:
    """Give every unit its grade (and notes); return how each quota was applied. `noun` counts the
    units in the quota's arithmetic ("units": 个单位; "staff": 人)."""
    if not fw.grade:
        return []
    by_series: dict[str, list[UnitResult]] = defaultdict(list)
    for u in units:
        by_series[u.series].append(u)
    uses: list[QuotaUse] = []
    for series, members in by_series.items():
        uses.extend(_grade_series(series, members, fw, noun))
    return uses


def _grade_series(series: str, members: list[UnitResult], fw: Framework, noun: str) -> list[QuotaUse]:
    bands = fw.grade
    place = {g.title: n for n, g in enumerate(bands)}
    pending: list[UnitResult] = []
    best_allowed: dict[str, int] = {}
    for u in in_rank_order(members, fw.rank_by, fw.tie_break):
        u.grade_reached = next((g.title for g in bands if reaches(g, u)), None)
        u.grade, u.grade_notes = None, []
        vetoes = [v for v in u.vetoes if not v.revoked]
        forced = next((v for v in vetoes if v.grade in place), None)
        if forced is not None:
            u.grade = forced.grade
            if u.grade_reached != forced.grade:
                text = tr("grading.veto-forced", grade=forced.grade, reason=forced.reason)
                u.grade_notes.append(GradeNote("veto", u.grade, text))
            continue
        caps = [(place[v.max_grade], v) for v in vetoes if v.max_grade in place]
        best_allowed[u.id] = max((n for n, _ in caps), default=0)
        if caps and u.grade_reached is not None and place[u.grade_reached] < best_allowed[u.id]:
            n, veto = max(caps, key=lambda c: c[0])
            above = [g.title for g in bands[:n]]
            text = tr("grading.veto-capped", above=above, reason=veto.reason)
            u.grade_notes.append(GradeNote("veto", u.grade_reached, text))
        pending.append(u)
    uses: list[QuotaUse] = []
    for n, band in enumerate(bands):
        candidates = [u for u in pending if best_allowed[u.id] <= n and reaches(band, u)]
        granted = candidates
        if band.quota is not None:
            limit, formula = quota_limit(band.quota, len(members), noun)
            granted = _within_quota(candidates, limit, band, formula, fw)
            uses.append(QuotaUse(series, band.title, len(members), limit, formula, len(candidates), len(granted)))
        for u in granted:
            u.grade = band.title
        given = {u.id for u in granted}
        pending = [u for u in pending if u.id not in given]
    return uses


def _within_quota(
    candidates: Sequence[UnitResult], limit: int, band: Grade, formula: str, fw: Framework
) -> list[UnitResult]:
    """The candidates (in rank order) the quota lets through, with a note on each one it leaves out
    and on each one let through beyond the limit because of a tie."""
    assert band.quota is not None
    if len(candidates) <= limit:
        return list(candidates)
    keys = [order_key(u, fw.rank_by, fw.tie_break) for u in candidates]
    granted = list(candidates[:limit])
    tied: list[UnitResult] = []
    if limit > 0 and keys[limit - 1] == keys[limit]:  # units tied at the last place and the first one out
        tied = [u for u, k in zip(candidates, keys, strict=True) if k == keys[limit - 1]]
        ahead = [u for u, k in zip(candidates, keys, strict=True) if k > keys[limit - 1]]
        granted = ahead + tied if band.quota.ties == "all" else ahead
        names = [u.name for u in tied]
        text = tr(f"grading.tie-across.{band.quota.ties}", names=names, grade=band.title, formula=formula)
        for u in tied:
            u.grade_notes.append(GradeNote("tie", band.title, text))
    let_through = {u.id for u in granted} | {u.id for u in tied}
    for u in candidates:
        if u.id not in let_through:
            text = tr("grading.outside-quota", grade=band.title, formula=formula)
            u.grade_notes.append(GradeNote("quota", band.title, text))
    return granted
