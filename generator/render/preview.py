"""One year of the site rendered when a browser asks for a page, from the results held in memory.

``mkdocs serve`` rebuilt all 30,000 pages of the reference repository on every change (~100 s
before an edit showed). Here the shared parts (configuration, files, navigation, theme) are set
up once, a page is rendered only when it is requested (tens of milliseconds), and an edit to an
evidence or findings file re-reads that file and re-scores its unit only (:meth:`Preview.apply`);
any other change (a framework, units.toml, mkdocs.yml, a file added or removed) loads the year
again. Nothing is written to disk.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import os
import posixpath
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from ..load.evidence import load_evidence
from ..load.findings import load_findings
from ..problems import InputError, Problems
from ..provenance import Provenance
from ..score.engine import score_assessment
from ..tree import FsTree, regular_file
from ..validate import validate_assessment
from . import engine, urls
from .pagekinds import PAGE_KINDS, PageSpec
from .pages import ATTACHMENT_TYPES, PageContext, Site
from .siteconfig import PACKAGE_CONFIG, load_site_config

STATIC = Path(__file__).parent / "static"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".map": "application/json",
}


@dataclass
class _State:
    """What one load of the year set up: MkDocs' parts and the kaohe plugin holding the results."""

    config: Any
    files: Files
    nav: Navigation
    env: Any
    doc_files: list[File]
    by_path: dict[str, File]  # site path (dest_uri) → file
    plugin: Any
    search_config: dict[str, Any]


def _replace_file(findings: list[Any], path: str, new: list[Any]) -> list[Any]:
    """`findings` with those of the file `path` replaced by `new`, where they were (order is kept)."""
    out: list[Any] = []
    for f in findings:
        if getattr(f, "_path", None) != path:
            out.append(f)
        elif new:
            out += new
            new = []
    return out


