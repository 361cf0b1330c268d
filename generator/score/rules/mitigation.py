"""Mitigation: a finding that reduces another finding's deduction, with its own reason.

From "自找案源、自查案件视案件影响情况酌情少扣或不扣分". The finding names the deduction it
mitigates (`mitigates`) and how much it takes off (`amount`; omitted: all of it, 不扣分). `softens`
names the rules whose deductions the clause is about (自查案件: the 违纪案件 rule, not the 收费罚没
one beside it in 2010's 一.8); without it, any deduction of the indicator.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ...messages import joined, msg
from ...types import Id
from ..results import Line
from .base import FindingProblem, Phase, RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class MitigationRule(RuleBase):
    kind: Literal["mitigation"]
    phase = Phase.ADJUST
    takes_findings = True
    finding_keys = frozenset({"mitigates", "amount"})
    softens: list[Id] = Field(
        default_factory=list,
        description="The deduction rules of the indicator whose deductions this clause may soften "
        "(自找案源、自查案件: the 违纪案件 rule); empty: any of them.",
    )

    def framework_problems(self, indicator: Indicator) -> Iterable[str | tuple[str, dict[str, object]]]:
        deductions = [r.id for r in indicator.rule if r.phase is Phase.DEDUCT]
        for rule in self.softens:
            if not deductions:  # no list of choices to offer: an empty one ended the hint on its colon
                yield "framework.softens-no-deduction", {"softened": rule}
            elif rule not in deductions:
                yield (
                    "framework.softens-unknown",
                    {"softened": rule, "choices": joined("value.list-separator", deductions)},
                )

    def may_soften(self, rule: str) -> bool:
        """Whether a deduction of `rule` is one this clause speaks of (checked when findings are
        validated: a finding softening another is an error, never scored)."""
        return not self.softens or rule in self.softens

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        if not finding.mitigates:
            yield "mitigates", "finding.mitigates-missing", {}

    def apply(self, ctx: RuleContext) -> list[Line]:
        return []  # a mitigation only adjusts other rules' lines (see `adjust`)

    def adjust(self, ctx: RuleContext, lines: list[Line]) -> list[Line]:
        """Take each of this rule's findings off the deduction it names, never more than remains of it."""
        out: list[Line] = []
        for f in ctx.findings_for(self):
            deducted = sum((x.amount for x in lines if x.finding == f.mitigates and x.kind == "deduction"), Decimal(0))
            waived = -sum((x.amount for x in [*lines, *out] if x.mitigates == f.mitigates), Decimal(0))
            room = deducted - waived
            amount = room if f.amount is None else min(f.amount, room)
            if amount > 0:
                out.append(
                    Line(
                        -amount,
                        msg("score.mitigation", reason=f.reason),
                        self.id,
                        f.source,
                        evidence=list(f.evidence_paths),
                        kind="mitigation",
                        finding=f.id,
                        mitigates=f.mitigates,
                    )
                )
        return out
