"""Grades (考核等次): quotas and their rounding, ties across a quota, tie-breaks, minimum scores,
top-N and the unit-level veto (一票否决). Every expected grade is worked out by hand in a comment."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from builders import BELOW_ZERO, RANGE_10, D, finding, load, make_repo, score, write
from conftest import said

from generator.output.table import width
from generator.provenance import Provenance
from generator.render.pages import Site
from generator.score import score_assessment
from generator.score.rank import rank_units
from generator.score.results import UnitResult, UnitVeto
from generator.source import Source

#: One indicator worth 10 points; an assessor's discretionary deduction (range 0–10) sets each
#: unit's total exactly: total = 10 − amount, percentage = total × 10.
RANGE = RANGE_10

#: The same, plus a unit veto on the safety indicator "aq" (no points of its own).
VETO_INDICATORS = (
    RANGE
    + """
[[indicator]]
id = "aq"
target = "安全生产"

[[indicator.rule]]
id = "cap"
kind = "unit_veto"
text = "发生重大安全生产事故的，实行一票否决，年度考核不得评为优秀"
max_grade = "良好"

[[indicator.rule]]
id = "down"
kind = "unit_veto"
text = "违反党风廉政建设责任制受到责任追究的，年度考核定为不合格"
grade = "不合格"

[[indicator.rule]]
id = "keep"
kind = "unit_veto"
text = "受到通报批评的，不得评为优秀"
max_grade = "良好"
commendation = true
"""
)


def bands(quota: str = "", excellent: str = "min_percent = 90") -> str:
    """优秀 (with `quota` as its [grade.quota] keys), 良好 from 80 %, 不合格 from 0 %."""
    quota_table = f"\n[grade.quota]\n{quota}\n" if quota else ""
    return f"""
[[grade]]
title = "优秀"
{excellent}
{quota_table}
[[grade]]
title = "良好"
min_percent = 80

