"""Where input files come from: the working tree, or a git revision read straight from objects.

Publishing a year and diffing a pull request read other revisions; doing that through
``git cat-file --batch`` leaves the user's working tree and index alone.

Both trees hand out regular files only, and never follow a link: a symbolic link, a named pipe,
a git submodule or a file name that is not UTF-8 under an input folder is listed by
:meth:`Tree.refused` (so that `kaohe check` reports it, the same in the working tree and at any
revision) and is otherwise invisible: not listed, not readable, not a link target.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .messages import msg, tr
from .problems import InputError


@dataclass(frozen=True)
class Refused:
    """An entry under an input folder that kaohe neither reads nor follows."""

    path: str  # repository-relative; bytes that are not UTF-8 are shown as \\xNN
    # "symlink", "special" (a pipe, socket or device), "submodule", "name" (not UTF-8), "path" (".." at
    # a revision) or "not-a-folder" (a file where an input folder should be: everything under it missing)
    kind: str
    detail: str = ""  # where a symlink points; for a special file, the message id of its kind (tree.special.fifo)


class Tree(Protocol):
    label: str

    def files(self, prefix: str) -> Iterator[str]:
        """Repository-relative paths (forward slashes) of regular files under ``prefix``, hidden ones left out."""
        ...

    def refused(self, prefix: str) -> Iterator[Refused]:
        """What is under ``prefix`` but not a regular file with a UTF-8 name (see :class:`Refused`)."""
        ...

    def read(self, path: str) -> bytes: ...

    def exists(self, path: str) -> bool:
        """Whether `path` is a regular file or a folder, reached without following any link."""
        ...

    def is_dir(self, path: str) -> bool: ...


def printable(name: str | bytes) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate-escaped by the OS layer) become \\xNN."""
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    return raw.decode("utf-8", "backslashreplace")


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `frameworks/` or `evidence/`.

    `start` itself must be a folder: a mistyped `--repo` must not fall back to the repository
    around the typo and score that as if it had been asked for. The search ends at the top of the
    git work tree `start` lies in (a folder holding `.git`): a bureau's new repository started
    inside a clone of kaohe (docs/adopting.md) is its own, and must not import into, check or
    build the clone's data around it.
    """
    if not start.exists():
        raise InputError("workspace.repo-missing", path=start)
    if not start.is_dir():
        raise InputError("workspace.repo-not-folder", path=start)
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "frameworks").is_dir() or (folder / "evidence").is_dir():
            return folder
        if (folder / ".git").exists():
            raise InputError("workspace.no-repository-in-git", start=start, top=folder)
    raise InputError("workspace.no-repository", start=start)


def in_git(root: Path) -> bool:
    """Whether `root` is inside a git work tree, without running git when it plainly is not."""
    return any((folder / ".git").exists() for folder in (root, *root.parents))


#: The folders kaohe reads: listed once per tree, so that every lookup under them is a set lookup.
INPUT_FOLDERS = ("frameworks", "evidence")


def _utf8(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unsafe_name(name: bytes) -> bool:
    """A name git never checks out ("", ".", "..", ".git" in any case): a tree object made by hand
    (`git mktree`, `hash-object --literally`) can hold one, and a path through ".." would lead a
    snapshot of the commit out of its folder."""
    return name in (b"", b".", b"..") or name.lower() == b".git"


def _special(mode: int) -> str:
    """The message id naming the kind of special file, for `kaohe check`'s "tree.special"."""
    if stat.S_ISFIFO(mode):
        return "tree.special.fifo"
    if stat.S_ISSOCK(mode):
        return "tree.special.socket"
    return "tree.special.device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "tree.special.other"


def regular_file(root: Path, path: str) -> bool:
    """Whether `root/path` is a regular file inside `root` with no symbolic link on the way to it."""
    full = os.path.normpath(os.path.join(root, path))
    inside = full.startswith(os.path.join(os.path.realpath(root), ""))
    try:
        mode = os.lstat(full).st_mode
    except OSError:
        return False
    return inside and stat.S_ISREG(mode) and os.path.realpath(full) == full


