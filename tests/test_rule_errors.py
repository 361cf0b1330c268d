"""Every way a rule or a finding can be wrong: reported at its exact `path:line:col`, never a crash.

Each test writes a tiny repository with one mistake and asserts the whole list of problems that
`load` + `validate` report — position, severity, message, hint and code — so a message that changes, a
problem reported twice or at another place, or a check that stops firing all fail. Positions are
counted in the written files (`line_of`): a key's problem points at the key (column 1), a missing
key at its table's name (`[[finding]]` → column 3, `[[indicator.rule]]` → column 13).

The numeric limits (10⁹, 10 decimal places, zero steps) and the rule options' own checks are here
too: each at the limit is accepted and one step beyond it refused.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import D, finding, line_of, load, make_repo

from generator.messages import msg
from generator.types import value_type

CAT = "frameworks/t/01-c.toml"
FINDINGS = "evidence/2010/a/f.toml"


#: The wording compared is the English catalogue's (`--lang en`): these tests pin what a message says
#: of its parameters; every problem must also carry a catalogue code.
pytestmark = pytest.mark.usefixtures("english")


def reported(root) -> list[tuple[str, int, int, str, str, str]]:
    _, problems = load(root)
    assert all(p.code for p in problems)
    return [(p.path, p.line, p.col, p.severity, p.message, p.hint) for p in problems]


def at_key(root, rel: str, key: str, nth: int = 1) -> tuple[str, int, int]:
    """Where a problem with `key = …` is reported: the key, column 1."""
    return rel, line_of(root, rel, f"{key} = ", nth), 1


def at_finding(root, nth: int = 1) -> tuple[str, int, int]:
    """Where a problem with a missing finding key is reported: `[[finding]]`'s name."""
    return FINDINGS, line_of(root, FINDINGS, "[[finding]]", nth), 3


def at_rule(root, col: int = 13, nth: int = 1) -> tuple[str, int, int]:
    """Where a rule's own problems are reported: `[[indicator.rule]]`'s `rule` (13), or the line (1)."""
    return CAT, line_of(root, CAT, "[[indicator.rule]]", nth), col


def error(where: tuple[str, int, int], message: str, hint: str = "") -> tuple[str, int, int, str, str, str]:
    """A reported error, as the English catalogue words it."""
    return (*where, "error", message, hint)


def worded(expected: str | tuple[str, str]) -> tuple[str, ...]:
    """A parameter's expected problem: its message, or its message and hint."""
    return (expected,) if isinstance(expected, str) else expected


def one_rule(rule: str, points: str = "5", settings: str = "") -> str:
    return f"""
[[indicator]]
id = "i"
target = "指标"
points = {points}
{settings}

[[indicator.rule]]
id = "r"
{rule}
"""


# -- incident ---------------------------------------------------------------------------------------

DISCIPLINE = one_rule(
    'kind = "incident"\n'
    'grades = { "一般工作人员" = 0.2, "股级干部" = 0.3, "科级干部" = 0.4 }\n'
    'severities = { "严重违纪" = 2, "刑事案件" = 3 }'
)


def test_incident_unknown_grade_and_severity(tmp_path):
    make_repo(tmp_path, DISCIPLINE, findings={"a/f.toml": finding("f1", "i", "r", grade='"处级"', severity='"严重"')})
    assert reported(tmp_path) == [
        error(
            at_key(tmp_path, FINDINGS, "grade"),
            "unknown grade '处级'",
            "expected one of: 一般工作人员, 科级干部, 股级干部",
        ),
        error(at_key(tmp_path, FINDINGS, "severity"), "unknown severity '严重'", "did you mean '严重违纪'?"),
    ]


def test_incident_grade_missing(tmp_path):
    make_repo(tmp_path, DISCIPLINE, findings={"a/f.toml": finding("f1", "i", "r")})
    assert reported(tmp_path) == [
        error(
            at_finding(tmp_path),
            "rule 'r' deducts by grade: add `grade`",
            "expected one of: 一般工作人员, 科级干部, 股级干部",
        )
    ]


