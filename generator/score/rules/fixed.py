"""Fixed: a set deduction an assessor records when a condition is found.

From "未细化监管责任，扣0.5分" (once) and "被查实一次扣0.3分", "未按时、保质完成上级交办的任务
扣0.5分/次" (per occurrence). With `items` the rule counts kinds (项), not occurrences (次): from
"应谈未谈的，缺一项扣0.1分" each finding names the item it found, and each item deducts once however
often it was found. With `exclusive` the items are tiers of one failing, of which only the heaviest
found counts: "未按时开展年检工作，扣0.2分；未开展年检工作，扣0.5分" is at most 0.5, never 0.7.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...messages import Message, joined, msg
from ...problems import did_you_mean
from ...types import Amount, Id, invalid, plain
from ..results import Line
from .base import FindingProblem, RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class FixedItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    key: Id = Field(description="What a finding names in `item`.")
    name: str = Field(description="The item (项) as the document names it, e.g. 干部任前廉政谈话.")
    amount: Amount | None = Field(None, description="Deduction when found; defaults to the rule's amount.")


class FixedRule(RuleBase):
    kind: Literal["fixed"]
    amount: Amount | None = Field(
        None, description="Deduction when found (per occurrence if `per_occurrence`); may be left to the items."
    )
    per_occurrence: bool = Field(False, description="Deduct for every occurrence (一次/每次) instead of once.")
    measure: str | None = Field(
        None, description="Measure word (量词) an occurrence is counted in: 天 for 逾期一天扣0.1分 (default 次)."
    )
    items: list[FixedItem] = Field(
        default_factory=list, description="Kinds (项) a finding names in `item`; each deducts once (缺一项)."
    )
    exclusive: bool = Field(False, description="The items are tiers of one failing: only the heaviest found counts.")
    takes_findings = True
    finding_keys = frozenset({"count", "item"})

    @model_validator(mode="after")
    def _consistent(self) -> FixedRule:
        if self.amount is None and (not self.items or any(i.amount is None for i in self.items)):
            raise invalid("rule.fixed.amount-missing")
        if self.items and self.per_occurrence:
            raise invalid("rule.fixed.items-per-occurrence")
        if self.exclusive and len(self.items) < 2:
            raise invalid("rule.fixed.exclusive-tiers")
        keys = [i.key for i in self.items]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise invalid("rule.item-repeated", item=repeated[0])
        return self

    def item_amount(self, item: FixedItem) -> Decimal:
        amount = item.amount if item.amount is not None else self.amount
        assert amount is not None  # the validator requires one or the other
        return amount

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        if self.amount is not None:
            yield ("amount",), self.amount
        for n, item in enumerate(self.items):
            if item.amount is not None:
                yield ("items", n, "amount"), item.amount

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        if not self.per_occurrence and "count" in finding.model_fields_set:
            yield "count", "finding.count-once", {"rule": self.id}
        keys = [i.key for i in self.items]
        if self.items and finding.item is None:
            yield "item", "finding.item-missing", {"rule": self.id, "items": keys}
        elif self.items and finding.item not in keys:
            yield (
                "item",
                "finding.unknown-item",
                {"rule": self.id, "item": finding.item, "suggestion": did_you_mean(finding.item or "", keys)},
            )
        elif not self.items and finding.item is not None:
            yield "item", "finding.item-not-taken", {"rule": self.id}

    def apply(self, ctx: RuleContext) -> list[Line]:
        findings = ctx.findings_for(self)
        if self.items:
            return self._item_lines(findings)
        if not self.per_occurrence:
            findings = findings[:1]
        return [
            Line(
                self.amount * (f.count if self.per_occurrence else 1),  # type: ignore[operator]
                self._counted(f) if self.per_occurrence and f.count > 1 else msg("score.finding", reason=f.reason),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for f in findings
        ]

    def _counted(self, f: Finding) -> Message:
        """A finding of several occurrences, counted in the rule's measure: （3次）, or （3天） for
        逾期一天扣0.1分 (it read 逾期3天报送（3次）)."""
        if self.measure is None:  # 次, worded by the catalogue ("3 times" in English)
            return msg("score.finding.times", reason=f.reason, count=f.count)
        counted = msg("score.counted", count=f.count, unit=self.measure)
        return msg("score.finding.counted", reason=f.reason, counted=counted)

    def _item_lines(self, findings: list[Finding]) -> list[Line]:
        """One line per item found, from its first finding (`kaohe check` warns about the others)."""
        items = {i.key: i for i in self.items}
        first: dict[str, Finding] = {}
        for f in findings:
            if f.item in items:
                first.setdefault(f.item, f)
        return [
            Line(
                self.item_amount(items[key]),
                msg("score.fixed.item", item=items[key].name, reason=f.reason),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                finding=f.id,
            )
            for key, f in first.items()
        ]

    def limit(self, ctx: RuleContext, lines: list[Line]) -> tuple[Decimal, Message] | None:
        """Exclusive tiers: the heaviest tier still standing after mitigations bounds the rule."""
        limits = [x for x in [super().limit(ctx, lines)] if x is not None]
        if self.exclusive and lines:
            standing = {line.finding: line.amount for line in lines if line.kind == "deduction"}
            for line in lines:
                if line.mitigates in standing:
                    standing[line.mitigates] += line.amount
            heaviest = max(standing.values(), default=Decimal(0))
            names = joined("score.fixed.tier-separator", [i.name for i in self.items])
            limits.append((heaviest, msg("score.fixed.exclusive", items=names, amount=plain(heaviest))))
        return min(limits, key=lambda x: x[0]) if limits else None
