"""`kaohe build`: the versioned results site from the working tree, every year as a draft."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..controlchars import one_line
from ..problems import InputError
from ..provenance import Provenance
from ..publish.layout import published_versions
from ..workspace import add_filing_dates_flag, find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "build",
        parents=[common],
        help="build the results site (site/<year>/, versions.json)",
        description="Build every assessment year from the working tree into site/ as drafts. "
        "Years published as final (kaohe publish) are kept as they are. "
        "The site is replaced only when every year built.",
    )
    p.add_argument("--year", type=int, action="append", help="only this year (repeatable; default: every year)")
    p.add_argument("--site-dir", help="output folder (default: site/ in the repository)")
    p.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..render.build import build_site
    from ..render.years import years

    root = find_root(Path(args.repo or "."))
    known = years(root)
    if not known:
        raise InputError(f"no assessment year in {root}: expected evidence/<year>/units.toml")
    wanted = sorted(set(args.year)) if args.year else known
    unknown = [y for y in wanted if y not in known]
    if unknown:
        raise InputError(f"no assessment for {unknown[0]}: years are {', '.join(map(str, known))}")
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    finals = {y: s for y, s in published_versions(site_dir).items() if not s.get("draft")}
    for year in [y for y in wanted if y in finals]:
        print(
            f"kaohe build: {year} is published as final ({finals[year].get('tag')}); kept as published "
            "(final years change only through `kaohe publish --replace`)",
            file=sys.stderr,
        )
    wanted = [y for y in wanted if y not in finals]
    if not wanted:
        print("kaohe build: every year is published as final; nothing to build", file=sys.stderr)
        return 0
    config = root / "mkdocs.yml"
    start = time.monotonic()
    warnings = build_site(
        root,
        site_dir,
        wanted,
        lambda y: Provenance("", draft=True),
        strict=not args.no_strict,
        config_file=config if config.is_file() else None,
        log=lambda m: print(f"kaohe build: {one_line(m)}", file=sys.stderr),
        filing_dates=not args.no_filing_dates,
    )
    for year, messages in warnings.items():
        for message in messages:
            print(f"{year}: {one_line(message)}", file=sys.stderr)
    count = sum(len(m) for m in warnings.values())
    print(
        f"kaohe build: {len(wanted)} year{'s' * (len(wanted) != 1)} ({', '.join(map(str, wanted))}) into "
        f"{site_dir} in {time.monotonic() - start:.1f} s, {count} warning{'s' * (count != 1)}",
        file=sys.stderr,
    )
    return 0
