"""`kaohe publish`: final years from their `results-<year>` tags, drafts from a commit, into site/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..controlchars import one_line
from ..problems import InputError
from ..publish.plan import TAG_PREFIX, plan_versions
from ..publish.publisher import publish
from ..publish.records import RECORD_FILE
from ..sourceurl import check_template
from ..workspace import find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "publish",
        parents=[common],
        help="publish tagged years (and drafts) into the versioned site",
        description=f"Build every year tagged {TAG_PREFIX}<year> from its tag into site/<organization>/<year>/; "
        "years already "
        "published from the same commit are kept byte for byte. Drafts are built from a commit (--rev).",
    )
    p.add_argument("--year", type=int, action="append", help="only this final year (repeatable)")
    p.add_argument("--draft", type=int, action="append", default=[], help="also publish this year as a draft")
    p.add_argument("--rev", default="HEAD", help="commit the drafts are built from (default: HEAD)")
    p.add_argument(
        "--org",
        action="append",
        metavar="ORGANIZATION",
        help="only this organization's years (repeatable); the others in the site are kept as they are",
    )
    p.add_argument("--site", default="site", help="site folder (default: site/ in the repository)")
    p.add_argument(
        "--migrate-layout",
        action="store_true",
        help="move a site of the layout before organizations (site/<year>/) into site/<organization>/<year>/",
    )
    p.add_argument("--dry-run", action="store_true", help="build in a temporary folder and list what would change")
    p.add_argument(
        "--replace",
        type=int,
        action="append",
        default=[],
        help="republish a final year whose tag moved (published years are otherwise immutable)",
    )
    p.add_argument(
        "--source-url",
        help="link template for source lines, e.g. https://git.example/org/repo/src/commit/{commit}/{path}#L{line}",
    )
    p.add_argument("--tag-prefix", default=TAG_PREFIX, help=f"final-year tag prefix (default: {TAG_PREFIX})")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(Path(args.repo or "."))
    if args.source_url:
        check_template(args.source_url, "--source-url")
    if not (root / ".git").exists():
        raise InputError(
            f"{root} is not a git repository: published versions are built from git revisions", code="publish.not-git"
        )
    versions = plan_versions(
        root,
        drafts=args.draft,
        draft_rev=args.rev,
        years=args.year,
        source_url=args.source_url,
        prefix=args.tag_prefix,
        organizations=args.org,
    )
    if not versions:
        raise InputError(
            f"nothing to publish: no {args.tag_prefix}<year> tags; tag a final commit "
            f"(git tag {args.tag_prefix}2010) or pass --draft <year>",
            code="publish.nothing",
        )
    site = root / args.site
    outcomes, recorded = publish(
        root,
        site,
        versions,
        dry_run=args.dry_run,
        replace=set(args.replace),
        migrate=args.migrate_layout,
        progress=lambda line: print(one_line(line), file=sys.stderr, flush=True),
    )
    for o in outcomes:
        tag = one_line(o.version.provenance.tag or "draft")
        print(f"{o.version.year}\t{o.action}\t{tag}\t{o.version.commit[:10]}\t{one_line(o.changes.summary())}")
        if args.dry_run:
            for label, paths in (("+", o.changes.added), ("~", o.changes.changed), ("-", o.changes.removed)):
                for path in paths[:20]:
                    print(f"  {label} {o.version.folder}/{one_line(path)}")
                if len(paths) > 20:
                    print(f"  {label} … and {len(paths) - 20} more")
    if recorded:
        print(
            f"kaohe publish: recorded in {RECORD_FILE}; commit it and push the tags "
            f"(git add {RECORD_FILE} && git commit -m '公布考核结果' && git push --tags origin HEAD)",
            file=sys.stderr,
        )
    return 0
