"""`kaohe import framework FILE --id ID`: a framework from the tables of a Word document or workbook."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from ..imports.read import read_source
from ..imports.writer import render
from ..load import load_repository
from ..problems import InputError, Problems
from ..tree import FsTree
from ..validate import validate_repository
from ..workspace import find_root

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", help="import a framework from a Word document or workbook")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    f = what.add_parser(
        "framework",
        parents=[common],
        help="write frameworks/ID/ from the tables of a .docx or .xlsx",
        description="Read every table laid out like a 考核分细则 (序号, 目标内容, 考核标准, 分值, 完成月份) and "
        "write frameworks/ID/: one category per table, one indicator per row, rules proposed from each "
        "考核标准 (marked proposed = true) and clauses without a rule kept as `pending` (规则待定).",
    )
    f.add_argument("file", type=Path, help="the .docx or .xlsx")
    f.add_argument("--id", required=True, help="framework id: the folder name under frameworks/ (ASCII)")
    f.set_defaults(run=run)


def _root(repo: str | None) -> Path:
    """The repository, or the current folder when a bureau starts one with its first import."""
    if repo is not None:
        return Path(repo).resolve()
    try:
        return find_root(Path.cwd())
    except InputError:
        return Path.cwd().resolve()


def run(args: argparse.Namespace) -> int:
    if not ID.match(args.id):
        raise InputError(
            f"--id '{args.id}' is not a framework id: use ASCII letters, digits, '-', '_' or '.', "
            "starting with a letter or digit (e.g. qianxinan-qts-2011)",
            code="import.bad-id",
        )
    root = _root(getattr(args, "repo", None))
    frameworks = root / "frameworks"
    target = frameworks / args.id
    if os.path.lexists(target):
        raise InputError(
            f"frameworks/{args.id} exists already; import under another --id or move it away first "
            "(kaohe never overwrites a framework)",
            code="import.exists",
        )
    if frameworks.is_symlink() or (frameworks.exists() and not frameworks.resolve().is_relative_to(root)):
        raise InputError("frameworks/ is a link out of the repository; refusing to write there", code="import.outside")
    source = read_source(args.file)
    imported = render(source, args.id, args.file.name)
    staging = Path(tempfile.mkdtemp(prefix=".kaohe-import-", dir=root))
    try:
        folder = staging / "frameworks" / args.id
        folder.mkdir(parents=True)
        for name, text in imported.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        problems = Problems()
        validate_repository(load_repository(FsTree(staging), problems), problems)
        if problems.errors:  # a bug in the importer: say so, and write nothing
            listed = "\n".join(p.format() for p in problems.errors[:10])
            raise InputError(
                f"the imported framework does not pass kaohe check; nothing was written:\n{listed}",
                code="import.invalid-output",
            )
        frameworks.mkdir(exist_ok=True)
        os.rename(folder, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for where, message in source.warnings:
        print(f"{args.file.name}: {where}: warning: {message}", file=sys.stderr)
    print(
        f"wrote frameworks/{args.id}/: {imported.categories} categories, {imported.indicators} indicators; "
        f"{imported.proposed} rules proposed to confirm (规则待确认), {imported.pending} clauses without a rule "
        "(规则待定). `kaohe check` lists both; see docs/adopting.md for the next steps."
    )
    return 0
