"""A .docx or .xlsx as Word, WPS and Excel write it: a zip of XML parts, checked before it is read.

python-docx and openpyxl read a package whole and trust it: a damaged part ends in a parser's
English exception (which kaohe took for its own bug), a DTD's nested entities in billions of
characters, a few kilobytes of zip in gigabytes of XML. :func:`check_package` opens the zip,
bounds what it unpacks to, and parses every XML part once with expat, building nothing: a part
that is not well-formed, or that declares a DTD (which no Office program writes, and which is how
external and nested entities get in), is refused before either library sees it, with a reason a
clerk can act on. :func:`library_error` words whatever a library still raises on the file in the
same way; the library's own text stays in the exception's cause (``KAOHE_DEBUG=1`` shows it).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from ..messages import Message, msg
from ..problems import InputError

#: What a package may unpack to. A bureau's rules with photographs are a few megabytes; the XML
#: of a 100-page Word table or a 5,000-row workbook is well under 10 MB.
MAX_UNPACKED = 256 * 2**20
#: The XML parts, which the libraries parse into memory (ten times their size or more).
MAX_XML = 32 * 2**20
#: The cells the readers lay out in grids, over the whole file: a rules document has thousands.
MAX_CELLS = 1_000_000
#: Word's limit on a table's columns; a wider span or row is no table Word wrote.
WORD_COLUMNS = 63

#: Legacy VML drawings: Office writes them HTML-like, not always well-formed, and neither reader
#: parses them; they are checked for a DTD and bounded, not refused for their syntax.
_LOOSE_SUFFIXES = (".vml",)
#: How a part that is XML starts (after any byte-order mark and white space): the libraries find
#: parts through the package's relationships, whatever their names (a worksheet may be "sheet1.bin"),
#: so what is checked as XML is what reads as XML, never what is named so.
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CHUNK = 1 << 16


class _Doctype(Exception):
    """Raised from expat's handler at a DOCTYPE: no Office program writes one."""


def unreadable(path: Path, reason: Message) -> InputError:
    return InputError("import.unreadable", path=path, reason=reason)


def too_large(path: Path, where: str, reason: Message) -> InputError:
    """A table larger than any rules document has: `where` names the table, row or cell; the advice
    is Word's or Excel's, by the file's kind."""
    kind = "xlsx" if path.suffix.lower() == ".xlsx" else "docx"
    return InputError("import.too-large", path=path, where=where, reason=reason, advice=msg(f"import.too-large.{kind}"))


def check_package(path: Path) -> None:
    """Refuse a file that is no zip, unpacks to more than the limits, or holds XML that is not
    well-formed or declares a DTD (see the module's docstring)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _not_a_package(path) from exc
    except OSError as exc:
        raise unreadable(path, msg("import.reason.unopenable")) from exc
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        _bound(path, sum(i.file_size for i in members), MAX_UNPACKED)
        xml = [i for i in members if _reads_as_xml(path, archive, i)]
        _bound(path, sum(i.file_size for i in xml), MAX_XML)
        for info in xml:
            _check_xml(path, archive, info, strict=not info.filename.lower().endswith(_LOOSE_SUFFIXES))


#: How an OLE2 compound file starts: the container of .doc, .xls, WPS's .wps and .et, and of a .docx
#: or .xlsx saved with a password to open it (its zip is encrypted into a stream "EncryptedPackage").
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # a directory entry's name
#: How much of a compound file is searched for that name (its directory is near the start or end
#: of a small file; a rules document with a password is well under this).
_OLE_SEARCHED = 64 * 2**20


def _not_a_package(path: Path) -> InputError:
    """Why a file is no zip, in words a clerk can act on: a password to open it (the advice to save
    it again would keep the password), a Word or Excel file of the old format named .docx or
    .xlsx, or neither (damaged, or no Office file at all)."""
    try:
        with path.open("rb") as source:
            if source.read(len(_OLE_MAGIC)) != _OLE_MAGIC:
                return unreadable(path, msg("import.reason.not-package"))
            if _holds(source, _ENCRYPTED_STREAM, _OLE_SEARCHED):
                return InputError("import.encrypted", path=path)
    except OSError:
        return unreadable(path, msg("import.reason.unopenable"))
    return unreadable(path, msg("import.reason.old-format"))


def _holds(source: BinaryIO, needle: bytes, limit: int) -> bool:
    """Whether `needle` occurs in the first `limit` bytes of `source`, read a chunk at a time."""
    tail = b""
    read = 0
    while read < limit and (chunk := source.read(_CHUNK)):
        read += len(chunk)
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _reads_as_xml(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part starts as XML does: "<" after a byte-order mark and white space (a UTF-16
    mark alone counts: no image or printer settings start with one)."""
    try:
        with archive.open(info) as part:
            head = part.read(512)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise unreadable(path, msg("import.reason.not-package")) from exc
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    return head.lstrip(b" \t\r\n").startswith(b"<")


def _bound(path: Path, size: int, limit: int) -> None:
    if size > limit:
        mb = 2**20
        raise unreadable(path, msg("import.reason.unpacked", size=-(-size // mb), limit=limit // mb))


def _check_xml(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, strict: bool) -> None:
    """Parse one part with expat, keeping nothing: a DOCTYPE refuses the file, and so does a syntax
    error unless the part is not `strict` (a legacy drawing no reader parses)."""
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _Doctype

    parser.StartDoctypeDeclHandler = doctype
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Doctype as exc:
        raise unreadable(path, msg("import.reason.dtd", part=info.filename)) from exc
    except expat.ExpatError as exc:
        if not strict:
            return
        reason = msg("import.reason.bad-xml", part=info.filename, line=exc.lineno, col=exc.offset + 1)
        raise unreadable(path, reason) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        # a bad CRC, a truncated member, an unsupported compression or an encrypted member
        raise unreadable(path, msg("import.reason.not-package")) from exc


def library_error(path: Path, exc: Exception) -> InputError:
    """What python-docx or openpyxl raised while reading the file, worded for the clerk.

    The package passed :func:`check_package`, so what is left is a part the library needs and
    cannot find or cannot make sense of; the library's text stays in the cause."""
    from docx.opc.exceptions import PackageNotFoundError
    from openpyxl.utils.exceptions import InvalidFileException

    if isinstance(exc, PackageNotFoundError | zipfile.BadZipFile):
        reason = msg("import.reason.not-package")
    elif isinstance(exc, KeyError | InvalidFileException):  # openpyxl: "no valid workbook part"
        reason = msg("import.reason.missing-part")
    else:
        reason = msg("import.reason.damaged")
    return unreadable(path, reason)