def test_incident_known_grade_and_severity_are_clean(tmp_path):
    make_repo(
        tmp_path, DISCIPLINE, findings={"a/f.toml": finding("f1", "i", "r", grade='"科级干部"', severity='"刑事案件"')}
    )
    assert reported(tmp_path) == []


def test_incident_without_grades_or_severities_refuses_them(tmp_path):
    make_repo(
        tmp_path,
        one_rule('kind = "incident"\namount = 5'),
        findings={"a/f.toml": finding("f1", "i", "r", grade='"科级"', severity='"重大"')},
    )
    assert reported(tmp_path) == [
        error(at_key(tmp_path, FINDINGS, "grade"), "rule 'r' has no grades", "remove `grade`"),
        error(at_key(tmp_path, FINDINGS, "severity"), "unknown severity '重大'", "remove `severity`"),
    ]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "give `amount` (per occurrence) or `grades`"),
        ('amount = 1\ngrades = { "科级" = 0.4 }', "give either `amount` (per occurrence) or `grades`, not both"),
    ],
)
def test_incident_needs_exactly_one_of_amount_and_grades(tmp_path, keys, message):
    make_repo(tmp_path, one_rule(f'kind = "incident"\n{keys}'))
    assert reported(tmp_path) == [error(at_rule(tmp_path), message)]


# -- votes ------------------------------------------------------------------------------------------

VOTES = one_rule(
    'kind = "votes"\noptions = { "满意" = 1, "基本满意" = 0.6, "不满意" = 0 }\ninvalid = ["不了解"]\nmissing_amount = 5'
)


def test_votes_unknown_option_and_negative_tally(tmp_path):
    make_repo(
        tmp_path,
        VOTES,
        findings={"a/f.toml": finding("f1", "i", "r", tallies='{ "满 意" = 3, "不满意" = -1, "弃权" = 0 }')},
    )
    where = at_key(tmp_path, FINDINGS, "tallies")
    assert reported(tmp_path) == [
        error(where, "negative tally for '不满意' (-1)", "tallies count ballots: 0 or more"),
        error(where, "unknown ballot option '弃权'", "expected one of: 不了解, 不满意, 基本满意, 满意"),
        error(where, "unknown ballot option '满 意'", "did you mean '满意'?"),
    ]


def test_votes_zero_tallies_and_invalid_options_are_clean(tmp_path):
    make_repo(tmp_path, VOTES, findings={"a/f.toml": finding("f1", "i", "r", tallies='{ "满意" = 0, "不了解" = 2 }')})
    assert reported(tmp_path) == []


@pytest.mark.parametrize("tallies", [None, "{}"])
def test_votes_need_tallies(tmp_path, tallies):
    keys = {"tallies": tallies} if tallies else {}
    make_repo(tmp_path, VOTES, findings={"a/f.toml": finding("f1", "i", "r", **keys)})
    where = at_key(tmp_path, FINDINGS, "tallies") if tallies else at_finding(tmp_path)
    assert reported(tmp_path) == [
        error(
            where,
            "a vote finding must give `tallies`",
            "e.g. tallies = { 满意 = 12, 基本满意 = 3 } (options: 满意, 基本满意, 不满意)",
        )
    ]


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("1", True), ("1.1", False), ("-0.1", False)])
def test_vote_option_values_are_fractions_from_0_to_1(tmp_path, value, ok):
    make_repo(tmp_path, one_rule(f'kind = "votes"\noptions = {{ "满意" = {value} }}\nmissing_amount = 5'))
    expected = (
        []
        if ok
        else [
            error(
                at_key(tmp_path, CAT, "options"),
                f"option '满意' is worth {value}: use a fraction between 0 and 1",
            )
        ]
    )
    assert reported(tmp_path) == expected


