"""What each year of the site is built from: final years from their record or tag, drafts from a commit
or the working tree.

Convention: the tag ``results-<year>`` marks a year's results as final (审定). A final year is
built only from the commit it was published from (:mod:`.records`), or, before it is published,
from its tag: a later typo fix in a framework rebuilds nothing of the past, and uncommitted edits
never reach a final year. A draft (草稿) is built from a named commit (``kaohe publish --draft``)
or from the working tree (``kaohe build``).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..messages import Message, joined, msg, tr
from ..model import FIRST_YEAR, LAST_YEAR
from ..organization import CommitFiles, Organization, of_built_year
from ..problems import InputError
from ..provenance import Provenance
from ..tree import FsTree, GitError, Tree, commit_of, git, is_shallow, listed_lines
from .records import PUBLISHED_PREFIX, Record, agreed, is_git, read_records, tag_records

TAG_PREFIX = "results-"
#: `results-<year>-gongshi` marks the commit put up for public notice (公示): see .stages.
NOTICE_SUFFIX = "-gongshi"


@dataclass(frozen=True)
class Version:
    year: int
    provenance: Provenance
    #: Whose series of years it belongs to (its folder in the site); None until :func:`placed` reads it.
    organization: Organization | None = None

    @property
    def commit(self) -> str | None:
        """The commit the year is built from; None for the working tree."""
        return self.provenance.commit

    @property
    def folder(self) -> str:
        """Its folder in the site, ``<organization>/<year>``."""
        assert self.organization is not None, "placed() first"
        return f"{self.organization.id}/{self.year}"

    def describe(self) -> Message:
        source = self.provenance.tag or msg("publish.draft")
        if self.commit:
            where: str | Message = f"{self.commit[:10]} ({self.provenance.commit_date})"
        else:
            where = msg("diff.working-tree")
        return msg("publish.version", year=self.year, source=source, where=where)


def final_tags(repo: Path, prefix: str = TAG_PREFIX) -> dict[int, str]:
    """Year → tag name, for every tag `<prefix><year>`: four ASCII digits (not ``\\d``, which takes
    ``results-２０１０`` and ``results-٢٠١٠`` for years: see :func:`lookalike_tags`) that name a year
    an assessment can be for (not ``results-0010``: see :func:`no_year_tags`)."""
    pattern = re.compile(rf"{re.escape(prefix)}([0-9]{{4}})")
    return _year_tags(listed_lines(git(repo, "tag", "--list", f"{prefix}*")), pattern)


def notice_tags(repo: Path, prefix: str = TAG_PREFIX) -> dict[int, str]:
    """Year → tag name, for every tag `<prefix><year>-gongshi` (four ASCII digits, as :func:`final_tags`)."""
    pattern = re.compile(rf"{re.escape(prefix)}([0-9]{{4}}){re.escape(NOTICE_SUFFIX)}")
    return _year_tags(listed_lines(git(repo, "tag", "--list", f"{prefix}*{NOTICE_SUFFIX}")), pattern)


def _year_tags(tags: list[str], pattern: re.Pattern[str]) -> dict[int, str]:
    return {int(m.group(1)): tag for tag in tags if (m := pattern.fullmatch(tag)) and _is_year(m.group(1))}


def _is_year(digits: str) -> bool:
    return FIRST_YEAR <= int(digits) <= LAST_YEAR


def no_year_tags(repo: Path, prefix: str = TAG_PREFIX) -> list[str]:
    """Tags written as `<prefix><year>`, its notice tag or the record tag `published-<year>`, whose four
    digits are no year an assessment can be for (``results-0010``, ``results-9999``): they were read
    as the year 10, which no commit assesses, and refused the whole publish. They are ignored and
    said so, as look-alike tags are."""
    ours = re.compile(rf"{re.escape(prefix)}([0-9]{{4}})({re.escape(NOTICE_SUFFIX)})?|{PUBLISHED_PREFIX}([0-9]{{4}})")
    return [
        tag
        for tag in listed_lines(git(repo, "tag", "--list"))
        if (m := ours.fullmatch(tag)) and not _is_year(m.group(1) or m.group(3))
    ]


def lookalike_tags(repo: Path, prefix: str = TAG_PREFIX) -> list[tuple[str, str]]:
    """(tag, the tag it looks like) for every tag that reads as `<prefix><year>` or its notice tag only
    with other digits or characters than ASCII (full-width ``２０１０``, Arabic-Indic ``٢٠١٠``, a
    full-width ``ｒｅｓｕｌｔｓ－``). They are ignored, never taken for a year, and said so: an operator
    who typed one by mistake would otherwise wonder why the year is not published."""
    ours = re.compile(rf"{re.escape(prefix)}[0-9]{{4}}({re.escape(NOTICE_SUFFIX)})?")
    found = []
    for tag in listed_lines(git(repo, "tag", "--list")):
        if ours.fullmatch(tag):
            continue
        plain = _ascii_digits(unicodedata.normalize("NFKC", tag)).strip()  # "results-2010　": an IME's space
        if plain != tag and ours.fullmatch(plain):
            found.append((tag, plain))
    return found


def lookalike_notes(repo: Path, prefix: str = TAG_PREFIX) -> list[Message]:
    """What the operator is told of the tags that look like a year's and are ignored."""
    notes = [msg("publish.tag-lookalike", tag=tag, like=like) for tag, like in lookalike_tags(repo, prefix)]
    first, last = FIRST_YEAR, LAST_YEAR
    return notes + [msg("publish.tag-no-year", tag=tag, first=first, last=last) for tag in no_year_tags(repo, prefix)]


