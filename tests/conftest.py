"""Shared test helpers: run the CLI in-process, copy fixture repositories, make real git repos."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import messages
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch):
    """Every test starts as a clerk's machine does: no language asked for, so Chinese (the default).

    A developer's English locale or KAOHE_LANG would otherwise change what every command prints.
    """
    for name in ("KAOHE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr(messages, "_current", messages.DEFAULT)


@pytest.fixture
def english(monkeypatch):
    """Messages in English, as `--lang en` gives them: for tests that read what a message says of its
    parameters (a placeholder named, a value quoted) rather than only its id."""
    monkeypatch.setenv("KAOHE_LANG", "en")
    # a command run in-process sets LANGUAGE for argparse (messages.use_language): restored with the rest,
    # or the next test's commands would pick English from it as from an English locale
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setattr(messages, "_current", "en")


def said(code: str, **params: object) -> str:
    """What kaohe prints for the message `code` with `params` (and its hint), in the language of the
    moment: tests match a message by its id and parameters, never by copying its wording."""
    return messages.worded(code, params)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def kaohe(capsys):
    """Run `kaohe ARGS…` in-process and capture its exit code and output."""

    def run(*args: str) -> Run:
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture repository (tests/fixtures/mini)."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


def init_git(repo: Path) -> Path:
    """Turn a folder into a real git repository with one commit of everything in it."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "user.name", "kaohe tests")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


@pytest.fixture
def browser_page(served):
    """A fresh headless page and the list of problems it met (requests to other hosts, failed
    requests, console errors), for a browser test module that serves its site as `served`: each
    module builds the site it needs, and only the browser around it is the same."""
    from browser_support import open_page, require_browser

    with open_page(require_browser()) as opened:
        yield opened
