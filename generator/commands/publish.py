"""`kaohe publish`: final years from their `results-<year>` tags, drafts from a commit, into site/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..controlchars import one_line
from ..messages import tr
from ..problems import InputError
from ..publish.plan import TAG_PREFIX, UNREAD, lookalike_notes, plan_versions
from ..publish.publisher import publish
from ..publish.records import RECORD_FILE, TAG_NAME
from ..sourceurl import check_template
from ..tree import is_shallow
from ..workspace import find_root


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "publish", parents=[common], help=tr("publish.help"), description=tr("publish.description", prefix=TAG_PREFIX)
    )
    p.add_argument("--year", type=int, action="append", help=tr("publish.year.help"))
    p.add_argument("--draft", type=int, action="append", default=[], help=tr("publish.draft.help"))
    p.add_argument("--rev", default="HEAD", help=tr("publish.rev.help"))
    p.add_argument("--org", action="append", metavar="ORGANIZATION", help=tr("publish.org.help"))
    p.add_argument("--site", default="site", help=tr("publish.site.help"))
    p.add_argument("--migrate-layout", action="store_true", help=tr("build.migrate-layout.help"))
    p.add_argument("--dry-run", action="store_true", help=tr("publish.dry-run.help"))
    p.add_argument("--replace", type=int, action="append", default=[], help=tr("publish.replace.help"))
    p.add_argument("--source-url", help=tr("publish.source-url.help"))
    p.add_argument("--tag-prefix", default=TAG_PREFIX, help=tr("publish.tag-prefix.help", prefix=TAG_PREFIX))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = find_root(Path(args.repo or "."))
    if args.tag_prefix and not TAG_NAME.match(args.tag_prefix):  # "-l" would reach git as an option
        raise InputError("publish.bad-tag-prefix", prefix=args.tag_prefix, default=TAG_PREFIX)
    if args.source_url:
        check_template(args.source_url, "--source-url")
    # the working tree's configuration is read, and refused if it must be, before anything else
    from ..render.siteconfig import configured_source_url  # here: every other command starts without YAML

    configured = UNREAD if args.source_url else configured_source_url(root)
    if not (root / ".git").exists():
        raise InputError("publish.not-git", root=root)
    if is_shallow(root):  # tags not fetched would publish a final year as a draft, or not at all
        raise InputError("publish.shallow", root=root, prefix=args.tag_prefix)
    for note in lookalike_notes(root, args.tag_prefix):
        print(f"kaohe publish: {one_line(str(note))}", file=sys.stderr)
    versions = plan_versions(
        root,
        drafts=args.draft,
        draft_rev=args.rev,
        years=args.year,
        source_url=args.source_url,  # else each year's own (generator.publish.plan)
        configured=configured,
        prefix=args.tag_prefix,
        organizations=args.org,
    )
    if not versions:
        raise InputError("publish.nothing", prefix=args.tag_prefix)
    site = root / args.site
    outcomes, recorded = publish(
        root,
        site,
        versions,
        dry_run=args.dry_run,
        replace=set(args.replace),
        migrate=args.migrate_layout,
        progress=lambda line: print(one_line(str(line)), file=sys.stderr, flush=True),
    )
    for o in outcomes:
        tag = one_line(o.version.provenance.tag or tr("publish.draft"))
        action, summary = tr(f"publish.action.{o.action.replace(' ', '-')}"), one_line(str(o.changes.summary()))
        print(f"{o.version.year}\t{action}\t{tag}\t{o.version.commit[:10]}\t{summary}")
        if args.dry_run:
            for label, paths in (("+", o.changes.added), ("~", o.changes.changed), ("-", o.changes.removed)):
                for path in paths[:20]:
                    print(f"  {label} {o.version.folder}/{one_line(path)}")
                if len(paths) > 20:
                    print(f"  {label} {tr('publish.more', more=len(paths) - 20)}")
    if recorded:
        print(f"kaohe publish: {tr('publish.recorded', file=RECORD_FILE)}", file=sys.stderr)
    return 0
