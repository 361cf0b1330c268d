"""Checks of appeals and stages: what an appeal contests, its decision, and its deadlines.

Deadlines are the framework's ([[appeal_kind]]); the 公示 they count from is the year's
stages.toml. An appeal filed after its deadline is an error unless its decision upheld the result
(a late appeal may not change one); one left undecided past its deadline, or decided late, is a
warning that names the deadline. An appeal of any kind filed before 公示 starts is an error: it
contests results nobody had published yet, so its date (or its year) is wrong.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from .lifecycle import (
    appeal_kind,
    decided_after_filing,
    decision_deadline,
    filing_deadline,
    notice_end,
    stage,
    today,
)
from .messages import msg
from .model import STAGES, Appeal, Assessment, Framework, StageRecord
from .problems import Problems, did_you_mean
from .refused import names_refused
from .score.rules.mitigation import MitigationRule
from .score.rules.range import RangeRule
from .score.rules.unit_veto import UnitVetoRule
from .score.rules.veto import VetoRule


def validate_appeal_kinds(fw: Framework, problems: Problems) -> None:
    kinds = [k.kind for k in fw.appeal_kind]
    for n, kind in enumerate(fw.appeal_kind):
        path, line = kind.source.path, kind.source.line
        if kind.kind in kinds[:n]:
            problems.report(path, line, 1, "framework.appeal-kind-duplicate", kind=kind.kind)
        if kind.after is not None and (kind.after not in kinds or kind.after == kind.kind):
            problems.report(
                path,
                line,
                1,
                "framework.appeal-kind-unknown-after",
                kind=kind.kind,
                after=kind.after,
                suggestion=did_you_mean(kind.after, [k for k in kinds if k != kind.kind]),
            )


def validate_appeals(
    a: Assessment, problems: Problems, on: date | None = None, broken: Collection[str] = frozenset()
) -> None:
    """Every appeal of the year against the findings and rules it names, and against its deadlines
    as they stand `on` a day (today in China by default). `broken`: the ids of indicators the
    framework refused (reported there): an appeal naming one, or an id reading as one, is not also
    an unknown indicator."""
    on = on or today()
    findings = {(f.unit, f.id): f for f in a.findings}
    indicators = {i.id: i for i in a.framework.indicators()}
    seen: dict[str, str] = {}
    for appeal in sorted(a.appeals, key=lambda x: x.source):
        if appeal.id in seen:
            _add(problems, appeal, "id", "appeal.duplicate-id", appeal=appeal.id, first=seen[appeal.id])
        seen.setdefault(appeal.id, appeal.source)
        _check_target(a, appeal, findings, indicators, broken, problems)
        _check_decision(a, appeal, indicators, findings, problems)
        _check_deadlines(a, appeal, on, problems)


def _add(
    problems: Problems, appeal: Appeal, key: str | None, code: str, /, *, severity: str = "error", **params: object
) -> None:
    """Report `code` at `key` of `appeal`. Positional-only, as :meth:`Problems.report`: a message
    parameter may be named ``appeal`` (the duplicate id's), which took the appeal's place."""
    problems.report(appeal.path, *appeal.locate(key), code, severity=severity, **params)


def _check_target(
    a: Assessment, appeal: Appeal, findings: dict, indicators: dict, broken: Collection[str], problems: Problems
) -> None:
    if appeal.finding is not None:
        found = findings.get((appeal.unit, appeal.finding))
        if found is None:
            other = next((f for (unit, fid), f in findings.items() if fid == appeal.finding), None)
            if other is not None:
                _add(
                    problems,
                    appeal,
                    "finding",
                    "appeal.other-unit",
                    finding=appeal.finding,
                    other=other.unit,
                    unit=appeal.unit,
                )
            else:
                ids = [fid for (unit, fid) in findings if unit == appeal.unit]
                _add(
                    problems,
                    appeal,
                    "finding",
                    "appeal.unknown-finding",
                    finding=appeal.finding,
                    unit=appeal.unit,
                    suggestion=did_you_mean(appeal.finding, ids),
                )
            return
        ind = indicators.get(found.indicator)
        rule = ind.rule_by_id(found.rule) if ind is not None else None
        if isinstance(rule, MitigationRule):
            _add(
                problems,
                appeal,
                "finding",
                "appeal.contests-mitigation",
                finding=appeal.finding,
                mitigates=found.mitigates,
            )
        return
    ind = indicators.get(appeal.indicator)
    if ind is None and names_refused(appeal.indicator or "", indicators, broken):
        return  # its framework says why it is missing: the one fix to make
    if ind is None:
        _add(
            problems,
            appeal,
            "indicator",
            "appeal.unknown-indicator",
            indicator=appeal.indicator,
            suggestion=did_you_mean(appeal.indicator or "", indicators),
        )
        return
    rule = ind.rule_by_id(appeal.rule)
    if rule is None:
        _add(
            problems,
            appeal,
            "rule",
            "appeal.unknown-rule",
            indicator=ind.id,
            rule=appeal.rule,
            suggestion=did_you_mean(appeal.rule or "", [r.id for r in ind.rule]),
        )
    elif rule.takes_findings:
        _add(problems, appeal, "rule", "appeal.rule-takes-findings", rule=rule.id, kind=rule.kind)


def _check_decision(a: Assessment, appeal: Appeal, indicators: dict, findings: dict, problems: Problems) -> None:
    decision = appeal.decision
    if decision is None:
        return
    if decision.date < appeal.filed:
        _add(problems, appeal, "decision", "appeal.decided-before-filed", decided=decision.date, filed=appeal.filed)
    found = findings.get((appeal.unit, appeal.finding)) if appeal.finding else None
    ind = indicators.get(found.indicator if found else appeal.indicator)
    if ind is None:
        return
    rule = ind.rule_by_id(found.rule if found else appeal.rule)
    if decision.outcome == "变更" and isinstance(rule, VetoRule | UnitVetoRule):
        _add(problems, appeal, "decision", "appeal.change-of-veto", kind=rule.kind)
    if (
        decision.outcome == "变更"
        and decision.amount is not None
        and ind.granularity is not None
        and (decision.amount / ind.granularity) % 1 != 0
    ):
        _add(problems, appeal, "decision", "appeal.granularity", amount=decision.amount, granularity=ind.granularity)
    if decision.outcome == "变更" and isinstance(rule, RangeRule) and _outside(rule, decision.amount):
        params = {"amount": decision.amount, "min": rule.min, "max": rule.max}
        _add(problems, appeal, "decision", "appeal.range-amount-outside", **params)


def _outside(rule: RangeRule, amount: Decimal | None) -> bool:
    """A changed amount the clause could not have deducted (扣0.1-1分: not 3, not 0.05). 0 is allowed:
    it takes the deduction away, as 撤销 does."""
    return bool(amount) and not rule.min <= amount <= rule.max


def _check_deadlines(a: Assessment, appeal: Appeal, on: date, problems: Problems) -> None:
    early = _filed_before_notice(a, appeal, problems)
    kind = appeal_kind(a.framework, appeal.kind)
    kind_key = "kind" if "kind" in appeal.model_fields_set else None
    if kind is None:
        _add(
            problems,
            appeal,
            kind_key,
            "appeal.kind-unknown",
            kind=appeal.kind,
            suggestion=did_you_mean(appeal.kind, [k.kind for k in a.framework.appeal_kind])
            or msg("appeal.kind-unknown.add"),
        )
        return
    if early:
        return  # every other deadline counts from its filing date, which is wrong: one problem, the cause
    file_by = filing_deadline(a, appeal)
    if file_by is None and kind.after is not None:
        pending = decided_after_filing(a, appeal, kind.after)
        if pending is not None and pending.decision is not None:
            _add(
                problems,
                appeal,
                kind_key,
                "appeal.before-earlier-decision",
                kind=kind.kind,
                after=kind.after,
                filed=appeal.filed,
                decided=pending.decision.date,
                earlier=pending.id,
            )
        else:
            _add(problems, appeal, kind_key, "appeal.no-earlier-decision", kind=kind.kind, after=kind.after)
    elif file_by is None:
        _add(problems, appeal, None, "appeal.no-notice", severity="warning", year=a.year)
    elif appeal.filed > file_by:
        upheld = appeal.decision is not None and appeal.decision.outcome == "维持"
        _add(
            problems,
            appeal,
            "filed",
            "appeal.filed-late",
            severity="warning" if upheld else "error",
            filed=appeal.filed,
            deadline=file_by,
            kind=kind.kind,
            days=kind.file_within_days,
            fix=msg("appeal.filed-late.upheld" if upheld else "appeal.filed-late.undo"),
        )
    decide_by = decision_deadline(a, appeal)
    if decide_by is None:
        return
    if appeal.decision is None and on > decide_by:
        _add(
            problems,
            appeal,
            None,
            "appeal.overdue",
            severity="warning",
            deadline=decide_by,
            filed=appeal.filed,
            days=kind.decide_within_days,
        )
    elif appeal.decision is not None and appeal.decision.date > decide_by:
        _add(
            problems,
            appeal,
            "decision",
            "appeal.decided-late",
            severity="warning",
            decided=appeal.decision.date,
            deadline=decide_by,
            kind=kind.kind,
            days=kind.decide_within_days,
        )


def _filed_before_notice(a: Assessment, appeal: Appeal, problems: Problems) -> bool:
    """Report an appeal filed before 公示 starts; True if it was.

    Every kind of appeal the framework can state counts from 公示 (复核) or from a decision on an
    earlier appeal (申诉 after 复核): none precedes the notice. Objections to a finding during the
    year are ordinary pull requests against the finding, not appeals. An appeal dated before the
    results were published is therefore a data error (a wrong date, or a file in the wrong year's
    folder), whatever its kind or decision; filed on the first day of 公示, it is in time."""
    notice = stage(a, "公示")
    if notice is None or appeal.filed >= notice.date:
        return False
    _add(
        problems,
        appeal,
        "filed",
        "appeal.before-notice",
        kind=appeal.kind,
        filed=appeal.filed,
        start=notice.date,
        days=notice.days,
        end=notice_end(a),
        year=a.year,
    )
    return True


def validate_stages(a: Assessment, problems: Problems) -> None:
    """Stages in order (草稿 → 公示 → 审定 → 备案), each once, dated in order, after the year; no 备案
    without a 审定 (only approved results are filed); no final result while an appeal is open or before
    公示 has ended."""
    path = f"evidence/{a.year}/stages.toml"
    previous = None
    for record in a.stages:
        _after_the_year(a, record, path, problems)
        if previous is not None and (
            STAGES.index(record.stage) <= STAGES.index(previous.stage) or record.date < previous.date
        ):
            problems.report(
                path,
                record._line,
                1,
                "stage.order",
                stage=record.stage,
                date=record.date,
                previous=previous.stage,
                previous_date=previous.date,
            )
        previous = record
    final = stage(a, "审定")
    filed = stage(a, "备案")
    if final is None and filed is not None:  # filing results nobody approved
        problems.report(path, filed._line, 1, "stage.filed-without-approval", date=filed.date)
    if final is None:
        return
    end = notice_end(a)
    if end is not None and final.date <= end:
        problems.report(path, final._line, 1, "stage.final-during-notice", date=final.date, end=end)
    for appeal in a.appeals:
        if appeal.decision is None:
            problems.report(
                path, final._line, 1, "stage.final-with-open-appeal", appeal=appeal.id, source=appeal.source
            )


def _after_the_year(a: Assessment, record: StageRecord, path: str, problems: Problems) -> None:
    """公示, 审定 and 备案 come after the assessment year: the results they show, approve or file are
    scored as at 31 December, so one dated inside the year (a typo for next year, most often: 2011-01-09
    for the 2011 results) names results that evidence filed after it still changes."""
    year_end = date(a.year, 12, 31)
    if record.stage != STAGES[0] and record.date <= year_end:
        problems.report(
            path,
            *record._date_at,
            "stage.inside-year",
            severity="warning",
            stage=record.stage,
            date=record.date,
            year=a.year,
            year_end=year_end,
            suggested=_in_year(record.date, a.year + 1),
        )


def _in_year(day: date, year: int) -> date:
    """`day`'s month and day in `year` (29 February, in a year without one, as the 28th)."""
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