def _hidden(path: str) -> bool:
    """Whether a name on the path starts with "." (.git, .DS_Store): such files are not input."""
    return path.startswith(".") or "/." in path


def _hidden_input(path: str) -> bool:
    """A hidden file or folder under an input folder: not input, so neither listed nor linkable."""
    return path.split("/")[0] in INPUT_FOLDERS and _hidden(path)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


@dataclass
class _Listing:
    files: list[str] = field(default_factory=list)  # regular files, hidden ones left out
    dirs: set[str] = field(default_factory=set)
    refused: list[Refused] = field(default_factory=list)  # hidden ones included: they are not followed either
    file_set: set[str] = field(default_factory=set)
    scanned: list[str] = field(default_factory=list)  # every folder read, hidden ones included (full paths)


class FsTree:
    """The working tree of a checkout (or any folder)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._root = str(self.root)  # os.path on strings: pathlib objects cost more than the system calls
        self.label = tr("diff.working-tree")
        self._listings: dict[str, _Listing] = {}

    def _listing(self, top: str) -> _Listing:
        """Every entry under the top-level folder `top`, from one walk that follows no link."""
        if top not in self._listings:
            listing = _Listing()
            base = os.path.join(self._root, top)
            if os.path.islink(base):
                listing.refused.append(Refused(top, "symlink", printable(os.readlink(base))))
            elif os.path.isdir(base):
                listing.dirs.add(top)
                self._walk(base, top, listing)
            elif top in INPUT_FOLDERS and os.path.lexists(base):
                listing.refused.append(Refused(top, "not-a-folder"))
            elif os.path.lexists(base) and not os.path.isfile(base):  # a pipe or socket named mkdocs.yml
                listing.refused.append(Refused(top, "special", _special(os.lstat(base).st_mode)))
            listing.file_set = set(listing.files)
            self._listings[top] = listing
        return self._listings[top]

    def walk(self, top: str) -> _Listing:
        """What the one walk of the input folder `top` found (generator.checkcache compares it)."""
        return self._listing(top)

    def _walk(self, folder: str, rel: str, listing: _Listing) -> None:
        listing.scanned.append(folder)
        with os.scandir(folder) as entries:
            ordered = sorted(entries, key=lambda e: e.name)
        subfolders = []
        for entry in ordered:  # files first, then each subfolder: the order os.walk gives
            path = f"{rel}/{entry.name}"
            if not _utf8(os.fsencode(entry.name)):
                listing.refused.append(Refused(printable(path), "name"))
            elif entry.is_symlink():
                listing.refused.append(Refused(path, "symlink", printable(os.readlink(entry.path))))
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, path))
            elif entry.is_file(follow_symlinks=False):
                if not _hidden(path):
                    listing.files.append(path)
            else:
                listing.refused.append(Refused(path, "special", _special(entry.stat(follow_symlinks=False).st_mode)))
        for full, path in subfolders:
            if not _hidden(path):
                listing.dirs.add(path)
            self._walk(full, path, listing)

    def files(self, prefix: str) -> Iterator[str]:
        prefix = prefix.strip("/")
        yield from (p for p in self._listing(prefix.split("/")[0]).files if p.startswith(prefix + "/"))

    def refused(self, prefix: str) -> Iterator[Refused]:
        prefix = prefix.strip("/")
        listing = self._listing(prefix.split("/")[0])
        yield from (r for r in listing.refused if r.path == prefix or r.path.startswith(prefix + "/"))

    def read(self, path: str) -> bytes:
        return self.read_with_stat(path)[0]

    def read_with_stat(self, path: str) -> tuple[bytes, os.stat_result]:
        """The file's bytes and the stat data of what was read, taken before reading, from one open
        (a stat by name, then an open, cost a third more system time on 30,000 files)."""
        if not self._is_file(path):
            raise FileNotFoundError(f"no regular file '{path}'")
        # the walk found a regular file; should a link or a pipe have taken its place since, the
        # link is not followed (O_NOFOLLOW) and the pipe is not waited on (O_NONBLOCK: it reads as empty)
        fd = os.open(os.path.join(self._root, path), _READ_FLAGS)
        try:
            st = os.fstat(fd)
            chunks = [os.read(fd, st.st_size + 1)]  # the whole file at once, unless it grew since
            while chunks[-1]:
                chunks.append(os.read(fd, 1 << 20))
        finally:
            os.close(fd)
        return chunks[0] if len(chunks) <= 2 else b"".join(chunks), st

    def _is_file(self, path: str) -> bool:
        top = path.split("/", 1)[0]
        if top in INPUT_FOLDERS:
            return path in self._listing(top).file_set
        return regular_file(self.root, path)

    def exists(self, path: str) -> bool:
        return self._is_file(path.strip("/")) or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        path = path.strip("/")
        top = path.split("/")[0]
        if top in INPUT_FOLDERS:
            return path in self._listing(top).dirs
        full = os.path.normpath(os.path.join(self._root, path))
        return os.path.isdir(full) and os.path.realpath(full) == full


#: Input folders read in one `git cat-file --batch` call; anything else is read on demand.
BATCHED_PREFIXES = ("frameworks/", "evidence/")


class GitError(InputError):
    """git failed; ``detail`` holds what git itself said (its own words, always English: see :func:`git`).

    An :class:`InputError`: git missing, a folder that is no repository or a revision the clone lacks
    is the user's setup to fix (exit 1, said in their words), never a fault of kaohe's (exit 3)."""


#: The variables that make git read another repository than the one `git -C folder` finds there
#: (``git rev-parse --local-env-vars``, which git itself clears before it runs in a submodule), but
#: for its settings (GIT_CONFIG_*: CI passes safe.directory so). kaohe finds its repository in the
#: folders and reads its files there; with GIT_DIR left set (a bare repository of dotfiles, a
#: script's export, another repository's hook) it read their history from the other repository:
#: `check --rev HEAD` checked no data there and passed.
_REPOSITORY_VARIABLES = frozenset(
    {
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_OBJECT_DIRECTORY",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_GRAFT_FILE",
        "GIT_INDEX_FILE",
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_REPLACE_REF_BASE",
        "GIT_PREFIX",
        "GIT_INTERNAL_SUPER_PREFIX",
        "GIT_SHALLOW_FILE",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
    }
)


def _git_environment() -> dict[str, str]:
    """The environment with git's messages in English (kaohe reads some of them, "unknown revision",
    and shows them quoted inside its own, translated message), and without the variables that point
    git at another repository than the folder's own (:data:`_REPOSITORY_VARIABLES`)."""
    env = {k: v for k, v in os.environ.items() if k != "LANGUAGE" and k not in _REPOSITORY_VARIABLES}
    env["LC_ALL" if "LC_ALL" in env else "LC_MESSAGES"] = "C"
    return env


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=input, capture_output=True, check=False, env=_git_environment()
        )
    except FileNotFoundError as exc:
        raise GitError("git.not-installed") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        if _CORRUPT.search(detail):  # git's last line names the damaged file; the lines before repeat it
            raise GitError("git.corrupt", detail=detail.rsplit("\n", 1)[-1])
        raise GitError("git.failed", detail=detail or f"git {' '.join(args)}")
    return done.stdout


