"""Count: a required number of occurrences, a deduction per missing one.

From "全年反腐倡廉教育少于4次……缺1次扣0.1分" and "与20家以上的企业联系……缺一家扣0.01分".
Only whether the requirement is met is scored: evidence beyond the required count earns nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import Field

from ...types import Amount, Id
from ..results import Line
from .base import RuleBase, RuleContext


class CountRule(RuleBase):
    kind: Literal["count"]
    key: Id = Field(description="What evidence names in `satisfies`; each file adds its `count`.")
    name: str = Field(description="What is counted, e.g. 反腐倡廉教育.")
    required: int = Field(ge=1, description="How many are required in the year.")
    amount: Amount = Field(description="Deduction per missing one.")
    unit: str = Field("次", description="Counting word for messages: 次, 家, 篇 …")

    def requirement_keys(self) -> dict[str, str]:
        return {self.key: self.name}

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        evidence = ctx.evidence_satisfying(self.key)
        have = sum(e.count for e in evidence)
        missing = self.required - have
        if missing <= 0:
            return []
        reason = f"{self.name}应{self.required}{self.unit}，实有{have}{self.unit}，缺{missing}{self.unit}"
        return [
            Line(
                self.amount * missing,
                reason,
                self.id,
                self._source,
                evidence=[e.path for e in evidence],
                missing=self.name,
            )
        ]
