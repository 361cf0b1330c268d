"""kaohe's page-by-page build writes what MkDocs' own `mkdocs build` writes, byte for byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build

from generator.provenance import Provenance
from generator.render import build as render_build
from generator.render.build import build_year

PROVENANCE = Provenance(commit="0" * 40, commit_date="2011-01-05T10:00:00+08:00", tag="results-2010", draft=False)


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_engine_writes_mkdocs_own_bytes(mini: Path, tmp_path: Path, monkeypatch):
    ours = build_year(mini, 2010, tmp_path / "ours", PROVENANCE)
    assert ours.pages > 10 and ours.rendered == ours.pages

    def mkdocs_own(config, *, cache=None, jobs=1):
        mkdocs_build(config)
        return 0, 0

    monkeypatch.setattr(render_build.engine, "build", mkdocs_own)
    theirs = build_year(mini, 2010, tmp_path / "theirs", PROVENANCE)
    assert theirs.warnings == ours.warnings == []
    files = tree(tmp_path / "ours")
    assert files == tree(tmp_path / "theirs") and len(files) > 50
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "ours", tmp_path / "theirs", files, shallow=False)
    assert mismatch == [] and errors == []


def test_a_jieba_dictionary_s_content_is_part_of_every_page_s_key(tmp_path: Path):
    """The search plugin's jieba dictionaries decide how every page's text is split into search
    words: a dictionary edited under the same name must not leave pages indexed the old way."""
    from types import SimpleNamespace

    from generator.render.engine import named_files

    words = tmp_path / "words.txt"
    words.write_text("党风廉政 10\n", encoding="utf-8")
    search = SimpleNamespace(config={"jieba_dict_user": str(words), "jieba_dict": None})
    config = SimpleNamespace(plugins={"material/search": search, "kaohe": SimpleNamespace(config={})})
    before = named_files(config)
    words.write_text("党风 10\n廉政 10\n", encoding="utf-8")
    after = named_files(config)
    assert list(before) == ["material/search jieba_dict_user"] and before != after
    words.unlink()
    assert named_files(config)["material/search jieba_dict_user"].startswith("unreadable")


def test_compiled_templates_are_kept_where_jinja_keeps_them_and_give_the_same_bytes(
    mini: Path, tmp_path: Path, monkeypatch
):
    """The first build compiles the theme's templates and keeps them in Jinja's own folder of the
    temporary directory (this user's alone); the next compiles none and writes the same bytes. A
    folder Jinja finds unsafe (a link, or another user's) is not used, and the build goes on."""
    import os
    import tempfile

    from jinja2 import Environment

    monkeypatch.delenv("CI", raising=False)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    cache = tmp_path / "cache"
    build_year(mini, 2010, tmp_path / "first", PROVENANCE, cache=cache)
    kept = temporary / f"_jinja2-cache-{os.getuid()}"
    assert len(list(kept.glob("__jinja2_*.cache"))) > 10
    compiled = []
    real = Environment._compile
    monkeypatch.setattr(Environment, "_compile", lambda self, *a: compiled.append(a[1]) or real(self, *a))
    build_year(mini, 2010, tmp_path / "second", PROVENANCE, cache=cache)
    assert compiled == [], compiled
    files = tree(tmp_path / "second")
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "first", tmp_path / "second", files, shallow=False)
    assert mismatch == [] and errors == [] and files == tree(tmp_path / "first")
    kept.rename(tmp_path / "elsewhere")  # a link where the folder was (anyone could have made it): refused
    kept.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    build_year(mini, 2010, tmp_path / "third", PROVENANCE, cache=cache)
    assert any(name.endswith("partials/language.html") for name in compiled)  # compiled again, not read
    assert tree(tmp_path / "third") == files


@pytest.mark.parametrize("where", ["CI", "no cache"])
def test_no_compiled_template_is_kept_in_ci_or_without_a_cache(mini: Path, tmp_path: Path, monkeypatch, where):
    """In CI (a self-hosted runner may run a pull request's job as the same user as the main
    branch's) and with --no-cache, nothing is compiled into, or read from, Jinja's folder."""
    import os
    import tempfile

    monkeypatch.setenv("CI", "true") if where == "CI" else monkeypatch.delenv("CI", raising=False)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    build_year(mini, 2010, tmp_path / "site", PROVENANCE, cache=tmp_path / "cache" if where == "CI" else None)
    assert not (temporary / f"_jinja2-cache-{os.getuid()}").exists()


def test_a_build_hands_back_to_the_collector_only_what_it_froze(mini: Path, tmp_path: Path):
    """`build_year` freezes the year it keeps (generator.gcpause) and unfreezes it when it ends. A
    program embedding kaohe that froze its own objects first keeps them frozen: CPython can only
    unfreeze everything, so then the build's objects stay frozen too."""
    import gc

    gc.unfreeze()
    build_year(mini, 2010, tmp_path / "alone", PROVENANCE)
    assert gc.get_freeze_count() == 0  # the build's own frozen objects are back with the collector

    embedder = [[n] for n in range(1000)]
    gc.freeze()
    try:
        build_year(mini, 2010, tmp_path / "embedded", PROVENANCE)
        assert not _collected(embedder)  # the embedder's objects were not unfrozen
    finally:
        gc.unfreeze()
    assert _collected(embedder)


def _collected(obj: object) -> bool:
    """Whether the collector looks at `obj` (a frozen object is in none of its generations)."""
    import gc

    return any(o is obj for o in gc.get_objects())
