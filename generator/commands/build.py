"""`kaohe build`: the versioned results site from the working tree, every year not yet final as a draft."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..controlchars import one_line
from ..problems import InputError
from ..publish.plan import plan_build
from ..publish.site import write_site
from ..tree import FsTree
from ..workspace import add_filing_dates_flag, find_root, years_in


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "build",
        parents=[common],
        help="build the results site (site/<organization>/<year>/)",
        description="Build every assessment year from the working tree into site/<organization>/<year>/ as drafts. "
        "Final years (tagged results-<year>, or published) are kept as published, or rebuilt from their "
        "commit when missing or damaged, never from the working tree. "
        "The site is replaced in one step, only when every year built.",
    )
    p.add_argument("--year", type=int, action="append", help="only this year (repeatable; default: every year)")
    p.add_argument(
        "--org",
        action="append",
        metavar="ORGANIZATION",
        help="only this organization's years (repeatable; `organization` in framework.toml); the others in the "
        "site are kept as they are",
    )
    p.add_argument("--site-dir", help="output folder (default: site/ in the repository)")
    p.add_argument(
        "--migrate-layout",
        action="store_true",
        help="move a site of the layout before organizations (site/<year>/) into site/<organization>/<year>/",
    )
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(Path(args.repo or "."))
    known = years_in(FsTree(root))
    if not known:
        raise InputError(f"no assessment year in {root}: expected evidence/<year>/units.toml", code="build.no-year")
    wanted = sorted(set(args.year)) if args.year else known
    unknown = [y for y in wanted if y not in known]
    if unknown:
        raise InputError(
            f"no assessment for {unknown[0]}: years are {', '.join(map(str, known))}", code="build.unknown-year"
        )
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    versions, notes = plan_build(root, wanted, organizations=args.org, asked=args.year or ())
    for note in notes:
        print(f"kaohe build: {one_line(note)}", file=sys.stderr)
    config = root / "mkdocs.yml"
    start = time.monotonic()
    outcomes = write_site(
        root,
        site_dir,
        versions,
        strict=not args.no_strict,
        config_file=config if config.is_file() else None,
        progress=lambda m: print(f"kaohe build: {one_line(m)}", file=sys.stderr),
        filing_dates=not args.no_filing_dates,
        migrate=args.migrate_layout,
        command="kaohe build",
    )
    built = [o for o in outcomes if o.action == "built"]
    for outcome in built:
        for message in outcome.warnings:
            print(f"{outcome.version.year}: {one_line(message)}", file=sys.stderr)
    if not built:
        print("kaohe build: every year is kept as it was; nothing to build", file=sys.stderr)
        return 0
    count = sum(len(o.warnings) for o in built)
    years = [o.version.year for o in built]
    print(
        f"kaohe build: {len(years)} year{'s' * (len(years) != 1)} ({', '.join(map(str, years))}) into "
        f"{site_dir} in {time.monotonic() - start:.1f} s, {count} warning{'s' * (count != 1)}",
        file=sys.stderr,
    )
    return 0
