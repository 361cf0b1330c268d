"""`kaohe pdf --year Y`: the year's score sheets and overview as PDF files, ready to sign and file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..problems import InputError
from ..provenance import Provenance
from ..workspace import add_filing_dates_flag, find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "pdf",
        parents=[common],
        help="print a year's score sheets and overview to PDF (one per unit, one for the year)",
        description="Build the year from the working tree as a draft and print, with the system's "
        "Chromium, the overview and every unit's score sheet to A4 PDF: one file per unit and one "
        "for the year (overview first, a bookmark per unit). Needs: pip install 'kaohe[pdf]'.",
    )
    p.add_argument("--year", type=int, required=True, help="the assessment year")
    p.add_argument("-o", "--out", help="output folder (default: pdf/<year>/ in the repository)")
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..render.build import build_year
    from ..render.pdf import Printout, file_name, print_year
    from ..render.years import load_year, years

    root = find_root(Path(args.repo or "."))
    known = years(root)
    if args.year not in known:
        raise InputError(
            f"no assessment for {args.year}: years are {', '.join(map(str, known)) or 'none'}", code="pdf.no-year"
        )
    out = (Path(args.out) if args.out else root / "pdf" / str(args.year)).resolve()
    for data in ("frameworks", "evidence"):
        folder = (root / data).resolve()
        if out == folder or folder in out.parents:
            message = f"{out}: PDFs are not written into the repository's {data}/ folder (choose another with -o)"
            raise InputError(message, code="pdf.out-in-data")
    loaded = load_year(root, args.year, not args.no_filing_dates)
    title = loaded.assessment.title or f"{args.year}年度考核结果"
    printouts = [Printout("index.html", "考核总览", file_name(f"{args.year}-考核总览") + ".pdf")]
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
    print(f"kaohe pdf: {len(written)} files in {out}", file=sys.stderr)
    return 0
