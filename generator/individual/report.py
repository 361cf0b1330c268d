"""The quarterly report to the 绩效办, and the aggregates that may reach the section's public results.

The 2014 measures (第六条): section heads assess their staff monthly and yearly, keep a personal
file, and report the results to the 绩效办 by the 5th of the month after each quarter. The report
names people (the 绩效办 is entitled to them); :func:`aggregate_evidence` gives the section's
public repository only figures about the whole section — how many were assessed, the completion
rate, the average, how many got each grade — never a name, an id or a person's score.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..controlchars import one_line
from ..messages import joined, tr
from ..output.escape import csv_cell
from ..output.table import render_table
from ..problems import InputError
from ..types import plain, round_to
from .scoring import IndividualResults, PersonResult

QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])\Z")


@dataclass
class Aggregates:
    """Figures about the whole section, nothing about any one person."""

    staff: int
    assessed: int  # person-months with a result
    expected: int  # staff × months assessed in the quarter
    average: Fraction | None  # mean 得分率 over those person-months (0–1)
    grades: dict[str, int]  # annual grade → how many (in the report of the quarter that ends the year)

    @property
    def completion(self) -> Fraction | None:
        return Fraction(self.assessed, self.expected) if self.expected else None


@dataclass
class QuarterReport:
    year: int
    quarter: int
    months: list[int]  # the quarter's months that are assessed
    due: date  # by the report_day of the month after the quarter
    section: str
    section_name: str
    rows: list[PersonResult]
    annual: bool  # the quarter ends the year: the annual scores and grades are reported too
    aggregates: Aggregates


def parse_quarter(text: str) -> tuple[int, int]:
    match = QUARTER.match(text)
    if not match:
        raise InputError("individual.bad-quarter", text=text)
    return int(match.group(1)), int(match.group(2))


def quarter_report(results: IndividualResults, year: int, quarter: int) -> QuarterReport:
    s = results.settings
    if year != s.year:
        raise InputError("individual.other-year", assessed=s.year, year=year)
    months = [m for m in range(3 * quarter - 2, 3 * quarter + 1) if m in s.months]
    if not months:
        raise InputError("individual.quarter-not-assessed", year=year, quarter=quarter, months=s.months)
    due = date(year + 1, 1, s.report_day) if quarter == 4 else date(year, 3 * quarter + 1, s.report_day)
    rates = [
        u.exact_rate for p in results.persons for m in months if (u := p.months.get(m)) and u.exact_rate is not None
    ]
    annual = quarter == 4
    grades: dict[str, int] = {}
    if annual:
        for p in results.persons:
            grades[p.grade or "—"] = grades.get(p.grade or "—", 0) + 1
    aggregates = Aggregates(
        staff=len(results.persons),
        assessed=len(rates),
        expected=len(results.persons) * len(months),
        average=sum(rates, Fraction(0)) / len(rates) if rates else None,
        grades=grades,
    )
    return QuarterReport(year, quarter, months, due, s.section, s.section_name, results.persons, annual, aggregates)


def percent_text(value: Fraction | None) -> str:
    """A fraction (0–1) in percent as printed, half-up to 0.01: 1744/1800 → 96.89%."""
    if value is None:
        return "—"
    return plain(round_to(Decimal(value.numerator * 100) / Decimal(value.denominator), Decimal("0.01"))) + "%"


def _month_cell(p: PersonResult, m: int) -> str:
    u = p.months.get(m)
    return f"{plain(u.total)}/{plain(u.max)}" if u is not None else "—"


def _average(p: PersonResult, months: list[int]) -> Fraction | None:
    rates = [u.exact_rate for m in months if (u := p.months.get(m)) and u.exact_rate is not None]
    return sum(rates, Fraction(0)) / len(rates) if rates else None


def report_rows(r: QuarterReport) -> list[list[str]]:
    header = [tr("individual.col.name"), tr("individual.col.post")]
    header += [tr("individual.col.month", month=m) for m in r.months] + [tr("individual.col.quarter-average")]
    if r.annual:
        header += [tr(f"individual.col.{c}") for c in ("annual", "annual-rank", "annual-grade")]
    rows = [header]
    for p in r.rows:
        row = [p.name, p.post, *[_month_cell(p, m) for m in r.months], percent_text(_average(p, r.months))]
        if r.annual:
            row += [plain(p.annual), str(p.rank), p.grade or "—"]
        rows.append(row)
    return rows


def report_text(r: QuarterReport) -> str:
    a = r.aggregates
    months = [tr("individual.col.month", month=m) for m in r.months]
    lines = [
        tr("individual.report.heading", section=r.section_name, year=r.year, quarter=r.quarter, due=r.due),
        tr(
            "individual.report.summary",
            months=months,
            expected=a.expected,
            assessed=a.assessed,
            completion=percent_text(a.completion),
            average=percent_text(a.average),
        ),
        "",
    ]
    rows = report_rows(r)
    table = render_table(rows, set(range(2, len(rows[0]))))
    grades = [tr("individual.report.grade-count", grade=g, n=n) for g, n in r.aggregates.grades.items()]
    tail = ["", tr("individual.report.grades", grades=joined("value.clause-separator", grades))] if r.annual else []
    return "\n".join(one_line(line) for line in lines) + table + "\n".join(one_line(line) for line in tail) + "\n"


#: Excel on a Chinese desktop reads a CSV as UTF-8 only when it starts with the byte-order mark.
BOM = "\ufeff"


def report_csv_rows(r: QuarterReport) -> list[list[str]]:
    """The report's rows for a spreadsheet: a month's score and its maximum in two columns of plain
    numbers (Excel turns a cell "10/10" into the date 10 October)."""
    header = [tr("individual.col.name"), tr("individual.col.post")]
    for m in r.months:
        header += [tr("individual.col.month-score", month=m), tr("individual.col.month-max", month=m)]
    header.append(tr("individual.col.quarter-average"))
    if r.annual:
        header += [tr(f"individual.col.{c}") for c in ("annual", "annual-rank", "annual-grade")]
    rows = [header]
    for p in r.rows:
        row = [p.name, p.post]
        for m in r.months:
            u = p.months.get(m)
            row += [plain(u.total), plain(u.max)] if u is not None else ["—", "—"]
        row.append(percent_text(_average(p, r.months)))
        if r.annual:
            row += [plain(p.annual), str(p.rank), p.grade or "—"]
        rows.append(row)
    return rows


def report_csv(r: QuarterReport) -> str:
    """The report as CSV for Excel: the byte-order mark, CRLF lines, text a spreadsheet would take
    for a formula kept text (to be written as UTF-8, newlines untranslated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in report_csv_rows(r):
        writer.writerow([csv_cell(cell) for cell in row])
    return BOM + out.getvalue()


def aggregate_evidence(r: QuarterReport, indicator: str, on: date, metric: str | None = None) -> str:
    """An evidence file for the section's public repository: the report was made, and the section's
    figures — never a person's. With `metric`, the completion rate (percent) is reported under that
    key, for an indicator that scores it (e.g. a threshold rule on the share of staff assessed)."""
    a = r.aggregates
    completion = percent_text(a.completion).rstrip("%")
    metrics = f"{_toml_key(metric)} = {completion}" if metric and a.completion is not None else ""
    grades = "；".join(f"{g}{n}人" for g, n in a.grades.items())
    body = [
        "+++",
        f"indicator = {_toml_string(indicator)}",
        f"date = {on.isoformat()}",
        f"title = {_toml_string(f'{r.section_name}{r.year}年第{r.quarter}季度个人考核结果报送情况')}",
        *([f"metrics = {{ {metrics} }}"] if metrics else []),
        "+++",
        f"# {r.section_name}{r.year}年第{r.quarter}季度个人考核结果报送情况",
        "",
        f"{on.isoformat()}向绩效办报送{r.year}年第{r.quarter}季度个人考核结果（应于{r.due.isoformat()}前报送）。",
        "",
        "| 项目 | 数值 |",
        "|---|---|",
        f"| 工作人员 | {a.staff}人 |",
        f"| 考核月份 | {'、'.join(f'{m}月' for m in r.months)} |",
        f"| 已考核人次 / 应考核人次 | {a.assessed} / {a.expected}（{percent_text(a.completion)}） |",
        f"| 平均得分率 | {percent_text(a.average)} |",
        *([f"| 年度等次分布 | {grades} |"] if grades else []),
        "",
        "个人考核档案（含每人得分）保存在科室的受控仓库中，不在本仓库公开。",
        "",
    ]
    return "\n".join(body)


def _toml_string(text: str) -> str:
    """`text` as a TOML basic string: JSON's escapes (\\", \\\\, \\uXXXX) are TOML's, so a quotation
    mark or a backslash in a section's name cannot end the string or the front matter."""
    return json.dumps(text, ensure_ascii=False)


def _toml_key(key: str) -> str:
    """`key` bare where TOML allows it (staff_rate), else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)
