"""Join sites built apart into one: the last step of a build fanned out over CI runners.

Each runner builds a shard, one organization's year (``kaohe build --org O --year Y --site-dir
part``): a whole site holding that year, with a layout (root page, ``versions.json``) that knows
only it. Assembling carries every year folder of every part over unchanged (hard links where the
filesystem allows, else bytes) and writes the layout once for all of them (:mod:`.layout`), so
the result is byte for byte the site one machine would have built. The year folders are never
rendered again, and the layout is made from their stamps alone: assembling needs no repository
data, and parts from several repositories (organizations assessing the same year) join into one
site.

A part must be a site kaohe wrote (the marker, nothing foreign, no symbolic link anywhere, every
stamp intact) and no organization's year may come from two parts. The years already in the target
folder are kept unless a part brings them again, and then :func:`.immutable.decide` says what may
happen, as for a build: a final year is never replaced from another commit or by a draft. The target
is replaced in one step (:mod:`.swap`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..messages import Message, tr
from ..organization import Organization
from ..problems import InputError
from ..provenance import Provenance
from ..types import ORGANIZATION
from . import swap
from .folder import YEAR_FOLDER, foreign_entry, is_marked, outside_repository_data, site_folder
from .immutable import decide
from .layout import layout_of
from .plan import Version
from .stamp import DamagedStamp, Stamp, read_stamp
from .yearfiles import MAX_DEPTH, refuse_stray, stray

Progress = Callable[[str], None]
#: An organization's year: the unit a part brings and the site holds once.
Key = tuple[str, int]


@dataclass(frozen=True)
class Found:
    """A year folder in a part or in the site, with its stamp (or why the stamp cannot be trusted)."""

    path: Path
    state: Stamp | DamagedStamp


def year_folders(site: Path, *, part: bool = False) -> dict[Key, Found]:
    """Every ``<organization>/<year>`` folder of a kaohe site (a `part`, or the target); a symbolic link or
    special file anywhere in it is refused (nothing is followed out of a part), and so is a file kaohe
    did not write (:mod:`.yearfiles`) and a year at the top (the layout before organizations, which
    ``kaohe build --migrate-layout`` moves)."""
    found: dict[Key, Found] = {}
    for entry in sorted(site.iterdir()):
        if YEAR_FOLDER.match(entry.name) and entry.is_dir():
            raise InputError("assemble.old-layout", folder=entry)
        if not (ORGANIZATION.match(entry.name) and entry.is_dir()) or entry.is_symlink():
            continue
        for year in sorted(entry.iterdir()):
            if YEAR_FOLDER.match(year.name) and year.is_dir() and not year.is_symlink():
                _refuse_stray(year, site, part)
                try:
                    state: Stamp | DamagedStamp = read_stamp(year)
                except DamagedStamp as damaged:
                    state = damaged
                found[(entry.name, int(year.name))] = Found(year, state)
    return found


def _refuse_stray(year: Path, site: Path, part: bool) -> None:
    """A part's year is refused as a part; the target's as a site folder, whose files would be lost."""
    if not part:
        refuse_stray(year, site)
        return
    found = stray(year)
    if found is not None and found.deep:
        raise InputError("assemble.too-deep", path=found.path, limit=MAX_DEPTH)
    if found is not None:
        raise InputError("assemble.not-regular", path=found.path)


def read_part(part: Path, site: Path) -> dict[Key, Found]:
    """The years of one part, once it is sure to be a whole site kaohe wrote, apart from `site`."""
    if not part.exists() and not part.is_symlink():  # a typo, or a shell pattern that matched nothing
        raise InputError("assemble.part-missing", part=part)
    if part.is_symlink() or not part.is_dir() or not is_marked(part):
        raise InputError("assemble.not-a-site", part=part)
    resolved = part.resolve()
    if resolved == site or resolved.is_relative_to(site) or site.is_relative_to(resolved):
        raise InputError("assemble.part-in-site", part=part, site=site)
    if _named_as_copy(resolved, site):
        raise InputError("assemble.part-named-as-copy", part=part, site=site, name=site.name)
    foreign = foreign_entry(sorted(part.iterdir()))
    if foreign is not None:
        raise InputError("assemble.not-regular", path=foreign)
    years = year_folders(part, part=True)
    if not years:  # kaohe build --org O --year Y writes one; an empty part hides a failed shard
        raise InputError("assemble.no-year", part=part)
    for found in years.values():
        if isinstance(found.state, DamagedStamp):
            raise found.state
    return years


def _named_as_copy(part: Path, site: Path) -> bool:
    """Whether `part` is (or lies in) a folder beside `site` named as kaohe's staging or old copy of it
    (``.site.new-*``, ``.site.old-*``): recovery before the site is written deletes such a folder, or
    renames it into the site's place, as a copy a killed run left."""
    prefixes = (swap.staging_prefix(site), swap.old_prefix(site))
    return any(f.parent == site.parent and f.name.startswith(prefixes) for f in (part, *part.parents))


