"""Votes: aggregated ballot tallies (服务绩效 mutual / party-group / government / enterprise).

Only tallies are stored, never who voted what. Each option carries the fraction of the points it
is worth (满意 1, 基本满意 0.6, 不满意 0); options listed in `invalid` (不了解) are not valid votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from ...messages import joined, msg, tr
from ...problems import did_you_mean
from ...types import Amount, Number, invalid, round_to
from ..results import Line
from .base import FindingProblem, RuleBase, RuleContext

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
    missing_amount: Amount | None = Field(
        None,
        description="What is lost when there is no ballot result (no tally, or fewer valid votes than the quorum): "
        "the share for none earned, 0 for none lost. Required: `kaohe check` refuses a votes rule that does not "
        "state it.",
    )
    takes_findings = True
    finding_keys = frozenset({"tallies"})

    @field_validator("options")
    @classmethod
    def _fractions(cls, options: dict[str, Decimal]) -> dict[str, Decimal]:
        for name, value in options.items():
            if not Decimal(0) <= value <= Decimal(1):
                raise invalid("rule.votes.option-worth", option=name, value=value)
        return options

    @model_validator(mode="after")
    def _valid_or_invalid(self) -> VotesRule:
        both = sorted(set(self.options) & set(self.invalid))
        if both:
            raise invalid("rule.votes.option-invalid-and-valid", option=both[0])
        return self

    def framework_problems(self, indicator: Indicator) -> Iterable[str]:
        if self.missing_amount is None:  # no ballot result: the document must say what it costs
            yield "framework.votes-missing-unstated"

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        if not finding.tallies:
            yield "tallies", "finding.tallies-missing", {"options": list(self.options)}
            return
        known = set(self.options) | set(self.invalid)
        for option, n in finding.tallies.items():
            if option not in known:
                yield "tallies", "finding.unknown-option", {"option": option, "suggestion": did_you_mean(option, known)}
            if n < 0:
                yield "tallies", "finding.negative-tally", {"option": option, "tally": n}

    def apply(self, ctx: RuleContext) -> list[Line]:
        share = self.share if self.share is not None else ctx.points
        findings = ctx.findings_for(self)
        tallies: dict[str, int] = {}
        for f in findings:
            for option, n in (f.tallies or {}).items():
                tallies[option] = tallies.get(option, 0) + n
        valid = sum(n for option, n in tallies.items() if option in self.options)
        if not findings or valid == 0 or (self.quorum and valid < self.quorum):
            why = (
                msg("score.votes.none")
                if not findings
                else msg("score.votes.quorum", valid=valid, quorum=self.quorum or 1)
            )
            source = findings[0].source if findings else self.source
            lost = share if self.missing_amount is None else min(self.missing_amount, share)  # unstated: check refuses
            if lost <= 0:
                return []
            reason = (
                msg("score.votes.not-earned", why=why) if lost == share else msg("score.votes.lost", why=why, lost=lost)
            )
            return [Line(lost, reason, self.id, source, missing=tr("score.missing.votes"))]
        worth = sum((self.options[o] * n for o, n in tallies.items() if o in self.options), Decimal(0))
        earned = round_to(share * worth / valid, ctx.precision)
        if earned >= share:
            return []
        counts = joined(
            "value.clause-separator", [msg("score.votes.tally", option=o, votes=n) for o, n in tallies.items()]
        )
        rate = (worth / valid * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        first = findings[0]
        return [
            Line(
                share - earned,
                msg("score.votes.rate", rate=rate, counts=counts, valid=valid),
                self.id,
                first.source,
                evidence=[p for f in findings for p in f.evidence_paths],
                finding=first.id,
            )
        ]
