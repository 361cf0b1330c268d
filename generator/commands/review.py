"""`kaohe review`: the indicator review (指标评估) of a year for the 绩效办, figures and flags only."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..gitdates import FilingDates
from ..output import reviewout
from ..problems import InputError
from ..review import attach_previous, build_review, comparable
from ..score import score_assessment
from ..tree import GitError, GitTree, Tree
from ..workspace import Workspace, add_filing_dates_flag, load_tree, open_year, require_clean, years_in

if TYPE_CHECKING:
    from ..model import Assessment


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "review",
        parents=[common],
        help="indicator review: who lost points, score spread, paperwork per point, effect on ranks",
        description="Per indicator of a year's framework: units that lost points, the spread of scores, "
        "evidence files and pages per point at stake, whether it changed any rank, and flags, each "
        "defined under the table. Figures for people to judge; the tool judges nothing.",
    )
    p.add_argument("--year", type=int, help="assessment year (default: the latest)")
    p.add_argument(
        "--against",
        type=int,
        metavar="YEAR",
        help="earlier year to show the trend against (default: the nearest earlier year with the same "
        "framework, or sharing at least half of its indicator ids)",
    )
    p.add_argument(
        "--since",
        metavar="REV",
        help="count finding deductions withdrawn or changed since this git revision, e.g. the tag of the "
        "draft results put up for 公示",
    )
    p.add_argument("--sort", choices=[*reviewout.SORTS, "framework"], default="paperwork", help="row order")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--rev", help="review a git revision instead of the working tree")
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    filing: FilingDates = "off" if args.no_filing_dates else "required"
    ws, assessment = open_year(args.repo, args.rev, args.year, filing)
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
        raise InputError(f"{exc} (give a branch, tag or commit id)", code="review.bad-revision") from exc


def _year_at(ws: Workspace, tree: Tree, year: int, what: str, filing: FilingDates) -> Assessment:
    other = load_tree(ws.root, tree, {year}, filing)
    require_clean(other, f"{year} at {what}")
    a = other.repo.assessments.get(year)
    if a is None:
        raise InputError(f"no assessment for {year} at {what}", code="review.year-missing")
    return a


def _previous(ws: Workspace, a: Assessment, against: int | None, filing: FilingDates) -> Assessment | None:
    """The year to show the trend against: `against`, else the nearest comparable earlier year, else None."""
    if against is not None:
        if against >= a.year:
            raise InputError(f"--against {against} is not earlier than {a.year}", code="review.against-not-earlier")
        if against not in years_in(ws.tree):
            known = ", ".join(map(str, years_in(ws.tree)))
            raise InputError(f"no assessment for {against}: years are {known}", code="review.against-missing")
        return _year_at(ws, ws.tree, against, "--against", filing)
    for year in reversed([y for y in years_in(ws.tree) if y < a.year]):
        other = _year_at(ws, ws.tree, year, "the trend", filing)
        if comparable(a, other):
            return other
    return None