def _ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script written 0-9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def is_notice_tag(tag: str | None) -> bool:
    return tag is not None and tag.endswith(NOTICE_SUFFIX)


def resolve(repo: Path, rev: str) -> tuple[str, str]:
    """(commit id, committer date as ISO 8601) of a revision."""
    commit = commit_of(repo, rev)  # a revision missing says why (a shallow clone, an unknown name)
    date = git(repo, "show", "-s", "--format=%cI", commit).decode().strip()
    return commit, date


def require_year(repo: Path, commit: str, year: int) -> None:
    """Refuse before building anything when the commit does not assess `year`."""
    try:
        git(repo, "cat-file", "-e", f"{commit}:evidence/{year}/units.toml")
    except GitError as exc:
        raise InputError("publish.year-not-in-commit", commit=commit[:10], year=year) from exc


def placed(root: Path, version: Version, now: Tree | CommitFiles | None = None) -> Version:
    """`version` with its organization, read from the commit it is built from (a year published before
    its framework named one: from `now`, the tree drafts come from; default the working tree)."""
    if version.organization is not None:
        return version
    commit = version.commit if version.commit is not None and is_git(root) else None
    organization = of_built_year(root, commit, version.year, now or FsTree(root))
    return dataclasses.replace(version, organization=organization)


def of_organizations(
    root: Path,
    versions: list[Version],
    organizations: list[str] | None,
    asked: Collection[int] = (),
    now: Tree | CommitFiles | None = None,
) -> list[Version]:
    """Every version placed (:func:`placed`); with `organizations`, only theirs. An unknown organization is
    refused, and so is a year `asked` for by name that belongs to another one."""
    now = now or FsTree(root)  # one walk for every version, not one each
    versions = [placed(root, v, now) for v in versions]
    if not organizations:
        return versions
    of = {v.year: v.organization.id for v in versions if v.organization is not None}
    unknown = [o for o in organizations if o not in of.values()]
    if unknown:
        known = sorted(set(of.values()))
        raise InputError("site.unknown-organization", organization=unknown[0], known=known or tr("value.none"))
    outside = sorted(y for y in asked if y in of and of[y] not in organizations)
    if outside:
        raise InputError(
            "site.year-not-in-organization", year=outside[0], organization=of[outside[0]], asked=organizations
        )
    return [v for v in versions if of.get(v.year) in organizations]


