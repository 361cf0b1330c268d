"""Statuses, as-of scoring, category weights, unit totals and rankings."""

from __future__ import annotations

import json

from builders import BELOW_ZERO, D, evidence, indicator, make_repo, score, write

TWO = """
[[indicator]]
id = "half"
target = "半年报告"
points = 1
month = 6

[[indicator.rule]]
id = "r"
kind = "checklist"
amount = 1
items = [{ key = "report", name = "半年报告" }]

[[indicator]]
id = "annual"
target = "年度报告"
points = 2
month = 12

[[indicator.rule]]
id = "r"
kind = "checklist"
amount = 2
items = [{ key = "report", name = "年度报告" }]
"""


def test_as_of_marks_later_months_not_due_and_ignores_later_evidence(tmp_path):
    make_repo(
        tmp_path,
        TWO,
        evidence={
            "a/h.md": evidence("half", "2010-07-10", satisfies='"report"'),
            "a/y.md": evidence("annual", "2010-12-28", satisfies='"report"'),
        },
    )
    # as of 2010-06-30: "half" (month 6) is due, its report is dated 07-10 → not counted → 1 − 1 = 0;
    # "annual" (month 12) is not due: no score, no max. Total 0 of 1.
    early = score(tmp_path, "2010-06-30")
    assert indicator(early, "a", "half").score == D("0")
    assert (indicator(early, "a", "annual").status, indicator(early, "a", "annual").max) == ("not_due", D("0"))
    assert (early.unit("a").total, early.unit("a").max) == (D("0"), D("1"))
    # at year end both reports count: 1 + 2 = 3 of 3
    final = score(tmp_path)
    assert (final.unit("a").total, final.unit("a").max) == (D("3"), D("3"))


def test_applicability_and_undetermined_points(tmp_path):
    make_repo(
        tmp_path,
        """
        [[indicator]]
        id = "tea"
        target = "茶产业标准化"
        points = 5
        applies_to = { units = ["cehen"], note = "该项工作只涉及册亨、贞丰、晴隆三个县局" }

        [[indicator.rule]]
        id = "r"
        kind = "checklist"
        amount = 5
        items = [{ key = "done", name = "验收" }]

        [[indicator]]
        id = "lab"
        target = "实验室整顿工作"
        note = "科室不确定分值"
        """,
        units=(("a", "county"), ("cehen", "county")),
    )
    results = score(tmp_path)
    assert indicator(results, "a", "tea").status == "not_applicable"
    assert indicator(results, "a", "lab").status == "unscored"
    # unit a: nothing applies → 0 of 0, not penalised; cehen: 验收 missing → 5 − 5 = 0 of 5
    assert (results.unit("a").total, results.unit("a").max) == (D("0"), D("0"))
    assert (results.unit("cehen").total, results.unit("cehen").max) == (D("0"), D("5"))


def test_category_weight_scales_the_raw_total(tmp_path):
    # raw max 1 + 2 = 3, weight 5; only the annual report filed → raw 0 + 2 = 2; 2 × 5 / 3 = 3.333… → 3.33
    make_repo(
        tmp_path,
        TWO,
        category='id = "c"\ntitle = "类别"\nweight = 5',
        evidence={"a/y.md": evidence("annual", "2010-12-28", satisfies='"report"')},
    )
    unit = score(tmp_path).unit("a")
    assert (unit.categories[0].raw_score, unit.categories[0].raw_max) == (D("2"), D("3"))
    assert (unit.categories[0].score, unit.total, unit.max) == (D("3.33"), D("3.33"), D("5"))


def test_ranking_within_series_with_shared_ranks(tmp_path):
    units = (("a", "county"), ("b", "county"), ("c", "county"), ("d", "county"), ("x", "office"))
    make_repo(
        tmp_path,
        TWO,
        units=units,
        evidence={
            # a: 1 + 2 = 3; b: 2 (annual only); c: 2 (annual only); d: 1 (half only); x: 0 (office series)
            "a/h.md": evidence("half", satisfies='"report"'),
            "a/y.md": evidence("annual", satisfies='"report"'),
            "b/y.md": evidence("annual", satisfies='"report"'),
            "c/y.md": evidence("annual", satisfies='"report"'),
            "d/h.md": evidence("half", satisfies='"report"'),
        },
    )
    results = score(tmp_path)
    ranks = {u.id: (u.total, u.rank, u.tied) for u in results.units}
    assert ranks == {
        "a": (D("3"), 1, False),
        "b": (D("2"), 2, True),
        "c": (D("2"), 2, True),
        "d": (D("1"), 4, False),
        "x": (D("0"), 1, False),
    }
    assert [u.id for u in results.units] == ["a", "b", "c", "d", "x"]  # series order, rank, id


