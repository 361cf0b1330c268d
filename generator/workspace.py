"""Open the repository a command works on: find its root, pick a tree, load and validate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .gitdates import load_dates
from .load import Repository, load_repository
from .problems import InputError, Problems
from .tree import FsTree, GitError, GitTree, Tree
from .validate import validate_repository


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `frameworks/` or `evidence/`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "frameworks").is_dir() or (folder / "evidence").is_dir():
            return folder
    raise InputError(
        f"no kaohe repository at or above {start}: expected a 'frameworks/' or 'evidence/' folder "
        "(run from the repository, or pass --repo DIR)"
    )


def open_tree(repo: str | None, rev: str | None) -> tuple[Path, Tree]:
    root = find_root(Path(repo or "."))
    if rev is None:
        return root, FsTree(root)
    try:
        return root, GitTree(root, rev)
    except GitError as exc:
        raise InputError(str(exc)) from exc


@dataclass
class Workspace:
    root: Path
    tree: Tree
    repo: Repository
    problems: Problems


def load_workspace(repo: str | None = None, rev: str | None = None, years: set[int] | None = None) -> Workspace:
    root, tree = open_tree(repo, rev)
    problems = Problems()
    repository = load_repository(tree, problems, years)
    validate_repository(repository, problems)
    load_dates(repository, root, getattr(tree, "commit", None), problems)
    return Workspace(root, tree, repository, problems)
