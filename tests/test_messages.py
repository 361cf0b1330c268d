"""The message catalogue stays whole: compiled, complete in both languages, and the only way out.

Clerks read Chinese; a message written straight into the code would reach them in English (or
in no language at all when the catalogue lacks its id). These tests read the code itself.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path
from typing import get_args

import pytest

from generator import messages, model
from generator.output import xlsx as xlsx_output

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


#: Calls whose string arguments name message ids: tr("id"), msg("id"), problems.report(…, "id"), InputError("id").
#: PydanticCustomError: a validator's error type is the message id (load/reporting.py words it).
ID_CALLS = {
    "tr",
    "has",
    "msg",
    "invalid",
    "report",
    "MessageError",
    "InputError",
    "GitError",
    "UnknownLanguage",
    "PydanticCustomError",
}
#: How templates name labels: t["name"], t.name, t.format("name", …) (the entry "site.<name>").
_TEMPLATE_LABELS = re.compile(
    r"""\bt\[["']([a-z0-9_.-]+)["']\]|\bt\.format\(["']([a-z0-9_.-]+)["']|\bt\.([a-z_]+)\b(?!\()"""
)


def _ids_used_in_code() -> tuple[dict[str, str], dict[str, str]]:
    """Message ids named in the code, and the prefixes of ids it composes (f"status.{s}"), each with where."""
    used: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    message_errors = _message_errors()
    for path in GENERATOR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ID_CALLS | message_errors:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "code")]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_symbolic(arg.value):
                    used.setdefault(arg.value, where)
                elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                    start = str(arg.values[0].value)
                    if re.fullmatch(r"[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*\.", start):
                        prefixes.setdefault(start, where)
    for path in TEMPLATES.rglob("*.html"):
        for match in _TEMPLATE_LABELS.finditer(path.read_text(encoding="utf-8")):
            name = next(g for g in match.groups() if g)
            if name not in ("format", "get", "lang"):
                used.setdefault(f"site.{name}", str(path.relative_to(ROOT)))
    return used, prefixes


def test_every_id_the_code_uses_is_in_the_catalogue():
    zh = _catalogue("zh")
    used, prefixes = _ids_used_in_code()
    # a label is "site.<name>", or an entry shared with the outputs (a status name: "status.vetoed")
    missing = {k: where for k, where in used.items() if k not in zh and k.removeprefix("site.") not in zh}
    assert not missing, f"ids used but not in the catalogue: {missing}"
    unknown = {p: where for p, where in prefixes.items() if not any(k.startswith(p) for k in zh)}
    assert not unknown, f"ids composed from a prefix no entry has: {unknown}"
    assert len(used) > 500  # the scan reads the code: it finds the ids it is asked to check


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


# -- nothing a reader sees bypasses the catalogue ----------------------------------------------------

#: Chinese characters (a reader's word), as opposed to the full-width punctuation "，；：（）" that
#: formats data and may stand in code.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: An English word: two letters or more.
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
#: What may stand in a literal that reaches a reader without being wording, removed before it is judged:
#: markup (tags, entities), format fields, command-line options, the programs kaohe and git (the
#: prefix "kaohe build: "), and paths and file names (evidence/<year>/units.toml, CODEOWNERS).
NOT_WORDING = re.compile(
    r"<[^<>]*>|&[a-z]+;|\{[^{}]*\}|--[a-z][a-z-]*|\bkaohe(?: [a-z]+)?\b|\bgit\b"
    r"|[A-Za-z0-9_.<>*-]*/[A-Za-z0-9_.<>/*-]*|\b[A-Za-z0-9_-]+\.(?:toml|md|json|html|yml|csv|pdf)\b|\bCODEOWNERS\b"
)

