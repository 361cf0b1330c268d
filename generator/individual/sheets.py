"""The private output: a sheet per person, the section's summary and the quarterly reports, as plain
HTML (and CSV) in a folder of its own — never the results site, never a search index.

The folder carries a marker file listing the files kaohe wrote; kaohe replaces a folder only when
the marker says kaohe wrote it and it holds nothing else (a clerk's own file there is never
deleted: the folder is refused), and never one inside the repository's data. The new folder is
staged beside the old one and exchanged with it in one step; a copy a killed run leaves is
recognised by its marker and removed by the next run, and only when it holds nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..controlchars import one_line
from ..messages import joined, tr
from ..problems import InputError
from ..publish.folder import data_holding
from ..publish.swap import exchange, locked
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
    """Write the pages into `out` in one step; replace it only when it holds nothing but what this
    command wrote there (a file of the clerk's own is never deleted: the folder is refused)."""
    out = _destination(out, root)
    with locked(out, "individual.busy"):
        for leftover in _leftovers(out):  # a killed run's copies: removed when wholly kaohe's
            _refuse_foreign(leftover, "individual.leftover-foreign")
            _remove_own(leftover)
        _refuse_foreign(out, "individual.foreign-file")
        pages = render_pages(results)
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
        try:
            _mark(staging, sorted(pages))  # first: a copy a kill leaves half-written is still known as kaohe's
            for rel, text in pages.items():
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="")  # the CSV's CRLF kept as written
            staging = _put_in_place(staging, out)  # now the old folder, if there was one
        finally:
            _remove_own(staging)
    return sorted(pages)


def _destination(out: Path, root: Path) -> Path:
    out = out.resolve()
    root = root.resolve()
    if out == root or root.is_relative_to(out) or data_holding(out, root) is not None:  # git's folder too
        raise InputError("individual.output-in-data", out=out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not _marked(out))):
        raise InputError("individual.output-foreign", out=out)
    return out


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.kaohe-new-"


def _leftovers(out: Path) -> list[Path]:
    """Copies of `out` a killed run left beside it: its staging folders, and the old folder of the
    two renames (``DIR.old-kaohe``: a kill between them leaves it, and DIR absent)."""
    if not out.parent.is_dir():
        return []
    legacy = out.with_name(out.name + ".old-kaohe")
    found = [p for p in out.parent.iterdir() if p.name.startswith(_staging_prefix(out))]
    return sorted(found) + ([legacy] if os.path.lexists(legacy) else [])


def _put_in_place(staging: Path, out: Path) -> Path:
    """Make `staging` the folder `out`; return the folder now holding the previous one (to delete)."""
    if not out.exists():
        staging.rename(out)
        return staging  # gone: nothing to delete
    if exchange(staging, out):
        return staging  # the previous folder now carries the staging name
    old = out.with_name(out.name + ".old-kaohe")
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    return old


# -- what this command wrote -------------------------------------------------------------------------

#: The files of a folder whose marker does not list them (written before the marker listed them).
_OWN_FILE = re.compile(r"^(index\.html|staff/[^/]+\.html|report-[0-9]{4}-Q[1-4]\.(html|csv))$")


def _marked(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def _mark(folder: Path, files: list[str]) -> None:
    """The marker: who wrote the folder, and every file it wrote (what a later run may delete)."""
    data = {"written_by": "kaohe individual build", "files": files}
    (folder / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _listed(folder: Path) -> set[str] | None:
    """The files `folder`'s marker lists; None for a marker an earlier kaohe wrote, which lists none
    (then the names tell). A marker that cannot be read is refused: falling back to the names would
    delete a clerk's file that happens to be named like a sheet (staff/appeal-p01.html)."""
    marker = folder / MARKER
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict) and "files" not in data and data.get("written_by"):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        return set(files)
    raise InputError("individual.marker-damaged", marker=one_line(str(marker)), folder=one_line(str(folder)))


def _survey(folder: Path) -> tuple[list[Path], list[str]]:
    """(kaohe's files in `folder`, the entries it did not write there), without following any link.

    A folder without the marker is kaohe's only while empty (a staging folder killed at birth).
    """
    if folder.is_symlink() or not folder.is_dir():
        return [], [folder.name]
    if not _marked(folder):
        entries = sorted(e.name for e in folder.iterdir())
        return [], entries
    listed = _listed(folder)

    def own_file(rel: str) -> bool:
        return rel in listed if listed is not None else bool(_OWN_FILE.match(rel))

    def own_folder(rel: str) -> bool:
        return any(f.startswith(rel + "/") for f in listed) if listed is not None else rel == "staff"

    own: list[Path] = []
    foreign: list[str] = []

    def visit(here: Path) -> None:
        for entry in sorted(here.iterdir()):
            rel = entry.relative_to(folder).as_posix()
            if entry.is_symlink():
                foreign.append(rel)
            elif entry.is_dir():
                if own_folder(rel):
                    visit(entry)
                else:
                    foreign.append(rel + "/")
            elif entry.is_file() and (rel == MARKER or own_file(rel)):
                own.append(entry)
            else:
                foreign.append(rel)

    visit(folder)
    return own, foreign


#: Entries named in a refusal, before "… N in all".
SHOWN = 5


def _refuse_foreign(folder: Path, code: str) -> None:
    """Refuse `folder` (exit 1) when it holds anything this command did not write, naming it."""
    if not os.path.lexists(folder):
        return
    _, foreign = _survey(folder)
    if foreign:
        shown = joined("value.list-separator", [one_line(f) for f in foreign[:SHOWN]])
        raise InputError(code, folder=one_line(str(folder)), files=shown, count=len(foreign))


def _remove_own(folder: Path) -> None:
    """Delete what kaohe wrote in `folder` (checked by :func:`_refuse_foreign`), the marker last, then
    the folder; anything else stays (and so does the folder holding it)."""
    if not folder.is_dir() or folder.is_symlink():
        return
    own, _ = _survey(folder)
    for path in own:
        if path.name != MARKER or path.parent != folder:
            path.unlink()
    for sub in sorted({p.parent for p in own if p.parent != folder}, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()
    (folder / MARKER).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # not when something else is in it