def test_a_vote_option_cannot_also_be_invalid(tmp_path):
    make_repo(
        tmp_path,
        one_rule('kind = "votes"\noptions = { "满意" = 1, "不了解" = 0 }\ninvalid = ["不了解"]\nmissing_amount = 5'),
    )
    assert reported(tmp_path) == [
        error(at_rule(tmp_path), "option '不了解' is both a valid option and listed in `invalid`")
    ]


# -- fixed ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["2", "1"])
def test_count_on_a_once_only_fixed_rule(tmp_path, count):
    # "未细化监管责任，扣0.5分" deducts once: a count, even 1 written out, says otherwise
    make_repo(
        tmp_path, one_rule('kind = "fixed"\namount = 0.5'), findings={"a/f.toml": finding("f1", "i", "r", count=count)}
    )
    assert reported(tmp_path) == [
        error(
            at_key(tmp_path, FINDINGS, "count"),
            "rule 'r' deducts once, whatever the count",
            "remove `count`, or set per_occurrence = true on the rule if every occurrence deducts",
        )
    ]


def test_count_on_a_per_occurrence_fixed_rule_is_clean(tmp_path):
    make_repo(
        tmp_path,
        one_rule('kind = "fixed"\namount = 0.5\nper_occurrence = true'),
        findings={"a/f.toml": finding("f1", "i", "r", count="3")},
    )
    assert reported(tmp_path) == []


TALKS = one_rule(
    'kind = "fixed"\namount = 0.1\nitems = [{ key = "pre", name = "干部任前廉政谈话" }, { key = "warn", name = "诫勉谈话" }]'
)


@pytest.mark.parametrize(
    ("item", "message", "hint"),
    [
        (None, "rule 'r' deducts by item (项): add `item`", "one of: pre, warn"),
        ('"prev"', "rule 'r' has no item 'prev'", "did you mean 'pre'?"),
    ],
)
def test_a_finding_of_an_item_rule_names_one_of_its_items(tmp_path, item, message, hint):
    make_repo(tmp_path, TALKS, findings={"a/f.toml": finding("f1", "i", "r", **({"item": item} if item else {}))})
    where = at_key(tmp_path, FINDINGS, "item") if item else at_finding(tmp_path)
    assert reported(tmp_path) == [error(where, message, hint)]


def test_an_item_on_a_rule_without_items(tmp_path):
    make_repo(
        tmp_path, one_rule('kind = "fixed"\namount = 0.1'), findings={"a/f.toml": finding("f1", "i", "r", item='"x"')}
    )
    assert reported(tmp_path) == [error(at_key(tmp_path, FINDINGS, "item"), "rule 'r' lists no items", "remove `item`")]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('items = [{ key = "a", name = "甲" }]', "give `amount`, or an `amount` on every item"),
        ("", "give `amount`, or an `amount` on every item"),
        (
            'amount = 0.1\nper_occurrence = true\nitems = [{ key = "a", name = "甲" }]',
            "`items` deduct once each (缺一项); they do not combine with per_occurrence",
        ),
        (
            'amount = 0.1\nexclusive = true\nitems = [{ key = "a", name = "甲" }]',
            "`exclusive` needs at least two items (the tiers)",
        ),
        (
            'amount = 0.1\nitems = [{ key = "a", name = "甲" }, { key = "a", name = "乙" }]',
            ("item key 'a' is listed twice", "each item needs its own key"),
        ),
    ],
)
def test_fixed_rules_that_cannot_be_scored(tmp_path, keys, message):
    make_repo(tmp_path, one_rule(f'kind = "fixed"\n{keys}'))
    assert reported(tmp_path) == [error(at_rule(tmp_path), *worded(message))]


def test_exclusive_tiers_from_two_items_and_amounts_on_every_item_are_clean(tmp_path):
    rule = 'kind = "fixed"\nexclusive = true\nitems = [{ key = "a", name = "甲", amount = 0.2 }, { key = "b", name = "乙", amount = 0.5 }]'
    make_repo(tmp_path, one_rule(rule))
    assert reported(tmp_path) == []


