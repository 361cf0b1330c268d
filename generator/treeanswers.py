"""What a run asked the working tree, kept so that a later run can ask again and see what changed.

`kaohe check`'s kept outcome (:mod:`generator.checkcache`) and a build's kept year
(:mod:`generator.render.keptyear`) both depend on every answer their run got from the repository:
the file lists of frameworks/ and evidence/ (with what is refused in them), whether paths outside
them exist, and the content of every file read. :class:`Recorder` wraps the tree during a run and
notes those answers; the functions below ask them again.

A file's content digest is remembered by its stat data (size, mtime, ctime, inode, device): a
file whose stat data is unchanged is not read again. ctime cannot be set by a user, so an edit
given its old mtime back (``touch -d``, ``os.utime``) is still noticed. As git does for its index
("racy git"), stat data is trusted only for a file whose mtime and ctime are older than the moment
that stat data was taken (less :data:`RACY_NS`, for file systems whose clock ticks coarsely): a
file changed in the same tick as it was looked at is hashed again on every run until an entry
records it as old.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
import time
from array import array
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .cachedir import read_file
from .tree import INPUT_FOLDERS, FsTree, GitError, Refused, Tree, git, in_git

#: Stat data is not trusted for a file changed less than this before it was taken: file-system
#: clocks tick coarsely (2 s on FAT; Linux stamps files from a clock that lags time.time_ns()).
RACY_NS = 2_000_000_000
#: China Standard Time: appeal deadlines are judged on the day there (generator.lifecycle.today).
CHINA = timezone(timedelta(hours=8))


def china_day() -> str:
    return datetime.now(CHINA).date().isoformat()


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


MISSING = (-1,) * 5  # stat data of nothing: never equal to a file's


def stat_data(path: str) -> list[int]:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return list(MISSING)
    return stat_numbers(st)


def stat_numbers(st: os.stat_result) -> list[int]:
    """The stat data that vouches for a file's content: size, change times, which file it is."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def settled(stat: list[int], before: int) -> bool:
    """Whether stat data can vouch for a file or folder: changed (mtime and ctime) well before `before`."""
    return stat[1] < before - RACY_NS and stat[2] < before - RACY_NS


def failure(exc: OSError) -> list[Any]:
    return ["failed", type(exc).__name__, exc.errno, exc.strerror or str(exc)]


def read_answer(tree: Tree, root: str, path: str) -> list[Any]:
    """The answer to reading `path`: its stat data (taken first) and content digest, or how it failed."""
    stat = stat_data(os.path.join(root, path))
    try:
        return [*stat, digest(tree.read(path))]
    except OSError as exc:
        return failure(exc)


def walked(tree: FsTree, top: str) -> str:
    """A digest of everything the walk of an input folder found: what any question under it is answered from."""
    found = tree.walk(top)
    refused = [[r.path, r.kind, r.detail] for r in found.refused]
    text = json.dumps([found.files, sorted(found.dirs), refused], ensure_ascii=False)
    return digest(text.encode("utf-8", "surrogatepass"))


def stats_digest(stats: list[list[int]]) -> str:
    return digest(array("q", [n for stat in stats for n in stat]).tobytes())


def current_stats(root: str, paths: list[str]) -> array[int]:
    """The files' stat data as it is now, five numbers a file (:func:`stat_data`): the one loop a
    warm hit spends its time in (30,000 system calls at reference size), so written for speed.
    Its digest (:func:`stats_digest` of the same numbers) vouches for every file at once; else
    :func:`changed_reads` compares them file by file without asking the system again."""
    values = array("q")
    extend, stat = values.extend, os.stat
    for path in paths:
        try:
            st = stat(f"{root}/{path}", follow_symlinks=False)
        except OSError:
            extend(MISSING)
            continue
        extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
    return values


