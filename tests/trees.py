"""Compare built sites: the incremental-build and kept-year tests check a cached build against a
clean one, file by file and byte by byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

from generator.provenance import Provenance

#: A release of the mini repository's 2010 (a fixed commit and date: builds are reproducible).
PROVENANCE = Provenance(commit="0" * 40, commit_date="2011-01-05T10:00:00+08:00", tag="results-2010", draft=False)


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def assert_same_tree(a: Path, b: Path) -> None:
    assert tree(a) == tree(b)
    _, mismatch, errors = filecmp.cmpfiles(a, b, tree(a), shallow=False)
    assert mismatch == [] and errors == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