def _attachments(site: Site, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether an edit changes which attachments (images, PDFs) the evidence links to."""
    prefix = f"evidence/{site.year}/"

    def targets(e: Any) -> list[str]:
        return [t for t in e.links if t.startswith(prefix) and t.lower().endswith(ATTACHMENT_TYPES)]

    return any(targets(before[path]) != targets(e) for path, e in after.items() if e is not before[path])


class Preview:
    """The year `year` (default: the latest) of the repository at `root`, ready to render any page."""

    def __init__(
        self, root: Path, year: int | None = None, config_file: Path | None = None, filing_dates: bool = True
    ) -> None:
        self.root = root.resolve()  # regular_file compares resolved paths
        self.config_file = config_file
        self.filing_dates = filing_dates
        self.lock = threading.RLock()
        self.scratch = tempfile.mkdtemp(prefix="kaohe-serve-")  # site_dir MkDocs asks for; nothing is written
        try:
            self.state = self._load(year)
        except BaseException:
            self.close()
            raise
        self.year = self.state.plugin.site.year
        self.lang = self.state.plugin.site.lang  # the site's language: the notice of a failed edit speaks it
        self.problems: list[str] = []  # why the last change could not be shown (the pages show the one before)
        self.unchecked: Any = None  # the assessment after an edit shown before its cross-file checks ran
        self._tree: FsTree | None = None

    def close(self) -> None:
        """Remove the empty folder given to MkDocs as site_dir (nothing is written into it)."""
        with contextlib.suppress(OSError):
            os.rmdir(self.scratch)

    # -- loading ------------------------------------------------------------------------------------

    def _load(self, year: int | None) -> _State:
        path = self.config_file or PACKAGE_CONFIG
        try:
            config = load_site_config(path, docs_dir=str(STATIC), site_dir=self.scratch, strict=False)
        except (ConfigurationError, Abort) as exc:
            raise InputError("serve.config", path=path, error=str(exc)) from exc
        plugin = config.plugins.get("kaohe")
        if plugin is None:
            raise InputError("serve.no-plugin", path=path)
        plugin.config["root"] = str(self.root)
        plugin.config["year"] = year
        plugin.config["filing_dates"] = self.filing_dates
        plugin.workbooks_on_request = True  # see get()
        plugin.provenance = dataclasses.replace(Provenance(), source_url=plugin.config.source_url)
        search_config: dict[str, Any] = {}
        for name in ("material/search", "search"):
            search = config.plugins.get(name)
            if search is not None:
                search.config["enabled"] = False  # pages are not indexed one by one: see search_index()
                search_config = {k: search.config.get(k) for k in ("lang", "separator", "pipeline", "fields")}
        try:
            config = config.plugins.on_config(config)
        except PluginError as exc:
            raise InputError("serve.input", detail=str(exc).removeprefix("kaohe: ")) from exc
        files, env, nav, doc_files = engine.collect(config)
        env = config.plugins.on_env(env, config=config, files=files)
        by_path = {f.dest_uri: f for f in files}
        return _State(config, files, nav, env, doc_files, by_path, plugin, search_config)

    def reload(self) -> None:
        """Load the year again (a framework, units.toml or mkdocs.yml changed, or files came or went)."""
        state = self._load(self.year)
        with self.lock:
            self.state = state
            self._tree = None

    def tree(self) -> FsTree:
        """The repository's files as listed once (walking 30,000 files takes most of a second): an
        edit that adds or removes a file loads the year again, which lists them again."""
        tree = self._tree
        if tree is None:
            tree = FsTree(self.root)
            tree.exists(f"evidence/{self.year}/units.toml")  # the one walk of evidence/
            self._tree = tree
        return tree

    # -- an edit -------------------------------------------------------------------------------------

    def apply(self, changed: set[str]) -> str:
        """Show the edits to the repository paths `changed`; return what was done ("" when nothing).

        Edits to existing evidence and findings files of the year re-read those files and re-score
        their units; anything else loads the year again. When the input does not validate, the
        pages keep showing the last valid state and :attr:`problems` says why.
        """
        prefix = f"evidence/{self.year}/"
        data = (".md", ".toml", ".yml")
        relevant = {
            p
            for p in changed
            if (p.startswith(("frameworks/", "evidence/")) or p == "mkdocs.yml")
            and (p.endswith(data) or (self.root / p).exists())  # not an editor's temporary file, come and gone
        }
        if not relevant:
            return ""
        started = time.monotonic()
        try:
            pages = {p for p in relevant if p.endswith((".md", ".toml"))}
            if pages != relevant:
                self._tree = None  # an attachment came, went or changed: links to it are checked afresh
            # attachments (images, PDFs) are read from the repository when asked for: nothing to update
            quick = not self.problems and all(p.startswith(prefix) for p in relevant)
            quick = quick and f"{prefix}units.toml" not in pages
            if not (quick and self._edit(pages)):
                self.reload()
                done = "loaded the year again"
            else:
                done = f"re-read {len(pages)} file{'s' * (len(pages) != 1)}"
            self.problems = []
        except InputError as exc:
            self.problems = str(exc).split("\n")
            done = "refused"
        return f"{done} in {time.monotonic() - started:.2f} s"

    def _edit(self, paths: set[str]) -> bool:
        """Re-read edited evidence and findings files and re-score their units; False: load everything."""
        state = self.state
        site: Site = state.plugin.site
        if site.period_results:  # each quarter's page would need its own re-scoring: load the year again
            return False
        a = site.a
        tree = self.tree()
        problems = Problems()
        units = {u.id for u in a.units}
        old_evidence = {e.path: e for e in a.evidence}
        evidence = dict(old_evidence)
        findings, appeals = a.findings, a.appeals
        touched: set[str] = set()
        base = f"evidence/{self.year}/"
        for path in paths:
            rest = path[len(base) :]
            top = rest.split("/")[0] if "/" in rest else None
            if top is None or not regular_file(self.root, path):  # the file itself, not the listing
                return False  # removed, or a file beside units.toml: the set of pages changes
            if path.endswith(".md"):
                if path not in old_evidence:
                    return False  # a new page
                e = load_evidence(tree, path, top, units, problems)
                if e is None:
                    break
                old = old_evidence[path]
                e.filed, e.deadline = old.filed, old.deadline  # from git history, which an edit does not change
                evidence[path] = e
                touched.update((e.unit, old.unit))
            else:
                before = [f for f in findings if getattr(f, "_path", None) == path]
                if not before:
                    return False  # a new findings file: its place among the files is not known here
                appealed = [x for x in appeals if x._path == path]
                new_appeals: list[Any] = []
                new = load_findings(tree, path, top if top in units else None, problems, new_appeals)
                touched.update(f.unit or "" for f in [*before, *new])
                touched.update(x.unit for x in [*appealed, *new_appeals])
                findings = _replace_file(findings, path, new)
                appeals = [x for x in appeals if x._path != path] + new_appeals
        if problems.errors:  # the edited files' own problems: syntax, keys, values, links
            raise InputError("serve.input", detail="\n".join(p.format() for p in problems.errors[:20]))
        changed = dataclasses.replace(
            a, evidence=[evidence[e.path] for e in a.evidence], findings=findings, appeals=appeals
        )
        changed.index()
        # the other units' results are kept (copies: ranking and grading set their places again)
        kept = {r.id: copy.copy(r) for r in site.results.units if r.id not in touched}
        try:
            results = score_assessment(changed, site.results.as_of, reuse=kept)
        except Exception:  # input the cross-file checks would refuse: loading again reports it
            return False
        if _attachments(site, old_evidence, evidence):
            return False  # the site's files change: load it again
        # the Site again from the new results (its back-links, totals and year comparison all follow them)
        new_site = Site(changed, results, site.provenance, site.lang, state.plugin.previous, built=site.built)
        specs = dict(state.plugin.specs)
        kind = PAGE_KINDS["evidence"]
        for path, e in evidence.items():
            if e is not old_evidence[path]:
                src = kind.path(path, self.year)
                specs[src] = PageSpec(src, kind.name, path, new_site.evidence_title(e))
        with self.lock:
            state.plugin.site = new_site
            state.plugin.specs = specs
            self.unchecked = changed
        return True

    def check(self) -> bool:
        """Check the edit just shown against the rest of the year (the cross-file checks of kaohe check);
        True when that found errors, which :attr:`problems` then lists.

        Run after the edit is shown: the checks of a whole year take longer than showing one edit.
        """
        with self.lock:
            a, self.unchecked = self.unchecked, None
        if a is None:
            return False
        problems = Problems()
        validate_assessment(a, set(), problems)
        if not problems.errors:
            return False
        self.problems = [p.format() for p in problems.errors[:20]]
        return True

    # -- serving -------------------------------------------------------------------------------------

    def get(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type of the site path `path` (e.g. "units/u001.html"); None: not found."""
        path = posixpath.normpath(path).lstrip("/") if path else ""
        if path in ("", "."):
            path = "index.html"
        if path.endswith("/"):
            path += "index.html"
        with self.lock:
            state = self.state
            if path == "search/search_index.json":
                return self.search_index().encode("utf-8"), TYPES[".json"]
            download = self._download(state, path)
            if isinstance(download, bytes):
                return download, TYPES[".xlsx"]
            if download is not None:
                return download.encode("utf-8"), TYPES[".csv"]
            file = state.by_path.get(path)
            if file is None:
                if not path.endswith(".html") and state.by_path.get(path + "/index.html") is not None:
                    return self.get(path + "/index.html")
                return None
            kind = TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
            if file.is_documentation_page():
                return self._page(state, file).encode("utf-8", errors="xmlcharrefreplace"), TYPES[".html"]
            content = file._content
            if content is None:
                assert file.abs_src_path is not None
                return Path(file.abs_src_path).read_bytes(), kind
            return (content.encode("utf-8") if isinstance(content, str) else content), kind

    def _page(self, state: _State, file: File) -> str:
        page = file.page
        assert page is not None
        config = state.config
        config._current_page = page
        try:
            engine.populate(config, state.files, page)
            output, _ = engine.page_html(config, state.nav, state.doc_files, state.env, page)
        finally:
            config._current_page = None
        return output

    def _download(self, state: _State, path: str) -> str | bytes | None:
        """A page's CSV table or a workbook, made from the current results (the files MkDocs holds are
        from the first load)."""
        site: Site = state.plugin.site
        if path.endswith(".xlsx"):
            unit = next((u.id for u in site.results.units if urls.download(u.id) == path), None)
            if unit is None and path != urls.download():
                return None
            return state.plugin.workbook(state.config, unit)
        if not path.endswith(".csv"):
            return None
        for spec in state.plugin.specs.values():
            kind = PAGE_KINDS[spec.kind]
            if kind.download is not None and urls.table_file(spec.src_uri) == path:
                return kind.download(PageContext(site, spec.src_uri), spec.key)
        return None

    def search_index(self) -> str:
        """Page titles only: indexing every page's text would mean rendering every page (kaohe build does)."""
        state = self.state
        docs = []
        for spec in state.plugin.specs.values():
            file = state.files.get_file_from_path(spec.src_uri)
            if file is not None:
                docs.append({"location": file.url, "title": spec.title, "text": ""})
        return json.dumps({"config": state.search_config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