# -- count and checklist ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("of_which", "message"),
    [
        ('[{ key = "q", name = "《黔质新风》", required = 4 }]', "of_which 'q' requires 4, more than the 3 in all"),
        (
            '[{ key = "article", name = "《黔质新风》", required = 1 }]',
            "of_which 'article' needs a key of its own, not the count's key",
        ),
        (
            '[{ key = "q", name = "甲", required = 1 }, { key = "q", name = "乙", required = 1 }]',
            "of_which key 'q' is listed twice",
        ),
    ],
)
def test_sub_quotas_that_cannot_be_met(tmp_path, of_which, message):
    rule = f'kind = "count"\nkey = "article"\nname = "新闻信息"\nrequired = 3\namount = 0.2\nof_which = {of_which}'
    make_repo(tmp_path, one_rule(rule))
    assert reported(tmp_path) == [error(at_rule(tmp_path), message)]


def test_a_sub_quota_of_the_whole_count_is_clean(tmp_path):
    rule = 'kind = "count"\nkey = "article"\nname = "新闻信息"\nrequired = 3\namount = 0.2\nof_which = [{ key = "q", name = "甲", required = 3 }]'
    make_repo(tmp_path, one_rule(rule))
    assert reported(tmp_path) == []


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            'items = [{ key = "a", name = "甲", amount = 0.1 }, { key = "b", name = "乙" }]',
            "give `amount` (per missing item) or an `amount` on every item",
        ),
        (
            'amount = 0.1\nitems = [{ key = "a", name = "甲" }, { key = "a", name = "乙" }]',
            ("item key 'a' is listed twice", "each item needs its own key"),
        ),
    ],
)
def test_checklists_that_cannot_be_scored(tmp_path, items, message):
    make_repo(tmp_path, one_rule(f'kind = "checklist"\n{items}'))
    assert reported(tmp_path) == [error(at_rule(tmp_path), *worded(message))]


# -- award ------------------------------------------------------------------------------------------

AWARD = one_rule('kind = "award"\nmissing_amount = 1.5', points="1.5", settings='method = "earned"')


@pytest.mark.parametrize(("amount", "ok"), [("1.5", True), ("1.51", False)])
def test_an_award_above_the_indicator_points_without_max(tmp_path, amount, ok):
    make_repo(tmp_path, AWARD, findings={"a/f.toml": finding("f1", "i", "r", amount=amount)})
    expected = (
        []
        if ok
        else [
            error(
                at_key(tmp_path, FINDINGS, "amount"), "award 1.51 exceeds the most this rule gives (1.5)", "at most 1.5"
            )
        ]
    )
    assert reported(tmp_path) == expected


@pytest.mark.parametrize(("amount", "ok"), [("1", True), ("1.01", False)])
def test_an_award_above_the_rule_max(tmp_path, amount, ok):
    make_repo(
        tmp_path,
        one_rule('kind = "award"\nmax = 1\nmissing_amount = 1', points="1.5", settings='method = "earned"'),
        findings={"a/f.toml": finding("f1", "i", "r", amount=amount)},
    )
    expected = (
        []
        if ok
        else [
            error(at_key(tmp_path, FINDINGS, "amount"), "award 1.01 exceeds the most this rule gives (1)", "at most 1")
        ]
    )
    assert reported(tmp_path) == expected


def test_an_award_needs_an_amount(tmp_path):
    make_repo(tmp_path, AWARD, findings={"a/f.toml": finding("f1", "i", "r")})
    assert reported(tmp_path) == [
        error(at_finding(tmp_path), "rule 'r' awards points: add `amount`", "between 0 and 1.5")
    ]


def test_an_award_on_an_indicator_without_points_has_no_upper_limit(tmp_path):
    # 不确定分值 (points left out): no limit to name, and none to exceed; the rules-without-points warning stays
    make_repo(
        tmp_path,
        one_rule('kind = "award"\nmissing_amount = 0', points="1", settings='method = "earned"').replace(
            "points = 1\n", ""
        ),
        findings={"a/f.toml": finding("f1", "i", "r") + finding("f2", "i", "r", amount="1000")},
    )
    assert reported(tmp_path) == [
        error(at_finding(tmp_path), "rule 'r' awards points: add `amount`", "e.g. amount = 0.5"),
        (
            *(CAT, line_of(tmp_path, CAT, "[[indicator]]"), 1),
            "warning",
            "indicator 'i' has rules but no points",
            "give `points`, or remove the rules while the points are undetermined",
        ),
    ]


