"""`kaohe check`: every problem in frameworks, units, evidence and findings, all at once."""

from __future__ import annotations

import argparse
import re
import sys

from ..annotations import FORMATS, render
from ..codeowners import check as check_codeowners
from ..problems import Problems
from ..schemas import check as check_schemas
from ..score import score_assessment
from ..workspace import load_workspace


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "check",
        parents=[common],
        help="validate frameworks, units, evidence and findings",
        description="Report every problem as path:line:col: message. Exit 1 on any error.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        help="only report problems in these files (all files are still read); when one of them is a "
        "framework file, a units.toml or mkdocs.yml, which other files are checked against, report every problem",
    )
    p.add_argument("--rev", help="check a git revision instead of the working tree")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: path:line:col: message; github: workflow commands (GitHub/Gitea Actions); "
        "gitlab: Code Quality report; json: a list of problems",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.repo, args.rev)
    problems = ws.problems
    check_codeowners(ws.repo, ws.tree, problems)
    check_schemas(ws.tree, problems)
    if not problems.errors:
        for assessment in ws.repo.assessments.values():
            score_assessment(assessment)  # scoring must succeed on anything that validates
    shown = filter_paths(problems, args.paths)
    sys.stdout.write(render(shown, args.format))
    files = ws.repo.files
    errors = len(shown.errors)
    warnings = len(shown) - errors
    summary = (
        f"kaohe check: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} files ({len(ws.repo.frameworks)} frameworks, {len(ws.repo.assessments)} years)"
    )
    print(summary, file=sys.stderr)
    return 1 if errors else 0


#: Files that other files are checked against: a change to one can break files it does not touch
#: (a renamed rule invalidates findings, a new year needs CODEOWNERS lines).
SHARED = re.compile(r"^(frameworks/.+|evidence/[^/]+/units\.toml|mkdocs\.yml)$")


def filter_paths(problems: Problems, paths: list[str]) -> Problems:
    wanted = {p.replace("\\", "/").removeprefix("./") for p in paths}
    if not wanted or any(SHARED.match(p) for p in wanted):
        return problems
    kept = Problems()
    kept.extend(p for p in problems if p.path in wanted)
    return kept
