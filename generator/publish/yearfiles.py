"""What a year folder of the site holds: the list kaohe keeps of what it wrote there, and the check
made before the folder is carried or replaced.

A build carries a kept year into the new site (hard links, :func:`.swap.carry`) and drops a year it
builds again. Two things in a year folder would go wrong there:

- a symbolic link (or pipe, socket, device): following it would copy whatever it points to (a home
  folder, a key) into the published site. Every entry is judged by what it is, never by what it
  points to, and such an entry is refused [``site.not-regular``];
- a file kaohe did not write (a clerk's ``汇报.docx`` saved into ``site/default/2011/``): rebuilding
  the year would delete it without a word, and carrying a final year would publish it. kaohe writes
  :data:`LIST` last into every year it builds, naming every file and folder it wrote, and refuses
  anything else it finds there [``site.foreign-file``]. Its content is deterministic (sorted
  names), so an assembled site stays byte for byte the site one machine builds.

A year written by kaohe before it kept the list has none: only its links are refused (what kaohe
wrote there cannot be told from what was added). Its next build writes the list, and its stamp
names the list from then on: a stamped year whose list is gone is refused, as a damaged list is.

Walking reads the kinds from the directory listing itself (no stat per file on Linux): a year of
30,000 files is walked and checked in about 0.05 s.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..messages import msg
from ..problems import InputError
from .layout import write_atomically
from .stamp import FILE_LIST, stamp_bytes

#: The list of what kaohe wrote in a year folder, relative to it: ``{"files": [...], "folders": [...]}``.
LIST = FILE_LIST
#: Folders kaohe writes in a year lie a few levels deep (``evidence/<unit>/<file>``); one nested deeper
#: than this was not written by kaohe, and is not walked into: a part nested a thousand levels deep
#: would exhaust Python's recursion here and in the copy.
MAX_DEPTH = 32


class Entry(NamedTuple):
    """One entry of a year folder: its path relative to the year folder, and what it is.

    A tuple of strings, not a :class:`~pathlib.Path` per entry: a 30,000-file year is walked often."""

    relative: str  # with "/" between folders, as the list names it
    kind: str  # "folders", "files", "special" (a symbolic link, pipe, socket or device), or "deep" (a
    # folder deeper than MAX_DEPTH, not walked into)


@dataclass(frozen=True)
class Stray:
    """An entry of a year folder kaohe did not write."""

    path: Path
    special: bool  # a link or special file (refused wherever it is); else a file or folder not on the list
    deep: bool = False  # a folder nested deeper than kaohe writes (refused wherever it is)


def entries(folder: Path) -> Iterator[Entry]:
    """Every entry under `folder`, in name order, a folder before what it holds; no link is followed."""
    yield from _walk(str(folder), "", 1)


def _walk(folder: str, prefix: str, depth: int) -> Iterator[Entry]:
    with os.scandir(folder) as listing:
        children = sorted(listing, key=lambda e: e.name)
    for child in children:
        relative = prefix + child.name
        if child.is_symlink():
            yield Entry(relative, "special")
        elif child.is_dir(follow_symlinks=False) and depth > MAX_DEPTH:
            yield Entry(relative, "deep")
        elif child.is_dir(follow_symlinks=False):
            yield Entry(relative, "folders")
            yield from _walk(child.path, relative + "/", depth + 1)
        elif child.is_file(follow_symlinks=False):
            yield Entry(relative, "files")
        else:
            yield Entry(relative, "special")


def write_list(folder: Path) -> None:
    """Write :data:`LIST` into a year folder kaohe has just finished writing (its stamp included)."""
    written: dict[str, list[str]] = {"files": [], "folders": []}
    for entry in entries(folder):
        if entry.kind in ("files", "folders") and entry.relative != LIST:
            written[entry.kind].append(entry.relative)
    write_atomically(folder / LIST, json.dumps(written, ensure_ascii=False, indent=0) + "\n")


def read_list(folder: Path) -> dict[str, frozenset[str]] | None:
    """What kaohe wrote in `folder`, by kind; None for a year written before kaohe kept the list.

    A list that cannot be read is refused: the files it would vouch for cannot be told from others.
    """
    path = folder / LIST
    if not os.path.lexists(path):
        if _stamped_with_list(folder):  # lost, not a year written before the list existed
            raise InputError("site.file-list-damaged", list=path, folder=folder, error=msg("site.file-list-gone"))
        return None
    if not path.is_file() or path.is_symlink():
        return None  # a link or anything else by that name is refused by the walk
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError("site.file-list-damaged", list=path, folder=folder, error=exc) from None
    except RecursionError:  # arrays nested thousands deep: not a list kaohe wrote
        raise InputError("site.file-list-damaged", list=path, folder=folder, error=msg("stamp.too-deep")) from None
    if not (
        isinstance(data, dict)
        and all(isinstance(data.get(kind), list) for kind in ("files", "folders"))
        and all(isinstance(name, str) for kind in ("files", "folders") for name in data[kind])
    ):
        raise InputError("site.file-list-damaged", list=path, folder=folder, error=msg("site.file-list-damaged.shape"))
    return {kind: frozenset(data[kind]) for kind in ("files", "folders")}


def _stamped_with_list(folder: Path) -> bool:
    """Whether the year's stamp says kaohe wrote its list (stamps since the list name it)."""
    try:
        data = json.loads(stamp_bytes(folder).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False  # no stamp, or a damaged one: the callers judge the stamp themselves
    return isinstance(data, dict) and data.get("files") == LIST


def stray(folder: Path) -> Stray | None:
    """The first entry under `folder` kaohe did not write: a link or special file, or (when the year has
    its list) a file or folder the list does not name. A stray folder is named, not what it holds."""
    written = read_list(folder)
    for entry in entries(folder):
        if entry.kind in ("special", "deep"):
            return Stray(folder / entry.relative, special=True, deep=entry.kind == "deep")
        if written is not None and entry.relative != LIST and entry.relative not in written[entry.kind]:
            return Stray(folder / entry.relative, special=False)
    return None


def refuse_stray(folder: Path, site: Path) -> None:
    """Refuse a year folder of `site` holding something kaohe did not write, before it is carried or replaced."""
    found = stray(folder)
    if found is None:
        return
    if found.deep:
        raise InputError("site.too-deep", path=found.path, limit=MAX_DEPTH)
    if found.special:
        raise InputError("site.not-regular", path=found.path)
    raise InputError("site.foreign-file", file=found.path, site=site)
