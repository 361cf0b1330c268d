"""The CSV files a sheet and the overview offer for download: the tables a reader sees, for Excel.

Excel opens a CSV as UTF-8 only when it starts with a byte order mark, and reads headers as
written: the headers are the page's own Chinese words. Every text cell goes through
:func:`..output.escape.csv_cell`, so a reason starting with "=" stays text, not a formula.
Numbers are the same decimals the page shows.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..messages import tr
from ..output.escape import csv_cell
from ..output.jsonout import dec

if TYPE_CHECKING:
    from ..score.results import Line
    from .pages import PageContext

BOM = "\ufeff"


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return BOM + buffer.getvalue()


def _num(value) -> str:
    return dec(value) or "0"


def _from_period(site: Any, line: Line) -> str:
    """ "第三季度×0.25：" as the sheet marks a line the year took from a period ("" for its own)."""
    if not line.period:
        return ""
    return tr("output.line.from-period", period=site.period_title(line.period), weight=dec(line.weight))


def sheet_csv(page: PageContext, key: str) -> str:
    """One row per indicator as the sheet shows it, then the unit's total."""
    site, t = page.site, page.site.t
    unit = site.results.unit(key)
    assert unit is not None
    lost, reason = site.loss_headers(unit.indicators)  # 扣分, 未得分 (得分制) or 失分 (both)
    head = [t["category"], t["seq"], t["indicator"], t["points"], t["score"], lost, t["bonus"], t["status"]]
    rows = [[*head, reason]]
    titles = {c.id: c.title for c in site.framework.categories}
    for row in unit.indicators:
        bonus = site.is_bonus(row)
        counted = site.counts(row)
        lines = tr("value.sentence-separator").join(
            tr(
                "site.download.line",
                amount=page.amount(line, row.method),
                reason=_from_period(site, line) + line.reason,
            )
            for line in row.lines
        )
        rows.append(
            [
                csv_cell(titles.get(row.category, row.category)),
                site.section(row),
                csv_cell(row.title),
                _num(row.max) if counted else "",
                "" if bonus or not counted else _num(row.score),
                "" if bonus or not counted else _num(site.lost(row)),
                _num(row.score) if bonus and counted else "",
                t[f"status.{row.status}"],
                csv_cell(lines),
            ]
        )
    for line in unit.adjustments:
        label = csv_cell(f"{t['adjustments']}{t['colon']}{line.reason}")
        rows.append(["", "", label, "", "", "", _num(line.amount), "", ""])
    earned, bonus = _num(unit.total - unit.bonus), _num(unit.bonus)
    formula = t.format("total_formula", total=_num(unit.total), earned=earned, bonus=bonus)
    rows.append(["", "", t["total"], _num(unit.max), earned, _num(unit.lost), bonus, "", formula])
    return _csv(rows)


def overview_csv(page: PageContext, key: str = "") -> str:
    """One row per unit: series, rank, totals, grade, vetoes, then each category's score."""
    site, t = page.site, page.site.t
    cats = site.framework.categories
    head = [t["series"], t["rank"], t["tied"], t["unit"], t["total"], t["max"], t["lost_total"], t["bonus"]]
    head += [t["rate"], t["grade"], t["veto_list"], *[csv_cell(c.title) for c in cats]]  # titles are data too
    rows = [head]
    for u in site.results.units:
        scores = {c.id: c for c in u.categories}
        rows.append(
            [
                csv_cell(page.series_title(u.series)),
                str(u.rank),
                t["tied"] if u.tied else "",
                csv_cell(u.name),
                _num(u.total),
                _num(u.max),
                _num(u.lost),
                _num(u.bonus),
                page.rate(u),
                csv_cell(page.grade(u)),
                csv_cell(tr("value.sentence-separator").join(site.indicator_title(row) for row in site.vetoes(u))),
                *[_num(scores[c.id].score) if c.id in scores else "" for c in cats],
            ]
        )
    return _csv(rows)
