"""Shortcuts taken for speed give what the general path gives: a finding's line, the command imported."""

from __future__ import annotations

import pytest

from generator.cli import command_named
from generator.load.findings import load_findings
from generator.problems import Problems
from generator.tree import FsTree

FINDING = 'id = "{id}"\nindicator = "i1"\nrule = "r"\ndate = 2020-01-01\nreason = {reason}\n'


def _lines(tmp_path, text: str) -> list[int]:
    path = "evidence/2020/u1/findings.toml"
    (tmp_path / "evidence/2020/u1").mkdir(parents=True)
    (tmp_path / path).write_text(text, encoding="utf-8")
    problems = Problems()
    findings = load_findings(FsTree(tmp_path), path, "u1", problems)
    assert not problems.errors
    return [f.source.line for f in findings]


def test_finding_lines_from_header_lines(tmp_path):
    text = "# comment\n\n[[finding]]\n" + FINDING.format(id="a", reason='"x"') + "\n[[finding]]\n"
    text += FINDING.format(id="b", reason='"y"')
    # headers on lines 3 and 3 + 1 + 5 (keys) + 1 (blank) = 10
    assert _lines(tmp_path, text) == [3, 10]


@pytest.mark.parametrize(
    "second_header",
    ["[[finding]]  # the second", "[[ finding ]]", '[["finding"]]'],
    ids=["comment", "spaces", "quoted"],
)
def test_finding_lines_of_headers_written_otherwise(tmp_path, second_header):
    text = "[[finding]]\n" + FINDING.format(id="a", reason='"x"') + second_header + "\n"
    text += FINDING.format(id="b", reason='"y"')
    # the second header follows the first (line 1) and its five keys: line 7
    assert _lines(tmp_path, text) == [1, 7]


def test_a_header_line_inside_a_multiline_string_is_not_a_finding(tmp_path):
    reason = '"""\n[[finding]]\n"""'  # three lines of text, one of them looking like a header
    # the real second header written otherwise: as many `[[finding]]` lines as findings, one in the string
    text = "[[finding]]\n" + FINDING.format(id="a", reason=reason) + "[[ finding ]]\n"
    text += FINDING.format(id="b", reason='"y"')
    # line 1, then five keys of which the reason spans three lines: the second header is line 9
    assert _lines(tmp_path, text) == [1, 9]


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["check"], "check"),
        (["--repo", "score", "check"], "check"),  # a repository named like a command
        (["--rep", "score", "check"], "check"),  # argparse's abbreviation of --repo
        (["--lang=en", "import", "x.docx"], "import_"),
        (["--lang", "en", "todo"], "todo"),
        (["--help", "check"], None),
        (["--ver"], None),
        (["chek"], None),  # unknown: every command is loaded, so argparse lists them all
        ([], None),
    ],
)
def test_the_command_to_import(argv, module):
    assert command_named(argv) == module


def test_what_a_frozen_pause_made_is_out_of_the_collectors_reach():
    """gc_paused(freeze=True): the objects made inside are frozen (no collection walks them), the
    collector runs again after, and a plain pause freezes nothing."""
    import gc

    from generator.gcpause import gc_paused

    gc.unfreeze()
    try:
        with gc_paused():
            plain = [[n] for n in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() == 0
        with gc_paused(freeze=True):
            kept = [[n] for n in range(1000)]
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() >= 1000 + 1  # the 1000 lists and the list holding them
        gc.disable()
        try:  # nested in a pause: frozen all the same, and the outer pause is left as it was
            with gc_paused(freeze=True):
                more = [[n] for n in range(10)]
            assert not gc.isenabled()
        finally:
            gc.enable()
        assert gc.get_freeze_count() >= 1000 + 1 + 10 + 1
        del plain, kept, more
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    "src_uri",
    ["units/u1.md", "evidence/2020/u1/a-b.md", "index.md", "a//b.md", "./a.md", "a/../b.md", "a/.hidden.md"],
)
def test_a_page_s_destination_is_mkdocs_own(tmp_path, src_uri):
    """The build's shortcut for a page's path in the site (engine._abs_dest_path) gives MkDocs' own
    ``File.abs_dest_path``: straight for a normal path, through MkDocs for any other."""
    from mkdocs.structure.files import File

    from generator.render.engine import _abs_dest_path

    site = tmp_path / "site"
    file = File(src_uri, str(tmp_path / "docs"), str(site) + "/", use_directory_urls=False)
    assert _abs_dest_path(str(site), file) == File(src_uri, None, str(site) + "/", False).abs_dest_path


def test_pages_are_dated_by_the_build_s_day(monkeypatch):
    """One reading of SOURCE_DATE_EPOCH dates every page (engine._build_date_read_once): the day
    MkDocs' own reading gives, and MkDocs' reading again after; unset, every page reads the clock."""
    from mkdocs import utils
    from mkdocs.structure import pages

    from generator.render.engine import _build_date_read_once

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262275200")  # 2009-12-31 16:00 UTC: 2010-01-01 in China, not in UTC
    with _build_date_read_once():
        assert pages.get_build_date() == utils.get_build_date() == "2009-12-31"
        assert pages.get_build_date is not utils.get_build_date
    assert pages.get_build_date is utils.get_build_date
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with _build_date_read_once():
        assert pages.get_build_date is utils.get_build_date


