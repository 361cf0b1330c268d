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

How the answers are kept and asked again, and when a file's stat data vouches for its content:
:mod:`generator.treeanswers`. A warm run that had to hash files again writes the entry back with
their fresh stat data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from . import cachedir
from .messages import current_language
from .problems import InputError
from .tree import FsTree, GitError, Tree, find_root, git
from .treeanswers import (
    Changed,
    Recorder,
    changed_reads,
    china_day,
    current_stats,
    digest,
    future_commit,
    history_state,
    libraries,
    prune,
    read_entry,
    same_answers,
    table_of,
    vouch,
    write_entry,
)

#: The layout of an entry; another layout is a miss.
FORMAT = 1
#: Entries (argument sets) kept in the folder; the least recently written are deleted.
KEEP = 8
FOLDER = "check"
#: Arguments that choose where the cache is, not what the check says (--repo is kept as the root).
_NOT_INPUT = ("run", "cache_dir", "no_cache", "lang", "repo")


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
        "libraries": libraries(),
    }
    text = json.dumps(name, sort_keys=True, default=str, ensure_ascii=False)
    return folder / FOLDER / f"{digest(text.encode('utf-8', 'surrogatepass'))}.json"


class Recording:
    """A cold run of `kaohe check` on its way to becoming an entry."""

    def __init__(self, folder: Path, root: Path, tree: Tree, args: argparse.Namespace) -> None:
        self.folder, self.root, self.args = folder, root, args
        self.stamp = time.time_ns()  # before any stat data is taken: see the module's racy rule
        self.day = china_day()
        self.commit: str | None = getattr(tree, "commit", None)
        self.recorder = Recorder(tree) if isinstance(tree, FsTree) else None
        self.tree: Tree = self.recorder if self.recorder is not None else tree
        # git's state before any file is read: a commit made during the run is then never paired
        # with filing dates read before it (the next run sees HEAD moved and checks again)
        storable = self.recorder is not None or self.commit is not None
        self.history = history_state(root, self.commit or "HEAD") if storable else None

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
            history = self.history
            if future_commit(self.root, rev, self.stamp):
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
    """Write the entry (:func:`generator.treeanswers.write_entry`) and delete all but the KEEP newest."""
    try:
        write_entry(path, MAGIC, head, reads)
    except OSError:
        return  # a full or read-only disk: the next check runs cold
    prune(path.parent, KEEP)


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
    return read_entry(path, MAGIC, FORMAT, _SHAPE)


def _safe(folder: Path, root: Path) -> bool:
    """The checks of :func:`cachedir.cache_folder` that need no git: a cold run made any entry found."""
    root = root.resolve()
    if folder == root or root.is_relative_to(folder):
        return False
    data = [root / name for name in ("frameworks", "evidence", ".git")]
    return cachedir.is_cache(folder) and not any(folder.is_relative_to(d) or d.is_relative_to(folder) for d in data)


def _same_reads(head: dict[str, Any], table: bytes, tree: FsTree) -> dict[str, list[Any]] | None:
    """Compare the files read: all at once by their stat data, else one by one by content (the
    table of reads, refreshed; returned). None when all are vouched for by their stat data."""
    answers = head["answers"]
    now = current_stats(str(tree.root), answers["paths"])
    if not answers["fresh"] and digest(now.tobytes()) == answers["stats"]:
        return None
    reads = table_of(head, table)
    changed = changed_reads(answers, reads, tree, head["stamp"], now)
    if changed:
        raise Changed(min(changed))
    return reads


def _holds(head: dict[str, Any], table: bytes, root: Path, args: argparse.Namespace) -> dict[str, Any] | None:
    """Whether the stored outcome still holds (raises :class:`Changed` where it does not); the
    table of reads when stat data had to be refreshed, else None."""
    rev = "HEAD"
    if head["commit"] is not None:
        if not args.rev:
            raise Changed("rev")
        try:
            rev = git(root, "rev-parse", "--verify", f"{args.rev}^{{commit}}").decode().strip()
        except GitError as exc:
            raise Changed("rev") from exc
        if rev != head["commit"]:
            raise Changed("rev")
    elif args.rev or head["answers"] is None:
        raise Changed("rev")
    if head["day"] is not None and head["day"] != china_day():
        raise Changed("day")
    if head["history"] is not None and history_state(root, rev) != head["history"]:
        raise Changed("history")
    answers = head["answers"]
    if answers is None:
        return None
    if "unknown" in answers:
        raise Changed("unknown")
    tree = FsTree(root)
    refreshed = same_answers(answers, tree, head["stamp"])
    reads = _same_reads(head, table, tree)
    if reads is None and refreshed:
        return table_of(head, table)
    return reads


def replay(args: argparse.Namespace) -> tuple[str, str, int] | None:
    """The stored outcome of this `kaohe check` (stdout, stderr, exit code); None when there is none
    to trust (no cache, no entry, a damaged one, or an input that changed)."""
    try:
        root = find_root(Path(args.repo or "."))
    except InputError:
        return None  # the cold run says so
    folder = cachedir.locate(root, args.cache_dir, enabled=not args.no_cache)
    if folder is None or not _safe(folder, root) or cachedir.default_link(root, args.cache_dir):
        return None
    path = entry_path(folder, root, args)
    loaded = _load(path)
    if loaded is None:
        return None
    head, table = loaded
    started = time.time_ns()
    try:
        reads = _holds(head, table, root, args)
    except Changed:
        return None
    if reads is not None:  # files or folders touched but not changed: keep their new stat data
        vouch(head["answers"], reads, started)
        head["stamp"] = started
        _write(path, head, reads)
    return head["out"], head["err"], head["code"]
