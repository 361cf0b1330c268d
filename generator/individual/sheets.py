"""The private output: a sheet per person, the section's summary and the quarterly reports, as plain
HTML (and CSV) in a folder of its own — never the results site, never a search index.

The folder carries a marker file; kaohe replaces a folder only when the marker says kaohe wrote it,
and never one inside the repository's data.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..messages import tr
from ..problems import InputError
from ..types import plain
from .report import percent_text, quarter_report, report_csv, report_rows
from .scoring import IndividualResults

MARKER = "kaohe-individual.json"


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.individual", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["d"] = lambda v: plain(v) if v is not None else "—"
    env.globals["pct"] = percent_text
    return env


def render_pages(results: IndividualResults) -> dict[str, str]:
    """Relative path → file text, for every page and report."""
    env = _env()
    s = results.settings
    lines = env.get_template("_lines.html")

    def show(u: object) -> Markup:
        return Markup(lines.render(u=u))

    quarters = sorted({(m - 1) // 3 + 1 for m in s.months})
    pages = {
        "index.html": env.get_template("index.html").render(
            title=tr("individual.sheet.title", name=s.section_name, year=s.year), s=s, r=results, quarters=quarters
        )
    }
    person = env.get_template("person.html")
    for p in results.persons:
        pages[f"staff/{p.id}.html"] = person.render(
            title=tr("individual.sheet.title", name=p.name, year=s.year), s=s, p=p, lines=show
        )
    report = env.get_template("report.html")
    for q in quarters:
        r = quarter_report(results, s.year, q)
        title = tr("individual.report.title", section=s.section_name, year=s.year, quarter=q)
        pages[f"report-{s.year}-Q{q}.html"] = report.render(title=title, s=s, q=r, rows=report_rows(r))
        pages[f"report-{s.year}-Q{q}.csv"] = report_csv(r)
    return pages


def write_private_site(results: IndividualResults, out: Path, root: Path) -> list[str]:
    """Write the pages into `out` in one step; replace it only when kaohe wrote it before."""
    out = out.resolve()
    root = root.resolve()
    for data in ("frameworks", "evidence"):
        if out == root or out.is_relative_to(root / data) or (root / data).is_relative_to(out):
            raise InputError("individual.output-in-data", out=out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise InputError("individual.output-foreign", out=out)
    pages = render_pages(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kaohe-individual-", dir=out.parent))
    try:
        for rel, text in pages.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (staging / MARKER).write_text('{"written_by": "kaohe individual build"}\n', encoding="utf-8")
        if out.exists():
            old = out.with_name(out.name + ".old-kaohe")
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return sorted(pages)
