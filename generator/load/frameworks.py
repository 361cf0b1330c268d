"""A framework folder: framework.toml, one file per category (table), settings inherited downwards."""

from __future__ import annotations

import re
from typing import Any

from ..model import Category, CategoryFile, CategoryHeader, Framework, Indicator
from ..problems import Problems, did_you_mean
from ..score.rules import RuleBase
from ..source import Source
from ..tomlsource import KeyPath, TomlDocument
from ..tree import Tree
from .reading import misnamed, read_text, read_toml
from .reporting import validate_model


def load_framework(tree: Tree, folder: str, files: list[str], problems: Problems) -> tuple[Framework | None, set[str]]:
    """The framework in frameworks/<folder>/ (`files` are the paths under it) and the ids of its broken indicators."""
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
    fw._keys = {key: doc.locate((key,)) for key in ("id", "issuer", "organization") if key in doc.data}
    fw._keys.update({f"interpreted.{key}": doc.locate(("interpreted", key)) for key in fw.interpreted})
    tables = ("part", fw.part), ("series", fw.series), ("grade", fw.grade), ("tie_break", fw.tie_break)
    for key, items in (*tables, ("appeal_kind", fw.appeal_kind), ("period", fw.period)):
        for n, item in enumerate(items):
            item._source = Source(path, doc.locate((key, n))[0])
    if fw.id != folder:
        problems.report(path, *doc.locate(("id",)), "framework.id-differs", id=fw.id, folder=folder)
    categories: list[tuple[int, str, Category]] = []
    for cat_path in files:
        name = cat_path[len(base) + 1 :]
        if name == "framework.toml" or ("/" not in name and not name.endswith(".toml") and not misnamed(name)):
            continue  # read above; the README, the source document and other documentation
        if "/" in name or not name.endswith(".toml"):
            problems.report(cat_path, 1, 1, "framework.unread-file", severity="warning", name=name, folder=f"{base}/")
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
    text = read_text(tree, path, problems)
    if text is None:
        return None
    doc = read_toml(tree, path, problems, text=text)
    if doc is None:  # its syntax error is the problem: not every reference to its indicators
        broken.update(_indicator_ids(text))
        return None
    data = dict(doc.data)
    raw_indicators = data.pop("indicator", [])
    unknown = [k for k in data if k != "category"]
    for key in unknown:
        problems.report(
            path,
            *doc.locate((key,)),
            "category.unknown-key",
            key=key,
            suggestion=did_you_mean(key, CategoryFile.model_fields),
        )
    if "category" not in data:
        problems.report(path, 1, 1, "category.missing-table")
        return None
    header = validate_model(CategoryHeader, data["category"], doc, path, problems, ("category",))
    if not isinstance(raw_indicators, list):
        problems.report(path, *doc.locate(("indicator",)), "category.indicator-not-an-array")
        raw_indicators = []
    indicators: list[Indicator] = []
    for n, raw in enumerate(raw_indicators):
        ind = validate_model(Indicator, raw, doc, path, problems, ("indicator", n))
        if ind is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        ind._source = Source(path, doc.locate(("indicator", n))[0])
        for k, rule in enumerate(ind.rule):
            rule._source = Source(path, doc.locate(("indicator", n, "rule", k))[0])
            _renamed_keys(rule, raw["rule"][k], doc, path, ("indicator", n, "rule", k), problems)
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


#: `id = "…"` as a line of a TOML table (the value read without tomllib, which refused the file).
_ID_LINE = re.compile(r"""^[ \t]*id[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)')""")


def _indicator_ids(text: str) -> set[str]:
    """The ids of the [[indicator]] tables of a category file that does not parse, as far as a
    line-by-line reading finds them."""
    ids: set[str] = set()
    table = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped.split("#", 1)[0].replace(" ", "")
            continue
        match = _ID_LINE.match(line) if table == "[[indicator]]" else None
        if match:
            ids.add(match.group(1) if match.group(1) is not None else match.group(2))
    return ids


def _renamed_keys(
    rule: RuleBase, raw: dict[str, Any], doc: TomlDocument, path: str, at: KeyPath, problems: Problems
) -> None:
    """A warning for each key the rule gives by its old name (read for one more release)."""
    for old, new in rule.renamed_keys().items():
        if old in raw:
            problems.report(
                path,
                *doc.locate((*at, old)),
                "framework.key-renamed",
                severity="warning",
                old=old,
                new=new,
                rule=rule.id,
            )