# -- range ------------------------------------------------------------------------------------------

RANGE = one_rule('kind = "range"\nmin = 0.1\nmax = 1')


@pytest.mark.parametrize("amount", ["0.09", "1.01"])
def test_a_range_amount_one_step_outside(tmp_path, amount):
    # "扣0.1-1分": 0.09 and 1.01 are outside; 0.1 and 1 are scored in test_rules_boundaries
    make_repo(tmp_path, RANGE, findings={"a/f.toml": finding("f1", "i", "r", amount=amount)})
    assert reported(tmp_path) == [
        error(
            at_key(tmp_path, FINDINGS, "amount"),
            f"amount {amount} is outside the rule's range 0.1-1",
            "choose an amount between 0.1 and 1",
        )
    ]


def test_a_range_needs_an_amount(tmp_path):
    make_repo(tmp_path, RANGE, findings={"a/f.toml": finding("f1", "i", "r")})
    assert reported(tmp_path) == [
        error(at_finding(tmp_path), "rule 'r' is discretionary: add `amount`", "between 0.1 and 1")
    ]


@pytest.mark.parametrize(("low", "ok"), [("1", True), ("1.1", False)])
def test_a_range_min_may_equal_but_not_exceed_max(tmp_path, low, ok):
    make_repo(tmp_path, one_rule(f'kind = "range"\nmin = {low}\nmax = 1'))
    expected = [] if ok else [error(at_rule(tmp_path), "`min` (1.1) is larger than `max` (1)")]
    assert reported(tmp_path) == expected


# -- mitigation -------------------------------------------------------------------------------------


def test_a_mitigation_must_name_what_it_mitigates(tmp_path):
    make_repo(
        tmp_path,
        RANGE + '\n[[indicator.rule]]\nid = "m"\nkind = "mitigation"\n',
        findings={"a/f.toml": finding("f1", "i", "r", amount="0.5") + finding("m1", "i", "m")},
    )
    assert reported(tmp_path) == [
        error(
            at_finding(tmp_path, 2),
            "a mitigation must name the finding it mitigates",
            'add `mitigates = "<finding id>"`',
        )
    ]


#: 2010 一.8: one row holds 收费罚没 (fixed, 0.3 per occurrence) and 违纪案件 (incident) deductions, and
#: "自找案源、自查案件视案件影响情况酌情少扣或不扣分", which speaks of the 违纪案件 alone.
SELF_FOUND = (
    one_rule('kind = "fixed"\namount = 0.3\nper_occurrence = true', points="1.62")
    + '\n[[indicator.rule]]\nid = "discipline"\nkind = "incident"\namount = 0.2\n'
    + '\n[[indicator.rule]]\nid = "m"\nkind = "mitigation"\nsoftens = ["discipline"]\n'
)


def test_a_mitigation_softens_only_the_rules_it_names(tmp_path):
    """Before: any deduction of the row could be mitigated, the 收费罚没 one included."""
    findings = (
        finding("revenue", "i", "r", count="1")
        + finding("case", "i", "discipline")
        + finding("m1", "i", "m", mitigates='"case"', amount="0.1")
        + finding("m2", "i", "m", mitigates='"revenue"', amount="0.1")
    )
    make_repo(tmp_path, SELF_FOUND, findings={"a/f.toml": findings})
    assert reported(tmp_path) == [
        error(
            at_key(tmp_path, FINDINGS, "mitigates", 2),
            # discipline is the row's second rule (r, discipline, m): named as the framework page lists it
            "the deduction of finding 'revenue' is not one the clause “m” speaks of: it softens only deductions"
            " under rule 2 (discipline)",
            "check that mitigates names the finding to soften; a deduction the rules do not allow to soften"
            " cannot be reduced",
        )
    ]


