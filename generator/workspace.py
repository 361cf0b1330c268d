"""Open the repository a command works on: find its root, pick a tree, load and validate."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .controlchars import Lines
from .gitdates import FilingDates, load_dates
from .individual.privacy import check_privacy
from .load import YEAR_DIR, load_repository
from .load.reading import read_toml
from .messages import Message, msg, tr
from .model import Assessment, Repository
from .problems import InputError, Problems
from .tree import FsTree, GitError, GitTree, Tree, find_root
from .validate import validate_repository


def add_filing_dates_flag(parser: argparse.ArgumentParser, help_key: str = "cli.no-filing-dates.help") -> None:
    """`--no-filing-dates`, for the commands that read filing dates (score, build, diff, todo …);
    `help_key` words it for a command that does something else than score (todo lists progress)."""
    parser.add_argument("--no-filing-dates", action="store_true", help=tr(help_key))


def open_tree(repo: str | None, rev: str | None) -> tuple[Path, Tree]:
    root = find_root(Path(repo or "."))
    if rev is None:
        return root, FsTree(root)
    try:
        return root, GitTree(root, rev)
    except GitError as exc:
        raise InputError("workspace.bad-revision", error=exc) from exc


@dataclass
class Workspace:
    root: Path
    tree: Tree
    repo: Repository
    problems: Problems


#: Problems listed in a refusal before "… and N more".
SHOWN = 20


def load_workspace(repo: str | None = None, rev: str | None = None, years: set[int] | None = None) -> Workspace:
    root, tree = open_tree(repo, rev)
    return load_tree(root, tree, years)


def load_tree(
    root: Path,
    tree: Tree,
    years: set[int] | None = None,
    filing_dates: FilingDates = "warn",
    history: tuple[Path, str] | None = None,
) -> Workspace:
    """Load, validate and date (from git history) the frameworks and the given years of `tree`.

    `filing_dates` says what missing history does (see :data:`generator.gitdates.FilingDates`);
    `history` is the (repository, commit) whose history dates the files when `tree` is a copy
    outside git, as `kaohe publish` builds from.
    """
    problems = Problems()
    repository = load_repository(tree, problems, years)
    validate_repository(repository, problems)
    check_privacy(tree, repository, problems)
    git_root, rev = history or (root, getattr(tree, "commit", None))
    load_dates(repository, git_root, rev, problems, filing_dates)
    return Workspace(root, tree, repository, problems)


#: Warnings the commands that score say on stderr (`kaohe check` reports every warning): what leaves
#: their figures incomplete without an error.
TOLD_WHEN_SCORING = frozenset({"dates.uncommitted"})


def tell_incomplete(ws: Workspace, command: str) -> None:
    """Say on stderr, once each, the warnings that leave a score incomplete (:data:`TOLD_WHEN_SCORING`):
    evidence not committed yet is never judged late, and a clerk scoring before the first commit
    would otherwise read every deadline as met."""
    for problem in ws.problems.items:
        if problem.code in TOLD_WHEN_SCORING:
            print(f"kaohe {command}: {problem.format()}", file=sys.stderr)


def years_in(tree: Tree) -> list[int]:
    """Assessment years of a tree (folders evidence/<year>/ with units.toml), ascending."""
    found = set()
    for path in tree.files("evidence"):
        parts = path.split("/")
        if len(parts) == 3 and parts[2] == "units.toml" and YEAR_DIR.match(parts[1]):
            found.add(int(parts[1]))
    return sorted(found)


def unit_years(tree: Tree) -> dict[str, list[int]]:
    """Each unit id listed in some year's units.toml, with the years that list it, ascending.

    Read from units.toml alone, without loading a year: a command that was given a unit but no year
    picks a year that has it, and one refusing a unit says in which years it is. A units.toml that
    does not parse lists nothing here (the year's own loading reports it)."""
    found: dict[str, list[int]] = {}
    for year in years_in(tree):
        doc = read_toml(tree, f"evidence/{year}/units.toml", Problems())
        entries = doc.data.get("unit") if doc is not None else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(entry["id"], []).append(year)
    return found


def require_clean(ws: Workspace, what: str | Message) -> None:
    """Refuse to score input with errors, listing the first of them and what to run.

    The problems are :class:`Lines` (each worded safely by ``Problem.format``), so the refusal prints
    one a line; as plain text their breaks were escaped with the values' and two problems read as one
    line joined by a visible \\n."""
    errors = ws.problems.errors
    if errors:
        lines = Lines("\n".join(p.format() for p in errors[:SHOWN]))
        more = msg("workspace.more-errors", more=len(errors) - SHOWN) if len(errors) > SHOWN else ""
        raise InputError("workspace.has-errors", what=what, errors=len(errors), problems=lines, more=more)


def open_year(
    repo: str | None,
    rev: str | None,
    year: int | None,
    filing_dates: FilingDates = "required",
    history: tuple[Path, str] | None = None,
    opened: tuple[Path, Tree] | None = None,
) -> tuple[Workspace, Assessment]:
    """One assessment year (default: the latest), loaded alone and free of errors, to be scored.

    Scores must not silently lack late deductions: by default a year that judges filing deadlines
    needs its git history (`filing_dates`, `history`: see :func:`load_tree`). `opened` is the
    (root, tree) to read instead of opening `repo` (a tree that records what it is asked).
    """
    root, tree = opened or open_tree(repo, rev)
    known = years_in(tree)
    if not known:
        raise InputError("build.no-year", root=root)
    year = year if year is not None else known[-1]
    if year not in known:
        raise InputError("build.unknown-year", year=year, years=known)
    ws = load_tree(root, tree, {year}, filing_dates, history)
    require_clean(ws, msg("workspace.input-for", year=year))
    assessment = ws.repo.assessments.get(year)
    if assessment is None:  # units.toml itself failed, which require_clean has reported
        raise InputError("workspace.year-unloadable", year=year)
    return ws, assessment
