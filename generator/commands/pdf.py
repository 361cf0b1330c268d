"""`kaohe pdf --year Y`: the year's score sheets and overview as PDF files, ready to sign and file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..messages import tr
from ..output.outpath import output_folder, remove_made
from ..problems import InputError
from ..provenance import Provenance
from ..publish.folder import data_holding
from ..workspace import add_filing_dates_flag, find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("pdf", parents=[common], help=tr("pdf.help"), description=tr("pdf.description"))
    p.add_argument("--year", type=int, required=True, help=tr("pdf.year.help"))
    p.add_argument("-o", "--out", help=tr("pdf.out.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..render.pdf import printing_modules
    from ..render.years import years

    root = find_root(Path(args.repo or "."))
    known = years(root)
    if args.year not in known:
        raise InputError("pdf.no-year", year=args.year, years=known or tr("value.none"))
    out = (Path(args.out) if args.out else root / "pdf" / str(args.year)).resolve()
    folder = data_holding(out, root)  # frameworks/, evidence/ or git's own folder
    if folder is not None:
        raise InputError("pdf.out-in-data", out=out, folder=folder)
    printing_modules()  # all said before any work: playwright, pypdf and Chromium missing,
    made = output_folder(out, "-o")  # -o a file, or a place no file can be made in
    try:
        written = _print(root, args.year, not args.no_filing_dates, out)
    except BaseException:
        remove_made(made)  # a refusal or a failure leaves no empty folder behind
        raise
    for path in written:
        print(path)
    print(f"kaohe pdf: {tr('pdf.written', count=len(written), out=out)}", file=sys.stderr)
    return 0


def _print(root: Path, year: int, filing_dates: bool, out: Path) -> list[Path]:
    """Build the year as a draft in a temporary folder and print it into `out`."""
    from ..render.build import build_year
    from ..render.pdf import Printout, file_names, print_year
    from ..render.years import load_year

    loaded = load_year(root, year, filing_dates)
    title = loaded.assessment.title or tr("site.year_title", year=year)
    overview = tr("site.overview")
    units = loaded.results.units
    # every file name decided first: the year's file, the overview, then a file per unit
    names = file_names(
        [(f"{year}-{title}", None), (f"{year}-{overview}", None)] + [(f"{year}-{u.name}", u.id) for u in units]
    )
    printouts = [Printout("index.html", overview, names[1])]
    printouts += [Printout(f"units/{u.id}.html", u.name, name) for u, name in zip(units, names[2:], strict=True)]
    from ..render.siteconfig import repository_config

    with tempfile.TemporaryDirectory(prefix="kaohe-pdf-") as tmp:
        year_dir = Path(tmp) / str(year)
        build_year(
            root,
            year,
            year_dir,
            Provenance(),
            config_file=repository_config(root),
            filing_dates=filing_dates,
        )
        return print_year(year_dir, printouts, names[0], out)
