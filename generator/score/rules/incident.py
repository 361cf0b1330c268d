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

from ...problems import did_you_mean
from ...types import Amount
from ..results import Line
from .base import RuleBase, RuleContext, measure_field

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
        if (self.amount is None) == (not self.grades):
            raise ValueError("give either `amount` (per occurrence) or `grades`, not both")
        return self

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        if self.amount is not None:
            yield ("amount",), self.amount
        for grade, amount in self.grades.items():
            yield ("grades", grade), amount

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[tuple[str, str, str]]:
        if self.grades:
            if finding.grade is None:
                yield "grade", f"rule '{self.id}' deducts by grade: add `grade`", did_you_mean("", self.grades)
            elif finding.grade not in self.grades:
                yield "grade", f"unknown grade '{finding.grade}'", did_you_mean(finding.grade, self.grades)
        elif finding.grade is not None:
            yield "grade", f"rule '{self.id}' has no grades", "remove `grade`"
        if finding.severity is not None and finding.severity not in self.severities:
            yield (
                "severity",
                f"unknown severity '{finding.severity}'",
                did_you_mean(finding.severity, self.severities) or "remove `severity`",
            )

    def apply(self, ctx: RuleContext) -> list[Line]:
        lines = []
        for f in ctx.findings_for(self):
            base = self.grades[f.grade] if self.grades and f.grade else (self.amount or Decimal(0))
            multiplier = self.severities.get(f.severity, Decimal(1)) if f.severity else Decimal(1)
            detail = "，".join(x for x in (f.grade, f.severity, f"{f.count}{self.measure}" if f.count > 1 else "") if x)
            reason = f.reason + (f"（{detail}）" if detail else "")
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
