"""Score an assessment: every unit, every indicator, chaining the rule kinds by phase.

Amounts stay ``Decimal`` throughout. Every adjustment (a rule's cap, 扣完为止, a mitigation, a
veto) is a visible line, so a deduction or earned indicator reads: points − Σ deductions = score,
and a bonus indicator: Σ awards = score.

A framework that declares periods (:mod:`generator.period`) is scored per period: a quarter
scores the categories its declaration assesses from the evidence and findings that belong to it;
the year adds up every period's result by its weight (:mod:`.rollup`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..gcpause import gc_paused
from ..messages import msg
from ..period import Period, Schedule
from ..types import round_to
from .appeals import appeal_record, apply_appeals
from .grading import grade_units
from .rank import rank_units
from .results import AppealRecord, CategoryResult, IndicatorResult, Line, Results, UnitResult, UnitVeto
from .rules import Phase, RuleBase, RuleContext
from .rules.unit_veto import UnitVetoRule

if TYPE_CHECKING:  # the model imports the rule kinds from this package: no runtime import back
    from ..model import Appeal, Assessment, Category, Finding, Indicator, Unit

ZERO = Decimal(0)


@dataclass(frozen=True)
class Scope:
    """What one scoring covers: a period, the categories it assesses (None: all), and the scoring date.

    Evidence belongs to the period holding its date, a finding to the period it names or else the
    one holding its date (:meth:`generator.period.Schedule.finding_period`); both count up to
    `cutoff`. An indicator is due once `as_of` reaches its due date in the period.
    """

    schedule: Schedule
    period: Period
    categories: frozenset[str] | None
    as_of: date
    cutoff: date

    def owns(self, finding: Finding, category: str) -> bool:
        """Whether `finding` (of an indicator in `category`) belongs to this scope's period."""
        return self.schedule.finding_period(finding, category) == self.period

    @classmethod
    def of(cls, a: Assessment, period: Period, as_of: date | None, schedule: Schedule | None = None) -> Scope:
        schedule = schedule or Schedule(a.framework, a.year)
        declared = next((d for d in schedule.declared if period in d.instances), None)
        categories = frozenset(declared.categories) if declared is not None and schedule.by_period else None
        return cls(schedule, period, categories, as_of or period.last, as_of or date.max)


def score_assessment(
    a: Assessment,
    as_of: date | None = None,
    units: Iterable[str] | None = None,
    period: Period | None = None,
    reuse: Mapping[str, UnitResult] | None = None,
) -> Results:
    """Score the units of `a` (all, or those named) for `period` (default: the year) as things stood
    at the end of `as_of` (default: everything that belongs to the period).

    `reuse` holds results of units whose evidence and findings did not change since they were
    scored (``kaohe serve`` re-scores only the unit of an edited file): a unit's score reads its
    own inputs only, while ranks and grades are made again across every unit. They are updated in
    place: pass copies.
    """
    schedule = Schedule(a.framework, a.year)
    period = period or schedule.whole
    wanted = set(units) if units is not None else None
    reuse = reuse or {}
    with gc_paused():  # every result stays alive: see generator.gcpause
        if period.is_year and schedule.by_period:
            from .rollup import roll_unit  # the roll-up builds on score_unit below

            results = [reuse[u.id] if u.id in reuse else roll_unit(a, u, schedule, as_of) for u in a.units]
        else:
            scope = Scope.of(a, period, as_of, schedule)
            results = [reuse[u.id] if u.id in reuse else score_unit(a, u, scope.as_of, scope) for u in a.units]
    rank_units(results, a.framework.rank_by, a.framework.tie_break)
    quotas = grade_units(results, a.framework)
    series_order = {s.id: n for n, s in enumerate(a.framework.series)}
    results.sort(key=lambda u: (series_order.get(u.series, len(series_order)), u.rank, u.id))
    if wanted is not None:
        results = [r for r in results if r.id in wanted]
    shown = as_of or period.last
    shorter = [p for p in schedule.periods() if not p.is_year] if period.is_year else []
    return Results(
        a.year,
        a.framework.id,
        a.framework.title,
        shown,
        results,
        a.framework.rank_by,
        quotas,
        period=period,
        periods=shorter,
        band_notes={g.title: g.note for g in a.framework.grade if g.note},
        series_titles={s.id: s.title for s in a.framework.series},
    )


