"""Discretionary range: the assessor chooses an amount inside the range and must say why.

From "没有复查工作的资料扣0.1-1分" and "不能提供监督管理工作的相关资料扣1-2分". The range bounds what
the clause deducts, not what one finding does: "相关督促及监督检查工作无据可查,无责任状扣0.1-3分" recorded
as two findings of 2 each is still at most 3, with a visible correction line.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ...messages import Message, msg
from ...types import Amount, invalid
from ..results import Line
from .base import FindingProblem, RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class RangeRule(RuleBase):
    kind: Literal["range"]
    min: Amount = Field(description="Least the assessor may deduct.")
    max: Amount = Field(description="Most the assessor may deduct.")
    takes_findings = True
    finding_keys = frozenset({"amount"})

    @model_validator(mode="after")
    def _ordered(self) -> RangeRule:
        if self.min > self.max:
            raise invalid("rule.range.reversed", min=self.min, max=self.max)
        return self

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("min",), self.min
        yield ("max",), self.max

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        if finding.amount is None:
            yield "amount", "finding.range-amount-missing", {"rule": self.id, "min": self.min, "max": self.max}
        elif not self.min <= finding.amount <= self.max:
            yield "amount", "finding.range-amount-outside", {"amount": finding.amount, "min": self.min, "max": self.max}

    def apply(self, ctx: RuleContext) -> list[Line]:
        return [
            Line(
                f.amount or Decimal(0),
                msg("score.finding", reason=f.reason),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for f in ctx.findings_for(self)
        ]

    def limit(self, ctx: RuleContext, lines: list[Line]) -> tuple[Decimal, Message] | None:
        """The smaller of the rule's cap and the range's upper end (the clause deducts at most `max`)."""
        capped = super().limit(ctx, lines)
        if capped is not None and capped[0] <= self.max:
            return capped
        return self.max, msg("score.range.most", min=self.min, max=self.max)
