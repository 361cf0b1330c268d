"""Extract the files a build needs from a commit into a temporary folder.

The files are the commit's blobs byte for byte, read from the object database: the user's working
tree, index and checked-out branch are never touched, and uncommitted changes cannot leak into a
published version. Not `git archive`, which obeys the commit's own `.gitattributes`: a pull request
could drop a finding from the published year with `export-ignore` (what `check --rev` and `diff`
scored would not be what is published), rewrite text with `export-subst`, `ident` or
`working-tree-encoding`, or run a filter driver the building machine configures (`filter=lfs`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..individual.privacy import is_private, settings_refused
from ..individual.settings import SETTINGS_FILE
from ..problems import InputError
from ..tree import GitTree

#: What a build reads from the repository.
BUILD_INPUTS = ("frameworks", "evidence", "mkdocs.yml", "docs")


def extract(repo: Path, commit: str, target: Path) -> Path:
    tree = GitTree(repo, commit)  # links and names such as ".." are refused here, before anything is written
    if is_private(tree):
        # individual.toml is no build input: without this the copy read as a public repository and
        # was refused as 公开仓库中有人事记录 (untrue: the repository is private); and a private
        # repository is never built into the results site, whatever its years hold
        raise InputError("personnel.private-revision", commit=commit[:10], file=SETTINGS_FILE)
    # a linked individual.toml is not read as missing (the copy would pass for a public repository)
    refused = [r.path for p in BUILD_INPUTS for r in tree.refused(p)] + [r.path for r in settings_refused(tree)]
    if refused:
        raise InputError("publish.refused-entry", commit=commit[:10], paths=refused)
    for path, data in tree.blobs(BUILD_INPUTS).items():
        full = target.joinpath(*path.split("/"))
        os.makedirs(full.parent, exist_ok=True)
        with open(full, "xb") as f:  # a fresh folder: never through a link, never over a file
            f.write(data)
    return target