def test_the_search_plugin_s_jieba_is_imported_without_pkg_resources(tmp_path):
    """Loading the site configuration imports jieba without the deprecated pkg_resources (0.13 s),
    and jieba then finds its own dictionary: 考核结果 is cut into its two words."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from generator.render.build import PACKAGE_CONFIG, STATIC\n"
        "from generator.render.siteconfig import load_site_config\n"
        f"load_site_config(PACKAGE_CONFIG, docs_dir=str(STATIC), site_dir={str(tmp_path / 'site')!r})\n"
        "import jieba\n"
        "print('pkg_resources' in sys.modules, '/'.join(jieba.cut('考核结果')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "考核/结果"]


@pytest.mark.parametrize(
    "src_uri",
    [
        "units/u1.md",
        "evidence/2020/u1/a-b.md",
        "index.md",
        "a//b.md",
        "./a.md",
        "a/./b.md",
        "a/b/",
        "a/.",
        ".",
        "/a.md",
        "a/../b.md",
        "a/.hidden.md",
    ],
)
def test_a_page_file_s_path_is_mkdocs_own(tmp_path, src_uri):
    """kaohe's page files take a plain path as it is (plugin.PageFile) and parse any other as
    MkDocs' File does: the same src_uri, src_path and destination either way."""
    from mkdocs.structure.files import File

    from generator.render.plugin import PageFile

    ours, theirs = (kind(src_uri, None, str(tmp_path / "site"), use_directory_urls=False) for kind in (PageFile, File))
    assert (ours.src_uri, ours.src_path, ours.dest_uri) == (theirs.src_uri, theirs.src_path, theirs.dest_uri)


def test_a_build_walks_the_evidence_folder_once_to_plan_and_once_for_the_kept_year(kaohe, mini, tmp_path, monkeypatch):
    """The years and their organizations come from one walk of the working tree (the plan made
    one per year and one more for the years); the kept year's answers need a walk of their own,
    made after the build started (generator.treeanswers: what changed since)."""
    walked: list[str] = []
    real = FsTree._walk

    def walk(self, folder, rel, listing):
        if rel == "evidence":
            walked.append(rel)
        return real(self, folder, rel, listing)

    monkeypatch.setattr(FsTree, "_walk", walk)
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--cache-dir", str(cache))
    assert first.code == 0, first.err
    walked.clear()
    again = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--cache-dir", str(cache))
    assert again.code == 0, again.err
    assert walked == ["evidence", "evidence"]


def test_check_and_score_run_with_the_collector_paused_and_other_commands_do_not(kaohe, mini, monkeypatch):
    """`kaohe check` and `kaohe score` hold what they load until they end: no cyclic collection
    while they run (generator.cli._collector); once they return it runs again. Other commands
    (the build, the preview: long runs that make and drop pages) keep it."""
    import argparse
    import gc

    import generator.commands.check as check_command
    import generator.commands.score as score_command
    from generator.cli import _collector

    seen: dict[str, bool] = {}
    for name, module in [("check", check_command), ("score", score_command)]:
        real = module.run
        monkeypatch.setattr(
            module, "run", lambda args, real=real, name=name: (seen.update({name: gc.isenabled()}), real(args))[1]
        )
    assert kaohe("--repo", str(mini), "check").code == 0
    assert kaohe("--repo", str(mini), "score").code == 0
    assert seen == {"check": False, "score": False}
    assert gc.isenabled()
    with _collector(argparse.Namespace(command="build")):
        assert gc.isenabled()


def test_one_open_reads_what_a_plain_read_gives_with_the_stat_data_of_that_file(tmp_path):
    """FsTree.read_with_stat takes the stat data from the open file (fstat) instead of a stat by
    name: it must be the same numbers, and the bytes whole, also for a file larger than one read."""
    import os

    folder = tmp_path / "evidence/2020/u1"
    folder.mkdir(parents=True)
    small, large = folder / "a.md", folder / "b.md"
    small.write_bytes("+++\n正文\n".encode())
    large.write_bytes(bytes(range(256)) * (5 * 4096 + 7))  # 5 MB and a bit: more than the 1 MB later reads
    tree = FsTree(tmp_path)
    for path in (small, large):
        data, st = tree.read_with_stat(str(path.relative_to(tmp_path)))
        by_name = os.stat(path, follow_symlinks=False)
        assert data == path.read_bytes()
        assert (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (
            by_name.st_size,
            by_name.st_mtime_ns,
            by_name.st_ctime_ns,
            by_name.st_ino,
        )


def test_a_parsed_file_s_key_from_the_recorded_digest_follows_the_bytes(tmp_path):
    """Where the cache's recorder read the file, the parsed file's key comes from the digest of its
    bytes, not from hashing the text again: other bytes give another key, the same bytes the same."""
    import hashlib

    from generator.load.parsed import ParsedFiles
    from generator.treeanswers import Recorder

    path = "evidence/2020/u1/a.md"
    (tmp_path / "evidence/2020/u1").mkdir(parents=True)
    kept = ParsedFiles(tmp_path / "cache", 2020)

    def key_of(data: bytes) -> str:
        (tmp_path / path).write_bytes(data)
        recorder = Recorder(FsTree(tmp_path))
        text = recorder.read(path).decode("utf-8").replace("\r\n", "\n")
        return kept.key(path, text, recorder)

    lf = key_of(b'+++\nindicator = "i1"\n+++\n')
    assert key_of(b'+++\nindicator = "i1"\n+++\n') == lf
    assert key_of(b'+++\nindicator = "i2"\n+++\n') != lf
    # the same text from other bytes is another key (parsed once more), never a wrong one
    assert key_of(b'+++\r\nindicator = "i1"\r\n+++\r\n') != lf
    # a tree that records no digest (a revision's) keys by the path and the text
    text = '+++\nindicator = "i1"\n+++\n'
    by_text = hashlib.blake2b((path + "\0" + text).encode(), digest_size=20).hexdigest()
    assert kept.key(path, text, FsTree(tmp_path)) == by_text != lf
