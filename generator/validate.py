"""Checks across files: references, duplicates, dates, ranges and granularity.

:mod:`generator.load` has checked each table's shape; here the tables are checked against each
other, so that scoring can trust every reference it follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from .model import Assessment, Evidence, Finding, Framework, Indicator, Repository
from .organization import check_organizations
from .problems import Problems, did_you_mean
from .score.rules import Phase, RuleBase
from .source import Source
from .validate_appeals import validate_appeal_kinds, validate_appeals, validate_stages
from .validate_grading import validate_grading

COMMON_FINDING_KEYS = frozenset({"id", "indicator", "rule", "date", "reason", "unit", "evidence", "assessor"})
OPTIONAL_FINDING_KEYS = frozenset({"amount", "count", "item", "grade", "severity", "mitigates", "tallies"})


def validate_repository(repo: Repository, problems: Problems) -> None:
    for fw in repo.frameworks.values():
        validate_framework(fw, problems)
    check_organizations(list(repo.frameworks.values()), problems)
    for assessment in repo.assessments.values():
        validate_assessment(assessment, repo.broken_indicators.get(assessment.framework.id, set()), problems)


def validate_framework(fw: Framework, problems: Problems) -> None:
    part_ids = {p.id for p in fw.part}
    series_ids = {s.id for s in fw.series}
    _check_interpreted(fw, fw.path, 1, problems)
    for part in fw.part:
        _check_interpreted(part, part.source.path, part.source.line, problems)
    for kind, items in (("series", fw.series), ("part", fw.part)):
        ids = [item.id for item in items]
        for item in items:
            if ids.count(item.id) > 1 and item is not items[ids.index(item.id)]:
                path, line = item.source.path, item.source.line
                problems.add(path, line, 1, f"duplicate {kind} id '{item.id}'", f"each [[{kind}]] needs its own id")
    seen_categories: dict[str, str] = {}
    seen_indicators: dict[str, Source] = {}
    for cat in fw.categories:
        if cat.id in seen_categories:
            problems.add(
                cat.path, 1, 1, f"duplicate category id '{cat.id}'", f"already used in {seen_categories[cat.id]}"
            )
        seen_categories.setdefault(cat.id, cat.path)
        if cat.part is not None and cat.part not in part_ids:
            problems.add(cat.path, 1, 1, f"unknown part '{cat.part}'", did_you_mean(cat.part, part_ids))
        _check_interpreted(cat, cat.path, 1, problems)
        for ind in cat.indicators:
            path, line = ind.source.path, ind.source.line
            _check_interpreted(ind, path, line, problems)
            if ind.id in seen_indicators:
                problems.add(
                    path, line, 1, f"duplicate indicator id '{ind.id}'", f"already used at {seen_indicators[ind.id]}"
                )
            seen_indicators.setdefault(ind.id, ind.source)
            if ind.applies_to is not None:
                for s in ind.applies_to.series:
                    if s not in series_ids:
                        problems.add(
                            path,
                            line,
                            1,
                            f"indicator '{ind.id}' applies to unknown series '{s}'",
                            did_you_mean(s, series_ids),
                        )
            _validate_rules(ind, problems)
    validate_grading(fw, problems, _check_interpreted)
    validate_appeal_kinds(fw, problems)


def _validate_rules(ind: Indicator, problems: Problems) -> None:
    seen: set[str] = set()
    keys: dict[str, str] = {}
    for rule in ind.rule:
        path, line = rule.source.path, rule.source.line
        if rule.id in seen:
            problems.add(
                path, line, 1, f"duplicate rule id '{rule.id}' in indicator '{ind.id}'", "give each rule its own id"
            )
        seen.add(rule.id)
        _check_interpreted(rule, path, line, problems)
        if rule.kind == "threshold" and rule.missing_amount is None:  # type: ignore[attr-defined]
            problems.add(
                path,
                line,
                1,
                f"threshold rule '{rule.id}' of indicator '{ind.id}' does not say what a missing figure costs",
                "add `missing_amount` (0 for no deduction) and, unless the document says it, "
                'interpreted = { missing_amount = "<why>" }',
                code="framework.threshold-missing-unstated",
            )
        for key in rule.requirement_keys():
            if key in keys:
                problems.add(
                    path,
                    line,
                    1,
                    f"requirement key '{key}' is defined twice in indicator '{ind.id}'",
                    f"also in rule '{keys[key]}'; keys must be unique within an indicator",
                )
            keys[key] = rule.id
        if ind.granularity is not None:
            for where, amount in rule.static_amounts():
                if not _multiple(amount, ind.granularity):
                    problems.add(
                        path,
                        line,
                        1,
                        f"amount {amount} ({'.'.join(map(str, where))}) is not a multiple of the "
                        f"deduction unit {ind.granularity}",
                        f"扣分以{ind.granularity}分为单位",
                    )
        if ind.method == "bonus" and rule.kind not in ("award", "veto"):
            problems.add(
                path, line, 1, f"a bonus indicator only takes award rules, not '{rule.kind}'", 'use kind = "award"'
            )
        if rule.proposed:
            problems.add(
                path,
                line,
                1,
                f"rule '{rule.id}' of indicator '{ind.id}' is proposed, not confirmed (规则待确认): {rule.text}",
                "compare it with the clause; correct it if needed, then delete `proposed = true`",
                severity="warning",
                code="framework.rule-proposed",
            )
    for clause in ind.pending:
        path, line = ind.source.path, ind.source.line
        problems.add(
            path,
            line,
            1,
            f"规则待定: indicator '{ind.id}' has a clause no rule expresses yet: {clause}",
            "write an [[indicator.rule]] for it (docs/formats.md, Rule kinds), then remove it from `pending`",
            severity="warning",
            code="framework.rule-pending",
        )
    if ind.points is None and any(rule.phase is not Phase.UNIT for rule in ind.rule):  # a unit veto needs no points
        path, line = ind.source.path, ind.source.line
        problems.add(
            path,
            line,
            1,
            f"indicator '{ind.id}' has rules but no points",
            "give `points`, or remove the rules while the points are undetermined",
            severity="warning",
        )


#: Fields an interpretation marker cannot name: the marker itself and the table's id.
_NOT_INTERPRETABLE = frozenset({"interpreted", "id"})


def _check_interpreted(table: BaseModel, path: str, line: int, problems: Problems) -> None:
    """Each interpretation marker names a field of its table that holds a value."""
    fields = [f for f in type(table).model_fields if f not in _NOT_INTERPRETABLE]
    for key, reason in table.interpreted.items():  # type: ignore[attr-defined]
        what = f"interpreted.{key}"
        if not reason.strip():
            problems.add(
                path,
                line,
                1,
                f"'{what}' gives no reason",
                "say why the value is read so, e.g. 月份未列：按年底（12月）考核",
                code="framework.interpreted-blank",
            )
        if key not in fields:
            problems.add(
                path,
                line,
                1,
                f"'{what}' marks a field this table does not have",
                did_you_mean(key, fields),
                code="framework.interpreted-unknown-field",
            )
        elif getattr(table, key) in (None, "", [], {}):
            problems.add(
                path,
                line,
                1,
                f"'{what}' marks a value that is not set",
                f"set `{key}`, or remove the marker",
                code="framework.interpreted-unset",
            )


def _multiple(amount: Decimal, unit: Decimal) -> bool:
    return amount % unit == 0


def validate_assessment(a: Assessment, broken: set[str], problems: Problems) -> None:
    validate_appeals(a, problems)
    validate_stages(a, problems)
    indicators: dict[str, Indicator] = {}
    for i in a.framework.indicators():  # a duplicate id is reported once; references resolve to the first
        indicators.setdefault(i.id, i)
    units = {u.id: u for u in a.units}
    start, end = date(a.year, 1, 1), date(a.year, 12, 31)

    keys: dict[str, tuple[dict[str, str], dict[str, str]]] = {}  # indicator → (requirements, metrics)
    reported: dict[tuple[str, str, str], tuple[Decimal, str]] = {}
    for ev in sorted(a.evidence, key=lambda e: (e.date, e.path)):  # by date: a later figure meets an earlier one
        _check_name(ev.path, ev.indicator, ev.locate, indicators, problems)
        ind = indicators.get(ev.indicator)
        if ind is None:
            if ev.indicator not in broken:
                problems.add(
                    ev.path,
                    *ev.locate("indicator"),
                    f"unknown indicator '{ev.indicator}'",
                    did_you_mean(ev.indicator, indicators),
                )
            continue
        if not start <= ev.date <= end:
            problems.add(
                ev.path,
                *ev.locate("date"),
                f"date {ev.date} is outside the assessment year {a.year}",
                f"evidence for {a.year} is dated {start} to {end}",
            )
        if ind.id not in keys:
            keys[ind.id] = (
                {k: v for r in ind.rule for k, v in r.requirement_keys().items()},
                {k: v for r in ind.rule for k, v in r.metric_keys().items()},
            )
        requirements, metrics = keys[ind.id]
        _unknown_keys(ev, "satisfies", ev.satisfies, requirements, "requirement", ind.id, problems)
        _unknown_keys(ev, "metrics", list(ev.metrics), metrics, "metric", ind.id, problems)
        for metric, value in ev.metrics.items():
            earlier = reported.setdefault((ev.unit, ev.indicator, metric), (value, ev.path))
            if earlier[0] != value:
                problems.add(
                    ev.path,
                    *ev.locate("metrics"),
                    f"'{metric}' = {value} here but {earlier[0]} in {earlier[1]}",
                    "the latest dated report counts; if the figure was corrected, say so in this file",
                    severity="warning",
                )
        unit = units.get(ev.unit)
        if unit is not None and not ind.concerns(unit):
            problems.add(
                ev.path,
                *ev.locate("indicator"),
                f"indicator '{ind.id}' does not apply to unit '{unit.id}'",
                ind.applies_to.note if ind.applies_to else "",
                severity="warning",
            )

    once: dict[tuple[str | None, str, str], str] = {}
    for f in a.findings:
        ind = indicators.get(f.indicator)
        rule = ind.rule_by_id(f.rule) if ind is not None else None
        if rule is not None and rule.kind == "fixed" and not rule.per_occurrence:
            key = (f.unit, f.indicator, f.rule, f.item)
            if key in once:
                what = f"item '{f.item}' of rule '{f.rule}'" if f.item else f"rule '{f.rule}'"
                problems.add(
                    f.path,
                    *f.locate("item" if f.item else "rule"),
                    f"{what} deducts once; finding '{f.id}' adds nothing",
                    f"already deducted by {once[key]}; merge the reasons"
                    + ("" if f.item else " or set per_occurrence = true"),
                    severity="warning",
                    code="finding.deducts-once",
                )
            once.setdefault(key, f.id)
    for ind in indicators.values():
        unknown = [u for u in (ind.applies_to.units if ind.applies_to else []) if u not in units]
        if unknown:
            path, line = ind.source.path, ind.source.line
            problems.add(
                path,
                line,
                1,
                f"indicator '{ind.id}' applies to unit '{unknown[0]}', which is not a unit of {a.year}",
                did_you_mean(unknown[0], units),
                severity="warning",
            )

    seen: dict[str, Source] = {}
    by_id: dict[str, Finding] = {}
    for f in a.findings:
        by_id.setdefault(f.id, f)  # the first of duplicates, as the duplicate-id error says
    for f in a.findings:
        path = f.path
        _check_name(path, f.indicator, f.locate, indicators, problems)
        if f.id in seen:
            problems.add(path, *f.locate("id"), f"duplicate finding id '{f.id}'", f"already used at {seen[f.id]}")
        seen.setdefault(f.id, f.source)
        if f.unit not in units:
            problems.add(path, *f.locate("unit"), f"unknown unit '{f.unit}'", did_you_mean(f.unit or "", units))
        if not start <= f.date <= end:
            problems.add(
                path,
                *f.locate("date"),
                f"date {f.date} is outside the assessment year {a.year}",
                "date a finding by what it finds, within the year",
            )
        ind = indicators.get(f.indicator)
        if ind is None:
            if f.indicator not in broken:
                problems.add(
                    path,
                    *f.locate("indicator"),
                    f"unknown indicator '{f.indicator}'",
                    did_you_mean(f.indicator, indicators),
                )
            continue
        unit = units.get(f.unit or "")
        if unit is not None and not ind.concerns(unit):
            problems.add(
                path,
                *f.locate("indicator"),
                f"indicator '{ind.id}' does not apply to unit '{unit.id}'",
                ind.applies_to.note or "a finding cannot deduct from an indicator that does not apply",
            )
        if f.mitigates is not None:
            target = by_id.get(f.mitigates)
            if target is None:
                problems.add(
                    path,
                    *f.locate("mitigates"),
                    f"no finding '{f.mitigates}' to mitigate",
                    did_you_mean(f.mitigates, by_id),
                )
            elif (target.unit, target.indicator) != (f.unit, f.indicator):
                problems.add(
                    path,
                    *f.locate("mitigates"),
                    f"finding '{f.mitigates}' is for another unit or indicator",
                    "a mitigation reduces a deduction of the same unit and indicator",
                )
            else:
                target_rule = ind.rule_by_id(target.rule)
                if target is f or target_rule is None or target_rule.phase is not Phase.DEDUCT:
                    problems.add(
                        path,
                        *f.locate("mitigates"),
                        f"finding '{f.mitigates}' is not a deduction that can be mitigated",
                        "name the finding of a deducting rule (not a mitigation, a veto or this finding)",
                    )
        rule: RuleBase | None = ind.rule_by_id(f.rule)
        if rule is None:
            problems.add(
                path,
                *f.locate("rule"),
                f"indicator '{ind.id}' has no rule '{f.rule}'",
                did_you_mean(f.rule, [r.id for r in ind.rule]),
            )
            continue
        if not rule.takes_findings:
            problems.add(
                path,
                *f.locate("rule"),
                f"rule '{rule.id}' ({rule.kind}) is scored from evidence, not from findings",
                "file evidence that satisfies it, or choose a fixed/range/incident rule",
            )
            continue
        if f._partial:
            continue  # its keys were reported already; checking them against the rule would repeat that
        present = {k for k in OPTIONAL_FINDING_KEYS if _given(f, k)}
        for key in sorted(present - rule.finding_keys):
            problems.add(
                path,
                *f.locate(key),
                f"rule '{rule.id}' ({rule.kind}) does not take `{key}`",
                f"remove `{key}`"
                + (
                    f"; the rule fixes the amount at {rule.amount}"  # type: ignore[attr-defined]
                    if key == "amount" and getattr(rule, "amount", None) is not None
                    else ""
                ),
            )
        for key, message, hint in rule.finding_problems(f, ind):
            problems.add(path, *f.locate(key), message, hint)
        if (
            f.amount is not None
            and ind.granularity is not None
            and rule.kind != "award"
            and not _multiple(f.amount, ind.granularity)
        ):
            problems.add(
                path,
                *f.locate("amount"),
                f"amount {f.amount} is not a multiple of the deduction unit {ind.granularity}",
                f"扣分以{ind.granularity}分为单位",
            )


def _given(f: object, key: str) -> bool:
    value = getattr(f, key)
    return value is not None and not (key == "count" and value == 1 and "count" not in f.model_fields_set)  # type: ignore[attr-defined]


def _check_name(
    path: str,
    indicator: str,
    locate: Callable[[str], tuple[int, int]],
    indicators: dict[str, Indicator],
    problems: Problems,
) -> None:
    """Files are named `<indicator>-…`, and CODEOWNERS routes review by that name: it must not mislead.

    The ids a name can start with are its stem and the stem cut at each '-': looking those up is
    cheaper than trying every indicator against every file, and `locate` (which scans the file's
    TOML for positions) runs only for a file that is misnamed.
    """
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # PurePosixPath(path).stem
    candidates = [stem[:k] for k, c in enumerate(stem) if c == "-"] + [stem]
    named = max((i for i in candidates if i in indicators), key=len, default=None)
    if named is not None and named != indicator:
        problems.add(
            path,
            *locate("indicator"),
            f"the file is named for indicator '{named}' but this is for '{indicator}'",
            f"review requests follow file names: move it to a file named {indicator}-…",
            severity="warning",
        )


def _unknown_keys(
    ev: Evidence, field: str, given: list[str], known: dict[str, str], what: str, indicator: str, problems: Problems
) -> None:
    """Report each key in `given` that the indicator does not define (a requirement or a metric)."""
    for key in given:
        if key not in known:
            problems.add(
                ev.path,
                *ev.locate(field),
                f"indicator '{indicator}' has no {what} '{key}'",
                did_you_mean(key, known) or f"indicator '{indicator}' has no {what}s",
            )
