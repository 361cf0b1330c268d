"""Where every generated page lives, and relative links between them.

The site is built with ``use_directory_urls: false``: a page ``units/xingren.md`` is served as
``units/xingren.html``, so links work from any static server or a file share without index rules.
Links are computed here (MkDocs does not rewrite links inside raw HTML) and are always relative,
so a year's folder can be moved under ``site/<organization>/<year>/`` unchanged.

Page file names are derived from ids and evidence file names, but two cannot be used as they are:
a name that with ``.html`` exceeds the filesystem's limit (a long Chinese evidence file name:
255 bytes is 85 characters), and a name the site already uses in the same folder (an indicator
called ``index`` would take the indicators' index page). Those get a stable, shortened name ending
in a hash of the original (:func:`page_name`); every link is computed here, so links follow.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from functools import lru_cache
from urllib.parse import quote

EVIDENCE_PREFIX = "evidence/"

#: The longest file name, in bytes, that common filesystems accept (ext4, XFS, Btrfs, tmpfs).
NAME_MAX = 255
#: The longest page name kept as it is: with ".html" it fits NAME_MAX.
_KEEP = NAME_MAX - len(".html")
#: Names of pages the site itself puts in the indicators' folder.
INDICATORS_RESERVED = frozenset({"index"})
#: The progress pages' folder, and the names the site itself uses in it (the board).
PROGRESS_FOLDER = "progress"
PROGRESS_RESERVED = frozenset({"index"})


def page_name(name: str, reserved: frozenset[str] = frozenset()) -> str:
    """`name` as a page's file name (without extension): unchanged unless it is too long or reserved.

    Otherwise a prefix of it (whole characters) plus ``-`` and 12 hex digits of its SHA-256, so
    the same name always gets the same page and two long names sharing a prefix get different ones.
    """
    if name not in reserved and len(name.encode("utf-8")) <= _KEEP:
        return name
    suffix = "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    prefix = name.encode("utf-8")[: _KEEP - len(suffix)].decode("utf-8", "ignore")
    return prefix + suffix


def overview() -> str:
    return "index.md"


def sheet(unit: str) -> str:
    return f"units/{unit}.md"


def indicator(indicator_id: str) -> str:
    return f"indicators/{page_name(indicator_id, INDICATORS_RESERVED)}.md"


def indicators_index() -> str:
    return "indicators/index.md"


def period(key: str) -> str:
    """A period's page (a quarter, a month, a special assessment): ``periods/2014-Q3.md``."""
    return f"periods/{page_name(key)}.md"


def framework() -> str:
    return "framework.md"


def download(unit: str | None = None) -> str:
    """The year's workbook (``kaohe export``), or one unit's: built with the site."""
    return f"downloads/units/{unit}.xlsx" if unit else "downloads/all.xlsx"


def board() -> str:
    """The progress board of a draft year: every unit by month."""
    return f"{PROGRESS_FOLDER}/index.md"


def progress(unit: str) -> str:
    return f"{PROGRESS_FOLDER}/{page_name(unit, PROGRESS_RESERVED)}.md"


def review() -> str:
    return "review.md"


def evidence(path: str, year: int) -> str:
    """The page of an evidence file ``evidence/<year>/<unit>/…/x.md`` is ``evidence/<unit>/…/x.md``."""
    folder, name = _evidence_parts(path, year)
    stem = name[: -len(".md")] if name.endswith(".md") else name
    return EVIDENCE_PREFIX + folder + page_name(stem) + name[len(stem) :]


def attachment(path: str, year: int) -> str:
    """Where the site copies an image or PDF ``evidence/<year>/<unit>/…/x.png``: ``evidence/<unit>/…/x.png``,
    in the folder its evidence pages are in."""
    folder, name = _evidence_parts(path, year)
    return EVIDENCE_PREFIX + folder + name


def _evidence_parts(path: str, year: int) -> tuple[str, str]:
    """(site folder ending in "/" or "", file name) of a repository path in the year's evidence."""
    prefix = f"evidence/{year}/"
    if not path.startswith(prefix):
        raise ValueError(f"{path} is not evidence of {year}")
    folder, _, name = path[len(prefix) :].rpartition("/")
    return ("/".join(map(folder_name, folder.split("/"))) + "/" if folder else ""), name


def folder_name(name: str) -> str:
    """An evidence folder's name in the site: unchanged unless it ends in ".html" (any case).

    Pages are files ending in ".html" beside the folders: a folder ``会议.html/`` beside the file
    ``会议.md`` would be the page ``会议.html`` itself (the build failed writing it). Such a folder
    gets a stable name ending in a hash instead, as :func:`page_name` gives a long name.
    """
    if not name.lower().endswith(".html"):
        return name
    suffix = "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return name.encode("utf-8")[: NAME_MAX - len(suffix)].decode("utf-8", "ignore") + suffix


def table_file(src_uri: str) -> str:
    """The CSV download of a page's table: ``units/xingren.md`` → ``units/xingren.csv``."""
    return src_uri[: -len(".md")] + ".csv"


def dest(src_uri: str) -> str:
    """The output path of a page (``use_directory_urls: false``)."""
    return src_uri[: -len(".md")] + ".html"


def href(from_src: str, to_src: str, anchor: str | None = None) -> str:
    """A relative, percent-encoded link from one page to another (or to an anchor on it).

    Every page lies below the year's root, so the link climbs to the root ("../" per folder of the
    linking page) and descends to the target; within one folder it is the bare file name. (Sheets
    link to thousands of pages: posixpath.relpath was a measurable share of the build.)
    """
    from_dir, _, _ = from_src.rpartition("/")
    to_dir, _, name = to_src.rpartition("/")
    if from_dir == to_dir:
        rel = _quoted(dest(name))
    else:
        rel = "../" * (from_dir.count("/") + 1 if from_dir else 0) + _quoted(dest(to_src))
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=65536)
def _quoted(path: str) -> str:
    return quote(path, safe="/._-~")


def asset(from_src: str, asset_path: str) -> str:
    """A relative link to a non-page file of the site (an attachment, a stylesheet)."""
    return quote(posixpath.relpath(asset_path, posixpath.dirname(from_src) or "."), safe="/._-~")


def indicator_anchor(indicator_id: str) -> str:
    return f"ind-{indicator_id}"


def rule_anchor(indicator_id: str, rule_id: str) -> str:
    return f"rule-{indicator_id}-{rule_id}"


def line_anchor(indicator_id: str, n: int) -> str:
    return f"ln-{indicator_id}-{n}"


def plain_path(path: str) -> bool:
    """Whether `path` is a relative POSIX path that normalising leaves as it is (``units/u1.md``):
    no empty, ``.`` or ``..`` segment. MkDocs normalises every page's path (``PurePath``,
    ``normpath``), ~0.3 s each at 30,000 pages; kaohe's own page paths are plain and are taken as
    they are, any other as MkDocs takes it."""
    return os.sep == "/" and all(part not in ("", ".", "..") for part in path.split("/"))
