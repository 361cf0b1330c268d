"""Write the versioned site: the one writer behind `kaohe build` and `kaohe publish`.

The whole site is staged beside the old one, every year either carried over (hard links, byte
for byte) or built, then put in place in one step (:mod:`.swap`): readers and a kill at any
instant see the old site or the new one, whole, and ``versions.json`` always lists exactly the
years present. What may happen to each year is :func:`.immutable.decide`'s to say.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import InputError
from ..provenance import Provenance
from . import swap
from .folder import outside_repository_data, site_folder
from .immutable import decide
from .layout import root_files
from .plan import Version
from .snapshot import extract
from .stamp import DamagedStamp, Stamp, read_stamp, write_stamp

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
    changes: Changes = field(default_factory=Changes)
    warnings: list[str] = field(default_factory=list)


def compare(new: Path, old: Path) -> Changes:
    def files(root: Path) -> dict[str, Path]:
        if not root.is_dir():
            return {}
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(new), files(old)
    changes = Changes(added=sorted(set(a) - set(b)), removed=sorted(set(b) - set(a)))
    changes.changed = sorted(p for p in set(a) & set(b) if a[p].read_bytes() != b[p].read_bytes())
    return changes


def year_folders(site: Path) -> dict[int, Stamp | DamagedStamp]:
    """Year → the stamp of each year folder in `site` (or why it cannot be trusted)."""
    found: dict[int, Stamp | DamagedStamp] = {}
    if not site.is_dir():
        return found
    for child in sorted(site.iterdir()):
        if child.is_dir() and child.name.isascii() and child.name.isdigit():
            try:
                found[int(child.name)] = read_stamp(child)
            except DamagedStamp as damaged:
                found[int(child.name)] = damaged
    return found


def _carry_over(source: Path, target: Path) -> None:
    """Copy a year folder unchanged: hard links where the filesystem allows, else bytes."""
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def _build(
    root: Path, site: Path, version: Version, out: Path, *, strict: bool, config_file: Path | None, filing_dates: bool
):
    """Render one year: from the working tree, or from a snapshot of its commit; then stamp it."""
    from ..render.build import build_year  # the renderer's one entry; MkDocs loads only when something is built

    if version.commit is None:
        rendered = build_year(
            root,
            version.year,
            out,
            version.provenance,
            strict=strict,
            config_file=config_file,
            filing_dates=filing_dates,
        )
    else:
        if not (root / ".git").exists():
            raise InputError(
                f"{version.year} is final ({version.provenance.tag} @ {version.commit[:10]}) and must be built from "
                f"its commit, but {root} is not a git repository",
                code="site.final-needs-git",
            )
        with swap.scratch(site) as source:
            extract(root, version.commit, source)
            # kaohe's own configuration; the snapshot is outside git: filing dates come from the repository
            rendered = build_year(source, version.year, out, version.provenance, history=(root, version.commit))
    write_stamp(out, version.provenance, version.year, rendered.framework, rendered.stage)
    return rendered


def write_site(
    root: Path,
    site: Path,
    versions: list[Version],
    *,
    replace: Collection[int] = (),
    dry_run: bool = False,
    report_changes: bool = False,
    strict: bool = True,
    config_file: Path | None = None,
    filing_dates: bool = True,
    progress: Progress = lambda _: None,
) -> list[Outcome]:
    """Make `site` hold `versions` (and every other year it holds), replacing it in one step.

    Every refusal (a foreign folder, a final year that would change, a damaged stamp a draft would
    overwrite) comes before anything is built. With `dry_run` the staged site is discarded.
    `filing_dates` False scores working-tree drafts without late filing.
    """
    site = outside_repository_data(site, root)  # before anything is locked or recovered beside it
    with swap.locked(site):
        for line in swap.recover(site):
            progress(line)
        site = site_folder(site, root)
        existing = year_folders(site)
        asked = {v.year for v in versions}
        for year, state in existing.items():
            if year not in asked and isinstance(state, DamagedStamp):
                decide(Version(year, Provenance()), state)  # refused: nothing tells whether it is final
        decisions = {v.year: decide(v, existing.get(v.year), replace) for v in versions}
        outcomes: list[Outcome] = []
        with swap.replacing(site, dry_run=dry_run) as staging:
            drafts: dict[int, bool] = {}
            stages: dict[int, str | None] = {}  # what the version selector says beside each year
            for year, state in existing.items():
                if year not in asked and isinstance(state, Stamp):
                    _carry_over(site / str(year), staging / str(year))
                    drafts[year], stages[year] = state.draft, state.stage
            for n, version in enumerate(versions, start=1):
                decision, out = decisions[version.year], staging / version.name
                counter = f"[{n}/{len(versions)}]"
                if decision.action == "keep":
                    state = existing[version.year]
                    assert isinstance(state, Stamp) and state.final
                    _carry_over(site / version.name, out)
                    drafts[version.year], stages[version.year] = False, state.stage
                    outcomes.append(Outcome(version, "would keep" if dry_run else "kept"))
                    kept = f"{version.year} is published as final ({state.tag}); kept as published"
                    progress(f"{counter} {decision.note or kept}")
                    continue
                if decision.note:
                    progress(f"{counter} {decision.note}")
                started = time.monotonic()
                progress(f"{counter} building {version.describe()} …")
                rendered = _build(
                    root, site, version, out, strict=strict, config_file=config_file, filing_dates=filing_dates
                )
                drafts[version.year], stages[version.year] = version.provenance.draft, rendered.stage
                changes = compare(out, site / version.name) if report_changes else Changes()
                action = "would build" if dry_run else "built"
                outcomes.append(Outcome(version, action, changes, rendered.warnings))
                summary = f" ({changes.summary()})" if report_changes else ""
                progress(f"{counter} {version.year}: {action} in {time.monotonic() - started:.1f} s{summary}")
            for name, text in root_files(drafts, stages).items():
                (staging / name).write_text(text, encoding="utf-8")
    return outcomes
