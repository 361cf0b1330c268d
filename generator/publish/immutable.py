"""The one rule that keeps a final year final: what may become of a year's folder in the site.

Every writer of the site asks :func:`decide` before it touches a year (`kaohe build`, `kaohe
publish`, and a plain `mkdocs build` through the plugin):

* a final year is kept while it is asked for from the same commit; from another commit only with
  an explicit ``--replace``, otherwise refused;
* a draft never replaces a final year: the final one is kept;
* a folder whose stamp is damaged is rebuilt only from a final year's commit; a draft cannot tell
  whether it would overwrite final results, so it is refused.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from ..messages import Message, msg
from ..problems import InputError
from .plan import Version
from .stamp import DamagedStamp, Stamp


@dataclass(frozen=True)
class Decision:
    action: Literal["keep", "build"]
    note: Message | None = None  # what the operator should be told, if anything


def decide(version: Version, existing: Stamp | DamagedStamp | None, replace: Collection[int] = ()) -> Decision:
    """Keep or build `version.year`'s folder, whose current stamp is `existing` (None: no folder)."""
    year, incoming = version.year, version.provenance
    where = (
        msg("publish.where.folder", folder=f"site/{version.folder}")
        if version.organization is not None
        else msg("publish.where.year", year=year)
    )
    if isinstance(existing, DamagedStamp):
        if incoming.draft:
            advice = msg("site.stamp-damaged.draft", folder=existing.folder, year=year)
            raise InputError(
                "site.stamp-damaged", stamp=existing.params["stamp"], reason=existing.reason, advice=advice
            )
        return Decision("build", msg("publish.rebuilding-damaged", stamp=existing, year=year, source=_source(version)))
    if existing is None or existing.draft:
        if incoming.draft:
            return Decision("build")
        state = "absent" if existing is None else "draft"
        return Decision("build", msg(f"publish.building-final.{state}", where=where, source=_source(version)))
    if incoming.draft:
        return Decision("keep", msg("publish.kept-not-draft", year=year, tag=existing.tag or ""))
    if existing.commit == incoming.commit and year not in replace:
        return Decision("keep")
    if year in replace:
        return Decision("build")
    raise InputError(
        "publish.final-moved",
        year=year,
        where=where,
        published=msg("publish.commit-tag", commit=str(existing.commit)[:10], tag=existing.tag or ""),
        incoming=msg("publish.commit-tag", commit=str(incoming.commit)[:10], tag=incoming.tag or ""),
    )


def _source(version: Version) -> str:
    return f"{version.provenance.tag} @ {str(version.commit)[:10]}"
