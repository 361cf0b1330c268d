"""`kaohe assemble`: one site from the sites CI runners built apart (one organization's year each)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..controlchars import one_line
from ..messages import tr
from ..publish.assemble import assemble
from ..workspace import find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("assemble", parents=[common], help=tr("assemble.help"), description=tr("assemble.description"))
    p.add_argument("parts", nargs="+", metavar="PART", help=tr("assemble.parts.help"))
    p.add_argument("--site-dir", help=tr("build.site-dir.help"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(Path(args.repo or "."))
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    start = time.monotonic()

    def progress(line: str) -> None:
        print(f"kaohe assemble: {one_line(line)}", file=sys.stderr)

    years = assemble(root, [Path(p) for p in args.parts], site_dir, progress)
    summary = tr(
        "assemble.done",
        parts=len(args.parts),
        years=len(years),
        organizations=len({organization for organization, _ in years}),
        site=site_dir,
        seconds=f"{time.monotonic() - start:.1f}",
    )
    progress(summary)
    return 0
