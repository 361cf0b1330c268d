"""Decisions on appeals, applied to the lines they contest; the findings themselves are never edited.

An appeal contests a finding's lines, or all the lines of a rule (an evidence-scored rule has no
finding). Its decision replaces their amount before mitigations and caps apply, as if the assessor
had found that amount: 维持 leaves it, 变更 sets the new amount, 撤销 sets 0. Appeals apply in
filing order, so a 申诉 decided after a 复核 has the last word. Each contested line keeps its
original amount and the history of every appeal, which the sheet prints (original struck through).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from ..lifecycle import decision_deadline
from .results import AppealRecord, Line

if TYPE_CHECKING:
    from ..model import Appeal, Assessment

#: Kinds of line an appeal can change: what an assessor found (a veto only by 撤销).
CONTESTABLE = ("deduction", "award", "veto")


def appeal_record(a: Assessment, appeal: Appeal, indicator: str) -> AppealRecord:
    decision = appeal.decision
    return AppealRecord(
        id=appeal.id,
        kind=appeal.kind,
        unit=appeal.unit,
        indicator=indicator,
        target=appeal.target,
        filed=appeal.filed,
        filed_by=appeal.filed_by,
        grounds=appeal.grounds,
        evidence=list(appeal.evidence_paths),
        source=appeal.source,
        outcome=decision.outcome if decision else None,
        amount=decision.amount if decision else None,
        decided_by=decision.decided_by if decision else "",
        decided=decision.date if decision else None,
        reasoning=decision.reasoning if decision else "",
        decide_by=decision_deadline(a, appeal),
    )


def contests(appeal: Appeal, line: Line) -> bool:
    if line.kind not in CONTESTABLE:
        return False
    if appeal.finding is not None:
        return line.finding == appeal.finding
    return line.rule == appeal.rule


def apply_appeals(lines: list[Line], appeals: Iterable[tuple[Appeal, AppealRecord]]) -> None:
    """Apply each decision, in filing order, to the lines it contests; record the history on them."""
    for appeal, record in appeals:
        targets = [line for line in lines if contests(appeal, line)]
        if not targets:
            continue
        before = sum((line.amount for line in targets), Decimal(0))
        record.before = record.after = before
        for line in targets:
            line.appeals.append(record)
        if record.outcome == "撤销":
            new = Decimal(0)
        elif record.outcome == "变更" and record.amount is not None and targets[0].kind != "veto":
            new = record.amount
        else:
            continue  # 维持, undecided, or a 变更 of a veto (check refuses it: a veto is upheld or revoked)
        for n, line in enumerate(targets):  # the new amount stands on the first line, the others go to 0
            if line.original is None:
                line.original = line.amount
            line.amount = new if n == 0 else Decimal(0)
        record.after = new
