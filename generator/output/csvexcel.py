"""CSV for Excel: Chinese headers, a byte-order mark, one row per unit and indicator or one per unit.

A grade is printed as the table, the workbook and the site print it, with its band's short note
(优秀（拟定示例）): a band the document does not print says so wherever a person reads a grade.

Excel on a Chinese Windows desktop reads a CSV without a BOM as GBK and shows UTF-8 as mojibake;
with the BOM it reads UTF-8. The plain `csv` format stays as it is, for scripts. Text cells go
through :func:`.escape.csv_cell` (text a spreadsheet would take for a formula stays text); the
lines end in CRLF, as Excel writes CSV itself.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..messages import tr
from ..score.results import IndicatorResult, Results, UnitResult, loss_method, status_label
from .base import Options, OutputFormat
from .escape import csv_cell
from .jsonout import dec
from .table import period_mark

BOM = "\ufeff"
#: The columns, each worded by the catalogue entry "csv.col.<key>" (Chinese headers by default).
LONG_COLUMNS = [
    "year",
    "unit-id",
    "unit",
    "series",
    "rank",
    "tied",
    "total",
    "max",
    "grade",
    "category",
    "seq",
    "indicator-id",
    "indicator",
    "status",
    "points",
    "score",
    "lost",
    "reason",
]
WIDE_FIXED = ["rank", "unit-id", "unit", "series", "total", "max", "lost-total", "bonus", "grade"]
#: The numerals of the source documents' table numbering (一、二、…): the document's structure, as printed.
CN = "一二三四五六七八九十"


def _headers(keys: list[str]) -> list[str]:
    return [tr(f"csv.col.{k}") for k in keys]


def _long_headers(results: Results) -> list[str]:
    """The long file's headers, its 扣分 and 扣分理由 worded by the rows it lists
    (:func:`..score.results.loss_method`): 未得分 where all are 得分制 (辽阳 第十条, 第十二条: nothing is
    deducted there), 失分 and 扣分或未得分理由 where both kinds are listed, 扣分 where all deduct."""
    method = loss_method(i for u in results.units for i in u.indicators if i.status in ("scored", "vetoed"))
    words = {"earned": ("lost.earned", "reason.earned"), "mixed": ("lost-total", "reason.mixed")}
    lost, reason = words.get(method, ("lost", "reason"))
    return _headers([{"lost": lost, "reason": reason}.get(k, k) for k in LONG_COLUMNS])


def _lost(ind: IndicatorResult) -> str:
    """What the row lost: nothing for a 加分 row (a unit not awarded a bonus lost nothing, 第十三条)."""
    if ind.status not in ("scored", "vetoed"):
        return ""
    return dec(Decimal(0) if ind.method == "bonus" else ind.lost)


def _status(ind: IndicatorResult) -> str:
    return status_label(ind.status)


def _reasons(unit: UnitResult, ind: IndicatorResult) -> str:
    """Each line with how it counts, as the site prints it: −0.1 deducted, +0.3 given back or awarded."""
    parts = [
        f"{period_mark(unit, d)}{d.reason}（{'+' + dec(-d.amount) if d.amount < 0 else '−' + dec(d.amount)}）"
        for d in ind.deductions
    ]
    parts += [f"{period_mark(unit, a)}{a.reason}（+{dec(a.amount)}）" for a in ind.awards]
    return "；".join(parts)


def _encoded(buffer: io.StringIO) -> bytes:
    """UTF-8 with the byte-order mark, whatever the terminal's encoding."""
    return (BOM + buffer.getvalue()).encode("utf-8")


def _numbers(unit: UnitResult) -> dict[str, str]:
    """Each category's printed number, 一 二 三 …, by id."""
    return {c.id: CN[n] if n < len(CN) else str(n + 1) for n, c in enumerate(unit.categories)}


def long_csv(results: Results, options: Options) -> bytes:
    """One row per unit and indicator, as the site's score sheets list them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_long_headers(results))
    for u in results.units:
        numbers = _numbers(u)
        titles = {c.id: c.title for c in u.categories}
        for ind in u.indicators:
            scored = ind.status in ("scored", "vetoed")
            writer.writerow(
                [
                    results.year,
                    csv_cell(u.id),
                    csv_cell(u.name),
                    csv_cell(results.series_label(u.series)),
                    u.rank,
                    tr("value.yes") if u.tied else "",
                    dec(u.total),
                    dec(u.max),
                    csv_cell(results.grade_label(u.grade)),
                    csv_cell(f"{numbers[ind.category]}、{titles[ind.category]}"),
                    csv_cell(ind.seq),
                    csv_cell(ind.id),
                    csv_cell(ind.title),
                    _status(ind),
                    dec(ind.points) or "",
                    dec(ind.score) if scored else "",
                    _lost(ind),
                    csv_cell(_reasons(u, ind)),
                ]
            )
    return _encoded(buffer)


def wide_csv(results: Results, options: Options) -> bytes:
    """One row per unit: totals, then each category's score, then each indicator's."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if not results.units:
        writer.writerow(_headers(WIDE_FIXED))
        return _encoded(buffer)
    first = results.units[0]
    numbers = _numbers(first)
    categories = [f"{numbers[c.id]}、{c.title}" for c in first.categories]
    indicators = [f"{numbers[i.category]}.{i.seq or i.id}" for i in first.indicators]
    writer.writerow([*_headers(WIDE_FIXED), *map(csv_cell, categories), *map(csv_cell, indicators)])
    for u in results.units:
        series = csv_cell(results.series_label(u.series))
        row: list[object] = [u.rank, csv_cell(u.id), csv_cell(u.name), series, dec(u.total)]
        row += [dec(u.max), dec(u.lost), dec(u.bonus), csv_cell(results.grade_label(u.grade))]
        row += [dec(c.score) for c in u.categories]
        row += [dec(i.score) if i.status in ("scored", "vetoed") else _status(i) for i in u.indicators]
        writer.writerow(row)
    return _encoded(buffer)


EXCEL = OutputFormat("csv-excel", "output.csv-excel.help", long_csv)
WIDE = OutputFormat("csv-wide", "output.csv-wide.help", wide_csv)
