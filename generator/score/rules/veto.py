"""Veto: a finding that zeroes the indicator whatever else happened.

From "发生重大食品事故，此项不得分" and "自办案件经省局、州局执法评议考核不合格的，本项不得分".
It runs last, after every deduction and mitigation, and replaces them all.
"""

from __future__ import annotations

from typing import Literal

from ...messages import msg
from ..results import Line
from .base import Phase, RuleBase, RuleContext


class VetoRule(RuleBase):
    kind: Literal["veto"]
    phase = Phase.OVERRIDE
    takes_findings = True

    def apply(self, ctx: RuleContext) -> list[Line]:
        findings = ctx.findings_for(self)
        if not findings:
            return []
        first = findings[0]
        reason = msg("score.veto", reason=first.reason)
        evidence = [p for f in findings for p in f.evidence_paths]
        return [Line(ctx.points, reason, self.id, first.source, evidence=evidence, kind="veto", finding=first.id)]
