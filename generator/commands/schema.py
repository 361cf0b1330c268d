"""`kaohe schema`: write (or check) the JSON Schemas editors use to validate TOML as it is typed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..schemas import DEFAULT_DIR, SCHEMAS, stale, write_all
from ..workspace import find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "schema",
        parents=[common],
        help="write JSON Schemas of the file formats for editors",
        description=f"Write the JSON Schemas of every file format (default: {DEFAULT_DIR}/).",
    )
    p.add_argument("--out", help=f"folder to write to (default: {DEFAULT_DIR}/ in the repository)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if the schemas are stale")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.out) if args.out else find_root(Path(args.repo or ".")) / DEFAULT_DIR
    if args.check:
        names = stale(folder)
        for name in names:
            print(f"{folder / name}: out of date (run `kaohe schema`)")
        return 1 if names else 0
    changed = write_all(folder)
    print(f"kaohe schema: {len(changed)} of {len(SCHEMAS)} schema files updated in {folder}", file=sys.stderr)
    return 0
