"""Build a year's site with MkDocs' own parts: page by page, on every core, reusing unchanged pages.

``mkdocs.commands.build.build`` reads every page before it writes any, so it held the HTML of
every page at once (1.9 GB at 100,000 pages), and it renders them one after the other on one
core. This build runs the same plugin events in the same order for each page, but:

* writes each page as soon as it is rendered and lets it go (memory does not grow with pages);
* forks worker processes once the shared parts are ready (configuration, files, navigation,
  theme) and gives each a share of the pages: a page's output depends only on those parts and
  the page, so the bytes are the same whichever process writes them, and search entries are
  put back in page order;
* skips Python-Markdown for kaohe's pages, whose Markdown is empty (the HTML comes from the
  results model), instead of setting up a Markdown converter 30,000 times for nothing;
* takes a page whose inputs have not changed since an earlier build from the page cache
  (:mod:`.pagecache`) instead of rendering it.

The output is byte for byte what MkDocs' own build writes (``tests/test_build_engine.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache
from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..cachedir import code_digest
from ..messages import tr
from .forked import can_fork, forked_pool
from .pagecache import Found, PageCache, Stored
from .urls import plain_path

log = logging.getLogger("mkdocs.commands.build")

#: Pages per task handed to a worker: large enough that sending results back costs little,
#: small enough that the workers finish together.
CHUNK = 250
#: Below this many pages to render, forking workers costs more than it saves.
PARALLEL_FROM = 400


@dataclass
class _Shared:
    """What every page needs, set up once before the workers are forked (they inherit it)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    doc_files: list[File]
    plugin: Any  # the kaohe plugin, or None
    search: Any  # the search plugin's index (its `entries`), or None
    cache: PageCache | None
    site_key: str
    #: Each kaohe page's search entries in page order, as :func:`_pages` found them: put into the
    #: index only when the site's search index is not kept (:func:`_search_index_kept`).
    found: list[Found] = field(default_factory=list)


@dataclass
class _Done:
    """What rendering a share of the pages gives back to the process that builds the site."""

    entries: list[tuple[int, Found]] = field(default_factory=list)  # (page number, search entries)
    stored: list[Stored] = field(default_factory=list)
    used: list[str] = field(default_factory=list)  # cache keys taken from the cache
    keys: list[tuple[str, str]] = field(default_factory=list)  # (page, its cache key) of every page
    rendered: int = 0
    logs: list[tuple[int, str]] = field(default_factory=list)  # (level, message) to log in the parent


_SHARED: _Shared | None = None


def collect(config: MkDocsConfig) -> tuple[Files, Environment, Navigation, list[File]]:
    """MkDocs' files, theme environment, navigation and documentation pages, through the plugins'
    events, as ``mkdocs build`` gathers them before rendering (shared by the build and the preview)."""
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    with _build_date_read_once():
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = list(files.documentation_pages())
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
    return files, env, nav, doc_files


