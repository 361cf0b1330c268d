"""Statuses, as-of scoring, category weights, unit totals and rankings."""

from __future__ import annotations

import json
from datetime import date

import pytest
from builders import BELOW_ZERO, D, evidence, indicator, load, make_repo, score, write

from generator.score.engine import score_unit
from generator.score.results import STATUSES, Results, status_label

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
    # one unit scored alone (the indicator review and the preview do) as of the same day: the same 0 of 1
    repo, _ = load(tmp_path)
    a = repo.assessments[2010]  # type: ignore[attr-defined]
    alone = score_unit(a, a.units[0], date(2010, 6, 30))
    assert (alone.total, alone.max, [i.status for i in alone.indicators]) == (D("0"), D("1"), ["scored", "not_due"])


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
            "base": "0",  # the table's own points (每项指标无具体得分): this one has none
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


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
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


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_score_reads_only_the_year_it_scores(tmp_path, kaohe):
    make_repo(tmp_path, TWO, evidence={"a/y.md": evidence("annual", satisfies='"report"')})
    write(tmp_path / "evidence/2009/units.toml", 'year = 2009\nframework = "missing"\n[[unit]]\nid = "a"\n')
    # the latest year (2010) scores although 2009 is broken: half missing (1 lost), annual filed → 2 of 3
    run = kaohe("score", "--repo", str(tmp_path), "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["units"][0]["total"] == "2"
    broken = kaohe("score", "--repo", str(tmp_path), "--year", "2009")
    assert broken.code == 1 and "the input for 2009 has" in broken.err


def test_a_weight_scales_by_the_years_maximum_never_by_what_is_due(tmp_path):
    # TWO is worth 1 (June) + 2 (December) = 3 raw points in the year, weighted to 5: one raw point is
    # worth 5/3. As of 2010-06-30 only the June report is due and it is missing: 0 of 1 raw →
    # 0 of 1 × 5/3 = 1.666… → 1.67 due, 5 in the year — never 0 of 5.
    make_repo(tmp_path, TWO, category='id = "c"\ntitle = "类别"\nweight = 5')
    cat = score(tmp_path, "2010-06-30").unit("a").categories[0]
    assert (cat.score, cat.max, cat.year_max) == (D("0"), D("1.67"), D("5"))
    # at the year end both are due: 0 of 5 (the whole weight), year maximum 5
    cat = score(tmp_path).unit("a").categories[0]
    assert (cat.score, cat.max, cat.year_max) == (D("0"), D("5"), D("5"))


def test_a_weight_is_shared_by_what_applies(tmp_path):
    # "annual" applies to unit b only: for a the year's raw maximum is the June 1 point, weighted to 5;
    # a files its June report → 1 × 5 / 1 = 5 of 5. Not applicable is not penalised (renormalised).
    indicators = TWO.replace("points = 2\nmonth = 12", 'points = 2\nmonth = 12\napplies_to = { units = ["b"] }')
    make_repo(
        tmp_path,
        indicators,
        category='id = "c"\ntitle = "类别"\nweight = 5',
        units=(("a", "county"), ("b", "county")),
        evidence={"a/h.md": evidence("half", satisfies='"report"')},
    )
    cat = score(tmp_path).unit("a").categories[0]
    assert (cat.score, cat.max, cat.year_max) == (D("5"), D("5"), D("5"))


RATE = """
[[indicator]]
id = "common"
target = "共同指标"
points = {common}

[[indicator.rule]]
id = "r"
kind = "fixed"
amount = 1
per_occurrence = true

[[indicator]]
id = "extra"
target = "只涉及部分单位的指标"
points = {extra}
applies_to = {{ units = [{extra_units}] }}

[[indicator.rule]]
id = "r"
kind = "fixed"
amount = 1
per_occurrence = true
"""


def lose(unit: str, indicator_id: str, n: int) -> str:
    return (
        f'[[finding]]\nid = "{unit}-{indicator_id}"\nindicator = "{indicator_id}"\nrule = "r"\nunit = "{unit}"\n'
        f'date = 2010-06-01\nreason = "扣分"\ncount = {n}\n\n'
    )


def test_rank_by_rate_compares_exact_fractions(tmp_path):
    # a and b: maximum 2 + 2 = 4; c and d: maximum 2 (extra applies to a and b only)
    # a loses 2 → 2/4 = 1/2; c loses 1 → 1/2: equal fractions tie (并列第1);
    # b loses 1 → 3/4 = 75 %; d loses 0 → 2/2 = 100 %.
    # By rate: d 1, b 2, a = c 3 (tied, rank 4 skipped). By total it would be b 3 first, a = d 2, c 1 last.
    units = (("a", "county"), ("b", "county"), ("c", "county"), ("d", "county"))
    make_repo(
        tmp_path,
        RATE.format(common=2, extra=2, extra_units='"a", "b"'),
        settings='rank_by = "rate"',
        units=units,
        findings={"f.toml": lose("a", "extra", 2) + lose("b", "common", 1) + lose("c", "common", 1)},
    )
    results = score(tmp_path)
    ranks = {u.id: (u.total, u.max, u.rate, u.rank, u.tied) for u in results.units}
    assert ranks == {
        "d": (D("2"), D("2"), D("100"), 1, False),
        "b": (D("3"), D("4"), D("75"), 2, False),
        "a": (D("2"), D("4"), D("50"), 3, True),
        "c": (D("1"), D("2"), D("50"), 3, True),
    }


def test_a_quota_reads_ties_by_rate_where_the_framework_ranks_by_rate(tmp_path):
    # a: 2 of 4 (extra applies to a only), c: 1 of 2: both 1/2 = 50 %, 并列第1 by rate though a has more points.
    # 优秀 from 50 %, 不超过1名, tied units all get it: a and c are tied across the one place, so both are 优秀
    # (compared by total, a (2) would take the place alone)
    grades = (
        '[[grade]]\ntitle = "优秀"\nmin_percent = 50\n\n[grade.quota]\ncount = 1\nties = "all"\n\n'
        '[[grade]]\ntitle = "合格"\nmin_percent = 0\n'
    )
    make_repo(
        tmp_path,
        RATE.format(common=2, extra=2, extra_units='"a"'),
        settings=f'rank_by = "rate"\n{grades}',
        units=(("a", "county"), ("c", "county")),
        findings={"f.toml": lose("a", "extra", 2) + lose("c", "common", 1)},
    )
    results = score(tmp_path)
    assert [(u.id, u.total, u.max, u.rank, u.grade) for u in results.units] == [
        ("a", D("2"), D("4"), 1, "优秀"),
        ("c", D("1"), D("2"), 1, "优秀"),
    ]
    assert (results.quotas[0].limit, results.quotas[0].granted) == (1, 2)


def test_rank_by_rate_separates_rates_that_print_alike(tmp_path):
    # a: maximum 20001 (20000 common + 1 extra), loses 306 → 19695/20001 = 98.4700765 % → prints 98.47
    # b: maximum 20000, loses 306 → 19694/20000 = 98.47 % exactly → prints 98.47
    # equal as printed, unequal as fractions: 19695 × 20000 = 393900000 > 19694 × 20001 = 393899694 → a first
    make_repo(
        tmp_path,
        RATE.format(common=20000, extra=1, extra_units='"a"'),
        settings='rank_by = "rate"',
        units=(("a", "county"), ("b", "county")),
        findings={"f.toml": lose("a", "common", 306) + lose("b", "common", 306)},
    )
    results = score(tmp_path)
    a, b = results.unit("a"), results.unit("b")
    assert (a.rate, b.rate) == (D("98.47"), D("98.47"))
    assert (a.rank, b.rank, a.tied, b.tied) == (1, 2, False, False)


def test_units_with_nothing_due_rank_after_every_rate(tmp_path):
    # as of 2010-05-31 nothing in TWO is due (months 6 and 12) for anyone: no rate, all share rank 1;
    # as of 2010-06-30 "half" is due: a filed it (1/1 = 100 %), b did not (0/1 = 0 %): a 1, b 2
    make_repo(
        tmp_path,
        TWO,
        settings='rank_by = "rate"',
        units=(("a", "county"), ("b", "county")),
        evidence={"a/h.md": evidence("half", "2010-06-10", satisfies='"report"')},
    )
    early = score(tmp_path, "2010-05-31")
    assert [(u.id, u.max, u.rate, u.rank, u.tied) for u in early.units] == [
        ("a", D("0"), None, 1, True),
        ("b", D("0"), None, 1, True),
    ]
    june = score(tmp_path, "2010-06-30")
    assert [(u.id, u.rate, u.rank) for u in june.units] == [("a", D("100"), 1), ("b", D("0"), 2)]


def test_every_status_is_named_as_readers_read_it(english):
    # the catalogue's names, in the default Chinese and in English; the JSON contract keeps the keys
    zh = {s: status_label(s, lang="zh") for s in STATUSES}
    assert zh == {
        "scored": "已评分",
        "not_applicable": "不适用",
        "not_due": "未到期",
        "vetoed": "否决",
        "unscored": "不计分",
    }
    assert status_label("not_due") == "not due"  # the run's language (english fixture)


def test_a_grade_shows_its_bands_short_note_and_only_a_short_one():
    # grade_label: a note of up to 8 characters is shown in brackets; a longer one (a sentence) only on
    # the pages that explain bands; no grade shows nothing
    results = Results(
        2014,
        "t",
        "测试",
        date(2014, 12, 31),
        [],
        band_notes={"优秀": "拟定示例", "良好": "八个字的说明文字", "合格": "九个字的一段说明文"},
    )
    assert results.grade_label(None) == ""
    assert results.grade_label("优秀") == "优秀（拟定示例）"
    assert results.grade_label("良好") == "良好（八个字的说明文字）"  # exactly 8: shown
    assert results.grade_label("合格") == "合格"  # 9: not shown
    assert results.grade_label("不合格") == "不合格"  # a band without a note
