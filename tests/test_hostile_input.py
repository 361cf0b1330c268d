"""Hostile or merely unusual input files and paths: each gets a clear problem at its place, exit 1.

Built on the base repository of ``tests/test_bad_inputs.py`` (``tests/bad_inputs/base``): every
test lays one unusual file or folder over a copy of it and says exactly what `kaohe check` (or the
command) must report. Never a traceback, never exit 3, never a score that counts what it should not.
"""

from __future__ import annotations

from conftest import said
from test_bad_inputs import FINDINGS, repo_with


def test_a_repo_folder_that_does_not_exist_is_refused_not_taken_for_the_one_around_it(tmp_path, kaohe):
    """`--repo <repo>/typo` scored the repository around the typo, as if it had been asked for."""
    root = repo_with(tmp_path)
    missing = root / "evidenec"
    run = kaohe("score", "--repo", str(missing), "--year", "2010", "--format", "json")
    assert (run.code, run.out) == (1, "")
    assert said("workspace.repo-missing", path=missing) in run.err


def test_a_repo_that_is_a_file_is_refused(tmp_path, kaohe):
    root = repo_with(tmp_path)
    run = kaohe("check", "--repo", str(root / FINDINGS))
    assert (run.code, run.out) == (1, "")
    assert said("workspace.repo-not-folder", path=root / FINDINGS) in run.err
