"""The annual result of a framework that assesses by period: every period's result times its weight.

Each category is assessed by one kind of period (:class:`generator.period.Schedule`): 履职 and 管理
every quarter, say, and 重点, 服务 and 创优 once a year. A unit's annual result is, category by
category and line by line, the sum over the periods of ``weight × what the period found``: with four
quarters weighted 0.25, a 0.2 deduction in the third quarter costs 0.05 in the year, and the line
says so (its `period` and `weight`). Weights are decimals, so every product is exact; nothing is
rounded. A period that has not begun by the scoring date has nothing due, and its points count in
the year's maximum only.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..period import Period, Schedule
from .engine import Scope, score_unit
from .results import AppealRecord, CategoryResult, IndicatorResult, Line, PeriodTotal, UnitResult

if TYPE_CHECKING:
    from ..model import Assessment, Unit

ZERO = Decimal(0)


def components(schedule: Schedule, as_of: date | None) -> list[tuple[Scope, Decimal, str]]:
    """(scope, weight, title) of every period the annual result adds up, in the order of the year.

    Categories no declaration names (which `kaohe check` reports) count once, over the year.
    """
    out: list[tuple[Scope, Decimal, str]] = []
    for declared in schedule.declared:
        for period in declared.instances:
            scope = Scope(schedule, period, frozenset(declared.categories), as_of or period.last, as_of or date.max)
            title = period.title if not period.is_year else declared.declaration.title or period.title
            out.append((scope, declared.weight, title))
    if schedule.undeclared:
        whole = schedule.whole
        out.append(
            (
                Scope(schedule, whole, frozenset(schedule.undeclared), as_of or whole.last, as_of or date.max),
                Decimal(1),
                whole.title,
            )
        )
    out.sort(key=lambda c: (c[0].period.is_year, c[0].period.first, c[0].period.last, c[0].period.key))
    return out


def roll_unit(a: Assessment, unit: Unit, schedule: Schedule, as_of: date | None) -> UnitResult:
    """The unit's annual result from its result in every period (see the module)."""
    parts = [
        (scope.period, weight, title, score_unit(a, unit, scope.as_of, scope))
        for scope, weight, title in components(schedule, as_of)
    ]
    categories: list[CategoryResult] = []
    indicators: list[IndicatorResult] = []
    for cat in a.framework.categories:
        found = [(p, w, c) for p, w, _, r in parts for c in r.categories if c.id == cat.id]
        if found:
            categories.append(_category(found))
        for ind in cat.indicators:
            rows = [(p, w, row) for p, w, _, r in parts for row in r.indicators if row.id == ind.id]
            if rows:
                indicators.append(_indicator(rows))
    total = sum((w * r.total for _, w, _, r in parts), ZERO)
    maximum = sum((w * r.max for _, w, _, r in parts), ZERO)
    result = UnitResult(
        unit.id,
        unit.name,
        unit.series,
        total,
        maximum,
        categories,
        indicators,
        bonus=sum((w * r.bonus for _, w, _, r in parts), ZERO),
        year_max=sum((w * r.year_max for _, w, _, r in parts), ZERO),
    )
    result.adjustments = [_scaled(line, p, w) for p, w, _, r in parts for line in r.adjustments]
    result.periods = [PeriodTotal(p, r.total, r.max, w, title) for p, w, title, r in parts]
    result.appeals = sorted((x for row in indicators for x in row.appeals), key=lambda x: (x.filed, x.id))
    result.vetoes = [v for *_, r in parts for v in r.vetoes]  # a 一票否决 in any period holds for the year
    return result


def _scaled(line: Line, period: Period, weight: Decimal) -> Line:
    """The line as the year counts it: its amount × the period's weight, and which period it came from."""
    if period.is_year and weight == 1:
        return line
    original = line.original * weight if line.original is not None else None  # an appeal's struck amount
    return dataclasses.replace(line, amount=line.amount * weight, original=original, period=period.key, weight=weight)


def _category(found: list[tuple[Period, Decimal, CategoryResult]]) -> CategoryResult:
    first = found[0][2]

    def total(attr: str) -> Decimal:
        return sum((w * getattr(c, attr) for _, w, c in found), ZERO)

    return dataclasses.replace(
        first,
        score=total("score"),
        max=total("max"),
        raw_score=total("raw_score"),
        raw_max=total("raw_max"),
        year_max=total("year_max"),
        base=total("base"),
    )


#: Which status a row rolled up from periods shows when its periods differ: a veto in any period shows.
_PRECEDENCE = ("vetoed", "scored", "not_due", "unscored", "not_applicable")


def _indicator(rows: list[tuple[Period, Decimal, IndicatorResult]]) -> IndicatorResult:
    first = rows[0][2]
    statuses = {row.status for _, _, row in rows}
    return dataclasses.replace(
        first,
        score=sum((w * row.score for _, w, row in rows), ZERO),
        max=sum((w * row.max for _, w, row in rows), ZERO),
        status=next(s for s in _PRECEDENCE if s in statuses) if len(statuses) > 1 else first.status,
        deductions=[_scaled(line, p, w) for p, w, row in rows for line in row.deductions],
        awards=[_scaled(line, p, w) for p, w, row in rows for line in row.awards],
        evidence=sorted({path for _, _, row in rows for path in row.evidence}),
        appeals=_appeals(rows),
    )


def _appeals(rows: list[tuple[Period, Decimal, IndicatorResult]]) -> list[AppealRecord]:
    """Each appeal against the indicator once: every period's row carries it, the period holding
    what it contests has its decision's effect (`before` set)."""
    records: dict[str, AppealRecord] = {}
    for _, _, row in rows:
        for record in row.appeals:
            if record.id not in records or records[record.id].before is None:
                records[record.id] = record
    return list(records.values())
