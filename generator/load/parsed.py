"""Evidence files parsed by an earlier run, found again by their path and text.

Loading a province's year parses 30,000 front matters with tomllib, validates them and scans
30,000 bodies for links and 公文页: some 4 s of CPU at reference size, spent again by every build,
preview start and check after one file changed. A run inside :func:`kept_in` keeps, for each
evidence file that loaded without a problem, what its text alone gives: the validated front matter,
the body's first line, its links (where they point is checked again on every run: a target may
have come or gone) and its 公文页 count. The next run reads every file as before (the key needs the
text), and takes that from the cache for a file whose path and text are the same.

The key is a digest of the path, the text and kaohe's own code, never a date. A file with a problem
is parsed every time (its problems are reported again). Entries live in the cache folder
(:mod:`generator.cachedir`), one JSON file per year (data only, nothing a damaged or planted file
could make run), and the front matter of an entry is validated again when it is taken: an entry
that does not validate is parsed again. Entries a run did not use are dropped when it saves.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..cachedir import claim, code_digest, read_file
from ..model import EvidenceMeta
from ..tree import Tree
from .links import Link

FOLDER = "parsed"
#: The layout of a year's file; another layout is read as empty.
FORMAT = 1


@dataclass(frozen=True)
class Parsed:
    """What an evidence file's text gives, whatever the rest of the repository holds."""

    meta: EvidenceMeta
    body_line: int
    links: list[Link]
    pages: int | None  # 公文页, counted when a build lets the body go (None: not counted)


class ParsedFiles:
    """The parsed evidence files of one year in the cache folder `folder`."""

    def __init__(self, folder: Path, year: int) -> None:
        self.folder = folder
        self.path = folder / FOLDER / f"{year}.json"
        self.code = code_digest()
        self.entries: dict[str, list[Any]] = {}
        self.used: dict[str, list[Any]] = {}
        self.added = 0
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(read_file(self.path))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("code") == self.code:
            entries = data.get("entries")
            self.entries = entries if isinstance(entries, dict) else {}

    def key(self, path: str, text: str, tree: Tree) -> str:
        """The file's entry: its path and its text, or the digest of the bytes the text was decoded
        from where the tree took one while reading (a cache's recorder: hashing 70 MB of text again
        cost a cold check ~0.2 s). A text never holds NUL (it is refused), so the two never meet."""
        h = hashlib.blake2b(digest_size=20)
        h.update(path.encode("utf-8", "surrogatepass") + b"\0")
        digest_of = getattr(tree, "digest_of", None)
        read = digest_of(path) if digest_of is not None else None
        h.update(b"\0bytes " + read.encode("ascii") if read is not None else text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, key: str) -> Parsed | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            meta, body_line, links, pages = entry
            meta = {**meta, "date": date.fromisoformat(meta["date"])}
            meta["metrics"] = {name: Decimal(value) for name, value in meta["metrics"].items()}
            parsed = Parsed(
                EvidenceMeta.model_validate(meta),
                int(body_line),
                [Link(str(h), bool(i), int(line), int(col)) for h, i, line, col in links],
                None if pages is None else int(pages),
            )
        except (ValidationError, ValueError, TypeError, KeyError, AttributeError, InvalidOperation):
            return None  # damaged: parse the file again
        self.used[key] = entry
        return parsed

    def put(self, key: str, parsed: Parsed) -> None:
        links = [list(link) for link in parsed.links]
        self.used[key] = [parsed.meta.model_dump(mode="json"), parsed.body_line, links, parsed.pages]
        self.added += 1

    def save(self) -> None:
        """Keep what this run used; write nothing when that is what the file holds already."""
        if not self.added and len(self.used) == len(self.entries):
            return
        if not claim(self.folder):
            return
        data = json.dumps({"format": FORMAT, "code": self.code, "entries": self.used})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed.")
        except OSError:
            return  # a full or read-only disk: the next run parses again
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


_FOLDER: ContextVar[Path | None] = ContextVar("parsed_folder", default=None)
_OPEN: ContextVar[dict[int, ParsedFiles] | None] = ContextVar("parsed_open", default=None)


@contextlib.contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Years loaded inside the block take unchanged files from the cache folder `folder` (None: no
    cache) and leave the files they parsed there for the next run."""
    if folder is None:
        yield
        return
    opened: dict[int, ParsedFiles] = {}
    tokens = (_FOLDER.set(folder), _OPEN.set(opened))
    try:
        yield
        for files in opened.values():
            files.save()
    finally:
        _FOLDER.reset(tokens[0])
        _OPEN.reset(tokens[1])


def for_year(year: int) -> ParsedFiles | None:
    """The parsed files of `year` when loading runs inside :func:`kept_in`, else None."""
    folder, opened = _FOLDER.get(), _OPEN.get()
    if folder is None or opened is None:
        return None
    if year not in opened:
        opened[year] = ParsedFiles(folder, year)
    return opened[year]
