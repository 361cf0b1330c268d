"""`kaohe score`: scores of every unit (or some) for one year, in any registered output format."""

from __future__ import annotations

import argparse
import calendar
import re
import sys
from datetime import date

from ..messages import tr
from ..model import Assessment
from ..output import FORMATS, Options
from ..period import Period, Schedule, year_of_key
from ..problems import InputError, did_you_mean
from ..score import score_assessment
from ..workspace import Workspace, add_filing_dates_flag, open_year, tell_incomplete


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("score", parents=[common], help=tr("score.help"), description=tr("score.description"))
    p.add_argument("--year", type=int, help=tr("score.year.help"))
    p.add_argument("--unit", action="append", help=tr("score.unit.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("score.as-of.help"))
    add_period_flag(p)
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        default=next(iter(FORMATS)),
        help=tr("value.sentence-separator").join(f"{f.name}: {tr(f.help)}" for f in FORMATS.values()),
    )
    p.add_argument("--detail", action="store_true", help=tr("score.detail.help"))
    p.add_argument("--rev", help=tr("score.rev.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run, holds_everything=True)  # see generator.cli._collector


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    shape = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if shape and int(shape[1]) >= 1 and 1 <= int(shape[2]) <= 12:  # the month has no such day (2011-02-29)
        year, month = int(shape[1]), int(shape[2])
        days = calendar.monthrange(year, month)[1]
        raise argparse.ArgumentTypeError(tr("cli.no-such-day", value=text, year=year, month=month, days=days))
    raise argparse.ArgumentTypeError(tr("cli.not-a-date", value=text))


def add_period_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        type=parse_period,
        help=tr("score.period.help"),
    )


def parse_period(text: str) -> str:
    if year_of_key(text) is None:
        raise argparse.ArgumentTypeError(tr("cli.not-a-period", value=text))
    return text


def find_period(schedule: Schedule, key: str) -> Period:
    """The declared period `key` names, or a refusal that lists the periods there are."""
    period = schedule.find(key)
    if period is not None:
        return period
    keys = [p.key for p in schedule.periods()]
    if not schedule.by_period:
        raise InputError("score.period-undeclared", period=key, year=schedule.year)
    raise InputError("score.unknown-period", period=key, suggestion=did_you_mean(key, keys))


def asked_year(args: argparse.Namespace) -> int | None:
    """The year to open: --year, else the year of --period (2014-Q3 → 2014), else the latest."""
    return args.year if args.year is not None else (year_of_key(args.period) if args.period else None)


def selected_period(assessment: Assessment, key: str | None, as_of: date | None) -> Period:
    """The period --period names (default: the year), with --as-of inside the year."""
    schedule = Schedule(assessment.framework, assessment.year)
    if key and year_of_key(key) != assessment.year:
        raise InputError("score.period-year", period=key, year=assessment.year)
    if as_of and not schedule.whole.contains(as_of):
        raise InputError("score.as-of-outside-year", as_of=as_of, year=assessment.year)
    return find_period(schedule, key) if key else schedule.whole


def open_scoring(args: argparse.Namespace) -> tuple[Workspace, Assessment, Period]:
    """The year `--year` asks for, its `--unit`s checked and its `--period` chosen: what `kaohe score`
    and `kaohe export` both start from."""
    ws, assessment = open_year(args.repo, args.rev, asked_year(args), "off" if args.no_filing_dates else "required")
    tell_incomplete(ws, args.command)
    unknown = [u for u in args.unit or [] if assessment.unit(u) is None]
    if unknown:
        known = [u.id for u in assessment.units]
        raise InputError(
            "score.unknown-unit", unit=unknown[0], year=assessment.year, suggestion=did_you_mean(unknown[0], known)
        )
    return ws, assessment, selected_period(assessment, args.period, args.as_of)


def run(args: argparse.Namespace) -> int:
    _, assessment, period = open_scoring(args)
    results = score_assessment(assessment, args.as_of, args.unit, period)
    output = FORMATS[args.format].render(results, Options(detail=args.detail))
    if isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)
    return 0