#: Literals with words that are not messages, each with why (path, literal).
NOT_MESSAGES = {
    # the numerals of the source documents' table numbering ("三、4"): the document's structure, as printed
    ("generator/render/pages.py", "一二三四五六七八九十"),
    ("generator/render/pages.py", "十"),
    ("generator/output/csvexcel.py", "一二三四五六七八九十"),
    # the characters two columns wide, to size a worksheet's columns
    ("generator/output/xlsx.py", xlsx_output._WIDE.pattern),
    # CODEOWNERS is generated and compared byte for byte by `kaohe check`: its comments may not change with
    # the reader's language, or the file would be stale in one language and fresh in the other
    ("generator/codeowners.py", "框架维护人"),
    ("generator/codeowners.py", "（框架维护人）"),
    ("generator/codeowners.py", "年度（框架维护人）"),
    ("generator/codeowners.py", " from each indicator's department (考核责任部门),"),
    # the counting words a framework may set for its rules (unit = "次"): defaults of the file format, data in
    # the documents' own language like every name and rule text of a framework
    ("generator/score/rules/count.py", "次"),
    ("generator/score/rules/incident.py", "起"),
    ("generator/score/rules/stepped.py", "台"),
    # ...and their examples in the editor schema's description of `measure`
    ("generator/score/rules/count.py", "次, 家, 篇 …"),
    ("generator/score/rules/incident.py", "起 (cases), 人 (deaths) …"),
    ("generator/score/rules/stepped.py", "台 (units of equipment), 处 …"),
    ("generator/score/rules/base.py", "Measure word (量词) for messages: "),
    # a bug, never shown as a message: every evidence page is asked for with a path of its own year
    ("generator/render/urls.py", "{} is not evidence of {}"),
}

#: Values of the file formats that are Chinese words, written by clerks and compared by the code (stage =
#: "公示", outcome = "维持", kind = "申诉"): data like an indicator's id, worded for readers by the catalogue
#: where they are shown ("site.stage.name.notice").
FILE_FORMAT_VALUES = {*model.STAGES, *get_args(model.AppealOutcome), "申诉", "复核"}

#: Code whose Chinese literals are the content of files kaohe writes or the vocabulary of documents it
#: reads, not messages, each with why ((path, function or "" for the whole module) → reason). English
#: wording reaching a reader is still looked for there.
CHINESE_CONTENT = {
    # the importer reads the bureaus' Chinese documents: its patterns and table headers are their words
    ("generator/imports/text.py", ""): "numerals, 分 and 月 as the documents write them",
    ("generator/imports/clauses.py", ""): "the clauses' wording, matched to propose rules",
    ("generator/imports/layout.py", ""): "the documents' column headers and headings",
    ("generator/imports/grades.py", ""): "the grade titles and score bounds as the documents word them",
    ("generator/imports/xlsx.py", "cell_text"): "a workbook's TRUE/FALSE cell as the document's 是/否",
    # ...and writes a framework in the document's language, like every name and rule text of a framework
    ("generator/imports/writer.py", ""): "the framework files written, in the document's language",
    # an evidence file for the public repository: committed data, the same whoever ran the command
    ("generator/individual/report.py", "aggregate_evidence"): "the evidence file's text",
    # a worksheet's font and the check whether a framework's own title names the year ("2010年度…")
    ("generator/output/xlsx.py", "workbook"): "the font 宋体",
    ("generator/output/xlsx.py", "year_title"): "the framework title's year, as it writes it",
}


def _content_lines(tree: ast.Module, rel: str) -> set[int]:
    """The lines of `rel` whose Chinese literals are content (CHINESE_CONTENT)."""
    lines: set[int] = set()
    for path, function in CHINESE_CONTENT:
        if path != rel:
            continue
        if not function:
            return set(range(1, (tree.body[-1].end_lineno or 0) + 1 if tree.body else 1))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == function:
                lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


