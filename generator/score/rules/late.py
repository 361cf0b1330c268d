"""Late: a deduction for each evidence file filed after its deadline.

From the Liaoyang measures: results are due by the 5th of the following month. When a file was
filed comes from git (see :mod:`generator.gitdates`): the day the commit that added it reached the
branch, against the indicator's completion month plus the framework's ``grace_days``; without git
history, scoring refuses unless told to leave lateness out. Lateness is always reported by
``kaohe check``; this rule is how a framework makes it cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import Field

from ...messages import msg
from ...types import Amount
from ..results import Line
from .base import RuleBase, RuleContext


class LateRule(RuleBase):
    kind: Literal["late"]
    amount: Amount = Field(description="Deduction per evidence file filed after the deadline (逾期报送).")

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        return [
            Line(
                self.amount,
                msg("score.late", file=e.path.rsplit("/", 1)[-1], filed=e.filed, deadline=e.deadline),
                self.id,
                self.source,
                evidence=[e.path],
            )
            for e in sorted(ctx.evidence, key=lambda e: e.path)
            if e.late
        ]