def top_folder(path: str) -> str:
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
        self.outside: dict[str, dict[str, Any]] = {"exists": {}, "is_dir": {}, "refused": {}}
        self.reads: dict[str, list[Any]] = {}

    def files(self, prefix: str) -> Any:
        self.tops.add(top_folder(prefix) or prefix)
        return self.tree.files(prefix)

    def refused(self, prefix: str) -> Any:
        if top_folder(prefix):
            self.tops.add(top_folder(prefix))
            return self.tree.refused(prefix)
        found = list(self.tree.refused(prefix))  # a file elsewhere (mkdocs.yml) that may be a link
        self.outside["refused"][prefix] = refused_answer(found)
        return iter(found)

    def exists(self, path: str) -> bool:
        found = self.tree.exists(path)
        if top_folder(path):
            self.tops.add(top_folder(path))
        else:
            self.outside["exists"][path] = found
        return found

    def is_dir(self, path: str) -> bool:
        found = self.tree.is_dir(path)
        if top_folder(path):
            self.tops.add(top_folder(path))
        else:
            self.outside["is_dir"][path] = found
        return found

    def read(self, path: str) -> bytes:
        if top_folder(path):
            self.tops.add(top_folder(path))
        else:  # a file elsewhere (CODEOWNERS) is read only while it is one: note that too
            self.exists(path)
            self.is_dir(path)
        try:
            data, st = self.tree.read_with_stat(path)
        except OSError as exc:
            self.reads[path] = failure(exc)
            raise
        self.reads[path] = [*stat_numbers(st), digest(data)]
        return data

    def digest_of(self, path: str) -> str | None:
        """The digest of the bytes `path` gave when last read (None if it was not, or failed)."""
        answer = self.reads.get(path)
        return answer[-1] if answer is not None and answer[0] != "failed" else None

    def answers(self, stamp: int) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """What the entry's head holds, and the table of reads (read only when stat data differs)."""
        walks = {}
        for top in sorted(self.tops):
            if top not in INPUT_FOLDERS:
                return {"unknown": top}, {}  # a question this cache cannot ask again: never a hit
            folders = [[f, *stat_data(f)] for f in self.tree.walk(top).scanned]
            base = os.path.join(self._root, top)
            walks[top] = {"found": walked(self.tree, top), "folders": [[base, *stat_data(base)], *folders]}
        head = {"walks": walks, "outside": self.outside, "paths": sorted(self.reads)}
        vouch(head, self.reads, stamp)
        return head, self.reads


def vouch(answers: dict[str, Any], reads: dict[str, list[Any]], stamp: int) -> None:
    """Note the digest of the reads' stat data, and whether some stat data is too fresh to vouch
    for anything (then a warm run compares file by file)."""
    stats = [reads[p][:5] if reads[p][0] != "failed" else [-2] * 5 for p in answers["paths"]]
    folders = [f[1:] for walk in answers["walks"].values() for f in walk["folders"]]
    answers["stats"] = stats_digest(stats)
    answers["fresh"] = any(stat[0] < 0 or not settled(stat, stamp) for stat in stats) or not all(
        settled(f, stamp) for f in folders
    )


