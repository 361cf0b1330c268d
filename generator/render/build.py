"""Render one assessment year into a folder with MkDocs and the kaohe plugin; nothing else.

Where the folder lives, what it replaces, and the stamp that says what it was built from are
publishing's business (:mod:`generator.publish`), which calls :func:`build_year` and nothing
else of the renderer. Output is reproducible: no build time is written (dates come from
SOURCE_DATE_EPOCH, pinned to the commit) and every listing is sorted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..cachedir import claim
from ..gcpause import thawed_after
from ..lifecycle import site_stage
from ..load import parsed
from ..messages import DEFAULT, tr
from ..problems import InputError
from ..provenance import Provenance
from . import engine
from .pagecache import PageCache, SearchLost
from .siteconfig import PACKAGE_CONFIG, load_site_config

STATIC = Path(__file__).parent / "static"


class BuildFailed(InputError):
    """A year did not build: the MkDocs or input messages say why."""


@dataclass(frozen=True)
class Rendered:
    """What a build of one year produced besides its files."""

    framework: str  # the framework id the year is assessed against
    warnings: list[str]
    stage: str = "草稿"  # the stage its banner shows (generator.lifecycle.site_stage)
    rendered: int = 0  # pages rendered; the others came from the page cache unchanged
    pages: int = 0
    lang: str = DEFAULT  # the language of its pages (the plugin's `lang`): the version selector's titles follow it


def _refusal(exc: BaseException) -> InputError | None:
    """The refusal of kaohe's own (an input with problems, a site folder it may not write) that
    stopped MkDocs, found through the errors MkDocs wrapped it in; None for MkDocs' own failures.

    Worded as the refusal, the clerk reads it as `kaohe score` prints it: each problem on its own
    line. Worded through MkDocs' wrappers, it read "构建中出错，已停止\\n错误：kaohe：…" on one line,
    with the problems' line breaks shown as \\n."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, InputError):
            return seen
        seen = seen.__cause__
    return None


class _Collect(logging.Handler):
    """Keeps the warnings (and errors) MkDocs logs during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        level = tr("severity.warning" if record.levelno < logging.ERROR else "severity.error")
        self.messages.append(tr("build.log", level=level, message=record.getMessage()))


@contextlib.contextmanager
def _collect_warnings() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _source_date(provenance: Provenance, year: int) -> Iterator[None]:
    """Pin every date MkDocs might write to the commit's date. A working-tree draft keeps a
    SOURCE_DATE_EPOCH its caller set (a nightly draft's date: its progress pages are as of that
    day), else takes the year's end."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = provenance.commit_date or f"{year}-12-31T00:00:00+00:00"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(year, 12, 31, tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    kept = provenance.commit is None and old is not None and old.isdigit()
    os.environ["SOURCE_DATE_EPOCH"] = old if kept else str(int(moment.timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def build_year(
    source_root: Path,
    year: int,
    out_dir: Path,
    provenance: Provenance,
    *,
    strict: bool = True,
    config_file: Path | None = None,
    filing_dates: bool = True,
    history: tuple[Path, str] | None = None,
    cache: Path | None = None,
    jobs: int = 1,
    lang: str | None = None,
) -> Rendered:
    """Build one year of the repository at source_root into out_dir with MkDocs + the kaohe plugin.

    `config_file` is the MkDocs configuration to use (default: the package's own, which the
    repository's mkdocs.yml inherits), read without running anything it names; its docs_dir and
    site_dir are replaced. Source links use the provenance's link template, else the configuration's.
    With `strict`, any warning fails the build (:class:`BuildFailed`). `filing_dates` False scores
    without late filing; `history` is the (repository, commit) whose git history dates the evidence
    of a copy outside git. `cache` is the cache folder (:mod:`generator.cachedir`) whose unchanged
    pages are reused; `jobs` the processes that render pages. `lang` replaces the configuration's
    language (a commit's snapshot is built with kaohe's own configuration, in the language of the
    commit's mkdocs.yml).
    """
    # what the build freezes out of the collector's reach (the kept year, the page cache's index:
    # generator.gcpause) is garbage once it ends; `kaohe build` builds every year in one process
    with thawed_after():
        return _build_year(
            source_root, year, out_dir, provenance, strict, config_file, filing_dates, history, cache, jobs, lang
        )


def _build_year(
    source_root: Path,
    year: int,
    out_dir: Path,
    provenance: Provenance,
    strict: bool,
    config_file: Path | None,
    filing_dates: bool,
    history: tuple[Path, str] | None,
    cache: Path | None,
    jobs: int,
    lang: str | None,
) -> Rendered:
    config_path = config_file or PACKAGE_CONFIG
    try:
        config = load_site_config(config_path, docs_dir=str(STATIC), site_dir=str(out_dir), strict=strict)
    except (ConfigurationError, Abort) as exc:
        raise BuildFailed("build.config-refused", config=config_path, error=exc) from exc
    plugin = config.plugins.get("kaohe")
    if plugin is None:
        raise BuildFailed("build.no-plugin", config=config_path)
    plugin.config["root"] = str(source_root)
    plugin.config["year"] = year
    if lang is not None:
        plugin.config["lang"] = lang
    # the link template: the caller's (kaohe publish --source-url), else the site configuration's
    plugin.provenance = dataclasses.replace(provenance, source_url=provenance.source_url or plugin.config.source_url)
    plugin.config["filing_dates"] = filing_dates
    plugin.history = history
    pages = PageCache(cache, str(year)) if cache is not None and claim(cache) else None
    plugin.cache = pages
    kept = cache if pages is not None else None  # a cache that could be claimed
    plugin.kept_years = kept
    try:
        with _collect_warnings() as collected, _source_date(provenance, year), parsed.kept_in(kept):
            try:
                rendered, total = engine.build(config, cache=pages, jobs=jobs)
            except (Abort, PluginError, ConfigurationError) as exc:
                refusal = _refusal(exc)
                if refusal is not None:  # kaohe's own refusal says it all, on its own lines
                    raise BuildFailed("build.failed", year=year, error=refusal, detail="") from exc
                detail = "".join("\n" + m for m in collected.messages)
                raise BuildFailed("build.failed", year=year, error=exc, detail=detail) from exc
        if pages is not None:
            pages.save()
    except SearchLost:
        raise BuildFailed("cache.search-lost", folder=cache) from None
    stage = site_stage(plugin.site.a, plugin.provenance.draft).name
    return Rendered(plugin.site.framework.id, list(collected.messages), stage, rendered, total, plugin.config.lang)
