"""kaohe's page-by-page build writes what MkDocs' own `mkdocs build` writes, byte for byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

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
