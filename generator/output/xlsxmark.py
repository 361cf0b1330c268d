"""The mark `kaohe export` leaves in its workbooks, and how a workbook is told to carry it.

Kept apart from :mod:`.xlsx` (which writes the workbook) because two commands read the mark:
`kaohe export` replaces only a workbook it wrote and nobody saved since (:func:`written_by_kaohe`),
and `kaohe import` refuses a score workbook kaohe exported, saved since or not (:func:`carries_mark`):
it holds results, not rules. Reading the mark needs no more than the zip and expat.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

#: The workbook's comments (``dc:description``): how kaohe knows a workbook it exported.
MARK = "kaohe export"
#: The most of docProps/core.xml read to tell (kaohe's is under 1 KB; a title is at most a few).
CORE_LIMIT = 1 << 16


def written_by_kaohe(path: Path) -> bool:
    """Whether `path` is a workbook kaohe wrote and nobody has saved since, so replacing it loses
    nothing: its comments are :data:`MARK` and it was last modified when it was created (kaohe
    dates both to the year's end; Excel, WPS and LibreOffice set the modified time on every save,
    and a clerk's own workbook, a copy of the rules or any other file does not carry the mark)."""
    fields = core_fields(path)
    created = fields.get("created")
    return fields.get("description") == MARK and created is not None and fields.get("modified") == created


def carries_mark(path: Path) -> bool:
    """Whether `path` is a workbook kaohe exported, whether or not it was saved since: Excel, WPS
    and LibreOffice keep a workbook's comments when they save it again."""
    return core_fields(path).get("description", "").strip() == MARK


def core_fields(path: Path) -> dict[str, str]:
    """The text of the workbook's docProps/core.xml elements by local name; nothing where the file
    is no zip, has no such part, or the part is too long, not well formed or declares a DTD."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as part:
            core = part.read(CORE_LIMIT + 1)
    except (OSError, KeyError, EOFError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return {}
    if len(core) > CORE_LIMIT:
        return {}
    return _parsed(core)


def _parsed(core: bytes) -> dict[str, str]:
    """The text of docProps/core.xml's elements by local name; nothing where the XML is not well
    formed or declares a DTD (no Office program writes one)."""
    fields: dict[str, str] = {}
    current: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def doctype(*_: object) -> None:
        raise _Doctype

    def start(name: str, _attrs: object) -> None:
        current.append(name.rpartition(" ")[2])

    def end(_name: str) -> None:
        current.pop()

    def text(data: str) -> None:
        if current:
            fields[current[-1]] = fields.get(current[-1], "") + data

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(core, True)
    except (expat.ExpatError, _Doctype):
        return {}
    return fields


class _Doctype(Exception):
    """Raised from expat's handler at a DOCTYPE: no Office program writes one."""