class _KeptTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept where Jinja keeps them by default: a folder of the
    temporary directory that only this user may write (``_jinja2-cache-<uid>``; Jinja checks its
    owner and mode), never the repository's cache folder, whose content a pull request could
    choose. A template whose source changed is compiled again (the entry is keyed by the
    source's digest). Compiling Material's page templates took ~0.5 s of every build, all of a
    build after an edit that renders one page. A folder that cannot be written is no error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def keep_compiled_templates(config: MkDocsConfig) -> None:
    """Have every Jinja environment the theme makes keep its compiled templates
    (:class:`_KeptTemplates`): the pages', and those the search plugin makes to translate its
    labels. Nothing where no safe folder is, and nothing in CI (``$CI`` set, as CI services set
    it): a self-hosted runner may run a pull request's job as the same user as the main
    branch's, and the folder is that user's, not the build's; a hosted runner starts empty anyway."""
    if os.environ.get("CI"):
        return
    try:
        kept: BytecodeCache = _KeptTemplates()
    except (OSError, RuntimeError):
        return
    theme = config.theme
    make = type(theme).get_env

    def get_env() -> Environment:
        env = make(theme)
        env.bytecode_cache = kept
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


@contextlib.contextmanager
def _build_date_read_once() -> Iterator[None]:
    """Date every page from one reading of SOURCE_DATE_EPOCH: MkDocs' Page reads and formats it
    again for each page it makes (``Page.update_date``), ~0.9 s of 30,000 pages. Only when the
    variable is set (kaohe's builds set it: :func:`.build._source_date`), where every reading gives
    the same day; without it each page is dated when it is made, as MkDocs does."""
    if os.environ.get("SOURCE_DATE_EPOCH") is None:
        yield
        return
    day = utils.get_build_date()
    mkdocs_pages.get_build_date = lambda: day
    try:
        yield
    finally:
        mkdocs_pages.get_build_date = utils.get_build_date


def build(config: MkDocsConfig, *, cache: PageCache | None = None, jobs: int = 1) -> tuple[int, int]:
    """Build the site MkDocs' `config` describes into its site_dir; return (pages rendered, kaohe pages).

    The same events as ``mkdocs build`` (strict mode counts warnings the same way); pages come from
    `cache` when their inputs are unchanged, and are rendered in up to `jobs` processes.
    """
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logging.getLogger("mkdocs").addHandler(counter)
    try:
        if cache is not None:  # --no-cache keeps nothing between builds, compiled templates included
            keep_compiled_templates(config)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files, env, nav, doc_files = collect(config)
        env.auto_reload = False  # a build never sees a template change: no stat of every included template per page
        plugin = config.plugins.get("kaohe")
        specs = plugin.specs if plugin is not None else {}
        # pages that are not kaohe's (Markdown in docs_dir) are read first, as MkDocs does, so that
        # their links to each other's anchors can be checked; they are few and never cached
        others = [f for f in doc_files if f.src_uri not in specs]
        for file in others:
            assert file.page is not None
            _populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        search = _search_index(config)
        shared = _Shared(config, files, nav, env, doc_files, plugin, search, cache, "")
        if cache is not None:
            shared.site_key = cache.site = site_key(config, nav, plugin)
        numbers = [n for n, f in enumerate(doc_files) if f.src_uri in specs]
        rendered = _pages(shared, numbers, jobs)
        for file in others:
            assert file.page is not None
            _build_page(file.page, config, doc_files, nav, env)
        for file in others:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        with _search_index_kept(shared):
            config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            raise Abort(tr("build.aborted-strict", count=sum(v for _, v in counts)))
        return rendered, len(numbers)
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            log.error(str(exc))
            raise Abort(tr("build.aborted-error")) from exc
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index, whose entries are collected page by page (None without search)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin, "config", {}).get("enabled", True):
            return getattr(plugin, "search_index", None)
    return None


def _pages(shared: _Shared, numbers: list[int], jobs: int) -> int:
    """Render (or take from the cache) the kaohe pages `numbers` of doc_files; return how many were rendered."""
    global _SHARED
    done = _Done()
    numbers = _taken_as_before(shared, numbers, done)
    _SHARED = shared
    try:
        chunks = [numbers[i : i + CHUNK] for i in range(0, len(numbers), CHUNK)]
        with _indexed_from_cache(shared):
            if jobs <= 1 or len(numbers) < PARALLEL_FROM or not can_fork():
                results = [_render_chunk(chunk) for chunk in chunks]
            else:
                results = _in_workers(chunks, jobs)
    finally:
        _SHARED = None
    for result in results:
        for level, message in result.logs:
            log.log(level, message)
        done.entries += result.entries
        done.stored += result.stored
        done.used += result.used
        done.keys += result.keys
        done.rendered += result.rendered
    if shared.search is not None:
        done.entries.sort(key=lambda e: e[0])
        shared.found = [found for _, found in done.entries]
    if shared.cache is not None:
        shared.cache.record(done.used, done.stored)
        made = shared.plugin.made_from() if shared.plugin is not None else None
        shared.cache.last = {"site": shared.site_key, "from": made, "pages": dict(done.keys)} if made else None
    return done.rendered


