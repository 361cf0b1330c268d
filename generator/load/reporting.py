"""Model errors: pydantic's validation errors as problems at the key's line, with a fix."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..controlchars import one_line
from ..messages import msg
from ..problems import Problems, did_you_mean
from ..score.rules import KIND_NAMES, RULE_KINDS
from ..tomlsource import KeyPath, TomlDocument
from ..types import ID_PATTERN, describe_char, id_fault, value_type
from .reading import MAX_KEY_PARTS


def validate_model(
    model: type[BaseModel], data: Any, doc: TomlDocument, path: str, problems: Problems, prefix: KeyPath = ()
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report_validation(exc, model, doc, path, problems, prefix)
        return None
    except RecursionError:
        problems.report(path, *doc.locate(prefix), "toml.too-deep", dots=MAX_KEY_PARTS)
        return None


def validate_rest(
    model: type[BaseModel], data: Any, doc: TomlDocument, path: str, problems: Problems, prefix: KeyPath = ()
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
        problems.report(path, *doc.locate(prefix), "toml.too-deep", dots=MAX_KEY_PARTS)
        return None, False
    if not isinstance(data, dict):
        return None, False
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in faulty}), False
    except (ValidationError, RecursionError):
        return None, False


#: pydantic's own error types, as problem codes (each worded by the catalogue, in the reader's language).
#: Errors of kaohe's own validators carry their code as the error type ("rule.range-reversed").
PYDANTIC_CODES = {
    "missing": "model.missing-key",
    "extra_forbidden": "model.unknown-key",
    "union_tag_invalid": "model.unknown-rule-kind",
    "union_tag_not_found": "model.rule-kind-missing",
    "int_type": "model.int",
    "int_parsing": "model.int",
    "int_from_float": "model.int",
    "bool_type": "model.bool",
    "bool_parsing": "model.bool",
    "string_type": "model.string",
    "string_pattern_mismatch": "model.id-pattern",
    "string_too_short": "model.text-too-short",
    "string_too_long": "model.text-too-long",
    "too_short": "model.too-few",
    "too_long": "model.too-many",
    "greater_than_equal": "model.too-small",
    "greater_than": "model.not-above",
    "less_than_equal": "model.too-large",
    "less_than": "model.not-below",
    "list_type": "model.list",
    "dict_type": "model.table",
    "model_type": "model.table",
    "model_attributes_type": "model.table",
    "literal_error": "model.choice",
}
#: Limits pydantic names in an error's context, and the parameter each becomes.
_LIMITS = {"ge": "limit", "gt": "limit", "le": "limit", "lt": "limit", "min_length": "limit", "max_length": "limit"}


def report_validation(
    exc: ValidationError, model: type[BaseModel], doc: TomlDocument, path: str, problems: Problems, prefix: KeyPath = ()
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
        ctx = err.get("ctx") or {}
        if kind.startswith("date"):
            code, params = "model.date", {}
        elif "." in kind:  # kaohe's own validators: the code is the error type, the context its parameters
            code, params = kind, dict(ctx)
        elif kind in PYDANTIC_CODES:
            code, params = PYDANTIC_CODES[kind], {_LIMITS[k]: v for k, v in ctx.items() if k in _LIMITS}
        else:  # a type kaohe does not word: pydantic's own (English) words, as a parameter
            code, params = "model.invalid", {"detail": err["msg"]}
        if kind == "missing":
            key = str(loc[-1])
        elif kind == "extra_forbidden":
            key = str(loc[-1])
            params["suggestion"] = did_you_mean(key, _fields_at(model, loc[:-1]))
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
            code, params = _id_invalid(err["input"], code, params)
        elif kind == "union_tag_invalid":
            given = err["input"].get("kind") if isinstance(err["input"], dict) else None
            if isinstance(given, str):
                params["kind"] = given
                params["suggestion"] = did_you_mean(given, KIND_NAMES)
            else:  # str() of an array or a table is Python's writing of it: name its type instead
                code = "model.rule-kind-type"
                params = {"type": value_type(given), "suggestion": _kind_inside(given)}
        elif kind == "union_tag_not_found":
            params["kinds"] = KIND_NAMES
        elif kind == "literal_error":
            params["choices"] = _literal_choices(model, loc) or str(ctx.get("expected", ""))
        elif code in _CHAR_CODES:
            line, col = doc.locate_char(prefix + loc, chr(int(str(params["char"])[2:].split(" ")[0], 16)))
        code, params = _reworded(model, loc, code, params, err.get("input"))
        problems.report(path, line, col, code, key=key, **params)


def _reworded(
    model: type[BaseModel], loc: tuple[Any, ...], code: str, params: dict[str, Any], given: Any
) -> tuple[str, dict[str, Any]]:
    """A type error worded for where it stands, where the general wording would mislead.

    `tie_break = []` under `[interpreted]` is a marker's reason, not the setting: "expected text, e.g.
    title = …" hides that the line belongs above the header. An array of tables (tie_break, grade)
    given a string is not "an array like ["a", "b"]", nor is its item a "[table]": both say how
    the array is written, as `[[tie_break]]` sections or `[{ … }]`.
    """
    if code == "model.string" and len(loc) >= 2 and loc[-2] == "interpreted":
        return "model.interpreted-not-text", {"type": value_type(given)}
    if code == "model.list" and _holds_tables(_annotation_at(model, loc)):
        return "model.table-list", {"type": value_type(given)}
    if code == "model.table" and loc and isinstance(loc[-1], int) and _holds_tables(_annotation_at(model, loc[:-1])):
        return "model.table-item", {"position": loc[-1] + 1, "type": value_type(given)}
    return code, params


def _annotation_at(model: type[BaseModel], loc: tuple[Any, ...]) -> Any:
    """The annotation of the field `loc` points to (None when it cannot be followed)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return None
    return current


