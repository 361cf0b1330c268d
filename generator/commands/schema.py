"""`kaohe schema`: write (or check) the JSON Schemas editors use to validate TOML as it is typed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..messages import tr
from ..schemas import DEFAULT_DIR, SCHEMAS, stale, write_all
from ..workspace import find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "schema", parents=[common], help=tr("schema.help"), description=tr("schema.description", folder=DEFAULT_DIR)
    )
    p.add_argument("--out", help=tr("schema.out.help", folder=DEFAULT_DIR))
    p.add_argument("--check", action="store_true", help=tr("schema.check.help"))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = None if args.out else find_root(Path(args.repo or "."))
    folder = Path(args.out) if root is None else root / DEFAULT_DIR
    if args.check:
        names = stale(folder)
        for name in names:
            print(f"{folder / name}: {tr('schema.out-of-date')}")
        return 1 if names else 0
    changed = write_all(folder, root)
    print(
        f"kaohe schema: {tr('schema.updated', changed=len(changed), total=len(SCHEMAS), folder=folder)}",
        file=sys.stderr,
    )
    return 0
