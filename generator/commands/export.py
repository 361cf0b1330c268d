"""`kaohe export --year Y [--unit U] -o FILE.xlsx`: the year's results as an Excel workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..messages import tr
from ..output.outpath import PendingFile
from ..output.xlsx import workbook
from ..output.xlsxmark import written_by_kaohe
from ..problems import InputError
from ..publish.folder import data_holding
from ..score import score_assessment
from ..tree import find_root
from ..workspace import add_filing_dates_flag
from .score import add_period_flag, open_scoring, parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help=tr("export.help"), description=tr("export.description"))
    p.add_argument("--year", type=int, help=tr("export.year.help"))
    p.add_argument("--unit", action="append", help=tr("export.unit.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("export.as-of.help"))
    add_period_flag(p)
    p.add_argument("-o", "--output", required=True, help=tr("export.output.help"))
    p.add_argument("--site-url", help=tr("export.site-url.help"))
    p.add_argument("--rev", help=tr("export.rev.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def site_url_of(root: Path) -> str | None:
    """`site_url` of the repository's mkdocs.yml (with what it inherits), read as the site's build reads it."""
    from ..render.siteconfig import read_yaml

    path = root / "mkdocs.yml"
    if not path.is_file():
        return None
    url = read_yaml(path).get("site_url")
    return _check_url(url) if isinstance(url, str) and url.strip() else None


def _check_url(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise InputError("export.bad-url", url=url)
    return url


def _destination(text: str, root: Path) -> Path | None:
    """Where the workbook goes (None: standard output), refused now when it cannot go there."""
    if text == "-":
        if sys.stdout.isatty():  # a zip's bytes would garble the terminal
            raise InputError("export.terminal")
        return None
    path = Path(text)
    if path.suffix.lower() != ".xlsx":
        raise InputError("export.not-xlsx", output=text)
    if path.is_symlink():  # the workbook is renamed over the path: the link, not its target, would go
        raise InputError("export.is-link", output=text)
    resolved = path.resolve()
    folder = data_holding(resolved, root)  # frameworks/, evidence/ or git's own folder
    if folder is not None:
        raise InputError("export.inside-data", output=text, folder=folder)
    if not resolved.parent.is_dir():
        raise InputError("export.no-folder", output=text, folder=resolved.parent)
    if resolved.exists() and not resolved.is_dir() and not (resolved.is_file() and written_by_kaohe(resolved)):
        raise InputError("export.not-ours", output=text)  # a pipe or socket too; a folder is PendingFile's refusal
    return path


def run(args: argparse.Namespace) -> int:
    target = _destination(args.output, find_root(Path(args.repo or ".")))  # before any work
    pending = PendingFile(target, "-o", ".xlsx.tmp") if target is not None else None
    try:
        ws, assessment, period = open_scoring(args)
        url = _check_url(args.site_url) if args.site_url else site_url_of(ws.root)  # links only with a site
        results = score_assessment(assessment, args.as_of, args.unit, period)
        data = workbook(results, assessment.framework, site_url=url)
        if pending is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            return 0
        pending.commit(data)
    finally:
        if pending is not None:
            pending.discard()  # nothing left once renamed; the temporary file when anything failed
    print(tr("export.wrote", target=target, n=len(results.units), year=assessment.year))
    return 0
