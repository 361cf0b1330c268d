"""Write the versioned site: the one writer behind `kaohe build` and `kaohe publish`.

The whole site is staged beside the old one, every year either carried over (hard links, byte
for byte) or built into its organization's folder, then put in place in one step (:mod:`.swap`):
readers and a kill at any instant see the old site or the new one, whole, and each organization's
``versions.json`` always lists exactly its years present. What may happen to each year is
:func:`.immutable.decide`'s to say; where it goes, its organization's (:mod:`generator.organization`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import Message, msg, tr
from ..organization import DEFAULT
from ..problems import InputError
from ..provenance import Provenance
from ..types import ORGANIZATION
from . import swap
from .folder import YEAR_FOLDER, outside_repository_data, site_folder
from .immutable import decide
from .layout import layout_of
from .plan import Version, placed
from .snapshot import extract
from .stamp import DamagedStamp, Stamp, read_stamp, write_stamp
from .yearfiles import refuse_stray, write_list

Progress = Callable[[str], None]


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> Message:
        return msg("publish.changes", added=len(self.added), changed=len(self.changed), removed=len(self.removed))


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


@dataclass(frozen=True)
class Placed:
    """A year folder found in the site."""

    path: Path
    organization: str | None  # the folder it lies in; None at the top (the layout before organizations)
    state: Stamp | DamagedStamp  # its stamp, or why it cannot be trusted


def site_years(site: Path) -> dict[int, Placed]:
    """Year → its folder in `site`, in an organization's folder or (the layout before organizations) at the top.

    A repository assesses a year once (evidence/<year>/), so a year lies in one folder; two are refused.
    """
    found: dict[int, Placed] = {}
    if not site.is_dir():
        return found
    folders: list[tuple[Path, str | None]] = []
    for child in sorted(site.iterdir()):
        if not child.is_dir() or child.is_symlink():
            continue
        if YEAR_FOLDER.match(child.name):
            folders.append((child, None))
        elif ORGANIZATION.match(child.name):
            folders += [(y, child.name) for y in sorted(child.iterdir()) if YEAR_FOLDER.match(y.name) and y.is_dir()]
    for folder, organization in folders:
        year = int(folder.name)
        if year in found:
            raise InputError("site.year-twice", year=year, first=found[year].path, second=folder)
        try:
            state: Stamp | DamagedStamp = read_stamp(folder)
        except DamagedStamp as damaged:
            state = damaged
        found[year] = Placed(folder, organization, state)
    return found


def refuse_old_layout(site: Path, found: dict[int, Placed], command: str) -> None:
    """The layout before organizations (site/<year>/) is moved only when the operator says so: the
    addresses readers bookmarked change."""
    old = sorted(year for year, folder in found.items() if folder.organization is None)
    if old:
        folders = [f"{site.name}/{y}/" for y in old]
        raise InputError("site.old-layout", site=site, folders=folders, name=site.name, command=command)


def layout_files(site: Path, names: dict[str, str]) -> dict[str, str]:
    """The layout's files for the year folders in `site` (see :func:`.layout.layout_of`)."""
    years = {
        (found.organization, year): found.state
        for year, found in site_years(site).items()
        if found.organization is not None and isinstance(found.state, Stamp)
    }
    return layout_of(years, names)


def _carry_over(site: Path, source: Path, staging: Path, folder: str, progress: Progress) -> None:
    """Copy a year folder unchanged into `staging`/`folder`: hard links where the filesystem allows, else
    bytes. Say so when it moves (from the layout before organizations into its organization's folder)."""
    if source.relative_to(site).as_posix() != folder:
        before, after = f"{site.name}/{source.relative_to(site).as_posix()}/", f"{site.name}/{folder}/"
        progress(tr("site.moved", before=before, after=after))
    swap.carry(source, staging / folder)