def _holds_tables(annotation: Any) -> bool:
    """Whether an annotation is an array of tables (list[TieBreak]), possibly optional or annotated."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_holds_tables(a) for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is not list:
        return False
    return _model_in(typing.get_args(annotation)[0]) is not None


#: Codes whose `char` ("U+202E", "U+001B (ESC)") is a character the value holds: reported where it is written.
_CHAR_CODES = frozenset({"text.control-character", "text.bidi-control"})


#: Most characters of a value shown in a message: an id is at most 64, a paste may be a page.
_SHOWN = 40


def _id_invalid(value: Any, code: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An invalid id, shown (control characters made visible) with its first wrong character named."""
    fault = id_fault(value) if isinstance(value, str) else None
    if fault is None:
        return code, params
    position, char = fault
    shown = one_line(value if len(value) <= _SHOWN else value[:_SHOWN] + "…")
    why = msg("id.first-char" if position == 1 else "id.other-char")
    return "model.id-invalid", {"value": shown, "position": position, "char": describe_char(char), "why": why}


def _kind_inside(given: Any) -> Any:
    """For `kind = ["checklist"]`: the kind the array holds, as a did-you-mean; else the kinds."""
    inside = given[0] if isinstance(given, list) and len(given) == 1 else None
    if isinstance(inside, str):
        return did_you_mean(inside, KIND_NAMES)
    return msg("hint.one-of", choices=sorted(KIND_NAMES))


def _literal_choices(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, ...]:
    """The values a Literal field at `loc` allows, for "one of: …" (empty when it is no Literal)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return ()
    while typing.get_origin(current) is typing.Annotated:
        current = typing.get_args(current)[0]
    if typing.get_origin(current) in (typing.Union, types.UnionType):
        current = next((a for a in typing.get_args(current) if typing.get_origin(a) is typing.Literal), None)
    if typing.get_origin(current) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(current))
    return ()


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (sub)model that `loc` points into, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    found = _model_in(current)
    return list(found.model_fields) if found is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds: itself, or the model of an optional table (`AppliesTo | None`)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


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