def test_score_json_matches_the_contract(tmp_path, kaohe):
    make_repo(tmp_path, TWO, evidence={"a/y.md": evidence("annual", satisfies='"report"')})
    run = kaohe("score", "--repo", str(tmp_path), "--year", "2010", "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert set(data) >= {"year", "framework", "as_of", "units"}
    assert (data["year"], data["framework"], data["as_of"]) == (2010, "t", "2010-12-31")
    unit = data["units"][0]
    assert set(unit) >= {"id", "name", "series", "rank", "total", "max", "categories", "indicators"}
    # half report missing: 1 lost; annual filed: 2 → total "2" of "3"
    assert (unit["total"], unit["max"], unit["rank"]) == ("2", "3", 1)
    assert unit["categories"] == [
        {
            "id": "c",
            "title": "类别",
            "score": "2",
            "max": "3",
            "year_max": "3",
            "raw_score": "2",
            "raw_max": "3",
            "weight": None,
        }
    ]
    # fields added beside the contract's: the year's maximum, the rate (2 ÷ 3 = 66.666…% → 66.67) and
    # what ranking compares
    assert (unit["year_max"], unit["rate"], data["rank_by"]) == ("3", "66.67", "total")
    half = unit["indicators"][0]
    assert set(half) >= {"id", "score", "max", "status", "deductions"}
    assert (half["id"], half["score"], half["max"], half["status"]) == ("half", "0", "1", "scored")
    deduction = half["deductions"][0]
    assert set(deduction) >= {"amount", "reason", "rule", "evidence", "source"}
    assert (deduction["amount"], deduction["reason"], deduction["rule"]) == ("1", "缺半年报告", "r")
    assert deduction["source"].startswith("frameworks/t/01-c.toml:")


def test_score_table_csv_unit_and_as_of_options(tmp_path, kaohe):
    make_repo(
        tmp_path,
        TWO,
        units=(("a", "county"), ("b", "county")),
        evidence={"a/h.md": evidence("half", "2010-05-01", satisfies='"report"')},
    )
    table = kaohe("score", "--repo", str(tmp_path), "--format", "table")
    assert table.code == 0 and "a单位" in table.out and "b单位" in table.out
    csv_run = kaohe("score", "--repo", str(tmp_path), "--format", "csv", "--unit", "b")
    lines = csv_run.out.strip().splitlines()
    assert lines[0].startswith("year,unit,name,series,rank")
    assert all(",b," in line for line in lines[1:]) and len(lines) == 3  # header + two indicators of b
    as_of = kaohe("score", "--repo", str(tmp_path), "--format", "json", "--as-of", "2010-06-30")
    # as of June only "half" is due: a filed it → 1 of 1
    assert json.loads(as_of.out)["units"][0]["total"] == "1"


def test_score_rejects_bad_options_with_a_message(tmp_path, kaohe):
    make_repo(tmp_path, TWO)
    unknown = kaohe("score", "--repo", str(tmp_path), "--unit", "zz")
    assert unknown.code == 1 and "unknown unit 'zz'" in unknown.err
    outside = kaohe("score", "--repo", str(tmp_path), "--as-of", "2011-01-01")
    assert outside.code == 1 and "outside the assessment year 2010" in outside.err
    missing = kaohe("score", "--repo", str(tmp_path), "--year", "2009")
    assert missing.code == 1 and "no assessment for 2009: years are 2010" in missing.err


def test_grade_bands_by_percentage_of_the_maximum(tmp_path):
    bands = """
[[grade]]
title = "优秀"
min_percent = 95

[[grade]]
title = "合格"
min_percent = 60
"""
    make_repo(
        tmp_path,
        TWO,
        settings="",
        parts=bands,
        units=(("a", "county"), ("b", "county"), ("c", "county")),
        evidence={
            "a/h.md": evidence("half", satisfies='"report"'),
            "a/y.md": evidence("annual", satisfies='"report"'),
            "b/y.md": evidence("annual", satisfies='"report"'),
        },
    )
    results = score(tmp_path)
    # a: 3 of 3 = 100 % ≥ 95 → 优秀; b: 2 of 3 = 66.7 % ≥ 60 → 合格; c: 0 of 3 = 0 % → no band reached
    assert [(u.id, u.grade) for u in results.units] == [("a", "优秀"), ("b", "合格"), ("c", None)]


def test_a_month_is_due_when_it_has_ended(tmp_path):
    # as of 1 June the June report is not missing yet: "half" (month 6) is not_due; by 30 June it is due
    make_repo(tmp_path, TWO)
    assert indicator(score(tmp_path, "2010-06-01"), "a", "half").status == "not_due"
    assert indicator(score(tmp_path, "2010-06-30"), "a", "half").status == "scored"


def test_the_lowest_band_from_zero_takes_negative_totals(tmp_path):
    # floor none, 1 point, 3 deducted → −2, i.e. −200 % of the maximum: still graded 不合格 (the band from 0 %)
    make_repo(
        tmp_path,
        BELOW_ZERO,
        parts='[[grade]]\ntitle = "合格"\nmin_percent = 60\n\n[[grade]]\ntitle = "不合格"\nmin_percent = 0\n',
        findings={
            "a/f.toml": '[[finding]]\nid = "f"\nindicator = "gl"\nrule = "err"\ndate = 2010-05-01\nreason = "差错"\n'
        },
    )
    unit = score(tmp_path).unit("a")
    assert (unit.total, unit.grade) == (D("-2"), "不合格")


def test_score_reads_only_the_year_it_scores(tmp_path, kaohe):
    make_repo(tmp_path, TWO, evidence={"a/y.md": evidence("annual", satisfies='"report"')})
    write(tmp_path / "evidence/2009/units.toml", 'year = 2009\nframework = "missing"\n[[unit]]\nid = "a"\n')
    # the latest year (2010) scores although 2009 is broken: half missing (1 lost), annual filed → 2 of 3
    run = kaohe("score", "--repo", str(tmp_path), "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["units"][0]["total"] == "2"
    broken = kaohe("score", "--repo", str(tmp_path), "--year", "2009")
    assert broken.code == 1 and "the input for 2009 has" in broken.err
