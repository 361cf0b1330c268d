"""Count: a required number of occurrences, a deduction per missing one.

From "全年反腐倡廉教育少于4次……缺1次扣0.1分" and "与20家以上的企业联系……缺一家扣0.01分".
Only whether the requirement is met is scored: evidence beyond the required count earns nothing.

A count may carry sub-quotas: "新闻信息3篇(条)以上(其中《黔质新风》1篇以上)……缺1篇(条)扣0.2分"
is at least 3 articles, of which at least 1 in 《黔质新风》. An article of the sub-quota is one of
the articles, so what is missing is max(3 − n, 1 − m), never the two shortfalls added: two
articles, neither in 《黔质新风》, are one missing article.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...messages import joined, msg
from ...types import Amount, Id, invalid
from ..results import Line
from .base import RuleBase, RuleContext, measure_field


class SubQuota(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    key: Id = Field(description="What evidence of this kind names in `satisfies`; it counts toward the total too.")
    name: str = Field(description="What is counted, e.g. 《黔质新风》刊发稿件.")
    required: int = Field(ge=1, description="How many of the total must be of this kind.")


class CountRule(RuleBase):
    kind: Literal["count"]
    key: Id = Field(description="What evidence names in `satisfies`; each file adds its `count`.")
    name: str = Field(description="What is counted, e.g. 反腐倡廉教育.")
    required: int = Field(ge=1, description="How many are required in the year.")
    amount: Amount = Field(description="Deduction per missing one.")
    measure: str = measure_field("次", "次, 家, 篇 …")
    of_which: list[SubQuota] = Field(
        default_factory=list, description="Sub-quotas (其中……以上): how many of the required must be of a kind."
    )

    @model_validator(mode="after")
    def _sub_quotas_fit(self) -> CountRule:
        for sub in self.of_which:
            if sub.required > self.required:
                raise invalid(
                    "rule.count.sub-quota-too-large", item=sub.key, required=sub.required, total=self.required
                )
            if sub.key == self.key:
                raise invalid("rule.count.sub-quota-key", item=sub.key)
        keys = [s.key for s in self.of_which]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise invalid("rule.count.sub-quota-repeated", item=repeated[0])
        return self

    def requirement_keys(self) -> dict[str, str]:
        return {self.key: self.name, **{s.key: s.name for s in self.of_which}}

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        keys = set(self.requirement_keys())
        evidence = [e for e in ctx.evidence if keys.intersection(e.satisfies)]
        have = sum(e.count for e in evidence)
        unit = self.measure
        short = [
            (self.required - have, msg("score.count.had", name=self.name, required=self.required, have=have, unit=unit))
        ]
        for sub in self.of_which:
            n = sum(e.count for e in evidence if sub.key in e.satisfies)
            had = msg("score.count.had-of-which", name=sub.name, required=sub.required, have=n, unit=unit)
            short.append((sub.required - n, had))
        missing = max(n for n, _ in short)
        if missing <= 0:
            return []
        counted = joined("value.clause-separator", [text for _, text in short])
        return [
            Line(
                self.amount * missing,
                msg("score.count.missing", counted=counted, missing=missing, unit=unit),
                self.id,
                self.source,
                evidence=[e.path for e in evidence],
                missing=self.name,
            )
        ]
