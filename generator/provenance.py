"""Where a built year comes from: the facts every page of a published version states.

Shared by the renderer (which prints them on every page) and the publisher (which fills them from
git). A build from the working tree has no commit and is always a draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sourceurl import expand


@dataclass(frozen=True)
class Provenance:
    framework: str  # framework id; "" lets the build fill in the one the year names
    commit: str | None = None  # full commit id; None for an uncommitted working tree
    commit_date: str | None = None  # ISO 8601 date of the commit (never the build time)
    tag: str | None = None  # e.g. "results-2010" when the year is final
    draft: bool = True  # drafts say 草稿 / not final on every page
    source_url: str | None = None  # template, e.g. "https://git.example/org/kaohe/src/commit/{commit}/{path}#L{line}"

    def link(self, path: str, line: int | None = None) -> str | None:
        """A link to `path` (at `line`) in the repository web interface at this commit, if configured."""
        if not self.source_url or not self.commit:
            return None
        return expand(self.source_url, self.commit, path, line or 1)
