"""The result lifecycle of a year: its stages (草稿 → 公示 → 审定 → 备案) and the deadlines of appeals.

Deadlines are the framework's settings ([[appeal_kind]]), never constants here. Periods are
counted as Chinese law counts them (期间开始的日，不计算在期间内): N days from a date end N days
after it, so an appeal "within 10 days of 公示" starting on 5 January may be filed until 15 January.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Appeal, AppealKind, Assessment, Framework, StageRecord


def today() -> date:
    """Today in China Standard Time, the day deadlines are judged on."""
    from .gitdates import DEADLINE_TZ  # gitdates reads the loader, which scoring must not import

    return datetime.now(DEADLINE_TZ).date()


def days_after(start: date, days: int) -> date:
    """The last day of a period of `days` days from `start` (the start day itself not counted)."""
    return start + timedelta(days=days)


def stage(a: Assessment, name: str) -> StageRecord | None:
    """The year's record of stage `name` (the first, if written twice)."""
    return next((s for s in a.stages if s.stage == name), None)


def notice_end(a: Assessment) -> date | None:
    """The last day of 公示, where the year records one."""
    notice = stage(a, "公示")
    return days_after(notice.date, notice.days) if notice is not None and notice.days else None


def current_stage(a: Assessment) -> str:
    """The latest stage recorded; 草稿 before any."""
    return a.stages[-1].stage if a.stages else "草稿"


def appeal_kind(fw: Framework, name: str) -> AppealKind | None:
    return next((k for k in fw.appeal_kind if k.kind == name), None)


def earlier_appeals(a: Assessment, appeal: Appeal, kind: str) -> list[Appeal]:
    """The decided appeals of `kind` against the same target, filed before `appeal` (复核 before 申诉):
    each has its `decision`."""
    return [
        x
        for x in a.appeals
        if x is not appeal
        and x.kind == kind
        and x.unit == appeal.unit
        and x.target == appeal.target
        and x.decision is not None
        and (x.filed, x.id) < (appeal.filed, appeal.id)
    ]


def earlier_decision(a: Assessment, appeal: Appeal, kind: str) -> Appeal | None:
    """The latest of those decided by the day `appeal` was filed: a 申诉 contests a 复核 decision
    that exists, and its deadline counts from that decision."""
    earlier = [x for x in earlier_appeals(a, appeal, kind) if x.decision.date <= appeal.filed]  # type: ignore[union-attr]
    return max(earlier, key=lambda x: (x.filed, x.id), default=None)


def decided_after_filing(a: Assessment, appeal: Appeal, kind: str) -> Appeal | None:
    """An earlier appeal of `kind` on the same target decided only after `appeal` was filed, if any."""
    return next(
        (x for x in earlier_appeals(a, appeal, kind) if x.decision.date > appeal.filed),  # type: ignore[union-attr]
        None,
    )


def filing_deadline(a: Assessment, appeal: Appeal) -> date | None:
    """The last day the appeal could be filed; None when what it counts from is not recorded."""
    kind = appeal_kind(a.framework, appeal.kind)
    if kind is None:
        return None
    if kind.after is None:
        notice = stage(a, "公示")
        return days_after(notice.date, kind.file_within_days) if notice is not None else None
    earlier = earlier_decision(a, appeal, kind.after)
    if earlier is None or earlier.decision is None:
        return None
    return days_after(earlier.decision.date, kind.file_within_days)


def decision_deadline(a: Assessment, appeal: Appeal) -> date | None:
    """The last day a decision is due; None when the framework states no deadline for its kind."""
    kind = appeal_kind(a.framework, appeal.kind)
    return days_after(appeal.filed, kind.decide_within_days) if kind is not None else None


def open_appeals(a: Assessment) -> list[Appeal]:
    """Appeals not decided yet, in filing order."""
    return sorted((x for x in a.appeals if x.decision is None), key=lambda x: (x.filed, x.id))


@dataclass(frozen=True)
class StageView:
    """The stage a built year shows in its banner and in the version selector."""

    name: str  # 草稿 | 公示 | 审定 | 备案
    record: StageRecord | None  # the stages.toml entry it comes from, if any
    notice: StageRecord | None  # the 公示 entry (dates and how to appeal), if recorded
    notice_end: date | None
    approved: StageRecord | None  # the 审定 entry (date, by), if recorded
    appeal_kinds: list[AppealKind]


def site_stage(a: Assessment, draft: bool) -> StageView:
    """What a build of `a` shows: a final build (from its results tag) is 审定, or 备案 where the
    commit records it; a draft is 公示 where the year records a notice, else 草稿. A draft never
    shows 审定: only the tag makes results final."""
    notice = stage(a, "公示")
    if draft:
        name, record = ("公示", notice) if notice is not None else ("草稿", None)
    else:
        filed = stage(a, "备案")
        name, record = ("备案", filed) if filed is not None else ("审定", stage(a, "审定"))
    return StageView(name, record, notice, notice_end(a), stage(a, "审定"), list(a.framework.appeal_kind))
