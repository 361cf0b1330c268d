"""Extract the files a build needs from a commit into a temporary folder.

`git archive` reads the object database only, so the user's working tree, index and checked-out
branch are never touched, and uncommitted changes cannot leak into a published version.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from ..problems import InputError
from ..tree import GitTree, git

#: What a build reads from the repository.
BUILD_INPUTS = ("frameworks", "evidence", "mkdocs.yml", "docs")


def extract(repo: Path, commit: str, target: Path) -> Path:
    present = [p for p in BUILD_INPUTS if _exists(repo, commit, p)]
    tree = GitTree(repo, commit)  # links are refused here, before extraction could follow or trip on one
    refused = [r.path for p in present for r in tree.refused(p)]
    if refused:
        raise InputError("publish.refused-entry", commit=commit[:10], paths=refused)
    archive = git(repo, "archive", "--format=tar", commit, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _exists(repo: Path, commit: str, path: str) -> bool:
    return bool(git(repo, "ls-tree", "--name-only", commit, "--", path).strip())
