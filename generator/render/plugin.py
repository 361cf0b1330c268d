"""The MkDocs plugin ``kaohe``: a thin layer that hands the pages of :mod:`.pages` to MkDocs.

It loads and scores one assessment year, adds every page as a generated file (never writing into
``docs_dir``, so ``mkdocs serve`` does not loop), and fills each page's HTML when MkDocs asks for
it. Pages are rendered lazily and skip Python-Markdown: the HTML is built from the results model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..cachedir import code_digest
from ..controlchars import isolate
from ..messages import Labels, language, tr
from ..model import Assessment
from ..problems import InputError
from ..provenance import Provenance
from ..sourceurl import check_template
from ..tree import regular_file
from . import keptyear
from .forked import in_child
from .labels import THEME_LANGUAGE, labels
from .pagecache import PageCache
from .pagekinds import PAGE_KINDS, PageSpec
from .pagekinds.progress import build_date
from .pages import SEARCH_END, PageContext, Site
from .urls import plain_path
from .years import LoadedYear

log = logging.getLogger("mkdocs.plugins.kaohe")

OVERRIDES = Path(__file__).parent / "overrides"

#: Pages listed in a section of the navigation (the units' sheets), at most. Every page renders the
#: whole navigation, so a long list costs time on every one of tens of thousands of evidence pages;
#: the overview lists every unit anyway.
NAV_UNITS = 30


#: A table cell closed right before the next one opens (kaohe's templates write a row's cells on one
#: line), or a span or link right before the next (a deduction's references: 认定 date, then 细则).
_CELLS_TOUCHING = re.compile(r"(</(?:t[dhr]|span|a)>)(?=<(?:t[dhr]|span|a)[\s>])")


def search_text(html: str) -> str:
    """`html` as the search index should read it: a space between table cells, spans and links that touch.

    Material's search keeps a page's text, not its layout: cells written without whitespace between
    them ran together in a result's summary ("总分满分失分加分 101.661000.3421 / 4" for 101.66, 100,
    0.34, 2 and 1 / 4), and so did a deduction's references ("认定：办公室 2014-03-21细则"). The page
    itself keeps its bytes; only what the index reads gets the space."""
    return _CELLS_TOUCHING.sub(r"\1 ", html)


def html_text(text: str) -> Markup:
    """Escape text for MkDocs' and Material's templates, which print titles and names as HTML.

    Evidence titles and unit names come from many contributors: unescaped, a title such as
    ``<img src=x onerror=…>`` would run in the page header and the navigation. Returned as Markup,
    so the templates that print the value through Jinja's ``e`` filter (the logo's ``title``, the
    footer's labels) leave it as it is instead of escaping it a second time ("&amp;#39;"). Isolated
    (:func:`.controlchars.isolate`) like every value of kaohe's own pages: a title in Hebrew or
    with a bidi override cannot reorder the header or the navigation after it.
    """
    return escape(isolate(text))


def navigation(site: Site, t: Labels) -> list[Any]:
    """The page kinds that have a place in the navigation, in its order (see :mod:`.pagekinds`)."""
    pages = site.pages()
    nav: list[Any] = []
    placed = sorted(((k.nav, k.name) for k in PAGE_KINDS.values() if k.nav), key=lambda n: n[0].order)
    for place, name in placed:
        entries = [{html_text(p.title): p.src_uri} for p in pages if p.kind == name]
        if not entries:
            continue  # a year without periods has no 各期考核 section
        if place.group is None:
            nav += entries
        elif len(entries) <= NAV_UNITS:
            nav.append({t[place.group]: entries})
    return nav


class KaoheConfig(Config):
    root = c.Optional(c.Type(str))  # repository folder; default: found from mkdocs.yml's folder upward
    year = c.Optional(c.Type(int))  # assessment year; default: the latest under evidence/
    lang = c.Choice(("zh", "en"), default="zh")  # interface language
    source_url = c.Optional(c.Type(str))  # e.g. https://git.example/org/kaohe/src/commit/{commit}/{path}#L{line}
    filing_dates = c.Type(bool, default=True)  # false: score without late filing where git history is missing


class PageFile(File):
    """The file of one of kaohe's pages, whose plain path is taken as it is (:func:`.urls.plain_path`)."""

    @property
    def src_path(self) -> str:
        return os.path.normpath(self.src_uri)

    @src_path.setter
    def src_path(self, value: str) -> None:
        self.src_uri = value if plain_path(value) else PurePath(value).as_posix()


