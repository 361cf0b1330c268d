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
import gc
import json
import os
import posixpath
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from ..apart import reap_apart, wait_apart
from ..cachedir import claim, read_file
from ..controlchars import Lines
from ..gcpause import thawed_after
from ..gitdates import load_dates
from ..individual.privacy import check_privacy, refuse_public_site
from ..load import load_repository, parsed
from ..load.evidence import load_evidence
from ..load.findings import load_findings
from ..load.lifecycle import STAGES_FILE
from ..load.links import on_site
from ..messages import language, msg, tr
from ..model import Assessment
from ..organization import check_organizations
from ..problems import InputError, Problems, did_you_mean
from ..provenance import Provenance
from ..score.engine import score_assessment
from ..todo import Board, build_board
from ..tree import FsTree, Refused, Tree, regular_file
from ..validate import validate_assessment, validate_framework
from ..workspace import Workspace, require_clean, years_in
from ..yearcompare import previous_year
from . import engine, urls
from .labels import labels
from .pagekinds import PAGE_KINDS, PageSpec
from .pages import PageContext, Site
from .plugin import navigation
from .siteconfig import PACKAGE_CONFIG, load_site_config
from .years import LoadedYear

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
    by_path: dict[str, File] | None  # site path (dest_uri) → file, made when a path is not found directly
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


class _StructureTree:
    """The repository as the frameworks and the year's units.toml and stages.toml see it: the
    evidence and findings files of the year are left out (the preview keeps them parsed), so that
    :func:`load_repository` reads a few dozen small files instead of 30,000. Counts what it reads."""

    def __init__(self, base: Tree, structure: set[str]) -> None:
        self.base = base
        self.label = base.label
        self.structure = sorted(p for p in structure if base.exists(p))
        self.reads = 0

    def files(self, prefix: str) -> Iterator[str]:
        if prefix.strip("/") == "evidence":
            yield from self.structure
        else:
            yield from self.base.files(prefix)

    def refused(self, prefix: str) -> Iterator[Refused]:
        return self.base.refused(prefix)

    def read(self, path: str) -> bytes:
        self.reads += 1
        return self.base.read(path)

    def exists(self, path: str) -> bool:
        return self.base.exists(path)

    def is_dir(self, path: str) -> bool:
        return self.base.is_dir(path)


class _Kept:
    """The evidence, findings and appeals of a loaded year, by the file they were read from."""

    def __init__(self, a: Assessment) -> None:
        self.evidence = {e.path: e for e in a.evidence}
        self.findings: dict[str, list[Any]] = {}
        self.appeals: dict[str, list[Any]] = {}
        for f in a.findings:
            self.findings.setdefault(f._path, []).append(f)
        for x in a.appeals:
            self.appeals.setdefault(x._path, []).append(x)

    def linking_to(self, gone: set[str]) -> set[str]:
        """The files whose links or evidence references reach a file or folder in `gone`: a clean load
        would find them broken, so they are read again (every file with appeals too, to be safe)."""
        if not gone:
            return set()

        def hits(target: str) -> bool:
            return any(g == target or g.startswith(target.rstrip("/") + "/") for g in gone)

        out = {p for p, e in self.evidence.items() if any(map(hits, e.links))}
        out |= {p for p, fs in self.findings.items() if any(hits(t) for f in fs for t in f._evidence_paths)}
        return out | set(self.appeals)


def _outline(site: Site, specs: dict[str, PageSpec]) -> tuple[Any, ...]:
    """What MkDocs' files and navigation were made from: when it is unchanged, they stay."""
    pages = [(s.src_uri, s.kind) for s in specs.values()]
    return site.title(), site.banner(), navigation(site, labels(site.lang)), pages, site.attachments()


def _keep_board(old: Site, new: Site, touched: set[str]) -> None:
    """Give `new` the progress board of `old` with the units in `touched` built again (each unit's
    progress is its own; building every unit's takes seconds at province scale)."""
    board: Board | None = old.__dict__.get("board")
    if board is None:
        return  # not built yet (or a final year's): `new` builds it when a page asks
    again = {u.id: u for u in build_board(new.a, board.as_of, board.soon_days, sorted(touched), board.today).units}
    new.__dict__["board"] = dataclasses.replace(board, units=[again.get(u.id, u) for u in board.units])


