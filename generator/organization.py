"""Organizations: whose series of years an assessment year belongs to, and the name readers see.

An organization (黔西南州质量技术监督局, 辽阳出入境检验检疫局) assesses its units year after year.
Its years form one series in the site, ``site/<organization>/<year>/`` with a version selector of
their own, and the site's root lists the organizations. A year belongs to the organization its
framework names (``organization`` in framework.toml, beside ``issuer``, which is the name the site
shows): the framework is the organization's document, so the years assessed under it are its
years. Frameworks that name none belong to one organization, :data:`DEFAULT`, so a repository
written before organizations keeps a single series of years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from .messages import msg, tr
from .model import Framework
from .problems import InputError, Problems
from .tree import GitError, Tree, git
from .types import Id, Name, OrganizationId

#: The organization of frameworks that name none (and the folder of its years in the site).
DEFAULT = "default"


@dataclass(frozen=True)
class Organization:
    id: str  # the folder of its years in the site
    name: str  # what readers see: the framework's issuer, else its title
    declared: bool = field(default=True, compare=False)  # False: the framework names none (DEFAULT)


def of_framework(fw: Framework) -> Organization:
    return Organization(fw.organization or DEFAULT, fw.issuer or fw.title, fw.organization is not None)


class _Placing(BaseModel):
    """The keys of framework.toml that place a year in the site; the rest is the full load's business,
    so a final year published under older rules is still placed without being validated again."""

    model_config = ConfigDict(extra="ignore")
    id: Id
    title: Name
    issuer: Name = ""
    organization: OrganizationId | None = None


class _UnitsPlacing(BaseModel):
    model_config = ConfigDict(extra="ignore")
    framework: Id


Read = TypeVar("Read", _Placing, _UnitsPlacing)


class CommitFiles:
    """Single files of a commit, read on demand (a :class:`generator.tree.GitTree` reads every input file)."""

    label: str

    def __init__(self, repo: Path, commit: str) -> None:
        self.repo, self.commit = repo, commit
        self.label = commit[:10]

    def read(self, path: str) -> bytes:
        try:
            return git(self.repo, "cat-file", "blob", f"{self.commit}:{path}")
        except GitError as exc:
            raise FileNotFoundError(2, f"not in {self.commit[:10]}", path) from exc


def _read(tree: Tree | CommitFiles, path: str, model: type[Read], where: str) -> Read:
    from .load.reading import read_toml  # the loader's reading: BOM, encoding, symlinks, positions
    from .load.reporting import validate_model

    problems = Problems()
    doc = read_toml(tree, path, problems)  # type: ignore[arg-type]  # one file: read() is all it needs
    found = validate_model(model, doc.data, doc, path, problems) if doc is not None else None
    if found is None:
        first = problems.items[0].format() if problems.items else tr("site.organization-unreadable", path=path)
        raise InputError("site.organization-unknown", where=where, first=first)
    return found


def of_year(tree: Tree | CommitFiles, year: int) -> Organization:
    """The organization of `year` in `tree` (a working tree, or :class:`CommitFiles`), read from the year's
    units.toml and its framework.toml only."""
    where = f"{year} ({tree.label})"
    units = _read(tree, f"evidence/{year}/units.toml", _UnitsPlacing, where)
    return of_framework_file(tree, units.framework, where)


def of_framework_file(tree: Tree | CommitFiles, framework_id: str, where: str) -> Organization:
    found = _read(tree, f"frameworks/{framework_id}/framework.toml", _Placing, where)
    return Organization(found.organization or DEFAULT, found.issuer or found.title, found.organization is not None)


def of_built_year(repo: Path, commit: str | None, year: int, now: Tree | CommitFiles) -> Organization:
    """The organization of `year` as built from `commit` (None: from `now`, the working tree or the
    revision drafts come from).

    A year built from a commit whose framework names no organization (published before organizations)
    joins the organization its framework names `now`: adding `organization` later gathers the years
    published before it, byte for byte, instead of leaving them in the default organization forever.
    """
    if commit is None:
        return of_year(now, year)
    organization = of_year(CommitFiles(repo, commit), year)
    if organization.declared:
        return organization
    try:
        return of_year(now, year)
    except InputError:  # the year is gone from the repository: it stays where its commit places it
        return organization


def check_organizations(frameworks: list[Framework], problems: Problems) -> None:
    """Warn where the site would split one organization or join two: one issuer in several organizations,
    or frameworks that name no organization (and so share :data:`DEFAULT`) with different issuers."""
    # a personnel framework is scored privately and never reaches the site (generator.individual)
    frameworks = sorted((fw for fw in frameworks if not fw.personnel), key=lambda f: f.id)
    by_issuer: dict[str, list[Framework]] = defaultdict(list)
    for fw in frameworks:
        if fw.issuer:
            by_issuer[fw.issuer].append(fw)
    for issuer, group in by_issuer.items():
        orgs = sorted({of_framework(fw).id for fw in group})
        if len(orgs) < 2:
            continue
        named = sorted({fw.organization for fw in group if fw.organization})
        listed = ", ".join(f"{fw.id}: {of_framework(fw).id}" for fw in group)
        for fw in group:
            fix = (
                msg("framework.organization-split.add", organization=named[0])
                if fw.organization is None and len(named) == 1
                else msg("framework.organization-split.same")
            )
            problems.report(
                fw.path,
                *fw.at("organization" if fw.organization else "id"),
                "framework.organization-split",
                severity="warning",
                issuer=issuer,
                listed=listed,
                fix=fix,
            )
    unnamed = [fw for fw in frameworks if fw.organization is None]
    issuers = sorted({fw.issuer for fw in unnamed if fw.issuer})
    if len(issuers) > 1:
        listed = ", ".join(f"{fw.id}: {fw.issuer}" for fw in unnamed if fw.issuer)
        for fw in unnamed:
            problems.report(
                fw.path,
                *fw.at("issuer" if fw.issuer else "id"),
                "framework.organization-unnamed",
                severity="warning",
                listed=listed,
            )
