"""Print a built year to PDF: one file per unit's score sheet and one for the year, ready to sign.

Route: the system's Chromium driven headless by Playwright, printing the site's own pages with
its print stylesheet. Chromium is what the browser tests already drive, it lays out CJK text with
the machine's fonts (fontconfig), honours ``@page`` margin boxes (the unit and year at the top of
every page, page numbers at the bottom) and works offline; the PDF is exactly what a reader's
Ctrl+P gives, so there is one print layout to test. WeasyPrint would need Pango and would lay
out Material's stylesheet a second way. pypdf joins the year's file from the printed pages,
with a bookmark per unit. Both are optional: ``pip install 'kaohe[pdf]'``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..problems import InputError

CHROMIUM = Path(os.environ.get("KAOHE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Characters no file name may hold on Windows, macOS or Linux.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


@dataclass(frozen=True)
class Printout:
    page: str  # the page inside the year's folder, e.g. "units/anlong.html"
    title: str  # the bookmark and the file name
    file: str  # the PDF's file name


#: Longest PDF file name, in bytes of UTF-8 (".pdf" included): Linux and macOS allow 255 and the
#: temporary name a file is written under adds 5 (".<name>.tmp"). A Chinese character takes 3.
NAME_BYTES = 240


def file_name(text: str, limit: int = NAME_BYTES - len(".pdf")) -> str:
    """`text` made safe as a file name (a unit name can hold "/"), never empty, never hidden, and cut
    to `limit` bytes (never in the middle of a character)."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    cut = cleaned.encode("utf-8")[:limit].decode("utf-8", errors="ignore").rstrip(" .")
    return cut or "_"


def _key(name: str) -> str:
    """Names that are one file on Windows and macOS (case and Unicode form ignored) share a key."""
    return unicodedata.normalize("NFC", name).casefold()


def file_names(wanted: list[tuple[str, str | None]]) -> list[str]:
    """A unique, bounded file name (with ".pdf") for each (text, id) of `wanted`, decided before any
    printing. Texts that make the same name (two units of one name, names differing only in
    characters a file name cannot hold, a unit named like the overview, names alike in their first
    240 bytes) each get their id appended, so no file is written twice and each says whose it is;
    an entry without an id keeps the plain name."""
    plain = [file_name(text) for text, _ in wanted]
    count: dict[str, int] = {}
    for name in plain:
        count[_key(name)] = count.get(_key(name), 0) + 1
    taken: set[str] = set()
    names = []
    for (text, ident), name in zip(wanted, plain, strict=True):
        if count[_key(name)] > 1 and ident is not None:
            suffix = "-" + file_name(ident, 64)
            name = file_name(text, NAME_BYTES - len(".pdf") - len(suffix.encode("utf-8"))) + suffix
        base, n = name, 2
        while _key(name) in taken:  # what is left alike: a number keeps the files apart
            suffix = f"-{n}"
            name, n = file_name(base, NAME_BYTES - len(".pdf") - len(suffix)) + suffix, n + 1
        taken.add(_key(name))
        names.append(name + ".pdf")
    return names


def printing_modules():
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfReader, PdfWriter
    except ImportError as exc:
        raise InputError("pdf.missing-module", module=exc.name or "") from exc
    if not CHROMIUM.exists():
        raise InputError("pdf.no-browser", path=CHROMIUM)
    return sync_playwright, PdfReader, PdfWriter


def print_year(year_dir: Path, printouts: list[Printout], year_file: str, out_dir: Path) -> list[Path]:
    """Print each page of `printouts` from the built `year_dir` into `out_dir`, then the year's file
    (all of them in order, one bookmark each) as `year_file` (see :func:`file_names`). Each file is written under
    a temporary name and renamed, so a failure never leaves half a PDF. Returns the files written."""
    sync_playwright, PdfReader, PdfWriter = printing_modules()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            page.emulate_media(media="print")
            for item in printouts:
                page.goto((year_dir / item.page).resolve().as_uri())
                page.wait_for_load_state("load")
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                written.append(_write(out_dir / item.file, data))
        finally:
            browser.close()
    book = PdfWriter()
    for item, path in zip(printouts, written, strict=True):
        start = len(book.pages)
        for pdf_page in PdfReader(path).pages:
            book.add_page(pdf_page)
        book.add_outline_item(title=item.title, page_number=start)
    target = out_dir / year_file
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:
        book.write(fh)
    os.replace(tmp, target)
    return [*written, target]


def _write(target: Path, data: bytes) -> Path:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target
