"""Fixed: a set deduction an assessor records when a condition is found.

From "未细化监管责任，扣0.5分" (once) and "被查实一次扣0.3分", "未按时、保质完成上级交办的任务
扣0.5分/次" (per occurrence).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...types import Amount
from ..results import Line
from .base import RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class FixedRule(RuleBase):
    kind: Literal["fixed"]
    amount: Amount = Field(description="Deduction when found (per occurrence if `per_occurrence`).")
    per_occurrence: bool = Field(False, description="Deduct for every occurrence (一次/每次) instead of once.")
    takes_findings = True
    finding_keys = frozenset({"count"})

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[tuple[str, str, str]]:
        if not self.per_occurrence and "count" in finding.model_fields_set:
            yield (
                "count",
                f"rule '{self.id}' deducts once, whatever the count",
                "remove `count`, or set per_occurrence = true on the rule if every occurrence deducts",
            )

    def apply(self, ctx: RuleContext) -> list[Line]:
        findings = ctx.findings_for(self)
        if not self.per_occurrence:
            findings = findings[:1]
        return [
            Line(
                self.amount * (f.count if self.per_occurrence else 1),
                f.reason + (f"（{f.count}次）" if self.per_occurrence and f.count > 1 else ""),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for f in findings
        ]
