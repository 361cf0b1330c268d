"""Checks of assessment periods: the framework's declarations, and which period each finding assesses.

A declaration names the parts or categories it assesses; every category must be assessed by
exactly one declaration, or its findings would count twice (or never). A finding belongs to the
period holding its date unless it names one (``period = "2014-Q3"``, for a quarter assessed in
October); one reported after the period's results were due is the assessing department's lateness,
a warning, never a deduction from the unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .messages import Message, joined, msg
from .period import Period, Schedule, names_a_special
from .problems import Problems, did_you_mean
from .source import Source

if TYPE_CHECKING:
    from .model import Appeal, Assessment, Finding, Framework, Indicator


def check_framework(fw: Framework, problems: Problems) -> None:
    """Each declaration names known parts and categories; each category is assessed by one of them."""
    if not fw.period:
        return
    parts = {p.id for p in fw.part}
    categories = {c.id: c for c in fw.categories}
    a_year = fw.year or 2014
    assessed_by: dict[str, tuple[str, Message]] = {}  # category → (kind of period, the period in words)
    kinds: dict[str, Source] = {}
    for decl in fw.period:
        path, line = decl.source.path, decl.source.line
        kind = msg(f"period.kind.{decl.kind}")
        where = msg("period.where-named", kind=kind, id=decl.id) if decl.id else msg("period.where", kind=kind)
        if decl.kind != "special":
            if decl.kind in kinds:
                problems.report(path, line, 1, "framework.period-twice", kind=kind, first=kinds[decl.kind])
            kinds.setdefault(decl.kind, decl.source)
        elif decl.id is not None and not names_a_special(decl.id):
            problems.report(path, line, 1, "framework.period-id-ambiguous", id=decl.id, key=f"{a_year}-{decl.id}")
        for part in decl.parts:
            if part not in parts:
                suggestion = did_you_mean(part, parts)
                problems.report(
                    path, line, 1, "framework.period-unknown-part", where=where, part=part, suggestion=suggestion
                )
        for cat in decl.categories:
            if cat not in categories:
                suggestion = did_you_mean(cat, categories)
                problems.report(
                    path, line, 1, "framework.period-unknown-category", where=where, category=cat, suggestion=suggestion
                )
        named = [c.id for c in fw.categories if c.part in decl.parts] + [c for c in decl.categories if c in categories]
        for cat in dict.fromkeys(named):
            if cat in assessed_by:
                first = assessed_by[cat][1]
                problems.report(
                    path, line, 1, "framework.period-category-twice", category=cat, first=first, where=where
                )
            assessed_by.setdefault(cat, (decl.kind, where))
    path, line = fw.period[0].source.path, fw.period[0].source.line
    for cat in fw.categories:
        if cat.id not in assessed_by:
            problems.report(path, line, 1, "framework.period-category-unassessed", category=cat.id, title=cat.title)
            continue
        kind, where = assessed_by[cat.id]
        if kind != "year":
            for ind in cat.indicators:
                if ind.month is not None:
                    ind_path, ind_line = ind.source.path, ind.source.line
                    problems.report(
                        ind_path,
                        ind_line,
                        1,
                        "framework.period-month-ignored",
                        severity="warning",
                        indicator=ind.id,
                        where=where,
                    )


def check_assessment(a: Assessment, indicators: dict[str, Indicator], problems: Problems) -> None:
    """Special assessments lie in the year; each finding's period exists, has begun, and was reported in time."""
    fw = a.framework
    schedule = Schedule(fw, a.year)
    year = schedule.whole
    for decl in fw.period:
        start, end = decl.start, decl.end
        if start is not None and end is not None and not (year.contains(start) and year.contains(end)):
            problems.report(
                decl.source.path,
                decl.source.line,
                1,
                "framework.period-outside-year",
                id=decl.id,
                start=start,
                end=end,
                year=a.year,
                units_file=a.path,
                first=year.first,
                last=year.last,
            )
    for f in a.findings:
        ind = indicators.get(f.indicator)
        if ind is None:
            continue  # reported as an unknown indicator
        _check_finding(f, ind, schedule, year, problems)
    for appeal in a.appeals:
        _check_appeal(appeal, indicators, schedule, problems)


def _check_appeal(appeal: Appeal, indicators: dict[str, Indicator], schedule: Schedule, problems: Problems) -> None:
    """An appeal against a rule's lines names the period where the indicator is assessed more than once
    a year (its lines in one quarter are not those of another); an appeal against a finding follows
    the finding's period."""
    ind = indicators.get(appeal.indicator or "")
    declared = schedule.of_category(ind.category) if ind is not None else None
    keys = [p.key for p in declared.instances] if declared is not None else []
    by_period = bool(keys) and keys != [schedule.whole.key]
    if appeal.period is None:
        if appeal.finding is None and ind is not None and by_period:
            problems.report(
                appeal.path,
                *appeal.locate("rule"),
                "appeal.period-missing",
                indicator=ind.id,
                periods=keys,
                last=keys[-1],
            )
    elif appeal.finding is not None or not by_period or appeal.period not in keys:
        because = (
            msg("appeal.period-unknown.finding")
            if appeal.finding is not None
            else msg("appeal.period-unknown.indicator", indicator=appeal.indicator, period=appeal.period)
        )
        fix = (
            (did_you_mean(appeal.period, keys) or msg("period.its-periods", periods=keys))
            if by_period and appeal.finding is None
            else msg("hint.remove-period")
        )
        problems.report(appeal.path, *appeal.locate("period"), "appeal.period-unknown", because=because, fix=fix)


def _check_finding(f: Finding, ind: Indicator, schedule: Schedule, year: Period, problems: Problems) -> None:
    declared = schedule.of_category(ind.category)
    if f.period is not None:
        if not schedule.by_period:
            problems.report(f.path, *f.locate("period"), "finding.period-undeclared", finding=f.id, period=f.period)
            return
        period = schedule.finding_period(f, ind.category)
        if period is None:
            keys = [p.key for p in (declared.instances if declared else [year])]
            suggestion = did_you_mean(f.period, keys) or msg("period.its-periods", periods=keys)
            problems.report(
                f.path,
                *f.locate("period"),
                "finding.period-unknown",
                indicator=ind.id,
                period=f.period,
                suggestion=suggestion,
            )
            return
        if f.date < period.first:
            problems.report(
                f.path,
                *f.locate("date"),
                "finding.period-not-begun",
                finding=f.id,
                date=f.date,
                period=period.title,
                first=period.first,
            )
            return
    else:
        period = schedule.finding_period(f, ind.category)
        if period is None:
            if year.contains(f.date) and declared is not None:
                spans = [msg("period.span", first=p.first, last=p.last) for p in declared.instances]
                problems.report(
                    f.path,
                    *f.locate("date"),
                    "finding.outside-period",
                    finding=f.id,
                    date=f.date,
                    indicator=ind.id,
                    spans=joined("value.clause-separator", spans),
                )
            return  # outside the year: reported with the year's dates
    report_day = schedule.report_day(ind.category)
    if report_day is not None and f.date > period.report_deadline(report_day):
        problems.report(
            f.path,
            *f.locate("date"),
            "finding.late-assessment",
            severity="warning",
            finding=f.id,
            period=period.title,  # what a clerk calls it: 2014年第三季度, not 2014-Q3
            date=f.date,
            deadline=period.report_deadline(report_day),
            day=report_day,
        )
