"""Load frameworks, units, evidence and findings from a tree into the model.

Each table (indicator, finding, evidence front matter) is validated on its own, so one bad row
reports its problems without hiding the rows around it. Cross-file checks live in
:mod:`generator.validate`.
"""

from __future__ import annotations

import posixpath
import re
import types
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .gcpause import gc_paused
from .model import (
    Category,
    CategoryFile,
    CategoryHeader,
    Evidence,
    EvidenceMeta,
    Finding,
    Framework,
    Indicator,
    Unit,
    UnitsFile,
)
from .problems import Problems, did_you_mean
from .score.rules import KIND_NAMES, RULE_KINDS
from .tomlsource import Path, TomlDocument, TomlSyntaxError, parse
from .tree import Tree

FRONT_MATTER = "+++"
YEAR_DIR = re.compile(r"^[0-9]{4}$")  # not \d: it matches full-width digits
#: Inline links/images and reference definitions. The quantifiers are possessive (giving characters
#: back could never make these match) and bounded, so that a long line of "[a](" or "[" costs linear
#: time instead of minutes: without the bounds every "[" rescans the rest of its line.
_LINK = re.compile(
    r"!?\[[^\]\n]{0,1000}+\]\(\s*+<?([^)\s>]{1,2000}+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)"
    r"|^[ \t]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?\s*$",  # not \s{0,3}: it would start on the line before
    re.MULTILINE,
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class Assessment:
    """One assessment year: its framework, units, evidence and findings."""

    year: int
    path: str  # evidence/<year>/units.toml
    title: str
    framework: Framework
    units: list[Unit]
    evidence: list[Evidence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    filing_deadlines: bool = False  # judge lateness from git history (units.toml)
    #: (unit, indicator) → its evidence / findings; built by `index` once everything is loaded.
    evidence_by: dict[tuple[str, str], list[Evidence]] = field(default_factory=dict)
    findings_by: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)

    def index(self) -> None:
        evidence_by: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
        for e in self.evidence:
            evidence_by[(e.unit, e.indicator)].append(e)
        findings_by: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in self.findings:
            findings_by[(f.unit or "", f.indicator)].append(f)
        self.evidence_by, self.findings_by = dict(evidence_by), dict(findings_by)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


@dataclass
class Repository:
    frameworks: dict[str, Framework]
    assessments: dict[int, Assessment]
    #: Ids of indicators whose tables failed validation, per framework: references to them are not
    #: reported again as unknown.
    broken_indicators: dict[str, set[str]] = field(default_factory=dict)
    #: Files under frameworks/ and evidence/, read or not (for summaries).
    files: int = 0


def load_repository(tree: Tree, problems: Problems, years: set[int] | None = None) -> Repository:
    with gc_paused():  # everything loaded stays alive: see generator.gcpause
        return _load_repository(tree, problems, years)


def _load_repository(tree: Tree, problems: Problems, years: set[int] | None) -> Repository:
    frameworks: dict[str, Framework] = {}
    broken: dict[str, set[str]] = {}
    framework_dirs: set[str] = set()
    framework_files = list(tree.files("frameworks"))  # each folder is listed once, whatever reads it
    evidence_files = list(tree.files("evidence"))
    for path in framework_files:
        parts = path.split("/")
        if len(parts) == 3 and parts[2] == "framework.toml":
            framework_dirs.add(parts[1])
            fw, bad = _load_framework(tree, parts[1], problems)
            if fw is not None:
                frameworks[fw.id] = fw
                broken[fw.id] = bad
    year_files: dict[str, list[str]] = defaultdict(list)
    for path in evidence_files:
        year_files[path.split("/")[1]].append(path)
    year_dirs = {y for y, paths in year_files.items() if f"evidence/{y}/units.toml" in paths}
    _report_unread(
        problems,
        [
            ("frameworks", framework_files, framework_dirs, "framework.toml"),
            ("evidence", evidence_files, year_dirs, "units.toml"),
        ],
    )
    assessments: dict[int, Assessment] = {}
    for path in evidence_files:
        parts = path.split("/")
        if len(parts) == 3 and parts[2] == "units.toml":
            if not YEAR_DIR.match(parts[1]):
                problems.add(
                    path, 1, 1, f"'{parts[1]}' is not a year folder", "name it after the year, e.g. evidence/2010/"
                )
                continue
            if years is not None and int(parts[1]) not in years:
                continue
            a = _load_year(tree, int(parts[1]), year_files[parts[1]], frameworks, broken, problems)
            if a is not None:
                assessments[a.year] = a
    return Repository(frameworks, assessments, broken, files=len(framework_files) + len(evidence_files))


def _report_unread(problems: Problems, folders: list[tuple[str, list[str], set[str], str]]) -> None:
    """Folders kaohe would silently skip: a framework without framework.toml, a year without units.toml."""
    for prefix, paths, known, needed in folders:
        reported: set[str] = set()
        for path in paths:
            parts = path.split("/")
            if len(parts) > 2 and parts[1] not in known and parts[1] not in reported:
                reported.add(parts[1])
                problems.add(
                    path,
                    1,
                    1,
                    f"'{prefix}/{parts[1]}/' has no {needed}: none of its files are read",
                    f"add {prefix}/{parts[1]}/{needed} or move the files",
                    severity="warning",
                )


# -- reading ------------------------------------------------------------------------------------


def read_text(tree: Tree, path: str, problems: Problems) -> str | None:
    if getattr(tree, "is_symlink", lambda p: False)(path) and tree.escapes(path):  # type: ignore[attr-defined]
        problems.add(path, 1, 1, "symlink points outside the repository", "commit the file itself, not a link")
        return None
    try:
        raw = tree.read(path)
    except OSError as exc:
        problems.add(path, 1, 1, f"cannot read file: {exc.strerror or exc}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.add(
            path, 1, 1, "file starts with a byte-order mark (BOM)", "save as UTF-8 without BOM", severity="warning"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(
            path, line, col, "file is not valid UTF-8", "save it as UTF-8 (GBK/GB2312 files must be converted)"
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        problems.add(
            path, 1, 1, "file contains NUL bytes", "this is not a text file; keep attachments out of .md/.toml files"
        )
        return None
    return text


def read_toml(
    tree: Tree, path: str, problems: Problems, text: str | None = None, line_offset: int = 0
) -> TomlDocument | None:
    if text is None:
        text = read_text(tree, path, problems)
        if text is None:
            return None
    try:
        return parse(text, line_offset)
    except TomlSyntaxError as exc:
        problems.add(path, exc.line, exc.col, f"TOML syntax error: {exc.message}", _syntax_hint(exc.message))
        return None
    except RecursionError:
        problems.add(path, _deepest_line(text) + line_offset, 1, "TOML nesting is too deep", "flatten the tables")
        return None


def _deepest_line(text: str) -> int:
    """The line where brackets and braces first reach their deepest nesting (strings and comments skipped)."""
    depth = deepest = 0
    line = best = 1
    quote = ""
    escaped = False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\n":
            line += 1
            quote = "" if quote == "#" else quote
        elif quote:
            escaped = c == "\\" and quote == '"'
            quote = "" if c == quote else quote
        elif c in "\"'#":
            quote = c
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest, best = depth, line
        elif c in "]}":
            depth -= 1
    return best


def _syntax_hint(message: str) -> str:
    lowered = message.lower()
    if "invalid value" in lowered or "invalid date" in lowered:
        return "check the value: strings need quotes, dates are written 2010-06-30, numbers use ASCII digits"
    if "cannot overwrite" in lowered or "cannot declare" in lowered:
        return "a key or table appears twice; remove or rename one"
    return "see docs/formats.md for the file formats; strings need quotes, dates are written 2010-06-30"


def validate_model(
    model: type[BaseModel], data: Any, doc: TomlDocument, path: str, problems: Problems, prefix: Path = ()
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, model, doc, path, problems, prefix)
        return None
    except RecursionError:
        problems.add(path, *doc.locate(prefix), "value is nested too deeply")
        return None


def validate_rest(
    model: type[BaseModel], data: Any, doc: TomlDocument, path: str, problems: Problems, prefix: Path = ()
) -> tuple[Any, bool]:
    """(model, valid): on errors, report them, then try again without the keys at fault.

    What remains still goes through the cross-file checks, so one wrong type does not hide a broken
    link or an unknown indicator in the same file; `valid` False keeps it out of scoring.
    """
    try:
        return model.model_validate(data), True
    except ValidationError as exc:
        report_validation(exc, model, doc, path, problems, prefix)
        faulty = {err["loc"][0] for err in exc.errors() if err["loc"]}
    except RecursionError:
        problems.add(path, *doc.locate(prefix), "value is nested too deeply")
        return None, False
    if not isinstance(data, dict):
        return None, False
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in faulty}), False
    except (ValidationError, RecursionError):
        return None, False


def report_validation(
    exc: ValidationError, model: type[BaseModel], doc: TomlDocument, path: str, problems: Problems, prefix: Path = ()
) -> None:
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind.startswith("union_tag"):
            loc = (*loc, "kind")
        line, col = doc.locate(prefix + loc)
        # ("indicator", 0, "rule", 1, "checklist") is an error on the whole rule: no key to name
        whole_rule = len(loc) >= 2 and loc[-1] in KIND_NAMES and isinstance(loc[-2], int)
        key = "" if whole_rule else next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        message = err["msg"]
        hint = ""
        if kind == "missing":
            message = f"missing required key '{loc[-1]}'"
            hint = f"add `{loc[-1]} = …`"
        elif kind == "extra_forbidden":
            message = f"unknown key '{loc[-1]}'"
            hint = did_you_mean(str(loc[-1]), _fields_at(model, loc[:-1]))
        elif kind == "union_tag_invalid":
            tag = str(err.get("ctx", {}).get("tag", ""))
            message = f"unknown rule kind '{tag}'"
            hint = did_you_mean(tag, KIND_NAMES)
        elif kind == "union_tag_not_found":
            message = "a rule needs `kind`"
            hint = "one of: " + ", ".join(KIND_NAMES)
        elif kind in ("value_error", "assertion_error"):
            message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
            if key:
                message = f"'{key}': {message}"
        else:
            message = f"'{key}': {message}" if key else message
            if kind.startswith("date"):
                hint = "write a TOML date without quotes, e.g. 2010-06-30"
            elif kind in ("int_type", "bool_type"):
                hint = "write the value without quotes, e.g. count = 2 or per_occurrence = true"
            elif kind == "string_pattern_mismatch":
                hint = "ids are short ASCII: letters, digits, '-', '_' and '.'"
        # custom errors of generator.types carry their stable code as the error type ("text.…")
        problems.add(path, line, col, message, hint, code=kind if "." in kind else "")


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (sub)model that `loc` points into, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any, part: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if isinstance(part, str) and part in annotation.model_fields:
            return annotation.model_fields[part].annotation
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unwrap(args[0], part)
    if origin in (typing.Union, types.UnionType):
        if isinstance(part, str) and part in KIND_NAMES:
            return next(c for c in RULE_KINDS if c.model_fields["kind"].annotation.__args__[0] == part)
        for arg in args:
            found = _unwrap(arg, part)
            if found is not None:
                return found
        non_none = [a for a in args if a is not type(None)]
        return non_none[0] if len(non_none) == 1 and isinstance(part, int) else None
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict and isinstance(part, str):
        return args[1]
    return None


# -- frameworks ---------------------------------------------------------------------------------


def _load_framework(tree: Tree, folder: str, problems: Problems) -> tuple[Framework | None, set[str]]:
    base = f"frameworks/{folder}"
    path = f"{base}/framework.toml"
    doc = read_toml(tree, path, problems)
    broken: set[str] = set()
    if doc is None:
        return None, broken
    fw = validate_model(Framework, doc.data, doc, path, problems)
    if fw is None:
        return None, broken
    fw._path = path
    for key, items in (("part", fw.part), ("series", fw.series)):
        for n, item in enumerate(items):
            item._source = f"{path}:{doc.locate((key, n))[0]}"
    if fw.id != folder:
        problems.add(
            path,
            *doc.locate(("id",)),
            f"framework id '{fw.id}' differs from its folder '{folder}'",
            f'rename the folder or set id = "{folder}"',
        )
    categories: list[tuple[int, str, Category]] = []
    for cat_path in tree.files(base):
        if cat_path == path or not cat_path.endswith(".toml") or cat_path.count("/") != 2:
            continue
        cat = _load_category(tree, cat_path, problems, broken)
        if cat is not None:
            categories.append((cat.order if cat.order is not None else 10**6, cat_path, cat))
    fw._categories = [c for _, _, c in sorted(categories, key=lambda t: (t[0], t[1]))]
    _inherit_settings(fw)
    return fw, broken


SETTINGS = ("method", "floor", "granularity", "department", "applies_to")
DEFAULTS: dict[str, Any] = {"method": "deduction", "floor": "zero"}


def _inherit_settings(fw: Framework) -> None:
    """Give every indicator its effective settings: its own, else its category's, part's, framework's."""
    parts = {p.id: p for p in fw.part}
    for cat in fw.categories:
        part = parts.get(cat.part) if cat.part else None
        for ind in cat.indicators:
            for name in SETTINGS:
                for level in (ind, cat, part, fw):
                    value = getattr(level, name, None) if level is not None else None
                    if value is not None:
                        setattr(ind, name, value)
                        break
                else:
                    setattr(ind, name, DEFAULTS.get(name))


def _load_category(tree: Tree, path: str, problems: Problems, broken: set[str]) -> Category | None:
    doc = read_toml(tree, path, problems)
    if doc is None:
        return None
    data = dict(doc.data)
    raw_indicators = data.pop("indicator", [])
    unknown = [k for k in data if k != "category"]
    for key in unknown:
        problems.add(
            path,
            *doc.locate((key,)),
            f"unknown top-level key '{key}'",
            did_you_mean(key, CategoryFile.model_fields)
            + "; a category file holds [category] and [[indicator]] tables",
        )
    if "category" not in data:
        problems.add(path, 1, 1, "missing [category] table", "start the file with [category] and its id and title")
        return None
    header = validate_model(CategoryHeader, data["category"], doc, path, problems, ("category",))
    if not isinstance(raw_indicators, list):
        problems.add(path, *doc.locate(("indicator",)), "'indicator' must be an array of tables", "write [[indicator]]")
        raw_indicators = []
    indicators: list[Indicator] = []
    for n, raw in enumerate(raw_indicators):
        ind = validate_model(Indicator, raw, doc, path, problems, ("indicator", n))
        if ind is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        line, _ = doc.locate(("indicator", n))
        ind._source = f"{path}:{line}"
        for k, rule in enumerate(ind.rule):
            rule._source = f"{path}:{doc.locate(('indicator', n, 'rule', k))[0]}"
        indicators.append(ind)
    if header is None:
        broken.update(i.id for i in indicators)
        return None
    cat = Category.model_validate(header.model_dump())
    cat._indicators = indicators
    cat._path = path
    for ind in indicators:
        ind._category = cat.id
    return cat


# -- assessment years ---------------------------------------------------------------------------


def _load_year(
    tree: Tree,
    year: int,
    files: list[str],
    frameworks: dict[str, Framework],
    broken: dict[str, set[str]],
    problems: Problems,
) -> Assessment | None:
    """The year's units, evidence and findings; `files` are the paths under evidence/<year>/."""
    base = f"evidence/{year}"
    path = f"{base}/units.toml"
    doc = read_toml(tree, path, problems)
    if doc is None:
        return None
    units, broken_units = _load_units(doc, path, problems)
    if not units and broken_units:
        return None  # every unit failed: the year cannot be scored (each failure is reported)
    data = {**doc.data, "unit": [u.model_dump() for u in units]} if broken_units else doc.data
    units_file = validate_model(UnitsFile, data, doc, path, problems)
    if units_file is None:
        return None
    if units_file.year != year:
        problems.add(
            path, *doc.locate(("year",)), f"year {units_file.year} differs from its folder {year}", f"set year = {year}"
        )
    fw = frameworks.get(units_file.framework)
    if fw is None:
        problems.add(
            path,
            *doc.locate(("framework",)),
            f"unknown framework '{units_file.framework}'",
            did_you_mean(units_file.framework, frameworks) or "add frameworks/<id>/framework.toml",
        )
        return None
    series_ids = {s.id for s in fw.series}
    seen: dict[str, int] = {}
    for n, unit in enumerate(units_file.unit):
        if unit.id in seen:
            problems.add(
                path,
                *doc.locate(("unit", n, "id")),
                f"duplicate unit id '{unit.id}'",
                f"already used at line {seen[unit.id]}",
            )
        seen.setdefault(unit.id, doc.locate(("unit", n))[0])
        if unit.series not in series_ids:
            problems.add(
                path,
                *doc.locate(("unit", n, "series")),
                f"unknown series '{unit.series}'",
                did_you_mean(unit.series, series_ids),
            )
    assessment = Assessment(
        year, path, units_file.title, fw, units_file.unit, filing_deadlines=units_file.filing_deadlines
    )
    unit_ids = set(seen)
    folders = unit_ids | broken_units  # a unit whose entry failed is reported there, not in every file of its folder
    for file_path in files:
        if file_path == path:
            continue
        rel = file_path[len(base) + 1 :]
        top = rel.split("/")[0] if "/" in rel else None
        if file_path.endswith(".md"):
            if top is None:
                continue  # a README beside units.toml documents the year
            ev = load_evidence(tree, file_path, top, folders, problems)
            if ev is not None:
                assessment.evidence.append(ev)
        elif file_path.endswith(".toml"):
            if top is not None and top not in folders and top != "findings":
                problems.add(
                    file_path,
                    1,
                    1,
                    f"folder '{top}' is not a unit of this year",
                    did_you_mean(top, unit_ids) + "; findings live in evidence/<year>/<unit id>/ "
                    "or evidence/<year>/findings/",
                )
                continue
            assessment.findings.extend(load_findings(tree, file_path, top if top in unit_ids else None, problems))
    assessment.index()
    return assessment


def _load_units(doc: TomlDocument, path: str, problems: Problems) -> tuple[list[Unit], set[str]]:
    """Each [[unit]] validated on its own, so one bad entry does not hide the rest of the year.

    Returns the valid units and the ids of the entries that failed (when they have an id).
    """
    raw_units = doc.data.get("unit")
    if not isinstance(raw_units, list):
        return [], set()  # missing or not an array: UnitsFile's own validation says so
    units: list[Unit] = []
    broken: set[str] = set()
    for n, raw in enumerate(raw_units):
        unit = validate_model(Unit, raw, doc, path, problems, ("unit", n))
        if unit is not None:
            units.append(unit)
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            broken.add(raw["id"])
        else:
            broken.add(f"#{n}")
    return units, broken


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line number) for text starting with a `+++` line."""
    if not text.startswith(FRONT_MATTER):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != FRONT_MATTER:
        return None
    match = re.search(r"^\+\+\+[ \t]*$", text[first_nl + 1 :], re.MULTILINE)
    if match is None:
        return None
    front = text[first_nl + 1 : first_nl + 1 + match.start()]
    rest = text[first_nl + 1 + match.end() :]
    body = rest[1:] if rest.startswith("\n") else rest
    body_line = front.count("\n") + 3
    return front, body, body_line


def load_evidence(tree: Tree, path: str, unit_dir: str, unit_ids: set[str], problems: Problems) -> Evidence | None:
    text = read_text(tree, path, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None and text.split("\n", 1)[0].strip() == FRONT_MATTER:
        problems.add(path, 1, 1, "the front matter is not closed", "end the front matter with a line '+++'")
        return None
    if parts is None:
        problems.add(
            path,
            1,
            1,
            "evidence file has no TOML front matter",
            "start it with a line '+++', the keys (indicator, date, …), and another '+++'",
        )
        return None
    front, body, body_line = parts
    doc = read_toml(tree, path, problems, text=front, line_offset=1)
    if doc is None:
        return None
    meta, _ = validate_rest(EvidenceMeta, doc.data, doc, path, problems)
    if meta is None:
        _check_links(tree, path, body, body_line, problems)
        return None
    unit = meta.unit or unit_dir
    if unit_dir not in unit_ids:
        problems.add(
            path,
            1,
            1,
            f"folder '{unit_dir}' is not a unit of this year",
            did_you_mean(unit_dir, unit_ids) + "; evidence lives in evidence/<year>/<unit id>/",
        )
    elif meta.unit is not None and meta.unit != unit_dir:
        problems.add(
            path,
            *doc.locate(("unit",)),
            f"unit '{meta.unit}' differs from the folder '{unit_dir}'",
            "move the file or remove `unit`",
        )
    ev = Evidence(
        path=path,
        unit=unit,
        indicator=meta.indicator,
        date=meta.date,
        title=meta.title,
        satisfies=meta.satisfies,
        count=meta.count,
        metrics=dict(meta.metrics),
        body=body,
        body_line=body_line,
        author=meta.author,
        doc=doc,
    )
    ev.links = _check_links(tree, path, body, body_line, problems)
    return ev


def _find_links(body: str) -> Iterator[re.Match[str]]:
    """The matches ``_LINK.finditer(body)`` gives, trying the regex only where a match can start.

    Every match starts at a "[" , at a "!" before one, or at the start of a line indented by up to
    three blanks before one; scanning every position of every body with the regex took most of
    the time of link checking.
    """
    end = 0  # no match may start before the end of the previous one
    line_start = 0
    previous = 0
    i = body.find("[")
    while i >= 0:
        newline = body.rfind("\n", previous, i)  # only since the previous "[": linear on long lines
        if newline >= 0:
            line_start = newline + 1
        previous = i
        starts = [i]
        if i > 0 and body[i - 1] == "!":
            starts.insert(0, i - 1)
        if line_start < i and i - line_start <= 3 and not body[line_start:i].strip(" \t"):
            starts.insert(0, line_start)
        for start in starts:
            if start >= end:
                match = _LINK.match(body, start)
                if match:
                    yield match
                    end = match.end()
                    break
        i = body.find("[", max(i + 1, end))


def _check_links(tree: Tree, path: str, body: str, body_line: int, problems: Problems) -> list[str]:
    targets: list[str] = []
    folder = posixpath.dirname(path)
    counted, newlines = 0, 0  # newlines before `counted`: counting from the start each time is quadratic
    for match in _find_links(body):
        target = match.group(1) or match.group(2)
        if not target or target.startswith("#"):
            continue
        newlines += body.count("\n", counted, match.start())
        counted = match.start()
        line = body_line + newlines
        col = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
        scheme = _SCHEME.match(target)
        if scheme:
            if scheme.group(0).lower() not in ("http:", "https:", "mailto:"):
                problems.add(
                    path,
                    line,
                    col,
                    f"link uses the '{scheme.group(0)}' scheme",
                    "link to files in the repository or to http(s) pages only",
                )
            elif scheme.group(0).lower() != "mailto:":
                image = match.group(0).startswith("!")
                problems.add(
                    path,
                    line,
                    col,
                    f"{'image from' if image else 'link to'} another host: '{target}'",
                    "the site leaves it out: commit the image beside this file"
                    if image
                    else "readers on the internal network may not reach it; commit a copy if it is evidence",
                    severity="warning",
                )
            continue
        file_part = target.split("#")[0].split("?")[0]
        if not file_part:
            continue
        if file_part.startswith("/"):
            problems.add(path, line, col, f"absolute link '{target}'", "use a path relative to this file")
            continue
        resolved = _normalise(folder, file_part)
        if resolved is None:
            problems.add(
                path,
                line,
                col,
                f"link '{target}' points outside the repository",
                "link only to files inside the repository",
            )
            continue
        if not tree.exists(resolved):
            problems.add(
                path,
                line,
                col,
                f"link to a file that does not exist: '{target}'",
                "check the spelling or commit the file",
            )
            continue
        targets.append(resolved)
    return targets


def _normalise(folder: str, relative: str) -> str | None:
    """`relative` joined to `folder` with "." and ".." resolved; None when it climbs above the root."""
    parts: list[str] = []
    for part in f"{folder}/{relative}".split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def load_findings(tree: Tree, path: str, unit_dir: str | None, problems: Problems) -> list[Finding]:
    doc = read_toml(tree, path, problems)
    if doc is None:
        return []
    for key in doc.data:
        if key != "finding":
            problems.add(
                path,
                *doc.locate((key,)),
                f"unknown top-level key '{key}'",
                "a findings file holds only [[finding]] tables",
            )
    raw_findings = doc.data.get("finding", [])
    if not isinstance(raw_findings, list):
        problems.add(path, *doc.locate(("finding",)), "'finding' must be an array of tables", "write [[finding]]")
        return []
    folder = posixpath.dirname(path)
    findings = []
    for n, raw in enumerate(raw_findings):
        f, valid = validate_rest(Finding, raw, doc, path, problems, ("finding", n))
        if f is None:
            continue
        f._partial = not valid
        f._path = path
        f._source = f"{path}:{doc.locate(('finding', n))[0]}"
        if f.unit is None:
            if unit_dir is None:
                problems.add(
                    path,
                    *doc.locate(("finding", n)),
                    f"finding '{f.id}' does not say which unit it is for",
                    'add `unit = "<unit id>"` or keep the file in the unit\'s folder',
                )
                continue
            f.unit = unit_dir
        elif unit_dir is not None and f.unit != unit_dir:
            problems.add(
                path,
                *doc.locate(("finding", n, "unit")),
                f"unit '{f.unit}' differs from the folder '{unit_dir}'",
                "move the finding or remove `unit`",
            )
        paths = []
        for k, ref in enumerate(f.evidence):
            resolved = _normalise(folder, ref) if not ref.startswith("/") else None
            if resolved is None:
                problems.add(
                    path,
                    *doc.locate(("finding", n, "evidence", k)),
                    f"evidence path '{ref}' leaves the repository",
                    "give a path relative to this file",
                )
            elif not tree.exists(resolved) or tree.is_dir(resolved) or resolved == path:
                problems.add(
                    path,
                    *doc.locate(("finding", n, "evidence", k)),
                    f"evidence file does not exist: '{ref}'"
                    if not tree.exists(resolved)
                    else f"'{ref}' is not an evidence file",
                    "name a file, relative to this findings file",
                )
            else:
                paths.append(resolved)
        f._evidence_paths = paths
        f._doc = doc
        f._index = n
        findings.append(f)
    return findings
