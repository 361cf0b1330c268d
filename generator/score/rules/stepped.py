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
                f.reason + (f"（{f.count}{self.measure}）" if f.count > 1 else ""),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for f in ctx.findings_for(self)
        ]

    def limit(self, ctx: RuleContext, lines: list[Line]) -> tuple[Decimal, str] | None:
        """The step reached by the items still standing after mitigations (a waived item does not count)."""
        net: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            net[line.mitigates or line.finding or ""] += line.amount
        found = sum(f.count for f in ctx.findings_for(self) if net[f.id] > 0)
        limits = [x for x in [super().limit(ctx, lines)] if x is not None]
        reached = [s for s in self.steps if found >= s.at]
        if reached:
            step = max(reached, key=lambda s: s.at)
            limits.append((step.amount, f"共{found}{self.measure}，达{step.at}{self.measure}以上按{step.amount}分计"))
        return min(limits, key=lambda x: x[0]) if limits else None
