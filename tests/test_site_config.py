"""`kaohe build` reads mkdocs.yml without running anything a pull request put in it.

The corpus ``tests/bad_inputs/site_configs/<case>/`` holds hostile site configurations (and the
files they would run). Each is laid over a copy of the mini repository and built: the build is
refused at the exact line and column with a stable code, and the file the payload would create
(``pwned-by-mkdocs-yml``, in the repository, where the build runs) never appears.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from safety_support import refusal

CORPUS = Path(__file__).resolve().parent / "bad_inputs/site_configs"
PAYLOAD = "pwned-by-mkdocs-yml"

#: case → (code, line, column) of the refusal, counted by hand in the case's mkdocs.yml.
CASES = {
    "python-apply": ("site.config-python-tag", 3, 12),
    "python-name": ("site.config-python-tag", 4, 16),
    "python-new": ("site.config-python-tag", 3, 6),
    "env-tag": ("site.config-tag", 3, 12),
    "hooks": ("site.config-hooks", 5, 1),
    "custom-dir": ("site.config-custom-dir", 4, 3),
    "plugin": ("site.config-plugin", 5, 5),
    "extension": ("site.config-plugin", 4, 5),
    "inherit-outside": ("site.config-inherit-outside", 1, 10),
    "syntax": ("site.config-syntax", 3, 8),
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
