"""Extract the files a build needs from a commit into a temporary folder.

`git archive` reads the object database only, so the user's working tree, index and checked-out
branch are never touched, and uncommitted changes cannot leak into a published version.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from ..tree import git

#: What a build reads from the repository.
BUILD_INPUTS = ("frameworks", "evidence", "mkdocs.yml", "docs")


def extract(repo: Path, commit: str, target: Path) -> Path:
    present = [p for p in BUILD_INPUTS if _exists(repo, commit, p)]
    archive = git(repo, "archive", "--format=tar", commit, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _exists(repo: Path, commit: str, path: str) -> bool:
    return bool(git(repo, "ls-tree", "--name-only", commit, "--", path).strip())
