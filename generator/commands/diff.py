"""`kaohe diff BASE [HEAD]`: how a pull request changes the scores, as a comment for reviewers.

HEAD defaults to the working tree, so `kaohe diff main` on a pull-request branch shows what the
branch (and any uncommitted edit) does. BASE is compared from its merge base with HEAD, like the
pull request page itself (`git diff main...HEAD`): changes merged into main meanwhile are not
shown as reverted. Revisions are read from git objects; the working tree is never touched.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..diff import FileChange, Names, YearDiff, compare_results, framework_changes
from ..gitdates import FilingDates
from ..messages import msg, tr
from ..model import Framework, Repository
from ..output.diffout import WORKING_TREE, Links, Revision, markdown, rule_changes_intro, to_json
from ..problems import InputError
from ..score import score_assessment
from ..sourceurl import check_template
from ..tree import FsTree, GitError, GitTree, Tree, commit_of, git, is_shallow
from ..workspace import add_filing_dates_flag, find_root, load_tree, require_clean
from .score import parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("diff", parents=[common], help=tr("diff.help"), description=tr("diff.description"))
    p.add_argument("base", metavar="BASE", nargs="?", help=tr("diff.base.help"))
    p.add_argument("head", metavar="HEAD", nargs="?", help=tr("diff.head.help"))
    p.add_argument("--year", type=int, help=tr("diff.year.help"))
    p.add_argument("--against-year", type=int, metavar="YEAR", help=tr("diff.against-year.help"))
    p.add_argument("--as-of", type=parse_date, help=tr("diff.as-of.help"))
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help=tr("diff.format.help"))
    p.add_argument("--limit", type=int, metavar="CHARS", help=tr("diff.limit.help"))
    p.add_argument("--exact-base", action="store_true", help=tr("diff.exact-base.help"))
    p.add_argument("--source-url", help=tr("diff.source-url.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def _open(root: Path, rev: str | None) -> tuple[Tree, Revision]:
    if rev is None:
        return FsTree(root), Revision(WORKING_TREE, None)
    try:
        tree = GitTree(root, rev)
    except GitError as exc:
        raise InputError("review.bad-revision", error=exc) from exc
    return tree, Revision(rev, tree.commit)


def _merge_base(root: Path, base: str, head: str | None) -> str:
    """Where HEAD left BASE, so that what BASE gained since is not shown as undone by HEAD.

    Without one BASE itself is compared: unrelated histories have no other. In a shallow clone
    the merge base may merely not have been fetched, and comparing with BASE itself would show
    every later change of BASE as reverted by the pull request: refused, naming the fix."""
    tip = head or "HEAD"  # the working tree's changes sit on its HEAD commit
    try:
        return git(root, "merge-base", base, tip).decode().strip() or base
    except GitError:
        commit_of(root, base)  # a BASE or HEAD that is missing altogether is said as such
        if head is not None:
            commit_of(root, head)
        if is_shallow(root):
            raise InputError("diff.shallow-merge-base", base=base, head=tip) from None
        return base


def _load(root: Path, tree: Tree, years: set[int] | None, side: str, filing_dates: FilingDates) -> Repository:
    ws = load_tree(root, tree, years, filing_dates)
    require_clean(ws, msg("diff.side", side=side, label=tree.label))
    return ws.repo


def _load_base(root: Path, tree: Tree, years: set[int] | None, filing_dates: FilingDates) -> tuple[Repository, int]:
    """BASE and its error count. An invalid BASE is still compared: the pull request that repairs
    main must get its comment too, and the comment says the base was invalid."""
    ws = load_tree(root, tree, years, filing_dates)
    return ws.repo, len(ws.problems.errors)


def _score_base(assessment: Any, as_of: date | None, base_errors: int) -> Any:
    if not base_errors:
        return score_assessment(assessment, as_of)
    try:
        return score_assessment(assessment, as_of)
    except Exception:  # invalid input may not score at all: that year's base is compared as empty
        return None


def base_warning(errors: int) -> str:
    return "> ⚠️ " + tr("diff.base-invalid", errors=errors) + "\n\n"


def file_changes(old: Tree, new: Tree, year: int, old_repo: Repository, new_repo: Repository) -> list[FileChange]:
    """Evidence and findings files of `year` added, removed or modified between the trees."""
    prefix = f"evidence/{year}"
    skip = f"{prefix}/units.toml"
    before = {p for p in old.files(prefix) if p != skip and p.endswith((".md", ".toml"))}
    after = {p for p in new.files(prefix) if p != skip and p.endswith((".md", ".toml"))}
    changes = [FileChange(p, "added") for p in sorted(after - before)]
    changes += [FileChange(p, "removed") for p in sorted(before - after)]
    changes += [FileChange(p, "modified") for p in sorted(before & after) if old.read(p) != new.read(p)]
    for f in changes:
        f.subjects = sorted(_declared(old_repo, year, f.path) | _declared(new_repo, year, f.path))
    changes.sort(key=lambda f: f.path)
    return changes


def setup_changes(old: Tree, new: Tree, year: int, old_repo: Repository, new_repo: Repository) -> list[FileChange]:
    """The year's units.toml and the files of its framework (either side's) added, removed or modified."""
    folders = {f"evidence/{year}/units.toml"}
    for repo in (old_repo, new_repo):
        a = repo.assessments.get(year)
        if a is not None and a.framework.path:
            folders.add(a.framework.path.rpartition("/")[0])
    before: set[str] = set()
    after: set[str] = set()
    for folder in sorted(folders):
        if folder.endswith(".toml"):
            before |= {folder} if old.exists(folder) else set()
            after |= {folder} if new.exists(folder) else set()
        else:
            before |= set(old.files(folder))
            after |= set(new.files(folder))
    changes = [FileChange(p, "added", effect=True) for p in sorted(after - before)]
    changes += [FileChange(p, "removed", effect=True) for p in sorted(before - after)]
    changes += [FileChange(p, "modified", effect=True) for p in sorted(before & after) if old.read(p) != new.read(p)]
    return sorted(changes, key=lambda f: f.path)


def _declared(repo: Repository, year: int, path: str) -> set[tuple[str, str]]:
    """(unit, indicator) pairs the file names, whether or not they count in the score."""
    a = repo.assessments.get(year)
    if a is None:
        return set()
    found = {(e.unit, e.indicator) for e in a.evidence if e.path == path}
    found |= {(f.unit or "", f.indicator) for f in a.findings if f.path == path}
    return found


def _source_url(given: str | None) -> str | None:
    """The link template from --source-url, else KAOHE_SOURCE_URL, checked where it was read."""
    if given is not None:
        return check_template(given, "--source-url")
    from_env = os.environ.get("KAOHE_SOURCE_URL")
    return check_template(from_env, "KAOHE_SOURCE_URL") if from_env else None


def run(args: argparse.Namespace) -> int:
    links = Links(_source_url(args.source_url))
    root = find_root(Path(args.repo or "."))
    if args.against_year is not None:
        return _rule_changes(args, root, links)
    if args.base is None:
        raise InputError("diff.no-base")
    base_rev = args.base if args.exact_base else _merge_base(root, args.base, args.head)
    base_tree, _ = _open(root, base_rev)
    head_tree, head = _open(root, args.head)
    base = Revision(args.base, base_tree.commit)  # type: ignore[attr-defined]
    years = {args.year} if args.year else None
    filing_dates: FilingDates = "off" if args.no_filing_dates else "required"
    old_repo, base_errors = _load_base(root, base_tree, years, filing_dates)
    new_repo = _load(root, head_tree, years, "HEAD", filing_dates)
    all_years = sorted(set(old_repo.assessments) | set(new_repo.assessments))
    if args.year and args.year not in all_years:
        raise InputError("diff.no-year", year=args.year)
    diffs: list[YearDiff] = []
    for year in all_years:
        as_of: date | None = args.as_of
        if as_of is not None and as_of.year != year:
            continue
        a, b = old_repo.assessments.get(year), new_repo.assessments.get(year)
        old = _score_base(a, as_of, base_errors) if a else None
        new = score_assessment(b, as_of) if b else None
        d = compare_results(old, new, file_changes(base_tree, head_tree, year, old_repo, new_repo))
        d.setup = setup_changes(base_tree, head_tree, year, old_repo, new_repo)
        d.names = Names.of(a.framework if a else None, b.framework if b else None)
        diffs.append(d)
    if args.format == "json":
        data = json.loads(to_json(diffs, base, head))
        data["base_errors"] = base_errors
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        warning = base_warning(base_errors) if base_errors else ""
        sys.stdout.write(warning + markdown(diffs, base, head, links, _rest(args.limit, warning)))
    return 0


def _rest(limit: int | None, before: str) -> int | None:
    """What `--limit` leaves for the comparison after the text printed before it: the whole
    output, not only its comparison, must fit the server's cap."""
    return None if limit is None else limit - len(before)


