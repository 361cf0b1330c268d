"""Plain `mkdocs build` and `mkdocs serve`: the site folder rules for builds kaohe does not start.

`kaohe build` and `kaohe publish` stage a whole site and swap it in (:mod:`.site`). A plain
`mkdocs build` writes one year straight into ``site/<year>/`` (after MkDocs empties that folder),
so the plugin asks here first: the same folder rules (:mod:`.folder`) and the same final-year
rule (:mod:`.immutable`) apply, and a year that is final by its tag or record is refused even
when its folder is gone. These are the only publishing functions the renderer calls.
"""

from __future__ import annotations

from pathlib import Path

from ..problems import InputError
from ..provenance import Provenance
from .folder import is_marked, mark, outside_repository_data, site_folder
from .immutable import decide
from .layout import root_files, write_atomically
from .plan import Version, final_versions
from .site import year_folders
from .stamp import STAMP, DamagedStamp, Stamp, read_stamp, write_stamp


def claim_year_folder(root: Path, site: Path, year: int) -> Path:
    """The folder ``site/<year>`` a plain `mkdocs build` may empty and fill with a draft; else a refusal."""
    site = site_folder(site, root)
    final = final_versions(root)[0].get(year)
    if final is not None:
        raise InputError(
            f"{year} is final ({final.provenance.tag} @ {str(final.commit)[:10]}): a plain `mkdocs build` builds "
            "drafts from the working tree and never a final year; run `kaohe build`, which keeps it or rebuilds "
            "it from its commit",
            code="site.final-year",
        )
    folder = site / str(year)
    existing: Stamp | DamagedStamp | None = None
    if folder.exists():
        try:
            existing = read_stamp(folder)
        except DamagedStamp as damaged:
            existing = damaged
    if decide(Version(year, Provenance()), existing).action == "keep":  # a damaged stamp is refused there
        assert isinstance(existing, Stamp)
        raise InputError(
            f"site/{year} holds the final results ({existing.tag}); a draft build does not replace them "
            "(use `kaohe publish`, or `mkdocs build -d <folder>` to preview elsewhere)",
            code="site.final-year",
        )
    site.mkdir(parents=True, exist_ok=True)
    if not is_marked(site):
        mark(site)
    return folder


def claim_preview_folder(root: Path, folder: Path) -> None:
    """`mkdocs build -d FOLDER` empties FOLDER first: refuse the repository's data and folders not kaohe's."""
    folder = outside_repository_data(folder, root)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / STAMP).is_file():
        raise InputError(
            f"{folder} holds files kaohe did not write (no {STAMP} in it); MkDocs empties the folder it builds "
            "into. Choose an empty or new folder",
            code="site.not-written-by-kaohe",
        )


def finish_year_folder(folder: Path, provenance: Provenance, year: int, framework: str, *, versioned: bool) -> None:
    """Stamp a year a plain `mkdocs build` wrote; in ``site/``, also rewrite versions.json and the redirect."""
    write_stamp(folder, provenance, year, framework)
    if versioned:
        site = folder.parent
        drafts = {y: s.draft for y, s in year_folders(site).items() if isinstance(s, Stamp)}
        for name, text in root_files(drafts).items():
            write_atomically(site / name, text)
