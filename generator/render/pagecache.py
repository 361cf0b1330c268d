"""Built pages (and the workbooks and tables beside them) kept between builds, found by a digest
of everything they were made from.

An entry's key is a digest of the page's inputs (:func:`.engine.site_key` — kaohe's code, the
libraries, configuration, theme, navigation, framework, units and provenance — plus what the page
itself shows), never a file's date. The page's file is kept under its key and hard-linked into the
next site (copied where the cache and the site are on different file systems), with the search
entries the page gave. An entry is used only while its file has the size and modification time it
was stored with: a page edited in the site (which shares the file) is rendered again, not copied.

The search entries (most of the index's bytes) are kept in a file of their own, named by the
digest of its content and written only when a build needs entries it does not hold: an edit to
an evidence file's body leaves its page's searchable part (title and summary) as it was, and a
build after it then writes only the small index (:meth:`PageCache.save`). The file's first line
lists where its entries are (their *refs*), the second holds them; the second is parsed only
when a build needs the entries themselves. A page taken from the cache gives its ref, not its
entries, and the site's search index made from the same refs in the same order is kept like a
page (:func:`.engine._search_index_kept`): a build after a body edit neither parses 36 MB of
entries nor writes them out again as the site's index.

Entries not used by the last :data:`KEEP` builds of the same year are deleted when a build ends.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cachedir import open_file, read_file
from ..gcpause import gc_paused

#: Builds of a year whose pages are kept (the current one and the one before: switching back to a
#: branch, or undoing an edit, finds its pages again).
KEEP = 2
#: The layout of the index; another layout is read as an empty cache.
FORMAT = 4

#: A page's search entries: where the cache keeps them (a ref, see :func:`_search_ref`; "" for
#: none), or the entries themselves (a page just indexed anew).
Found = str | list[dict[str, Any]]


class SearchLost(Exception):
    """The cache's search file does not hold entries its first line lists: it was not written by
    kaohe (only someone writing into the cache folder makes it so). The build stops before
    anything is published; :mod:`.build` says to delete the cache folder."""


def _is_key(key: object) -> bool:
    """Whether `key` is a digest as the build makes them (:func:`.engine._key`): 40 hex digits."""
    return isinstance(key, str) and len(key) == 40 and not key.strip("0123456789abcdef")  # 60,000 keys: in C


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _search_ref(key: str, entries: list[dict[str, Any]], search_key: str) -> str:
    """Where a page's search entries are kept: under the digest of its searchable part when it has
    one (pages with the same part share them), else under its own key; "" for none."""
    if not entries:
        return ""
    return search_key or f"page {key}"


@dataclass(frozen=True)
class Stored:
    """A page stored during a build: its key, its file's size and time, its search entries (or
    their ref) and the digest of what they were made from (:meth:`PageCache.has_search`; "" for none)."""

    key: str
    size: int
    mtime_ns: int
    entries: Found
    search_key: str = ""

    @property
    def ref(self) -> str:
        """Where the cache keeps the page's search entries (:func:`_search_ref`)."""
        return self.entries if isinstance(self.entries, str) else _search_ref(self.key, self.entries, self.search_key)


