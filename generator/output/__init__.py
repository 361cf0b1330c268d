"""Output formats of `kaohe score`: one module each, registered here once.

To add a format (xlsx, say), write a module under ``generator/output/`` that defines
``FORMAT = OutputFormat(name, help, render)``, where ``render(results, options)`` returns the
whole output (``str``, or ``bytes`` for a binary format), and add it to ``FORMATS`` below:
``kaohe score --format`` offers it, lists its help and calls it; nothing else changes. Values from
the repository are escaped for the medium (:mod:`.escape`); status names and their labels come
from :data:`generator.score.results.STATUS_LABELS`.

``kaohe diff`` renders a comparison, not a scoring: its markdown and JSON are in :mod:`.diffout`.
"""

from __future__ import annotations

from . import csvexcel, csvout, jsonout, table
from .base import Options, OutputFormat

#: `--format` name → format, in the order `--help` lists them; the first is the default.
FORMATS: dict[str, OutputFormat] = {
    f.name: f for f in (table.FORMAT, jsonout.FORMAT, csvout.FORMAT, csvexcel.EXCEL, csvexcel.WIDE)
}

__all__ = ["FORMATS", "Options", "OutputFormat"]
