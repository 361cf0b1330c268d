"""Personnel records stay out of public repositories and off the public site.

A repository with ``individual.toml`` at its root is private: its results are never built into the
results site (:func:`refuse_public_site`). Any other repository is public, and `kaohe check` (and
every command that loads it) reports personnel records in it as errors: a framework marked
``personnel = true``, the years assessed under one, and an ``individual.toml`` anywhere under
frameworks/ or evidence/.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import msg
from ..problems import InputError, Problems
from .settings import SETTINGS_FILE, check_settings, load_settings

if TYPE_CHECKING:
    from ..model import Assessment, Repository
    from ..tree import Refused, Tree


def is_private(tree: Tree) -> bool:
    return tree.exists(SETTINGS_FILE) and not tree.is_dir(SETTINGS_FILE)


def settings_refused(tree: Tree) -> list[Refused]:
    """individual.toml when it is there but not a file kaohe reads (a symbolic link, a pipe): it is
    refused as such, as a link in evidence is, never taken as missing (the repository would then
    pass for public and be told it holds personnel records, or `kaohe individual` that it has no
    individual.toml)."""
    return [r for r in tree.refused(SETTINGS_FILE) if r.path == SETTINGS_FILE]


def _line_of(tree: Tree, path: str, key: str) -> int:
    """The line that sets `key` at the top level of a TOML file (1 when it cannot be found)."""
    try:
        text = tree.read(path).decode("utf-8", "replace")
    except OSError:
        return 1
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith("[") and n > 1:
            break
        if line.split("=")[0].strip() == key:
            return n
    return 1


def check_privacy(tree: Tree, repository: Repository, problems: Problems) -> None:
    """In a public repository, report every personnel record; in a private one, check individual.toml.
    A linked individual.toml is reported as the link it is, and nothing else: whether the repository
    is private cannot be told until the file itself is committed."""
    refused = settings_refused(tree)
    if refused:
        from ..load.walk import report_refused  # the loader is heavy; here it is loaded already

        for entry in refused:
            report_refused(entry, problems)
        return
    if is_private(tree):
        loaded = load_settings(tree, problems)
        if loaded is not None:
            check_settings(*loaded, repository, problems)
        return
    for fw in repository.frameworks.values():
        if fw.personnel:
            what = msg("personnel.framework", framework=fw.id)
            problems.report(
                fw.path, _line_of(tree, fw.path, "personnel"), 1, "personnel.in-public-repository", what=what
            )
    for a in repository.assessments.values():
        if a.framework.personnel:
            what = msg("personnel.staff-as-units", year=a.year, framework=a.framework.id)
            problems.report(a.path, _line_of(tree, a.path, "framework"), 1, "personnel.in-public-repository", what=what)
    for folder in ("frameworks", "evidence"):
        for path in tree.files(folder):
            if path.rsplit("/", 1)[-1] == SETTINGS_FILE:
                what = msg("personnel.settings-file")
                problems.report(path, 1, 1, "personnel.in-public-repository", what=what)


def refuse_public_site(root: Path, assessment: Assessment) -> None:
    """Raise before anything renders a personnel year or a private repository into the results site."""
    settings = root / SETTINGS_FILE
    if settings.is_file() or settings.is_symlink():  # the repository is private, whatever the year holds
        raise InputError("personnel.private-repository", root=root, file=SETTINGS_FILE)
    if assessment.framework.personnel:
        raise InputError("personnel.not-public", year=assessment.year, root=root)
