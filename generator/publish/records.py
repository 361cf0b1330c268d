"""The record of what was published as final, kept where a lost tag or a lost site cannot take it.

`kaohe publish` keeps two records of every final year it publishes, and refuses a
``results-<year>`` tag that disagrees with either:

* the tag ``published-<year>`` on the commit it published, pushed with the other tags;
* the file ``published.toml`` at the root of the repository, which the operator commits. A
  protected branch's history cannot be rewritten, so moving ``results-2010``, deleting
  ``published-2010`` and building in a fresh clone without ``site/`` still finds the record;
  removing it takes a commit that reviewers see.

The file is read from the working tree and, for years missing there, from ``HEAD``: deleting it
(or a line of it) without committing loses nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cachedir import read_file
from ..messages import Message, joined, msg
from ..model import FIRST_YEAR, LAST_YEAR
from ..output.outpath import reason
from ..problems import InputError
from ..tomlsource import TomlSyntaxError, parse
from ..tree import GitError, git, listed_lines
from .layout import write_atomically

RECORD_FILE = "published.toml"
PUBLISHED_PREFIX = "published-"

_HEADER = (
    "# Years published as final by `kaohe publish`, and the commit each was built from.\n"
    "# Commit this file together with the tags: kaohe refuses to publish a year again from another\n"
    "# commit (a moved results-<year> tag) unless told so with `kaohe publish --replace <year>`.\n"
)
_COMMIT = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?\Z")  # \Z: $ matches before a final "\n"
#: A tag name as kaohe prints it: the characters git allows that need no escaping anywhere.
TAG_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}\Z")


@dataclass(frozen=True)
class Record:
    year: int
    commit: str
    tag: str | None  # the results tag it was published from; None in a tag record
    source_url: str | None
    where: str | Message  # where the record was found, for messages


def is_git(root: Path) -> bool:
    """Whether `root` is the top of a git repository (not merely a folder inside one)."""
    try:
        top = os.fsdecode(git(root, "rev-parse", "--show-toplevel").rstrip(b"\n"))  # a path: any bytes
    except GitError:
        return False
    return Path(top).resolve() == root.resolve()


def _data(raw: bytes, where: str) -> dict[str, Any]:
    """The file's TOML, or a refusal worded as `kaohe check` words the same fault (an editor's
    encoding, a duplicated key: tomllib's English stays out of it), with its line and column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("publish.record-invalid", where=f"{where}:{line}:{col}", why=msg("file.not-utf8")) from None
    try:
        return parse(text.removeprefix("\ufeff")).data
    except TomlSyntaxError as exc:
        why = msg("publish.record-syntax", error=msg(exc.code, **exc.params))
        raise InputError("publish.record-invalid", where=f"{where}:{exc.line}:{exc.col}", why=why) from None
    except RecursionError:
        raise InputError("publish.record-invalid", where=where, why=msg("stamp.too-deep")) from None


def _parse(raw: bytes, where: str) -> dict[int, Record]:
    data = _data(raw, where)
    out: dict[int, Record] = {}
    for key, entry in data.items():
        commit = entry.get("commit") if isinstance(entry, dict) else None
        tag, source_url = (entry.get("tag"), entry.get("source_url")) if isinstance(entry, dict) else (None, None)
        if not (
            re.fullmatch(r"[0-9]{4}", key)
            and isinstance(commit, str)
            and _COMMIT.match(commit)
            and (tag is None or (isinstance(tag, str) and TAG_NAME.match(tag)))
            and isinstance(source_url, str | None)
        ):
            raise InputError(
                "publish.record-invalid", where=where, why=msg("publish.record-not-ours", key=json.dumps(key))
            )
        out[int(key)] = Record(int(key), commit, tag, source_url, f"{where} [{key}]")
    return out


def file_records(root: Path, *, with_head: bool) -> dict[int, Record]:
    """The file's records: the working tree's, and for years it lacks, HEAD's."""
    found: dict[int, Record] = {}
    if with_head:
        with contextlib.suppress(GitError):  # no commit yet, or never recorded
            found = _parse(git(root, "show", f"HEAD:./{RECORD_FILE}"), f"HEAD:{RECORD_FILE}")
    path = root / RECORD_FILE
    if os.path.lexists(path):
        found |= _parse(_read_regular(path), RECORD_FILE)
    return found


def _read_regular(path: Path) -> bytes:
    """The record file's bytes; a folder, link, pipe or device in its place is refused before any
    year is built (it was followed when a link, and a folder ended the publishing in 内部错误 once
    every year had been built, when the record was to be written)."""
    if not stat.S_ISREG(path.lstat().st_mode):
        raise InputError("publish.record-not-regular", where=RECORD_FILE)
    try:
        return read_file(path)
    except OSError as exc:
        raise InputError("publish.record-invalid", where=RECORD_FILE, why=reason(exc)) from None


def tag_records(root: Path) -> dict[int, Record]:
    out = git(root, "for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", "refs/tags/")
    found: dict[int, Record] = {}
    for line in listed_lines(out):
        name, obj, *peeled = line.split(" ")
        m = re.fullmatch(rf"{PUBLISHED_PREFIX}([0-9]{{4}})", name)
        if m is not None and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:  # not published-0010: no year (see .plan)
            commit = peeled[0] if peeled and peeled[0] else obj
            found[int(m.group(1))] = Record(int(m.group(1)), commit, None, None, msg("publish.where-tag", tag=name))
    return found


def read_records(root: Path) -> dict[int, list[Record]]:
    """Every record of every published year (the file's first)."""
    git_repo = is_git(root)
    records: dict[int, list[Record]] = {}
    for found in (file_records(root, with_head=git_repo), tag_records(root) if git_repo else {}):
        for year, record in found.items():
            records.setdefault(year, []).append(record)
    return records


def agreed(records: dict[int, list[Record]], replace: Collection[int] = ()) -> dict[int, Record]:
    """One record per year; refuses a year whose records name different commits (unless it is replaced)."""
    out: dict[int, Record] = {}
    for year, found in sorted(records.items()):
        commits = {r.commit for r in found}
        if len(commits) > 1 and year not in replace:
            listed = [msg("publish.record-commit", where=r.where, commit=r.commit[:10]) for r in found]
            raise InputError("publish.records-disagree", year=year, records=joined("value.sentence-separator", listed))
        out[year] = found[0]
    return out


def write_records(root: Path, published: list[Record]) -> bool:
    """Record finals just published: tag each commit, update the file; True when the file changed."""
    for record in published:
        git(root, "tag", "-f", f"{PUBLISHED_PREFIX}{record.year}", record.commit)
    entries = file_records(root, with_head=is_git(root)) | {r.year: r for r in published}
    text = _HEADER + "".join(_entry(entries[year]) for year in sorted(entries))
    path = root / RECORD_FILE
    if path.is_file() and path.read_bytes() == text.encode("utf-8"):
        return False
    write_atomically(path, text)
    return True


def _entry(record: Record) -> str:
    lines = [f"\n[{record.year}]\n", f"commit = {json.dumps(record.commit)}\n"]
    if record.tag is not None:
        lines.append(f"tag = {json.dumps(record.tag)}\n")
    if record.source_url is not None:
        lines.append(f"source_url = {json.dumps(record.source_url)}\n")
    return "".join(lines)
