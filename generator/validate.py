"""Checks across files: references, duplicates, dates, ranges and granularity.

:mod:`generator.load` has checked each table's shape; here the tables are checked against each
other, so that scoring can trust every reference it follows.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pydantic import BaseModel

from . import periodcheck
from .gcpause import gc_paused
from .load import bodies
from .messages import Message, joined, msg
from .model import Assessment, Evidence, Finding, Framework, Indicator, Repository
from .organization import check_organizations
from .period import Schedule
from .problems import Problems, did_you_mean
from .refused import names_refused
from .score.rules import Phase, RuleBase
from .score.rules.mitigation import MitigationRule
from .source import Source
from .types import plain
from .validate_appeals import validate_appeal_kinds, validate_appeals, validate_stages
from .validate_grading import validate_grading

COMMON_FINDING_KEYS = frozenset({"id", "indicator", "rule", "date", "reason", "unit", "evidence", "assessor", "period"})
OPTIONAL_FINDING_KEYS = frozenset({"amount", "count", "item", "grade", "severity", "mitigates", "tallies"})


def validate_repository(repo: Repository, problems: Problems) -> None:
    with gc_paused():  # it builds little, while everything loaded is alive: see generator.gcpause
        _validate_repository(repo, problems)


def _validate_repository(repo: Repository, problems: Problems) -> None:
    for fw in repo.frameworks.values():
        validate_framework(fw, problems)
    check_organizations(list(repo.frameworks.values()), problems)
    for assessment in repo.assessments.values():
        validate_assessment(assessment, repo.broken_indicators.get(assessment.framework.id, set()), problems)


def _check_copy(ev: Evidence, copies: dict[tuple[object, ...], list[Evidence]], problems: Problems) -> None:
    """A file saying exactly what another of its unit says is most likely a copy, which a `count`
    rule would take for a second occurrence. A warning, not an error: two bare records of one day
    (front matter only, the documents kept elsewhere) can be two real occurrences, and the
    reviewer of the pull request is the one who can tell. Bodies are compared (by digest) only
    between files whose front matter says the same: hashing every body cost a cold check 0.1 s."""
    said = (
        ev.unit,
        ev.indicator,
        ev.date,
        ev.title,
        tuple(ev.satisfies),
        ev.count,
        tuple(sorted(ev.metrics.items())),
    )
    earlier = copies.setdefault(said, [])
    if earlier:
        body = bodies.digest(ev)
        first = next((e for e in earlier if bodies.digest(e) == body), None)
        if first is not None:
            problems.report(ev.path, 1, 1, "evidence.duplicate", severity="warning", first=first.path)
            return
    earlier.append(ev)


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
                problems.report(path, line, 1, "framework.duplicate-id", table=kind, id=item.id)
    seen_categories: dict[str, str] = {}
    seen_indicators: dict[str, Source] = {}
    for cat in fw.categories:
        if cat.id in seen_categories:
            problems.report(cat.path, 1, 1, "category.duplicate-id", category=cat.id, first=seen_categories[cat.id])
        seen_categories.setdefault(cat.id, cat.path)
        if cat.part is not None and cat.part not in part_ids:
            problems.report(
                cat.path, 1, 1, "category.unknown-part", part=cat.part, suggestion=did_you_mean(cat.part, part_ids)
            )
        _check_interpreted(cat, cat.path, 1, problems)
        if cat.weight is not None and not _multiple(cat.weight, fw.precision):
            # a weight the scores cannot reach: 本表共1.125分 rounded to 0.01 would score 1.13 of 1.125
            problems.report(cat.path, 1, 1, "category.weight-precision", weight=cat.weight, precision=fw.precision)
        mixed = any(i.method == "bonus" for i in cat.indicators) and not cat.bonus
        for ind in cat.indicators:
            path, line = ind.source.path, ind.source.line
            _check_interpreted(ind, path, line, problems)
            if mixed and ind.method == "bonus":  # its points would join the table's 满分, an unawarded bonus lost
                problems.report(path, line, 1, "category.bonus-mixed", indicator=ind.id, category=cat.title)
            if ind.id in seen_indicators:
                problems.report(
                    path, line, 1, "indicator.duplicate-id", indicator=ind.id, first=seen_indicators[ind.id]
                )
            seen_indicators.setdefault(ind.id, ind.source)
            if ind.applies_to is not None:
                for s in ind.applies_to.series:
                    if s not in series_ids:
                        problems.report(
                            path,
                            line,
                            1,
                            "indicator.unknown-series",
                            indicator=ind.id,
                            series=s,
                            suggestion=did_you_mean(s, series_ids),
                        )
            _validate_rules(ind, problems)
    _check_part_caps(fw, problems)
    validate_grading(fw, problems, _check_interpreted)
    validate_appeal_kinds(fw, problems)
    periodcheck.check_framework(fw, problems)


def _check_part_caps(fw: Framework, problems: Problems) -> None:
    """A part's `cap` is the most a bonus part adds (创优绩效加分最多1分). On a part holding points a
    unit can lose, it would take earned points away and print the difference as a negative bonus."""
    for part in fw.part:
        if part.cap is None:
            continue
        for cat in fw.categories:
            if cat.part == part.id and not cat.bonus:
                path, line = part.source.path, part.source.line
                problems.report(path, line, 1, "framework.part-cap-not-bonus", part=part.title, category=cat.title)


def _validate_rules(ind: Indicator, problems: Problems) -> None:
    seen: set[str] = set()
    keys: dict[str, str] = {}
    for rule in ind.rule:
        path, line = rule.source.path, rule.source.line
        if rule.id in seen:
            problems.report(path, line, 1, "rule.duplicate-id", rule=rule.id, indicator=ind.id)
        seen.add(rule.id)
        _check_interpreted(rule, path, line, problems)
        for problem in rule.framework_problems(ind):
            code, params = (problem, {}) if isinstance(problem, str) else problem
            problems.report(path, line, 1, code, rule=rule.id, indicator=ind.id, **params)
        for key in rule.requirement_keys():
            if key in keys:
                problems.report(
                    path, line, 1, "rule.duplicate-requirement", key=key, indicator=ind.id, other_rule=keys[key]
                )
            keys[key] = rule.id
        if ind.granularity is not None:
            for where, amount in rule.static_amounts():
                if not _multiple(amount, ind.granularity):
                    problems.report(
                        path,
                        line,
                        1,
                        "rule.amount-granularity",
                        amount=amount,
                        where=".".join(map(str, where)),
                        granularity=ind.granularity,
                    )
        if ind.method == "bonus" and rule.kind not in ("award", "veto"):
            problems.report(path, line, 1, "rule.bonus-kind", kind=rule.kind)
        if rule.proposed:
            problems.report(
                path,
                line,
                1,
                "framework.rule-proposed",
                severity="warning",
                rule=rule.id,
                indicator=ind.id,
                text=rule.text,
            )
    for clause in ind.pending:
        path, line = ind.source.path, ind.source.line
        problems.report(path, line, 1, "framework.rule-pending", severity="warning", indicator=ind.id, clause=clause)
    if ind.points is None and any(rule.phase is not Phase.UNIT for rule in ind.rule):  # a unit veto needs no points
        path, line = ind.source.path, ind.source.line
        problems.report(path, line, 1, "indicator.rules-without-points", severity="warning", indicator=ind.id)


#: Fields an interpretation marker cannot name: the marker itself and the table's id.
_NOT_INTERPRETABLE = frozenset({"interpreted", "id"})


def _check_interpreted(table: BaseModel, path: str, line: int, problems: Problems) -> None:
    """Each interpretation marker names a field of its table that holds a value."""
    fields = [f for f in type(table).model_fields if f not in _NOT_INTERPRETABLE]
    for key, reason in table.interpreted.items():  # type: ignore[attr-defined]
        what = f"interpreted.{key}"
        # framework.toml knows where its markers are written; other tables are reported at their header
        where = table.at(what) if isinstance(table, Framework) else (line, 1)
        if not reason.strip():
            problems.report(path, *where, "framework.interpreted-blank", marker=what)
        if key not in fields:
            problems.report(
                path, *where, "framework.interpreted-unknown-field", marker=what, suggestion=did_you_mean(key, fields)
            )
        elif getattr(table, key) in (None, "", [], {}):
            problems.report(path, *where, "framework.interpreted-unset", marker=what, key=key)


def _numbered(ind: Indicator, rule: str) -> Message:
    """A rule of `ind` as the framework page lists it, by its number in the row (第2条), with the id
    the assessor writes in `rule =` after it (softens names only rules of the row: validated above)."""
    return msg("finding.rule-numbered", n=ind.rule_number(rule) or 0, rule=rule)


def _multiple(amount: Decimal, unit: Decimal) -> bool:
    return amount % unit == 0


def validate_assessment(a: Assessment, broken: set[str], problems: Problems) -> None:
    validate_appeals(a, problems, broken=broken)
    validate_stages(a, problems)
    indicators: dict[str, Indicator] = {}
    for i in a.framework.indicators():  # a duplicate id is reported once; references resolve to the first
        indicators.setdefault(i.id, i)
    units = {u.id: u for u in a.units}
    schedule = Schedule(a.framework, a.year)
    start, end = schedule.whole.first, schedule.whole.last

    keys: dict[str, tuple[dict[str, str], dict[str, str]]] = {}  # indicator → (requirements, metrics)
    reported: dict[tuple[str, str, str, str], tuple[Decimal, str]] = {}  # a figure per period
    copies: dict[tuple[object, ...], list[Evidence]] = {}  # what a record's front matter says → its files
    for ev in sorted(a.evidence, key=lambda e: (e.date, e.path)):  # by date: a later figure meets an earlier one
        _check_name(ev.path, ev.indicator, ev.locate, indicators, problems)
        ind = indicators.get(ev.indicator)
        if ind is None:
            if not names_refused(ev.indicator, indicators, broken):
                problems.report(
                    ev.path,
                    *ev.locate("indicator"),
                    "evidence.unknown-indicator",
                    indicator=ev.indicator,
                    suggestion=did_you_mean(ev.indicator, indicators),
                )
            continue
        _check_copy(ev, copies, problems)
        if not start <= ev.date <= end:
            problems.report(
                ev.path,
                *ev.locate("date"),
                "evidence.date-outside-year",
                date=ev.date,
                year=a.year,
                start=start,
                end=end,
            )
        if ind.id not in keys:
            keys[ind.id] = (
                {k: v for r in ind.rule for k, v in r.requirement_keys().items()},
                {k: v for r in ind.rule for k, v in r.metric_keys().items()},
                {k: v for r in ind.rule for k, v in r.metric_bounds().items()},
            )
        requirements, metrics, bounds = keys[ind.id]
        _unknown_keys(ev, "satisfies", ev.satisfies, (requirements, metrics), "requirement", ind.id, problems)
        _unknown_keys(ev, "metrics", list(ev.metrics), (metrics, requirements), "metric", ind.id, problems)
        for metric, value in ev.metrics.items():
            if metric in bounds:
                _out_of_bounds(ev, metric, value, metrics[metric], bounds[metric], problems)
        period = schedule.period_of(ind.category, ev.date) if ev.metrics else None
        for metric, value in ev.metrics.items():
            earlier = reported.setdefault(
                (ev.unit, ev.indicator, metric, period.key if period else ""), (value, ev.path)
            )
            if earlier[0] != value:
                problems.report(
                    ev.path,
                    *ev.locate("metrics"),
                    "evidence.metric-differs",
                    severity="warning",
                    metric=metric,
                    value=value,
                    earlier=earlier[0],
                    earlier_path=earlier[1],
                )
        unit = units.get(ev.unit)
        if unit is not None and not ind.concerns(unit):
            problems.report(
                ev.path,
                *ev.locate("indicator"),
                "evidence.not-applicable",
                severity="warning",
                indicator=ind.id,
                unit=unit.id,
                note=ind.applies_to.note if ind.applies_to else "",
            )

    once: dict[tuple[str | None, str, str], str] = {}
    for f in a.findings:
        ind = indicators.get(f.indicator)
        rule = ind.rule_by_id(f.rule) if ind is not None else None
        if rule is not None and rule.kind == "fixed" and not rule.per_occurrence:
            key = (f.unit, f.indicator, f.rule, f.item)
            if key in once:
                what = (
                    msg("finding.deducts-once.item", item=f.item, rule=f.rule)
                    if f.item
                    else msg("finding.deducts-once.rule", rule=f.rule)
                )
                advice = "merge" if f.item else "merge-or-per-occurrence"
                problems.report(
                    f.path,
                    *f.locate("item" if f.item else "rule"),
                    "finding.deducts-once",
                    severity="warning",
                    what=what,
                    finding=f.id,
                    first=once[key],
                    advice=msg(f"finding.deducts-once.{advice}", first=once[key]),
                )
            once.setdefault(key, f.id)
    for ind in indicators.values():
        named = ind.applies_to.units if ind.applies_to else []
        unknown = [u for u in named if u not in units and not names_refused(u, units, a.refused_units)]
        if unknown:
            path, line = ind.source.path, ind.source.line
            problems.report(
                path,
                line,
                1,
                "indicator.unknown-unit",
                severity="warning",
                indicator=ind.id,
                unit=unknown[0],
                year=a.year,
                suggestion=did_you_mean(unknown[0], units),
            )

    periodcheck.check_assessment(a, indicators, problems)
    seen: dict[str, Source] = {}
    by_id: dict[str, Finding] = {}
    for f in a.findings:
        by_id.setdefault(f.id, f)  # the first of duplicates, as the duplicate-id error says
    for f in a.findings:
        path = f.path
        _check_name(path, f.indicator, f.locate, indicators, problems)
        if f.id in seen:
            problems.report(path, *f.locate("id"), "finding.duplicate-id", finding=f.id, first=seen[f.id])
        seen.setdefault(f.id, f.source)
        if f.unit not in units and not names_refused(f.unit or "", units, a.refused_units):
            problems.report(
                path,
                *f.locate("unit"),
                "finding.unknown-unit",
                unit=f.unit,
                suggestion=did_you_mean(f.unit or "", units),
            )
        if not start <= f.date <= end and f.period is None:  # a named period's dates are checked with periods
            problems.report(path, *f.locate("date"), "finding.date-outside-year", date=f.date, year=a.year)
        ind = indicators.get(f.indicator)
        if ind is None:
            if not names_refused(f.indicator, indicators, broken):
                problems.report(
                    path,
                    *f.locate("indicator"),
                    "finding.unknown-indicator",
                    indicator=f.indicator,
                    suggestion=did_you_mean(f.indicator, indicators),
                )
            continue
        unit = units.get(f.unit or "")
        if unit is not None and not ind.concerns(unit):
            problems.report(
                path,
                *f.locate("indicator"),
                "finding.not-applicable",
                indicator=ind.id,
                unit=unit.id,
                note=ind.applies_to.note or msg("finding.not-applicable.default") if ind.applies_to else "",
            )
        if f.mitigates is not None:
            target = by_id.get(f.mitigates)
            if target is None:
                problems.report(
                    path,
                    *f.locate("mitigates"),
                    "finding.mitigates-unknown",
                    finding=f.mitigates,
                    suggestion=did_you_mean(f.mitigates, by_id),
                )
            elif (target.unit, target.indicator) != (f.unit, f.indicator):
                problems.report(path, *f.locate("mitigates"), "finding.mitigates-other", finding=f.mitigates)
            else:
                target_rule = ind.rule_by_id(target.rule)
                own = ind.rule_by_id(f.rule)
                if target is f or target_rule is None or target_rule.phase is not Phase.DEDUCT:
                    problems.report(
                        path, *f.locate("mitigates"), "finding.mitigates-not-a-deduction", finding=f.mitigates
                    )
                elif isinstance(own, MitigationRule) and not own.may_soften(target_rule.id):
                    problems.report(
                        path,
                        *f.locate("mitigates"),
                        "finding.mitigates-not-softened",
                        finding=f.mitigates,
                        rule=own.id,
                        text=own.text or own.id,
                        softens=joined("value.list-separator", [_numbered(ind, r) for r in own.softens]),
                    )
        rule: RuleBase | None = ind.rule_by_id(f.rule)
        if rule is None:
            problems.report(
                path,
                *f.locate("rule"),
                "finding.unknown-rule",
                indicator=ind.id,
                rule=f.rule,
                suggestion=did_you_mean(f.rule, [r.id for r in ind.rule]),
            )
            continue
        if not rule.takes_findings:
            problems.report(path, *f.locate("rule"), "finding.rule-takes-evidence", rule=rule.id, kind=rule.kind)
            continue
        if f._partial:
            continue  # its keys were reported already; checking them against the rule would repeat that
        present = {k for k in OPTIONAL_FINDING_KEYS if _given(f, k)}
        for key in sorted(present - rule.finding_keys):
            fixed = getattr(rule, "amount", None) if key == "amount" else None
            problems.report(
                path,
                *f.locate(key),
                "finding.key-not-taken",
                rule=rule.id,
                kind=rule.kind,
                key=key,
                fixed=msg("finding.key-not-taken.fixed", amount=fixed) if fixed is not None else "",
            )
        for key, code, params in rule.finding_problems(f, ind):
            problems.report(path, *f.locate(key), code, **params)
        if (
            f.amount is not None
            and ind.granularity is not None
            and rule.kind != "award"
            and not _multiple(f.amount, ind.granularity)
        ):
            problems.report(
                path, *f.locate("amount"), "finding.amount-granularity", amount=f.amount, granularity=ind.granularity
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

    The ids a name can start with are its stem and the stem cut at each '-': looking those up,
    longest first, is cheaper than trying every indicator against every file, and `locate` (which
    scans the file's TOML for positions) runs only for a file that is misnamed.
    """
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # PurePosixPath(path).stem
    cut = len(stem)
    while cut >= 0 and stem[:cut] not in indicators:
        cut = stem.rfind("-", 0, cut)
    named = stem[:cut] if cut >= 0 else None
    if named is not None and named != indicator:
        problems.report(
            path,
            *locate("indicator"),
            "file.named-for-other-indicator",
            severity="warning",
            named=named,
            indicator=indicator,
        )


