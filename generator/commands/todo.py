"""`kaohe todo`: the progress board of an assessment year — what is due, missing or filed, and what it costs."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..messages import msg, tr
from ..model import Assessment
from ..output import todoout
from ..problems import InputError, did_you_mean
from ..todo import build_board, default_as_of
from ..tree import Tree
from ..workspace import add_filing_dates_flag, open_tree, open_year, tell_incomplete, unit_years, years_in
from .score import parse_date

FORMATS = {"text": todoout.text, "json": todoout.to_json, "ics": todoout.to_ics}


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("todo", parents=[common], help=tr("todo.help"), description=tr("todo.description"))
    p.add_argument("--year", type=int, help=tr("todo.year.help"))
    p.add_argument("--unit", action="append", help=tr("todo.unit.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("todo.as-of.help"))
    p.add_argument("--soon", type=_days, default=30, metavar="N", help=tr("todo.soon.help"))
    p.add_argument("--format", choices=list(FORMATS), default="text", help=tr("todo.format.help"))
    p.add_argument("--rev", help=tr("todo.rev.help"))
    add_filing_dates_flag(p, "todo.no-filing-dates.help")
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
    root, tree = open_tree(args.repo, args.rev)
    years_of = unit_years(tree) if args.unit else {}
    year = args.year if args.year is not None else (args.as_of.year if args.as_of else None)
    if year is None and args.unit:
        year = _latest_year_with(tree, args.unit, years_of)
    filing = "off" if args.no_filing_dates else "required"
    ws, assessment = open_year(args.repo, args.rev, year, filing, opened=(root, tree))
    tell_incomplete(ws, "todo")
    year = assessment.year
    _check_units(assessment, args.unit or [], years_of)
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


def _latest_year_with(tree: Tree, units: list[str], years_of: dict[str, list[int]]) -> int | None:
    """The year to show when units are named without a year: the latest year that has them all.

    A clerk of a unit that left the framework (xingren, in 2010 and 2011 only) asking for its board
    wants that unit's last year, not a refusal naming the latest year's other units. Where that is
    not the latest year, one line on stderr says so. None (the latest year) where no year has them
    all: the refusal then says where each is (:func:`_check_units`)."""
    known = years_in(tree)
    common = set(known).intersection(*(years_of.get(u, []) for u in units))
    if not known or not common or max(common) == known[-1]:
        return None
    year = max(common)
    absent = next(u for u in units if known[-1] not in years_of.get(u, []))
    print(f"kaohe todo: {tr('todo.unit-year', unit=absent, latest=known[-1], year=year)}", file=sys.stderr)
    return year


def _check_units(assessment: Assessment, units: list[str], years_of: dict[str, list[int]]) -> None:
    """Refuse a unit the year does not have: where other years have it, say which and how to ask for
    the latest of them; else the closest id of any year's units."""
    unknown = [u for u in units if assessment.unit(u) is None]
    if not unknown:
        return
    unit = unknown[0]
    years = years_of.get(unit)
    if years:
        suggestion = msg("todo.unknown-unit.in-years", unit=unit, years=years, year=years[-1])
    else:
        suggestion = did_you_mean(unit, {*years_of, *(u.id for u in assessment.units)})
    raise InputError("todo.unknown-unit", unit=unit, year=assessment.year, suggestion=suggestion)
