"""The message catalogue stays whole: compiled, complete in both languages, and the only way out.

Clerks read Chinese; a message written straight into the code would reach them in English (or
in no language at all when the catalogue lacks its id). These tests read the code itself.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from generator import messages

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"
TEMPLATES = GENERATOR / "render" / "templates"

babel_pofile = pytest.importorskip("babel.messages.pofile", reason="the catalogue tests need Babel (a test extra)")


def _catalogue(lang: str) -> dict[str, str]:
    path = messages.LOCALE_DIR / messages._LOCALE_NAMES[lang] / "LC_MESSAGES" / f"{messages.DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = babel_pofile.read_po(handle)
    return {m.id: m.string for m in catalog if m.id}


def _is_symbolic(message_id: str) -> bool:
    """kaohe's own ids look like ``area.kind``; the rest of the catalogue is argparse's English strings."""
    return re.fullmatch(r"[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+", message_id) is not None


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_compiled_catalogues_are_current(tmp_path, monkeypatch):
    """The committed .mo files are what `python -m generator.messages compile` makes of the .po files."""
    for lang in messages.LANGUAGES:
        folder = messages.LOCALE_DIR / messages._LOCALE_NAMES[lang] / "LC_MESSAGES"
        committed = (folder / f"{messages.DOMAIN}.mo").read_bytes()
        copy = tmp_path / messages._LOCALE_NAMES[lang] / "LC_MESSAGES"
        copy.mkdir(parents=True)
        (copy / f"{messages.DOMAIN}.po").write_bytes((folder / f"{messages.DOMAIN}.po").read_bytes())
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path)
    for mo in messages.compile_catalogues():
        lang_dir = mo.parent.parent.name
        original = ROOT / "generator" / "locale" / lang_dir / "LC_MESSAGES" / mo.name
        assert mo.read_bytes() == original.read_bytes(), (
            f"{original} is stale: run python -m generator.messages compile"
        )
    assert committed


def test_both_languages_word_the_same_messages_with_the_same_parameters():
    zh, en = _catalogue("zh"), _catalogue("en")
    own_zh = {k for k in zh if _is_symbolic(k)}
    own_en = {k for k in en if _is_symbolic(k)}
    assert own_zh == own_en, f"only in zh: {sorted(own_zh - own_en)}; only in en: {sorted(own_en - own_zh)}"
    for key in own_zh:
        assert zh[key] and en[key], f"{key} has an empty translation"
        assert _fields(zh[key]) == _fields(en[key]), f"{key}: zh and en take different parameters"


def _ids_used_in_code() -> dict[str, str]:
    """Message ids named in the code: tr("id"), problems.report(…, "id"), code="id", Labels lookups in templates."""
    used: dict[str, str] = {}
    for path in GENERATOR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            candidates: list[ast.expr] = []
            if name in ("tr", "has") and node.args:
                candidates.append(node.args[0])
            candidates.extend(k.value for k in node.keywords if k.arg in ("code", "message_id"))
            for arg in candidates:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_symbolic(arg.value):
                    used.setdefault(arg.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r"""\bt\[["']([a-z0-9_.-]+)["']\]""", path.read_text(encoding="utf-8")):
            used.setdefault(f"site.{match.group(1)}", str(path.relative_to(ROOT)))
    return used


def test_every_id_the_code_uses_is_in_the_catalogue():
    zh = _catalogue("zh")
    missing = {k: where for k, where in _ids_used_in_code().items() if k not in zh}
    assert not missing, f"ids used but not in the catalogue: {missing}"


def test_parameters_never_reach_attributes():
    """A catalogue entry is data: ``{x.__class__}`` in a translation must not expand Python internals."""
    assert messages._FORMATTER.vformat("{n}", (), {"n": "1"}) == "1"
    with pytest.raises(KeyError):
        messages._FORMATTER.vformat("{n.__class__}", (), {"n": "1"})
    with pytest.raises(KeyError):
        messages._FORMATTER.vformat("{n[0]}", (), {"n": "1"})


def test_language_choice():
    choose = messages.choose_language
    assert choose(None, {}) == "zh"  # nothing said: the users are Chinese clerks
    assert choose(None, {"LANG": "C.UTF-8"}) == "zh"
    assert choose(None, {"LANG": "en_US.UTF-8"}) == "en"
    assert choose(None, {"LANG": "en_US.UTF-8", "KAOHE_LANG": "zh"}) == "zh"
    assert choose("en", {"KAOHE_LANG": "zh"}) == "en"
    assert choose(None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    with pytest.raises(ValueError):
        choose("fr", {})


def test_missing_english_falls_back_to_chinese_then_to_the_id():
    assert messages.tr("severity.error", lang="en") == "error"
    assert messages.tr("severity.error", lang="zh") == "错误"
    assert messages.tr("no.such-id", lang="en") == "no.such-id"