[[grade]]
title = "不合格"
min_percent = 0
"""


def lost(amounts: dict[str, str], indicator: str = "x", rule: str = "r") -> dict[str, str]:
    """A findings file per unit deducting `amount` (units not named lose nothing)."""
    return {
        f"{unit}/{indicator}-f.toml": f'[[finding]]\nid = "{unit}-{indicator}"\nindicator = "{indicator}"\nrule = "{rule}"\n'
        f'date = 2010-06-01\nreason = "扣分"\namount = {amount}\n'
        for unit, amount in amounts.items()
    }


def units(n: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"u{k}", "county") for k in range(1, n + 1))


def grades(results) -> dict[str, str | None]:
    return {u.id: u.grade for u in results.units}


# -- quota rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "rounding", "excellent"),
    [
        (8, "floor", 1),  # 8 × 15 % = 1.2 → ⌊1.2⌋ = 1
        (8, "round", 1),  # 1.2 → 四舍五入 1
        (8, "ceil", 2),  # 1.2 → ⌈1.2⌉ = 2
        (10, "floor", 1),  # 10 × 15 % = 1.5 → 1
        (10, "round", 2),  # 1.5 → half up: 2 (never banker's 2 by accident: see 30 below)
        (10, "ceil", 2),  # 1.5 → 2
        (30, "round", 5),  # 30 × 15 % = 4.5 → half up 5 (banker's rounding would give 4)
        (20, "floor", 3),  # 20 × 15 % = 3 exactly: 3 whatever the rounding
        (20, "ceil", 3),
        (6, "floor", 0),  # 6 × 15 % = 0.9 → ⌊0.9⌋ = 0: nobody is 优秀
        (6, "ceil", 1),
    ],
)
def test_quota_rounding(tmp_path, n, rounding, excellent):
    # every unit reaches 优秀 (unit k loses 0.0k: 10 − 0.01k ≥ 9.7 of 10 = 97 %); ranks follow k, no ties
    make_repo(
        tmp_path,
        RANGE,
        settings=bands(f'percent = 15\nrounding = "{rounding}"\nties = "none"'),
        units=units(n),
        findings=lost({f"u{k}": f"0.{k:02d}" for k in range(1, n + 1)}),
    )
    results = score(tmp_path)
    expected = {f"u{k}": "优秀" if k <= excellent else "良好" for k in range(1, n + 1)}
    assert grades(results) == expected
    (use,) = results.quotas
    assert (use.series, use.grade, use.units, use.limit, use.candidates, use.granted) == (
        "county",
        "优秀",
        n,
        excellent,
        n,
        excellent,
    )


def test_quota_formula_and_the_note_on_a_unit_left_out(tmp_path):
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('percent = 15\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings=lost({f"u{k}": f"0.{k}" for k in range(1, 9)}),
    )
    results = score(tmp_path)
    assert results.quotas[0].formula == "8个单位×15%=1.2，向下取整为1名"
    u2 = results.unit("u2")
    # u2: 9.8 of 10 = 98 % reaches 优秀, second in the series; the one place went to u1
    assert (u2.grade_reached, u2.grade) == ("优秀", "良好")
    assert [(n.kind, n.grade) for n in u2.grade_notes] == [("quota", "优秀")]
    assert "8个单位×15%=1.2，向下取整为1名" in u2.grade_notes[0].text
    assert results.unit("u1").grade_notes == []


def test_a_quota_counts_every_unit_of_the_series_not_only_those_that_reached_the_band(tmp_path):
    # 8 units, only u1 and u2 reach 90 % (lose 0.1, 0.2); the others lose 1.5 (85 %, 良好).
    # The quota is 15 % of the series (8 → 1.2 → 1), not of the two candidates: u1 only.
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('percent = 15\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings=lost({"u1": "0.1", "u2": "0.2", **{f"u{k}": "1.5" for k in range(3, 9)}}),
    )
    results = score(tmp_path)
    assert grades(results) == {"u1": "优秀", **{f"u{k}": "良好" for k in range(2, 9)}}
    assert (results.quotas[0].candidates, results.quotas[0].granted) == (2, 1)


def test_each_series_has_its_own_quota(tmp_path):
    # two series of 4: 4 × 50 % = 2 each, so two 优秀 per series, four in all (not 50 % of 8 = 4 from one)
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('percent = 50\nrounding = "floor"\nties = "none"'),
        units=tuple((f"a{k}", "county") for k in range(1, 5)) + tuple((f"b{k}", "office") for k in range(1, 5)),
        findings=lost({"a2": "0.1", "a3": "0.2", "a4": "0.3", "b2": "0.4", "b3": "0.5", "b4": "0.6"}),
    )
    results = score(tmp_path)
    assert grades(results) == {
        **{"a1": "优秀", "a2": "优秀", "a3": "良好", "a4": "良好"},
        **{"b1": "优秀", "b2": "优秀", "b3": "良好", "b4": "良好"},
    }


# -- ties across the quota ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        # 8 units × 15 % floor = 1 place; u1 and u2 both 10 of 10, tied first (并列第1).
        ("all", {"u1": "优秀", "u2": "优秀"}),  # both get it: 2 granted against a limit of 1
        ("none", {"u1": "良好", "u2": "良好"}),  # neither does, and u3 does not move up into the place
    ],
)
def test_ties_straddling_the_quota(tmp_path, ties, expected):
    make_repo(
        tmp_path,
        RANGE,
        settings=bands(f'percent = 15\nrounding = "floor"\nties = "{ties}"'),
        units=units(8),
        findings=lost({f"u{k}": f"0.{k}" for k in range(3, 9)}),
    )
    results = score(tmp_path)
    assert {u: g for u, g in grades(results).items() if u in ("u1", "u2")} == expected
    assert results.unit("u3").grade == "良好"  # 9.7 of 10, third: never promoted past the tied pair
    assert [(n.kind, n.grade) for n in results.unit("u1").grade_notes] == [("tie", "优秀")]
    assert (results.unit("u1").rank, results.unit("u2").rank, results.unit("u1").tied) == (1, 1, True)
    assert results.quotas[0].granted == (2 if ties == "all" else 0)
    assert [(n.kind) for n in results.unit("u3").grade_notes] == ["quota"]


def test_a_tie_inside_the_quota_is_no_problem(tmp_path):
    # 8 × 40 % = 3.2 → 3 places; u1 and u2 tied first, u3 third: all three within the quota, no note
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('percent = 40\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings=lost({f"u{k}": f"0.{k}" for k in range(3, 9)}),
    )
    results = score(tmp_path)
    assert [u for u, g in grades(results).items() if g == "优秀"] == ["u1", "u2", "u3"]
    assert all(not results.unit(u).grade_notes for u in ("u1", "u2", "u3"))


def test_a_stated_tie_break_orders_units_equal_on_the_total(tmp_path):
    # 得分相同的，以重点工作得分高者居前: u1 and u2 both 15 of 20; u1 has 10 in 重点 (zd), u2 9.5.
    indicators = RANGE + RANGE_10.replace('id = "x"', 'id = "zd"').replace('"工作"', '"重点工作"')
    make_repo(
        tmp_path,
        indicators,
        settings='tie_break = [{ by = "indicator", id = "zd", note = "得分相同的，以重点工作得分高者居前" }]\n'
        + bands('percent = 15\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings={
            # u1: x 5, zd 10 → 15; u2: x 5.5, zd 9.5 → 15; u3…u8: x 5, zd lower → 14.9 … 14.4
            **lost({"u1": "5", "u2": "4.5", **{f"u{k}": "5" for k in range(3, 9)}}),
            **lost({"u2": "0.5", **{f"u{k}": f"0.{k - 2}" for k in range(3, 9)}}, indicator="zd"),
        },
    )
    results = score(tmp_path)
    u1, u2 = results.unit("u1"), results.unit("u2")
    assert (u1.total, u2.total) == (D("15"), D("15"))
    assert (u1.rank, u2.rank, u1.tied, u2.tied, u1.tie_broken, u2.tie_broken) == (1, 2, False, False, True, True)
    assert results.unit("u3").tie_broken is False  # 14.9: equal to nobody


def test_the_tie_break_gives_the_quota_place(tmp_path):
    # as above, with 优秀 from 70 %: u1 and u2 (15 of 20 = 75 %) both reach it, one place (8 × 15 % → 1):
    # the tie-break by zd puts u1 (10) before u2 (9.5), so u1 is 优秀 and there is no tie to resolve
    indicators = (
        RANGE
        + '\n[[indicator]]\nid = "zd"\ntarget = "重点"\npoints = 10\n\n[[indicator.rule]]\nid = "r"\nkind = "range"\nmin = 0\nmax = 10\n'
    )
    make_repo(
        tmp_path,
        indicators,
        settings='tie_break = [{ by = "indicator", id = "zd" }]\n'
        + bands('percent = 15\nrounding = "floor"\nties = "none"', excellent="min_percent = 70").replace(
            "min_percent = 80", "min_percent = 60"
        ),
        units=units(8),
        findings={
            **lost({"u1": "5", "u2": "4.5", **{f"u{k}": "5" for k in range(3, 9)}}),
            **lost({"u2": "0.5", **{f"u{k}": f"0.{k - 2}" for k in range(3, 9)}}, indicator="zd"),
        },
    )
    results = score(tmp_path)
    assert (results.unit("u1").grade, results.unit("u2").grade) == ("优秀", "良好")
    assert [n.kind for n in results.unit("u2").grade_notes] == ["quota"]


def test_tie_break_by_fewer_indicators_that_lost_points(tmp_path):
    # 以扣分项目少者居前: u1 loses 1 on x only (9 + 10 = 19); u2 loses 0.5 on x and 0.5 on zd (19): u1 first
    indicators = (
        RANGE
        + '\n[[indicator]]\nid = "zd"\ntarget = "重点"\npoints = 10\n\n[[indicator.rule]]\nid = "r"\nkind = "range"\nmin = 0\nmax = 10\n'
    )
    make_repo(
        tmp_path,
        indicators,
        settings='tie_break = [{ by = "lost_indicators" }]\n',
        units=(("u2", "county"), ("u1", "county")),
        findings={**lost({"u1": "1", "u2": "0.5"}), **lost({"u2": "0.5"}, indicator="zd")},
    )
    results = score(tmp_path)
    assert [(u.id, u.rank, u.tied) for u in results.units] == [("u1", 1, False), ("u2", 2, False)]


def range_indicator(indicator: str) -> str:
    """Another indicator like RANGE's: 10 points, a discretionary deduction of 0–10 (rule "r")."""
    return RANGE.replace('id = "x"', f'id = "{indicator}"', 1)