def test_softens_names_a_deduction_rule_of_the_indicator(tmp_path):
    make_repo(tmp_path, SELF_FOUND.replace('softens = ["discipline"]', 'softens = ["discipline", "m", "nope"]'))
    at = at_rule(tmp_path, col=1, nth=3)
    hint = "softens lists only ids of this indicator's deduction rules: r, discipline"
    assert reported(tmp_path) == [
        error(at, "rule 'm' lists 'm' in softens, but indicator 'i' has no such deduction rule", hint),
        error(at, "rule 'm' lists 'nope' in softens, but indicator 'i' has no such deduction rule", hint),
    ]


def test_softens_in_a_row_without_deduction_rules_says_there_are_none(tmp_path):
    """A row whose only rule is the mitigation: nothing in it to soften. Before: the hint listed the
    row's deduction rules, none, and so ended on its colon ("…deduction rules:")."""
    make_repo(tmp_path, one_rule('kind = "mitigation"\nsoftens = ["discipline"]'))
    assert reported(tmp_path) == [
        error(
            at_rule(tmp_path, col=1),
            "rule 'r' lists 'discipline' in softens, but indicator 'i' has no deduction rule",
            "write the row's deduction rules first, or leave softens out",
        )
    ]


# -- deduction units (扣分以0.1分为单位) over every amount a rule states ---------------------------


@pytest.mark.parametrize(
    ("rule", "wrong"),
    [
        (
            'kind = "stepped"\namount = 0.15\nsteps = [{ at = 2, amount = 0.3 }, { at = 3, amount = 0.45 }]',
            [("amount", "0.15"), ("steps.1.amount", "0.45")],
        ),
        ('kind = "incident"\namount = 0.25', [("amount", "0.25")]),
        ('kind = "incident"\ngrades = { "科级" = 0.4, "股级" = 0.35 }', [("grades.股级", "0.35")]),
        ('kind = "fixed"\namount = 0.05', [("amount", "0.05")]),
        ('kind = "range"\nmin = 0.05\nmax = 1.05', [("min", "0.05"), ("max", "1.05")]),
        ('kind = "late"\namount = 0.05', [("amount", "0.05")]),
        (
            'kind = "fixed"\namount = 0.15\nitems = [{ key = "a", name = "甲" }, { key = "b", name = "乙", amount = 0.25 }]',
            [("amount", "0.15"), ("items.1.amount", "0.25")],
        ),
        (
            'kind = "checklist"\namount = 0.15\nitems = [{ key = "a", name = "甲" }, { key = "b", name = "乙", amount = 0.25 }]',
            [("amount", "0.15"), ("items.1.amount", "0.25")],
        ),
        ('kind = "count"\nkey = "k"\nname = "教育"\nrequired = 4\namount = 0.05', [("amount", "0.05")]),
        (
            'kind = "threshold"\nmetric = "m"\nname = "结案率"\nthreshold = 90\namount = 0.05\nmissing_amount = 0.25\n'
            'interpreted = { missing_amount = "测试" }',
            [("amount", "0.05"), ("missing_amount", "0.25")],
        ),
    ],
)
def test_every_stated_amount_respects_the_deduction_unit(tmp_path, rule, wrong):
    # 办法第十一条 "扣分以0.1分为单位": each amount not a multiple of 0.1 is named by its place in the rule
    make_repo(tmp_path, one_rule(rule, settings="granularity = 0.1"))
    assert reported(tmp_path) == sorted(
        error(
            at_rule(tmp_path, col=1),
            f"amount {amount} ({where}) is not a multiple of the deduction unit 0.1",
            "deductions are in steps of 0.1 points (扣分以0.1分为单位)",
        )
        for where, amount in wrong
    )


