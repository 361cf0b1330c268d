"""Checklist: named required items, a deduction for each one no evidence satisfies.

From "查贯彻会议情况报告、半年和全年工作情况报告，3项缺1项扣0.1分" and, in earned scoring,
"通过验收3分，有验收合格结论1分，有工作总结1分" (each item carries its own amount).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...messages import msg
from ...types import Amount, Id, invalid
from ..results import Line
from .base import RuleBase, RuleContext


class ChecklistItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    key: Id = Field(description="What evidence names in `satisfies`.")
    name: str = Field(description="The item as the document names it, e.g. 半年工作情况报告.")
    amount: Amount | None = Field(None, description="Deduction when missing; defaults to the rule's amount.")


class ChecklistRule(RuleBase):
    kind: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)
    amount: Amount | None = Field(None, description="Deduction per missing item.")

    @model_validator(mode="after")
    def _every_item_has_an_amount(self) -> ChecklistRule:
        if self.amount is None and any(i.amount is None for i in self.items):
            raise invalid("rule.checklist.amount-missing")
        keys = [i.key for i in self.items]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise invalid("rule.item-repeated", item=repeated[0])
        return self

    def item_amount(self, item: ChecklistItem) -> Decimal:
        amount = item.amount if item.amount is not None else self.amount
        assert amount is not None
        return amount

    def requirement_keys(self) -> dict[str, str]:
        return {i.key: i.name for i in self.items}

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        if self.amount is not None:
            yield ("amount",), self.amount
        for n, item in enumerate(self.items):
            if item.amount is not None:
                yield ("items", n, "amount"), item.amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        earned = ctx.indicator.method == "earned"
        lines = []
        for item in self.items:
            if ctx.evidence_satisfying(item.key):
                continue
            reason = msg("score.checklist.not-earned" if earned else "score.checklist.missing", item=item.name)
            lines.append(Line(self.item_amount(item), reason, self.id, self.source, missing=item.name, item=item.key))
        return lines
