"""`kaohe build` reads mkdocs.yml without running anything a pull request put in it.

The corpus ``tests/bad_inputs/site_configs/<case>/`` holds hostile site configurations (and the
files they would run). Each is laid over a copy of the mini repository and built: the build is
refused at the exact line and column with a stable code, and the file the payload would create
(``pwned-by-mkdocs-yml``, in the repository, where the build runs) never appears.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from safety_support import refusal

CORPUS = Path(__file__).resolve().parent / "bad_inputs/site_configs"
PAYLOAD = "pwned-by-mkdocs-yml"

#: case → (code, line, column) of the refusal, counted by hand in the case's mkdocs.yml.
CASES = {
    "python-apply": ("site.config-python-tag", 5, 16),
    "python-name": ("site.config-python-tag", 4, 16),
    "python-new": ("site.config-tag", 3, 6),  # outside markdown_extensions no Python name at all
    "env-tag": ("site.config-tag", 3, 12),
    "hooks": ("site.config-hooks", 5, 1),
    "custom-dir": ("site.config-custom-dir", 4, 3),
    "plugin": ("site.config-plugin", 5, 5),
    "extension": ("site.config-plugin", 4, 5),
    "inherit-outside": ("site.config-inherit-outside", 1, 10),
    "syntax": ("site.config-syntax", 3, 8),
    # settings a repository may not set, or values that would reach every page as code
    "copyright-html": ("site.config-value", 3, 12),
    "analytics": ("site.config-setting", 4, 3),  # extra.analytics: extra holds the version selector only
    "extra-javascript": ("site.config-setting", 3, 1),
    "nav": ("site.config-setting", 3, 1),
    "repo-url": ("site.config-setting", 3, 1),
    "theme-logo-url": ("site.config-value", 5, 9),
    "site-url-quote": ("site.config-value", 3, 11),
    "extra-css-url": ("site.config-value", 5, 5),
    "snippets": ("site.config-plugin", 4, 5),
    "inherit-cycle": ("site.config-inherit-cycle", 2, 10),
    # at the INHERIT that names the missing file, not at the missing file's own 1:1 as 不是普通文件
    "inherit-missing": ("site.config-inherit-missing", 2, 10),
    "no-inherit": ("site.config-not-kaohes", 1, 1),
    "theme-palette": ("site.config-value", 6, 14),
    # what the first round of checks read differently from YAML (a second review's findings)
    "merge-tag": ("site.config-key", 3, 3),
    "binary-value": ("site.config-tag", 5, 14),
    "duplicate-plugins": ("site.config-duplicate", 6, 1),
    "icon-css": ("site.config-value", 7, 7),
    "jieba-dict": ("site.config-setting", 6, 7),
    "alias-bomb": ("site.config-alias", 3, 8),  # at the settings used again (where the anchor is)
    # a third review: what MkDocs gets after merging differed from each file's text
    "offline-plugin": ("site.config-plugin", 6, 5),
    "theme-string": ("site.config-not-kaohes", 1, 1),
    "font-string": ("site.config-value", 1, 1),
    "python-font": ("site.config-tag", 5, 9),
    "toc-title": ("site.config-value", 5, 14),
    "deep-nesting": ("site.config-syntax", 1, 1),
    # a bidi control the footer printed as it is: refused as in any TOML value, at the value's start
    "copyright-bidi": ("text.bidi-control", 3, 12),
}


def test_every_case_in_the_corpus_is_listed():
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_a_hostile_site_configuration_is_refused_and_runs_nothing(case: str, tmp_path: Path, kaohe, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    shutil.copytree(ROOT / "generator/render", repo / "generator/render")  # what INHERIT names
    shutil.copytree(CORPUS / case, repo, dirs_exist_ok=True)
    (tmp_path / "secrets.yml").write_text("site_name: 机密\n", encoding="utf-8")
    monkeypatch.chdir(repo)  # where a payload would write, and (for `python -m`) where imports are found
    result = kaohe("build", "--site-dir", str(tmp_path / "site"))
    code, line, col = CASES[case]
    assert result.code == 1, result.err
    assert f"{repo / 'mkdocs.yml'}:{line}:{col}: " in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert refusal("build", "--site-dir", str(tmp_path / "site")).code == code
    assert not list(tmp_path.rglob(PAYLOAD))  # the command, hook, template or import never ran
    assert not (tmp_path / "site").exists()


def test_the_sites_own_configuration_and_its_python_names_are_read(tmp_path: Path):
    from generator.render.siteconfig import PACKAGE_CONFIG, read_yaml

    package = read_yaml(PACKAGE_CONFIG)
    slugify = package["markdown_extensions"][0]["toc"]["slugify"]
    assert callable(slugify) and slugify("考核 结果", "-") == "考核-结果"  # pymdownx.slugs.slugify(case="lower")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {PACKAGE_CONFIG}\nmarkdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: x\n          class: x\n          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        encoding="utf-8",
    )
    merged = read_yaml(config)
    assert merged["site_name"] == "kaohe"  # inherited
    fence = merged["markdown_extensions"][0]["pymdownx.superfences"]["custom_fences"][0]["format"]
    assert fence.__name__ == "fence_code_format"


@pytest.mark.parametrize(
    "case",
    [
        "copyright-html",
        "copyright-bidi",
        "nav",
        "extra-css-url",
        "python-apply",
        "inherit-cycle",
        "inherit-missing",
        "no-inherit",
    ],
)
def test_kaohe_check_reports_what_a_build_would_refuse_in_mkdocs_yml(case: str, tmp_path: Path, kaohe):
    """A pull request's mkdocs.yml fails its check before review, at the same line and column as the
    build's refusal, in the working tree and at the commit (`--rev`, what CI checks)."""
    from conftest import init_git

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    shutil.copytree(ROOT / "generator/render", repo / "generator/render")
    shutil.copytree(CORPUS / case, repo, dirs_exist_ok=True)
    init_git(repo)
    code, line, col = CASES[case]
    for rev in ((), ("--rev", "HEAD")):
        result = kaohe("check", "--repo", str(repo), "--format", "json", *rev)
        assert result.code == 1, result.err
        found = [(p["path"], p["line"], p["col"]) for p in json.loads(result.out) if p["code"] == code]
        assert found == [("mkdocs.yml", line, col)], (rev, result.out)
    assert not list(tmp_path.rglob(PAYLOAD))


