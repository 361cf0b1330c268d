"""Award: points an assessor awards (得分制), or a bonus (创优加分) in a bonus indicator.

In an earned indicator the points not awarded are shown as lost, so that every indicator reads
the same way: points − lost = score. In a bonus indicator awards add up to the indicator's cap.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...messages import joined, msg, tr
from ...types import Amount
from ..results import Line
from .base import FindingProblem, RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class AwardRule(RuleBase):
    kind: Literal["award"]
    max: Amount | None = Field(None, description="Most one finding may award; defaults to the indicator's points.")
    missing_amount: Amount | None = Field(
        None,
        description="In an earned indicator: what is lost when no assessor has rated it (the rule's most for none "
        "earned). Required there: `kaohe check` refuses an earned award rule that does not state it.",
    )
    takes_findings = True
    finding_keys = frozenset({"amount"})

    def framework_problems(self, indicator: Indicator) -> Iterable[str]:
        if self.missing_amount is None and indicator.method != "bonus":  # no rating in an earned indicator
            yield "framework.award-missing-unstated"

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        limit = self.max if self.max is not None else indicator.points
        if finding.amount is None:
            yield (
                "amount",
                "finding.award-amount-missing",
                {
                    "rule": self.id,
                    "range": msg("finding.award-amount.between", limit=limit)
                    if limit is not None
                    else msg("finding.award-amount.example"),
                },
            )
        elif limit is not None and finding.amount > limit:
            yield "amount", "finding.award-too-large", {"amount": finding.amount, "limit": limit}

    def apply(self, ctx: RuleContext) -> list[Line]:
        findings = ctx.findings_for(self)
        awards = [
            Line(
                f.amount or Decimal(0),
                msg("score.finding", reason=f.reason),
                self.id,
                f.source,
                evidence=list(f.evidence_paths),
                kind="award",
                finding=f.id,
            )
            for f in findings
        ]
        if ctx.indicator.method == "bonus":
            return awards
        most = self.max if self.max is not None else ctx.points  # several award rules share the points
        earned = min(sum((a.amount for a in awards), Decimal(0)), most)
        if earned >= most:
            return []
        if not findings:
            lost = most if self.missing_amount is None else min(self.missing_amount, most)  # unstated: check refuses
            reason = msg("score.award.none") if lost == most else msg("score.award.none-lost", lost=lost)
            missing = tr("score.missing.assessment")
            return [Line(lost, reason, self.id, self.source, missing=missing)] if lost > 0 else []
        first = findings[0]
        reasons = joined("value.sentence-separator", [f.reason for f in findings])
        reason = msg("score.award.partial", earned=earned, most=most, reasons=reasons)
        evidence = [p for f in findings for p in f.evidence_paths]
        return [Line(most - earned, reason, self.id, first.source, evidence=evidence, finding=first.id)]