@pytest.mark.parametrize(
    "tie_break",
    ['{ by = "category", id = "d" }', '{ by = "part", id = "p2" }', '{ by = "indicator", id = "y" }'],
)
def test_a_tie_break_by_a_category_part_or_indicator_compares_that_one_only(tmp_path, tie_break):
    # category c (part p1) holds x and x2, category d (part p2) holds y, 10 points each, 30 in all.
    # u1 loses 1 on y: c 20, d 9 → 29, one indicator lost.
    # u2 loses 0.5 on x and 0.5 on x2: c 19, d 10 → 29, two indicators lost.
    # Equal on the total; compared on d, p2 or y alone: u2 10 > u1 9 → u2 first, although by c (19 < 20),
    # by fewer indicators lost (2 > 1) or by id, u1 would come first.
    make_repo(
        tmp_path,
        RANGE + range_indicator("x2"),
        category='id = "c"\ntitle = "类别"\npart = "p1"',
        parts='\n[[part]]\nid = "p1"\ntitle = "履职"\n\n[[part]]\nid = "p2"\ntitle = "重点"\n',
        settings=f"tie_break = [{tie_break}]\n" + bands('count = 1\nties = "none"'),
        units=units(2),
        findings={**lost({"u1": "1"}, indicator="y"), **lost({"u2": "0.5"}), **lost({"u2": "0.5"}, indicator="x2")},
    )
    write(
        tmp_path / "frameworks/t/02-d.toml",
        '[category]\nid = "d"\ntitle = "重点"\npart = "p2"\n' + range_indicator("y"),
    )
    results = score(tmp_path)
    assert [(u.id, u.total, u.rank, u.tied, u.tie_broken) for u in results.units] == [
        ("u2", D("29"), 1, False, True),
        ("u1", D("29"), 2, False, True),
    ]
    # one place in 优秀 (29 of 30 = 96.7 % reaches 90 %): the tie-break gives it to u2, not to u1 (first by id)
    assert (results.unit("u2").grade, results.unit("u1").grade) == ("优秀", "良好")


def test_without_tie_breaks_equal_units_share_the_rank(tmp_path):
    make_repo(tmp_path, RANGE, units=units(3), findings=lost({"u3": "1"}))
    results = score(tmp_path)
    assert [(u.id, u.rank, u.tied, u.tie_broken) for u in results.units] == [
        ("u1", 1, True, False),
        ("u2", 1, True, False),
        ("u3", 3, False, False),
    ]


# -- minimum score and top-N ---------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "grade"), [("0.5", "优秀"), ("0.51", "良好")])
def test_a_minimum_total_in_points(tmp_path, amount, grade):
    # 优秀: 95 % and at least 9.5 points; 10 − 0.5 = 9.5 reaches both, 9.49 neither
    make_repo(
        tmp_path, RANGE, settings=bands(excellent="min_percent = 90\nmin_total = 9.5"), findings=lost({"a": amount})
    )
    assert score(tmp_path).unit("a").grade == grade


def test_both_minimums_must_be_met(tmp_path):
    # 优秀 needs 95 % and 9 points: 9.4 of 10 is 94 % (fails the percentage although it has 9 points)
    make_repo(tmp_path, RANGE, settings=bands(excellent="min_percent = 95\nmin_total = 9"), findings=lost({"a": "0.6"}))
    assert score(tmp_path).unit("a").grade == "良好"


def test_top_n_among_the_units_that_reach_the_band(tmp_path):
    # 前2名: u1…u3 reach 优秀 (lose 0.1, 0.2, 0.3), u4 does not (loses 2: 80 %): u1, u2 only
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('count = 2\nties = "none"'),
        units=units(4),
        findings=lost({"u1": "0.1", "u2": "0.2", "u3": "0.3", "u4": "2"}),
    )
    results = score(tmp_path)
    assert grades(results) == {"u1": "优秀", "u2": "优秀", "u3": "良好", "u4": "良好"}
    assert results.quotas[0].formula == "不超过2名"


