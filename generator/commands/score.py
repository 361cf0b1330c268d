"""`kaohe score`: scores of every unit (or some) for one year, in any registered output format."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..messages import tr
from ..output import FORMATS, Options
from ..problems import InputError, did_you_mean
from ..score import score_assessment
from ..workspace import add_filing_dates_flag, open_year


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("score", parents=[common], help=tr("score.help"), description=tr("score.description"))
    p.add_argument("--year", type=int, help=tr("score.year.help"))
    p.add_argument("--unit", action="append", help=tr("score.unit.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("score.as-of.help"))
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        default=next(iter(FORMATS)),
        help=tr("value.sentence-separator").join(f"{f.name}: {tr(f.help)}" for f in FORMATS.values()),
    )
    p.add_argument("--detail", action="store_true", help=tr("score.detail.help"))
    p.add_argument("--rev", help=tr("score.rev.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("cli.not-a-date", value=text)) from None


def run(args: argparse.Namespace) -> int:
    _, assessment = open_year(args.repo, args.rev, args.year, "off" if args.no_filing_dates else "required")
    year = assessment.year
    unknown = [u for u in args.unit or [] if assessment.unit(u) is None]
    if unknown:
        known = [u.id for u in assessment.units]
        raise InputError("score.unknown-unit", unit=unknown[0], year=year, suggestion=did_you_mean(unknown[0], known))
    if args.as_of and args.as_of.year != year:
        raise InputError("score.as-of-outside-year", as_of=args.as_of, year=year)
    results = score_assessment(assessment, args.as_of, args.unit)
    output = FORMATS[args.format].render(results, Options(detail=args.detail))
    if isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)
    return 0
