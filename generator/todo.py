"""The progress board (进度): per unit, what is filed, what is missing, what falls due, what it costs.

A *requirement* is what a unit's evidence can satisfy: each item of a checklist, a count, a reported
figure — the rules whose ``requirement_keys()`` or ``metric_keys()`` name something. Rules that take
findings (fixed, range, incident, veto …) are assessors' judgements, not things a unit can file, so
they are not on the board.

Points at stake come from the rules, never from a table of our own: each requirement rule is applied
through its own hooks (``apply``, then mitigations' ``adjust``, then ``limit`` for its cap) to the
evidence dated up to the as-of date, as though the indicator were due that day. A count with 3 of 4
sessions is at stake for one session; once the requirement falls due, that is exactly the deduction
``kaohe score --as-of`` makes for it. The board is a plain model, like
:mod:`generator.score.results`, so the command line and the site render the same figures.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .messages import tr
from .period import Period, Schedule
from .score.appeals import apply_appeals
from .score.engine import Scope, indicator_appeals, score_indicator
from .score.results import AppealRecord, Line
from .score.rules import Phase, RuleBase, RuleContext
from .score.rules.checklist import ChecklistRule
from .score.rules.count import CountRule
from .source import Source

if TYPE_CHECKING:
    from .model import Appeal, Assessment, Category, Evidence, Indicator, Unit

ZERO = Decimal(0)

#: Statuses, most urgent first (the order the board lists them in).
#: missing 缺: unmet at the end of the year — the final score deducts it.
#: overdue 已逾期: unmet, due by the as-of date (``score --as-of`` deducts it), the year not yet over.
#: A row without a completion month is due at the period's end (:func:`deadline`).
#: below 未达标: due, and the figure reported falls short of its threshold (filed, so not missing).
#: due_soon 即将到期: unmet, due after the as-of date but within the warning window.
#: not_due 未到期: unmet, due later than that.
#: met 已满足: evidence is filed for it and its rule deducts nothing.
STATUSES = ("missing", "overdue", "below", "due_soon", "not_due", "met")
#: Statuses whose points at stake `kaohe score --as-of` deducts as missing evidence.
MISSING = ("missing", "overdue")


@dataclass
class Filed:
    """An evidence file counted for a requirement."""

    path: str
    date: date
    title: str
    count: int


@dataclass
class Requirement:
    key: str  # the requirement or metric key evidence names
    name: str  # as the framework names it, e.g. 半年工作情况报告
    rule: str
    kind: str  # the rule kind: checklist, count, threshold …
    status: str  # one of STATUSES
    at_stake: Decimal  # points deducted if nothing more is filed (0 when met, or when the indicator is vetoed)
    detail: str  # the rule's own wording of the shortfall, e.g. 反腐倡廉教育应4次，实有3次，缺1次
    filed: list[Filed] = field(default_factory=list)
    #: For a count, what its rule counts: the files' `count`s added up (a file of 2 articles is 2 篇),
    #: in the rule's measure word; None for a requirement met or not by each file as a whole.
    counted: int | None = None
    measure: str = ""


@dataclass
class IndicatorProgress:
    id: str
    seq: str
    title: str
    category: str
    category_title: str
    month: int | None
    due: date | None  # the last day of the completion month; None: no month, due all year
    days_left: int | None  # due − as-of in days (negative: overdue by that many); None without a due date
    #: Why the month is the framework's reading where the document prints none
    #: (按年底计：细则未列完成月份，按年底考核), else "".
    due_interpreted: str
    source: Source
    #: The period the board shows it for: the year's key (``2014``), or the quarter holding the as-of
    #: date where its table is assessed per period (``2014-Q2``): each quarter's items are to-dos of their own.
    period: str
    #: What the indicator loses through its requirements if nothing more is filed, exactly as the
    #: engine scores it (rule caps, 扣完为止 and vetoes included): its score with the requirement rules
    #: left out, less its score as it stands. At most the sum of its requirements' points at stake.
    at_stake: Decimal
    vetoed: bool  # a veto zeroes the indicator whatever is filed: nothing is at stake
    requirements: list[Requirement] = field(default_factory=list)
    #: The indicator's method (the results' :attr:`IndicatorResult.method`): in a 得分制 row the bound
    #: is its points not earned, never 扣完为止.
    method: str = "deduction"

    def shares(self) -> list[tuple[Requirement, Decimal]]:
        """Each requirement with what it can still cost within the indicator's own bound.

        A requirement's `at_stake` is its rule's figure; where the indicator's 扣完为止 binds, the
        requirements together lose only the indicator's `at_stake`: they deduct in order until it is
        reached (as a rule's cap is shared), so that a unit's totals never count points the
        indicator does not have (a 10-point row with two 10-point items missing loses 10, not 20).
        The most pressing statuses take their share first (missing before below, as in STATUSES), so
        that what is overdue is never counted as nothing because a lesser shortfall came first."""
        left = max(self.at_stake, ZERO)
        shares: dict[int, Decimal] = {}
        for n, req in sorted(enumerate(self.requirements), key=lambda item: STATUSES.index(item[1].status)):
            shares[n] = min(req.at_stake, left) if req.at_stake > 0 else req.at_stake
            left -= max(shares[n], ZERO)
        return [(req, shares[n]) for n, req in enumerate(self.requirements)]


@dataclass
class UnitProgress:
    id: str
    name: str
    series: str
    indicators: list[IndicatorProgress] = field(default_factory=list)

    def requirements(self) -> list[tuple[IndicatorProgress, Requirement]]:
        return [(ind, req) for ind in self.indicators for req in ind.requirements]

    def count(self, *statuses: str) -> int:
        return sum(1 for _, req in self.requirements() if req.status in statuses)

    def at_stake(self, *statuses: str) -> Decimal:
        """What the unit loses through its requirements of these statuses, each indicator within its
        bound (:meth:`IndicatorProgress.shares`)."""
        return sum(
            (share for ind in self.indicators for req, share in ind.shares() if req.status in statuses),
            ZERO,
        )


@dataclass
class Board:
    year: int
    framework: str
    framework_title: str
    as_of: date
    soon_days: int
    units: list[UnitProgress]
    #: When the as-of date was not given: the day it was taken from (today), else None.
    today: date | None = None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def default_as_of(year: int, today: date) -> date:
    """Today, held inside the assessment year: a past year is seen at its end, a future one at its start."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def status_of(met: bool, below: bool, due: date, as_of: date, soon_days: int) -> str:
    """A requirement's status against its deadline `due` (:func:`deadline`)."""
    if met:
        return "met"
    if as_of >= due:  # the engine's is_due: a June report is missing from 30 June on
        if below:
            return "below"
        return "missing" if as_of >= date(as_of.year, 12, 31) else "overdue"
    return "due_soon" if (due - as_of).days <= soon_days else "not_due"


def deadline(due: date | None, period: Period) -> date:
    """The day an unmet requirement becomes 已逾期 or 缺: its month's end, or the period's last day (the
    截至日) for a row the framework leaves without a month. The engine scores such a row at any date,
    but no deadline has passed before the period ends: a clerk reading 已逾期 on 30 June would look for
    a missed month that does not exist."""
    return due if due is not None else period.last


def is_requirement_rule(rule: RuleBase) -> bool:
    return bool(rule.requirement_keys() or rule.metric_keys())


def build_board(
    a: Assessment, as_of: date, soon_days: int = 30, units: list[str] | None = None, today: date | None = None
) -> Board:
    """The board of every unit (or those named) as things stood at the end of `as_of`."""
    wanted = set(units) if units is not None else None
    out = []
    for unit in a.units:
        if wanted is not None and unit.id not in wanted:
            continue
        progress = UnitProgress(unit.id, unit.name, unit.series)
        for cat in a.framework.categories:
            for ind in cat.indicators:
                if ind.concerns(unit) and ind.points is not None and any(map(is_requirement_rule, ind.rule)):
                    progress.indicators.append(_indicator(a, cat, ind, unit, as_of, soon_days))
        out.append(progress)
    return Board(a.year, a.framework.id, a.framework.title, as_of, soon_days, out, today)


def _indicator(a: Assessment, cat: Category, ind: Indicator, unit: Unit, as_of: date, soon: int) -> IndicatorProgress:
    # where the framework assesses by period, the board is the period holding `as_of` (a quarter's
    # items are due at its end; what was missing in a closed quarter can no longer be filed)
    schedule = Schedule(a.framework, a.year)
    period = schedule.period_of(ind.category, as_of) or schedule.whole
    due = period.due(ind.month)
    due_now = ind.model_copy(update={"month": None})  # scored as though due today, so nothing is hidden
    scope = Scope(schedule, period, None, period.last, as_of)
    as_is = score_indicator(a, due_now, unit, period.last, scope)
    others = [r for r in ind.rule if not is_requirement_rule(r)]
    without = score_indicator(a, due_now.model_copy(update={"rule": others}), unit, period.last, scope)
    vetoed = as_is.status == "vetoed"
    result = IndicatorProgress(
        id=ind.id,
        seq=ind.seq,
        title=ind.name,
        category=ind.category,
        category_title=cat.title,
        month=ind.month,
        due=due,
        days_left=(due - as_of).days if due is not None else None,
        due_interpreted=ind.interpreted.get("month", ""),
        source=ind.source,
        period=period.key,
        at_stake=without.score - as_is.score,
        vetoed=vetoed,
        method=as_is.method,
    )
    evidence = [e for e in a.evidence_by.get((unit.id, ind.id), ()) if period.contains(e.date) and e.date <= as_of]
    findings = [f for f in a.findings_by.get((unit.id, ind.id), ()) if f.date <= as_of and scope.owns(f, ind.category)]
    ctx = RuleContext(ind, unit.id, evidence, findings, ind.points or ZERO, ind.granularity, a.framework.precision)
    adjusters = [r for r in ind.rule if r.phase is Phase.ADJUST]
    appeals = indicator_appeals(a, unit.id, ind.id, period)
    for rule in ind.rule:
        if rule.phase is Phase.DEDUCT and is_requirement_rule(rule):
            for share in _shares(ctx, rule, adjusters, appeals):
                filed = _filed(evidence, share.keys)
                met = not share.lines and bool(filed)
                below = bool(share.lines) and all(line.missing is None for line in share.lines)
                result.requirements.append(
                    Requirement(
                        key=share.key,
                        name=share.name,
                        rule=rule.id,
                        kind=rule.kind,  # type: ignore[attr-defined]
                        status=status_of(met, below, deadline(due, period), as_of, soon),
                        at_stake=ZERO if vetoed else share.amount,
                        detail=tr("value.sentence-separator").join(line.reason for line in share.lines),
                        filed=filed,
                        **_counted(rule, filed),
                    )
                )
    return result


@dataclass
class _Share:
    """One requirement of a rule and the rule's deduction lines that are its own."""

    key: str
    name: str
    keys: set[str]
    lines: list[Line]
    capped: Decimal = ZERO  # what the rule's cap takes off these lines

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO) - self.capped


