"""JSON Schemas of the file formats, generated from the pydantic models the validator uses.

Editors (Taplo / Even Better TOML) read them from ``docs/schemas/`` to complete keys and flag
mistakes while a clerk types; because they come from the same definitions as ``kaohe check``,
they cannot drift from it (a test fails when the committed copies are stale).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from . import score as _score  # noqa: F401  (imports the rule kinds before the model that uses them)
from .codeowners import first_difference
from .model import CategoryFile, EvidenceMeta, FindingsFile, Framework, StagesFile, UnitsFile
from .ownfile import read_current, refuse_unsafe, write_own
from .problems import Problems
from .score.rules import RULE_KINDS
from .tree import Tree

#: File name under docs/schemas/ → (model, title, which files it describes).
SCHEMAS: dict[str, tuple[Any, str, str]] = {
    "framework.schema.json": (Framework, "kaohe framework", "frameworks/<id>/framework.toml"),
    "category.schema.json": (CategoryFile, "kaohe category", "frameworks/<id>/<NN>-<category>.toml"),
    "units.schema.json": (UnitsFile, "kaohe assessment year", "evidence/<year>/units.toml"),
    "findings.schema.json": (FindingsFile, "kaohe findings and appeals", "evidence/<year>/**/*.toml"),
    "stages.schema.json": (StagesFile, "kaohe stages of a year's results", "evidence/<year>/stages.toml"),
    "evidence.schema.json": (
        EvidenceMeta,
        "kaohe evidence front matter",
        "the TOML between +++ lines of evidence/<year>/<unit>/*.md",
    ),
}

DEFAULT_DIR = "docs/schemas"


class _EditorSchema(GenerateJsonSchema):
    """What editors must accept is what `kaohe check` accepts.

    Amounts are exact decimals inside kaohe but bare TOML numbers in the files (a quoted "0.5" is
    refused), so a decimal is a JSON number here, and its default is shown as one.
    """

    def decimal_schema(self, schema: Any) -> dict[str, Any]:
        generated = super().decimal_schema(schema)
        return next((b for b in generated.get("anyOf", []) if b.get("type") == "number"), generated)

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):
            return int(dft) if dft == dft.to_integral_value() else float(dft)
        return super().encode_default(dft)


def _rule_summaries() -> dict[str, str]:
    """Rule kind → the first line of its module's docstring (what the kind scores)."""
    out = {}
    for cls in RULE_KINDS:
        kind = cls.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
        doc = sys.modules[cls.__module__].__doc__ or ""
        out[kind] = doc.strip().split("\n")[0]
    return out


def _branch_on_kind(node: Any, defs: dict[str, Any], summaries: dict[str, str], loosen: dict[str, str]) -> Any:
    """Replace each discriminated union with an enum of its tags and one if/then per tag.

    Editors ignore the OpenAPI `discriminator` keyword: Taplo reports a misspelt kind, or a misspelt
    key in any rule, only as "not valid under any of the schemas listed in oneOf". Here `kind` is
    validated against an enum that names the valid kinds, and if/then applies exactly one kind's
    schema, so each error is about that kind. The object also lists every kind's keys (described,
    not typed), which is what editors complete from; the `then` schemas leave `kind` to the enum,
    since editors that merge if/then branches would otherwise find no value that fits them all.
    """
    if isinstance(node, list):
        return [_branch_on_kind(item, defs, summaries, loosen) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _branch_on_kind(value, defs, summaries, loosen) for key, value in node.items()}
    discriminator = node.get("discriminator")
    if not (isinstance(discriminator, dict) and "oneOf" in node):
        return node
    tag, mapping = discriminator["propertyName"], discriminator["mapping"]
    listing = "; ".join(f"{kind}: {summaries.get(kind, '')}" for kind in mapping)
    properties: dict[str, Any] = {tag: {"enum": list(mapping), "description": f"The rule kind. {listing}"}}
    for ref in mapping.values():
        name = ref.rsplit("/", 1)[1]
        loosen[name] = tag
        for key, spec in defs[name]["properties"].items():
            properties.setdefault(key, {"description": spec.get("description", spec.get("title", key))})
    return {
        "type": "object",
        "required": [tag],
        "properties": properties,
        "allOf": [
            {"if": {"properties": {tag: {"const": kind}}, "required": [tag]}, "then": {"$ref": ref}}
            for kind, ref in mapping.items()
        ],
    }


def schema(model: Any, title: str, describes: str) -> dict[str, Any]:
    generated = model.model_json_schema(mode="validation", schema_generator=_EditorSchema)
    loosen: dict[str, str] = {}
    body = _branch_on_kind(generated, generated.get("$defs", {}), _rule_summaries(), loosen)
    for name, tag in loosen.items():  # the enum checks the tag; see _branch_on_kind
        body["$defs"][name]["properties"][tag] = {"type": "string"}
    body["title"] = title
    body["description"] = (
        f"{describes}. Generated by `kaohe schema` from generator/model.py; do not edit by hand. See docs/formats.md."
    )
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}


def render_all() -> dict[str, str]:
    """File name → JSON text, stable (sorted keys, trailing newline) so diffs stay small."""
    return {
        name: json.dumps(schema(*spec), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, spec in SCHEMAS.items()
    }


def stale(folder: Path, rendered: dict[str, str] | None = None) -> list[str]:
    """Names of schema files in `folder` that are missing or differ from the generated ones (a
    link or special file in their place is missing: it is never read). `rendered`: the generated
    ones, where the caller has them already (generating them takes tens of milliseconds)."""
    texts = render_all() if rendered is None else rendered
    return [name for name, text in texts.items() if read_current(folder / name) != text]


def write_all(folder: Path, base: Path | None = None) -> list[str]:
    """Write every schema; return the names whose content changed.

    Nothing is written through a symbolic link or into a special file at a schema's name or, below
    `base` (the repository, for the default folder), on the way to it: a committed link would
    otherwise have `kaohe schema` overwrite the file it points to.
    """
    refuse_unsafe(folder, base or folder, folder=True)
    for name in SCHEMAS:  # every name refused before anything is written
        refuse_unsafe(folder / name, folder)
    rendered = render_all()
    changed = stale(folder, rendered)
    for name, text in rendered.items():
        if name in changed:
            write_own(folder / name, text, folder)
    return changed


def check(tree: Tree, problems: Problems) -> None:
    """Report committed schemas that differ from this kaohe's file formats, as for a stale CODEOWNERS.

    A repository without docs/schemas/ has chosen not to commit them: nothing to report.
    """
    if not tree.is_dir(DEFAULT_DIR):
        return
    for name, expected in render_all().items():
        path = f"{DEFAULT_DIR}/{name}"
        if not tree.exists(path):
            problems.report(path, 1, 1, "schema.missing", path=path)
            continue
        current = tree.read(path).decode("utf-8", "replace").replace("\r\n", "\n")
        if current != expected:
            problems.report(path, first_difference(current, expected), 1, "schema.stale", path=path)
