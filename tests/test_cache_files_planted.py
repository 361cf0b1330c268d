"""What stands in the cache folder in place of a file kaohe wrote never makes it wait or read elsewhere.

Whoever can write into the cache folder (or a restored CI cache) can put a pipe where kaohe keeps
a file (reading one waits for a writer that never comes) or a link to anything (a device such as
/dev/zero, read until memory runs out; another folder's file). Every reader of the cache opens
its files without following a link or waiting, and takes only regular files
(generator.cachedir.open_file): the entry is then made again, as a missing one is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from trees import PROVENANCE, assert_same_tree

from generator import cachedir, treeanswers
from generator.cli import main
from generator.render import keptyear
from generator.render.build import build_year

#: What is kaohe's own bookkeeping in the folder, read otherwise (the tag: checked as a regular file).
NOT_ENTRIES = {cachedir.TAG_NAME, ".gitignore"}


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(treeanswers, "RACY_NS", 0)  # files a test wrote count as old: entries are taken


class Hung(BaseException):
    """Not an OSError (a cache reader passes those over as a missing entry), nor any Exception."""


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a read of a pipe blocks in the kernel until the alarm interrupts it."""

    def expired(*_: object) -> None:
        raise Hung(f"still waiting after {seconds} s: a cache file was read as a pipe")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _fill(mini: Path, cache: Path, out: Path) -> list[Path]:
    """A build and a check that fill every kind of cache entry; the files they wrote."""
    build_year(mini, 2010, out, PROVENANCE, cache=cache, filing_dates=False)
    assert main(["check", "--repo", str(mini), "--cache-dir", str(cache)]) == 0
    files = [p for p in cache.rglob("*") if p.is_file() and p.name not in NOT_ENTRIES]
    kinds = {p.relative_to(cache).parts[0] for p in files}
    assert {"years", "parsed", "pages"} <= kinds, kinds  # the kept year, the parsed files, the page cache
    return files


def _again(mini: Path, cache: Path, out: Path, clean: Path) -> None:
    shutil.rmtree(out)
    with within(30):
        build_year(mini, 2010, out, PROVENANCE, cache=cache, filing_dates=False)
        code = main(["check", "--repo", str(mini), "--cache-dir", str(cache)])
    assert code == 0
    assert_same_tree(out, clean)


def test_a_pipe_in_place_of_any_cache_file_is_passed_over(mini: Path, tmp_path: Path):
    cache, out, clean = tmp_path / "cache", tmp_path / "site", tmp_path / "clean"
    build_year(mini, 2010, clean, PROVENANCE, filing_dates=False)
    files = _fill(mini, cache, out)
    for path in files:
        path.unlink()
        os.mkfifo(path)
    _again(mini, cache, out, clean)


def test_a_link_in_place_of_a_kept_year_is_not_followed(mini: Path, tmp_path: Path, monkeypatch):
    """The link leads to a copy of the very entry kaohe wrote: followed, it would be taken."""
    cache, out, clean = tmp_path / "cache", tmp_path / "site", tmp_path / "clean"
    build_year(mini, 2010, clean, PROVENANCE, filing_dates=False)
    _fill(mini, cache, out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in (cache / keptyear.FOLDER).iterdir():
        shutil.copy(path, elsewhere / path.name)
        path.unlink()
        path.symlink_to(elsewhere / path.name)
    loads = []
    real = keptyear.load_from_files
    monkeypatch.setattr(keptyear, "load_from_files", lambda *a, **k: loads.append(1) or real(*a, **k))
    _again(mini, cache, out, clean)
    assert loads == [1]  # loaded from the files, not from the linked entry


def test_a_link_to_a_device_reads_nothing(tmp_path: Path):
    link = tmp_path / "year.pickle"
    link.symlink_to("/dev/zero")
    with within(10), pytest.raises(OSError):
        cachedir.read_file(link)
    fifo = tmp_path / "index.json"
    os.mkfifo(fifo)
    with within(10), pytest.raises(OSError, match="not a regular file"):
        cachedir.read_file(fifo)


@pytest.mark.parametrize("command", [["check"], ["build", "--no-filing-dates"]])  # serve: the same cache_folder
def test_a_committed_link_in_place_of_the_cache_folder_is_refused(
    command: list[str], mini: Path, tmp_path: Path, kaohe, monkeypatch
):
    """A pull request committing `.kaohe-cache -> /tmp/…` made `kaohe check` create that folder
    outside the repository and write its entries there (and read any planted there)."""
    from conftest import init_git, said

    monkeypatch.delenv(cachedir.ENV, raising=False)
    outside = tmp_path / "shared" / "cache"
    (mini / cachedir.DEFAULT_NAME).symlink_to(outside)
    init_git(mini)
    run = kaohe(*command, "--repo", str(mini))
    assert run.code == 1, run.err
    link = mini.resolve() / cachedir.DEFAULT_NAME
    assert said("cache.default-link", link=link, target=str(outside), env=cachedir.ENV) in run.err
    assert not (tmp_path / "shared").exists()
    # named on purpose, a folder elsewhere is the user's choice
    assert kaohe("check", "--repo", str(mini), "--cache-dir", str(outside)).code == 0
    assert cachedir.is_cache(outside)
