"""Where a built year comes from: the facts every page of a published version states.

Made once by whoever decides what a year is built from (the publishing plan, from git; or a
working-tree build) and handed to the renderer whole. The framework is not part of it: that is a
fact of the assessment, which the renderer reads from the year itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .sourceurl import expand


@dataclass(frozen=True)
class Provenance:
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
