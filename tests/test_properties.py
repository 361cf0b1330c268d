"""Property-based tests of scoring: invariants that hold for any valid framework, evidence and findings.

Hypothesis draws a whole repository (units in two series, categories with and without weights, a
capped bonus part, indicators with every rule kind, floors, deduction units, applicability, due
months) and the evidence and findings for it, writes it to a temporary folder, checks that
`kaohe check` would accept it, scores it and asserts what must always be true:

- an indicator's score is never above its max, and never below zero with floor = "zero";
- for scored and vetoed deduction/earned indicators the result lines add up exactly to max − score;
- arithmetic is exact: every amount drawn is a multiple of 0.01, so every line and score is too
  (binary floats would leave 0.30000000000000004);
- a category is the sum of its indicators (scaled by its weight when it has one), a unit's total is
  the sum of its categories plus its unit-level corrections (the bonus part's cap);
- ranks follow totals (or exact rates, total ÷ max) within a series, and equal ones share a rank (并列).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from builders import indicator, make_repo, score
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import load_repository
from generator.output.jsonout import dec
from generator.problems import Problems
from generator.score import score_assessment
from generator.score.results import Results
from generator.tree import FsTree
from generator.validate import validate_repository

ZERO = Decimal(0)
CENT = Decimal("0.01")
YEAR = 2010

# -- drawing a repository -------------------------------------------------------------------------


@dataclass
class Spec:
    """A repository as TOML texts, plus what the draw decided (for the properties that need it)."""

    files: dict[str, str] = field(default_factory=dict)
    units: list[tuple[str, str]] = field(default_factory=list)  # (id, series)
    as_of: date = date(YEAR, 12, 31)


def tenths(draw, low: int, high: int) -> Decimal:
    """A multiple of 0.1 (valid under a 0.1 deduction unit): exact decimals only."""
    return Decimal(draw(st.integers(low, high))) / 10


def day(draw) -> date:
    return date(YEAR, 1, 1) + timedelta(days=draw(st.integers(0, 364)))


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(value)


def table(header: str, keys: dict) -> str:
    return f"{header}\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in keys.items()) + "\n"


class Builder:
    """Collects evidence and findings per unit while the rules are drawn."""

    def __init__(self, units: list[tuple[str, str]]) -> None:
        self.units = units
        self.evidence: dict[str, list[dict]] = {u: [] for u, _ in units}
        self.findings: dict[str, list[dict]] = {u: [] for u, _ in units}
        self.n = 0

    def finding(self, unit: str, ind: str, rule: str, when: date, **keys) -> str:
        self.n += 1
        fid = f"f{self.n}"
        self.findings[unit].append(
            {"id": fid, "indicator": ind, "rule": rule, "date": when, "reason": "考核发现的问题", **keys}
        )
        return fid


def draw_rule(
    draw, b: Builder, ind: str, rid: str, method: str, points: Decimal, applies: list[str]
) -> tuple[dict, list[str]]:
    """One rule of a deduction or earned indicator, with evidence/findings for the units it applies to.

    Returns the rule table and the ids of findings a mitigation may target.
    """
    kinds = ["checklist", "count", "threshold", "incident", "stepped", "fixed", "range", "votes", "veto"]
    if method == "earned":
        kinds = ["checklist", "award", "votes"]
    kind = draw(st.sampled_from(kinds))
    rule: dict = {"id": rid, "kind": kind}
    targets: list[str] = []
    if kind != "veto" and draw(st.booleans()) and kind not in ("award", "votes"):
        rule["cap"] = tenths(draw, 1, 30)
    if kind == "checklist":
        keys = [f"{rid}-k{j}" for j in range(draw(st.integers(1, 3)))]
        if method == "earned":
            rule["items"] = [{"key": k, "name": f"项目{k}", "amount": tenths(draw, 1, 20)} for k in keys]
        else:
            rule["amount"] = tenths(draw, 1, 10)
            rule["items"] = [{"key": k, "name": f"项目{k}"} for k in keys]
        for unit in applies:
            for k in keys:
                if draw(st.booleans()):
                    b.evidence[unit].append({"indicator": ind, "date": day(draw), "satisfies": [k]})
    elif kind == "count":
        rule.update(key=f"{rid}-n", name="活动", required=draw(st.integers(1, 5)), amount=tenths(draw, 1, 5))
        kinds_of = [[f"{rid}-n"]]
        if draw(st.booleans()):  # a sub-quota (其中……以上): evidence of it counts toward the total too
            rule["of_which"] = [{"key": f"{rid}-s", "name": "其中", "required": draw(st.integers(1, rule["required"]))}]
            kinds_of += [[f"{rid}-s"], [f"{rid}-n", f"{rid}-s"]]
        for unit in applies:
            for _ in range(draw(st.integers(0, 3))):
                b.evidence[unit].append(
                    {
                        "indicator": ind,
                        "date": day(draw),
                        "satisfies": draw(st.sampled_from(kinds_of)),
                        "count": draw(st.integers(1, 3)),
                    }
                )
    elif kind == "threshold":
        rule.update(
            metric=f"{rid}_rate",
            name="结案率",
            threshold=draw(st.integers(50, 100)),
            amount=tenths(draw, 1, 5),
            partial=draw(st.sampled_from(["floor", "ceil", "exact"])),
        )
        if draw(st.booleans()):
            rule["step"] = Decimal("0.5")
        rule["missing_amount"] = tenths(draw, 0, 20)  # required: no rule kind has a hidden default
        for unit in applies:
            for _ in range(draw(st.integers(0, 2))):
                value = Decimal(draw(st.integers(0, 1000))) / 10
                b.evidence[unit].append({"indicator": ind, "date": day(draw), "metrics": {f"{rid}_rate": value}})
    elif kind == "incident":
        if draw(st.booleans()):
            rule["amount"] = tenths(draw, 1, 10)
            grades: list[str] = []
        else:
            rule["grades"] = {"一般工作人员": tenths(draw, 1, 5), "股级干部": tenths(draw, 1, 5)}
            grades = list(rule["grades"])
        rule["severities"] = {"严重违纪": 2, "刑事案件": 3}
        for unit in applies:
            for _ in range(draw(st.integers(0, 2))):
                keys: dict = {"count": draw(st.integers(1, 3))}
                if grades:
                    keys["grade"] = draw(st.sampled_from(grades))
                severity = draw(st.sampled_from([None, "严重违纪", "刑事案件"]))
                if severity:
                    keys["severity"] = severity
                targets.append(b.finding(unit, ind, rid, day(draw), **keys))
    elif kind == "stepped":
        rule.update(amount=tenths(draw, 1, 10), steps=[{"at": draw(st.integers(2, 6)), "amount": tenths(draw, 1, 40)}])
        for unit in applies:
            for _ in range(draw(st.integers(0, 3))):
                targets.append(b.finding(unit, ind, rid, day(draw), count=draw(st.integers(1, 3))))
    elif kind == "fixed":
        mode = draw(st.sampled_from(["once", "per_occurrence", "items", "exclusive"]))
        rule.update(amount=tenths(draw, 1, 10), per_occurrence=mode == "per_occurrence")
        items: list[str] = []
        if mode in ("items", "exclusive"):  # kinds (缺一项), or tiers of one failing (only the heaviest)
            items = [f"k{j}" for j in range(draw(st.integers(2, 3)))]
            rule["items"] = [{"key": k, "name": f"项{k}", "amount": tenths(draw, 1, 10)} for k in items]
            rule["exclusive"] = mode == "exclusive"
        for unit in applies:
            for _ in range(draw(st.integers(0, 3))):
                keys: dict = {"count": draw(st.integers(1, 3))} if rule["per_occurrence"] else {}
                if items:
                    keys["item"] = draw(st.sampled_from(items))
                targets.append(b.finding(unit, ind, rid, day(draw), **keys))
    elif kind == "range":
        low = draw(st.integers(1, 10))
        high = draw(st.integers(low, 20))
        rule.update(min=Decimal(low) / 10, max=Decimal(high) / 10)
        for unit in applies:
            for _ in range(draw(st.integers(0, 2))):
                targets.append(b.finding(unit, ind, rid, day(draw), amount=tenths(draw, low, high)))
    elif kind == "votes":
        rule.update(options={"满意": Decimal(1), "基本满意": Decimal("0.6"), "不满意": Decimal(0)}, invalid=["不了解"])
        rule["missing_amount"] = points  # stated: no ballot result earns nothing
        if draw(st.booleans()):
            rule["quorum"] = draw(st.integers(1, 10))
        for unit in applies:
            if draw(st.booleans()):
                tallies = {o: draw(st.integers(0, 12)) for o in ("满意", "基本满意", "不满意", "不了解")}
                b.finding(unit, ind, rid, day(draw), tallies=tallies)
    elif kind == "award":
        rule["max"] = points
        rule["missing_amount"] = points  # stated: no rating earns nothing
        for unit in applies:
            for _ in range(draw(st.integers(0, 2))):
                b.finding(unit, ind, rid, day(draw), amount=Decimal(draw(st.integers(0, int(points * 100)))) / 100)
    elif kind == "veto":
        for unit in applies:
            if draw(st.integers(0, 3)) == 0:
                b.finding(unit, ind, rid, day(draw))
    return rule, targets


@st.composite
def repositories(draw) -> Spec:
    spec = Spec()
    n_units = draw(st.integers(2, 6))
    spec.units = [(f"u{k}", draw(st.sampled_from(["county", "office"]))) for k in range(n_units)]
    unit_ids = [u for u, _ in spec.units]
    b = Builder(spec.units)
    framework = {
        "id": "p",
        "title": "性质测试",
        "floor": draw(st.sampled_from(["zero", "none"])),
        "rank_by": draw(st.sampled_from(["total", "rate"])),
    }
    if draw(st.booleans()):
        framework["granularity"] = Decimal("0.1")
    text = table("", framework).lstrip("\n")
    text += table("[[series]]", {"id": "county", "title": "县局"})
    text += table("[[series]]", {"id": "office", "title": "科室"})
    bonus = draw(st.booleans())
    if bonus:
        text += table("[[part]]", {"id": "bonus", "title": "创优绩效", "method": "bonus", "cap": tenths(draw, 1, 20)})
    spec.files["frameworks/p/framework.toml"] = text

    n = 0
    for c in range(draw(st.integers(1, 3))):
        header: dict = {"id": f"c{c}", "title": f"类别{c}"}
        if draw(st.booleans()):
            header["weight"] = draw(st.integers(1, 20))
        text = table("[category]", header)
        for _ in range(draw(st.integers(1, 4))):
            n += 1
            ind = f"i{n}"
            points = tenths(draw, 1, 50)
            method = draw(st.sampled_from(["deduction", "deduction", "earned"]))
            keys: dict = {
                "id": ind,
                "target": "考核内容",
                "points": points,
                "month": draw(st.integers(1, 12)),
                "method": method,
            }
            floor = draw(st.sampled_from([None, "zero", "none"]))
            if floor:
                keys["floor"] = floor
            applies = unit_ids
            if draw(st.integers(0, 3)) == 0:
                applies = draw(st.lists(st.sampled_from(unit_ids), min_size=1, unique=True))
                keys["applies_to"] = {"units": applies}
            text += table("[[indicator]]", keys)
            targets: list[str] = []
            rule_ids = [f"r{k}" for k in range(draw(st.integers(1, 3)))]
            for rid in rule_ids:
                rule, found = draw_rule(draw, b, ind, rid, method, points, applies)
                targets += found
                text += table("[[indicator.rule]]", rule)
            if targets and method == "deduction" and draw(st.booleans()):
                text += table("[[indicator.rule]]", {"id": "mit", "kind": "mitigation"})
                for target in draw(st.lists(st.sampled_from(targets), max_size=3)):
                    unit = next(u for u, fs in b.findings.items() if any(f["id"] == target for f in fs))
                    extra = {"amount": tenths(draw, 1, 10)} if draw(st.booleans()) else {}
                    b.finding(unit, ind, "mit", day(draw), mitigates=target, **extra)
        spec.files[f"frameworks/p/{c + 1:02d}-c{c}.toml"] = text
    if bonus:
        text = table("[category]", {"id": "cx", "title": "创优", "part": "bonus"})
        for k in range(draw(st.integers(1, 2))):
            ind = f"bx{k}"
            points = tenths(draw, 1, 20)
            text += table("[[indicator]]", {"id": ind, "target": "创优加分", "points": points})
            text += table("[[indicator.rule]]", {"id": "award", "kind": "award", "max": points})
            for unit in unit_ids:
                for _ in range(draw(st.integers(0, 2))):
                    b.finding(unit, ind, "award", day(draw), amount=tenths(draw, 0, int(points * 10)))
        spec.files["frameworks/p/09-cx.toml"] = text

    units = table("", {"year": YEAR, "framework": "p"}).lstrip("\n")
    for uid, series in spec.units:
        units += table("[[unit]]", {"id": uid, "name": f"单位{uid}", "series": series})
    spec.files[f"evidence/{YEAR}/units.toml"] = units
    for uid in unit_ids:
        for k, ev in enumerate(b.evidence[uid]):
            front = "".join(f"{key} = {toml_value(v)}\n" for key, v in ev.items())
            spec.files[f"evidence/{YEAR}/{uid}/e{k}.md"] = f"+++\n{front}+++\n台账。\n"
        if b.findings[uid]:
            spec.files[f"evidence/{YEAR}/{uid}/findings.toml"] = "".join(
                table("[[finding]]", f) for f in b.findings[uid]
            )
    spec.as_of = draw(st.sampled_from([date(YEAR, 12, 31), day(draw)]))
    return spec


def score_spec(spec: Spec) -> Results:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, text in spec.files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        problems = Problems()
        repo = load_repository(FsTree(root), problems)
        validate_repository(repo, problems)
        assert not problems.errors, (
            "\n".join(p.format() for p in problems) + "\n" + "\n".join(f"--- {k}\n{v}" for k, v in spec.files.items())
        )
        return score_assessment(repo.assessments[YEAR], spec.as_of)


PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the properties -------------------------------------------------------------------------------


def _cents(value: Decimal) -> bool:
    return value % CENT == 0


@PROPERTY_SETTINGS
@given(repositories())
def test_indicator_invariants(spec):
    results = score_spec(spec)
    for unit in results.units:
        for r in unit.indicators:
            assert r.score <= r.max, (unit.id, r)
            assert _cents(r.score) and _cents(r.max), (unit.id, r)
            for line in [*r.deductions, *r.awards]:
                assert isinstance(line.amount, Decimal) and _cents(line.amount), (unit.id, r.id, line)
            if r.status in ("not_applicable", "not_due", "unscored"):
                assert (r.score, r.max, r.deductions, r.awards) == (ZERO, ZERO, [], [])
                continue
            assert r.max == r.points
            if r.awards or (r.status == "scored" and not r.deductions and r.id.startswith("bx")):
                assert r.score == sum((a.amount for a in r.awards), ZERO)  # bonus: awards, capped by a line
                assert r.score >= 0
                continue
            assert sum((line.amount for line in r.deductions), ZERO) == r.max - r.score, (unit.id, r)
            if r.status == "vetoed":
                # 此项不得分: nothing earned, and a veto never lifts a score that had no floor and went below 0
                assert r.score <= 0 and len(r.deductions) == 1 and r.deductions[0].kind == "veto"


@PROPERTY_SETTINGS
@given(repositories())
def test_floor_zero_never_below_zero(spec):
    floors = _floors(spec)
    results = score_spec(spec)
    for unit in results.units:
        for r in unit.indicators:
            if floors[r.id] == "zero":
                assert r.score >= 0, (unit.id, r)


def _floors(spec: Spec) -> dict[str, str]:
    """Each indicator's effective floor, read back from the drawn TOML (its own, else the framework's)."""
    import tomllib

    default = tomllib.loads(spec.files["frameworks/p/framework.toml"])["floor"]
    floors = {}
    for rel, text in spec.files.items():
        if rel.startswith("frameworks/p/") and rel != "frameworks/p/framework.toml":
            for ind in tomllib.loads(text).get("indicator", []):
                floors[ind["id"]] = ind.get("floor", default)
    return floors


@PROPERTY_SETTINGS
@given(repositories())
def test_categories_totals_and_ranks(spec):
    results = score_spec(spec)
    for unit in results.units:
        for cat in unit.categories:
            rows = [r for r in unit.indicators if r.category == cat.id]
            assert cat.raw_score == sum((r.score for r in rows), ZERO)
            assert cat.raw_max == sum((r.max for r in rows), ZERO)
            year = sum((r.year_max for r in rows), ZERO)  # points of what applies, due yet or not
            assert year == sum((r.points for r in rows if r.status in ("scored", "vetoed", "not_due")), ZERO)
            if cat.weight is None:
                assert (cat.score, cat.max, cat.year_max) == (cat.raw_score, cat.raw_max, year)
            elif year > 0:
                # scaled by the year's maximum, never by what is due: a small shortfall stays small
                expected = (cat.raw_score * cat.weight / year).quantize(CENT, ROUND_HALF_UP)
                due = (cat.raw_max * cat.weight / year).quantize(CENT, ROUND_HALF_UP)
                assert (cat.score, cat.max, cat.year_max) == (expected, due, cat.weight)
                assert cat.max - cat.score <= (cat.raw_max - cat.raw_score) * cat.weight / year + CENT
        assert unit.total == sum((c.score for c in unit.categories), ZERO) + sum(
            (a.amount for a in unit.adjustments), ZERO
        )
        assert all(a.amount < 0 for a in unit.adjustments)  # a cap only ever takes off
        assert unit.year_max == sum((c.year_max for c in unit.categories if not c.bonus), ZERO)
    for unit in results.units:
        same_series = [u for u in results.units if u.series == unit.series]
        key = _rank_key(unit, results.rank_by)
        assert unit.rank == 1 + sum(1 for u in same_series if _rank_key(u, results.rank_by) > key), unit
        assert unit.tied == (sum(1 for u in same_series if _rank_key(u, results.rank_by) == key) > 1)


def _rank_key(unit, rank_by: str) -> tuple:
    """By total, or by the exact rate total ÷ max; units with nothing due (max 0) after every rate."""
    if rank_by == "total":
        return (1, Fraction(unit.total))
    return (1, Fraction(unit.total) / Fraction(unit.max)) if unit.max else (0, Fraction(0))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=40), st.integers(1, 40))
def test_tenths_add_up_exactly(present, points_tenths):
    """A checklist of n items at 0.1 each, floor none: the score is points − 0.1 × missing, exactly."""
    spec = Spec(units=[("u0", "county")])
    items = [{"key": f"k{j}", "name": f"项目{j}"} for j in range(len(present))]
    points = Decimal(points_tenths) / 10
    spec.files["frameworks/p/framework.toml"] = (
        'id = "p"\ntitle = "t"\nfloor = "none"\n\n[[series]]\nid = "county"\ntitle = "县局"\n'
    )
    spec.files["frameworks/p/01-c.toml"] = (
        table("[category]", {"id": "c", "title": "类别"})
        + table("[[indicator]]", {"id": "i", "target": "t", "points": points})
        + table("[[indicator.rule]]", {"id": "r", "kind": "checklist", "amount": Decimal("0.1"), "items": items})
    )
    spec.files[f"evidence/{YEAR}/units.toml"] = (
        f'year = {YEAR}\nframework = "p"\n\n[[unit]]\nid = "u0"\nname = "单位"\nseries = "county"\n'
    )
    for j, filed in enumerate(present):
        if filed:
            spec.files[f"evidence/{YEAR}/u0/e{j}.md"] = (
                f'+++\nindicator = "i"\ndate = 2010-06-30\nsatisfies = "k{j}"\n+++\n'
            )
    result = score_spec(spec).units[0].indicators[0]
    missing = present.count(0)
    assert result.score == points - Decimal("0.1") * missing
    n = points_tenths - missing  # the score in tenths, by integer arithmetic
    whole, tenth = divmod(abs(n), 10)
    expected = ("-" if n < 0 else "") + str(whole) + (f".{tenth}" if tenth else "")
    assert dec(result.score) == expected  # what `kaohe score --format json` prints


def test_mitigation_is_taken_off_before_the_rule_cap(tmp_path):
    """Found by test_indicator_invariants: 0.2 + 0.1 under a cap of 0.1, and f1 (0.2) waived in full.

    A mitigation waives a finding, then the cap applies to what still stands: f2's 0.1 is within
    the cap of 0.1, so 0.1 − 0.1 = 0. (Capping first and then waiving would leave nothing deducted
    although f2 stands: two deaths capped at 5 with one waived must still cost 5.)
    """
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "i"
        target = "t"
        points = 0.1

        [[indicator.rule]]
        id = "r"
        kind = "range"
        cap = 0.1
        min = 0.1
        max = 0.2

        [[indicator.rule]]
        id = "mit"
        kind = "mitigation"
        """,
        findings={
            "a/findings.toml": """
            [[finding]]
            id = "f1"
            indicator = "i"
            rule = "r"
            date = 2010-05-01
            amount = 0.2
            reason = "问题一"

            [[finding]]
            id = "f2"
            indicator = "i"
            rule = "r"
            date = 2010-05-02
            amount = 0.1
            reason = "问题二"

            [[finding]]
            id = "f3"
            indicator = "i"
            rule = "mit"
            date = 2010-05-03
            mitigates = "f1"
            reason = "自查发现"
            """
        },
    )
    r = indicator(score(tmp_path), "a", "i")
    assert r.score == Decimal("0")
    # f1 0.2, f2 0.1, f3 waives f1's 0.2; 0.1 stands, within the cap: no cap line
    assert [line.amount for line in r.deductions] == [Decimal("0.2"), Decimal("0.1"), Decimal("-0.2")]
