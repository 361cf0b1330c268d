"""`kaohe import framework FILE --id ID`: a framework from the tables of a Word document or workbook."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ..controlchars import Lines, one_line_isolated
from ..imports.read import read_source
from ..imports.writer import render
from ..load import load_repository
from ..messages import Message, isolating, tr
from ..output.outpath import reason
from ..problems import InputError, Problems
from ..tree import FsTree
from ..validate import validate_repository
from ..workspace import find_root

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # \Z: $ matches before a final "\n"


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", help=tr("import.help"))
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    f = what.add_parser(
        "framework",
        parents=[common],
        help=tr("import.framework.help"),
        description=tr("import.framework.description"),
    )
    f.add_argument("file", type=Path, help=tr("import.file.help"))
    f.add_argument("--id", required=True, help=tr("import.id.help"))
    f.set_defaults(run=run)


def _root(repo: str | None) -> Path:
    """The repository, or the current folder when a bureau starts one with its first import."""
    if repo is not None:
        return Path(repo).resolve()
    try:
        return find_root(Path.cwd())
    except InputError:
        return Path.cwd().resolve()


def _staging(root: Path, frameworks: Path) -> Path:
    """The temporary folder in the repository the framework is written and checked in first."""
    if frameworks.exists() and not frameworks.is_dir():
        raise InputError("output.not-a-folder", option="--repo", output=frameworks)
    try:
        return Path(tempfile.mkdtemp(prefix=".kaohe-import-", dir=root))
    except OSError as exc:
        raise InputError("output.cannot-write", option="--repo", output=root, reason=reason(exc)) from None


def run(args: argparse.Namespace) -> int:
    if not ID.match(args.id):
        raise InputError("import.bad-id", id=args.id)
    root = _root(getattr(args, "repo", None))
    if not root.is_dir():  # the staging folder is made in it
        raise InputError("import.no-folder", folder=root)
    frameworks = root / "frameworks"
    target = frameworks / args.id
    if os.path.lexists(target):
        raise InputError("import.exists", id=args.id)
    if frameworks.is_symlink() or (frameworks.exists() and not frameworks.resolve().is_relative_to(root)):
        raise InputError("import.outside")
    staging = _staging(root, frameworks)  # a repository that cannot take the framework: said before reading
    try:
        source = read_source(args.file)
        imported = render(source, args.id, args.file.name)
        folder = staging / "frameworks" / args.id
        folder.mkdir(parents=True)
        for name, text in imported.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        problems = Problems()
        validate_repository(load_repository(FsTree(staging), problems), problems)
        if problems.errors:  # a bug in the importer: say so, and write nothing
            listed = "".join("\n" + p.format() for p in problems.errors[:10])
            raise InputError("import.invalid-output", problems=Lines(listed))  # one problem a line, as kaohe new
        frameworks.mkdir(exist_ok=True)
        os.rename(folder, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _print_warnings(args.file.name, source.warnings)
    print(
        tr(
            "import.wrote",
            id=args.id,
            categories=imported.categories,
            indicators=imported.indicators,
            proposed=imported.proposed,
            pending=imported.pending,
        )
    )
    return 0


def _print_warnings(file: str, warnings: list[tuple[str, Message]]) -> None:
    """The reading's warnings, one a line. Their values are the file's own characters (its name, a
    sheet's title, a cell's text): shown escaped, and isolated as a problem's values are, so a
    right-to-left mark or letter in a grade line cannot turn the wording after it around."""
    with isolating():
        for where, message in warnings:
            print(one_line_isolated(tr("import.warning", file=file, where=where, message=message)), file=sys.stderr)