def _build(
    root: Path,
    site: Path,
    version: Version,
    out: Path,
    *,
    strict: bool,
    config_file: Path | None,
    filing_dates: bool,
    cache: Path | None = None,
    jobs: int = 1,
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
            cache=cache,
            jobs=jobs,
        )
    else:
        if not (root / ".git").exists():
            raise InputError(
                "site.final-needs-git",
                year=version.year,
                tag=version.provenance.tag or "",
                commit=version.commit[:10],
                root=root,
            )
        from ..render.siteconfig import committed_lang

        # kaohe's own configuration, in the language of the commit's (as the link template is its):
        # a year rebuilt from its tag speaks the language of its site
        lang = committed_lang(root, version.commit, version.provenance.tag or version.commit[:10])
        with swap.scratch(site) as source:
            extract(root, version.commit, source)
            # the snapshot is outside git: filing dates come from the repository
            rendered = build_year(
                source,
                version.year,
                out,
                version.provenance,
                history=(root, version.commit),
                cache=cache,
                jobs=jobs,
                lang=lang,
            )
    assert version.organization is not None  # placed by write_site
    write_stamp(
        out, version.provenance, version.year, rendered.framework, version.organization, rendered.stage, rendered.lang
    )
    write_list(out)  # last: what the next build may replace or carry in this folder
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
    migrate: bool = False,
    command: str = "kaohe build",
    progress: Progress = lambda _: None,
    cache: Path | None = None,
    jobs: int = 1,
) -> list[Outcome]:
    """Make `site` hold `versions` (and every other year it holds), replacing it in one step.

    Every refusal (a foreign folder or file, a link in a year folder, a final year that would change, a damaged
    stamp a draft would overwrite, the layout before organizations without `migrate`) comes before
    anything is built.
    With `dry_run` the staged site is discarded. `filing_dates` False scores working-tree drafts
    without late filing; `command` is how refusals name the command to run again. `cache` is the
    cache folder whose unchanged pages builds reuse, `jobs` the processes that render a year's pages.
    """
    site = outside_repository_data(site, root)  # before anything is locked or recovered beside it
    with swap.locked(site):
        for line in swap.recover(site):
            progress(line)
        site = site_folder(site, root)
        existing = site_years(site)
        for found in existing.values():  # each is carried or dropped: nothing followed, nothing else's lost
            refuse_stray(found.path, site)
        if not migrate:
            refuse_old_layout(site, existing, command)
        versions = [placed(root, v) for v in versions]
        asked = {v.year for v in versions}
        for year, found in existing.items():
            if year not in asked and isinstance(found.state, DamagedStamp):
                decide(Version(year, Provenance()), found.state)  # refused: nothing tells whether it is final
        decisions = {v.year: decide(v, _state(existing.get(v.year)), replace) for v in versions}
        names = {v.organization.id: v.organization.name for v in versions if v.organization is not None}
        outcomes: list[Outcome] = []

        def kept(folder: Path, found: Path) -> None:
            progress(tr("site.copy-kept", file=found, folder=folder))

        with swap.replacing(site, dry_run=dry_run, kept=kept) as staging:
            for year, found in existing.items():
                if year not in asked and isinstance(found.state, Stamp):
                    organization = found.organization or _organization_of(root, found.state, names)
                    _carry_over(site, found.path, staging, f"{organization}/{year}", progress)
            for n, version in enumerate(versions, start=1):
                decision, out = decisions[version.year], staging / version.folder
                before = existing.get(version.year)
                counter = f"[{n}/{len(versions)}]"
                if decision.action == "keep":
                    assert before is not None and isinstance(before.state, Stamp) and before.state.final
                    _carry_over(site, before.path, staging, version.folder, progress)
                    outcomes.append(Outcome(version, "would keep" if dry_run else "kept"))
                    kept = msg("publish.kept", year=version.year, tag=before.state.tag or "")
                    progress(f"{counter} {decision.note or kept}")
                    continue
                if decision.note:
                    progress(f"{counter} {decision.note}")
                started = time.monotonic()
                progress(f"{counter} {tr('publish.building', version=version.describe())}")
                rendered = _build(
                    root,
                    site,
                    version,
                    out,
                    strict=strict,
                    config_file=config_file,
                    filing_dates=filing_dates,
                    cache=cache,
                    jobs=jobs,
                )
                old = before.path if before is not None else site / version.folder
                changes = compare(out, old) if report_changes else Changes()
                action = "would build" if dry_run else "built"
                outcomes.append(Outcome(version, action, changes, rendered.warnings))
                changes_text = msg("publish.changes.in-brackets", changes=changes.summary()) if report_changes else ""
                if cache is not None and rendered.pages:
                    every = rendered.rendered == rendered.pages  # a cold cache: "the rest unchanged" would be false
                    changes_text = tr(
                        "publish.pages-rendered.all" if every else "publish.pages-rendered",
                        before=changes_text,
                        rendered=rendered.rendered,
                        pages=rendered.pages,
                    )
                done = tr(
                    "publish.built",
                    year=version.year,
                    action=msg(f"publish.action.{action.replace(' ', '-')}"),
                    seconds=f"{time.monotonic() - started:.1f}",
                    changes=changes_text,
                )
                progress(f"{counter} {done}")
            for name, text in layout_files(staging, names).items():
                (staging / name).write_text(text, encoding="utf-8")
    return outcomes


def _state(found: Placed | None) -> Stamp | DamagedStamp | None:
    return found.state if found is not None else None


def _organization_of(root: Path, stamp: Stamp, names: dict[str, str]) -> str:
    """Where a year of the layout before organizations goes that is not built now: where it would be
    built (:func:`.plan.placed`); the default organization when neither its commit nor the working
    tree tells."""
    try:
        organization = placed(root, Version(stamp.year, Provenance(commit=stamp.commit))).organization
    except InputError:
        return DEFAULT
    assert organization is not None
    names.setdefault(organization.id, organization.name)
    return organization.id