class KaohePlugin(BasePlugin[KaoheConfig]):
    """Generate a year's overview, score sheets, indicator, framework and evidence pages."""

    #: Set by :func:`generator.render.build.build_year`; plain `mkdocs build` builds a draft.
    provenance: Provenance | None = None
    #: (repository, commit) whose history dates the evidence, when the build reads a copy outside git.
    history: tuple[Path, str] | None = None
    #: kaohe serve makes a workbook or a page's CSV table when it is asked for (making all of them
    #: takes seconds at province scale).
    workbooks_on_request = False
    #: The page cache of a build (set by generator.render.build): the year's workbooks and tables are
    #: kept in it beside the pages.
    cache: PageCache | None = None
    #: kaohe serve hands over the year it loaded again from what it kept in memory (and the previous
    #: year), instead of this plugin loading it from the files.
    preloaded: tuple[LoadedYear, Assessment | None] | None = None
    #: The cache folder of a build (set by generator.render.build): the year loaded is kept there
    #: for the next build (:mod:`.keptyear`).
    kept_years: Path | None = None
    #: kaohe serve: a year loaded from the files is kept by a forked child (:mod:`generator.apart`),
    #: so that the first page is served without waiting for it.
    keep_apart = False

    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.specs: dict[str, PageSpec] = {}
        self.root: Path | None = None
        self.default_site_dir = False
        self.held_back: dict[str, str] = {}  # page → its full HTML while search indexes the searchable part
        #: The previous year (None: no comparable year); kaohe serve builds the Site again from it.
        self.previous: Assessment | None = None
        #: Where the year came from when the build keeps years (:mod:`.keptyear`).
        self.lineage = keptyear.Lineage(None, None)

    # -- configuration ---------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        logging.getLogger("jieba").setLevel(logging.WARNING)  # its dictionary-loading chatter is not news
        config_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        try:
            if self.config.source_url:
                check_template(self.config.source_url, "mkdocs.yml, plugins: kaohe: source_url")
            if self.preloaded is not None:
                loaded, self.previous = self.preloaded
            else:
                start, c = self.config.root or str(config_dir), self.config
                (loaded, self.previous), self.lineage = keptyear.load(
                    self.kept_years, start, c.year, c.filing_dates, self.history, c.lang, self.keep_apart
                )
        except InputError as exc:
            raise PluginError(tr("plugin.refused", error=exc)) from exc
        for message in loaded.warnings:
            log.info(message)  # `kaohe check` reports input warnings; they do not stop the site
        self.root = loaded.root
        assessment, results = loaded.assessment, loaded.results
        # kaohe build / publish hand over a finished provenance; a plain `mkdocs build` builds a working-tree draft
        provenance = self.provenance or Provenance(source_url=self.config.source_url)
        self.site = Site(
            assessment,
            results,
            provenance,
            self.config.lang,
            self.previous,
            loaded.period_results,
            built=build_date(provenance),
        )
        self.site.content = self.lineage.content
        t = labels(self.config.lang)

        config.site_name = html_text(self.site.title())
        config.use_directory_urls = False  # links are computed for page.html (see urls.py)
        config.theme["language"] = THEME_LANGUAGE[self.config.lang]
        config.theme.dirs.insert(0, str(OVERRIDES))
        # sitemap.xml stays: Material's version selector reads it to open the same page in another year;
        # its dates come from SOURCE_DATE_EPOCH, which builds pin to the commit's date
        # 404.html needs absolute links (site_url), which a year's folder cannot know: the server's own 404 serves
        config.theme.static_templates.discard("404.html")
        config.extra["kaohe_banner"] = self.site.banner()
        config.extra.setdefault("version", {"provider": "mike"})
        if config.nav is None:
            config.nav = navigation(self.site, t)
        for folder in ("frameworks", "evidence"):
            path = str(loaded.root / folder)
            if os.path.isdir(path) and path not in config.watch:
                config.watch.append(path)
        if self.provenance is None:  # a plain `mkdocs build` or `mkdocs serve`: MkDocs empties site_dir next
            self._claim_site_dir(config, config_dir, assessment.year)
        return config

    def _claim_site_dir(self, config: MkDocsConfig, config_dir: Path, year: int) -> None:
        """Build into site/<organization>/<year> (beside the organization's other years) instead of MkDocs'
        site/, after publishing's checks; a site_dir set elsewhere (`-d FOLDER`) is a preview of this year alone."""
        from ..publish import direct  # the publishing rules for builds kaohe does not start

        assert self.root is not None and self.site is not None
        default_site = config_dir / "site"
        try:
            if os.path.normpath(config.site_dir) == os.path.normpath(default_site):
                self.default_site_dir = True
                folder = direct.claim_year_folder(self.root, default_site, year, self.site.organization)
                config.site_dir = str(folder)
            else:
                direct.claim_preview_folder(self.root, Path(config.site_dir))
        except InputError as exc:
            raise PluginError(tr("plugin.refused", error=exc)) from exc

    # -- files and pages -------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.root is not None
        self.specs = {}
        flat = not config.use_directory_urls  # page.html, as on_config sets it
        for spec in self.site.pages():
            inclusion = InclusionLevel.INCLUDED if PAGE_KINDS[spec.kind].nav else InclusionLevel.NOT_IN_NAV
            if spec.src_uri in files.src_uris:
                raise PluginError(tr("plugin.page-exists", page=spec.src_uri))
            file = PageFile.generated(config, spec.src_uri, content="", inclusion=inclusion)
            uri = file.src_uri
            if flat and uri.endswith(".md") and not uri.endswith("README.md"):
                file.dest_uri = uri[:-3] + ".html"  # MkDocs' rule, without splitting 30,000 paths
            files.append(file)
            self.specs[spec.src_uri] = spec
        if self.workbooks_on_request:  # made when asked for (see generator.render.preview); listed here
            for site_path in self.site.download_paths(list(self.specs.values())):
                files.append(File.generated(config, site_path, content=""))
        else:
            units = [None, *(u.id for u in self.site.results.units)]
            keys = self._file_keys(config, ["tables", *(f"workbook {u or ''}" for u in units)])
            for site_path, text in self._tables(keys.get("tables")):
                files.append(File.generated(config, site_path, content=text))
            for site_path, content in self._workbooks(config, units, keys):
                files.append(File.generated(config, site_path, content=content))
        for site_path, repo_path in self.site.attachments():
            # never through a link: only a regular file inside the repository is copied into the site
            if regular_file(self.root, repo_path) and files.get_file_from_path(site_path) is None:
                files.append(File.generated(config, site_path, abs_src_path=str(self.root / repo_path)))
        return files

    def _tables(self, key: str | None) -> list[tuple[str, str]]:
        """Every page's table as CSV (:meth:`.pages.Site.downloads`), from the page cache when the year is unchanged."""
        assert self.site is not None
        try:
            return [(path, text) for path, text in json.loads(self._kept(key) or b"null")]
        except (ValueError, TypeError):  # not kept (json null), or not as it was written: make them again
            tables = self.site.downloads()
            self._keep(key, json.dumps(tables).encode("ascii"))
            return tables

    def _workbooks(
        self, config: MkDocsConfig, units: list[str | None], keys: dict[str, str]
    ) -> list[tuple[str, bytes]]:
        """The year's workbook and each unit's, as `kaohe export` writes them (linked from the overview
        and sheets), from the page cache when the year is unchanged."""
        from . import urls

        made = {u: data for u in units if (data := self._kept(keys.get(f"workbook {u or ''}"))) is not None}
        missing = [u for u in units if u not in made]
        if missing:
            # XlsxWriter holds every cell of a workbook until it is closed (+320 MB at 100,000 evidence
            # files, kept by CPython's arenas once freed, and inherited by every render worker)
            books = in_child(lambda: [self.workbook(config, unit) for unit in missing])
            for u, data in zip(missing, books, strict=True):
                made[u] = data
                self._keep(keys.get(f"workbook {u or ''}"), data)
        return [(urls.download(u), made[u]) for u in units]

    def _kept(self, key: str | None) -> bytes | None:
        return self.cache.read(key) if self.cache is not None and key else None

    def _keep(self, key: str | None, data: bytes) -> None:
        if self.cache is not None and key:
            self.cache.write(key, data)

    def _file_keys(self, config: MkDocsConfig, names: list[str]) -> dict[str, str]:
        """The page-cache keys of files made from the whole year (workbooks, tables): kaohe's code, the
        libraries, the language, the site's address, what every page shares and the year
        (:attr:`.pages.Site.year_key`), made once for all of them. Empty without a cache, or when the
        year cannot be keyed."""
        assert self.site is not None
        if self.cache is None or self.site.year_key is None:
            return {}
        from importlib import metadata

        shared = repr(
            (
                code_digest(),
                sys.version,
                metadata.version("xlsxwriter"),
                self.config.lang,
                config.site_url or "",
                self.site.shared_inputs(),
                self.site.year_key,
            )
        )
        return {name: hashlib.blake2b(f"{name}\x1f{shared}".encode(), digest_size=20).hexdigest() for name in names}

    def workbook(self, config: MkDocsConfig, unit: str | None = None) -> bytes:
        """The year's workbook, or the unit `unit`'s, from the current results (kaohe serve asks for one)."""
        import dataclasses

        from ..output.xlsx import workbook

        assert self.site is not None
        results, framework = self.site.results, self.site.framework
        if unit is not None:
            results = dataclasses.replace(results, units=[u for u in results.units if u.id == unit])
        with language(self.config.lang):  # the site's language, whoever builds it
            return workbook(results, framework, site_url=config.site_url or None)

    # -- what the page cache keys pages by (see generator.render.engine) ---------------------------

    def shared_inputs(self) -> str:
        """What every page shares; also makes the year's key here, once, before the render workers
        are forked (each would otherwise make it again)."""
        assert self.site is not None
        _ = self.site.year_key
        return self.site.shared_inputs()

    def page_inputs(self, src_uri: str) -> str | None:
        """The inputs of a page, without rendering it: those its kind declares (evidence pages), else
        the whole year's (:attr:`.pages.Site.year_key`); None when the year's cannot be written down."""
        assert self.site is not None
        spec = self.specs[src_uri]
        kind = PAGE_KINDS[spec.kind]
        if kind.inputs is not None:
            inputs = kind.inputs(PageContext(self.site, src_uri), spec.key)
        else:
            inputs = self.site.year_key
        return None if inputs is None else repr((spec.kind, spec.title, spec.key, inputs))

    def fragment_inputs(self, page: Page) -> str:
        """A rendered page's inputs: its HTML from the results model and its metadata."""
        content = self.held_back.get(page.file.src_uri, page.content)
        return repr((sorted(page.meta.items()), content))

    def kept_from(self) -> str | None:
        """What the page list of an earlier build must be made from for its keys to hold in this
        build, but for the pages :meth:`may_differ` names: the kept year this build started from
        and the year's key. None: no page list holds."""
        assert self.site is not None
        before, year = self.lineage.before, self.site.year_key
        return None if before is None or year is None else f"{before} {year}"

    def made_from(self) -> str | None:
        """What this build's page list is made from (what :meth:`kept_from` of a later build compares)."""
        assert self.site is not None
        after, year = self.lineage.after, self.site.year_key
        return None if after is None or year is None else f"{after} {year}"

    def may_differ(self, src_uri: str) -> bool:
        """Whether the page `src_uri` may show something the year's key does not cover while the
        year is the one :meth:`kept_from` names: a kind with inputs of its own (the review's 公文页),
        unless it is an evidence page whose file was not read again."""
        spec = self.specs[src_uri]
        if PAGE_KINDS[spec.kind].inputs is None:
            return False
        return spec.kind != "evidence" or spec.key in self.lineage.changed

    def release(self, page: Page) -> None:
        """Forget a page that is not built after all (the cache had it)."""
        self.held_back.pop(page.file.src_uri, None)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta["title"] = html_text(spec.title)
        page.meta["hide"] = ["toc"]  # the pages carry their own tables of contents; give the tables the width
        boost = PAGE_KINDS[spec.kind].search_boost
        if boost != 1:
            page.meta["search"] = {"boost": boost}
        return ""  # the HTML comes from the results model in on_page_content; nothing to parse

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None or self.site is None:
            return html
        content = self.site.render(spec)
        searchable, marker, _ = content.partition(SEARCH_END)
        if marker:
            content = content.replace(SEARCH_END, "", 1)
        # Search indexes page.content next (on_page_context); show it only the searchable part (an
        # evidence file's title and summary, a sheet's totals, an indicator's wording), so bodies and
        # long tables are neither parsed nor stored for the index, with its cells apart
        # (:func:`search_text`), and restore the page after it.
        indexed = search_text(searchable)
        if indexed == content:
            return content
        self.held_back[page.file.src_uri] = content
        return indexed

    @event_priority(-100)  # after the search plugin's on_page_context
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        content = self.held_back.pop(page.file.src_uri, None)
        if content is not None:
            page.content = content
        return context

    @event_priority(-100)  # after the search plugin has written its index: the year's list of files names it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is None or self.provenance is not None:
            return  # kaohe build / publish stamp the years they build themselves
        from ..publish import direct

        direct.finish_year_folder(
            Path(config.site_dir),
            self.site.provenance,
            self.site.year,
            self.site.framework.id,
            self.site.organization,
            versioned=self.default_site_dir,
            lang=self.config.lang,
        )