def test_a_mkdocs_yml_linked_out_of_the_repository_is_not_read(tmp_path: Path, kaohe):
    """Committed as a link to a file of the building machine, mkdocs.yml printed that file into every
    page (its copyright); check reported nothing."""
    from conftest import init_git

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    secret = tmp_path / "ci-secrets.yml"
    secret.write_text("site_name: kaohe\ncopyright: TOKEN-abc123\n", encoding="utf-8")
    (repo / "mkdocs.yml").symlink_to(secret)
    init_git(repo)
    for rev in ((), ("--rev", "HEAD")):
        result = kaohe("check", "--repo", str(repo), "--format", "json", *rev)
        assert result.code == 1
        assert [(p["path"], p["code"]) for p in json.loads(result.out) if p["path"] == "mkdocs.yml"] == [
            ("mkdocs.yml", "site.config-link")
        ], rev
    result = kaohe("build", "--repo", str(repo), "--site-dir", str(tmp_path / "site"))
    assert result.code == 1 and "TOKEN-abc123" not in result.out + result.err
    assert refusal("build", "--repo", str(repo), "--site-dir", str(tmp_path / "site")).code == "site.config-link"
    assert not (tmp_path / "site").exists()


def test_a_named_pipe_for_mkdocs_yml_is_refused_not_taken_for_no_configuration(tmp_path: Path, kaohe):
    """A pipe at mkdocs.yml passed check and was built as though the repository had no site settings."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    os.mkfifo(repo / "mkdocs.yml")
    result = kaohe("check", "--repo", str(repo), "--format", "json")
    assert result.code == 1
    assert [(p["path"], p["line"], p["code"]) for p in json.loads(result.out)] == [
        ("mkdocs.yml", 1, "site.config-unreadable")
    ]
    refused = refusal("build", "--repo", str(repo), "--site-dir", str(tmp_path / "site"))
    assert refused.code == "site.config-unreadable"
    assert kaohe("build", "--repo", str(repo), "--site-dir", str(tmp_path / "site")).code == 1
    assert not (tmp_path / "site").exists()


def test_kaohes_own_configuration_passes_the_checks_as_any_copy_of_it_does(tmp_path: Path):
    """kaohe's configuration is checked like any other (no copy is trusted by its bytes): a
    repository's copy with other line ends and comments builds, one that adds markup does not."""
    from generator.render.siteconfig import PACKAGE_CONFIG, SiteConfigRefused, read_yaml

    assert read_yaml(PACKAGE_CONFIG)["extra"]["version"] == {"provider": "mike"}
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "generator/render", repo / "generator/render")
    copy = repo / "generator/render/mkdocs.yml"
    text = "# another kaohe's copy\n" + PACKAGE_CONFIG.read_text(encoding="utf-8")
    copy.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (repo / "mkdocs.yml").write_text("INHERIT: generator/render/mkdocs.yml\n", encoding="utf-8")
    assert read_yaml(repo / "mkdocs.yml")["extra"]["version"] == {"provider": "mike"}
    copy.write_text(text + "extra_javascript: [https://evil.example/x.js]\n", encoding="utf-8")
    with pytest.raises(SiteConfigRefused) as refused:
        read_yaml(repo / "mkdocs.yml")
    assert refused.value.code == "site.config-setting" and refused.value.params["name"] == "extra_javascript"


