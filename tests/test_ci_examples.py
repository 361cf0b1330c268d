"""What a bureau copies from docs/ci/ and the hook examples runs as written.

The servers' schemas are checked elsewhere (test_diff_ci.py, test_shards.py); these tests read the
shell the examples run: every `kaohe` command line is one kaohe's own parser accepts, and what the
shell does with it (a failure that stops the job, the history a command needs) is what the job needs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser
from tests.conftest import ROOT

CI = ROOT / "docs" / "ci"
EXAMPLES = sorted(CI.glob("*.yml"))

#: What ends a command in the shell, what sends its output elsewhere, and what a command follows.
SEPARATORS = (";", "&&", "||", "|", "(", ")", "\n", "&")
REDIRECTIONS = (">", ">>", "<", "2>", "&>")
STARTS = (*SEPARATORS, "do", "then", "else", "!")
#: Sample values for what the scripts take from CI (`$YEAR` is an int to `--year`).
VARIABLES = {"ORG": "qianxinan-qts", "org": "qianxinan-qts", "YEAR": "2010", "year": "2010"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _shell_texts(config: dict) -> list[str]:
    """Every piece of shell the file runs: GitHub's `run:` steps, GitLab's `script:` lists."""
    texts: list[str] = []
    for job in (config.get("jobs") or {}).values():
        texts += [step["run"] for step in job.get("steps", []) if "run" in step]
    for job in config.values():
        if isinstance(job, dict):
            for key in ("before_script", "script"):
                texts += job.get(key) or []
    return texts


def _expand(text: str) -> str:
    """CI's own substitutions first (`${{ … }}`), then the shell's `$NAME` from VARIABLES."""
    text = re.sub(r"\$\{\{\s*github\.sha\s*\}\}", "0" * 40, text)
    text = re.sub(r"\$\{\{[^}]*\}\}", "main", text)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: VARIABLES.get(m[1], "x"), text)


def kaohe_command_lines(text: str) -> list[list[str]]:
    """The arguments of every `kaohe …` in a piece of shell, inside `$(…)` too."""
    found = []
    for piece in [text, *re.findall(r"\$\((kaohe [^)]*)\)", text)]:
        lexer = shlex.shlex(_expand(piece.replace("\\\n", " ")), posix=True, punctuation_chars="();<>|&\n")
        lexer.whitespace, lexer.whitespace_split = " \t\r", True
        words = list(lexer)
        for start in (n for n, w in enumerate(words) if w == "kaohe" and (n == 0 or words[n - 1] in STARTS)):
            end = next((n for n in range(start, len(words)) if words[n] in SEPARATORS + REDIRECTIONS), len(words))
            found.append(words[start + 1 : end])
    return found


def test_the_command_finder_reads_redirections_and_substitutions():
    text = (
        'echo "shards=$(kaohe build --list-shards)" >> "$GITHUB_OUTPUT"\nkaohe check --format gitlab > r.json || s=$?'
    )
    assert kaohe_command_lines(text) == [["check", "--format", "gitlab"], ["build", "--list-shards"]]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_kaohe_command_line_parses(path):
    lines = [line for text in _shell_texts(_load(path)) for line in kaohe_command_lines(text)]
    assert lines, f"{path.name} runs no kaohe command"
    parser = build_parser()
    for argv in lines:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse's way of refusing
            raise AssertionError(f"{path.name}: kaohe {shlex.join(argv)} does not parse") from exc
        assert args.command, argv


@pytest.mark.parametrize("path", sorted(CI.glob("gitlab-ci*.yml")), ids=lambda p: p.name)
def test_the_gitlab_image_has_git(path):
    """`pip install "kaohe @ git+…"` runs git, and kaohe reads the history with it: the slim and
    alpine variants of the python image ship no git (docker-library/python#319), the full one does."""
    image = _load(path)["default"]["image"]
    name = image if isinstance(image, str) else image["name"]
    assert re.fullmatch(r"python:[\d.]+", name.split()[0]), f"{path.name}: {name} has no git"
