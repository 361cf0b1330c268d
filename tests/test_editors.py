"""Editors, with the real tools: Taplo's CLI and Tombi's CLI and language server over the shipped files.

The JSON Schemas in docs/schemas/ must accept every shipped file (a false error teaches clerks to
ignore the editor), name a misspelt rule kind, and complete keys inside [[indicator.rule]]. Taplo's
language server (Even Better TOML) panics there on any nested array of tables — a Taplo bug no
schema can avoid — so docs/workflow.md recommends Tombi, whose server is tested below.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.lsp_client import LanguageServer

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is a test dependency (pip install -e '.[test]')"
    return str(path)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The shipped TOML with both editors' settings and the schemas, in a folder tools may write."""
    target = tmp_path / "repo"
    for folder in ("frameworks", "evidence", "docs/schemas"):
        shutil.copytree(ROOT / folder, target / folder)
    for name in (".taplo.toml", "tombi.toml"):
        shutil.copy(ROOT / name, target / name)
    return target


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.lstrip().lower().startswith("error")]


def test_taplo_accepts_every_shipped_toml_file():
    done = _run(_tool("taplo"), "lint", "--colors", "never", cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _errors(done.stderr) == []


def test_taplo_accepts_every_shipped_front_matter(tmp_path):
    """Editors cannot validate TOML inside markdown; the front matter is cut out and checked as TOML."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "evidence/*.md"], capture_output=True, text=True)
    written = []
    for n, path in enumerate(files.stdout.split()):
        text = (ROOT / path).read_text(encoding="utf-8")
        if text.startswith("+++\n"):
            target = tmp_path / f"{n}.toml"
            target.write_text(text.split("+++\n", 2)[1], encoding="utf-8")
            written.append(target.name)
    assert len(written) > 400  # every shipped evidence file, not a sample
    schema = (ROOT / "docs/schemas/evidence.schema.json").as_uri()
    done = _run(
        _tool("taplo"), "lint", "--colors", "never", "--no-auto-config", "--schema", schema, *written, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _misspell(copy: Path) -> int:
    """Misspell the first checklist rule's kind and, in the next rule of that kind, `amount`; the kind's line."""
    path = copy / "frameworks/qianxinan-qts-2010/01-dangfeng.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    kind = lines.index('kind = "checklist"')
    amount = next(n for n in range(kind, len(lines)) if lines[n].startswith("amount = "))
    lines[kind], lines[amount] = 'kind = "cheklist"', "amont" + lines[amount][len("amount") :]
    path.write_text("\n".join(lines), encoding="utf-8")
    return kind + 1


def test_taplo_names_the_valid_rule_kinds(copy):
    _misspell(copy)
    done = _run(_tool("taplo"), "lint", "--colors", "never", "frameworks/qianxinan-qts-2010/01-dangfeng.toml", cwd=copy)
    assert done.returncode == 1
    errors = _errors(done.stderr)
    assert 'error: "cheklist" is not one of ["award","checklist","count",' in done.stderr, done.stderr
    assert not any("oneOf" in e for e in errors)


def test_taplo_and_tombi_formatting_leave_shipped_files_alone(copy):
    before = {p: p.read_bytes() for p in copy.rglob("*.toml")}
    done = _run(_tool("taplo"), "fmt", "--check", "--colors", "never", cwd=copy)
    assert done.returncode == 0, done.stderr[-3000:]
    done = _run(_tool("tombi"), "format", "--check", "--offline", cwd=copy)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert {p: p.read_bytes() for p in copy.rglob("*.toml")} == before


def test_tombi_accepts_every_shipped_file_and_names_mistakes(copy):
    done = _run(_tool("tombi"), "lint", "--offline", "--error-on-warnings", cwd=copy)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    line = _misspell(copy)
    done = _run(_tool("tombi"), "lint", "--offline", "frameworks/qianxinan-qts-2010/01-dangfeng.toml", cwd=copy)
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert 'the value must be one of ["award", "checklist", "count",' in out and 'found "cheklist"' in out
    assert f"01-dangfeng.toml:{line}:8" in out  # the kind's value


def test_tombi_lint_uses_the_schemas(copy):
    """Guard against a silently unassociated schema: a wrong type must be reported."""
    path = copy / "evidence/2010/units.toml"
    text = path.read_text(encoding="utf-8")
    assert "year = 2010" in text
    path.write_text(text.replace("year = 2010", 'year = "2010"'), encoding="utf-8")
    done = _run(_tool("tombi"), "lint", "--offline", "evidence/2010/units.toml", cwd=copy)
    assert done.returncode == 1, done.stdout


@pytest.fixture
def tombi(copy):
    server = LanguageServer([_tool("tombi"), "lsp", "--offline"], copy)
    server.initialize()
    yield server
    server.close()


def test_completion_inside_a_rule(tombi, copy):
    path = "frameworks/qianxinan-qts-2010/99-new.toml"
    text = (
        '[category]\nid = "new"\ntitle = "新表"\n\n'
        '[[indicator]]\nid = "nw-01"\ntarget = "测试"\n\n'
        '[[indicator.rule]]\nid = "r"\nkind = "count"\n\n'  # line 11 (0-based): inside the rule
    )
    (copy / path).write_text(text, encoding="utf-8")
    uri = tombi.open(path, text)
    offered: list[str] = []
    deadline = time.monotonic() + 30
    while not offered and time.monotonic() < deadline:  # the server loads the schema in the background
        offered = tombi.complete(uri, 11, 0)
        time.sleep(0.2)
    # a count rule's keys not written yet (score/rules/count.py and the keys every rule has); the
    # keys of the other kinds are offered too (the editor does not narrow by kind), validation does
    for key in ("key", "name", "required", "amount", "unit", "text", "cap"):
        assert key in offered, offered
    assert "id" not in offered and "kind" not in offered  # already written
