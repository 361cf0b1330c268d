"""Which folder may hold the site: never the repository's data, never a folder kaohe did not write.

kaohe replaces the site folder whole, so it must be sure the folder is its own. A folder is
kaohe's when it is empty or absent, or when it carries the marker file :data:`MARKER` that kaohe
writes into every site (and every staging folder) it creates, and holds nothing but what kaohe
writes there. The repository itself, any folder above it, and its data (``frameworks/``,
``evidence/``, the git folder) are refused whatever they hold, and so is anything inside them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..messages import msg
from ..problems import InputError
from ..tree import GitError, git
from ..types import ORGANIZATION

MARKER = ".kaohe-site"
MARKER_TEXT = (
    "This folder was written by kaohe (kaohe build / kaohe publish), which replaces it whole.\n"
    "Do not keep other files in it: kaohe refuses to replace a folder holding files it did not write.\n"
)

#: The repository's own data: a site folder may be none of these, lie in none, and contain none.
DATA_FOLDERS = ("frameworks", "evidence", ".git")

#: What kaohe writes at the top of a site: the marker, the root page, a folder per organization, the
#: temporary files of an interrupted atomic write, and what the layout before organizations wrote
#: there (versions.json and a folder a year), which kaohe build --migrate-layout moves. The names end
#: in \Z, not $ (which matches before a final "\n"), and a temporary file's suffix is what mkstemp
#: writes (ASCII letters, digits, "_"), not \w (any script's letters).
_TEMPORARY = r"\.(versions\.json|index\.html)\.[A-Za-z0-9_]+"
_OWN = re.compile(rf"^(\.kaohe-site|index\.html|versions\.json|[0-9]{{4}}|{_TEMPORARY})\Z")
#: What kaohe writes in an organization's folder: its versions.json and redirect, a folder a year.
_OWN_IN_ORGANIZATION = re.compile(rf"^(versions\.json|index\.html|[0-9]{{4}}|{_TEMPORARY})\Z")
#: A year folder, in an organization's folder (or at the top, in the layout before organizations).
YEAR_FOLDER = re.compile(r"^[0-9]{4}\Z")


def is_marked(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def protected(root: Path) -> list[Path]:
    """The repository's data folders (and its git folder wherever git keeps it)."""
    found = [root / name for name in DATA_FOLDERS]
    try:
        out = git(root, "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir")
        found += [Path(os.fsdecode(line)) for line in out.split(b"\n") if line]  # paths: any bytes
    except (GitError, OSError):
        pass  # not a git repository: frameworks/ and evidence/ are the data
    return [p.resolve() for p in found]


def data_holding(path: Path, root: Path) -> str | None:
    """The repository data folder `path` is (or is inside), as the user knows it ("evidence/",
    ".git/"); None when it is in none. Symbolic links are followed first."""
    path, root = path.resolve(), root.resolve()
    for data in protected(root):
        if path == data or path.is_relative_to(data):
            name = data.relative_to(root).as_posix() if data.is_relative_to(root) else str(data)
            return name + "/"
    return None


def outside_repository_data(site: Path, root: Path) -> Path:
    """`site` resolved, refused if it is the repository, a folder above it, or its data (or inside that).

    Symbolic links are followed first, so a link to the evidence is refused like the evidence. A
    link inside the repository on the way to `site` is refused instead (see :func:`link_in_repository`).
    """
    link = link_in_repository(site, root)
    if link is not None:
        raise InputError("site.link-in-repository", site=site, link=link, target=_target(link))
    site, root = site.resolve(), root.resolve()
    if site == root or root.is_relative_to(site):
        raise InputError("site.contains-repository", site=site, root=root)
    for data in protected(root):
        if site == data or site.is_relative_to(data) or data.is_relative_to(site):
            raise InputError("site.inside-repository-data", site=site, data=data)
    return site


def link_in_repository(path: Path, root: Path) -> Path | None:
    """The first symbolic link on the way from the repository's top folder to `path` (itself
    included), when `path` is written inside the repository (the default `site/`); else None.

    A pull request can commit `site` as a link (to a folder where the building machine keeps its
    published site, or anywhere the CI job may write): followed, kaohe would build there and replace
    and delete what another site holds. A folder outside the repository is named as it is."""
    root = root.resolve()
    full = Path(os.path.abspath(path))
    if not full.is_relative_to(root) or full == root:
        return None
    at = root
    for name in full.relative_to(root).parts:
        at = at / name
        if at.is_symlink():
            return at
        if not at.exists():
            return None
    return None


def _target(link: Path) -> str:
    """Where `link` points, as text safe to print (see generator.controlchars)."""
    from ..controlchars import one_line
    from ..tree import printable

    return one_line(printable(os.readlink(os.fsencode(link))))


def site_folder(site: Path, root: Path) -> Path:
    """`site` resolved, once it is sure to be a folder kaohe may replace whole; else a refusal."""
    site = outside_repository_data(site, root)
    if site.exists() and not site.is_dir():
        raise InputError("site.not-a-folder", site=site)
    if site.is_dir():
        entries = sorted(site.iterdir())
        if entries and not is_marked(site):
            raise InputError(
                "site.not-written-by-kaohe", site=site, marker=MARKER, advice=msg("site.not-written.replace")
            )
        foreign = foreign_entry(entries)
        if foreign is not None:
            raise InputError("site.foreign-file", file=foreign, site=site)
    return site


def foreign_entry(entries: list[Path]) -> Path | None:
    """The first entry of the site (or of an organization's folder in it) that kaohe does not write."""
    for entry in entries:
        if ORGANIZATION.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            inside = [e for e in sorted(entry.iterdir()) if not _own(e, _OWN_IN_ORGANIZATION)]
            if inside:
                return inside[0]
        elif not _own(entry, _OWN):
            return entry
    return None


def _own(entry: Path, names: re.Pattern[str]) -> bool:
    """Whether kaohe writes `entry`: one of `names`, a real folder if a year's, else a real file."""
    if entry.is_symlink() or not names.match(entry.name):
        return False
    return entry.is_dir() if YEAR_FOLDER.match(entry.name) else entry.is_file()