def test_percent_and_count_together_take_the_smaller(tmp_path):
    # 20 units × 15 % = 3, and 不超过2名: 2
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('percent = 15\nrounding = "floor"\ncount = 2\nties = "none"'),
        units=units(20),
        findings=lost({f"u{k}": f"0.{k:02d}" for k in range(1, 21)}),
    )
    results = score(tmp_path)
    assert [u for u, g in grades(results).items() if g == "优秀"] == ["u1", "u2"]
    assert results.quotas[0].formula == "20个单位×15%=3，向下取整为3名，不超过2名"


def test_a_unit_left_out_by_one_quota_competes_for_the_next(tmp_path):
    # 优秀 1 place (count 1), 良好 1 place (count 1); u1, u2, u3 all reach 优秀:
    # u1 优秀; u2 falls to 良好 and takes its place; u3 falls past 良好 to 不合格 (the band that takes the rest)
    settings = bands('count = 1\nties = "none"').replace(
        'title = "良好"\nmin_percent = 80\n',
        'title = "良好"\nmin_percent = 80\n\n[grade.quota]\ncount = 1\nties = "none"\n',
    )
    make_repo(tmp_path, RANGE, settings=settings, units=units(3), findings=lost({"u2": "0.1", "u3": "0.2"}))
    results = score(tmp_path)
    assert grades(results) == {"u1": "优秀", "u2": "良好", "u3": "不合格"}
    assert [(n.kind, n.grade) for n in results.unit("u3").grade_notes] == [("quota", "优秀"), ("quota", "良好")]


# -- unit-level veto (一票否决) -----------------------------------------------------------------------


def veto(unit: str, rule: str, date: str = "2010-08-01") -> dict[str, str]:
    return {
        f"{unit}/aq-veto.toml": f'[[finding]]\nid = "{unit}-{rule}"\nindicator = "aq"\nrule = "{rule}"\n'
        f'date = {date}\nreason = "7月发生一起较大生产安全事故"\nassessor = "安全科"\n'
    }