def _taken_as_before(shared: _Shared, numbers: list[int], done: _Done) -> list[int]:
    """Place the pages whose keys the last build's page list gives, straight from the cache; return
    the others (to be keyed and rendered or taken as usual).

    A page's key is a digest of the site key and its inputs, and its inputs are the year's key, or
    for an evidence page its file's facts and body (:meth:`.plugin.KaohePlugin.page_inputs`). When
    this build has the last build's site key, the same year key and a year kept from the last build
    (:meth:`.plugin.KaohePlugin.kept_from`), every page keeps its key but those whose files were
    read again into the year and the review: they are keyed as usual. At 30,000 pages this saves
    writing down and hashing every page's inputs in the render workers (some 8 s of CPU)."""
    cache, plugin = shared.cache, shared.plugin
    if cache is None or plugin is None or cache.last is None:
        return numbers
    start = plugin.kept_from()
    if start is None or cache.last["site"] != shared.site_key or cache.last["from"] != start:
        return numbers
    known, rest = cache.last["pages"], []
    site_dir = os.path.normpath(shared.config.site_dir)
    for n in numbers:
        file = shared.doc_files[n]
        key = known.get(file.src_uri)
        if key is None or plugin.may_differ(file.src_uri):
            rest.append(n)
            continue
        entries = cache.take(key, _abs_dest_path(site_dir, file))
        if entries is None:
            rest.append(n)
            continue
        done.entries.append((n, entries))
        done.used.append(key)
        done.keys.append((file.src_uri, key))
    return rest


def _abs_dest_path(site_dir: str, file: File) -> str:
    """``file.abs_dest_path`` without normalising a plain path (:func:`.urls.plain_path`);
    `site_dir` is normalised."""
    uri = file.dest_uri
    return f"{site_dir}/{uri}" if plain_path(uri) else file.abs_dest_path


@contextlib.contextmanager
def _indexed_from_cache(shared: _Shared) -> Iterator[None]:
    """Index a rendered page with the search entries the page cache kept for the same searchable
    part, instead of segmenting its text again (:meth:`.pagecache.PageCache.search_entries`): an
    evidence page whose body changed keeps its title and summary, and a build after such an edit
    then never loads jieba's dictionary. The key is noted on the page for :func:`_one_page`, and
    with it, when the cache has entries for it, their ref (they are not put into the index)."""
    search, cache = shared.search, shared.cache
    if search is None or cache is None:
        yield
        return
    index = search.add_entry_from_context

    def add_entry_from_context(page: Page) -> None:
        if list(page.toc):  # kaohe's pages have none; another page's anchors are not part of the key
            index(page)
            return
        key = _key(shared.site_key, page.url, repr((page.title, sorted(page.meta.items()), page.content)))
        page.kaohe_search_key = key  # type: ignore[attr-defined]
        if cache.has_search(key):
            page.kaohe_search_ref = key  # type: ignore[attr-defined]
        else:
            index(page)

    search.add_entry_from_context = add_entry_from_context
    try:
        yield
    finally:
        del search.add_entry_from_context  # the index's own method again


@contextlib.contextmanager
def _search_index_kept(shared: _Shared) -> Iterator[None]:
    """Give the search plugin every page's entries for the site's index it writes after the build;
    or, when the page cache holds the index made from the same entries in the same order (refs
    for the kept ones), that index as it was written, instead of parsing the kept entries and
    writing them out again (36 MB of JSON each way at 30,000 pages). Only Material's search index,
    whose written form is known (``generate_search_index``): another gets its entries."""
    search, cache = shared.search, shared.cache
    if search is None:
        yield
        return
    others = list(search.entries)  # the pages that are not kaohe's, indexed after kaohe's
    generate = getattr(search, "generate_search_index", None)
    if cache is None or generate is None or not type(search).__module__.startswith("material."):
        search.entries[:0] = _entries(cache, shared.found)
        yield
        return
    key = _search_index_key(shared.site_key, shared.found, others)
    kept = _text(cache.read(key))
    if kept is not None:
        search.generate_search_index = lambda prev: kept
    else:
        search.entries[:0] = _entries(cache, shared.found)

        def generate_and_keep(prev: Any) -> str:
            text = generate(prev)
            cache.write(key, text.encode("utf-8"))
            return text

        search.generate_search_index = generate_and_keep
    try:
        yield
    finally:
        del search.generate_search_index  # the index's own method again


def _text(data: bytes | None) -> str | None:
    """A kept search index as text; None when there is none, or it is not UTF-8 (damaged on disk)."""
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def _entries(cache: PageCache | None, found: list[Found]) -> list[dict[str, Any]]:
    """The search entries `found` stands for, in order (a ref is only found with a cache)."""
    if cache is None:
        return [entry for entries in found if isinstance(entries, list) for entry in entries]
    return [entry for entries in found for entry in cache.search_entries(entries)]


