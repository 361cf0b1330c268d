"""`kaohe check`: every problem in frameworks, units, evidence and findings, all at once."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from ..codeowners import check as check_codeowners
from ..messages import tr
from ..problem_formats import FORMATS, render
from ..problems import Problems
from ..schemas import check as check_schemas
from ..score import score_assessment
from ..tree import Tree
from ..workspace import load_workspace


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help=tr("check.help"), description=tr("check.description"))
    p.add_argument("paths", nargs="*", help=tr("check.paths.help"))
    p.add_argument("--rev", help=tr("check.rev.help"))
    p.add_argument("--format", choices=FORMATS, default="text", help=tr("check.format.help"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.repo, args.rev)
    problems = ws.problems
    check_codeowners(ws.repo, ws.tree, problems)
    check_schemas(ws.tree, problems)
    if not problems.errors:
        for assessment in ws.repo.assessments.values():
            score_assessment(assessment)  # scoring must succeed on anything that validates
    shown = filter_paths(problems, ws.root, ws.tree, args.paths)
    sys.stdout.write(render(shown, args.format))
    errors = len(shown.errors)
    summary = tr(
        "check.summary",
        errors=errors,
        warnings=len(shown) - errors,
        files=ws.repo.files,
        frameworks=len(ws.repo.frameworks),
        years=len(ws.repo.assessments),
    )
    print(f"kaohe check: {summary}", file=sys.stderr)
    return 1 if errors else 0


#: Files that other files are checked against: a change to one can break files it does not touch
#: (a renamed rule invalidates findings, a new year needs CODEOWNERS lines).
SHARED = re.compile(r"^(frameworks/.+|evidence/[^/]+/units\.toml|mkdocs\.yml)$")


def filter_paths(problems: Problems, root: Path, tree: Tree, paths: list[str]) -> Problems:
    """The problems in `paths` (files or folders), plus an error for each path that names nothing.

    A path is relative to the current folder, as in any command (run from a unit's folder, `.` is
    that folder); one that is not inside the repository from there is taken relative to the
    repository (for `--repo DIR` with repository paths). Naming a file others are checked against
    (:data:`SHARED`) reports every problem.
    """
    if not paths:
        return problems
    kept = Problems()
    wanted: list[str] = []
    for given in paths:
        rel = _repository_path(root, given)
        if rel is None:
            kept.report(given, 1, 1, "check.outside", path=given, root=root)
        elif rel and not tree.exists(rel) and not any(_under(p.path, rel) for p in problems):
            kept.report(rel, 1, 1, "check.unknown-path", path=given)
        else:
            wanted.append(rel)
    shared = any(SHARED.match(rel) for rel in wanted)
    kept.extend(p for p in problems if shared or any(_under(p.path, rel) for rel in wanted))
    return kept


def _repository_path(root: Path, given: str) -> str | None:
    """`given` as a path relative to `root` (forward slashes, "" for the root itself), or None if outside it."""
    for base in (os.getcwd(), str(root)):
        full = os.path.normpath(os.path.join(base, given.replace("\\", "/")))
        rel = os.path.relpath(full, root)
        if rel == ".":
            return ""
        if rel != ".." and not rel.startswith(".." + os.sep):
            return Path(rel).as_posix()
    return None


def _under(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")
