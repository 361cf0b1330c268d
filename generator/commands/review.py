"""`kaohe review`: the indicator review (指标评估) of a year for the 绩效办, figures and flags only."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..gitdates import FilingDates
from ..messages import Message, msg, tr
from ..output import reviewout
from ..problems import InputError
from ..review import attach_previous, build_review, comparable
from ..score import score_assessment
from ..tree import GitError, GitTree, Tree
from ..workspace import (
    Workspace,
    add_filing_dates_flag,
    load_tree,
    open_year,
    require_clean,
    tell_incomplete,
    years_in,
)

if TYPE_CHECKING:
    from ..model import Assessment


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("review", parents=[common], help=tr("review.help"), description=tr("review.description"))
    p.add_argument("--year", type=int, help=tr("review.year.help"))
    p.add_argument("--against", type=int, metavar="YEAR", help=tr("review.against.help"))
    p.add_argument("--since", metavar="REV", help=tr("review.since.help"))
    p.add_argument("--sort", choices=[*reviewout.SORTS, "framework"], default="paperwork", help=tr("review.sort.help"))
    p.add_argument("--format", choices=["text", "json"], default="text", help=tr("review.format.help"))
    p.add_argument("--rev", help=tr("review.rev.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    filing: FilingDates = "off" if args.no_filing_dates else "required"
    ws, assessment = open_year(args.repo, args.rev, args.year, filing)
    tell_incomplete(ws, "review")
    year = assessment.year
    base = None
    if args.since:
        base_a = _year_at(ws, _git_tree(ws, args.since), year, f"--since {args.since}", filing)
        base = (args.since, score_assessment(base_a))
    review = build_review(assessment, base)
    previous = _previous(ws, assessment, args.against, filing)
    if previous is not None:
        attach_previous(review, build_review(previous))
    if args.format == "json":
        sys.stdout.write(reviewout.to_json(review, args.sort))
    else:
        sys.stdout.write(reviewout.text(review, args.sort))
    return 0


def _git_tree(ws: Workspace, rev: str) -> Tree:
    try:
        return GitTree(ws.root, rev)
    except GitError as exc:
        raise InputError("review.bad-revision", error=exc) from exc


def _year_at(ws: Workspace, tree: Tree, year: int, what: str | Message, filing: FilingDates) -> Assessment:
    other = load_tree(ws.root, tree, {year}, filing)
    require_clean(other, msg("review.year-at", year=year, what=what))
    a = other.repo.assessments.get(year)
    if a is None:
        raise InputError("review.year-missing", year=year, what=what)
    return a


def _previous(ws: Workspace, a: Assessment, against: int | None, filing: FilingDates) -> Assessment | None:
    """The year to show the trend against: `against`, else the nearest comparable earlier year, else None."""
    if against is not None:
        if against >= a.year:
            raise InputError("review.against-not-earlier", against=against, year=a.year)
        if against not in years_in(ws.tree):
            raise InputError("review.against-missing", year=against, years=years_in(ws.tree))
        return _year_at(ws, ws.tree, against, "--against", filing)
    for year in reversed([y for y in years_in(ws.tree) if y < a.year]):
        other = _year_at(ws, ws.tree, year, msg("review.trend"), filing)
        if comparable(a, other):
            return other
    return None