def _attachments(site: Site, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether an edit changes which attachments (images, PDFs) the evidence links to."""

    def targets(e: Any) -> list[str]:
        return [t for t in e.links if on_site(e.path, t) == "attachment"]

    return any(targets(before[path]) != targets(e) for path, e in after.items() if e is not before[path])


class Preview:
    """The year `year` (default: the latest) of the repository at `root`, ready to render any page."""

    def __init__(
        self,
        root: Path,
        year: int | None = None,
        config_file: Path | None = None,
        filing_dates: bool = True,
        cache: Path | None = None,
    ) -> None:
        self.root = root.resolve()  # regular_file compares resolved paths
        self.config_file = config_file
        self.filing_dates = filing_dates
        self.cache = cache  # the cache folder: a year loaded from the files keeps its parsed files there
        self.lock = threading.RLock()
        self.scratch = tempfile.mkdtemp(prefix="kaohe-serve-")  # site_dir MkDocs asks for; nothing is written
        # removed by close(), or when the preview is collected or the interpreter exits without it
        self._remove_scratch = weakref.finalize(self, _remove_empty, self.scratch)
        if year is None:  # the latest, named: a kept year is kept under its year
            known = years_in(FsTree(self.root))
            year = known[-1] if known else None
        #: Whether the preview may unfreeze what it froze: not when something froze objects before it
        #: (a program embedding kaohe), whose objects CPython would hand back to the collector too.
        self._owns_freeze = gc.get_freeze_count() == 0
        try:
            self.state = self._load(year)
        except BaseException:
            self.close()
            raise
        self._freeze(collect=False)  # nothing dropped yet: what the load left is the preview's
        self.year = self.state.plugin.site.year
        self.lang = self.state.plugin.site.lang  # the site's language: the notice of a failed edit speaks it
        self.problems: list[str] = []  # why the last change could not be shown (the pages show the one before)
        self.unchecked: Any = None  # the assessment after an edit shown before its cross-file checks ran
        self._tree: FsTree | None = None
        #: How the last change was shown: "edit" (files re-read, their units re-scored), "rebuild"
        #: (files re-read, the others kept as parsed, the year scored again), "reload" (the year
        #: loaded again) or "refused"; and how many input files it read.
        self.last = ""
        self.read = 0

    def close(self) -> None:
        """Remove the empty folder given to MkDocs as site_dir (nothing is written into it), and
        wait until the year loaded is kept for the next start (a forked child writes it); what it
        froze goes back to the collector."""
        self._remove_scratch()
        wait_apart()
        self._thaw()
        self._owns_freeze = False  # closed: a later load (none is expected) freezes nothing

    # -- loading ------------------------------------------------------------------------------------

    def _freeze(self, *, collect: bool) -> None:
        """Move the loaded year out of the cyclic collector's reach (``gc.freeze``).

        Every edit makes thousands of objects, so the collector ran during edits, and each full
        collection walked the year's hundreds of thousands of objects again: 0.4 s of most findings
        edits (0.6 s shown instead of 0.2 s at reference). Frozen objects are still freed when their
        last reference goes. A load thaws them first (:meth:`_load`) and, with `collect`, the state
        it replaced is collected before the new one is frozen: its cycles would never be otherwise."""
        if not self._owns_freeze:
            return
        if collect:
            gc.collect()
        gc.freeze()

    def _thaw(self) -> None:
        """Hand the frozen year back to the collector (a load is about to replace it)."""
        if getattr(self, "_owns_freeze", False):
            gc.unfreeze()

    def _load(self, year: int | None, preloaded: tuple[LoadedYear, Assessment | None] | None = None) -> _State:
        self._thaw()
        path = self.config_file or PACKAGE_CONFIG
        try:
            config = load_site_config(path, docs_dir=str(STATIC), site_dir=self.scratch, strict=False)
            if self.cache is not None:
                engine.keep_compiled_templates(config)
        except (ConfigurationError, Abort) as exc:
            raise InputError("serve.config", path=path, error=str(exc)) from exc
        plugin = config.plugins.get("kaohe")
        if plugin is None:
            raise InputError("serve.no-plugin", path=path)
        plugin.config["root"] = str(self.root)
        plugin.config["year"] = year
        plugin.config["filing_dates"] = self.filing_dates
        plugin.workbooks_on_request = True  # see get()
        plugin.preloaded = preloaded
        # the year a build (or an earlier start) kept, when nothing it was loaded from changed
        # (generator.render.keptyear); its year is named, as a build names it
        plugin.kept_years = self.cache if self.cache is not None and year is not None and claim(self.cache) else None
        plugin.keep_apart = True
        plugin.provenance = dataclasses.replace(Provenance(), source_url=plugin.config.source_url)
        search_config: dict[str, Any] = {}
        for name in ("material/search", "search"):
            search = config.plugins.get(name)
            if search is not None:
                search.config["enabled"] = False  # pages are not indexed one by one: see search_index()
                search_config = {k: search.config.get(k) for k in ("lang", "separator", "pipeline", "fields")}
        try:
            # a kept year is frozen out of the collector's reach (generator.gcpause), right for a
            # build that ends; the preview runs on and drops this state on the next reload
            with thawed_after(), parsed.kept_in(self.cache):
                config = config.plugins.on_config(config)
        except PluginError as exc:
            raise InputError("serve.input", detail=str(exc).removeprefix("kaohe: ")) from exc
        files, env, nav, doc_files = engine.collect(config)
        env = config.plugins.on_env(env, config=config, files=files)
        return _State(config, files, nav, env, doc_files, None, plugin, search_config)

    def reload(self) -> None:
        """Load the year again (a framework, units.toml or mkdocs.yml changed, or files came or went)."""
        state = self._load(self.year)
        with self.lock:
            self.state = state
            self._tree = None
        self._freeze(collect=True)

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

    def relevant(self, changed: set[str]) -> set[str]:
        """The paths of `changed` the preview reads: input files, not an editor's temporary file
        come and gone (`sed -i`, a save through a swap file)."""
        data = (".md", ".toml", ".yml")
        return {
            p
            for p in changed
            if (p.startswith(("frameworks/", "evidence/")) or p == "mkdocs.yml")
            and (p.endswith(data) or (self.root / p).exists())
        }

    def apply(self, changed: set[str]) -> str:
        """Show the edits to the repository paths `changed`; return what was done ("" when nothing).

        Edits to existing evidence and findings files of the year re-read those files and re-score
        their units (:meth:`_edit`); a framework, units.toml, stages.toml, or an evidence or findings
        file added or deleted re-reads those files, keeps every other file as parsed and scores the
        year again (:meth:`_rebuild`); anything else (mkdocs.yml, another year, an attachment) loads
        the year again. When the input does not validate, the pages keep showing the last valid
        state and :attr:`problems` says why.
        """
        relevant = self.relevant(changed)
        if not relevant:
            return ""
        started = time.monotonic()
        self.read = 0
        try:
            if self.problems:  # the kept state is the one before a refused edit: start afresh
                done = self._reload()
            elif self._quick(relevant) and self._edit(relevant):
                self.last = "edit"
                done = msg("serve.done.re-read", files=self.read)
            else:
                done = self._rebuild(relevant)
            self.problems = []
        except InputError as exc:
            self.problems = str(exc).split("\n")
            self.last = "refused"
            done = msg("serve.done.refused")
        return tr("serve.done", done=done, seconds=f"{time.monotonic() - started:.2f}")

    def _reload(self) -> Any:
        self.reload()
        self.last = "reload"
        return msg("serve.done.reloaded")

    def _quick(self, paths: set[str]) -> bool:
        """Whether every path is an evidence or findings file of the year that exists and existed."""
        prefix = f"evidence/{self.year}/"
        tree = self.tree()
        return all(
            p.startswith(prefix)
            and p.endswith((".md", ".toml"))
            and p not in self._structure_files()
            and tree.exists(p)
            and regular_file(self.root, p)
            for p in paths
        )

    def _structure_files(self) -> set[str]:
        return {f"evidence/{self.year}/units.toml", f"evidence/{self.year}/{STAGES_FILE}"}

    def _kind(self, path: str) -> str | None:
        """What `path` is to the year: "framework", "structure" (units.toml, stages.toml), "evidence",
        "findings", or None for what the year is loaded again for (mkdocs.yml, another year, an
        attachment, a README beside units.toml)."""
        prefix = f"evidence/{self.year}/"
        if path.startswith("frameworks/"):
            return "framework"
        if not path.startswith(prefix):
            return None
        if path in self._structure_files():
            return "structure"
        if path.endswith(".toml"):
            return "findings"
        if path.endswith(".md") and "/" in path[len(prefix) :]:
            return "evidence"
        return None

    def _rebuild(self, paths: set[str]) -> Any:
        """Re-read the changed files (and the frameworks and units.toml, a few dozen small files), take
        every other evidence and findings file as parsed before, and score the year again: every unit
        after a framework or units.toml change, else the units whose files changed. The year is
        loaded again where this cannot be done; the cross-file checks run once the edit is shown
        (:meth:`check`), as after an edit."""
        kinds = {p: self._kind(p) for p in paths}
        if None in kinds.values():
            return self._reload()
        state = self.state
        site: Site = state.plugin.site
        structural = any(k in ("framework", "structure") for k in kinds.values())
        old_tree = self.tree()
        present = {p: regular_file(self.root, p) for p in paths}
        tree = old_tree if all(present[p] == old_tree.exists(p) for p in paths) else FsTree(self.root)  # one walk
        problems = Problems()
        structure = _StructureTree(tree, self._structure_files())
        repository = load_repository(structure, problems, {self.year})
        self.read += structure.reads
        new = repository.assessments.get(self.year)
        if new is None:
            require_clean(Workspace(self.root, tree, repository, problems), msg("workspace.input-for", year=self.year))
            raise InputError("workspace.year-unloadable", year=self.year)
        kept = _Kept(site.a)
        touched = self._read_year(tree, new, kept, paths, present, problems)
        if new.filing_deadlines:  # filing dates are given to every evidence file again: not to the kept state's
            new.evidence = [copy.copy(e) for e in new.evidence]
        new.index()
        for fw in repository.frameworks.values():
            validate_framework(fw, problems)
        check_organizations(list(repository.frameworks.values()), problems)
        check_privacy(structure, repository, problems)
        load_dates(repository, self.root, None, problems, "required" if self.filing_dates else "off")
        require_clean(Workspace(self.root, tree, repository, problems), msg("workspace.input-for", year=self.year))
        refuse_public_site(self.root, new)
        # a unit's results depend on its own files and the framework: after a change to neither, they are kept
        reuse = {} if structural else {r.id: copy.copy(r) for r in site.results.units if r.id not in touched}
        try:
            with language(site.lang):
                results = score_assessment(new, site.results.as_of, reuse=reuse)
                periods = {p.key: score_assessment(new, period=p) for p in results.periods}
        except Exception:  # input the cross-file checks would refuse: loading again reports it
            return self._reload()
        previous = state.plugin.previous
        if structural and any(y < self.year for y in years_in(tree)):
            previous = previous_year(self.root, new, self.filing_dates)  # compared with the framework as it is now
        new_site = Site(new, results, site.provenance, site.lang, previous, periods, built=site.built)
        if not structural:
            _keep_board(site, new_site, touched)
        specs = {p.src_uri: p for p in new_site.pages()}
        if _outline(new_site, specs) == _outline(site, state.plugin.specs):
            with self.lock:  # MkDocs' files and navigation stay: only the pages' contents change
                state.plugin.site, state.plugin.specs, state.plugin.previous = new_site, specs, previous
                self._tree, self.unchecked = tree, new
        else:
            fresh = self._load(self.year, (LoadedYear(self.root, new, results, [], periods), previous))
            with self.lock:
                self.state = fresh
                self._tree, self.unchecked = tree, new
            self._freeze(collect=True)
        self.last = "rebuild"
        return msg("serve.done.rebuilt", files=self.read)

    def _read_year(
        self, tree: Tree, new: Assessment, kept: _Kept, paths: set[str], present: dict[str, bool], problems: Problems
    ) -> set[str]:
        """Give `new` the year's evidence, findings and appeals in the order loading reads them: the
        files in `paths` (and those linking to a deleted one, or in a folder that became or stopped
        being a unit's) read again, the others as kept. Returns the units whose files changed."""
        units = {u.id for u in new.units}
        moved = units ^ {u.id for u in self.state.plugin.site.a.units}
        again = {p for p in paths if present[p]} | kept.linking_to({p for p in paths if not present[p]})
        touched = {e.unit for p in paths if (e := kept.evidence.get(p)) is not None}
        touched |= {f.unit or "" for p in paths for f in kept.findings.get(p, [])}
        touched |= {x.unit for p in paths for x in kept.appeals.get(p, [])}
        prefix = f"evidence/{self.year}/"
        for path in tree.files(prefix.rstrip("/")):
            rest = path[len(prefix) :]
            top = rest.split("/")[0] if "/" in rest else None
            if path in self._structure_files() or (top is None and path.endswith(".md")):
                continue  # a README beside units.toml is not evidence
            fresh = path in again or top in moved
            if path.endswith(".md"):
                if not fresh and path in kept.evidence:
                    new.evidence.append(kept.evidence[path])
                    continue
                self.read += 1
                e = load_evidence(tree, path, top, units, problems)
                if e is not None:
                    old = kept.evidence.get(path)
                    if old is not None:  # from git history, which an edit does not change
                        e.filed, e.deadline = old.filed, old.deadline
                    new.evidence.append(e)
                    touched.add(e.unit)
            elif path.endswith(".toml"):
                if top is not None and top not in units and top != "findings":
                    problems.report(
                        path, 1, 1, "findings.unknown-unit-folder", folder=top, suggestion=did_you_mean(top, units)
                    )
                elif not fresh:
                    new.findings += kept.findings.get(path, [])
                    new.appeals += kept.appeals.get(path, [])
                else:
                    self.read += 1
                    appeals: list[Any] = []
                    findings = load_findings(tree, path, top if top in units else None, problems, appeals)
                    touched |= {f.unit or "" for f in findings} | {x.unit for x in appeals}
                    new.findings += findings
                    new.appeals += appeals
        return touched

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
            if path.endswith(".md"):
                if path not in old_evidence or top is None:
                    return False  # a new page
                self.read += 1
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
                self.read += 1
                new = load_findings(tree, path, top if top in units else None, problems, new_appeals)
                touched.update(f.unit or "" for f in [*before, *new])
                touched.update(x.unit for x in [*appealed, *new_appeals])
                findings = _replace_file(findings, path, new)
                appeals = [x for x in appeals if x._path != path] + new_appeals
        if problems.errors:  # the edited files' own problems: syntax, keys, values, links
            raise InputError("serve.input", detail=Lines("\n".join(p.format() for p in problems.errors[:20])))
        changed = dataclasses.replace(
            a, evidence=[evidence[e.path] for e in a.evidence], findings=findings, appeals=appeals
        )
        changed.index()
        # the other units' results are kept (copies: ranking and grading set their places again)
        kept = {r.id: copy.copy(r) for r in site.results.units if r.id not in touched}
        try:
            with language(site.lang):
                results = score_assessment(changed, site.results.as_of, reuse=kept)
        except Exception:  # input the cross-file checks would refuse: loading again reports it
            return False
        if _attachments(site, old_evidence, evidence):
            return False  # the site's files change: load it again
        # the Site again from the new results (its back-links, totals and year comparison all follow them)
        new_site = Site(changed, results, site.provenance, site.lang, state.plugin.previous, built=site.built)
        _keep_board(site, new_site, touched)
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
        reap_apart()  # the first start's child, once it has written the year (generator.apart)
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
            file = self._file(state, path)
            if file is None:
                if not path.endswith(".html") and self._file(state, path + "/index.html") is not None:
                    return self.get(path + "/index.html")
                return None
            kind = TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
            if file.is_documentation_page():
                return self._page(state, file).encode("utf-8", errors="xmlcharrefreplace"), TYPES[".html"]
            content = file._content
            if content is not None:
                return (content.encode("utf-8") if isinstance(content, str) else content), kind
            assert file.abs_src_path is not None
            source = file.abs_src_path
        data = self._read_source(source)  # outside the lock: a slow disk holds up no other request
        return None if data is None else (data, kind)

    def _read_source(self, source: str) -> bytes | None:
        """A file copied as it is (an attachment, a theme asset), read as it is now. A file of the
        repository may have become a link or a pipe since the year loaded (a branch checked out):
        it is served only while it is still a regular file inside the repository, reached without
        a link, and it is opened without following or waiting (None: not found). Theme assets are
        kaohe's installation's and are read as they are."""
        inside = os.path.relpath(source, self.root)
        if inside == ".." or inside.startswith(".." + os.sep):
            return Path(source).read_bytes()
        if not regular_file(self.root, inside):
            return None
        try:
            return read_file(source)  # O_NOFOLLOW | O_NONBLOCK, and a regular file once open
        except OSError:
            return None

    @staticmethod
    def _file(state: _State, path: str) -> File | None:
        """The file MkDocs writes at the site path `path`: looked up by its source (a page's is its
        .md), so that the site paths of 30,000 files are not worked out before the first page."""
        for src in (path, path.removesuffix(".html") + ".md"):
            file = state.files.src_uris.get(src)
            if file is not None and file.dest_uri == path:
                return file
        if state.by_path is None:
            state.by_path = {f.dest_uri: f for f in state.files}
        return state.by_path.get(path)

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
        from the first load), worded in the site's language as a build words them."""
        site: Site = state.plugin.site
        with language(site.lang):
            return self._made_download(state, site, path)

    def _made_download(self, state: _State, site: Site, path: str) -> str | bytes | None:
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


def _remove_empty(folder: str) -> None:
    """Remove `folder` if it is empty: only ever what the preview made, never anything written into it."""
    with contextlib.suppress(OSError):
        os.rmdir(folder)
