"""Checks of assessment periods: the framework's declarations, and which period each finding assesses.

A declaration names the parts or categories it assesses; every category must be assessed by
exactly one declaration, or its findings would count twice (or never). A finding belongs to the
period holding its date unless it names one (``period = "2014-Q3"``, for a quarter assessed in
October); one reported after the period's results were due is the assessing department's lateness,
a warning, never a deduction from the unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    assessed_by: dict[str, str] = {}
    kinds: dict[str, Source] = {}
    for decl in fw.period:
        path, line = decl.source.path, decl.source.line
        where = f"{decl.kind} period" + (f" '{decl.id}'" if decl.id else "")
        if decl.kind != "special":
            if decl.kind in kinds:
                problems.add(
                    path,
                    line,
                    1,
                    f"a second {decl.kind} period: {kinds[decl.kind]} declares it already",
                    "declare each kind of period once and list everything it assesses in it",
                    code="framework.period-twice",
                )
            kinds.setdefault(decl.kind, decl.source)
        elif decl.id is not None and not names_a_special(decl.id):
            problems.add(
                path,
                line,
                1,
                f"special period id '{decl.id}' does not name a special period: {a_year}-{decl.id} reads otherwise",
                "start it with a letter, not as a quarter (Q3) or a month (07): e.g. zx-anquan",
                code="framework.period-id-ambiguous",
            )
        for part in decl.parts:
            if part not in parts:
                problems.add(
                    path,
                    line,
                    1,
                    f"{where} assesses unknown part '{part}'",
                    did_you_mean(part, parts),
                    code="framework.period-unknown-part",
                )
        for cat in decl.categories:
            if cat not in categories:
                problems.add(
                    path,
                    line,
                    1,
                    f"{where} assesses unknown category '{cat}'",
                    did_you_mean(cat, categories),
                    code="framework.period-unknown-category",
                )
        named = [c.id for c in fw.categories if c.part in decl.parts] + [c for c in decl.categories if c in categories]
        for cat in dict.fromkeys(named):
            if cat in assessed_by:
                problems.add(
                    path,
                    line,
                    1,
                    f"category '{cat}' is assessed by two periods ({assessed_by[cat]} and this {where})",
                    "a category is assessed by one kind of period: its findings would count twice",
                    code="framework.period-category-twice",
                )
            assessed_by.setdefault(cat, where)
    path, line = fw.period[0].source.path, fw.period[0].source.line
    for cat in fw.categories:
        if cat.id not in assessed_by:
            problems.add(
                path,
                line,
                1,
                f"no period assesses category '{cat.id}' ({cat.title})",
                'name its part or the category in one [[period]] (the year: kind = "year")',
                code="framework.period-category-unassessed",
            )
            continue
        if not assessed_by[cat.id].startswith("year"):
            for ind in cat.indicators:
                if ind.month is not None:
                    ind_path, ind_line = ind.source.path, ind.source.line
                    problems.add(
                        ind_path,
                        ind_line,
                        1,
                        f"indicator '{ind.id}' gives a month, but its category is assessed per "
                        f"{assessed_by[cat.id]}: it is due at each period's end",
                        "remove `month`, or assess the category by the year",
                        severity="warning",
                        code="framework.period-month-ignored",
                    )


def check_assessment(a: Assessment, indicators: dict[str, Indicator], problems: Problems) -> None:
    """Special assessments lie in the year; each finding's period exists, has begun, and was reported in time."""
    fw = a.framework
    schedule = Schedule(fw, a.year)
    year = schedule.whole
    for decl in fw.period:
        start, end = decl.start, decl.end
        if start is not None and end is not None and not (year.contains(start) and year.contains(end)):
            path, line = decl.source.path, decl.source.line
            problems.add(
                path,
                line,
                1,
                f"special period '{decl.id}' ({start} to {end}) is not within {a.year}, "
                f"which {a.path} assesses with this framework",
                f"date it within {year.first} to {year.last}",
                code="framework.period-outside-year",
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
            problems.add(
                appeal.path,
                *appeal.locate("rule"),
                f"indicator '{ind.id}' is assessed per period ({', '.join(keys)}): the appeal names the period "
                "whose lines it contests",
                f'add period = "{keys[-1]}" (the period contested)',
                code="appeal.period-missing",
            )
    elif appeal.finding is not None or not by_period or appeal.period not in keys:
        because = (
            "an appeal against a finding follows the finding's period"
            if appeal.finding is not None
            else f"indicator '{appeal.indicator}' is not assessed in period '{appeal.period}'"
        )
        problems.add(
            appeal.path,
            *appeal.locate("period"),
            because,
            (did_you_mean(appeal.period, keys) or f"its periods: {', '.join(keys)}")
            if by_period and appeal.finding is None
            else "remove `period`",
            code="appeal.period-unknown",
        )


def _check_finding(f: Finding, ind: Indicator, schedule: Schedule, year: Period, problems: Problems) -> None:
    declared = schedule.of_category(ind.category)
    if f.period is not None:
        if not schedule.by_period:
            problems.add(
                f.path,
                *f.locate("period"),
                f"the framework declares no periods: finding '{f.id}' cannot name period '{f.period}'",
                "remove `period`; the finding belongs to the year",
                code="finding.period-undeclared",
            )
            return
        period = schedule.finding_period(f, ind.category)
        if period is None:
            keys = [p.key for p in (declared.instances if declared else [year])]
            problems.add(
                f.path,
                *f.locate("period"),
                f"indicator '{ind.id}' is not assessed in period '{f.period}'",
                did_you_mean(f.period, keys) or f"its periods: {', '.join(keys)}",
                code="finding.period-unknown",
            )
            return
        if f.date < period.first:
            problems.add(
                f.path,
                *f.locate("date"),
                f"finding '{f.id}' is dated {f.date}, before period {period.key} starts ({period.first})",
                "a period is assessed once it has begun: correct the date or the period",
                code="finding.period-not-begun",
            )
            return
    else:
        period = schedule.finding_period(f, ind.category)
        if period is None:
            if year.contains(f.date) and declared is not None:
                problems.add(
                    f.path,
                    *f.locate("date"),
                    f"finding '{f.id}' is dated {f.date}, outside every period that assesses indicator '{ind.id}' "
                    f"({', '.join(f'{p.first} to {p.last}' for p in declared.instances)})",
                    'date it within the period, or name the period it assesses: period = "…"',
                    code="finding.outside-period",
                )
            return  # outside the year: reported with the year's dates
    report_day = schedule.report_day(ind.category)
    if report_day is not None and f.date > period.report_deadline(report_day):
        problems.add(
            f.path,
            *f.locate("date"),
            f"late assessment: finding '{f.id}' for {period.key} is dated {f.date}, but the period's results were "
            f"due by {period.report_deadline(report_day)}",
            "the assessing department reported late; the unit loses nothing for it (考核结果于考核结束的下月"
            f"{report_day}日前报绩效办)",
            severity="warning",
            code="finding.late-assessment",
        )
