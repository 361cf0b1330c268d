"""The terminal table of unit totals (`kaohe score`, the default format); CJK text is two columns wide.

Every value from the repository is printed through :func:`~generator.controlchars.one_line`: a unit
name holding an escape sequence or a newline shows it as ``\\x1b`` or ``\\n`` instead of acting on
the terminal or breaking the table.
"""

from __future__ import annotations

import unicodedata

from ..controlchars import one_line
from ..score.results import STATUS_LABELS, IndicatorResult, Results
from .base import Options, OutputFormat
from .jsonout import dec


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def render_table(rows: list[list[str]], right: set[int]) -> str:
    """Aligned columns under a rule; every cell is made printable first."""
    rows = [[one_line(cell) for cell in row] for row in rows]
    sizes = [max(width(row[k]) for row in rows) for k in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(pad(cell, sizes[k], k in right) for k, cell in enumerate(row)).rstrip())
        if n == 0:
            out.append("  ".join("-" * s for s in sizes))
    return "\n".join(out) + "\n"


def lines_text(ind: IndicatorResult) -> str:
    """Deductions, then bonus awards (marked +), with their reasons, as one cell."""
    parts = [f"{d.reason}（{dec(d.amount)}）" for d in ind.deductions]
    parts += [f"{a.reason}（+{dec(a.amount)}）" for a in ind.awards]
    return "；".join(parts)


def table(results: Results, options: Options) -> str:
    head = one_line(f"{results.year} {results.framework_title}（截至 {results.as_of}）") + "\n"
    by_rate = results.rank_by == "rate"
    mid_year = any(u.year_max != u.max for u in results.units)
    if by_rate:
        head += "按得分率（总分÷满分）排名。\n"
    if mid_year:
        head += "满分为截至评分日已到期的分值；全年满分另列。\n"
    head_row = [
        "排名",
        "单位",
        "序列",
        "总分",
        "满分",
        *(["全年满分"] * mid_year),
        "失分",
        *(["得分率"] * by_rate),
        "等次",
    ]
    rows = [head_row]
    for u in results.units:
        rank = f"{u.rank}{'=' if u.tied else ''}"
        rate = f"{dec(u.rate)}%" if u.rate is not None else "—"
        rows.append(
            [
                rank,
                u.name,
                u.series,
                dec(u.total) or "",
                dec(u.max) or "",
                *([dec(u.year_max) or ""] * mid_year),
                dec(u.lost) or "",
                *([rate] * by_rate),
                u.grade or "—",
            ]
        )
    text = head + "\n" + render_table(rows, set(range(len(rows[0]) - 1)) - {1, 2})
    if options.detail:
        for u in results.units:
            text += "\n" + one_line(f"{u.name}（{u.id}）") + "\n"
            lines = [["指标", "状态", "得分", "分值", "扣分理由"]]
            for ind in u.indicators:
                status = STATUS_LABELS[ind.status]["zh"]
                lines.append([ind.id, status, dec(ind.score) or "", dec(ind.max) or "", lines_text(ind)])
            text += render_table(lines, {2, 3})
    return text


FORMAT = OutputFormat("table", "a table of totals for the terminal (--detail: every indicator)", table)
