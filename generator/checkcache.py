"""`kaohe check`'s outcome kept between runs, printed again only while every input it came from is unchanged.

pre-commit and editors run `kaohe check` all day on a repository that has not changed since the
last run; a cold check reads, parses and validates every file (seconds at province scale). A cold
run therefore stores what it printed (stdout, stderr, exit code) in kaohe's cache folder
(:mod:`generator.cachedir`, ``check/``), together with every answer it got from its inputs. The
next run with the same arguments asks the same questions again and prints the stored outcome when
every answer is the same, without loading kaohe's models (:func:`replay`, called by the CLI before
any other command is imported). One different answer, or a damaged entry, is a miss: the check
runs cold and stores a new entry. `kaohe check --no-cache` always runs cold.

What the outcome depends on, and how each is compared (found by reading `kaohe check`):

- **the command line**: the parsed arguments (paths, --rev, --format), the repository's root,
  and the current folder when paths are given (they are relative to it): part of the entry's name;
- **kaohe itself**: a digest of its package (code, message catalogues, templates:
  :func:`generator.cachedir.code_digest`), Python's version and the installed distributions (the
  name and version of every ``*.dist-info`` on ``sys.path``): part of the name;
- **the language** messages are worded in (--lang, ``KAOHE_LANG``, the locale): part of the
  name, since the stored output is already worded;
- **every question the check asked the working tree** (:class:`Recorder` wraps the tree during
  the cold run, so a check that starts reading another file is covered without a change here):
  the file lists of frameworks/ and evidence/, with what is refused in them (a symlink and its
  target, a pipe, a name that is not UTF-8), so an added, deleted or unread file or a new symlink
  changes an answer; whether a path exists or is a folder (CODEOWNERS, docs/schemas/,
  individual.toml, link targets, the paths named on the command line); and the content of every
  file read. With --rev the tree is a commit, and its id stands for all of these;
- **git history**, when a year judges filing deadlines: the commit whose history dates the files
  (HEAD, or --rev), whether the clone is shallow, and git's version. A history holding a commit
  dated after the moment of the run plus git's clock skew (judged impossible until the clock gets
  there) is not stored, since the same history reads differently later;
- **today** in China, when a year has appeals: their deadlines are judged against today.

Not part of it: git's configuration (rename detection limits), and the clock going backwards.

A file's content digest is remembered by its stat data (size, mtime, ctime, inode, device): a
file whose stat data is unchanged is not read again. ctime cannot be set by a user, so an edit
given its old mtime back (``touch -d``, ``os.utime``) is still noticed. As git does for its index
("racy git"), stat data is trusted only for a file whose mtime and ctime are older than the moment
that stat data was taken (less :data:`RACY_NS`, for file systems whose clock ticks coarsely): a
file changed in the same tick as it was looked at is hashed again on every run until an entry
records it as old. A warm run that had to hash files again writes the entry back with their
fresh stat data.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from array import array
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from . import cachedir
from .messages import current_language
from .problems import InputError
from .tree import INPUT_FOLDERS, FsTree, GitError, Tree, find_root, git, in_git

#: The layout of an entry; another layout is a miss.
FORMAT = 1
#: Entries (argument sets) kept in the folder; the least recently written are deleted.
KEEP = 8
FOLDER = "check"
#: Stat data is not trusted for a file changed less than this before it was taken: file-system
#: clocks tick coarsely (2 s on FAT; Linux stamps files from a clock that lags time.time_ns()).
RACY_NS = 2_000_000_000
#: China Standard Time: appeal deadlines are judged on the day there (generator.lifecycle.today).
CHINA = timezone(timedelta(hours=8))
#: Arguments that choose where the cache is, not what the check says (--repo is kept as the root).
_NOT_INPUT = ("run", "cache_dir", "no_cache", "lang", "repo")


def china_day() -> str:
    return datetime.now(CHINA).date().isoformat()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_MISSING = (-1,) * 5  # stat data of nothing: never equal to a file's


def _stat(path: str) -> list[int]:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return list(_MISSING)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _old(stat: list[int], before: int) -> bool:
    """Whether stat data can vouch for a file or folder: changed (mtime and ctime) well before `before`."""
    return stat[1] < before - RACY_NS and stat[2] < before - RACY_NS


def _failure(exc: OSError) -> list[Any]:
    return ["failed", type(exc).__name__, exc.errno, exc.strerror or str(exc)]


def _read(tree: Tree, root: str, path: str) -> list[Any]:
    """The answer to reading `path`: its stat data (taken first) and content digest, or how it failed."""
    stat = _stat(os.path.join(root, path))
    try:
        return [*stat, _digest(tree.read(path))]
    except OSError as exc:
        return _failure(exc)


def _walked(tree: FsTree, top: str) -> str:
    """A digest of everything the walk of an input folder found: what any question under it is answered from."""
    found = tree.walk(top)
    refused = [[r.path, r.kind, r.detail] for r in found.refused]
    text = json.dumps([found.files, sorted(found.dirs), refused], ensure_ascii=False)
    return _digest(text.encode("utf-8", "surrogatepass"))


def _stats_digest(stats: list[list[int]]) -> str:
    return _digest(array("q", [n for stat in stats for n in stat]).tobytes())


def _current_stats_digest(root: str, paths: list[str]) -> str:
    """:func:`_stats_digest` of the files' stat data as it is now: the one loop a warm hit spends
    its time in (30,000 system calls at reference size), so written for speed."""
    values = array("q")
    extend, stat = values.extend, os.stat
    for path in paths:
        try:
            st = stat(f"{root}/{path}", follow_symlinks=False)
        except OSError:
            extend(_MISSING)
            continue
        extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
    return _digest(values.tobytes())


def _top(path: str) -> str:
    top = path.strip("/").split("/")[0]
    return top if top in INPUT_FOLDERS else ""


class Recorder:
    """A working tree that notes every answer it gives: what a warm run asks again.

    A question about a path under frameworks/ or evidence/ is answered from the one walk of that
    folder, so the walk is what is noted (with the stat data of every folder it read); other
    paths' answers are noted one by one; every file read, with its stat data and content digest.
    """

    def __init__(self, tree: FsTree) -> None:
        self.tree = tree
        self.label = tree.label
        self._root = str(tree.root)
        self.tops: set[str] = set()
        self.outside: dict[str, dict[str, bool]] = {"exists": {}, "is_dir": {}}
        self.reads: dict[str, list[Any]] = {}

    def files(self, prefix: str) -> Any:
        self.tops.add(_top(prefix) or prefix)
        return self.tree.files(prefix)

    def refused(self, prefix: str) -> Any:
        self.tops.add(_top(prefix) or prefix)
        return self.tree.refused(prefix)

    def exists(self, path: str) -> bool:
        found = self.tree.exists(path)
        if _top(path):
            self.tops.add(_top(path))
        else:
            self.outside["exists"][path] = found
        return found

    def is_dir(self, path: str) -> bool:
        found = self.tree.is_dir(path)
        if _top(path):
            self.tops.add(_top(path))
        else:
            self.outside["is_dir"][path] = found
        return found

    def read(self, path: str) -> bytes:
        if _top(path):
            self.tops.add(_top(path))
        else:  # a file elsewhere (CODEOWNERS) is read only while it is one: note that too
            self.exists(path)
            self.is_dir(path)
        stat = _stat(os.path.join(self._root, path))
        try:
            data = self.tree.read(path)
        except OSError as exc:
            self.reads[path] = _failure(exc)
            raise
        self.reads[path] = [*stat, _digest(data)]
        return data

    def answers(self, stamp: int) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """What the entry's head holds, and the table of reads (read only when stat data differs)."""
        walks = {}
        for top in sorted(self.tops):
            if top not in INPUT_FOLDERS:
                return {"unknown": top}, {}  # a question this cache cannot ask again: never a hit
            folders = [[f, *_stat(f)] for f in self.tree.walk(top).scanned]
            base = os.path.join(self._root, top)
            walks[top] = {"found": _walked(self.tree, top), "folders": [[base, *_stat(base)], *folders]}
        head = {"walks": walks, "outside": self.outside, "paths": sorted(self.reads)}
        vouch(head, self.reads, stamp)
        return head, self.reads