def _worded(*frameworks: Framework) -> dict[str, str]:
    """Each indicator of the frameworks as the document names it (its table and 序号: 执法打假工作第4项;
    without a 序号, its table and wording), the later framework winning where both have it."""
    words: dict[str, str] = {}
    for fw in frameworks:
        for cat in fw.categories:
            for ind in cat.indicators:
                key = "diff.rules.indicator" if str(ind.seq).strip() else "review.indicator.no-seq"
                words[ind.id] = tr(key, category=cat.title, seq=ind.seq, title=ind.name)
    return words


def _rule_changes(args: argparse.Namespace, root: Path, links: Links) -> int:
    """`--year Y --against-year X`: Y's evidence, findings and appeals scored under X's framework (the
    base) and under Y's own (the head): every difference is what the rules changed, nothing else."""
    if args.year is None or args.head is not None:
        raise InputError("diff.against-year-needs-year")
    if args.against_year == args.year:
        raise InputError("diff.against-same-year", year=args.against_year)
    tree, revision = _open(root, args.base)
    filing_dates: FilingDates = "off" if args.no_filing_dates else "required"
    repo = _load(root, tree, {args.year, args.against_year}, revision.label, filing_dates)
    for year in (args.year, args.against_year):
        if year not in repo.assessments:
            raise InputError("diff.year-missing", year=year, tree=tree.label)
    a = repo.assessments[args.year]
    rules = repo.assessments[args.against_year].framework
    under_old = score_assessment(dataclasses.replace(a, framework=rules), args.as_of)
    under_new = score_assessment(a, args.as_of)
    diff = compare_results(under_old, under_new, [])
    diff.names = Names.of(rules, a.framework)
    base = Revision(tr("diff.rules-of-year", year=args.against_year, framework=rules.id), None)
    head = Revision(tr("diff.rules-of-year", year=args.year, framework=a.framework.id), None)
    changed = framework_changes(rules, a.framework)
    if args.format == "json":
        data = json.loads(to_json([diff], base, head))
        data["rules"] = changed
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    intro = rule_changes_intro(args.year, args.against_year, revision, changed, _worded(rules, a.framework))
    sys.stdout.write(intro + markdown([diff], base, head, links, _rest(args.limit, intro)))
    return 0
