"""`kaohe codeowners`: write (or check) CODEOWNERS from each indicator's assessing department."""

from __future__ import annotations

import argparse
import sys

from ..codeowners import STYLES, check_line_breaks, declares_owners, find, render, style_of, unmapped_departments
from ..controlchars import one_line
from ..messages import tr
from ..ownfile import read_current, refuse_unsafe, write_own
from ..problems import InputError
from ..workspace import load_workspace


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "codeowners", parents=[common], help=tr("codeowners.help"), description=tr("codeowners.description")
    )
    p.add_argument("--check", action="store_true", help=tr("codeowners.check.help"))
    p.add_argument("--style", choices=STYLES, help=tr("codeowners.style.help"))
    p.add_argument("--out", help=tr("codeowners.out.help"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ws = load_workspace(args.repo)
    check_line_breaks(ws.repo, ws.tree, ws.problems)
    if ws.problems.errors:
        raise InputError("codeowners.invalid-input", errors=len(ws.problems.errors))
    rel = args.out or find(ws.tree) or "CODEOWNERS"
    target = ws.root / rel
    refuse_unsafe(target, ws.root)  # a committed link or pipe named CODEOWNERS is never written through
    current = read_current(target)
    style = args.style or (style_of(current) if current else "github")
    text = render(ws.repo, style)
    for dept, sources in sorted(unmapped_departments(ws.repo).items()):
        warning = tr("codeowners.unmapped", department=dept, indicators=len(sources), example=sources[0])
        print(f"kaohe codeowners: {one_line(warning)}", file=sys.stderr)
    if args.check:
        if current == text or (current is None and not declares_owners(ws.repo)):
            return 0  # up to date, or nothing to maintain: no owners declared and no file
        print(f"{rel}: {tr('codeowners.out-of-date')}")
        return 1
    if current == text:
        print(f"kaohe codeowners: {tr('codeowners.up-to-date', path=rel)}", file=sys.stderr)
        return 0
    write_own(target, text, ws.root)
    print(f"kaohe codeowners: {tr('codeowners.wrote', path=rel)}", file=sys.stderr)
    return 0
