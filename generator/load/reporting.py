"""Model errors: pydantic's validation errors as problems at the key's line, with a fix."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..problems import Problems, did_you_mean
from ..score.rules import KIND_NAMES, RULE_KINDS
from ..tomlsource import KeyPath, TomlDocument


def validate_model(
    model: type[BaseModel], data: Any, doc: TomlDocument, path: str, problems: Problems, prefix: KeyPath = ()
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
        problems.add(path, *doc.locate(prefix), "value is nested too deeply")
        return None, False
    if not isinstance(data, dict):
        return None, False
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in faulty}), False
    except (ValidationError, RecursionError):
        return None, False


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
