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

from ..problems import InputError
from .plan import Version
from .stamp import DamagedStamp, Stamp


@dataclass(frozen=True)
class Decision:
    action: Literal["keep", "build"]
    note: str | None = None  # what the operator should be told, if anything


def decide(version: Version, existing: Stamp | DamagedStamp | None, replace: Collection[int] = ()) -> Decision:
    """Keep or build `version.year`'s folder, whose current stamp is `existing` (None: no folder)."""
    year, incoming = version.year, version.provenance
    where = f"site/{version.folder}" if version.organization is not None else f"the folder of {year}"
    if isinstance(existing, DamagedStamp):
        if incoming.draft:
            raise InputError(
                f"{existing}: kaohe cannot tell whether {existing.folder} holds final results, so it does not "
                f"replace it with a draft. If it is a draft, delete {existing.folder} and build again; a final year "
                f"is rebuilt from its tag (results-{year})",
                code="site.stamp-damaged",
            )
        return Decision("build", f"{existing}; rebuilding {year} from {_source(version)}")
    if existing is None or existing.draft:
        if incoming.draft:
            return Decision("build")
        held = "is absent" if existing is None else "holds a draft"
        return Decision("build", f"{where} {held}; building it from {_source(version)}")
    if incoming.draft:
        return Decision(
            "keep",
            f"{year} is published as final ({existing.tag}); kept as published "
            "(final years change only through `kaohe publish --replace`)",
        )
    if existing.commit == incoming.commit and year not in replace:
        return Decision("keep")
    if year in replace:
        return Decision("build")
    raise InputError(
        f"{where} holds final results published from {str(existing.commit)[:10]} ({existing.tag}), but {year} "
        f"is now to be built from {str(incoming.commit)[:10]} ({incoming.tag}); published years are immutable. "
        f"If the change is deliberate (a decided appeal), publish again with --replace {year}",
        code="publish.final-moved",
    )


def _source(version: Version) -> str:
    return f"{version.provenance.tag} @ {str(version.commit)[:10]}"