#: What git says when the repository's own files are damaged (a disk full during a fetch, a copy cut
#: short): the clerk is told that in their words and how to get a sound copy, with git's lines after.
_CORRUPT = re.compile(
    r"\bis corrupt\b|unable to unpack|inflate: data stream error|index file corrupt|\bbad signature 0x"
    r"|\bpack has bad object\b|\bis not a GIT packfile\b|index file smaller than expected",
    re.IGNORECASE,
)


def listed_lines(listed: bytes) -> list[str]:
    """What git listed one a line (tag names, refs with their objects), the empty lines left out.

    Not ``str.split()`` or ``splitlines()``, which also break at the spaces and line breaks a name
    may hold (U+3000 typed by a Chinese input method, U+2028, U+0085): "results-2011　" was read as
    a tag "results-2011" that does not exist. A name git takes that is not UTF-8 reads with U+FFFD
    in it, a name no pattern of kaohe's matches, never as an internal error."""
    return [line for line in listed.decode("utf-8", "replace").split("\n") if line]


def is_shallow(repo: Path) -> bool:
    """Whether `repo` is a shallow clone (`git clone --depth 1`, CI's default checkout): its history
    stops at the commits fetched, so older commits, and tags and branches not fetched, are missing."""
    try:
        return git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except GitError:
        return False


