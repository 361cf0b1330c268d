"""Score an assessment: every unit, every indicator, chaining the rule kinds by phase.

Amounts stay ``Decimal`` throughout. Every adjustment (a rule's cap, 扣完为止, a mitigation, a
veto) is a visible line, so a deduction or earned indicator reads: points − Σ deductions = score,
and a bonus indicator: Σ awards = score.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..gcpause import gc_paused
from ..messages import msg
from ..types import round_to
from .appeals import appeal_record, apply_appeals
from .grading import grade_units
from .rank import rank_units
from .results import AppealRecord, CategoryResult, IndicatorResult, Line, Results, UnitResult, UnitVeto
from .rules import Phase, RuleBase, RuleContext
from .rules.unit_veto import UnitVetoRule

if TYPE_CHECKING:  # the model imports the rule kinds from this package: no runtime import back
    from ..model import Appeal, Assessment, Category, Indicator, Unit

ZERO = Decimal(0)


def score_assessment(a: Assessment, as_of: date | None = None, units: Iterable[str] | None = None) -> Results:
    """Score the units of `a` (all, or those named) as things stood at the end of `as_of`."""
    as_of = as_of or date(a.year, 12, 31)
    wanted = set(units) if units is not None else None
    with gc_paused():  # every result stays alive: see generator.gcpause
        results = [score_unit(a, unit, as_of) for unit in a.units]
    rank_units(results, a.framework.rank_by, a.framework.tie_break)
    quotas = grade_units(results, a.framework)
    series_order = {s.id: n for n, s in enumerate(a.framework.series)}
    results.sort(key=lambda u: (series_order.get(u.series, len(series_order)), u.rank, u.id))
    if wanted is not None:
        results = [r for r in results if r.id in wanted]
    return Results(a.year, a.framework.id, a.framework.title, as_of, results, a.framework.rank_by, quotas)


def score_unit(a: Assessment, unit: Unit, as_of: date) -> UnitResult:
    categories: list[CategoryResult] = []
    indicators: list[IndicatorResult] = []
    for cat in a.framework.categories:
        rows = [score_indicator(a, ind, unit, as_of) for ind in cat.indicators]
        indicators.extend(rows)
        categories.append(_category_result(cat, rows, a.framework.precision))
    return _unit_result(a, unit, categories, indicators, as_of)


def replace_row(a: Assessment, unit: Unit, result: UnitResult, row: IndicatorResult, as_of: date) -> UnitResult:
    """`result` with the row of `row`'s indicator replaced: that category, the part caps, total and grade
    recomputed, every other row kept (the indicator review scores one indicator differently for each unit)."""
    indicators = [row if r.id == row.id else r for r in result.indicators]
    cat = next(c for c in a.framework.categories if c.id == row.category)
    changed = _category_result(cat, [r for r in indicators if r.category == cat.id], a.framework.precision)
    categories = [changed if c.id == cat.id else c for c in result.categories]
    return _unit_result(a, unit, categories, indicators, as_of)


def _unit_result(
    a: Assessment, unit: Unit, categories: list[CategoryResult], indicators: list[IndicatorResult], as_of: date
) -> UnitResult:
    adjustments = list(_part_caps(a, categories))
    corrections = sum((x.amount for x in adjustments), ZERO)
    total = sum((c.score for c in categories), ZERO) + corrections
    # bonus (创优加分) adds to the total but not to the maximum: extra credit is not a point a unit can lose
    maximum = sum((c.max for c in categories if not c.bonus), ZERO)
    year_max = sum((c.year_max for c in categories if not c.bonus), ZERO)
    bonus = sum((c.score for c in categories if c.bonus), ZERO) + corrections
    result = UnitResult(
        unit.id, unit.name, unit.series, total, maximum, categories, indicators, bonus=bonus, year_max=year_max
    )
    result.adjustments = adjustments
    result.appeals = sorted((x for row in indicators for x in row.appeals), key=lambda x: (x.filed, x.id))
    result.vetoes = list(unit_vetoes(a, unit, as_of, result.appeals))
    return result


def unit_vetoes(a: Assessment, unit: Unit, as_of: date, appeals: list[AppealRecord]) -> Iterable[UnitVeto]:
    """The unit's 一票否决 findings up to `as_of`, in framework order, with the appeals against them;
    grading applies those not revoked."""
    for ind in a.framework.indicators():
        for rule in ind.rule:
            if not isinstance(rule, UnitVetoRule):
                continue
            for f in a.findings_by.get((unit.id, ind.id), ()):
                if f.rule == rule.id and f.date <= as_of:
                    yield UnitVeto(
                        ind.id,
                        rule.id,
                        f.id,
                        f.reason,
                        rule.text,
                        f.source,
                        list(f.evidence_paths),
                        rule.max_grade,
                        rule.grade,
                        rule.commendation,
                        [x for x in appeals if x.target == f.id],
                    )


def _part_caps(a: Assessment, categories: list[CategoryResult]) -> Iterable[Line]:
    """A visible correction for each part whose categories add up to more than its cap (加分最多X分)."""
    for part in a.framework.part:
        if part.cap is None:
            continue
        score = sum((c.score for c in categories if c.part == part.id), ZERO)
        if score > part.cap:
            yield Line(
                part.cap - score, msg("score.part-cap", part=part.title, cap=part.cap), "cap", part.source, kind="cap"
            )


def _category_result(cat: Category, rows: list[IndicatorResult], precision: Decimal) -> CategoryResult:
    """The category's score, its maximum due by the scoring date and its maximum over the year.

    A weight scales by the year's raw maximum, never by what happens to be due: as of September a
    missing 0.2-point report is 0 of 0.2 (5 in the year), not 0 of 5. Indicators that do not apply
    to the unit leave the year's maximum, so the weight is shared among those that do.
    """
    raw_score = sum((r.score for r in rows), ZERO)
    raw_max = sum((r.max for r in rows), ZERO)
    raw_year_max = sum((r.year_max for r in rows), ZERO)
    score, maximum, year_max = raw_score, raw_max, raw_year_max
    if cat.weight is not None:
        if raw_year_max > 0:
            score = round_to(raw_score * cat.weight / raw_year_max, precision)
            due = raw_max * cat.weight / raw_year_max
            maximum = cat.weight if raw_max == raw_year_max else round_to(due, precision)
            year_max = cat.weight
        else:
            score, maximum, year_max = ZERO, ZERO, ZERO
    return CategoryResult(
        cat.id, cat.title, cat.part, score, maximum, raw_score, raw_max, cat.weight, bonus=cat.bonus, year_max=year_max
    )


def is_due(ind: Indicator, year: int, as_of: date) -> bool:
    """Due once its completion month has ended: a June report is not missing on 1 June."""
    if ind.month is None:
        return True
    return as_of >= date(year, ind.month, calendar.monthrange(year, ind.month)[1])


def score_indicator(a: Assessment, ind: Indicator, unit: Unit, as_of: date) -> IndicatorResult:
    evidence = [e for e in a.evidence_by.get((unit.id, ind.id), ()) if e.date <= as_of]
    findings = [f for f in a.findings_by.get((unit.id, ind.id), ()) if f.date <= as_of]
    # decisions come after the year: they apply whatever the scoring date, to what is scored by then
    appeals = [(x, appeal_record(a, x, ind.id)) for x in a.appeals_by.get((unit.id, ind.id), ())]
    result = IndicatorResult(
        id=ind.id,
        category=ind.category,
        seq=ind.seq,
        title=ind.name,
        standard=ind.standard,
        points=ind.points,
        month=ind.month,
        department=ind.department or "",
        score=ZERO,
        max=ZERO,
        status="scored",
        evidence=sorted(e.path for e in evidence),
        source=ind.source,
        appeals=[record for _, record in appeals],
    )
    if not ind.concerns(unit):
        result.status = "not_applicable"
        return result
    if ind.points is None:
        result.status = "unscored"
        return result
    if not is_due(ind, a.year, as_of):
        result.status = "not_due"
        return result
    points = ind.points
    result.max = points
    ctx = RuleContext(ind, unit.id, evidence, findings, points, ind.granularity, a.framework.precision)
    adjusters = [r for r in ind.rule if r.phase is Phase.ADJUST]
    for rule in ind.rule:
        if rule.phase is Phase.DEDUCT:
            ctx.lines.extend(_rule_lines(ctx, rule, adjusters, appeals))
    vetoes = [line for rule in ind.rule if rule.phase is Phase.OVERRIDE for line in rule.apply(ctx)]
    apply_appeals(vetoes, appeals)
    revoked = [line for line in vetoes if line.original is not None]  # shown struck through, not applied
    vetoes = [line for line in vetoes if line.original is None]
    lost = sum((line.amount for line in ctx.lines), ZERO)
    if vetoes:
        # 此项不得分: nothing earned; where deductions have no floor and already went below zero, they stand
        result.status = "vetoed"
        result.score = min(ZERO, points - lost) if ind.floor == "none" else ZERO
        vetoes[0].amount = points - result.score
        result.deductions = vetoes[:1] + revoked
        return result
    ctx.lines.extend(revoked)
    if ind.method == "bonus":
        result.awards = ctx.lines
        if lost > points:
            result.awards.append(
                Line(points - lost, msg("score.bonus-cap", points=points), "cap", ind.source, kind="cap")
            )
        result.score = min(lost, points)
        return result
    result.deductions = ctx.lines
    if ind.floor == "zero" and lost > points:
        result.deductions.append(Line(points - lost, msg("score.floor"), "floor", ind.source, kind="floor"))
        lost = points
    result.score = points - lost
    return result


def _rule_lines(
    ctx: RuleContext,
    rule: RuleBase,
    adjusters: list[RuleBase],
    appeals: Sequence[tuple[Appeal, AppealRecord]] = (),
) -> list[Line]:
    """A rule's lines, decided on appeal and adjusted (mitigated) first, limited (capped, stepped) after:
    a waived deduction frees room under the cap instead of being taken off an amount the cap already
    reduced, and a decision stands for what the assessor found."""
    lines = rule.apply(ctx)
    apply_appeals(lines, appeals)
    for adjuster in adjusters:
        lines.extend(adjuster.adjust(ctx, lines))
    limit = rule.limit(ctx, lines)
    total = sum((line.amount for line in lines), ZERO)
    if limit is not None and total > limit[0]:
        lines.append(Line(limit[0] - total, limit[1], rule.id, rule.source, kind="cap"))
    return lines
