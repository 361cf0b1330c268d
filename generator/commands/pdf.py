"""`kaohe pdf --year Y`: the year's score sheets and overview as PDF files, ready to sign and file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..messages import tr
from ..problems import InputError
from ..provenance import Provenance
from ..workspace import add_filing_dates_flag, find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("pdf", parents=[common], help=tr("pdf.help"), description=tr("pdf.description"))
    p.add_argument("--year", type=int, required=True, help=tr("pdf.year.help"))
    p.add_argument("-o", "--out", help=tr("pdf.out.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..render.build import build_year
    from ..render.pdf import Printout, file_name, print_year
    from ..render.years import load_year, years

    root = find_root(Path(args.repo or "."))
    known = years(root)
    if args.year not in known:
        raise InputError("pdf.no-year", year=args.year, years=known or tr("value.none"))
    out = (Path(args.out) if args.out else root / "pdf" / str(args.year)).resolve()
    for data in ("frameworks", "evidence"):
        folder = (root / data).resolve()
        if out == folder or folder in out.parents:
            raise InputError("pdf.out-in-data", out=out, folder=f"{data}/")
    loaded = load_year(root, args.year, not args.no_filing_dates)
    title = loaded.assessment.title or tr("site.year_title", year=args.year)
    overview = tr("site.overview")
    printouts = [Printout("index.html", overview, file_name(f"{args.year}-{overview}") + ".pdf")]
    printouts += [
        Printout(f"units/{u.id}.html", u.name, file_name(f"{args.year}-{u.name}") + ".pdf")
        for u in loaded.results.units
    ]
    config = root / "mkdocs.yml"
    with tempfile.TemporaryDirectory(prefix="kaohe-pdf-") as tmp:
        year_dir = Path(tmp) / str(args.year)
        build_year(
            root,
            args.year,
            year_dir,
            Provenance(),
            config_file=config if config.is_file() else None,
            filing_dates=not args.no_filing_dates,
        )
        written = print_year(year_dir, printouts, f"{args.year}-{title}", out)
    for path in written:
        print(path)
    print(f"kaohe pdf: {tr('pdf.written', count=len(written), out=out)}", file=sys.stderr)
    return 0