def libraries() -> list[str]:
    """The distributions installed where Python finds modules, with their versions (from the folder
    names). The folder of the script or the current folder, first on sys.path, is left out: it
    depends on how kaohe was started (`kaohe`, `python -m generator.cli`), not on what is installed."""
    found: list[str] = []
    for folder in (
        sys.path[1:] if sys.path and not sys.path[0].endswith(("site-packages", "dist-packages")) else sys.path
    ):
        try:
            found += [n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(found)


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


def future_commit(root: Path, rev: str, moment_ns: int) -> bool:
    """Whether a commit of `rev`'s first-parent history is dated after `moment_ns` plus git's clock skew."""
    from .gitdates import CLOCK_SKEW

    try:
        out = git(root, "log", rev, "--first-parent", "--format=%ct").split()
    except GitError:
        return False  # no history: the check reported that, and will again
    latest = max((int(s) for s in out if s.isdigit()), default=0)
    return latest > moment_ns // 1_000_000_000 + CLOCK_SKEW.total_seconds()


class Changed(Exception):
    """An answer differs: what was kept no longer holds."""


def same_walks(walks: dict[str, Any], tree: FsTree, stamp: int) -> bool:
    """Compare the walks of the input folders; True when a folder's stat data had to be refreshed.

    A folder's entries change only with its stat data (adding, removing or renaming an entry
    changes its mtime and ctime), so while every folder's stat data is unchanged and old the walk
    is not made again.
    """
    refreshed = False
    for top, walk in walks.items():
        folders = walk["folders"]
        if all(stat_data(f[0]) == f[1:] and settled(f[1:], stamp) for f in folders):
            continue
        if walked(tree, top) != walk["found"]:
            raise Changed(top)
        base = os.path.join(str(tree.root), top)
        walk["folders"] = [[base, *stat_data(base)], *([f, *stat_data(f)] for f in tree.walk(top).scanned)]
        refreshed = True
    return refreshed


def same_answers(answers: dict[str, Any], tree: FsTree, stamp: int) -> bool:
    """Compare the walks (:func:`same_walks`, whose result this returns) and the answers about paths
    outside the input folders; :class:`Changed` at the first that differs."""
    refreshed = same_walks(answers["walks"], tree, stamp)
    for path, found in answers["outside"]["exists"].items():
        if tree.exists(path) != found:
            raise Changed(path)
    for path, found in answers["outside"]["is_dir"].items():
        if tree.is_dir(path) != found:
            raise Changed(path)
    for path, found in answers["outside"].get("refused", {}).items():
        if refused_answer(tree.refused(path)) != found:
            raise Changed(path)
    return refreshed


def refused_answer(refused: Iterable[Refused]) -> list[list[str]]:
    """What :meth:`Tree.refused` answered, as the entry keeps it."""
    return [[r.path, r.kind, r.detail] for r in refused]


def changed_reads(
    answers: dict[str, Any], reads: dict[str, list[Any]], tree: FsTree, stamp: int, now: array[int]
) -> set[str]:
    """The files read whose content (or failure to read) differs now; `reads` is refreshed with the
    answers of every file its stat data could not vouch for. `now`: their stat data as
    :func:`current_stats` just took it (whose digest did not vouch for them all)."""
    root = str(tree.root)
    paths = answers["paths"]
    changed = set()
    for n, path in enumerate(paths):
        stored = reads[path]
        if not isinstance(stored, list) or not stored:
            raise Changed(path)
        failed = stored[0] == "failed"
        if not failed:
            stat = now[5 * n : 5 * n + 5].tolist()
            if stat == stored[:5] and settled(stat, stamp):
                continue  # vouched for by its stat data
        answer = read_answer(tree, root, path)
        if (answer != stored) if failed or answer[0] == "failed" else (answer[-1] != stored[-1]):
            changed.add(path)
        reads[path] = answer
    return changed


# -- an entry: the answers beside what they vouch for -----------------------------------------------


def write_entry(path: Path, magic: bytes, head: dict[str, Any], reads: dict[str, list[Any]]) -> None:
    """Write an entry whole (a temporary file, then a rename; OSError when the disk refuses).

    The file is a line naming the digest of the head, the head (one line of JSON: what is kept,
    the answers a later run compares and the digest of the table) and the table of reads (JSON,
    checked and parsed only when stat data differs): a damaged file fails a digest and is a miss.
    """
    dumps = json.dumps  # not json.dump, which encodes in Python: 30,000 reads took seconds
    table = dumps(reads, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    head = {**head, "table": digest(table)}
    text = dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    path.parent.mkdir(exist_ok=True)
    replace_file(path, b"%s %s\n%s\n%s" % (magic, digest(text).encode(), text, table))


def replace_file(path: Path, data: bytes) -> None:
    """Put `data` at `path` through a temporary file beside it, removed if writing fails."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_entry(path: Path, magic: bytes, layout: int, shape: dict[str, Any]) -> tuple[dict[str, Any], bytes] | None:
    """The entry at `path` (its head, and its table of reads not parsed yet), or None when there
    is none, it is damaged or of another `layout`, or a value of its head has not the type `shape`
    gives: never trusted."""
    try:
        first, _, body = read_file(path).partition(b"\n")
        text, _, table = body.partition(b"\n")
        if first != magic + b" " + digest(text).encode():
            return None
        head = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(head, dict) or head.get("format") != layout:
        return None
    if not all(isinstance(head.get(k), t) for k, t in shape.items()):
        return None
    return head, table


#: A temporary file older than this is one a killed run left: no run writes for that long.
ABANDONED_S = 3600


def prune(folder: Path, keep: int, companion: str = "") -> None:
    """Delete all but the `keep` newest entries in `folder` (with the `companion` file each names
    by its stem, e.g. ".pickle"), and the temporary files killed runs left."""
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for gone in entries[keep:]:
            gone.unlink()
        kept = {p.stem for p in entries[:keep]}
        for other in folder.glob(f"*{companion}") if companion else []:
            if other.stem not in kept:
                other.unlink()
        now = time.time()
        for temporary in folder.glob(".entry.*"):
            with contextlib.suppress(OSError):
                if now - temporary.stat().st_mtime > ABANDONED_S:
                    temporary.unlink()


def table_of(head: dict[str, Any], table: bytes) -> dict[str, list[Any]]:
    """The table of reads, checked against the digest the head names (:class:`Changed` if not)."""
    try:
        reads = json.loads(table) if digest(table) == head["table"] else None
    except ValueError:
        reads = None
    if not isinstance(reads, dict) or sorted(reads) != head["answers"]["paths"]:
        raise Changed("table")
    return reads
