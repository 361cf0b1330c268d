"""CSV of `kaohe score`: one row per unit and indicator, for spreadsheets.

The users open it in Excel, so every text cell goes through :func:`.escape.csv_cell`: a reason
beginning with "=" stays text instead of becoming a formula, and control characters and line
breaks are shown as visible escapes (one record per line, for line tools too). Numbers are
kaohe's own decimals and are written as they are (a negative total stays a number).
"""

from __future__ import annotations

import csv
import io

from ..score.results import Results
from .base import Options, OutputFormat
from .escape import csv_cell
from .jsonout import dec
from .table import lines_text

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
    "period",
    "band_note",
]


def to_csv(results: Results, options: Options) -> str:
    """`lines` holds the deductions and (+) bonus awards with their reasons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u in results.units:
        for ind in u.indicators:
            writer.writerow(
                [
                    results.year,
                    csv_cell(u.id),
                    csv_cell(u.name),
                    csv_cell(u.series),
                    u.rank,
                    "yes" if u.tied else "no",
                    dec(u.total),
                    dec(u.max),
                    csv_cell(u.grade or ""),
                    csv_cell(ind.id),
                    ind.status,
                    dec(ind.score),
                    dec(ind.max),
                    csv_cell(lines_text(ind)),
                    csv_cell(results.period.key if results.period is not None else str(results.year)),
                    csv_cell(results.band_notes.get(u.grade or "", "") if u.grade else ""),
                ]
            )
    return buffer.getvalue()


FORMAT = OutputFormat("csv", "output.csv.help", to_csv)
