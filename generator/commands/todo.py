"""`kaohe todo`: the progress board of an assessment year — what is due, missing or filed, and what it costs."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..messages import tr
from ..output import todoout
from ..problems import InputError, did_you_mean
from ..todo import build_board, default_as_of
from ..workspace import add_filing_dates_flag, open_year, tell_incomplete
from .score import parse_date

FORMATS = {"text": todoout.text, "json": todoout.to_json, "ics": todoout.to_ics}


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("todo", parents=[common], help=tr("todo.help"), description=tr("todo.description"))
    p.add_argument("--year", type=int, help=tr("todo.year.help"))
    p.add_argument("--unit", action="append", help=tr("score.unit.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("todo.as-of.help"))
    p.add_argument("--soon", type=_days, default=30, metavar="N", help=tr("todo.soon.help"))
    p.add_argument("--format", choices=list(FORMATS), default="text", help=tr("todo.format.help"))
    p.add_argument("--rev", help=tr("todo.rev.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 366:
        raise argparse.ArgumentTypeError(tr("todo.not-days", value=text))
    return days


def run(args: argparse.Namespace) -> int:
    year = args.year if args.year is not None else (args.as_of.year if args.as_of else None)
    ws, assessment = open_year(args.repo, args.rev, year, "off" if args.no_filing_dates else "required")
    tell_incomplete(ws, "todo")
    year = assessment.year
    unknown = [u for u in args.unit or [] if assessment.unit(u) is None]
    if unknown:
        known = [u.id for u in assessment.units]
        raise InputError("todo.unknown-unit", unit=unknown[0], year=year, suggestion=did_you_mean(unknown[0], known))
    today = None
    as_of = args.as_of
    if as_of is None:
        today = date.today()
        as_of = default_as_of(year, today)
    elif as_of.year != year:
        raise InputError("todo.as-of-outside-year", as_of=as_of, year=year)
    board = build_board(assessment, as_of, args.soon, args.unit, today)
    sys.stdout.write(FORMATS[args.format](board))
    return 0
