"""Incident: an assessor's finding of an event, deducted by grade and multiplied by severity.

From "一般工作人员违纪扣0.2分，股级干部扣0.3分，科级干部扣0.4分；严重违纪案件在第一种扣分标准
的基础上加一倍扣分；刑事案件……加两倍" (grades 0.2/0.3/0.4, severities ×1/×2/×3), and
"发生事故死亡1人扣5分" (one amount per counted occurrence).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ...messages import joined, msg
from ...problems import did_you_mean
from ...types import Amount, invalid
from ..results import Line
from .base import FindingProblem, RuleBase, RuleContext, measure_field

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class IncidentRule(RuleBase):
    kind: Literal["incident"]
    amount: Amount | None = Field(None, description="Deduction per occurrence when there are no grades.")
    grades: dict[str, Amount] = Field(
        default_factory=dict, description="Deduction per occurrence by grade, e.g. 科级 = 0.4."
    )
    severities: dict[str, Amount] = Field(
        default_factory=dict, description="Multiplier by severity, e.g. 严重 = 2 (加一倍)."
    )
    measure: str = measure_field("起", "起 (cases), 人 (deaths) …")
    takes_findings = True
    finding_keys = frozenset({"grade", "severity", "count"})

    @model_validator(mode="after")
    def _amount_or_grades(self) -> IncidentRule:
        if self.amount is None and not self.grades:
            raise invalid("rule.incident.amount-or-grades")
        if self.amount is not None and self.grades:
            raise invalid("rule.incident.amount-and-grades")
        return self

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        if self.amount is not None:
            yield ("amount",), self.amount
        for grade, amount in self.grades.items():
            yield ("grades", grade), amount

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        if self.grades:
            if finding.grade is None:
                yield "grade", "finding.grade-missing", {"rule": self.id, "suggestion": did_you_mean("", self.grades)}
            elif finding.grade not in self.grades:
                yield (
                    "grade",
                    "finding.unknown-grade",
                    {"grade": finding.grade, "suggestion": did_you_mean(finding.grade, self.grades)},
                )
        elif finding.grade is not None:
            yield "grade", "finding.grade-not-taken", {"rule": self.id}
        if finding.severity is not None and finding.severity not in self.severities:
            suggestion = did_you_mean(finding.severity, self.severities) or msg("finding.unknown-severity.remove")
            yield "severity", "finding.unknown-severity", {"name": finding.severity, "suggestion": suggestion}

    def apply(self, ctx: RuleContext) -> list[Line]:
        lines = []
        for f in ctx.findings_for(self):
            base = self.grades[f.grade] if self.grades and f.grade else (self.amount or Decimal(0))
            multiplier = self.severities.get(f.severity, Decimal(1)) if f.severity else Decimal(1)
            count = msg("score.counted", count=f.count, unit=self.measure) if f.count > 1 else None
            details = [x for x in (f.grade, f.severity, count) if x]
            reason = (
                msg("score.finding.detailed", reason=f.reason, detail=joined("value.clause-separator", details))
                if details
                else msg("score.finding", reason=f.reason)
            )
            lines.append(
                Line(
                    base * multiplier * f.count,
                    reason,
                    self.id,
                    f.source,
                    evidence=list(f.evidence_paths),
                    finding=f.id,
                )
            )
        return lines