def test_a_capping_veto_keeps_the_unit_out_of_excellent_and_frees_its_place(tmp_path):
    # u1 10 of 10 (first) but vetoed: 不得评为优秀 → 良好; the one place (8 × 15 % → 1) goes to u2
    make_repo(
        tmp_path,
        VETO_INDICATORS,
        settings=bands('percent = 15\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings={**lost({f"u{k}": f"0.{k}" for k in range(2, 9)}), **veto("u1", "cap")},
    )
    results = score(tmp_path)
    u1 = results.unit("u1")
    assert (u1.rank, u1.total, u1.grade_reached, u1.grade) == (1, D("10"), "优秀", "良好")
    assert results.unit("u2").grade == "优秀"
    assert u1.commendable is False
    (v,) = u1.vetoes
    assert (v.indicator, v.rule, v.finding, v.max_grade, v.grade) == ("aq", "cap", "u1-cap", "良好", None)
    assert v.source == Source("evidence/2010/u1/aq-veto.toml", 1)
    assert [(n.kind, n.grade) for n in u1.grade_notes] == [("veto", "优秀")]
    assert "不得评为优秀" in u1.grade_notes[0].text and "较大生产安全事故" in u1.grade_notes[0].text


def test_every_field_of_a_unit_veto(tmp_path):
    make_repo(tmp_path, VETO_INDICATORS, settings=bands(), units=units(1), findings=veto("u1", "cap"))
    write(tmp_path / "evidence/2010/u1/事故报告.pdf", "事故调查报告")
    (tmp_path / "evidence/2010/u1/aq-veto.toml").write_text(
        veto("u1", "cap")["u1/aq-veto.toml"] + 'evidence = ["事故报告.pdf"]\n', encoding="utf-8"
    )
    (v,) = score(tmp_path).unit("u1").vetoes
    assert v == UnitVeto(
        indicator="aq",
        rule="cap",
        finding="u1-cap",
        reason="7月发生一起较大生产安全事故",
        text="发生重大安全生产事故的，实行一票否决，年度考核不得评为优秀",
        source=Source("evidence/2010/u1/aq-veto.toml", 1),
        evidence=["evidence/2010/u1/事故报告.pdf"],
        max_grade="良好",
        grade=None,
        commendation=False,
        appeals=[],
    )


def test_a_forcing_veto_sets_the_grade_whatever_the_score_and_takes_no_place(tmp_path):
    # 降为不合格: u1 (10 of 10) is 不合格; it takes no place in 优秀, which goes to u2
    make_repo(
        tmp_path,
        VETO_INDICATORS,
        settings=bands('count = 1\nties = "none"'),
        units=units(3),
        findings={**lost({"u2": "0.1", "u3": "0.2"}), **veto("u1", "down")},
    )
    results = score(tmp_path)
    assert grades(results) == {"u1": "不合格", "u2": "优秀", "u3": "良好"}
    assert [n.kind for n in results.unit("u1").grade_notes] == ["veto"]
    assert results.quotas[0].candidates == 2  # u2, u3: the vetoed unit is no candidate


def test_a_veto_that_keeps_commendation(tmp_path):
    make_repo(tmp_path, VETO_INDICATORS, settings=bands(), units=units(1), findings=veto("u1", "keep"))
    u1 = score(tmp_path).unit("u1")
    assert (u1.grade, u1.commendable) == ("良好", True)


def test_a_veto_where_the_score_is_already_below_the_cap_changes_nothing_but_commendation(tmp_path):
    # 8.5 of 10 = 85 %: 良好 anyway; no grade note, still removed from commendation
    make_repo(
        tmp_path,
        VETO_INDICATORS,
        settings=bands(),
        units=units(1),
        findings={**lost({"u1": "1.5"}), **veto("u1", "cap")},
    )
    u1 = score(tmp_path).unit("u1")
    assert (u1.grade, u1.grade_notes, u1.commendable) == ("良好", [], False)


def test_a_veto_filed_after_the_scoring_date_does_not_count_yet(tmp_path):
    make_repo(tmp_path, VETO_INDICATORS, settings=bands(), units=units(1), findings=veto("u1", "down", "2010-08-01"))
    assert score(tmp_path, "2010-07-31").unit("u1").grade == "优秀"
    assert score(tmp_path, "2010-08-01").unit("u1").grade == "不合格"


def test_a_unit_veto_takes_no_points(tmp_path):
    # the veto acts on the grade only: the total stays 10 of 10, the indicator aq is unscored (no points)
    make_repo(tmp_path, VETO_INDICATORS, settings=bands(), units=units(1), findings=veto("u1", "down"))
    u1 = score(tmp_path).unit("u1")
    assert (u1.total, u1.max) == (D("10"), D("10"))
    assert {i.id: (i.status, i.deductions) for i in u1.indicators} == {"x": ("scored", []), "aq": ("unscored", [])}


def test_json_carries_grades_vetoes_and_quotas(tmp_path, kaohe):
    make_repo(
        tmp_path,
        VETO_INDICATORS,
        settings=bands('percent = 15\nrounding = "floor"\nties = "none"'),
        units=units(8),
        findings={**lost({f"u{k}": f"0.{k}" for k in range(2, 9)}), **veto("u1", "cap")},
    )
    run = kaohe("score", "--repo", str(tmp_path), "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    u1 = next(u for u in data["units"] if u["id"] == "u1")
    assert (u1["grade"], u1["tied"], u1["grade_reached"], u1["commendable"]) == ("良好", False, "优秀", False)
    assert [(v["rule"], v["max_grade"], v["grade"], v["source"]) for v in u1["unit_vetoes"]] == [
        ("cap", "良好", None, "evidence/2010/u1/aq-veto.toml:1")
    ]
    assert u1["grade_notes"][0]["kind"] == "veto"
    assert data["quotas"] == [
        {
            "series": "county",
            "grade": "优秀",
            "units": 8,
            "limit": 1,
            "formula": "8个单位×15%=1.2，向下取整为1名",
            "candidates": 7,  # u2…u8 (u1 is capped)
            "granted": 1,
        }
    ]


# -- what check refuses --------------------------------------------------------------------------------


def codes(root) -> list[tuple[str, str]]:
    _, problems = load(root)
    return [(f"{p.path}:{p.line}", p.code or p.message) for p in problems.errors]


def test_a_unit_veto_naming_an_unknown_grade(tmp_path):
    make_repo(
        tmp_path, VETO_INDICATORS.replace('max_grade = "良好"\n\n', 'max_grade = "较好"\n\n', 1), settings=bands()
    )
    # reported at the rule's [[indicator.rule]] header
    text = (tmp_path / "frameworks/t/01-c.toml").read_text(encoding="utf-8").split("\n")
    line = text.index('id = "cap"')  # the [[indicator.rule]] header is the line before id (1-based: index)
    assert codes(tmp_path) == [(f"frameworks/t/01-c.toml:{line}", "framework.unit-veto-unknown-grade")]


def test_a_unit_veto_without_grade_bands(tmp_path):
    make_repo(tmp_path, VETO_INDICATORS)
    assert {code for _, code in codes(tmp_path)} == {"framework.unit-veto-unknown-grade"}
    assert len(codes(tmp_path)) == 3  # cap, down and keep each name a grade the framework lacks


def test_bands_must_be_listed_best_first(tmp_path):
    settings = '[[grade]]\ntitle = "良好"\nmin_percent = 80\n\n[[grade]]\ntitle = "优秀"\nmin_percent = 90\n'
    make_repo(tmp_path, RANGE, settings=settings)
    # framework.toml: line 3 is the first [[grade]] (after id, title), line 7 the second
    assert codes(tmp_path) == [("frameworks/t/framework.toml:7", "framework.grade-order")]


def test_nothing_may_follow_the_band_that_takes_the_rest(tmp_path):
    settings = '[[grade]]\ntitle = "不合格"\nmin_percent = 0\n\n[[grade]]\ntitle = "合格"\nmin_total = 1\n'
    make_repo(tmp_path, RANGE, settings=settings)
    assert codes(tmp_path) == [("frameworks/t/framework.toml:7", "framework.grade-order")]


def test_a_grade_listed_twice(tmp_path):
    settings = '[[grade]]\ntitle = "优秀"\nmin_percent = 90\n\n[[grade]]\ntitle = "优秀"\nmin_percent = 80\n'
    make_repo(tmp_path, RANGE, settings=settings)
    assert codes(tmp_path) == [("frameworks/t/framework.toml:7", "framework.grade-duplicate")]


@pytest.mark.parametrize(
    ("quota", "line", "code", "key"),
    [
        # [grade.quota] is line 8 of framework.toml (id, title, blank, [[grade]], title, min_percent, blank)
        ('percent = 15\nties = "none"', 8, "grade.quota-without-rounding", "quota"),
        ('rounding = "floor"\nties = "none"', 8, "grade.quota-without-limit", "quota"),
        ('percent = 15\nrounding = "floor"', 8, "model.missing-key", "ties"),
        ('percent = 15\nrounding = "nearest"\nties = "none"', 10, "model.choice", "rounding"),  # at the key itself
    ],
)
def test_a_quota_states_its_limit_rounding_and_ties(tmp_path, quota, line, code, key):
    make_repo(tmp_path, RANGE, settings=bands(quota))
    (problem,) = [p for p in load(tmp_path)[1].errors if p.path == "frameworks/t/framework.toml"]
    assert (problem.line, problem.code, problem.kwargs["key"]) == (line, code, key)


def test_a_tie_break_names_something_the_framework_has(tmp_path):
    make_repo(tmp_path, RANGE, settings='tie_break = [{ by = "category", id = "zhongdian" }]\n')
    assert codes(tmp_path) == [("frameworks/t/framework.toml:3", "framework.tie-break-unknown")]


def test_a_unit_veto_with_both_effects_is_refused(tmp_path):
    make_repo(
        tmp_path,
        VETO_INDICATORS.replace('max_grade = "良好"\n\n', 'max_grade = "良好"\ngrade = "不合格"\n\n', 1),
        settings=bands(),
    )
    (problem,) = load(tmp_path)[1].errors
    assert problem.code == "rule.unit-veto-two-effects"


# -- edges of the bands, the quotas and the vetoes ----------------------------------------------------


@pytest.mark.parametrize(("amount", "grade"), [("1", "优秀"), ("1.01", "良好")])
def test_the_percentage_minimum_at_and_one_step_below(tmp_path, amount, grade):
    # 优秀 from 90 %: 10 − 1 = 9 of 10 is 90 % exactly (reaches it); 10 − 1.01 = 8.99 is 89.9 % (良好)
    make_repo(tmp_path, RANGE, settings=bands(), findings=lost({"a": amount}))
    assert score(tmp_path).unit("a").grade == grade


def test_a_unit_with_nothing_due_reaches_no_band(tmp_path):
    # x is due in December: as of 30 June nothing is due (maximum 0), so no band applies, not even
    # 不合格 from 0 %: a grade of nothing is no grade
    make_repo(tmp_path, RANGE.replace("points = 10", "points = 10\nmonth = 12"), settings=bands())
    unit = score(tmp_path, "2010-06-30").unit("a")
    assert (unit.max, unit.grade_reached, unit.grade) == (D("0"), None, None)
    assert score(tmp_path).unit("a").grade == "优秀"  # at the year's end: 10 of 10


def test_a_negative_total_still_gets_the_band_that_takes_the_rest(tmp_path):
    # 管理 1 point without a floor, one fixed deduction of 3: 1 − 3 = −2, below 0 % of 1, and 不合格
    # (from 0 %, no minimum in points) takes every total left
    make_repo(tmp_path, BELOW_ZERO, settings=bands(), findings={"a/f.toml": finding("f1", "gl", "err")})
    unit = score(tmp_path).unit("a")
    assert (unit.total, unit.grade_reached, unit.grade) == (D("-2"), "不合格", "不合格")


def test_a_quota_met_exactly_lets_every_candidate_through(tmp_path):
    # 不超过2名 and exactly two units reach 优秀 (10 and 9.9 of 10); u3 (8.5, 85 %) reaches 良好 only
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('count = 2\nties = "none"'),
        units=units(3),
        findings=lost({"u2": "0.1", "u3": "1.5"}),
    )
    results = score(tmp_path)
    assert grades(results) == {"u1": "优秀", "u2": "优秀", "u3": "良好"}
    assert all(results.unit(u).grade_notes == [] for u in ("u1", "u2", "u3"))
    (use,) = results.quotas
    assert (use.limit, use.candidates, use.granted) == (2, 2, 2)


def test_a_quota_of_no_places_grants_nothing_even_to_tied_units(tmp_path):
    # 2 units × 10 % = 0.2 → ⌊0.2⌋ = 0 places: u1 and u2 (both 10 of 10, tied) reach 优秀 and get 良好;
    # ties = "all" lets tied units share a place, but there is no place to share
    make_repo(tmp_path, RANGE, settings=bands('percent = 10\nrounding = "floor"\nties = "all"'), units=units(2))
    results = score(tmp_path)
    assert grades(results) == {"u1": "良好", "u2": "良好"}
    for u in ("u1", "u2"):
        assert [(n.kind, n.grade, n.text) for n in results.unit(u).grade_notes] == [
            ("quota", "优秀", "得分达到优秀，但在优秀名额之外（2个单位×10%=0.2，向下取整为0名）")
        ]


@pytest.mark.parametrize(("ties", "rule"), [("all", "均评为"), ("none", "均不评为")])
def test_the_note_on_units_tied_across_the_quota(tmp_path, ties, rule):
    # 8 units × 15 % floor = 1 place; u1 and u2 tied first (10 of 10)
    make_repo(
        tmp_path,
        RANGE,
        settings=bands(f'percent = 15\nrounding = "floor"\nties = "{ties}"'),
        units=units(8),
        findings=lost({f"u{k}": f"0.{k}" for k in range(3, 9)}),
    )
    results = score(tmp_path)
    text = f"u1单位、u2单位并列，跨越优秀名额（8个单位×15%=1.2，向下取整为1名）：按规定并列者{rule}优秀"
    for u in ("u1", "u2"):
        assert [(n.kind, n.grade, n.text) for n in results.unit(u).grade_notes] == [("tie", "优秀", text)]


@pytest.mark.parametrize(("amount", "notes"), [("0", ["一票否决，定为不合格：7月发生一起较大生产安全事故"]), ("5", [])])
def test_the_note_on_a_forced_grade_only_where_the_score_reached_another(tmp_path, amount, notes):
    # 10 of 10 reaches 优秀 and is forced to 不合格 (a note); 5 of 10 (50 %) reaches 不合格 anyway (no note)
    make_repo(
        tmp_path,
        VETO_INDICATORS,
        settings=bands(),
        units=units(1),
        findings={**lost({"u1": amount}), **veto("u1", "down")},
    )
    u1 = score(tmp_path).unit("u1")
    assert (u1.grade, [(n.kind, n.grade, n.text) for n in u1.grade_notes]) == (
        "不合格",
        [("veto", "不合格", text) for text in notes],
    )


def test_two_capping_vetoes_the_lower_cap_holds(tmp_path):
    # bands 优秀 90 %, 良好 80 %, 合格 60 %, 不合格; u1 10 of 10 with two vetoes: 不得评为优秀 (cap 良好) and
    # 不得评为优秀、良好 (cap 合格): the stricter one holds, 合格, and the note names both bands and its reason
    indicators = (
        RANGE
        + """
[[indicator]]
id = "aq"
target = "安全生产"

[[indicator.rule]]
id = "cap1"
kind = "unit_veto"
max_grade = "良好"

[[indicator.rule]]
id = "cap2"
kind = "unit_veto"
max_grade = "合格"
"""
    )
    settings = bands().replace(
        '[[grade]]\ntitle = "不合格"', '[[grade]]\ntitle = "合格"\nmin_percent = 60\n\n[[grade]]\ntitle = "不合格"'
    )
    findings = {
        "u1/aq-veto.toml": '[[finding]]\nid = "v1"\nindicator = "aq"\nrule = "cap1"\ndate = 2010-08-01\nreason = "一般事故"\n\n'
        '[[finding]]\nid = "v2"\nindicator = "aq"\nrule = "cap2"\ndate = 2010-08-01\nreason = "较大事故"\n'
    }
    make_repo(tmp_path, indicators, settings=settings, units=units(1), findings=findings)
    u1 = score(tmp_path).unit("u1")
    assert (u1.grade_reached, u1.grade) == ("优秀", "合格")
    assert [(n.kind, n.grade, n.text) for n in u1.grade_notes] == [
        ("veto", "优秀", "一票否决，不得评为优秀、良好：较大事故")
    ]


def test_a_rounding_stated_beside_a_count_alone_changes_nothing(tmp_path):
    # 前2名 with rounding = "floor" but no percent: nothing to round; the limit is 2 (u1, u2 of three at 优秀)
    make_repo(
        tmp_path,
        RANGE,
        settings=bands('count = 2\nrounding = "floor"\nties = "none"'),
        units=units(3),
        findings=lost({"u2": "0.1", "u3": "0.2"}),
    )
    results = score(tmp_path)
    assert grades(results) == {"u1": "优秀", "u2": "优秀", "u3": "良好"}
    assert (results.quotas[0].limit, results.quotas[0].formula) == (2, "不超过2名")


def test_two_vetoes_with_the_same_cap_the_first_is_named(tmp_path):
    # cap and keep both cap the grade at 良好: 10 of 10 gives 良好, and the note cites the first in the framework (cap)
    findings = {
        "u1/aq-veto.toml": '[[finding]]\nid = "v1"\nindicator = "aq"\nrule = "cap"\ndate = 2010-08-01\nreason = "较大事故"\n\n'
        '[[finding]]\nid = "v2"\nindicator = "aq"\nrule = "keep"\ndate = 2010-08-01\nreason = "通报批评"\n'
    }
    make_repo(tmp_path, VETO_INDICATORS, settings=bands(), units=units(1), findings=findings)
    u1 = score(tmp_path).unit("u1")
    assert (u1.grade, [(n.kind, n.grade, n.text) for n in u1.grade_notes]) == (
        "良好",
        [("veto", "优秀", "一票否决，不得评为优秀：较大事故")],
    )


def test_the_quota_goes_by_rate_where_the_framework_ranks_by_rate(tmp_path):
    # common 2 points for both, extra 2 points for b only; b loses 1 on common: 3 of 4 = 75 %; d: 2 of 2 = 100 %.
    # 优秀 from 70 % (良好 from 60 %), 不超过1名: by rate d is first and takes it; by total b (3 > 2) would
    indicators = range_indicator("common").replace("points = 10", "points = 2").replace(
        "max = 10", "max = 2"
    ) + range_indicator("extra").replace("points = 10", 'points = 2\napplies_to = { units = ["b"] }').replace(
        "max = 10", "max = 2"
    )
    make_repo(
        tmp_path,
        indicators,
        settings='rank_by = "rate"\n'
        + bands('count = 1\nties = "none"', excellent="min_percent = 70").replace(
            "min_percent = 80", "min_percent = 60"
        ),
        units=(("b", "county"), ("d", "county")),
        findings=lost({"b": "1"}, indicator="common"),
    )
    results = score(tmp_path)
    assert [(u.id, u.total, u.max, u.rank, u.grade) for u in results.units] == [
        ("d", D("2"), D("2"), 1, "优秀"),
        ("b", D("3"), D("4"), 2, "良好"),
    ]


def test_ranked_by_rate_a_unit_with_nothing_due_comes_after_a_rate_of_zero():
    # 得分率 ranks units that have one: b scored 0 of 5 (0 %) has a rate; a has nothing due (0 of 0,
    # no rate) and comes after it, not tied with it: b 1st, a 2nd
    a = UnitResult("a", "甲", "county", D("0"), D("0"), [], [])
    b = UnitResult("b", "乙", "county", D("0"), D("5"), [], [])
    rank_units([a, b], "rate")
    assert [(u.id, u.rank, u.tied) for u in (a, b)] == [("a", 2, False), ("b", 1, False)]


# tie_break written wrong: `kaohe check` says what is wrong and shows how to write it. In FRAMEWORK,
# `settings` is line 3 (after id and title), so the tie_break line is line 3 (line 4 under [interpreted]).
@pytest.mark.parametrize(
    ("settings", "line", "col", "code", "params"),
    [
        # the reviewers' case: under [interpreted] (a shipped framework's last header before [[series]])
        # the line is a marker's reason, and [] is not the setting; before, "expected text, e.g. title = …"
        ("[interpreted]\ntie_break = []", 4, 1, "model.interpreted-not-text", {"key": "tie_break", "type": "数组"}),
        # items that are not tables: the item is named, not "[table] or { key = value }"
        # column 14: after the 13 characters of "tie_break = ["
        ('tie_break = ["zd"]', 3, 14, "model.table-item", {"key": "tie_break", "position": 1, "type": "文字"}),
        # column 42: "tie_break = [" is 13 characters, the table 26 (14–39), then ", " (40–41)
        (
            'tie_break = [{ by = "lost_indicators" }, 2]',
            3,
            42,
            "model.table-item",
            {"key": "tie_break", "position": 2, "type": "数字"},
        ),
        # not an array at all: an array of tables, not ["a", "b"]
        ('tie_break = "zd"', 3, 1, "model.table-list", {"key": "tie_break", "type": "文字"}),
        ('tie_break = { by = "lost_indicators" }', 3, 1, "model.table-list", {"key": "tie_break", "type": "表"}),
    ],
)
def test_a_tie_break_written_wrong_says_how_to_write_it(tmp_path, kaohe, settings, line, col, code, params):
    make_repo(tmp_path, RANGE, settings=settings)
    at = "frameworks/t/framework.toml"
    problems = [p for p in load(tmp_path)[1].errors if p.path == at]
    assert [(p.line, p.col, p.code) for p in problems] == [(line, col, code)]
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and f"{at}:{line}:{col}: 错误：{said(code, **params)}" in run.out
    assert "[[tie_break]]" in run.out or code == "model.interpreted-not-text"  # the hint shows the array's form


def test_an_empty_tie_break_means_none_and_a_marker_on_it_is_reported_where_it_is(tmp_path):
    # tie_break = [] states no tie-breaks, as leaving it out does; a marker saying why it reads so
    # marks nothing: reported at the marker (line 5: id, title, tie_break, [interpreted], marker),
    # not at 1:1 of the file
    make_repo(tmp_path, RANGE, settings='tie_break = []\n[interpreted]\ntie_break = "文件未规定"')
    assert [(p.path, p.line, p.col, p.code) for p in load(tmp_path)[1].errors] == [
        ("frameworks/t/framework.toml", 5, 1, "framework.interpreted-unset")
    ]
    make_repo(tmp_path, RANGE, settings="tie_break = []")
    assert load(tmp_path)[1].errors == []


#: A framework without grade bands whose 一票否决 keeps a unit from commendation only (what `kaohe
#: import` proposes for "发生重大事故的，实行一票否决").
UNGRADED_VETO = (
    RANGE
    + """
[[indicator]]
id = "aq"
target = "安全生产"

[[indicator.rule]]
id = "cap"
kind = "unit_veto"
text = "发生重大事故的，实行一票否决"
"""
)


def test_a_unit_veto_shows_where_there_is_no_grade_column(tmp_path, kaohe):
    """Before: with no grade bands the 一票否决 showed on the unit's sheet alone: the score table, the
    overview (its badge sat in the 等次 column, absent) and the workbook's 否决 column said nothing."""
    make_repo(tmp_path, UNGRADED_VETO, units=units(2), findings=veto("u1", "cap"))
    table = kaohe("--repo", str(tmp_path), "score")
    assert table.code == 0, table.err
    head, _, u1, u2 = table.out.splitlines()[-4:]
    assert head.split()[-1] == "一票否决" and "等次" not in head
    assert u1.split()[1] == "u1单位" and u1.split()[-1] == "是"  # both score 10 of 10: u1 first by id
    assert u2.split()[-1] != "是" and "一票否决" not in u2
    repo, problems = load(tmp_path)
    assert not problems.errors
    a = repo.assessments[2010]  # type: ignore[attr-defined]
    site = Site(a, score_assessment(a), Provenance(commit=None, draft=True))
    overview = site.render(next(p for p in site.pages() if p.kind == "overview"))
    name_cells = re.findall(r'<td class="kh-unit">(.*?)</td>', overview, re.S)
    assert [("kh-badge-unitveto" in c) for c in name_cells[:2]] == [True, False]
    workbook = tmp_path / "out.xlsx"
    assert kaohe("--repo", str(tmp_path), "export", "-o", str(workbook)).code == 0
    rows = list(openpyxl.load_workbook(workbook).worksheets[0].iter_rows(min_row=3, values_only=True))
    column = rows[0].index("否决")
    assert [(r[1], r[column]) for r in rows[1:3]] == [("u1单位", "一票否决"), ("u2单位", "")]


def test_the_unit_veto_column_is_aligned_as_text(tmp_path, kaohe):
    """是 stands under the start of its heading 一票否决, as the unit names stand under 单位 (text columns
    are aligned left; the figures right). The column is the last, so a row ends where its cell does:
    一票否决 takes 8 columns of a terminal and 是 2, so u1's row is 8 − 2 = 6 columns shorter than the
    heading's (aligned right, they would end together)."""
    make_repo(tmp_path, UNGRADED_VETO, units=units(2), findings=veto("u1", "cap"))
    table = kaohe("--repo", str(tmp_path), "score")
    assert table.code == 0, table.err
    head, _, u1, _ = table.out.splitlines()[-4:]
    assert head.endswith("一票否决") and u1.endswith("是")
    assert width(u1) == width(head) - 6
    # 单位 and u1单位 start the name column together, in columns of a terminal
    assert width(head[: head.index("单位")]) == width(u1[: u1.index("u1单位")])
