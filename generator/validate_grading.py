"""Checks of a framework's grading: bands best first, quotas, tie-breaks and unit vetoes.

Kept apart from :mod:`generator.validate` so the grading rules and their checks read together
(:mod:`generator.score.grading` applies what is checked here).
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from .messages import msg
from .model import Framework, Grade
from .problems import Problems, did_you_mean
from .score.rules.unit_veto import UnitVetoRule
from .source import Source

CheckInterpreted = Callable[[BaseModel, str, int, Problems], None]


def _split(source: Source, fallback: str) -> tuple[str, int]:
    """Where to report: the table's own line, or the framework file when the table was not read from one."""
    return (source.path, source.line) if source.path else (fallback, 1)


def validate_grading(fw: Framework, problems: Problems, check_interpreted: CheckInterpreted) -> None:
    titles: dict[str, int] = {}
    for n, grade in enumerate(fw.grade):
        path, line = _split(grade.source, fw.path)
        check_interpreted(grade, path, line, problems)
        if grade.quota is not None:
            check_interpreted(grade.quota, path, line, problems)
        if grade.title in titles:
            problems.report(path, line, 1, "framework.grade-duplicate", grade=grade.title)
        titles.setdefault(grade.title, n)
        if n > 0:
            _check_order(fw.grade[n - 1], grade, path, line, problems)
        if grade.proposed:  # as for a proposed rule: a person compares it with the document's words
            problems.report(
                path, line, 1, "framework.grade-proposed", severity="warning", grade=grade.title, text=grade.text
            )
    ids = {
        "category": {c.id for c in fw.categories},
        "part": {p.id for p in fw.part},
        "indicator": {i.id for i in fw.indicators()},
    }
    for tie_break in fw.tie_break:
        known = ids.get(tie_break.by)
        if known is not None and tie_break.id not in known:
            path, line = _split(tie_break.source, fw.path)
            problems.report(
                path,
                line,
                1,
                "framework.tie-break-unknown",
                by=tie_break.by,
                id=tie_break.id,
                suggestion=did_you_mean(tie_break.id or "", known),
            )
    for ind in fw.indicators():
        for rule in ind.rule:
            if isinstance(rule, UnitVetoRule):
                for key in ("max_grade", "grade"):
                    value = getattr(rule, key)
                    if value is not None and value not in titles:
                        path, line = _split(rule._source, fw.path)
                        problems.report(
                            path,
                            line,
                            1,
                            "framework.unit-veto-unknown-grade",
                            rule=rule.id,
                            indicator=ind.id,
                            grade=value,
                            suggestion=did_you_mean(value, titles) if titles else msg("framework.grades-missing"),
                        )


def _check_order(better: Grade, grade: Grade, path: str, line: int, problems: Problems) -> None:
    """Bands are listed best first: a band may not ask more than the one above it, nor follow a band
    that takes every remaining unit."""
    pairs = [(getattr(grade, key), getattr(better, key)) for key in ("min_percent", "min_total")]
    asks_more = any(mine is not None and theirs is not None and mine > theirs for mine, theirs in pairs)
    if asks_more or better.takes_the_rest:
        problems.report(
            path,
            line,
            1,
            "framework.grade-order",
            grade=grade.title,
            better=better.title,
            why=msg("framework.grade-order.higher" if asks_more else "framework.grade-order.rest", better=better.title),
        )