def _search_index_key(site: str, found: list[Found], others: list[dict[str, Any]]) -> str:
    """The key of the site's search index: the site key (the search plugin's settings with it),
    each kaohe page's entries (their ref, or themselves) and the other pages' entries."""
    h = hashlib.blake2b(b"search index", digest_size=20)
    h.update(site.encode())
    for entries in found:
        text = f"r{entries}" if isinstance(entries, str) else "e" + json.dumps(entries, ensure_ascii=False, default=str)
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    h.update(json.dumps(others, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _in_workers(chunks: list[list[int]], jobs: int) -> list[_Done]:
    """Run the chunks in up to `jobs` forked processes (they inherit _SHARED); results in chunk order.

    No more processes than chunks: a pool forks all its processes at once, so `kaohe build -j 100000`
    (a typo, or a value read from a CI variable) forked a hundred thousand copies of the build for
    a few chunks of pages."""
    _warm_up_search(pages=sum(len(chunk) for chunk in chunks))
    with forked_pool(max(1, min(jobs, len(chunks)))) as pool:
        return list(pool.map(_render_chunk, chunks))


def _warm_up_search(pages: int) -> None:
    """Load jieba's dictionary once, before forking, instead of once in every worker: unless the
    page cache holds most of the `pages` under this build's site key, which leaves a few pages to
    render. Then the worker that renders one loads the dictionary itself (1.5 s) while the other
    takes pages from the cache, and a build in which nothing changed does not load it at all."""
    jieba = sys.modules.get("jieba")
    if jieba is None or _SHARED is None or _SHARED.search is None:
        return
    cache = _SHARED.cache
    if cache is None or _SHARED.site_key not in cache.sites or len(cache.entries) < pages // 2:
        jieba.initialize()


class _Logs(logging.Handler):
    """Keeps what a worker logs at INFO and above, for the parent to log in page order."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


@contextlib.contextmanager
def _collected(done: _Done, in_worker: bool) -> Iterator[None]:
    if not in_worker:
        yield
        return
    handler = _Logs()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        done.logs = handler.records


def _render_chunk(numbers: list[int]) -> _Done:
    shared = _SHARED
    assert shared is not None
    done = _Done()
    in_worker = os.getpid() != _PARENT
    with _collected(done, in_worker):
        for n in numbers:
            page = shared.doc_files[n].page
            assert page is not None
            entries = _one_page(shared, page, done)
            done.entries.append((n, entries))
    return done


_PARENT = os.getpid()


def _one_page(shared: _Shared, page: Page, done: _Done) -> Found:
    """Write one kaohe page into site_dir (from the cache, or rendered); return its search entries."""
    config, plugin, cache = shared.config, shared.plugin, shared.cache
    dest = page.file.abs_dest_path
    key = None
    if cache is not None:
        inputs = plugin.page_inputs(page.file.src_uri)
        if inputs is not None:
            key = _key(shared.site_key, page.file.src_uri, inputs)
            hit = cache.take(key, dest)
            if hit is not None:
                done.used.append(key)
                done.keys.append((page.file.src_uri, key))
                return hit
    config._current_page = page
    try:
        _populate(shared, page)
        if cache is not None and key is None:
            key = _key(shared.site_key, page.file.src_uri, plugin.fragment_inputs(page))
            hit = cache.take(key, dest)
            if hit is not None:
                plugin.release(page)
                page.content = None
                done.used.append(key)
                done.keys.append((page.file.src_uri, key))
                return hit
        entries = _write(shared, page, dest)
    except Exception as exc:
        message = f"Error building page '{page.file.src_uri}':"
        if not isinstance(exc, BuildError):
            message += f" {exc}"
        log.error(message)
        raise
    finally:
        config._current_page = None
    done.rendered += 1
    search_key = page.__dict__.pop("kaohe_search_key", "")
    found: Found = page.__dict__.pop("kaohe_search_ref", None) or entries
    if cache is not None and key is not None:
        done.keys.append((page.file.src_uri, key))
        stored = cache.store(key, dest, found, search_key)
        if stored is not None:
            done.stored.append(stored)
            return stored.ref  # the same entries as the pages taken from the cache give for them
    return found


def _populate(shared: _Shared, page: Page) -> None:
    populate(shared.config, shared.files, page)


def populate(config: MkDocsConfig, files: Files, page: Page) -> None:
    """MkDocs' reading of a page (_populate_page), without converting the empty Markdown of kaohe's pages."""
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    assert page.markdown is not None
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    if page.markdown:
        page.render(config, files)
    else:  # what Page.render makes of "": no HTML, no headings, no anchors, no links
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
    page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)


def page_html(
    config: MkDocsConfig, nav: Navigation, doc_files: list[File], env: Any, page: Page, search: Any = None
) -> tuple[str, list[dict[str, Any]]]:
    """MkDocs' rendering of a read page in the theme (_build_page, without writing it); the HTML and
    the search entries the page added to `search` (which keeps none of them)."""
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        before = len(search.entries) if search is not None else 0
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
    entries: list[dict[str, Any]] = []
    if search is not None:
        entries = search.entries[before:]
        del search.entries[before:]
    page.content = None  # the page is rendered: let its HTML go
    return output, entries


def _write(shared: _Shared, page: Page, dest: str) -> list[dict[str, Any]]:
    """MkDocs' writing of a page (_build_page); returns the search entries the page added."""
    output, entries = page_html(shared.config, shared.nav, shared.doc_files, shared.env, page, shared.search)
    if output.strip():
        utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), dest)
    else:
        log.info(tr("build.page-skipped", page=page.file.src_uri))
    return entries