def test_a_data_repository_inherits_kaohes_configuration_by_name(mini: Path, tmp_path: Path, kaohe):
    """A bureau's own repository holds frameworks/ and evidence/, not kaohe's generator/: its
    mkdocs.yml could only INHERIT kaohe's configuration by the absolute path of the installed package,
    which differs on every laptop and in pre-commit's and CI's environments (the check failed there
    with site.config-inherit-outside). `INHERIT: kaohe` names kaohe's own configuration wherever
    kaohe is installed."""
    from conftest import init_git

    (mini / "mkdocs.yml").write_text('INHERIT: kaohe\nsite_url: "http://kaohe.example.internal/"\n', encoding="utf-8")
    init_git(mini)
    result = kaohe("check", "--repo", str(mini), "--format", "json")
    assert result.code == 0 and json.loads(result.out) == [], result.out
    site = tmp_path / "site"
    result = kaohe("build", "--repo", str(mini), "--site-dir", str(site))
    assert result.code == 0, result.err
    assert (site / "index.html").is_file()


def test_a_missing_inherit_is_reported_at_the_inherit_that_names_it(mini: Path, tmp_path: Path, kaohe):
    """mkdocs.yml INHERITs base.yml, which INHERITs a file nobody committed: the one line to fix is
    base.yml's INHERIT (line 2, the value at column 10), named with the missing file and what INHERIT
    should say; before, the problem was placed at gone.yml:1:1, a file that does not exist, as 不是普通文件."""
    from conftest import init_git, said

    (mini / "mkdocs.yml").write_text("INHERIT: base.yml\n", encoding="utf-8")
    (mini / "base.yml").write_text("# 本单位的设置\nINHERIT: gone.yml\n", encoding="utf-8")
    init_git(mini)
    for rev in ((), ("--rev", "HEAD")):
        result = kaohe("check", "--repo", str(mini), "--format", "json", *rev)
        assert result.code == 1
        found = [(p["path"], p["line"], p["col"], p["code"]) for p in json.loads(result.out)]
        assert found == [("base.yml", 2, 10, "site.config-inherit-missing")], rev
    result = kaohe("check", "--repo", str(mini))
    assert "base.yml:2:10: " in result.out
    assert said("site.config-inherit-missing", name="gone.yml", kaohe="kaohe") in result.out
    assert "INHERIT: kaohe" in result.out  # the hint says what names kaohe's own configuration
    result = kaohe("build", "--repo", str(mini), "--site-dir", str(tmp_path / "site"))
    assert result.code == 1
    assert f"{mini / 'base.yml'}:2:10" in result.err and "gone.yml:1:1" not in result.err
    assert not (tmp_path / "site").exists()


