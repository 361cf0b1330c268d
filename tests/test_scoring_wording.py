"""Scores against the documents' own wording: where two findings, a cap or a rounding could make the
engine deduct what the sentence it transcribes does not allow.

Each expected value is worked out by hand from the quoted sentence of the 2010 rules
(/work/shared/sources/000_…txt) or the Liaoyang measures, with the arithmetic in a comment.
"""

from __future__ import annotations

from builders import D, Worded, finding, indicator, line_of, make_repo, score

from generator.source import Source

CAT = "frameworks/t/01-c.toml"

# -- range: "扣0.1-3分" bounds what the clause deducts, however many findings name it -----------------

#: Table 八 1, 细化第1条 (3分): "1、相关督促及监督检查工作无据可查,无责任状扣0.1-3分。"
ENERGY = """
[[indicator]]
id = "jl"
target = "加强能源计量和民生计量工作"
points = 6
month = 12

[[indicator.rule]]
id = "energy"
kind = "range"
text = "1、相关督促及监督检查工作无据可查,无责任状扣0.1-3分。"
min = 0.1
max = 3
{extra}
"""


def _two_findings(first: str, second: str) -> dict[str, str]:
    return {
        "a/jl.toml": finding("f1", "jl", "energy", "督促工作无据可查", amount=first)
        + finding("f2", "jl", "energy", "无责任状", amount=second)
    }


def test_two_findings_of_one_range_clause_deduct_at_most_its_upper_end(tmp_path):
    # "……无据可查,无责任状扣0.1-3分": the clause deducts between 0.1 and 3 points. An assessor who
    # records "无据可查" (2) and "无责任状" (2) as two findings has found the clause twice, but the clause
    # still deducts at most 3: 2 + 2 = 4 > 3 → a visible correction of 3 − 4 = −1; 6 − 3 = 3.
    make_repo(tmp_path, ENERGY.format(extra=""), findings=_two_findings("2", "2"))
    r = indicator(score(tmp_path), "a", "jl")
    rule_at = Source(CAT, line_of(tmp_path, CAT, "[[indicator.rule]]"))
    assert r.deductions[2:] == [Worded(D("-1"), "本条扣分范围为0.1-3分，最多扣3分", "energy", rule_at, kind="cap")]
    assert r.score == D("3")


def test_two_findings_of_one_range_clause_within_its_upper_end_add_up(tmp_path):
    # 1 + 1.5 = 2.5 ≤ 3: both stand, no correction; 6 − 2.5 = 3.5
    make_repo(tmp_path, ENERGY.format(extra=""), findings=_two_findings("1", "1.5"))
    r = indicator(score(tmp_path), "a", "jl")
    assert [d.kind for d in r.deductions] == ["deduction", "deduction"]
    assert r.score == D("3.5")


def test_a_range_clause_with_a_cap_below_its_upper_end_keeps_the_cap(tmp_path):
    # a rule cap of 2.5 (below the range's 3) wins: 2 + 2 = 4 → 2.5, worded as the cap; 6 − 2.5 = 3.5
    make_repo(tmp_path, ENERGY.format(extra="cap = 2.5"), findings=_two_findings("2", "2"))
    r = indicator(score(tmp_path), "a", "jl")
    assert [(d.amount, d.reason) for d in r.deductions[2:]] == [(D("-1.5"), "本项最多扣2.5分")]
    assert r.score == D("3.5")


def test_a_range_clause_with_a_cap_equal_to_its_upper_end_words_the_cap(tmp_path):
    # cap = 3 and the range's upper end 3 allow the same most: 2 + 2 = 4 → 3, a correction of 3 − 4 = −1
    # worded as the rule's own cap (本项最多扣3分), which the framework wrote, not the range's sentence;
    # 6 − 3 = 3
    make_repo(tmp_path, ENERGY.format(extra="cap = 3"), findings=_two_findings("2", "2"))
    r = indicator(score(tmp_path), "a", "jl")
    assert [(d.amount, d.reason, d.kind) for d in r.deductions[2:]] == [(D("-1"), "本项最多扣3分", "cap")]
    assert r.score == D("3")
