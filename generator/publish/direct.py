"""Plain `mkdocs build` and `mkdocs serve`: the site folder rules for builds kaohe does not start.

`kaohe build` and `kaohe publish` stage a whole site and swap it in (:mod:`.site`). A plain
`mkdocs build` writes one year straight into ``site/<organization>/<year>/`` (after MkDocs empties
that folder),
so the plugin asks here first: the same folder rules (:mod:`.folder`) and the same final-year
rule (:mod:`.immutable`) apply, and a year that is final by its tag or record is refused even
when its folder is gone. These are the only publishing functions the renderer calls.
"""

from __future__ import annotations

from pathlib import Path

from ..messages import DEFAULT, msg
from ..organization import Organization
from ..problems import InputError
from ..provenance import Provenance
from .folder import is_marked, mark, outside_repository_data, site_folder
from .immutable import decide
from .layout import write_atomically
from .plan import Version, final_versions
from .site import layout_files, refuse_old_layout, site_years
from .stamp import STAMP, Stamp, write_stamp
from .yearfiles import refuse_stray, write_list


def claim_year_folder(root: Path, site: Path, year: int, organization: Organization) -> Path:
    """The folder ``site/<organization>/<year>`` a plain `mkdocs build` may empty and fill with a draft;
    else a refusal."""
    site = site_folder(site, root)
    found = site_years(site)
    refuse_old_layout(site, found, "kaohe build")
    final = final_versions(root)[0].get(year)
    if final is not None:
        raise InputError(
            "site.final-year",
            year=year,
            where=f"{final.provenance.tag} @ {str(final.commit)[:10]}",
            advice=msg("site.final-year.mkdocs-build"),
        )
    folder = site / organization.id / str(year)
    placed = found.get(year)
    if placed is not None and placed.path != folder:
        raise InputError("site.year-moved", year=year, folder=placed.path, organization=organization.id)
    existing = placed.state if placed is not None else None
    if folder.is_dir() and not folder.is_symlink():  # MkDocs empties it: nothing followed, nothing else's lost
        refuse_stray(folder, site)
    if decide(Version(year, Provenance()), existing).action == "keep":  # a damaged stamp is refused there
        assert isinstance(existing, Stamp)
        raise InputError(
            "site.final-year",
            year=year,
            where=existing.tag or "",
            advice=msg("site.final-year.draft-build", folder=f"{site.name}/{organization.id}/{year}"),
        )
    site.mkdir(parents=True, exist_ok=True)
    if not is_marked(site):
        mark(site)
    return folder


def claim_preview_folder(root: Path, folder: Path) -> None:
    """`mkdocs build -d FOLDER` empties FOLDER first: refuse the repository's data and folders not kaohe's."""
    folder = outside_repository_data(folder, root)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / STAMP).is_file():
        raise InputError("site.not-written-by-kaohe", site=folder, marker=STAMP, advice=msg("site.not-written.mkdocs"))
    if folder.is_dir():
        refuse_stray(folder, folder)  # a year preview: what kaohe did not write there is not emptied either


def finish_year_folder(
    folder: Path,
    provenance: Provenance,
    year: int,
    framework: str,
    organization: Organization,
    *,
    versioned: bool,
    lang: str = DEFAULT,
) -> None:
    """Stamp a year a plain `mkdocs build` wrote (in the language its pages speak); in ``site/``, also
    rewrite the layout's lists and redirects."""
    write_stamp(folder, provenance, year, framework, organization, lang=lang)
    write_list(folder)
    if versioned:
        site = folder.parent.parent
        for name, text in layout_files(site, {organization.id: organization.name}).items():
            write_atomically(site / name, text)
