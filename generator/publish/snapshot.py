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

from ..problems import InputError
from ..tree import GitTree

#: What a build reads from the repository.
BUILD_INPUTS = ("frameworks", "evidence", "mkdocs.yml", "docs")


def extract(repo: Path, commit: str, target: Path) -> Path:
    tree = GitTree(repo, commit)  # links and names such as ".." are refused here, before anything is written
    refused = [r.path for p in BUILD_INPUTS for r in tree.refused(p)]
    if refused:
        raise InputError("publish.refused-entry", commit=commit[:10], paths=refused)
    for path, data in tree.blobs(BUILD_INPUTS).items():
        full = target.joinpath(*path.split("/"))
        os.makedirs(full.parent, exist_ok=True)
        with open(full, "xb") as f:  # a fresh folder: never through a link, never over a file
            f.write(data)
    return target
