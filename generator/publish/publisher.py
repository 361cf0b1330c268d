"""Build planned versions into the site folder, one atomic swap each, and say what changed.

A published final year is never rebuilt unless its tag moved (then only with an explicit
`replace`), so publishing a new year leaves every file of the old ones byte-identical.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import InputError
from ..tree import GitError, git
from .layout import published_versions, read_stamp, root_files, swap_in, write_atomically
from .plan import PUBLISHED_PREFIX, Version
from .snapshot import extract

Progress = Callable[[str], None]


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"


@dataclass
class Outcome:
    version: Version
    action: str  # built | kept | would build | would keep
    changes: Changes


def compare(new: Path, old: Path) -> Changes:
    def files(root: Path) -> dict[str, Path]:
        if not root.is_dir():
            return {}
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(new), files(old)
    changes = Changes(added=sorted(set(a) - set(b)), removed=sorted(set(b) - set(a)))
    changes.changed = sorted(p for p in set(a) & set(b) if a[p].read_bytes() != b[p].read_bytes())
    return changes


def record_tag(year: int) -> str:
    return f"{PUBLISHED_PREFIX}{year}"


def check_record(repo: Path, version: Version, replace: set[int]) -> None:
    """Refuse a final year whose tag moved since it was published, wherever the site folder is.

    The record is the tag `published-<year>`, which travels with the repository: a fresh clone in
    CI knows what was published even though it has no site/ of its own.
    """
    try:
        recorded = git(repo, "rev-parse", "--verify", "-q", f"refs/tags/{record_tag(version.year)}^{{commit}}")
    except GitError:
        return  # never published
    recorded_commit = recorded.decode().strip()
    if recorded_commit != version.commit and version.year not in replace:
        raise InputError(
            f"{version.provenance.tag} now points to {version.commit[:10]} but {version.year} was published from "
            f"{recorded_commit[:10]} (tag {record_tag(version.year)}); published years are immutable. "
            f"If the change is deliberate (a decided appeal), publish again with --replace {version.year}"
        )


def record(repo: Path, version: Version) -> None:
    """Tag what was published (moved only by a deliberate --replace)."""
    git(repo, "tag", "-f", record_tag(version.year), version.commit)


def publish(
    repo: Path,
    site: Path,
    versions: list[Version],
    *,
    dry_run: bool = False,
    replace: set[int] | None = None,
    progress: Progress = lambda _: None,
) -> list[Outcome]:
    from ..render.build import build_year  # the renderer is only needed when something is built

    replace = replace or set()
    published = published_versions(site)
    outcomes: list[Outcome] = []
    site.parent.mkdir(parents=True, exist_ok=True)
    for version in versions:  # refuse before building anything
        if not version.provenance.draft:
            check_record(repo, version, replace)
    for n, version in enumerate(versions, start=1):
        existing = published.get(version.year)
        if existing and not existing.get("draft"):
            if version.provenance.draft:
                raise InputError(
                    f"site/{version.year} holds final results ({existing.get('tag')}); a draft cannot replace them"
                )
            if existing.get("commit") == version.commit and version.year not in replace:
                outcomes.append(Outcome(version, "would keep" if dry_run else "kept", Changes()))
                progress(f"[{n}/{len(versions)}] {version.year}: published from {version.commit[:10]}, unchanged")
                continue
            if version.year not in replace:
                raise InputError(
                    f"{version.provenance.tag} now points to {version.commit[:10]} but site/{version.year} was "
                    f"published from {str(existing.get('commit'))[:10]}; published years are immutable. "
                    f"If the change is deliberate (a decided appeal), publish again with --replace {version.year}"
                )
        started = time.monotonic()
        progress(f"[{n}/{len(versions)}] building {version.describe()} …")
        with tempfile.TemporaryDirectory(prefix=".kaohe-publish-", dir=site.parent) as tmp:
            source, out = Path(tmp) / "src", Path(tmp) / "out"
            extract(repo, version.commit, source)
            # pins dates, writes the stamp; the snapshot is outside git: filing dates come from the repository
            build_year(source, version.year, out, version.provenance, history=(repo, version.commit))
            published[version.year] = read_stamp(out) or {}
            changes = compare(out, site / version.name)
            if not dry_run:
                swap_in(out, site / version.name)
                if not version.provenance.draft:
                    record(repo, version)
        action = "would build" if dry_run else "built"
        outcomes.append(Outcome(version, action, changes))
        seconds = time.monotonic() - started
        progress(f"[{n}/{len(versions)}] {version.year}: {action} in {seconds:.1f} s ({changes.summary()})")
    for name, text in root_files(published).items():
        target = site / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            progress(f"{'would write' if dry_run else 'writing'} site/{name}")
            if not dry_run:
                write_atomically(target, text)
    return outcomes
