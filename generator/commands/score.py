"""`kaohe score`: scores of every unit (or some) for one year, in any registered output format."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..output import FORMATS, Options
from ..problems import InputError, did_you_mean
from ..score import score_assessment
from ..workspace import add_filing_dates_flag, open_year


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "score",
        parents=[common],
        help="score every unit of an assessment year",
        description="Score units. Decimal arithmetic; JSON amounts are decimal strings.",
    )
    p.add_argument("--year", type=int, help="assessment year (default: the latest in evidence/)")
    p.add_argument("--unit", action="append", help="only this unit (repeatable)")
    p.add_argument("--as-of", type=parse_date, help="count only evidence and findings dated up to YYYY-MM-DD")
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        default=next(iter(FORMATS)),
        help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()),
    )
    p.add_argument("--detail", action="store_true", help="with --format table: every indicator of every unit")
    p.add_argument("--rev", help="score a git revision instead of the working tree")
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2010-06-30") from None


def run(args: argparse.Namespace) -> int:
    _, assessment = open_year(args.repo, args.rev, args.year, "off" if args.no_filing_dates else "required")
    year = assessment.year
    unknown = [u for u in args.unit or [] if assessment.unit(u) is None]
    if unknown:
        known = [u.id for u in assessment.units]
        raise InputError(f"unknown unit '{unknown[0]}' in {year}: " + did_you_mean(unknown[0], known))
    if args.as_of and args.as_of.year != year:
        raise InputError(f"--as-of {args.as_of} is outside the assessment year {year}")
    results = score_assessment(assessment, args.as_of, args.unit)
    output = FORMATS[args.format].render(results, Options(detail=args.detail))
    if isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)
    return 0