def vouch(answers: dict[str, Any], reads: dict[str, list[Any]], stamp: int) -> None:
    """Note the digest of the reads' stat data, and whether some stat data is too fresh to vouch
    for anything (then a warm run compares file by file)."""
    stats = [reads[p][:5] if reads[p][0] != "failed" else [-2] * 5 for p in answers["paths"]]
    folders = [f[1:] for walk in answers["walks"].values() for f in walk["folders"]]
    answers["stats"] = _stats_digest(stats)
    answers["fresh"] = any(stat[0] < 0 or not _old(stat, stamp) for stat in stats) or not all(
        _old(f, stamp) for f in folders
    )


def _libraries() -> list[str]:
    """The distributions installed where Python finds modules, with their versions (from the folder names)."""
    found: list[str] = []
    for folder in sys.path:
        try:
            found += [n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(found)


def entry_path(folder: Path, root: Path, args: argparse.Namespace) -> Path:
    """Where the entry of this command line is: named by everything of the run that is not a file."""
    given = {k: v for k, v in sorted(vars(args).items()) if k not in _NOT_INPUT}
    name = {
        "format": FORMAT,
        "args": given,
        "root": str(root),
        "cwd": os.getcwd() if given.get("paths") else "",
        "language": current_language(),
        "code": cachedir.code_digest(),
        "python": sys.version,
        "libraries": _libraries(),
    }
    text = json.dumps(name, sort_keys=True, default=str, ensure_ascii=False)
    return folder / FOLDER / f"{_digest(text.encode('utf-8', 'surrogatepass'))}.json"


def history_state(root: Path, rev: str) -> list[str]:
    """What filing dates read from git besides the files: the commit, shallowness, git's version."""
    if not in_git(root):
        return ["no git"]
    try:
        version = git(root, "version").decode("utf-8", "replace").strip()
    except GitError as exc:
        return ["git failed", str(exc.params.get("detail", exc.code))]
    try:
        state = git(root, "rev-parse", "--is-shallow-repository", rev).decode("utf-8", "replace").split()
    except GitError as exc:
        state = ["failed", str(exc.params.get("detail", exc.code))]
    return [version, *state]


def _future_commit(root: Path, rev: str, moment_ns: int) -> bool:
    """Whether a commit of `rev`'s first-parent history is dated after `moment_ns` plus git's clock skew."""
    from .gitdates import CLOCK_SKEW

    try:
        out = git(root, "log", rev, "--first-parent", "--format=%ct").split()
    except GitError:
        return False  # no history: the check reported that, and will again
    latest = max((int(s) for s in out if s.isdigit()), default=0)
    return latest > moment_ns // 1_000_000_000 + CLOCK_SKEW.total_seconds()


class Recording:
    """A cold run of `kaohe check` on its way to becoming an entry."""

    def __init__(self, folder: Path, root: Path, tree: Tree, args: argparse.Namespace) -> None:
        self.folder, self.root, self.args = folder, root, args
        self.stamp = time.time_ns()  # before any stat data is taken: see the module's racy rule
        self.day = china_day()
        self.commit: str | None = getattr(tree, "commit", None)
        self.recorder = Recorder(tree) if isinstance(tree, FsTree) else None
        self.tree: Tree = self.recorder if self.recorder is not None else tree

    def store(self, years: list[Any], out: str, err: str, code: int) -> None:
        """Keep the outcome, unless it depends on something that will change by itself.

        `years` are the loaded assessments: whether they judge filing dates or appeals decides
        whether git history and today belong to the entry.
        """
        if self.recorder is None and self.commit is None:
            return  # a tree this cache cannot ask again
        rev = self.commit or "HEAD"
        history = None
        if any(a.filing_deadlines for a in years):
            history = history_state(self.root, rev)
            if _future_commit(self.root, rev, self.stamp):
                return
        day = self.day if any(a.appeals for a in years) else None
        if day is not None and china_day() != day:
            return  # the run crossed midnight: which day judged the deadlines is unclear
        answers, reads = self.recorder.answers(self.stamp) if self.recorder is not None else (None, {})
        head = {
            "format": FORMAT,
            "stamp": self.stamp,
            "commit": self.commit,
            "history": history,
            "day": day,
            "answers": answers,
            "out": out,
            "err": err,
            "code": code,
        }
        if cachedir.claim(self.folder):
            _write(entry_path(self.folder, self.root, self.args), head, reads)


#: The first word of an entry file, before the digest of the rest.
MAGIC = b"kaohe-check-cache"


def _write(path: Path, head: dict[str, Any], reads: dict[str, list[Any]]) -> None:
    """Write the entry whole (a temporary file, then a rename) and delete all but the KEEP newest.

    The file is a line naming the digest of the head, the head (one line of JSON: the outcome,
    the answers a warm run compares and the digest of the table) and the table of reads (JSON,
    checked and parsed only when stat data differs): a damaged file fails a digest and is a miss.
    """
    dumps = json.dumps  # not json.dump, which encodes in Python: 30,000 reads took seconds
    table = dumps(reads, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    head = {**head, "table": _digest(table)}
    text = dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        path.parent.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry.")
        with os.fdopen(fd, "wb") as f:
            f.write(b"%s %s\n%s\n%s" % (MAGIC, _digest(text).encode(), text, table))
        os.replace(temporary, path)
    except OSError:
        return  # a full or read-only disk: the next check runs cold
    with contextlib.suppress(OSError):
        entries = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()


_SHAPE = {
    "stamp": int,
    "code": int,
    "out": str,
    "err": str,
    "commit": (str, type(None)),
    "history": (list, type(None)),
    "day": (str, type(None)),
    "answers": (dict, type(None)),
    "table": str,
}


def _load(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """The entry at `path` (its head, and its table of reads not parsed yet), or None when there
    is none or it is damaged: never trusted."""
    try:
        first, _, body = path.read_bytes().partition(b"\n")
        text, _, table = body.partition(b"\n")
        if first != MAGIC + b" " + _digest(text).encode():
            return None
        head = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        return None
    if not all(isinstance(head.get(k), t) for k, t in _SHAPE.items()):
        return None
    return head, table


def _safe(folder: Path, root: Path) -> bool:
    """The checks of :func:`cachedir.cache_folder` that need no git: a cold run made any entry found."""
    root = root.resolve()
    if folder == root or root.is_relative_to(folder):
        return False
    data = [root / name for name in ("frameworks", "evidence", ".git")]
    return cachedir.is_cache(folder) and not any(folder.is_relative_to(d) or d.is_relative_to(folder) for d in data)


class _Changed(Exception):
    """An answer differs: the stored outcome no longer holds."""


def _same_walks(walks: dict[str, Any], tree: FsTree, stamp: int) -> bool:
    """Compare the walks of the input folders; True when a folder's stat data had to be refreshed.

    A folder's entries change only with its stat data (adding, removing or renaming an entry
    changes its mtime and ctime), so while every folder's stat data is unchanged and old the walk
    is not made again.
    """
    refreshed = False
    for top, walk in walks.items():
        folders = walk["folders"]
        if all(_stat(f[0]) == f[1:] and _old(f[1:], stamp) for f in folders):
            continue
        if _walked(tree, top) != walk["found"]:
            raise _Changed(top)
        base = os.path.join(str(tree.root), top)
        walk["folders"] = [[base, *_stat(base)], *([f, *_stat(f)] for f in tree.walk(top).scanned)]
        refreshed = True
    return refreshed


def _table(table: bytes, head: dict[str, Any]) -> dict[str, list[Any]]:
    """The table of reads, checked against the digest the head names."""
    try:
        reads = json.loads(table) if _digest(table) == head["table"] else None
    except ValueError:
        reads = None
    if not isinstance(reads, dict) or sorted(reads) != head["answers"]["paths"]:
        raise _Changed("table")
    return reads


def _same_reads(head: dict[str, Any], table: bytes, tree: FsTree) -> dict[str, list[Any]] | None:
    """Compare the files read: all at once by their stat data, else one by one by content (the
    table of reads, refreshed; returned). None when all are vouched for by their stat data."""
    root, answers, stamp = str(tree.root), head["answers"], head["stamp"]
    paths = answers["paths"]
    if not answers["fresh"] and _current_stats_digest(root, paths) == answers["stats"]:
        return None
    reads = _table(table, head)
    for path in paths:
        stored = reads[path]
        if not isinstance(stored, list) or not stored:
            raise _Changed(path)
        failed = stored[0] == "failed"
        if not failed:
            stat = _stat(os.path.join(root, path))
            if stat == stored[:5] and _old(stat, stamp):
                continue  # vouched for by its stat data
        answer = _read(tree, root, path)
        if (answer != stored) if failed or answer[0] == "failed" else (answer[-1] != stored[-1]):
            raise _Changed(path)
        reads[path] = answer
    return reads


def _holds(head: dict[str, Any], table: bytes, root: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    """Whether the stored outcome still holds (raises :class:`_Changed` where it does not); the
    table of reads when stat data had to be refreshed, else None."""
    rev = "HEAD"
    if head["commit"] is not None:
        if not args.rev:
            raise _Changed("rev")
        try:
            rev = git(root, "rev-parse", "--verify", f"{args.rev}^{{commit}}").decode().strip()
        except GitError as exc:
            raise _Changed("rev") from exc
        if rev != head["commit"]:
            raise _Changed("rev")
    elif args.rev or head["answers"] is None:
        raise _Changed("rev")
    if head["day"] is not None and head["day"] != china_day():
        raise _Changed("day")
    if head["history"] is not None and history_state(root, rev) != head["history"]:
        raise _Changed("history")
    answers = head["answers"]
    if answers is None:
        return None
    if "unknown" in answers:
        raise _Changed("unknown")
    tree = FsTree(root)
    refreshed = _same_walks(answers["walks"], tree, head["stamp"])
    for path, found in answers["outside"]["exists"].items():
        if tree.exists(path) != found:
            raise _Changed(path)
    for path, found in answers["outside"]["is_dir"].items():
        if tree.is_dir(path) != found:
            raise _Changed(path)
    reads = _same_reads(head, table, tree)
    if reads is None and refreshed:
        return _table(table, head)
    return reads


def replay(args: argparse.Namespace) -> tuple[str, str, int] | None:
    """The stored outcome of this `kaohe check` (stdout, stderr, exit code); None when there is none
    to trust (no cache, no entry, a damaged one, or an input that changed)."""
    try:
        root = find_root(Path(args.repo or "."))
    except InputError:
        return None  # the cold run says so
    folder = cachedir.locate(root, args.cache_dir, enabled=not args.no_cache)
    if folder is None or not _safe(folder, root):
        return None
    path = entry_path(folder, root, args)
    loaded = _load(path)
    if loaded is None:
        return None
    head, table = loaded
    started = time.time_ns()
    try:
        reads = _holds(head, table, root, args)
    except _Changed:
        return None
    if reads is not None:  # files or folders touched but not changed: keep their new stat data
        vouch(head["answers"], reads, started)
        head["stamp"] = started
        _write(path, head, reads)
    return head["out"], head["err"], head["code"]
