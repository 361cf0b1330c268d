"""Threshold: a metric reported in evidence, a deduction per step below the threshold.

From "结案率达不到90%，少一个百分点扣0.1分" and "受理率达不到95%，少一个百分点扣0.1分".
`partial` says how a fraction of a step counts; the default counts whole steps only, so that
no more is deducted than the wording states.

What a missing figure costs is never assumed: the documents rarely say, so a framework states it
(`missing_amount`, 0 for nothing) and `kaohe check` refuses a threshold rule that does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...messages import msg
from ...types import Amount, Id, Number, plain, round_to
from ..results import Line
from .base import RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Indicator


class ThresholdRule(RuleBase):
    kind: Literal["threshold"]
    metric: Id = Field(description="Metric key evidence reports in `metrics`.")
    name: str = Field(description="The metric's name, e.g. 结案率.")
    threshold: Number = Field(description="Lowest value that loses nothing, e.g. 90.")
    amount: Amount = Field(description="Deduction per step below the threshold.")
    step: Number = Field(Decimal(1), gt=0, description="Size of one step, e.g. 1 percentage point.")
    partial: Literal["floor", "ceil", "exact"] = Field(
        "floor",
        description="A partial step: not counted (floor), counted whole (ceil), or pro rata (exact: rounded half "
        "up to the framework's granularity, else its precision).",
    )
    suffix: str = Field("%", description="Printed after values in messages.")
    minimum: Number | None = Field(
        None, description='Smallest value evidence can report (default 0 for a percentage, `suffix = "%"`).'
    )
    maximum: Number | None = Field(
        None,
        description="Largest value evidence can report (default 100 for a percentage; a rate that can pass "
        "100 %, such as a completion rate, states its own).",
    )
    missing_amount: Amount | None = Field(
        None,
        description="Deduction when no evidence reports the metric (0: none). Required: `kaohe check` "
        "refuses a threshold rule that does not state it.",
    )

    def framework_problems(self, indicator: Indicator) -> Iterable[str]:
        if self.missing_amount is None:  # an unreported figure: the document must say what it costs
            yield "framework.threshold-missing-unstated"
        low, high, _ = self.metric_bounds()[self.metric]
        if low is not None and high is not None and low > high:
            yield "framework.threshold-bounds-reversed"

    def metric_keys(self) -> dict[str, str]:
        return {self.metric: self.name}

    def metric_bounds(self) -> dict[str, tuple[Decimal | None, Decimal | None, str]]:
        percent = self.suffix == "%"
        low = self.minimum if self.minimum is not None else (Decimal(0) if percent else None)
        high = self.maximum if self.maximum is not None else (Decimal(100) if percent else None)
        return {self.metric: (low, high, self.suffix)}

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        yield ("amount",), self.amount
        if self.missing_amount is not None:
            yield ("missing_amount",), self.missing_amount

    def apply(self, ctx: RuleContext) -> list[Line]:
        reports = [e for e in ctx.evidence if self.metric in e.metrics]
        if not reports:
            if not self.missing_amount:  # 0, or unstated (which `kaohe check` refuses): nothing is assumed
                return []
            unreported = msg("score.threshold.unreported", name=self.name)
            return [Line(self.missing_amount, unreported, self.id, self.source, missing=self.name)]
        latest = max(reports, key=lambda e: (e.date, e.path))
        value = latest.metrics[self.metric]
        shortfall = self.threshold - value
        if shortfall <= 0:
            return []
        steps = shortfall / self.step
        if self.partial == "floor":
            steps = steps.to_integral_value(ROUND_FLOOR)
        elif self.partial == "ceil":
            steps = steps.to_integral_value(ROUND_CEILING)
        amount = self.amount * steps
        if self.partial == "exact":
            amount = round_to(amount, ctx.granularity or ctx.precision)
        if amount <= 0:
            return []
        # a shortfall in percent is in 个百分点 (percentage points), any other in the metric's own unit
        reason = msg(
            "score.threshold.below-percent" if self.suffix == "%" else "score.threshold.below",
            name=self.name,
            value=value,
            threshold=self.threshold,
            suffix=self.suffix,
            shortfall=plain(shortfall),
        )
        return [Line(amount, reason, self.id, self.source, evidence=[latest.path])]
