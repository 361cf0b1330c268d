"""What `kaohe score --as-of` deducts for missing evidence: the figure the progress board's points at
stake must equal (tests/test_todo.py, tests/test_progress_pages.py)."""

from __future__ import annotations

from decimal import Decimal

D = Decimal


def missing_evidence(score_doc: dict, assessment) -> dict[str, Decimal]:
    """What `kaohe score --as-of` deducts for missing evidence, per unit, read from its JSON.

    The definition (docs/progress.md): in an indicator whose status is `scored`, the lines of a
    requirement rule (one whose requirement_keys() or metric_keys() name something: checklist,
    count, threshold) when every deduction line of that rule names a missing item (`missing`),
    together with that rule's own cap correction, and the indicator-wide 扣完为止 correction
    (`"kind": "floor"`) where every line it corrects is such a line (an indicator's points are all
    it can lose: a 10-point row missing two 10-point items loses 10). Not counted: findings-based
    rules (assessors' judgements), a figure reported below its threshold (filed, not missing), and
    vetoed indicators (the veto replaces every line).
    """
    requirement_rules = {
        (ind.id, r.id)
        for ind in assessment.framework.indicators()
        for r in ind.rule
        if r.requirement_keys() or r.metric_keys()
    }
    out: dict[str, Decimal] = {}
    for u in score_doc["units"]:
        total = D(0)
        for i in u["indicators"]:
            if i["status"] != "scored":
                continue
            rules = {line["rule"] for line in i["deductions"] if line["kind"] != "floor"}
            counted = set()
            for rule in rules:
                if (i["id"], rule) not in requirement_rules:
                    continue
                lines = [line for line in i["deductions"] if line["rule"] == rule]
                deductions = [line for line in lines if line["kind"] == "deduction"]
                if deductions and all("missing" in line for line in deductions):
                    counted.add(rule)
                    total += sum((D(line["amount"]) for line in lines if line["kind"] in ("deduction", "cap")), D(0))
            if counted and counted == rules:
                total += sum((D(line["amount"]) for line in i["deductions"] if line["kind"] == "floor"), D(0))
        out[u["id"]] = total
    return out
