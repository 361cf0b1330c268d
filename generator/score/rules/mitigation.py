"""Mitigation: a finding that reduces another finding's deduction, with its own reason.

From "自找案源、自查案件视案件影响情况酌情少扣或不扣分". The finding names the deduction it
mitigates (`mitigates`) and how much it takes off (`amount`; omitted: all of it, 不扣分).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..results import Line
from .base import RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class MitigationRule(RuleBase):
    kind: Literal["mitigation"]
    phase = 1
    takes_findings = True
    finding_keys = frozenset({"mitigates", "amount"})

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[tuple[str, str, str]]:
        if not finding.mitigates:
            yield "mitigates", "a mitigation must name the finding it mitigates", 'add `mitigates = "<finding id>"`'

    def apply(self, ctx: RuleContext) -> list[Line]:
        lines: list[Line] = []
        rule_of = {line.finding: line.rule for line in ctx.lines if line.finding}
        for f in ctx.findings_for(self):
            target = sum((line.amount for line in ctx.lines if line.finding == f.mitigates), Decimal(0))
            already = -sum((line.amount for line in lines if line.finding == f.mitigates), Decimal(0))
            # Never more than the rule still deducts after its cap or step (本项最多扣…): a mitigation
            # waives a deduction, it never turns into a bonus.
            rule = rule_of.get(f.mitigates)
            net = sum((line.amount for line in ctx.lines if line.rule == rule), Decimal(0))
            net -= -sum((line.amount for line in lines if rule_of.get(line.finding) == rule), Decimal(0))
            room = min(target - already, net)
            amount = room if f.amount is None else min(f.amount, room)
            if amount <= 0:
                continue
            lines.append(
                Line(
                    -amount,
                    f"酌情少扣：{f.reason}",
                    self.id,
                    f.source,
                    evidence=list(f.evidence_paths),
                    kind="mitigation",
                    finding=f.mitigates,
                )
            )
        return lines
