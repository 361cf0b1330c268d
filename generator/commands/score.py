"""`kaohe score`: scores of every unit (or some) for one year, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..output import jsonout, table
from ..problems import InputError
from ..score import score_assessment
from ..workspace import load_workspace
from .check import print_problems


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
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--detail", action="store_true", help="with --format table: every indicator of every unit")
    p.add_argument("--rev", help="score a git revision instead of the working tree")
    p.set_defaults(run=run)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2010-06-30") from None


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.repo, args.rev, years={args.year} if args.year else None)
    if not ws.repo.assessments:
        known = "" if args.year is None else f" for {args.year}"
        raise InputError(f"no assessment year{known}: expected evidence/<year>/units.toml")
    year = args.year or max(ws.repo.assessments)
    assessment = ws.repo.assessments.get(year)
    if assessment is None:
        raise InputError(f"no assessment for {year}")
    errors = [p for p in ws.problems.errors]
    if errors:
        print_problems(ws.problems)
        print(
            f"kaohe score: the input has {len(errors)} errors; fix them (see `kaohe check`) and score again",
            file=sys.stderr,
        )
        return 1
    if args.unit:
        unknown = [u for u in args.unit if assessment.unit(u) is None]
        if unknown:
            from ..problems import did_you_mean

            raise InputError(
                f"unknown unit '{unknown[0]}' in {year}: " + did_you_mean(unknown[0], [u.id for u in assessment.units])
            )
    if args.as_of and args.as_of.year != year:
        raise InputError(f"--as-of {args.as_of} is outside the assessment year {year}")
    results = score_assessment(assessment, args.as_of, args.unit)
    if args.format == "json":
        sys.stdout.write(jsonout.dumps(results))
    elif args.format == "csv":
        sys.stdout.write(table.to_csv(results))
    else:
        sys.stdout.write(table.table(results, detail=args.detail))
    return 0