def _version(key: Key, stamp: Stamp) -> Version:
    """A part's year as a version, for :func:`.immutable.decide`: what it was built from, per its stamp."""
    provenance = Provenance(stamp.commit, stamp.commit_date, stamp.tag, stamp.draft)
    return Version(key[1], provenance, Organization(key[0], stamp.organization_name or key[0]))


#: What a build says of a final year it writes, as assembling says it: a part's year is put in place,
#: not built ("site/…/2010不存在；放入 results-2010 @ … 的结果").
_PLACING = {
    "publish.building-final.absent": "assemble.placing-final.absent",
    "publish.building-final.draft": "assemble.placing-final.draft",
    "publish.rebuilding-damaged": "assemble.replacing-damaged",
}


def _placing(note: Message) -> Message:
    return Message(_PLACING[note.id], note.params) if note.id in _PLACING else note


def assemble(root: Path, parts: list[Path], site: Path, progress: Progress = lambda _: None) -> dict[Key, Stamp]:
    """Make `site` hold every year of `parts` (and the years it holds that no part brings), in one step.

    Every refusal comes before anything is written. Returns the years the site holds afterwards.
    """
    site = outside_repository_data(site, root)
    incoming: dict[Key, Found] = {}
    for part in parts:
        for key, found in read_part(part, site).items():
            if key in incoming:
                raise InputError(
                    "assemble.twice", organization=key[0], year=key[1], first=incoming[key].path, second=found.path
                )
            incoming[key] = found
    with swap.locked(site):
        for line in swap.recover(site):
            progress(str(line))
        site = site_folder(site, root)
        existing = year_folders(site) if site.is_dir() else {}
        chosen: dict[Key, Found] = {}
        for key, found in existing.items():
            if key not in incoming:
                if isinstance(found.state, DamagedStamp):  # refused: nothing tells whether it is final
                    decide(Version(key[1], Provenance(), Organization(key[0], key[0])), found.state)
                chosen[key] = found
        for key, found in sorted(incoming.items()):
            assert isinstance(found.state, Stamp)
            before = existing.get(key)
            decision = decide(_version(key, found.state), before.state if before is not None else None)
            if decision.note:
                progress(str(_placing(decision.note)))
            chosen[key] = before if decision.action == "keep" and before is not None else found
        with swap.replacing(
            site, kept=lambda folder, found: progress(tr("site.copy-kept", file=found, folder=folder))
        ) as staging:
            for (organization, year), found in sorted(chosen.items()):
                swap.carry(found.path, staging / organization / str(year))
            stamps = {key: found.state for key, found in chosen.items() if isinstance(found.state, Stamp)}
            for name, text in layout_of(stamps).items():
                (staging / name).write_text(text, encoding="utf-8")
    return stamps