def _shares(
    ctx: RuleContext, rule: RuleBase, adjusters: list[RuleBase], appeals: Sequence[tuple[Appeal, AppealRecord]] = ()
) -> list[_Share]:
    """The requirements of `rule` with their lines: each checklist item on its own (its line names the
    item as missing), any other rule as one requirement (a count with its sub-quotas, a figure). Where
    the rule's cap binds, its requirements deduct in the rule's order until the cap is reached, so that
    they add up to what the rule deducts; all of one rule's requirements share a due date, hence a status.
    Decisions on appeals apply first, as in scoring: a revoked item has nothing at stake."""
    lines = rule.apply(ctx)
    apply_appeals(lines, appeals)
    for adjuster in adjusters:
        lines.extend(adjuster.adjust(ctx, lines))
    deductions = [line for line in lines if line.kind == "deduction"]
    if isinstance(rule, ChecklistRule):
        shares = [_Share(i.key, i.name, {i.key}, []) for i in rule.items]
        for line in deductions:
            owner = next((s for s in shares if s.name == line.missing), None)
            if owner is not None:
                owner.lines.append(line)
    else:
        names = {**rule.requirement_keys(), **rule.metric_keys()}
        key, name = next(iter(names.items()))
        shares = [_Share(key, name, set(names), deductions)]
    limit = rule.limit(ctx, lines)
    total = sum((line.amount for line in lines), ZERO)
    excess = total - limit[0] if limit is not None and total > limit[0] else ZERO
    for share in reversed(shares):  # the first requirements deduct first, until the cap is reached
        share.capped = min(share.amount, excess)
        excess -= share.capped
    return shares


def _counted(rule: RuleBase, filed: list[Filed]) -> dict[str, Any]:
    """What a count rule counts of the files filed for it: the sum of their `count`s, as its `apply`
    adds them (its sub-quotas' files are among them), and its measure word (篇)."""
    if not isinstance(rule, CountRule):
        return {}
    return {"counted": sum(f.count for f in filed), "measure": rule.measure}


def _filed(evidence: list[Evidence], keys: set[str]) -> list[Filed]:
    found = [e for e in evidence if keys.intersection(e.satisfies) or keys.intersection(e.metrics)]
    return [Filed(e.path, e.date, e.title, e.count) for e in sorted(found, key=lambda e: (e.date, e.path))]