def _key(site: str, src_uri: str, inputs: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in (site, src_uri, inputs):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


# -- what every page of a build shares -------------------------------------------------------------

#: Settings that do not reach the pages (paths of this build, file watching) or that kaohe's pages
#: never use (Markdown extensions: their Markdown is empty); plugins and the navigation are keyed apart.
_UNSHARED = {
    "site_dir",
    "docs_dir",
    "config_file_path",
    "watch",
    "plugins",
    "nav",
    "markdown_extensions",
    "mdx_configs",
    "theme",
    "hooks",
}
_PACKAGES = (
    *("mkdocs", "mkdocs-material", "pymdown-extensions", "jinja2", "markupsafe"),
    *("markdown-it-py", "nh3", "jieba"),
)


def site_key(config: MkDocsConfig, nav: Navigation, plugin: Any) -> str:
    """A digest of everything every page depends on: kaohe's code, the libraries, the configuration,
    the theme, the navigation, the build date and the year's shared data (framework, units, provenance)."""
    from importlib import metadata

    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    settings = {k: v for k, v in config.items() if k not in _UNSHARED}
    theme = {"name": config.theme.name, "dirs": config.theme.dirs, **dict(config.theme)}
    plugins = {name: dict(p.config) if hasattr(p, "config") else {} for name, p in config.plugins.items()}
    shared = {
        "python": sys.version,
        "code": code_digest(),
        "versions": versions,
        "settings": settings,
        "theme": theme,
        "static_templates": sorted(config.theme.static_templates),
        "plugins": plugins,
        "files named by plugins": named_files(config),
        "nav": _nav(nav.items),
        "date": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "site": plugin.shared_inputs() if plugin is not None else "",
    }
    text = json.dumps(shared, sort_keys=True, default=_stable, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


#: Plugin settings that name a file whose content reaches the pages (the search plugin's jieba
#: dictionaries: how Chinese text is split into the words of every page's search entries).
_FILE_SETTINGS = ("jieba_dict", "jieba_dict_user")


def named_files(config: MkDocsConfig) -> dict[str, str]:
    """A digest of each file a plugin setting names (see :data:`_FILE_SETTINGS`): editing the file
    changes the pages although the setting does not."""
    named = {}
    for name, plugin in config.plugins.items():
        for setting in _FILE_SETTINGS:
            path = getattr(plugin, "config", {}).get(setting)
            if path:
                try:
                    with open(path, "rb") as f:
                        named[f"{name} {setting}"] = hashlib.blake2b(f.read(), digest_size=20).hexdigest()
                except OSError as exc:
                    named[f"{name} {setting}"] = f"unreadable: {exc.strerror}"
    return named


def _nav(items: list[Any]) -> list[Any]:
    return [[type(i).__name__, i.title, getattr(i, "url", None), _nav(i.children or [])] for i in items]


def _stable(value: Any) -> Any:
    """A JSON form of a setting; an object whose text changes from run to run (an address) is refused."""
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    text = str(value)
    if " at 0x" in text:
        return type(value).__qualname__  # a callable: its code is in the versions and the code digest
    return text
