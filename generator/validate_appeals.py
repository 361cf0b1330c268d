"""Checks of appeals and stages: what an appeal contests, its decision, and its deadlines.

Deadlines are the framework's ([[appeal_kind]]); the 公示 they count from is the year's
stages.toml. An appeal filed after its deadline is an error unless its decision upheld the result
(a late appeal may not change one); one left undecided past its deadline, or decided late, is a
warning that names the deadline.
"""

from __future__ import annotations

from datetime import date

from .lifecycle import appeal_kind, decision_deadline, filing_deadline, notice_end, stage, today
from .model import STAGES, Appeal, Assessment, Framework
from .problems import Problems, did_you_mean
from .score.rules.mitigation import MitigationRule
from .score.rules.unit_veto import UnitVetoRule
from .score.rules.veto import VetoRule


def validate_appeal_kinds(fw: Framework, problems: Problems) -> None:
    kinds = [k.kind for k in fw.appeal_kind]
    for n, kind in enumerate(fw.appeal_kind):
        path, line = kind.source.path, kind.source.line
        if kind.kind in kinds[:n]:
            problems.add(
                path,
                line,
                1,
                f"appeal kind '{kind.kind}' is listed twice",
                "each [[appeal_kind]] needs its own kind",
                code="framework.appeal-kind-duplicate",
            )
        if kind.after is not None and (kind.after not in kinds or kind.after == kind.kind):
            problems.add(
                path,
                line,
                1,
                f"appeal kind '{kind.kind}' counts from a decision on '{kind.after}', which is no other kind",
                did_you_mean(kind.after, [k for k in kinds if k != kind.kind]),
                code="framework.appeal-kind-unknown-after",
            )


def validate_appeals(a: Assessment, problems: Problems, on: date | None = None) -> None:
    """Every appeal of the year against the findings and rules it names, and against its deadlines
    as they stand `on` a day (today in China by default)."""
    on = on or today()
    findings = {(f.unit, f.id): f for f in a.findings}
    indicators = {i.id: i for i in a.framework.indicators()}
    seen: dict[str, str] = {}
    for appeal in sorted(a.appeals, key=lambda x: x.source):
        if appeal.id in seen:
            hint = f"already used at {seen[appeal.id]}"
            _add(problems, appeal, "id", f"duplicate appeal id '{appeal.id}'", hint, "appeal.duplicate-id")
        seen.setdefault(appeal.id, appeal.source)
        _check_target(a, appeal, findings, indicators, problems)
        _check_decision(a, appeal, indicators, findings, problems)
        _check_deadlines(a, appeal, on, problems)


def _add(
    problems: Problems, appeal: Appeal, key: str | None, message: str, hint: str, code: str, severity: str = "error"
) -> None:
    problems.add(appeal.path, *appeal.locate(key), message, hint, severity=severity, code=code)


def _check_target(a: Assessment, appeal: Appeal, findings: dict, indicators: dict, problems: Problems) -> None:
    if appeal.finding is not None:
        found = findings.get((appeal.unit, appeal.finding))
        if found is None:
            other = next((f for (unit, fid), f in findings.items() if fid == appeal.finding), None)
            if other is not None:
                _add(
                    problems,
                    appeal,
                    "finding",
                    f"finding '{appeal.finding}' is about unit '{other.unit}', not '{appeal.unit}'",
                    "a unit appeals against its own findings",
                    "appeal.other-unit",
                )
            else:
                ids = [fid for (unit, fid) in findings if unit == appeal.unit]
                _add(
                    problems,
                    appeal,
                    "finding",
                    f"no finding '{appeal.finding}' of unit '{appeal.unit}'",
                    did_you_mean(appeal.finding, ids),
                    "appeal.unknown-finding",
                )
            return
        ind = indicators.get(found.indicator)
        rule = ind.rule_by_id(found.rule) if ind is not None else None
        if isinstance(rule, MitigationRule):
            _add(
                problems,
                appeal,
                "finding",
                f"finding '{appeal.finding}' is a mitigation: it reduces a deduction, an appeal contests the deduction",
                f"name the finding it mitigates ('{found.mitigates}')",
                "appeal.contests-mitigation",
            )
        return
    ind = indicators.get(appeal.indicator)
    if ind is None:
        _add(
            problems,
            appeal,
            "indicator",
            f"unknown indicator '{appeal.indicator}'",
            did_you_mean(appeal.indicator or "", indicators),
            "appeal.unknown-indicator",
        )
        return
    rule = ind.rule_by_id(appeal.rule)
    if rule is None:
        _add(
            problems,
            appeal,
            "rule",
            f"indicator '{ind.id}' has no rule '{appeal.rule}'",
            did_you_mean(appeal.rule or "", [r.id for r in ind.rule]),
            "appeal.unknown-rule",
        )
    elif rule.takes_findings:
        _add(
            problems,
            appeal,
            "rule",
            f"rule '{rule.id}' ({rule.kind}) deducts by findings: the appeal names the finding it contests",
            'write finding = "<finding id>" instead of indicator and rule',
            "appeal.rule-takes-findings",
        )


