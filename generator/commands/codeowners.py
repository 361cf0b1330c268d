"""`kaohe codeowners`: write (or check) CODEOWNERS from each indicator's assessing department."""

from __future__ import annotations

import argparse
import sys

from ..codeowners import (
    STYLES,
    check_line_breaks,
    count,
    declares_owners,
    find,
    render,
    style_of,
    unmapped_departments,
)
from ..problems import InputError
from ..workspace import load_workspace


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "codeowners",
        parents=[common],
        help="write CODEOWNERS from the indicators' departments",
        description="Generate CODEOWNERS so that evidence and findings for an indicator request "
        "review from its assessing department (考核责任部门).",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if CODEOWNERS is stale")
    p.add_argument(
        "--style",
        choices=STYLES,
        help="github and gitlab: gitignore-style patterns; gitea: regular expressions "
        "(default: the style of the existing file, else github)",
    )
    p.add_argument("--out", help="file to write (default: the existing CODEOWNERS, else ./CODEOWNERS)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.repo)
    check_line_breaks(ws.repo, ws.tree, ws.problems)
    if ws.problems.errors:
        raise InputError(
            f"the repository has {count(len(ws.problems.errors), 'error')}; fix them first (see `kaohe check`)",
            code="codeowners.invalid-input",
        )
    rel = args.out or find(ws.tree) or "CODEOWNERS"
    target = ws.root / rel
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    style = args.style or (style_of(current) if current else "github")
    text = render(ws.repo, style)
    for dept, sources in sorted(unmapped_departments(ws.repo).items()):
        print(
            f"kaohe codeowners: warning: department '{dept}' has no [[code_owners]] entry "
            f"({count(len(sources), 'indicator')}, e.g. {sources[0]}); its files get no department reviewer",
            file=sys.stderr,
        )
    if args.check:
        if current == text or (current is None and not declares_owners(ws.repo)):
            return 0  # up to date, or nothing to maintain: no owners declared and no file
        print(f"{rel}: out of date (run `kaohe codeowners` and commit it)")
        return 1
    if current == text:
        print(f"kaohe codeowners: {rel} is up to date", file=sys.stderr)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"kaohe codeowners: wrote {rel}", file=sys.stderr)
    return 0