def _out_of_bounds(
    ev: Evidence,
    metric: str,
    value: Decimal,
    name: str,
    bounds: tuple[Decimal | None, Decimal | None, str],
    problems: Problems,
) -> None:
    """Report a reported figure that the metric cannot take (a rate below 0 % or above 100 %)."""
    low, high, suffix = bounds
    if (low is None or value >= low) and (high is None or value <= high):
        return
    if low is not None and high is not None:
        allowed = msg("evidence.metric-range.between", low=plain(low), high=plain(high), suffix=suffix)
    elif low is not None:
        allowed = msg("evidence.metric-range.at-least", low=plain(low), suffix=suffix)
    else:
        allowed = msg("evidence.metric-range.at-most", high=plain(high), suffix=suffix)
    where = ev.doc.locate(("metrics", metric)) if ev.doc is not None else ev.locate("metrics")
    problems.report(
        ev.path, *where, "evidence.metric-out-of-range", name=name, value=plain(value), suffix=suffix, allowed=allowed
    )


def _unknown_keys(
    ev: Evidence,
    field: str,
    given: list[str],
    keys: tuple[dict[str, str], dict[str, str]],
    what: str,
    indicator: str,
    problems: Problems,
) -> None:
    """Report each key in `given` that the indicator does not define (a requirement or a metric).
    `keys` are the indicator's keys of this kind, then of the other: an indicator with none of this
    kind is told apart by what it does take (a threshold's clerk who wrote satisfies is sent to metrics)."""
    known, other = keys
    for key in given:
        if key not in known:
            problems.report(
                ev.path,
                *ev.locate(field),
                f"evidence.unknown-{what}",
                indicator=indicator,
                key=key,
                suggestion=did_you_mean(key, known) or _instead(what, indicator, other),
            )


def _instead(what: str, indicator: str, other: dict[str, str]) -> Message:
    """The hint for an indicator that takes no key of kind `what`: the field its rules do take, if any."""
    if not other:
        return msg(f"evidence.no-{what}s", indicator=indicator)
    if what == "requirement":
        return msg("evidence.use-metrics", indicator=indicator, keys=sorted(other), key=next(iter(other)))
    return msg("evidence.use-satisfies", indicator=indicator, keys=sorted(other))