#: Slips of the keyboard in mkdocs.yml: where `kaohe check` reports each (counted by hand), words
#: of what it says in Chinese, and the English of PyYAML that a clerk must not be shown instead.
SLIPS = {
    # "site_name: a" is 12 characters: the NUL is column 13 of line 2 (PyYAML refused it before
    # reading anything: ReaderError, 内部错误, exit 3)
    "nul": ("INHERIT: kaohe\nsite_name: a\x00b\n", 2, 13, "U+0000", "unacceptable character"),
    # "copyright: " is 11 characters: the BEL is column 12
    "bell": ("INHERIT: kaohe\ncopyright: \x07\n", 2, 12, "U+0007", "special characters"),
    # the tab that indents line 3 stands at its column 1
    "tab": ("INHERIT: kaohe\ntheme:\n\tname: material\n", 3, 1, "制表符", "cannot start any token"),
    # "site_name: 考核" is 13 characters: the second colon is column 14
    "colon-in-value": ("INHERIT: kaohe\nsite_name: 考核: 2010\n", 2, 14, "加引号", "mapping values"),
    # the list is still open where the file ends: after line 2's newline, line 3 column 1
    "unclosed-list": ("INHERIT: kaohe\nextra_css: [a.css\n", 3, 1, "“]”", "but got"),
    # "copyright" has no colon: PyYAML notices it where the next line starts, line 4 column 1
    "no-colon": ("INHERIT: kaohe\nsite_name: 考核\ncopyright\n", 4, 1, "找不到“:”", "could not find"),
    # YAML reads NEL, U+2028 and U+2029 as line breaks that no editor shows: the slip after one
    # ("copyright" without its colon, line 3 in the editor) was reported at line 4 of a 3-line
    # file. The character itself is refused where the editor shows it: "site_name: a" is 12
    # characters, so column 13 of line 2
    "nel": ("INHERIT: kaohe\nsite_name: a\x85b\ncopyright\n", 2, 13, "U+0085", "could not find"),
    "line-separator": ("INHERIT: kaohe\nsite_name: a\u2028b\ncopyright\n", 2, 13, "U+2028", "could not find"),
    "paragraph-separator": ("INHERIT: kaohe\nsite_name: a\u2029b\ncopyright\n", 2, 13, "U+2029", "could not"),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_a_slip_in_mkdocs_yml_is_reported_in_chinese_at_its_place(slip: str, mini: Path, kaohe):
    """Found by fuzzing: a control character in mkdocs.yml was an internal error (PyYAML's reader
    refuses it before parsing, outside the handler of syntax errors), and every YAML syntax error
    was PyYAML's English behind "YAML 语法错误：", with no hint."""
    text, line, col, words, english = SLIPS[slip]
    (mini / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = kaohe("check", "--repo", str(mini))
    assert result.code == 1, result.err
    problems = [p for p in result.out.splitlines() if p.startswith("mkdocs.yml:")]
    assert len(problems) == 1 and problems[0].startswith(f"mkdocs.yml:{line}:{col}: 错误："), result.out
    assert words in problems[0] and "提示：" in problems[0], problems[0]
    assert english not in result.out + result.err