def test_amounts_on_the_deduction_unit_are_clean(tmp_path):
    make_repo(
        tmp_path,
        one_rule('kind = "stepped"\namount = 0.2\nsteps = [{ at = 2, amount = 0.3 }]', settings="granularity = 0.1"),
    )
    assert reported(tmp_path) == []


# -- numbers: the limits of Amount, Number and Step -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000000000", None),  # 10⁹ exactly: the largest accepted
        ("1000000000.1", ("'points': 1000000000.1 is too large (at most 1,000,000,000)", "check for a typo")),
        # 1e19 (adjusted exponent 19) is written out, 1e20 (20) kept as an exponent: never a page of digits
        ("1e19", ("'points': 10000000000000000000 is too large (at most 1,000,000,000)", "check for a typo")),
        ("1e20", ("'points': 1E+20 is too large (at most 1,000,000,000)", "check for a typo")),
        ("0.0000000001", None),  # 10 decimal places: the finest accepted
        ("0.00000000001", "'points': 0.00000000001 has too many decimal places (at most 10)"),
        ("0.00000000000", None),  # zero written with 11 places is still zero
        ("1e-999999", "'points': 1E-999999 has too many decimal places (at most 10)"),  # not a million zeros
        ("1e-19", "'points': 0.0000000000000000001 has too many decimal places (at most 10)"),  # written out …
        ("1e-20", "'points': 1E-20 has too many decimal places (at most 10)"),  # … down to 19 zeros
        ("0", None),
        (
            "-0.01",
            (
                "'points' must not be negative",
                "write 0 or a positive number: a deduction is written positive too (e.g. amount = 0.1); the rule says whether it is deducted or awarded",
            ),
        ),
        ("true", ("'points': expected a number, got a boolean", "write a number without quotes, e.g. 0.5")),
        ("inf", ("'points': expected a finite number", "write an ordinary number such as 0.5, not inf or nan")),
        ("nan", ("'points': expected a finite number", "write an ordinary number such as 0.5, not inf or nan")),
        ('"1.5"', ("'points': '1.5' is quoted", "write the number without quotes: 1.5")),
        ('" 1.5 "', ("'points': ' 1.5 ' is quoted", "write the number without quotes: 1.5")),  # pasted with spaces
        ('"１.５"', ("'points': '１.５' uses full-width digits", "write 1.5 without quotes")),
        ('"五"', ("'points': '五' is not a number", "write a number without quotes, e.g. 0.5")),
        (
            "[1]",
            ("'points': expected a number, got an array", "write a number without quotes, e.g. 0.5"),
        ),  # TOML's word
    ],
)
def test_amount_limits(tmp_path, value, message):
    make_repo(tmp_path, one_rule('kind = "fixed"\namount = 0', points=value))
    expected = [] if message is None else [error(at_key(tmp_path, CAT, "points"), *worded(message))]
    assert reported(tmp_path) == expected


def test_a_control_character_is_named_with_its_position(tmp_path):
    # the category's title "类<ESC>别" (line 3: [category], id, title): the escape is its 2nd character
    make_repo(tmp_path, one_rule('kind = "fixed"\namount = 0'), category='id = "c"\ntitle = "类\\u001b别"')
    _, problems = load(tmp_path)
    (problem,) = problems.errors
    assert problem.format() == (
        f"{CAT}:3:1: error: 'title' holds the control character U+001B (ESC) at character 2 "
        "(hint: remove it (terminals and reviewers would not see what is stored))"
    )


def test_a_negative_amount_names_its_key_and_value_as_parameters(tmp_path):
    # `kaohe check --format json` gives the parameters with the code: the key and the value refused
    make_repo(tmp_path, one_rule('kind = "fixed"\namount = 0', points="-0.01"))
    _, problems = load(tmp_path)
    assert [(p.code, dict(p.params)) for p in problems.errors] == [
        ("number.negative", {"key": "points", "value": D("-0.01")})
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1000000000", None),  # a Number may be negative down to −10⁹
        ("-1000000001", ("'threshold': -1000000001 is too large (at most 1,000,000,000)", "check for a typo")),
    ],
)
def test_number_limits_are_on_the_magnitude(tmp_path, value, message):
    rule = (
        f'kind = "threshold"\nmetric = "rate"\nname = "结案率"\nthreshold = {value}\namount = 0.1\n'
        'missing_amount = 0\ninterpreted = { missing_amount = "未报告不扣分（测试）" }'
    )
    make_repo(tmp_path, one_rule(rule))
    expected = [] if message is None else [error(at_key(tmp_path, CAT, "threshold"), *worded(message))]
    assert reported(tmp_path) == expected


