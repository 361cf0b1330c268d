"""`kaohe build`: the versioned results site from the working tree, every year not yet final as a draft."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..cachedir import DEFAULT_NAME, ENV, cache_folder
from ..controlchars import one_line
from ..cores import available
from ..messages import tr
from ..problems import InputError
from ..publish.plan import plan_build
from ..publish.site import write_site
from ..tree import FsTree
from ..workspace import add_filing_dates_flag, find_root, years_in


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("build", parents=[common], help=tr("build.help"), description=tr("build.description"))
    p.add_argument("--year", type=int, action="append", help=tr("build.year.help"))
    p.add_argument("--org", action="append", metavar="ORGANIZATION", help=tr("build.org.help"))
    p.add_argument("--site-dir", help=tr("build.site-dir.help"))
    p.add_argument("--list-shards", action="store_true", help=tr("build.list-shards.help"))
    p.add_argument("--migrate-layout", action="store_true", help=tr("build.migrate-layout.help"))
    p.add_argument("--no-strict", action="store_true", help=tr("build.no-strict.help"))
    p.add_argument("--cache-dir", help=tr("build.cache-dir.help", env=ENV, default=DEFAULT_NAME))
    p.add_argument("--no-cache", action="store_true", help=tr("build.no-cache.help"))
    p.add_argument("--jobs", "-j", type=int, default=available(), help=tr("build.jobs.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(Path(args.repo or "."))
    tree = FsTree(root)  # one walk of the working tree for the years and their organizations
    known = years_in(tree)
    if not known:
        raise InputError("build.no-year", root=root)
    wanted = sorted(set(args.year)) if args.year else known
    unknown = [y for y in wanted if y not in known]
    if unknown:
        raise InputError("build.unknown-year", year=unknown[0], years=known)
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    versions, notes = plan_build(root, wanted, organizations=args.org, asked=args.year or (), now=tree)
    for note in notes:
        print(f"kaohe build: {one_line(str(note))}", file=sys.stderr)
    if args.list_shards:  # what CI fans out: one `kaohe build --org O --year Y` per line of the list
        shards = [{"org": v.organization.id, "year": v.year} for v in versions if v.organization is not None]
        print(json.dumps(shards, ensure_ascii=False))
        return 0
    from ..render.siteconfig import repository_config

    start = time.monotonic()
    outcomes = write_site(
        root,
        site_dir,
        versions,
        strict=not args.no_strict,
        config_file=repository_config(root),
        progress=lambda m: print(f"kaohe build: {one_line(str(m))}", file=sys.stderr),
        filing_dates=not args.no_filing_dates,
        migrate=args.migrate_layout,
        command="kaohe build",
        cache=cache_folder(root, args.cache_dir, enabled=not args.no_cache),
        jobs=max(1, args.jobs),
    )
    built = [o for o in outcomes if o.action == "built"]
    for outcome in built:
        for message in outcome.warnings:
            print(f"{outcome.version.year}: {one_line(message)}", file=sys.stderr)
    if not built:
        print(f"kaohe build: {tr('build.nothing')}", file=sys.stderr)
        return 0
    summary = tr(
        "build.summary",
        count=len(built),
        years=[o.version.year for o in built],
        site=site_dir,
        seconds=f"{time.monotonic() - start:.1f}",
        warnings=sum(len(o.warnings) for o in built),
    )
    print(f"kaohe build: {one_line(summary)}", file=sys.stderr)
    return 0