def _check_decision(a: Assessment, appeal: Appeal, indicators: dict, findings: dict, problems: Problems) -> None:
    decision = appeal.decision
    if decision is None:
        return
    if decision.date < appeal.filed:
        _add(
            problems,
            appeal,
            "decision",
            f"decided on {decision.date}, before it was filed on {appeal.filed}",
            "check both dates",
            "appeal.decided-before-filed",
        )
    found = findings.get((appeal.unit, appeal.finding)) if appeal.finding else None
    ind = indicators.get(found.indicator if found else appeal.indicator)
    if ind is None:
        return
    rule = ind.rule_by_id(found.rule if found else appeal.rule)
    if decision.outcome == "变更" and isinstance(rule, VetoRule | UnitVetoRule):
        _add(
            problems,
            appeal,
            "decision",
            f"a veto ({rule.kind}) is upheld (维持) or revoked (撤销), not changed to an amount",
            "decide 撤销 and file a deduction finding for the amount, or decide 维持",
            "appeal.change-of-veto",
        )
    if (
        decision.outcome == "变更"
        and decision.amount is not None
        and ind.granularity is not None
        and (decision.amount / ind.granularity) % 1 != 0
    ):
        _add(
            problems,
            appeal,
            "decision",
            f"new amount {decision.amount} is not a multiple of the deduction unit {ind.granularity}",
            f"扣分以{ind.granularity}分为单位",
            "appeal.granularity",
        )


def _check_deadlines(a: Assessment, appeal: Appeal, on: date, problems: Problems) -> None:
    kind = appeal_kind(a.framework, appeal.kind)
    if kind is None:
        _add(
            problems,
            appeal,
            "kind" if "kind" in appeal.model_fields_set else None,
            f"the framework states no deadlines for appeals of kind '{appeal.kind}'",
            did_you_mean(appeal.kind, [k.kind for k in a.framework.appeal_kind])
            or "add an [[appeal_kind]] with its deadlines to framework.toml",
            "appeal.kind-unknown",
        )
        return
    file_by = filing_deadline(a, appeal)
    if file_by is None and kind.after is not None:
        _add(
            problems,
            appeal,
            "kind" if "kind" in appeal.model_fields_set else None,
            f"a {kind.kind} is filed against a decided {kind.after} of the same line; none is recorded",
            f"file a {kind.after} first, or correct `kind`",
            "appeal.no-earlier-decision",
        )
    elif file_by is None:
        _add(
            problems,
            appeal,
            None,
            "the year records no 公示: whether the appeal was filed in time cannot be checked",
            f"add the 公示 (date, days) to evidence/{a.year}/stages.toml",
            "appeal.no-notice",
            severity="warning",
        )
    elif appeal.filed > file_by:
        upheld = appeal.decision is not None and appeal.decision.outcome == "维持"
        _add(
            problems,
            appeal,
            "filed",
            f"filed on {appeal.filed}, after its deadline {file_by} ({kind.kind}: {kind.file_within_days} days)",
            "a late appeal is recorded as rejected (维持)"
            if upheld
            else "a late appeal cannot change a result: decide 维持 (逾期不予受理), or remove it",
            "appeal.filed-late",
            severity="warning" if upheld else "error",
        )
    decide_by = decision_deadline(a, appeal)
    if decide_by is None:
        return
    if appeal.decision is None and on > decide_by:
        _add(
            problems,
            appeal,
            None,
            f"undecided past its deadline {decide_by} (filed {appeal.filed}, {kind.decide_within_days} days to decide)",
            "record the decision (outcome, decided_by, date, reasoning) under [appeal.decision]",
            "appeal.overdue",
            severity="warning",
        )
    elif appeal.decision is not None and appeal.decision.date > decide_by:
        _add(
            problems,
            appeal,
            "decision",
            f"decided on {appeal.decision.date}, after its deadline {decide_by}",
            f"{kind.kind}: {kind.decide_within_days} days from filing; the decision still applies",
            "appeal.decided-late",
            severity="warning",
        )


def validate_stages(a: Assessment, problems: Problems) -> None:
    """Stages in order (草稿 → 公示 → 审定 → 备案), each once, dated in order; no final result while an
    appeal is open or before 公示 has ended."""
    path = f"evidence/{a.year}/stages.toml"
    previous = None
    for record in a.stages:
        if previous is not None and (
            STAGES.index(record.stage) <= STAGES.index(previous.stage) or record.date < previous.date
        ):
            problems.add(
                path,
                record._line,
                1,
                f"stage {record.stage} ({record.date}) does not follow {previous.stage} ({previous.date})",
                "list the stages once each, in order 草稿 → 公示 → 审定 → 备案, with dates that do not go back",
                code="stage.order",
            )
        previous = record
    final = stage(a, "审定")
    if final is None:
        return
    end = notice_end(a)
    if end is not None and final.date <= end:
        problems.add(
            path,
            final._line,
            1,
            f"审定 on {final.date}, before 公示 has ended (its last day is {end})",
            "approve the results after the notice period",
            code="stage.final-during-notice",
        )
    for appeal in a.appeals:
        if appeal.decision is None:
            problems.add(
                path,
                final._line,
                1,
                f"审定 is recorded while appeal '{appeal.id}' ({appeal.source}) is undecided",
                "decide every appeal before the results are approved",
                code="stage.final-with-open-appeal",
            )
