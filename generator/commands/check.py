"""`kaohe check`: every problem in frameworks, units, evidence and findings, all at once."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..cachedir import DEFAULT_NAME, ENV
from ..messages import tr
from ..problem_formats import FORMATS, render
from ..problems import Problems

if TYPE_CHECKING:
    from ..tree import Tree

# Only what the parser needs is imported here: a warm re-check (generator.checkcache) builds this
# command's parser and nothing else, and must not load the models.


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help=tr("check.help"), description=tr("check.description"))
    p.add_argument("paths", nargs="*", help=tr("check.paths.help"))
    p.add_argument("--rev", help=tr("check.rev.help"))
    p.add_argument("--format", choices=FORMATS, default="text", help=tr("check.format.help"))
    p.add_argument("--cache-dir", help=tr("check.cache-dir.help", env=ENV, default=DEFAULT_NAME))
    p.add_argument("--no-cache", action="store_true", help=tr("check.no-cache.help"))
    p.set_defaults(run=run, holds_everything=True)  # see generator.cli._collector


def run(args: argparse.Namespace) -> int:
    """Check cold (the CLI has found no stored outcome to trust), and store the outcome."""
    from ..cachedir import cache_folder
    from ..checkcache import Recording
    from ..codeowners import check as check_codeowners
    from ..load import parsed
    from ..render.siteconfig import check as check_site_config
    from ..schemas import check as check_schemas
    from ..score import score_assessment
    from ..workspace import load_tree, open_tree

    root, tree = open_tree(args.repo, args.rev)
    folder = cache_folder(root, args.cache_dir, enabled=not args.no_cache)
    recording = Recording(folder, root, tree, args) if folder is not None else None
    with parsed.kept_in(folder):  # a check after an edit parses only the files that changed
        ws = load_tree(root, recording.tree if recording is not None else tree)
    problems = ws.problems
    check_codeowners(ws.repo, ws.tree, problems)
    check_schemas(ws.tree, problems)
    check_site_config(ws.root, ws.tree, problems)
    if not problems.errors:
        for assessment in ws.repo.assessments.values():
            score_assessment(assessment)  # scoring must succeed on anything that validates
    shown = filter_paths(problems, ws.root, ws.tree, args.paths)
    out = render(shown, args.format)
    errors = len(shown.errors)
    summary = tr(
        "check.summary",
        errors=errors,
        warnings=len(shown) - errors,
        files=ws.repo.files,
        frameworks=len(ws.repo.frameworks),
        years=len(ws.repo.assessments),
    )
    err = f"kaohe check: {summary}\n"
    sys.stdout.write(out)
    sys.stderr.write(err)
    code = 1 if errors else 0
    if recording is not None:
        recording.store(list(ws.repo.assessments.values()), out, err, code)
    return code


#: Files that other files are checked against: a change to one can break files it does not touch
#: (a renamed rule invalidates findings, a new year needs CODEOWNERS lines).
SHARED = re.compile(r"^(frameworks/.+|evidence/[^/]+/units\.toml|mkdocs\.yml)\Z")


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