@pytest.mark.parametrize(("value", "ok"), [("0", False), ("0.0000000001", True)])
def test_a_deduction_unit_must_be_positive(tmp_path, value, ok):
    make_repo(tmp_path, one_rule('kind = "fixed"\namount = 0', settings=f"granularity = {value}"))
    positive = "write a number greater than 0, e.g. 0.1"
    expected = (
        [] if ok else [error(at_key(tmp_path, CAT, "granularity"), "'granularity' must be greater than 0", positive)]
    )
    assert reported(tmp_path) == expected
    if not ok:  # `kaohe check --format json` gives the parameters too: the key and the value refused
        _, problems = load(tmp_path)
        assert [(p.code, dict(p.params)) for p in problems.errors] == [
            ("number.not-positive", {"key": "granularity", "value": D("0")})
        ]


@pytest.mark.parametrize(("value", "ok"), [("0", False), ("0.0000000001", True)])
def test_a_precision_must_be_positive(tmp_path, value, ok):
    make_repo(tmp_path, one_rule('kind = "fixed"\namount = 0'), settings=f"precision = {value}")
    fw = "frameworks/t/framework.toml"
    expected = (
        []
        if ok
        else [
            # the framework is refused, once: the year that uses it is not scored, and its units.toml
            # is not also told that the framework does not exist
            error(
                at_key(tmp_path, fw, "precision"),
                "'precision' must be greater than 0",
                "write a number greater than 0, e.g. 0.1",
            ),
        ]
    )
    assert reported(tmp_path) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ([1], "value-type.array"),
        ({"a": 1}, "value-type.table"),
        (date(2010, 9, 1), "value-type.date"),
        (True, "value-type.boolean"),
        (1.5, "value-type.other"),  # a Python float: tomllib gives Decimal, but a caller may not
        (None, "value-type.other"),
    ],
)
def test_a_value_of_a_kind_toml_does_not_name_is_another_kind_of_value(value, kind):
    # every kind tomllib returns has TOML's name (数组, 表, 日期, 布尔值); anything else reads as
    # "其他类型的值", never Python's own name of it
    assert value_type(value) == msg(kind)


# -- 加分 rows and the table's maximum ---------------------------------------------------------------

#: A deduction row (3 points, counted in the table's maximum) and a 加分 row (2 points, outside any maximum).
DEDUCTION_AND_BONUS = one_rule('kind = "fixed"\namount = 0.5', points="3") + (
    '\n[[indicator]]\nid = "cy"\ntarget = "争先创优"\npoints = 2\nmethod = "bonus"\n'
    '\n[[indicator.rule]]\nid = "award"\nkind = "award"\n'
)


def test_a_bonus_row_beside_a_deduction_is_refused_at_its_own_row(tmp_path):
    """category.bonus-mixed points at the 加分 row (its `[[indicator]]`, column 1, as every problem of an
    indicator), not at the deduction row beside it nor at the table's first line."""
    make_repo(tmp_path, DEDUCTION_AND_BONUS)
    assert reported(tmp_path) == [
        error(
            (CAT, line_of(tmp_path, CAT, "[[indicator]]", 2), 1),
            "bonus indicator 'cy' is in table “类别” beside indicators that deduct or score: its points would"
            " count in the table's maximum, and a unit not awarded it would lose them",
            "move bonus indicators to a table of their own (a category file holding only bonus indicators: a"
            " bonus is then outside the maximum), or make it a deduction or scoring indicator",
        )
    ]
