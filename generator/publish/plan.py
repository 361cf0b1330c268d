"""What to publish: final years from their tags, drafts from a commit.

Convention: the tag ``results-<year>`` marks a year's results as final (审定). Publishing reads
only tagged commits for final years, so a later typo fix in a framework rebuilds nothing of the
past; a draft (草稿) is built from a named commit, never from uncommitted files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..problems import InputError
from ..provenance import Provenance
from ..tree import GitError, git

TAG_PREFIX = "results-"
#: What `kaohe publish` tags once a final year is published: the record that keeps it immutable.
PUBLISHED_PREFIX = "published-"


@dataclass(frozen=True)
class Version:
    year: int
    commit: str
    provenance: Provenance

    @property
    def name(self) -> str:
        return str(self.year)

    @property
    def title(self) -> str:
        return f"{self.year}（草稿）" if self.provenance.draft else str(self.year)

    def describe(self) -> str:
        source = self.provenance.tag or "draft"
        return f"{self.year}: {source} @ {self.commit[:10]} ({self.provenance.commit_date})"


def final_tags(repo: Path, prefix: str = TAG_PREFIX) -> dict[int, str]:
    """Year → tag name, for every tag `<prefix><year>`."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d{{4}})$")
    out = git(repo, "tag", "--list", f"{prefix}*").decode().split()
    return {int(m.group(1)): tag for tag in out if (m := pattern.match(tag))}


def resolve(repo: Path, rev: str) -> tuple[str, str]:
    """(commit id, committer date as ISO 8601) of a revision."""
    try:
        commit = git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
    except GitError as exc:
        raise InputError(f"unknown revision '{rev}': {exc}") from exc
    date = git(repo, "show", "-s", "--format=%cI", commit).decode().strip()
    return commit, date


def require_year(repo: Path, commit: str, year: int) -> None:
    """Refuse before building anything when the commit does not assess `year`."""
    try:
        git(repo, "cat-file", "-e", f"{commit}:evidence/{year}/units.toml")
    except GitError as exc:
        raise InputError(f"commit {commit[:10]} has no evidence/{year}/units.toml: is {year} assessed there?") from exc


def plan_versions(
    repo: Path,
    *,
    drafts: list[int],
    draft_rev: str = "HEAD",
    years: list[int] | None = None,
    source_url: str | None = None,
    prefix: str = TAG_PREFIX,
) -> list[Version]:
    """Every final year (or those in `years`) from its tag, plus the requested drafts from `draft_rev`."""
    tags = final_tags(repo, prefix)
    versions: list[Version] = []
    for year in sorted(tags):
        if years and year not in years:
            continue
        if year in drafts:
            raise InputError(f"{year} is final (tag {tags[year]}): a final year cannot be republished as a draft")
        commit, date = resolve(repo, tags[year])
        require_year(repo, commit, year)  # the framework id is filled in by the build, from the year itself
        prov = Provenance("", commit, date, tags[year], False, source_url)
        versions.append(Version(year, commit, prov))
    if drafts:
        commit, date = resolve(repo, draft_rev)
        for year in sorted(set(drafts)):
            require_year(repo, commit, year)
            prov = Provenance("", commit, date, None, True, source_url)
            versions.append(Version(year, commit, prov))
    missing = sorted(set(years or []) - {v.year for v in versions})
    if missing:
        raise InputError(
            f"no tag {prefix}{missing[0]} for {missing[0]}: tag the final commit "
            f"(git tag {prefix}{missing[0]} <commit>) or publish it with --draft {missing[0]}"
        )
    return sorted(versions, key=lambda v: v.year)