def commit_of(repo: Path, rev: str) -> str:
    """The commit id `rev` names; when it names none, a :class:`GitError` saying why in the user's
    words (:func:`missing_revision`), never git's own "fatal: Needed a single revision"."""
    try:
        return git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()
    except GitError as exc:
        raise missing_revision(repo, rev, exc) from exc


def missing_revision(repo: Path, rev: str, failure: GitError) -> GitError:
    """Why `rev` names no commit in `repo`, asked of git only once resolving it failed (the usual
    path costs nothing): git missing, no repository, no commit yet, a shallow clone (the usual cause
    in CI, whose checkout fetches one commit), a name that is not a commit, or a name git does not know.

    In a shallow clone a missing name is reported as missing history even when it may be a typo: a
    branch or tag the clone did not fetch fails exactly as a typo does, and the hint says both."""
    if failure.code == "git.not-installed":
        return failure
    try:
        git(repo, "rev-parse", "--git-dir")
    except GitError as exc:
        return exc if exc.code == "git.not-installed" else GitError("git.not-a-repository", rev=rev, root=repo)
    if not _has_commits(repo):
        return GitError("git.no-commits", rev=rev)
    if is_shallow(repo):
        return GitError("git.shallow", rev=rev)
    kind = _object_kind(repo, rev)
    if kind not in (None, "commit"):
        worded = msg(f"git.kind.{kind}") if kind in ("tree", "blob") else msg("git.kind.other", kind=kind)
        return GitError("git.not-a-commit", rev=rev, kind=worded)
    return GitError("git.unknown-revision", rev=rev)


def _has_commits(repo: Path) -> bool:
    """Whether any commit is reachable from HEAD or a ref (false in a repository just made by `git init`)."""
    try:
        return bool(git(repo, "rev-list", "-n", "1", "--all", "HEAD").strip())
    except GitError:  # HEAD names a branch without commits: ask the refs alone
        try:
            return bool(git(repo, "rev-list", "-n", "1", "--all").strip())
        except GitError:
            return False


def _object_kind(repo: Path, rev: str) -> str | None:
    """The kind of object `rev` names ("tree", "blob"…), None when it names none that is present."""
    try:
        found = git(repo, "rev-parse", "--verify", "--quiet", rev).decode().strip()
        return git(repo, "cat-file", "-t", found).decode().strip()
    except GitError:
        return None