def score_unit(
    a: Assessment,
    unit: Unit,
    as_of: date | None,
    scope: Scope | None = None,
    known: Mapping[str, IndicatorResult] | None = None,
) -> UnitResult:
    """One unit's result in `scope`; without one, its annual result (rolled up where the framework has
    periods) as things stood at the end of `as_of` (None: everything that belongs to the year, a
    quarter's findings reported in January too).

    `known` holds rows of this unit already scored in the same scope (the indicator review rescored
    every indicator of every unit once per indicator it neutralised: minutes at province scale); a
    row reads only its own indicator's rules and the unit's files, so it is used as it is. A framework
    with periods rolls its rows up from every period and scores them all."""
    if scope is None:
        schedule = Schedule(a.framework, a.year)
        if schedule.by_period:
            from .rollup import roll_unit

            return roll_unit(a, unit, schedule, as_of)
        scope = Scope.of(a, schedule.whole, as_of, schedule)
    categories: list[CategoryResult] = []
    indicators: list[IndicatorResult] = []
    for cat in a.framework.categories:
        if scope.categories is not None and cat.id not in scope.categories:
            continue
        rows = [
            known[ind.id] if known and ind.id in known else score_indicator(a, ind, unit, scope.as_of, scope)
            for ind in cat.indicators
        ]
        indicators.extend(rows)
        categories.append(_category_result(cat, rows, a.framework.precision))
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
    result.vetoes = list(unit_vetoes(a, unit, scope, result.appeals))
    return result


def unit_vetoes(a: Assessment, unit: Unit, scope: Scope, appeals: list[AppealRecord]) -> Iterable[UnitVeto]:
    """The unit's 一票否决 findings in `scope` (its categories, up to its cutoff, belonging to its period),
    in framework order, with the appeals against them; grading applies those not revoked."""
    for ind in a.framework.indicators():
        if scope.categories is not None and ind.category not in scope.categories:
            continue
        for rule in ind.rule:
            if not isinstance(rule, UnitVetoRule):
                continue
            for f in a.findings_by.get((unit.id, ind.id), ()):
                if f.rule == rule.id and f.date <= scope.cutoff and scope.owns(f, ind.category):
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

    A table with its own points (每项指标无具体得分: the indicators have none) starts from them once
    one of its indicators concerning the unit is due, and deductions come off them.
    """
    base = base_year = ZERO
    if cat.points is not None:
        if any(r.status in ("scored", "vetoed") for r in rows):
            base = cat.points
        if any(r.status in ("scored", "vetoed", "not_due") for r in rows):
            base_year = cat.points
    raw_score = base + sum((r.score for r in rows), ZERO)
    raw_max = base + sum((r.max for r in rows), ZERO)
    raw_year_max = base_year + sum((r.year_max for r in rows), ZERO)
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
        cat.id,
        cat.title,
        cat.part,
        score,
        maximum,
        raw_score,
        raw_max,
        cat.weight,
        bonus=cat.bonus,
        year_max=year_max,
        base=base,
    )


def is_due(ind: Indicator, period: Period, as_of: date) -> bool:
    """Due once its completion month has ended (a June report is not missing on 1 June); in a period
    shorter than the year, once the period has ended."""
    due = period.due(ind.month)
    return due is None or as_of >= due


def indicator_appeals(a: Assessment, unit: str, indicator: str, period: Period) -> list[tuple[Appeal, AppealRecord]]:
    """The appeals against the unit's lines of the indicator in `period`, in filing order, with their records.

    Decisions come after the year: they apply whatever the scoring date, to what is scored by then.
    An appeal against a rule's lines names its period where there are several (kaohe check insists)."""
    return [
        (x, appeal_record(a, x, indicator))
        for x in a.appeals_by.get((unit, indicator), ())
        if x.period is None or x.period == period.key
    ]


def score_indicator(
    a: Assessment, ind: Indicator, unit: Unit, as_of: date, scope: Scope | None = None
) -> IndicatorResult:
    """One indicator of one unit in `scope` (default: the period of the indicator that holds `as_of`)."""
    if scope is None:
        schedule = Schedule(a.framework, a.year)
        period = schedule.period_of(ind.category, as_of) or schedule.whole
        scope = Scope(schedule, period, None, as_of, as_of)
    period, cutoff, schedule = scope.period, scope.cutoff, scope.schedule
    evidence = [e for e in a.evidence_by.get((unit.id, ind.id), ()) if period.contains(e.date) and e.date <= cutoff]
    findings = [f for f in a.findings_by.get((unit.id, ind.id), ()) if f.date <= cutoff and scope.owns(f, ind.category)]
    appeals = indicator_appeals(a, unit.id, ind.id, period)
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
        method=ind.method or "deduction",
    )
    if not ind.concerns(unit):
        result.status = "not_applicable"
        return result
    if ind.points is None:
        result.status = "unscored"
        return result
    if not is_due(ind, period, as_of):
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
    _mark_late([*ctx.lines, *vetoes], findings, period, schedule.report_day(ind.category))
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


def _mark_late(lines: list[Line], findings: list[Finding], period: Period, report_day: int | None) -> None:
    """Mark the lines of findings reported after the period's results were due (the assessor's lateness)."""
    if report_day is None:
        return
    deadline = period.report_deadline(report_day)
    late = {f.id for f in findings if f.date > deadline}
    for line in lines:
        if line.finding in late:
            line.late_assessment = deadline


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