def final(repo: Path, year: int, rev: str, tag: str | None, source_url: str | None) -> Version:
    commit, date = resolve(repo, rev)
    return Version(year, Provenance(commit, date, tag, False, source_url))


#: `configured` of :func:`plan_versions` when the working tree's configuration was not read yet (no
#: template reads so: :func:`..sourceurl.check_template` refuses it).
UNREAD = "<unread>"


class _Templates:
    """The link template of each year built from a commit (:func:`..render.siteconfig.source_url_for`),
    the working tree's configuration read once, and only when a commit sets none."""

    def __init__(self, repo: Path, given: str | None, working: str | None = UNREAD) -> None:
        self.repo, self.given, self._working = repo, given, working

    def working(self) -> str | None:
        if self._working == UNREAD:
            from ..render.siteconfig import configured_source_url  # here: YAML only when something is built

            self._working = configured_source_url(self.repo)
        return self._working

    def at(self, commit: str, label: str) -> str | None:
        from ..render.siteconfig import source_url_for

        return source_url_for(self.repo, commit, label, self.given, self.working)


def _tagged(repo: Path, year: int, tag: str, templates: _Templates, record: Record | None = None) -> Version:
    """The final year `tag` names, linking source lines by the template recorded when it was published
    from that commit, else by the one at its tag (:class:`_Templates`)."""
    version = final(repo, year, tag, tag, None)
    commit = version.provenance.commit or ""
    if record is not None and record.commit == commit and not templates.given:
        source_url = record.source_url
    else:
        source_url = templates.at(commit, tag)
    return dataclasses.replace(version, provenance=dataclasses.replace(version.provenance, source_url=source_url))


def plan_versions(
    repo: Path,
    *,
    drafts: list[int],
    draft_rev: str = "HEAD",
    years: list[int] | None = None,
    source_url: str | None = None,
    prefix: str = TAG_PREFIX,
    organizations: list[str] | None = None,
    configured: str | None = UNREAD,
) -> list[Version]:
    """Every final year (or those in `years`) from its tag, plus the requested drafts from `draft_rev`;
    only those of `organizations` when given. `source_url`: the operator's link template, else
    each version's own (:class:`_Templates`; `configured`: the working tree's, when read already;
    None where it sets none)."""
    tags = final_tags(repo, prefix)
    published = read_records(repo)
    templates = _Templates(repo, source_url, configured)
    versions: list[Version] = []
    for year in sorted(tags):
        if years and year not in years:
            continue
        if year in drafts:
            raise InputError("publish.final-as-draft", year=year, where=msg("publish.where-tag", tag=tags[year]))
        require_year(repo, commit_of(repo, tags[year]), year)
        versions.append(_tagged(repo, year, tags[year], templates, (published.get(year) or [None])[0]))
    notices = notice_tags(repo, prefix)
    for year in sorted(notices):  # put up for 公示 and not final yet: published as a notice version
        if year in tags or year in drafts or year in published or (years and year not in years):
            continue
        commit, date = resolve(repo, notices[year])
        require_year(repo, commit, year)
        template = templates.at(commit, notices[year])
        versions.append(Version(year, Provenance(commit, date, notices[year], True, template)))
    if drafts:
        commit, date = resolve(repo, draft_rev)
        for year in sorted(set(drafts)):
            if year in published:
                raise InputError("publish.final-as-draft", year=year, where=published[year][0].where)
            require_year(repo, commit, year)
            versions.append(Version(year, Provenance(commit, date, None, True, templates.at(commit, draft_rev))))
    missing = sorted(set(years or []) - {v.year for v in versions})
    if missing:
        raise InputError("publish.no-tag", tag=f"{prefix}{missing[0]}", year=missing[0])
    asked = {*(years or []), *drafts}
    now = CommitFiles(repo, resolve(repo, draft_rev)[0])  # what the drafts are built from
    return sorted(of_organizations(repo, versions, organizations, asked, now), key=lambda v: v.year)


