"""Problems in the formats CI servers understand, so a clerk sees them on the changed line.

``kaohe check --format`` prints the very problems the text format prints, only written for a
machine: GitHub/Gitea workflow commands, a GitLab Code Quality report, or a plain JSON list.
Paths and messages hold values from pull requests: every format a person reads (text, github,
gitlab) shows their control and line-break characters as visible escapes (a newline in a file
name must not start a forged annotation, an ESC must not colour the CI log); json keeps the data
exactly, escaped by ``json.dumps``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from .controlchars import one_line
from .messages import plain_params, tr
from .problems import Problem

FORMATS = ("text", "github", "gitlab", "json")

#: GitLab Code Quality severities for kaohe's two.
_GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def message(problem: Problem) -> str:
    """The message with its hint, on one line, as the text format shows it after `path:line:col: severity:`."""
    hint = problem.hint
    return one_line(problem.message + (tr("problem.hint", hint=hint) if hint else ""))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problems: Iterable[Problem]) -> str:
    """GitHub (and Gitea/Forgejo) Actions workflow commands: one `::error file=…,line=…,col=…::` each."""
    lines = []
    for p in problems:
        command = "error" if p.severity == "error" else "warning"
        lines.append(
            f"::{command} file={_escape_property(one_line(p.path))},line={p.line},col={p.col},"
            f"title={_escape_property('kaohe check')}::{_escape_data(message(p))}"
        )
    return "".join(line + "\n" for line in lines)


def fingerprint(problem: Problem) -> str:
    """Stable per problem: path, position, code and parameters, so two equal messages on two lines
    differ, and the same problem keeps its fingerprint in either language."""
    params = json.dumps(plain_params(problem.params), ensure_ascii=False, sort_keys=True)
    key = "\0".join((problem.path, str(problem.line), str(problem.col), problem.code, params))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def gitlab(problems: Iterable[Problem]) -> str:
    """A GitLab Code Quality report (artifacts:reports:codequality), a JSON array of issues."""
    issues = [
        {
            "description": message(p),
            "check_name": "kaohe-check",
            "fingerprint": fingerprint(p),
            "severity": _GITLAB_SEVERITY.get(p.severity, "info"),
            "location": {
                "path": one_line(p.path),
                "lines": {"begin": p.line},
                "positions": {"begin": {"line": p.line, "column": p.col}},
            },
        }
        for p in problems
    ]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def as_json(problems: Iterable[Problem]) -> str:
    """A plain JSON list of problems for scripts."""
    items: list[dict[str, Any]] = [
        {
            "path": p.path,
            "line": p.line,
            "col": p.col,
            "severity": p.severity,
            "code": p.code,
            "params": plain_params(p.params),
            "message": p.message,
            "hint": p.hint,
        }
        for p in problems
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def text(problems: Iterable[Problem]) -> str:
    return "".join(p.format() + "\n" for p in problems)


def render(problems: Iterable[Problem], fmt: str) -> str:
    return {"text": text, "github": github, "gitlab": gitlab, "json": as_json}[fmt](list(problems))
