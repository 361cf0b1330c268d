"""The terminal table of unit totals (`kaohe score`, the default format); CJK text is two columns wide.

Every value from the repository is printed through
:func:`~generator.controlchars.one_line_isolated`: a unit name holding an escape sequence or a
newline shows it as ``\\x1b`` or ``\\n`` instead of acting on the terminal or breaking the table,
while the isolates the messages put around values are kept. A cell holding right-to-left text is
then isolated (:func:`~generator.controlchars.isolate`): a terminal that lays lines out
bidirectionally (GNOME Terminal, Konsole) would otherwise take a line starting with an Arabic unit
name for a right-to-left one and show the columns in reverse; the two invisible characters take no
column.
"""

from __future__ import annotations

import unicodedata

from ..controlchars import FSI, PDI, isolate, one_line_isolated
from ..messages import isolating, joined, tr
from ..score.results import (
    IndicatorResult,
    Line,
    Results,
    UnitResult,
    effect_key,
    loss_method,
    rate_places,
    status_label,
)
from .base import Options, OutputFormat
from .jsonout import dec


def width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK two, an isolate's FSI and PDI none."""
    return sum(0 if ch in _ZERO_WIDTH else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


_ZERO_WIDTH = frozenset((FSI, PDI))


def shortened(text: str, columns: int) -> str:
    """`text` within `columns` display columns, its end replaced by "…" when cut."""
    if width(text) <= columns:
        return text
    while width(text) > columns - 1:
        text = text[:-1]
    return text + "…"


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def render_table(rows: list[list[str]], right: set[int]) -> str:
    """Aligned columns under a rule; every cell is made printable first."""
    rows = [[isolate(one_line_isolated(cell)) for cell in row] for row in rows]
    sizes = [max(width(row[k]) for row in rows) for k in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(pad(cell, sizes[k], k in right) for k, cell in enumerate(row)).rstrip())
        if n == 0:
            out.append("  ".join("-" * s for s in sizes))
    return "\n".join(out) + "\n"


def lines_text(ind: IndicatorResult) -> str:
    """Deductions, then bonus awards (marked +), with their reasons, as one cell."""
    parts = [tr("output.line.deduction", reason=_from(d) + str(d.reason), amount=dec(d.amount)) for d in ind.deductions]
    parts += [tr("output.line.award", reason=_from(a) + str(a.reason), amount=dec(a.amount)) for a in ind.awards]
    return tr("value.sentence-separator").join(parts)


def period_columns(results: Results) -> list[tuple[str, str]]:
    """(period key, column title) of every period an annual result adds up, in the order of the year."""
    seen: dict[str, str] = {}
    for u in results.units:
        for p in u.periods:
            seen.setdefault(p.period.key, p.title)
    return list(seen.items())


def rollup_note(results: Results) -> str:
    """How the year adds up its periods, in words: 总分 = 2014年第一季度×0.25 + … + 年度考核×1."""
    weights: dict[str, str] = {}
    for u in results.units:
        for p in u.periods:
            weights.setdefault(p.title, dec(p.weight) or "0")
    terms = " + ".join(f"{title}×{weight}" for title, weight in weights.items())
    return tr("output.rollup", terms=terms) if weights else ""


def period_mark(unit: UnitResult, line: Line) -> str:
    """ "2014年第三季度×0.25：" before a line an annual result took from one of its periods, as the
    sheet marks it ("" for the year's own lines): four quarters' lines read the same without it."""
    if not line.period:
        return ""
    title = next((p.title for p in unit.periods if p.period.key == line.period), line.period)
    return tr("output.line.from-period", period=title, weight=dec(line.weight))


def _late(line: Line) -> str:
    """ "[考核结果逾期报送，应于2014-10-05前]" before a finding its assessing department reported late."""
    return tr("output.line.late", deadline=line.late_assessment) if line.late_assessment else ""


def _from(line: Line) -> str:
    """Where a line of an annual result came from, by the period's key: "2014-Q3×0.25：" (nothing
    for the year's own lines), for the CSV, whose `period` column holds the same keys."""
    late = _late(line)
    return tr("output.line.from-period", period=line.period, weight=dec(line.weight)) + late if line.period else late


def table(results: Results, options: Options) -> str:
    """The table, every value in its messages isolated (:func:`.messages.isolating`): a reason in
    Arabic script cannot turn around the "（扣0.5分）" worded after it."""
    with isolating():
        return _table(results, options)


def unit_veto_state(unit: UnitResult) -> str | None:
    """Whether a 一票否决 stands against the unit ("yes"), appeals lifted every one ("revoked"), or
    there is none (None): what the tables print where no 等次 column may show it."""
    if not unit.vetoes:
        return None
    return "revoked" if all(v.revoked for v in unit.vetoes) else "yes"


def unit_veto_word(unit: UnitResult) -> str:
    """A unit's 一票否决 in a column of its own: 是, 已撤销, or nothing."""
    state = unit_veto_state(unit)
    return tr(f"output.unit-veto.{state}") if state else ""


def _table(results: Results, options: Options) -> str:
    """The ranking as a terminal table whose columns add up as the site's overview does: 总分 = 满分 −
    失分 + 加分 (the 加分 column wherever a unit has bonus, so 101.66 of 100 is explained on the line),
    a tie read 并列 as on the site and in the diff, and no 等次 column of dashes for a framework
    without grades."""
    title = tr("output.table.title", year=results.title, title=results.framework_title, as_of=results.as_of)
    head = one_line_isolated(title) + "\n"
    by_rate = results.rank_by == "rate"
    mid_year = any(u.year_max != u.max for u in results.units)
    periods = period_columns(results)
    if periods:
        head += one_line_isolated(tr("output.table.period-columns", rollup=rollup_note(results))) + "\n"
    if by_rate:
        head += tr("output.table.by-rate") + "\n"
    if mid_year:
        head += tr("output.table.mid-year") + "\n"
    notes = results.long_band_notes(u.grade for u in results.units)
    if notes:
        head += one_line_isolated(tr("output.table.band-notes", notes=joined("value.sentence-separator", notes))) + "\n"
    graded = any(u.grade for u in results.units)
    vetoed = any(u.vetoes for u in results.units)  # 一票否决: said even where no grade column shows it
    bonus = any(u.bonus for u in results.units)
    columns = [
        "rank",
        "unit",
        "series",
        "total",
        "max",
        *["year-max"] * mid_year,
        "lost",
        *["bonus"] * bonus,
        *["rate"] * by_rate,
        *["grade"] * graded,
        *["unit-veto"] * vetoed,
    ]
    year_prefix = tr("period.year-prefix", year=results.year)
    head_row = [tr(f"output.col.{c}") for c in columns] + [title.removeprefix(year_prefix) for _, title in periods]
    rows = [head_row]
    places = rate_places(results.units)  # units whose rates differ print differently
    for u in results.units:
        rate = f"{dec(u.rate_to(places))}%" if u.rate is not None else tr("value.none")
        rows.append(
            [
                tr("output.table.rank-tied", rank=u.rank) if u.tied else str(u.rank),
                u.name,
                results.series_label(u.series),
                dec(u.total) or "",
                dec(u.max) or "",
                *([dec(u.year_max) or ""] * mid_year),
                dec(u.lost) or "",
                *([dec(u.bonus) or "0"] * bonus),
                *([rate] * by_rate),
                *([results.grade_label(u.grade) or tr("value.none")] * graded),
                *([unit_veto_word(u)] * vetoed),
                *(_period_total(u, key) for key, _ in periods),
            ]
        )
    text_columns = {k for k, c in enumerate(columns) if c in ("unit", "series", "grade", "unit-veto")}
    text = head + "\n" + render_table(rows, set(range(len(rows[0]))) - text_columns)
    if options.detail:
        for u in results.units:
            text += "\n" + one_line_isolated(tr("output.table.unit", name=u.name)) + "\n" + _detail(u)
    return text


#: Display columns an indicator's text takes in the detail table before it is cut short with "…".
TITLE_COLUMNS = 28


def _detail(u: UnitResult) -> str:
    """A unit's indicators as the sheet lists them, for a clerk at a terminal: each table's title,
    then its rows by 序号 and the start of their text, every deduction worded (扣0.6分, 少扣0.2分).
    Ids stay in `--format json`."""
    titles = {c.id: c.title for c in u.categories}
    rows = [[tr(f"output.col.{c}") for c in ("seq", "indicator", "status", "score", "points")] + [_reason_header(u)]]
    shown = None
    for ind in u.indicators:
        if ind.category != shown:
            shown = ind.category
            rows.append(["", tr("output.table.category", title=titles.get(ind.category, "")), "", "", "", ""])
        score, points = dec(ind.score) or "", dec(ind.max) or ""
        rows.append([ind.seq, _cut(ind.title), status_label(ind.status), score, points, _worded_lines(u, ind)])
    return render_table(rows, {3, 4})


def _reason_header(u: UnitResult) -> str:
    """扣分理由 over lines of 扣分制 rows, 未得分理由 over 得分制 rows (辽阳 第十条, 第十二条: nothing is
    deducted there), 扣分或未得分理由 where the unit has lines of both, as the sheet heads them."""
    method = loss_method(ind for ind in u.indicators if ind.lines)
    return tr("output.col.reason" if method == "deduction" else f"output.col.reason.{method}")


def _cut(text: str, columns: int = TITLE_COLUMNS) -> str:
    """An indicator's text within `columns`, without the "…" the document may end it with (cut
    again, it would read "……")."""
    return shortened(text.rstrip("…"), columns)


def _worded_lines(unit: UnitResult, ind: IndicatorResult) -> str:
    """Deductions, then awards, each with its reason and its effect in the site's words (扣0.6分 in a
    扣分制 row, 未得0.83分 in a 得分制 row, 加1分 in a 加分 row); a line an annual result took from a
    period is marked with the period's title (2014年第三季度×0.25：), as on the sheet and in the
    workbook: the key 2014-Q3 is the command line's, not the clerk's."""
    parts = [
        tr(
            "output.line.deduction",
            reason=period_mark(unit, line) + _late(line) + str(line.reason),
            amount=_effect(line, ind.method),
        )
        for line in ind.lines
    ]
    return tr("value.sentence-separator").join(parts)


def _effect(line: Line, method: str) -> str:
    """扣0.6分, 少扣0.2分 (a cap or 酌情少扣), 未得0.83分, 加1分, 少加0.1分, 否决·扣20分: never a bare sign."""
    amount = dec(abs(line.amount)) or "0"
    key = effect_key(line, method)
    if key.startswith("veto"):
        return tr(f"site.amount.{key}", veto=tr("site.veto"), amount=amount)
    return tr(f"site.amount.{key}", amount=amount)


def _period_total(u: UnitResult, key: str) -> str:
    found = next((p for p in u.periods if p.period.key == key), None)
    return dec(found.total) or "" if found is not None else ""


FORMAT = OutputFormat("table", "output.table.help", table)