#: Calls whose first argument is a message id and whose keyword arguments are its parameters.
MESSAGE_CALLS = {"tr", "msg", "has", "invalid", "MessageError", "InputError", "GitError", "UnknownLanguage"}
#: Exceptions a reader may see whose text is their argument (the rest are kaohe's MessageErrors).
WORDED_ERRORS = {"PluginError", "ArgumentTypeError", "ValueError", "TypeError", "RuntimeError", "SystemExit"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
#: argparse's help texts.
HELP_KEYWORDS = {"help", "description", "epilog", "usage"}


def _message_errors() -> set[str]:
    """MessageError and every class of generator/ derived from it (InputError, BuildFailed, DiskFull …)."""
    bases: dict[str, set[str]] = {}
    for path in GENERATOR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
    found = {"MessageError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return _dotted(node.value) + "." + node.attr
    return _name(node)


def _texts(node: ast.expr | None) -> list[tuple[ast.expr, str]]:
    """The string literals that flow straight into `node`'s value, as (node, text): constants, f-strings
    (their text with "{}" for each field), both sides of + and %, both branches of a conditional, and
    strings whose method is called ("…".join, f"…".rstrip()); a call's result (tr(…), a variable) is
    not followed."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        return [(node, node.value)] if isinstance(node.value, str) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        return [(node, text)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [t for v in node.values for t in _texts(v)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = node.func.value
        return _texts(receiver) if isinstance(receiver, ast.Constant | ast.JoinedStr) else []
    return []


def _is_wording(text: str) -> bool:
    rest = NOT_WORDING.sub(" ", text)
    return bool(CJK.search(rest) or ASCII_WORD.search(rest))


def _sinks(call: ast.Call, message_errors: set[str]) -> list[tuple[str, ast.expr]]:
    """(what kind of sink, expression) for each argument of `call` that reaches a reader as it is."""
    name = _name(call.func)
    dotted = _dotted(call.func)
    out: list[tuple[str, ast.expr]] = []
    if name == "print":
        out += [("print", a) for a in call.args]
    elif name == "write" and dotted.split(".")[-2:-1] and dotted.split(".")[-2] in ("stdout", "stderr", "buffer"):
        out += [("stdout/stderr", a) for a in call.args]
    elif name in LOG_METHODS and dotted.split(".")[0] in ("log", "logger", "logging"):
        out += [("logging", a) for a in call.args[:1]]
    elif name in WORDED_ERRORS:
        out += [(name, a) for a in call.args]
    elif name == "Markup":
        out += [("HTML", a) for a in call.args]
    elif name == "Line":  # a score line: its reason is a Message, worded where it is read
        out += [("score line reason", a) for a in call.args[1:2]]
        out += [("score line reason", k.value) for k in call.keywords if k.arg == "message"]
    elif name in ("add_argument", "add_parser", "ArgumentParser"):
        out += [("argparse help", k.value) for k in call.keywords if k.arg in HELP_KEYWORDS]
    if name == "add" and dotted.endswith("problems.add"):  # the old way: a message written into the call
        out += [("problems.add", a) for a in call.args] + [("problems.add", k.value) for k in call.keywords]
    if name in MESSAGE_CALLS | message_errors or name == "report":
        # the parameters of a message: data (ids, names, numbers), never wording of their own
        out += [("message parameter", k.value) for k in call.keywords if k.arg not in ("severity", "lang")]
        first = call.args[3:4] if name == "report" else call.args[:1]
        out += [("message id", a) for a in first if not (isinstance(a, ast.Constant) and _is_symbolic(str(a.value)))]
    return out


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def bypasses() -> list[str]:
    """Every literal with words that reaches a reader without the catalogue, as `path:line: sink: literal`."""
    message_errors = _message_errors()
    found: list[tuple[str, int, str]] = []
    for path in sorted(GENERATOR.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reported: set[int] = set()

        def report(sink: str, node: ast.expr, text: str, rel: str = rel, reported: set[int] = reported) -> None:
            if id(node) in reported or (rel, text) in NOT_MESSAGES or text in FILE_FORMAT_VALUES:
                return
            reported.update(id(n) for n in ast.walk(node))
            found.append((rel, node.lineno, f"{sink}: {text!r}"))

        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for sink, expr in _sinks(node, message_errors):
                    for literal, text in _texts(expr):
                        if sink == "message id":
                            if not re.fullmatch(r"[a-z0-9_.{}-]*", text):  # an id, or the start of one: f"status.{s}"
                                report(sink, literal, text)
                        elif _is_wording(text):
                            report(sink, literal, text)
        skip = _docstrings(tree)
        for node in ast.walk(tree):  # the editors' schema descriptions (pydantic Field) are not messages
            if isinstance(node, ast.keyword) and node.arg == "description" and isinstance(node.value, ast.Constant):
                skip.add(id(node.value))
        # HTML built in Python (the site's charts, the root redirect): the words between its tags
        if rel.startswith("generator/render/") or rel == "generator/publish/layout.py":
            parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr | ast.Constant) and id(node) not in skip | parts:
                    for literal, text in _texts(node):
                        if re.search(r"</?[a-z]", text) and _is_wording(text):
                            report("HTML", literal, text)
        # Chinese wording anywhere is the catalogue's (docstrings, schema descriptions and content aside)
        content = _content_lines(tree, rel)
        for node in ast.walk(tree):
            chinese = isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
            chinese = chinese and getattr(node, "lineno", 0) not in content
            if chinese and id(node) not in skip and CJK.search(NOT_WORDING.sub(" ", node.value)):
                report("Chinese text", node, node.value)
    return [f"{rel}:{line}: {what}" for rel, line, what in sorted(found)]


def test_no_user_facing_string_bypasses_the_catalogue():
    """A literal with words (English or Chinese) reaching print, stdout/stderr, a log, an error a reader
    sees, a problem's or message's parameters, argparse's help, a score line's reason or HTML built in
    Python is wording that no catalogue translates: it must be a catalogue entry instead."""
    found = bypasses()
    assert not found, "wording outside the catalogue:\n" + "\n".join(found)


def test_the_bypass_scan_sees_each_kind_of_sink(tmp_path, monkeypatch):
    """The scan itself: each sink, written the wrong way, is found; written through the catalogue, it is not."""
    bad = tmp_path / "generator" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(
        "import sys, logging, argparse\n"
        "log = logging.getLogger('x')\n"
        "print('no such file')\n"
        "sys.stderr.write(f'kaohe build: {1} years built')\n"
        "log.warning('something odd')\n"
        "raise InputError('a bad --unit', code='x.y')\n"
        "problems.add(path, 1, 1, 'unknown key', 'check it')\n"
        "problems.report(p, 1, 1, 'evidence.symlink', hint='remove it')\n"
        "p.add_argument('--year', help='assessment year')\n"
        "Line(amount, '扣完为止', 'floor', source)\n"
        "Markup(f'<a>{x}原始记录</a>')\n"
        "TABLE = {'a': '已评分'}\n"
        "print(tr('cli.interrupted'), file=sys.stderr)\n"
        "print(f'kaohe build: {one_line(m)}')\n"
        "raise InputError('build.no-year', root=root)\n"
        "p.add_argument('--year', help=tr('build.year.help'))\n"
        'Markup(f\'<a class="kh-src" href="{link}">{label}</a>\')\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "GENERATOR", bad.parent)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = [line.split(": ", 1)[1] for line in bypasses()]
    assert found == [
        "print: 'no such file'",
        "stdout/stderr: 'kaohe build: {} years built'",
        "logging: 'something odd'",
        "message id: 'a bad --unit'",
        "problems.add: 'check it'",
        "problems.add: 'unknown key'",
        "message parameter: 'remove it'",
        "argparse help: 'assessment year'",
        "score line reason: '扣完为止'",
        "HTML: '<a>{}原始记录</a>'",
        "Chinese text: '已评分'",
    ], found