class GitTree:
    """The files of one commit, read from the object database."""

    def __init__(self, repo: Path, rev: str) -> None:
        self.repo = repo
        self.rev = rev
        self.commit = commit_of(repo, rev)
        self.label = f"{rev} ({self.commit[:10]})"
        listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", self.commit)
        self._blobs: dict[str, str] = {}
        self._dirs: set[str] = {""}
        self._refused: list[Refused] = []
        links: dict[str, str] = {}  # symlink path → the blob holding its target
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, raw = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            parts = raw.split(b"/")
            bad = next((k for k, p in enumerate(parts) if not _utf8(p)), None)
            if bad is not None:  # reported once, at the first name that is not UTF-8, as the working tree does
                refused = Refused(printable(b"/".join(parts[: bad + 1])), "name")
                if refused not in self._refused:
                    self._refused.append(refused)
                continue
            unsafe = next((k for k, p in enumerate(parts) if _unsafe_name(p)), None)
            if unsafe is not None:  # only a crafted tree object holds one; reported once, as a bad name is
                refused = Refused(b"/".join(parts[: unsafe + 1]).decode("utf-8"), "path")
                if refused not in self._refused:
                    self._refused.append(refused)
                continue
            path = raw.decode("utf-8")
            if path in INPUT_FOLDERS and kind == "blob" and mode != "120000":
                self._refused.append(Refused(path, "not-a-folder"))
            elif mode == "120000":
                links[path] = sha
            elif kind != "blob":
                self._refused.append(Refused(path, "submodule"))
            else:
                self._blobs[path] = sha
                names = path.split("/")
                for k in range(1, len(names)):
                    self._dirs.add("/".join(names[:k]))
        if links:
            targets = _read_blobs(repo, list(dict.fromkeys(links.values())))
            self._refused += [Refused(p, "symlink", printable(targets[sha])) for p, sha in links.items()]
        self._refused.sort(key=lambda r: r.path)
        self._cache: dict[str, bytes] | None = None

    def files(self, prefix: str) -> Iterator[str]:
        prefix = prefix.rstrip("/") + "/"
        yield from sorted(p for p in self._blobs if p.startswith(prefix) and not _hidden(p))

    def refused(self, prefix: str) -> Iterator[Refused]:
        prefix = prefix.strip("/")
        yield from (r for r in self._refused if r.path == prefix or r.path.startswith(prefix + "/"))

    def _load_all(self) -> dict[str, bytes]:
        if self._cache is None:
            paths = sorted(p for p in self._blobs if p.startswith(BATCHED_PREFIXES))
            blobs = _read_blobs(self.repo, list(dict.fromkeys(self._blobs[p] for p in paths)))
            self._cache = {p: blobs[self._blobs[p]] for p in paths}
        return self._cache

    def blobs(self, tops: tuple[str, ...]) -> dict[str, bytes]:
        """Every blob at or under the top-level names `tops`, hidden files included, exactly as
        committed (no `.gitattributes` conversion: see generator.publish.snapshot), from one call."""
        paths = sorted(p for p in self._blobs if p.split("/", 1)[0] in tops)
        blobs = _read_blobs(self.repo, list(dict.fromkeys(self._blobs[p] for p in paths)))
        return {p: blobs[self._blobs[p]] for p in paths}

    def read(self, path: str) -> bytes:
        if path not in self._blobs:
            raise FileNotFoundError(path)
        if not path.startswith(BATCHED_PREFIXES):
            return git(self.repo, "cat-file", "blob", self._blobs[path])
        return self._load_all()[path]

    def exists(self, path: str) -> bool:
        return (path in self._blobs and not _hidden_input(path)) or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        path = path.strip("/")
        return path in self._dirs and not _hidden_input(path)


def _read_blobs(repo: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of blobs, by id, from one `git cat-file --batch` call."""
    if not shas:
        return {}
    out = git(repo, "cat-file", "--batch", input=b"".join(sha.encode() + b"\n" for sha in shas))
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in shas:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        blobs[sha] = out[start : start + size]
        pos = start + size + 1
    return blobs


class OverlayTree:
    """A tree plus files not written yet, so that `kaohe new` can check a file before writing it."""

    def __init__(self, base: Tree, extra: dict[str, bytes]) -> None:
        self.base = base
        self.extra = extra
        self.label = base.label
        self.commit = getattr(base, "commit", None)

    def files(self, prefix: str) -> Iterator[str]:
        prefix = prefix.rstrip("/") + "/"
        yield from self.base.files(prefix)
        yield from (p for p in self.extra if p.startswith(prefix))

    def refused(self, prefix: str) -> Iterator[Refused]:
        return self.base.refused(prefix)

    def read(self, path: str) -> bytes:
        return self.extra[path] if path in self.extra else self.base.read(path)

    def exists(self, path: str) -> bool:
        return path in self.extra or self.is_dir(path) or self.base.exists(path)

    def is_dir(self, path: str) -> bool:
        folder = path.rstrip("/") + "/"
        return self.base.is_dir(path) or any(p.startswith(folder) for p in self.extra)