class PageCache:
    """The pages of one year (`slot`) in the cache folder `root`."""

    def __init__(self, root: Path, slot: str) -> None:
        self.folder = root / "pages" / slot
        self.objects = self.folder / "objects"
        self.index_path = self.folder / "index.json"
        self.generation = 0
        self.entries: dict[str, list[Any]] = {}  # key → [size, mtime_ns, generation, search ref, search key]
        #: Where the search file's entries are (:func:`_search_ref`), its digest ("": none), and
        #: its entries by ref once a build asked for them (:meth:`search_entries`).
        self.refs: frozenset[str] = frozenset()
        self.search_file = ""
        self._search: dict[str, list[dict[str, Any]]] | None = None
        self._search_text = b""
        self._added: dict[str, list[dict[str, Any]]] = {}  # entries of pages stored this build, by ref
        #: The site keys (:func:`.engine.site_key`) of the builds whose pages are kept, latest first:
        #: pages kept under another site key are all misses, however many there are.
        self.sites: list[str] = []
        self.site = ""  # this build's
        #: The last build's page list: {"site": its site key, "from": what its year was (see
        #: :meth:`.plugin.KaohePlugin.made_from`), "pages": {page: key}}, or None.
        self.last: dict[str, Any] | None = None
        self._load()
        self.used: set[str] = set()
        self.new: dict[str, Stored] = {}
        self._copy_only = False
        self._objects = str(self.objects)  # strings, not pathlib: take() runs for every page of the site
        self._folders: set[str] = set()  # site folders this process made (or found)

    def _load(self) -> None:
        """Read the index; an entry or page list not of the shape kaohe writes is left out (a key
        that is not a digest would name a file outside the cache: to link into a site, or to delete)."""
        try:
            with gc_paused(freeze=True):  # 30,000 entries alive until the build ends: see generator.gcpause
                data = json.loads(read_file(self.index_path))
                search = data.get("search") if isinstance(data, dict) else None
                if _is_key(search):
                    self._read_refs(search)
        except (OSError, ValueError, RecursionError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict):
            return
        generation = data.get("generation", 0)
        self.generation = generation if isinstance(generation, int) else 0
        last = data.get("last")
        if (
            isinstance(last, dict)
            and isinstance(last.get("site"), str)
            and isinstance(last.get("from"), str)
            and isinstance(last.get("pages"), dict)
            and all(isinstance(k, str) and _is_key(v) for k, v in last["pages"].items())
        ):
            self.last = last
        sites = data.get("sites", [])
        self.sites = [k for k in sites if isinstance(k, str)] if isinstance(sites, list) else []
        refs = self.refs
        self.entries = {
            k: v
            for k, v in data["pages"].items()
            if _is_key(k)
            and isinstance(v, list)
            and len(v) == 5
            and all(isinstance(x, int) for x in v[:3])
            and isinstance(v[3], str)
            and (v[3] == "" or v[3] in refs)
            and isinstance(v[4], str)
        }

    def _read_refs(self, digest: str) -> None:
        """Read the search file named `digest` and its first line, the refs it holds (a list of
        strings); the rest waits for :meth:`search_entries`. Nothing when it is not that file."""
        text = read_file(self._search_path(digest))
        if _digest(text) != digest:
            return
        first, newline, _ = text.partition(b"\n")
        refs = json.loads(first) if newline else None
        if isinstance(refs, list) and all(isinstance(r, str) and r for r in refs):
            self.refs, self.search_file, self._search_text = frozenset(refs), digest, text

    def object_path(self, key: str) -> Path:
        return self.objects / key[:2] / key

    def _search_path(self, digest: str) -> Path:
        return self.folder / f"search-{digest}.json"

    def has_search(self, search_key: str) -> bool:
        """Whether a kept page made search entries from the same searchable part (its text, title,
        address and metadata under the same site key): a page whose body changed but whose
        searchable part did not is indexed with them, without segmenting its text again (jieba's
        dictionary takes 1.5 s to load)."""
        return bool(search_key) and search_key in self.refs

    def search_entries(self, found: Found) -> list[dict[str, Any]]:
        """The entries `found` stands for (a ref: read from the search file, parsed on first use).
        Raises :class:`SearchLost` when the file does not hold what its first line lists."""
        if not isinstance(found, str):
            return found
        if not found:
            return []
        if found in self._added:
            return self._added[found]
        if self._search is None:
            _, _, rest = self._search_text.partition(b"\n")
            try:
                with gc_paused():
                    data = json.loads(rest) if rest else {}
            except (ValueError, RecursionError):  # not JSON (nor UTF-8), or nested past what Python parses
                raise SearchLost(self.search_file) from None
            if not isinstance(data, dict) or data.keys() != self.refs:
                raise SearchLost(self.search_file)
            self._search, self._search_text = data, b""
        entries = self._search.get(found)
        if not isinstance(entries, list):
            raise SearchLost(self.search_file)
        return entries

    # -- during a build (in any process) ----------------------------------------------------------

    def take(self, key: str, dest: str) -> str | None:
        """Put the page stored under `key` at `dest` and return its search entries' ref (see
        :data:`Found`); None when there is none."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        source = f"{self._objects}/{key[:2]}/{key}"
        try:
            st = os.stat(source)
        except OSError:
            return None
        if st.st_size != entry[0] or st.st_mtime_ns != entry[1]:
            return None  # changed since it was stored (edited through the site that shares it): render again
        folder = os.path.dirname(dest)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        try:
            self._place(source, dest)
        except FileNotFoundError:
            return None  # another build pruned it meanwhile
        except OSError as exc:  # a full disk: name the page being written, not the cache's file
            raise OSError(exc.errno, exc.strerror, dest) from None
        return entry[3]

    def store(self, key: str, dest: str, entries: Found, search_key: str = "") -> Stored | None:
        """Keep the page just written at `dest` under `key`; None when the cache cannot take it."""
        target = self.object_path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = f"{target}.{os.getpid()}.new"  # one name per process: builds may share the cache
            self._place(dest, temporary)
            os.replace(temporary, target)
            st = os.stat(target)
        except OSError:
            return None  # a full or read-only disk: the build goes on without storing
        return Stored(key, st.st_size, st.st_mtime_ns, entries, search_key)

    def _place(self, source: str, dest: str) -> None:
        """A hard link where the file system allows one (no bytes copied), else a copy."""
        if not self._copy_only:
            try:
                os.link(source, dest)
                return
            except OSError as exc:
                if exc.errno == errno.ENOENT:
                    raise FileNotFoundError(source) from exc
                if exc.errno == errno.EEXIST:
                    os.unlink(dest)
                    os.link(source, dest)
                    return
                self._copy_only = True  # another file system, or no links: copy from now on
        shutil.copyfile(source, dest)

    # -- files a build makes besides pages (workbooks, tables), in the process that builds -------------

    def read(self, key: str) -> bytes | None:
        """The content stored under `key` by :meth:`write`, or None."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            with os.fdopen(open_file(self.object_path(key)), "rb") as f:
                st = os.fstat(f.fileno())
                if st.st_size != entry[0] or st.st_mtime_ns != entry[1]:
                    return None
                data = f.read()
        except OSError:
            return None
        self.used.add(key)
        return data

    def write(self, key: str, data: bytes) -> None:
        """Keep `data` under `key` for the next build; nothing when the cache cannot take it."""
        target = self.object_path(key)
        temporary = f"{target}.{os.getpid()}.new"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as f:
                f.write(data)
            os.replace(temporary, target)
            st = os.stat(target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        self.new[key] = Stored(key, st.st_size, st.st_mtime_ns, [])

    # -- after a build (in the process that started it) -------------------------------------------

    def record(self, used: list[str], stored: list[Stored]) -> None:
        self.used.update(used)
        for s in stored:
            self.new[s.key] = s
            if isinstance(s.entries, list) and s.entries:
                self._added.setdefault(s.ref, s.entries)

    def save(self) -> None:
        """Write the index: this build's pages, and those of the last KEEP builds; delete the rest.
        The search entries are written first, to a file of their own named by its digest, and only
        when the pages need entries the file read holds not (see the module): a build stopped
        between the two writes leaves the last index and the file it names as they were."""
        generation = self.generation + 1
        pages: dict[str, list[Any]] = {}
        dropped = []
        for key, entry in self.entries.items():
            if key in self.used:
                pages[key] = [entry[0], entry[1], generation, entry[3], entry[4]]
            elif entry[2] > generation - KEEP and key not in self.new:
                pages[key] = entry
            elif key not in self.new:
                dropped.append(key)
        added: dict[str, list[dict[str, Any]]] = {}
        for key, s in self.new.items():
            ref = s.ref  # it names what the entries were made from: the same ref, the same entries
            if ref and isinstance(s.entries, list) and ref not in self.refs:
                added[ref] = s.entries
            pages[key] = [s.size, s.mtime_ns, generation, ref, s.search_key]
        sites = list(dict.fromkeys([self.site, *self.sites] if self.site else self.sites))[:KEEP]
        needed = {v[3] for v in pages.values() if v[3]}
        refs, search_file, kept = self.refs, self.search_file, self._search
        if not search_file or not needed <= refs:
            refs = frozenset(needed)
            kept = {ref: added[ref] if ref in added else self.search_entries(ref) for ref in sorted(refs)}
            # json.dumps encodes in C; json.dump would encode in Python, 4 × slower
            listed = json.dumps(sorted(refs), separators=(",", ":")).encode("utf-8")
            text = listed + b"\n" + json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            search_file = _digest(text)
            if search_file != self.search_file and not self._write(self._search_path(search_file), text):
                return
        data = {"format": FORMAT, "generation": generation, "sites": sites, "last": self.last}
        data |= {"search": search_file, "pages": pages}
        if not self._write(self.index_path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()):
            return
        for key in dropped:
            with contextlib.suppress(OSError):
                os.unlink(self.object_path(key))
        if search_file != self.search_file:
            with contextlib.suppress(OSError):
                for old in self.folder.glob("search-*.json"):
                    if _is_key(old.name[7:-5]) and old.name[7:-5] != search_file:
                        old.unlink()
        if search_file != self.search_file:
            self.refs, self.search_file, self._search, self._search_text = refs, search_file, kept, b""
        self.entries, self.generation, self.sites = pages, generation, sites
        self.used, self.new, self._added = set(), {}, {}

    def _write(self, path: Path, data: bytes) -> bool:
        """Replace `path` with `data` through a temporary file beside it; False when the disk refused."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".index.")
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temporary, path)
        except BaseException as exc:  # a full disk, or Ctrl-C while writing: no temporary left behind
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                return False
            raise
        return True
