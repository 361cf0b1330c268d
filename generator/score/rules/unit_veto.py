"""Unit veto (一票否决): a finding that acts on the unit's grade, not on an indicator's points.

From "发生重大安全生产事故的，实行一票否决，年度考核不得评为优秀" (a cap: `max_grade`) and
"违反党风廉政建设责任制受到责任追究的，年度考核定为不合格" (a forced grade: `grade`); either way the
unit is removed from commendation (取消评先评优资格) unless `commendation = true`. The rule sits on the
indicator the finding is about, so that its department files and reviews it like any finding;
scoring the indicator ignores it (Phase.UNIT), and grading (:mod:`generator.score.grading`) applies it.
A framework that also takes the indicator's points gives the indicator a `veto` rule beside it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ...types import Name, invalid
from ..results import Line
from .base import Phase, RuleBase, RuleContext


class UnitVetoRule(RuleBase):
    kind: Literal["unit_veto"]
    max_grade: Name | None = Field(
        None, description="The best grade the unit may still get (不得评为优秀 → the band below 优秀)."
    )
    grade: Name | None = Field(None, description="The grade the unit gets whatever its score (降为不合格).")
    commendation: bool = Field(
        False, description="Whether the unit stays eligible for commendation (评先评优); a veto usually removes it."
    )
    phase = Phase.UNIT
    takes_findings = True

    @model_validator(mode="after")
    def _one_effect(self) -> UnitVetoRule:
        if self.max_grade is not None and self.grade is not None:
            raise invalid("rule.unit-veto-two-effects")
        if self.cap is not None:
            raise invalid("rule.unit-veto-cap")
        return self

    def apply(self, ctx: RuleContext) -> list[Line]:
        return []  # acts on the grade: see generator.score.grading
