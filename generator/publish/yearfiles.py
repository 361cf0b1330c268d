"""What a year folder of the site holds, walked without following a link, checked before it is carried or replaced.

A build carries a kept year into the new site (hard links, :func:`.swap.carry`) and drops a year it
builds again. Following a symbolic link there would copy whatever it points to (a home folder, a
key) into the published site, so every entry is judged by what it is, never by what it points to:
a link, pipe, socket or device is refused before anything is carried or built.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..problems import InputError


@dataclass(frozen=True)
class Entry:
    """One entry of a year folder: its path, its path relative to the year folder, what it is."""

    path: Path
    relative: str  # with "/" between folders, as the list of files kaohe keeps names it
    kind: str  # "folder", "file", or "special" (a symbolic link, pipe, socket or device)


def entries(folder: Path) -> Iterator[Entry]:
    """Every entry under `folder`, in name order, folders before what they hold; no link is followed.

    The kinds come from the directory listing itself (no stat per file on Linux): a 30,000-file
    year is walked in a few hundredths of a second.
    """
    yield from _walk(folder, "")


def _walk(folder: Path, prefix: str) -> Iterator[Entry]:
    with os.scandir(folder) as listing:
        children = sorted(listing, key=lambda e: e.name)
    for child in children:
        relative, path = prefix + child.name, Path(child.path)
        if child.is_symlink():
            yield Entry(path, relative, "special")
        elif child.is_dir(follow_symlinks=False):
            yield Entry(path, relative, "folder")
            yield from _walk(path, relative + "/")
        elif child.is_file(follow_symlinks=False):
            yield Entry(path, relative, "file")
        else:
            yield Entry(path, relative, "special")


def special_entry(folder: Path) -> Path | None:
    """The first symbolic link or special file under `folder`, if any."""
    return next((e.path for e in entries(folder) if e.kind == "special"), None)


def refuse_special(folder: Path) -> None:
    """Refuse a year folder of the site that holds a link or special file: kaohe neither follows nor copies it."""
    found = special_entry(folder)
    if found is not None:
        raise InputError("site.not-regular", path=found)
