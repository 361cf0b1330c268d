"""The JSON contract of `kaohe score --format json` (see PRODUCT.md): decimals as strings."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..gcpause import gc_paused
from ..score.results import AppealRecord, IndicatorResult, Line, QuotaUse, Results, UnitResult, UnitVeto
from ..types import plain
from .base import Options, OutputFormat


def dec(value: Decimal | None) -> str | None:
    """A decimal as a plain string (never exponent notation, never a float); None stays None."""
    return None if value is None else plain(value)


def line_json(line: Line) -> dict[str, Any]:
    out: dict[str, Any] = {
        "amount": dec(line.amount),
        "reason": line.reason,
        "rule": line.rule,
        "evidence": list(line.evidence),
        "source": str(line.source),
        "kind": line.kind,
    }
    if line.finding:
        out["finding"] = line.finding
    if line.missing:
        out["missing"] = line.missing
    if line.appeals:
        out["original_amount"] = dec(line.original if line.original is not None else line.amount)
        out["appeals"] = [appeal_json(x) for x in line.appeals]
    if line.period:
        out["period"] = line.period
        out["weight"] = dec(line.weight)
    if line.late_assessment:
        out["late_assessment"] = line.late_assessment.isoformat()
    return out


def appeal_json(x: AppealRecord) -> dict[str, Any]:
    """One appeal and its decision (null while undecided): the history a deduction line carries."""
    decision = None
    if x.outcome is not None:
        decision = {
            "outcome": x.outcome,
            "amount": dec(x.amount),
            "decided_by": x.decided_by,
            "date": x.decided.isoformat() if x.decided else None,
            "reasoning": x.reasoning,
        }
    return {
        "id": x.id,
        "kind": x.kind,
        "indicator": x.indicator,
        "target": x.target,
        "filed": x.filed.isoformat(),
        "filed_by": x.filed_by,
        "grounds": x.grounds,
        "evidence": list(x.evidence),
        "source": str(x.source),
        "decide_by": x.decide_by.isoformat() if x.decide_by else None,
        "before": dec(x.before),
        "after": dec(x.after),
        "decision": decision,
    }


def indicator_json(r: IndicatorResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "category": r.category,
        "seq": r.seq,
        "title": r.title,
        "score": dec(r.score),
        "max": dec(r.max),
        "points": dec(r.points),
        "status": r.status,
        "month": r.month,
        "department": r.department,
        "deductions": [line_json(x) for x in r.deductions],
        "awards": [line_json(x) for x in r.awards],
        "evidence": list(r.evidence),
        "source": str(r.source),
        "appeals": [x.id for x in r.appeals],
    }


def unit_json(u: UnitResult, results: Results | None = None) -> dict[str, Any]:
    out = {
        "id": u.id,
        "name": u.name,
        "series": u.series,
        "rank": u.rank,
        "tied": u.tied,
        "grade": u.grade,
        "band_note": results.band_notes.get(u.grade or "") if results is not None and u.grade else None,
        "total": dec(u.total),
        "max": dec(u.max),
        "year_max": dec(u.year_max),
        "rate": dec(u.rate),
        "bonus": dec(u.bonus),
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "score": dec(c.score),
                "max": dec(c.max),
                "year_max": dec(c.year_max),
                "raw_score": dec(c.raw_score),
                "raw_max": dec(c.raw_max),
                "weight": dec(c.weight),
                "base": dec(c.base),
            }
            for c in u.categories
        ],
        "indicators": [indicator_json(i) for i in u.indicators],
        "adjustments": [line_json(x) for x in u.adjustments],
        "grade_reached": u.grade_reached,
        "grade_notes": [{"kind": n.kind, "grade": n.grade, "text": n.text} for n in u.grade_notes],
        "unit_vetoes": [unit_veto_json(v) for v in u.vetoes],
        "commendable": u.commendable,
        "tie_broken": u.tie_broken,
        "appeals": [appeal_json(x) for x in u.appeals],
        "open_appeals": u.open_appeals,
    }
    if u.periods:
        out["periods"] = [
            {
                "period": p.period.key,
                "title": p.title,
                "total": dec(p.total),
                "max": dec(p.max),
                "weight": dec(p.weight),
            }
            for p in u.periods
        ]
    return out


def unit_veto_json(v: UnitVeto) -> dict[str, Any]:
    return {
        "indicator": v.indicator,
        "rule": v.rule,
        "finding": v.finding,
        "reason": v.reason,
        "text": v.text,
        "source": str(v.source),
        "evidence": list(v.evidence),
        "max_grade": v.max_grade,
        "grade": v.grade,
        "commendation": v.commendation,
        "revoked": v.revoked,
        "appeals": [x.id for x in v.appeals],
    }


def quota_json(q: QuotaUse) -> dict[str, Any]:
    return {
        "series": q.series,
        "grade": q.grade,
        "units": q.units,
        "limit": q.limit,
        "formula": q.formula,
        "candidates": q.candidates,
        "granted": q.granted,
    }


def results_json(results: Results) -> dict[str, Any]:
    return {
        "year": results.year,
        "framework": results.framework,
        "framework_title": results.framework_title,
        "as_of": results.as_of.isoformat(),
        "period": results.period.key if results.period is not None else str(results.year),
        "period_title": results.title,
        "rank_by": results.rank_by,
        "units": [unit_json(u, results) for u in results.units],
        "quotas": [quota_json(q) for q in results.quotas],
    }


def dumps(results: Results, options: Options | None = None) -> str:
    """The JSON document; `json.dumps` escapes every control character in the values."""
    with gc_paused():  # the whole document stays alive until written: see generator.gcpause
        return json.dumps(results_json(results), ensure_ascii=False, indent=2) + "\n"


FORMAT = OutputFormat("json", "output.json.help", dumps)
