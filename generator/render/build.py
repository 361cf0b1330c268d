"""Build the versioned results site: one MkDocs build per year, ``versions.json``, a root redirect.

Layout (what Material's version selector expects from mike, without mike's git branch; the
files are written by :mod:`generator.publish.layout`, which `kaohe publish` shares)::

    site/index.html        redirects to the latest year
    site/versions.json     [{"version": "2014", "title": "2014", "aliases": ["latest"]}, …]
    site/<year>/…          one year, built by MkDocs with the kaohe plugin
    site/<year>/kaohe-version.json   what the year was built from

:func:`build_site` writes into a temporary folder beside ``site/`` and swaps it in at the end, so
a failed build leaves the previous site as it was. Output is reproducible: no build time is
written (dates come from SOURCE_DATE_EPOCH, pinned to the commit) and every listing is sorted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from ..problems import InputError
from ..provenance import Provenance

PACKAGE_CONFIG = Path(__file__).parent / "mkdocs.yml"
STATIC = Path(__file__).parent / "static"


class BuildFailed(InputError):
    """A year did not build: the MkDocs or input messages say why."""


class _Collect(logging.Handler):
    """Keeps the warnings (and errors) MkDocs logs during one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


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
    """Pin every date MkDocs might write to the commit's date (or the year's end for a draft)."""
    from datetime import UTC, datetime

    stamp = provenance.commit_date or f"{year}-12-31T00:00:00+00:00"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(year, 12, 31, tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
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
) -> list[str]:
    """Build one year of the repository at source_root into out_dir with MkDocs + the kaohe plugin; return warnings.

    `config_file` is the MkDocs configuration to use (default: the package's own, which the
    repository's mkdocs.yml inherits); its docs_dir and site_dir are replaced. With `strict`, any
    warning fails the build (:class:`BuildFailed`). `filing_dates` False scores without late filing;
    `history` is the (repository, commit) whose git history dates the evidence of a copy outside git.
    """
    config_path = config_file or PACKAGE_CONFIG
    try:
        config = load_config(config_file=str(config_path), docs_dir=str(STATIC), site_dir=str(out_dir), strict=strict)
    except (ConfigurationError, Abort) as exc:
        raise BuildFailed(f"{config_path}: {exc}") from exc
    plugin = config.plugins.get("kaohe")
    if plugin is None:
        raise BuildFailed(f"{config_path}: the kaohe plugin is not enabled (plugins: [kaohe, search])")
    plugin.config["root"] = str(source_root)
    plugin.config["year"] = year
    plugin.provenance = provenance
    plugin.config["filing_dates"] = filing_dates
    plugin.history = history
    with _collect_warnings() as collected, _source_date(provenance, year):
        try:
            mkdocs_build(config)
        except (Abort, PluginError, ConfigurationError) as exc:
            detail = "\n".join(collected.messages)
            raise BuildFailed(f"building {year} failed: {exc}" + (f"\n{detail}" if detail else "")) from exc
    return list(collected.messages)


# -- the versioned layout (shared with `kaohe publish`: generator.publish.layout) ----------------


def write_version_index(site_root: Path) -> None:
    """Write site/versions.json and site/index.html (a redirect to the latest year) from the year stamps."""
    from ..publish.layout import published_versions, root_files

    for name, text in root_files(published_versions(site_root)).items():
        (site_root / name).write_text(text, encoding="utf-8")


def build_site(
    source_root: Path,
    site_dir: Path,
    years: list[int],
    provenance_for,
    *,
    strict: bool = True,
    config_file: Path | None = None,
    log=None,
    filing_dates: bool = True,
) -> dict[int, list[str]]:
    """Build `years` into `site_dir` atomically: a failed build leaves the previous site untouched.

    `provenance_for(year)` gives each year's :class:`Provenance`. Version folders of other years
    already in `site_dir` (published finals among them) are carried over unchanged, byte for byte.
    Returns the warnings per year.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    warnings: dict[int, list[str]] = {}
    try:
        for year in sorted(years):
            if log:
                log(f"building {year} …")
            provenance = provenance_for(year)
            warnings[year] = build_year(
                source_root,
                year,
                staging / str(year),
                provenance,
                strict=strict,
                config_file=config_file,
                filing_dates=filing_dates,
            )
        _carry_over(site_dir, staging, {str(y) for y in years})
        write_version_index(staging)
        _swap(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return warnings


def _carry_over(site_dir: Path, staging: Path, rebuilt: set[str]) -> None:
    """Keep the version folders this build does not rebuild (hard links where the filesystem allows)."""
    if not site_dir.is_dir():
        return
    for child in sorted(site_dir.iterdir()):
        if child.is_dir() and child.name.isdigit() and child.name not in rebuilt:
            try:
                shutil.copytree(child, staging / child.name, copy_function=os.link)
            except OSError:
                shutil.rmtree(staging / child.name, ignore_errors=True)
                shutil.copytree(child, staging / child.name)


def _swap(staging: Path, site_dir: Path) -> None:
    """Put `staging` in place of `site_dir` with two renames; the old site is removed last."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is readable
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
        os.rmdir(old)
        os.rename(site_dir, old)
    try:
        os.rename(staging, site_dir)
    except OSError:
        if old is not None:
            os.rename(old, site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
