"""Where input files come from: the working tree, or a git revision read straight from objects.

Publishing a year and diffing a pull request read other revisions; doing that through
``git cat-file --batch`` leaves the user's working tree and index alone.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class Tree(Protocol):
    label: str

    def files(self, prefix: str) -> Iterator[str]:
        """Repository-relative paths (forward slashes) of regular files under ``prefix``."""
        ...

    def read(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool: ...

    def is_dir(self, path: str) -> bool: ...


class FsTree:
    """The working tree of a checkout (or any folder)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._root = str(self.root)  # os.path on strings: pathlib objects cost more than the system calls
        self.label = "working tree"

    def files(self, prefix: str) -> Iterator[str]:
        base = self.root / prefix
        if not base.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                yield f"{rel_dir}/{name}"

    def read(self, path: str) -> bytes:
        with open(os.path.join(self._root, path), "rb") as f:
            return f.read()

    def exists(self, path: str) -> bool:
        return os.path.exists(os.path.join(self._root, path))

    def is_dir(self, path: str) -> bool:
        return os.path.isdir(os.path.join(self._root, path))

    def is_symlink(self, path: str) -> bool:
        return os.path.islink(os.path.join(self._root, path))

    def escapes(self, path: str) -> bool:
        """Whether the file resolves (through symlinks) outside the repository."""
        try:
            (self.root / path).resolve().relative_to(self.root)
        except ValueError:
            return True
        return False


#: Input folders read in one `git cat-file --batch` call; anything else is read on demand.
BATCHED_PREFIXES = ("frameworks/", "evidence/")


class GitError(Exception):
    pass


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


class GitTree:
    """The files of one commit, read from the object database."""

    def __init__(self, repo: Path, rev: str) -> None:
        self.repo = repo
        self.rev = rev
        try:
            self.commit = git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
        except GitError as exc:
            raise GitError(f"unknown revision '{rev}': {exc}") from exc
        self.label = f"{rev} ({self.commit[:10]})"
        listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", self.commit)
        self._blobs: dict[str, str] = {}
        self._dirs: set[str] = {""}
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            path = name.decode("utf-8", "surrogateescape")
            if kind != "blob" or mode == "120000":
                continue
            self._blobs[path] = sha
            parts = path.split("/")
            for k in range(1, len(parts)):
                self._dirs.add("/".join(parts[:k]))
        self._cache: dict[str, bytes] | None = None

    def files(self, prefix: str) -> Iterator[str]:
        prefix = prefix.rstrip("/") + "/"
        yield from sorted(p for p in self._blobs if p.startswith(prefix))

    def _load_all(self) -> dict[str, bytes]:
        if self._cache is None:
            paths = sorted(p for p in self._blobs if p.startswith(BATCHED_PREFIXES))
            request = b"".join(self._blobs[p].encode() + b"\n" for p in paths)
            out = git(self.repo, "cat-file", "--batch", input=request)
            cache: dict[str, bytes] = {}
            pos = 0
            for p in paths:
                header_end = out.index(b"\n", pos)
                size = int(out[pos:header_end].split()[2])
                start = header_end + 1
                cache[p] = out[start : start + size]
                pos = start + size + 1
            self._cache = cache
        return self._cache

    def read(self, path: str) -> bytes:
        if path not in self._blobs:
            raise FileNotFoundError(path)
        if not path.startswith(BATCHED_PREFIXES):
            return git(self.repo, "cat-file", "blob", self._blobs[path])
        return self._load_all()[path]

    def exists(self, path: str) -> bool:
        return path in self._blobs or path.rstrip("/") in self._dirs

    def is_dir(self, path: str) -> bool:
        return path.rstrip("/") in self._dirs

    def is_symlink(self, path: str) -> bool:
        return False

    def escapes(self, path: str) -> bool:
        return False
