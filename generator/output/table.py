"""Terminal table and CSV of unit totals; CJK text is two columns wide in a terminal."""

from __future__ import annotations

import csv
import io
import unicodedata

from ..score.results import IndicatorResult, Results
from .jsonout import dec

STATUS_ZH = {
    "scored": "已评分",
    "not_applicable": "不适用",
    "not_due": "未到期",
    "vetoed": "否决",
    "unscored": "不计分",
}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def render_table(rows: list[list[str]], right: set[int]) -> str:
    sizes = [max(width(row[k]) for row in rows) for k in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(pad(cell, sizes[k], k in right) for k, cell in enumerate(row)).rstrip())
        if n == 0:
            out.append("  ".join("-" * s for s in sizes))
    return "\n".join(out) + "\n"


def _lines(ind: IndicatorResult) -> str:
    """Deductions, then bonus awards (marked +), as one cell."""
    parts = [f"{d.reason}（{dec(d.amount)}）" for d in ind.deductions]
    parts += [f"{a.reason}（+{dec(a.amount)}）" for a in ind.awards]
    return "；".join(parts)


def table(results: Results, detail: bool = False) -> str:
    head = f"{results.year} {results.framework_title}（截至 {results.as_of}）\n"
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
    if detail:
        for u in results.units:
            text += f"\n{u.name}（{u.id}）\n"
            lines = [["指标", "状态", "得分", "分值", "扣分理由"]]
            for ind in u.indicators:
                lines.append([ind.id, STATUS_ZH[ind.status], dec(ind.score) or "", dec(ind.max) or "", _lines(ind)])
            text += render_table(lines, {2, 3})
    return text


CSV_COLUMNS = [
    "year",
    "unit",
    "name",
    "series",
    "rank",
    "tied",
    "total",
    "max",
    "grade",
    "indicator",
    "status",
    "score",
    "indicator_max",
    "lines",
]


def to_csv(results: Results) -> str:
    """One row per unit and indicator; `lines` holds the deductions and (+) bonus awards with reasons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u in results.units:
        for ind in u.indicators:
            writer.writerow(
                [
                    results.year,
                    u.id,
                    u.name,
                    u.series,
                    u.rank,
                    "yes" if u.tied else "no",
                    dec(u.total),
                    dec(u.max),
                    u.grade or "",
                    ind.id,
                    ind.status,
                    dec(ind.score),
                    dec(ind.max),
                    _lines(ind),
                ]
            )
    return buffer.getvalue()
