"""Votes: aggregated ballot tallies (服务绩效 mutual / party-group / government / enterprise).

Only tallies are stored, never who voted what. Each option carries the fraction of the points it
is worth (满意 1, 基本满意 0.6, 不满意 0); options listed in `invalid` (不了解) are not valid votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from ...problems import did_you_mean
from ...types import Amount, Number, round_to
from ..results import Line
from .base import RuleBase, RuleContext

if TYPE_CHECKING:
    from ...model import Finding, Indicator


class VotesRule(RuleBase):
    kind: Literal["votes"]
    options: dict[str, Number] = Field(
        min_length=1, description="Ballot option → fraction of the points it is worth (0–1)."
    )
    invalid: list[str] = Field(default_factory=list, description="Options that are not valid votes (不了解).")
    share: Amount | None = Field(None, description="Points this ballot is worth; defaults to the indicator's points.")
    quorum: int | None = Field(None, ge=1, description="Fewest valid votes for a result.")
    takes_findings = True
    finding_keys = frozenset({"tallies"})

    @field_validator("options")
    @classmethod
    def _fractions(cls, options: dict[str, Decimal]) -> dict[str, Decimal]:
        for name, value in options.items():
            if not Decimal(0) <= value <= Decimal(1):
                raise ValueError(f"option '{name}' is worth {value}: use a fraction between 0 and 1")
        return options

    @model_validator(mode="after")
    def _valid_or_invalid(self) -> VotesRule:
        both = sorted(set(self.options) & set(self.invalid))
        if both:
            raise ValueError(f"option '{both[0]}' is both a valid option and listed in `invalid`")
        return self

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[tuple[str, str, str]]:
        if not finding.tallies:
            yield "tallies", "a vote finding must give `tallies`", "e.g. tallies = { 满意 = 12, 基本满意 = 3 }"
            return
        known = set(self.options) | set(self.invalid)
        for option, n in finding.tallies.items():
            if option not in known:
                yield "tallies", f"unknown ballot option '{option}'", did_you_mean(option, known)
            if n < 0:
                yield "tallies", f"negative tally for '{option}'", "tallies count ballots: 0 or more"

    def apply(self, ctx: RuleContext) -> list[Line]:
        share = self.share if self.share is not None else ctx.points
        findings = ctx.findings_for(self)
        tallies: dict[str, int] = {}
        for f in findings:
            for option, n in (f.tallies or {}).items():
                tallies[option] = tallies.get(option, 0) + n
        valid = sum(n for option, n in tallies.items() if option in self.options)
        if not findings or valid == 0 or (self.quorum and valid < self.quorum):
            why = "无测评结果" if not findings else f"有效票{valid}张，不足{self.quorum or 1}张"
            source = findings[0].source if findings else self.source
            return [Line(share, f"{why}，未得分", self.id, source, missing="测评结果")]
        worth = sum((self.options[o] * n for o, n in tallies.items() if o in self.options), Decimal(0))
        earned = round_to(share * worth / valid, ctx.precision)
        if earned >= share:
            return []
        counts = "，".join(f"{o}{n}票" for o, n in tallies.items())
        rate = (worth / valid * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        first = findings[0]
        return [
            Line(
                share - earned,
                f"测评得分率{rate}%（{counts}；有效票{valid}张）",
                self.id,
                first.source,
                evidence=[p for f in findings for p in f.evidence_paths],
                finding=first.id,
            )
        ]