def final_versions(root: Path, prefix: str = TAG_PREFIX) -> tuple[dict[int, Version], list[Message]]:
    """Every final year of the repository at `root`, built from what was published (else from its tag);
    and notes on tags that moved since publishing, and on look-alike tags ignored."""
    git_repo = is_git(root)
    records: dict[int, Record] = agreed(read_records(root))
    tags = final_tags(root, prefix) if git_repo else {}
    # the tag a year is known by when its results tag is gone: its published-<year> record tag
    published_tags = {year: f"{PUBLISHED_PREFIX}{year}" for year in tag_records(root)} if git_repo else {}
    notes: list[Message] = lookalike_notes(root, prefix) if git_repo else []
    finals: dict[int, Version] = {}
    templates = _Templates(root, None)
    for year in sorted(set(records) | set(tags)):
        record = records.get(year)
        if record is None:  # tagged, not yet published: linked as `kaohe publish` will publish it
            finals[year] = _tagged(root, year, tags[year], templates)
            continue
        tag = record.tag or tags.get(year) or published_tags.get(year)
        if tag is None and git_repo:  # a final year must name a tag (its stamp, the version selector)
            raise InputError("publish.record-without-tag", year=year, where=record.where, prefix=prefix)
        if not git_repo:  # the folder in site/ is kept if it matches; rebuilding it needs git
            finals[year] = Version(year, Provenance(record.commit, None, tag, False, record.source_url))
            continue
        finals[year] = _recorded(root, record, tag)
        if year in tags and resolve(root, tags[year])[0] != record.commit:
            notes.append(
                msg("publish.tag-moved", tag=tags[year], year=year, commit=record.commit[:10], where=record.where)
            )
    return finals, notes


def _recorded(root: Path, record: Record, tag: str | None) -> Version:
    """The final year `record` published, from its commit; a commit the clone lacks is refused
    naming the record it comes from (the user never typed that commit id)."""
    try:
        return final(root, record.year, record.commit, tag, record.source_url)
    except GitError as exc:
        raise InputError(
            "publish.record-commit-missing", year=record.year, commit=record.commit[:10], where=record.where, error=exc
        ) from exc


def plan_build(
    root: Path,
    wanted: list[int],
    prefix: str = TAG_PREFIX,
    organizations: list[str] | None = None,
    asked: Collection[int] = (),
    now: Tree | None = None,
) -> tuple[list[Version], list[Message]]:
    """`kaohe build`: every final year (:func:`final_versions`), the other `wanted` years as drafts of
    the working tree, each placed in its organization (only `organizations`' when given); and notes
    for the operator. `asked`: the years named on the command line; `now`: the working tree, when
    the caller has walked it already.

    Final years are part of every build that names no year, so that a final year missing from the
    site is rebuilt from its commit and never from the working tree. A build that names years builds
    those alone (a shard of a site built on several machines, see :mod:`.assemble`); the others in
    the site are kept as they are.
    """
    finals, notes = final_versions(root, prefix)
    drafts = [Version(year, Provenance()) for year in wanted if year not in finals]
    versions = of_organizations(root, [*finals.values(), *drafts], organizations, asked, now)
    if asked:
        versions = [v for v in versions if v.year in asked]
    # after the organizations' and the years' choice: the note names only the drafts this build makes
    built = [v for v in versions if v.year not in finals]
    if built and is_git(root) and is_shallow(root):
        notes.append(_shallow_drafts(built, prefix))
    return sorted(versions, key=lambda v: v.year), notes


def _shallow_drafts(drafts: list[Version], prefix: str) -> Message:
    """The years a shallow clone builds as drafts: each may have a tag that was not fetched, and
    would then be built from the working tree instead of what was published. Years whose tag was
    fetched are final and need no note."""
    years = joined("value.list-separator", sorted(v.year for v in drafts))
    return msg("publish.shallow-tags", prefix=prefix, years=years)
