"""Stepped: a deduction per item found, replaced by a fixed amount from a count upward.

From "辖区内存在超期使用设备……发现一台扣1分，五台以上扣4分": amount 1 per item, a step of 4 at
5 items. Each finding stays its own line; the step shows as a correction line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ...messages import Message, msg
from ...types import Amount
from ..results import Line
from .base import RuleBase, RuleContext, measure_field


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    at: int = Field(ge=1, description="From this many items upward …")
    amount: Amount = Field(description="… the whole rule deducts this.")


class SteppedRule(RuleBase):
    kind: Literal["stepped"]
    amount: Amount = Field(description="Deduction per item found.")
    steps: list[Step] = Field(default_factory=list)
    measure: str = measure_field("台", "台 (units of equipment), 处 …")
    takes_findings = True
    finding_keys = frozenset({"count"})

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount
        for n, step in enumerate(self.steps):
            yield ("steps", n, "amount"), step.amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        return [
            Line(
                self.amount * f.count,
                msg(
                    "score.finding.detailed",
                    reason=f.reason,
                    detail=msg("score.counted", count=f.count, unit=self.measure),
                )
                if f.count > 1
                else msg("score.finding", reason=f.reason),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for f in ctx.findings_for(self)
        ]

    def limit(self, ctx: RuleContext, lines: list[Line]) -> tuple[Decimal, Message] | None:
        """The step reached by the items still standing after mitigations (a waived item does not count)."""
        net: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            net[line.mitigates or line.finding or ""] += line.amount
        found = sum(f.count for f in ctx.findings_for(self) if net[f.id] > 0)
        limits = [x for x in [super().limit(ctx, lines)] if x is not None]
        reached = [s for s in self.steps if found >= s.at]
        if reached:
            step = max(reached, key=lambda s: s.at)
            reached_step = msg("score.stepped", found=found, at=step.at, amount=step.amount, unit=self.measure)
            limits.append((step.amount, reached_step))
        return min(limits, key=lambda x: x[0]) if limits else None
