"""`kaohe todo`: statuses, due dates and points at stake, computed by hand from the rules' wording.

The fixture is tests/fixtures/progress (framework `p`, year 2020): six indicators due in March,
June, July and December, four units. The points at stake of what is overdue or missing must equal
what `kaohe score --as-of` deducts for missing evidence, defined in :func:`missing_evidence`.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import icalendar
import pytest
from builders import evidence, make_repo
from conftest import FIXTURES, ROOT
from progress_support import missing_evidence

from generator.output import ics, todoout
from generator.output.jsonout import results_json
from generator.period import Period
from generator.score import score_assessment
from generator.source import Source
from generator.todo import (
    MISSING,
    Board,
    IndicatorProgress,
    Requirement,
    build_board,
    deadline,
    default_as_of,
    status_of,
)
from generator.workspace import open_year

PROGRESS = FIXTURES / "progress"
D = Decimal


def board_of(repo: Path, year: int, as_of: str, soon: int = 30) -> Board:
    _, a = open_year(str(repo), None, year)
    return build_board(a, date.fromisoformat(as_of), soon)


def requirement(board: Board, unit: str, indicator: str, key: str):
    u = next(u for u in board.units if u.id == unit)
    ind = next(i for i in u.indicators if i.id == indicator)
    return ind, next(r for r in ind.requirements if r.key == key)


def todo_missing(board: Board) -> dict[str, Decimal]:
    return {u.id: u.at_stake(*MISSING) for u in board.units}


# --- the fixture, as of 30 June 2020, by hand -----------------------------------------------------


def test_statuses_and_points_at_stake_on_30_june(kaohe):
    run = kaohe("--repo", str(PROGRESS), "todo", "--as-of", "2020-06-30", "--format", "json")
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert doc["as_of"] == "2020-06-30" and doc["today"] is None and doc["soon_days"] == 30
    got = {
        (u["id"], i["id"], r["key"]): (r["status"], r["at_stake"])
        for u in doc["units"]
        for i in u["indicators"]
        for r in i["requirements"]
    }
    # 东城 u1
    assert got[("u1", "a-01", "plan")] == ("met", "0")  # filed 02-10, due 03-31
    assert got[("u1", "a-01", "q1")] == ("met", "0")
    # a-02 due 06-30 (the day itself counts: the engine's is_due); 3 of 4 trainings: 1 × 0.25
    assert got[("u1", "a-02", "training")] == ("overdue", "0.25")
    # a-03 due 07-31, 31 days ahead (> 30): reported 88 %, 2 points under 90: 2 × 0.5 = 1
    assert got[("u1", "a-03", "rate")] == ("not_due", "1")
    # a-04 due 12-31: three registers × 0.3 = 0.9, the rule's cap 0.5: the first two deduct 0.3 + 0.2
    assert got[("u1", "a-04", "letters")] == ("not_due", "0.3")
    assert got[("u1", "a-04", "calls")] == ("not_due", "0.2")
    assert got[("u1", "a-04", "visits")] == ("not_due", "0")
    assert got[("u1", "a-05", "summary")] == ("overdue", "0.5")  # no summary, 0.5
    assert got[("u1", "a-06", "notice")] == ("overdue", "0.5")  # the rule says 0.5 …
    u1 = next(u for u in doc["units"] if u["id"] == "u1")
    a06 = next(i for i in u1["indicators"] if i["id"] == "a-06")
    assert a06["at_stake"] == "0.2"  # … the indicator has 0.2 points, 扣完为止
    a04 = next(i for i in u1["indicators"] if i["id"] == "a-04")
    assert a04["at_stake"] == "0.5" and a04["due"] == "2020-12-31" and a04["days_left"] == 184
    # 西城 u2: the q1 report is dated 07-01, after the as-of date: not counted yet
    assert got[("u2", "a-01", "q1")] == ("overdue", "0.3")
    assert got[("u2", "a-02", "training")] == ("met", "0")  # 2 + 2, the second dated 06-30 itself
    assert got[("u2", "a-03", "rate")] == ("not_due", "1.5")  # nothing reported: missing_amount 1.5
    # a-05 vetoed on 05-10: the summary is still missing, but filing it changes nothing
    assert got[("u2", "a-05", "summary")] == ("overdue", "0")
    a05 = next(i for i in next(u for u in doc["units"] if u["id"] == "u2")["indicators"] if i["id"] == "a-05")
    assert a05["vetoed"] is True and a05["at_stake"] == "0"
    # 办公室 k1: a-03 applies to counties only; no training at all: 4 × 0.25 = 1
    assert ("k1", "a-03", "rate") not in got
    assert got[("k1", "a-02", "training")] == ("overdue", "1")
    # summaries: u1 0.25 + 0.5 + 0.2 = 0.95 overdue (a-06's item says 0.5, but the row has only 0.2
    # to lose, 扣完为止); u2 0.3 (+ 0 vetoed); u3 nothing; k1 1
    summary = {u["id"]: u["summary"]["overdue"] for u in doc["units"]}
    assert summary == {
        "u1": {"count": 3, "at_stake": "0.95"},
        "u2": {"count": 2, "at_stake": "0.3"},
        "u3": {"count": 0, "at_stake": "0"},
        "k1": {"count": 1, "at_stake": "1"},
    }


def test_points_at_stake_equal_score_missing_evidence_deductions_on_the_fixture(kaohe):
    run = kaohe("--repo", str(PROGRESS), "score", "--year", "2020", "--as-of", "2020-06-30", "--format", "json")
    _, a = open_year(str(PROGRESS), None, 2020)
    deducted = missing_evidence(json.loads(run.out), a)
    # by hand: u1 a-02 0.25 + a-05 0.5 + a-06 0.5 − 0.3 (扣完为止: the row has 0.2 points) = 0.95;
    # u2 a-01 q1 0.3 (a-05 vetoed: no line); u3 0; k1 a-02 4 × 0.25 = 1
    assert deducted == {"u1": D("0.95"), "u2": D("0.3"), "u3": D(0), "k1": D(1)}
    assert todo_missing(board_of(PROGRESS, 2020, "2020-06-30")) == deducted


def test_equality_holds_on_every_day_of_the_fixture_year():
    _, a = open_year(str(PROGRESS), None, 2020)
    from generator.output.jsonout import results_json

    day = date(2020, 1, 1)
    while day.year == 2020:
        deducted = missing_evidence(json.loads(json.dumps(results_json(score_assessment(a, day)))), a)
        assert todo_missing(build_board(a, day)) == deducted, day
        day = date.fromordinal(day.toordinal() + 1)


@pytest.mark.parametrize(("decision", "expected"), [("撤销", D(0)), ("变更", D("0.1"))])
def test_an_appeal_decision_on_missing_items_is_what_is_at_stake(tmp_path, decision, expected):
    """docs/progress.md: the points at stake of 缺 requirements add up to what `score` deducts for missing
    evidence. In the appeals fixture unit a files none of the three reports of y (0.1 each: 0.3); a
    decision on its appeal against y/reports takes that to 0 (撤销) or to 0.1 on the first line (变更)."""
    from appeal_support import appeal, decided, repo
    from builders import load

    from generator.output.jsonout import results_json

    amount = "0.1" if decision == "变更" else ""
    text = appeal(
        target='indicator = "y"\nrule = "reports"', kind='kind = "复核"\n', decision=decided(decision, amount=amount)
    )
    repo(tmp_path, text)
    repository, _ = load(tmp_path)
    a = repository.assessments[2010]
    day = date(2010, 12, 31)
    deducted = missing_evidence(json.loads(json.dumps(results_json(score_assessment(a, day)))), a)
    assert deducted == {"a": expected}
    board = build_board(a, day)
    assert todo_missing(board) == deducted
    y = next(i for i in board.units[0].indicators if i.id == "y")
    assert y.at_stake == expected


@pytest.mark.parametrize("year", [2010, 2014])
def test_equality_holds_at_every_month_end_of_the_shipped_years(year):
    _, a = open_year(str(ROOT), None, year)
    from generator.output.jsonout import results_json
    from generator.todo import month_end

    nonzero = 0
    for month in range(1, 13):
        day = month_end(year, month)
        # 2014 is assessed per quarter and its requirement rules are all in quarterly tables: the board
        # is the quarter holding the day, so is the score compared (the year weights each quarter 0.25)
        quarter = Period.quarter(year, (month - 1) // 3 + 1) if a.framework.period else None
        deducted = missing_evidence(json.loads(json.dumps(results_json(score_assessment(a, day, period=quarter)))), a)
        assert todo_missing(build_board(a, day)) == deducted, day
        nonzero += any(deducted.values())
    assert nonzero >= 1  # the comparison is not between zeros only


def test_shipped_2010_as_of_30_june_lists_a_county_and_matches_score(kaohe):
    run = kaohe(
        "--repo", str(ROOT), "todo", "--year", "2010", "--as-of", "2010-06-30", "--unit", "zhenfeng", "--format", "json"
    )
    doc = json.loads(run.out)
    [unit] = doc["units"]
    reqs = [(i, r) for i in unit["indicators"] for r in i["requirements"]]
    # The earliest completion month of the 2010 rules is September (一.2 自查报告): nothing is due by June
    assert {r["status"] for _, r in reqs} <= {"met", "not_due"}
    df02 = next(r for i, r in reqs if i["id"] == "df-02")
    assert (df02["status"], df02["at_stake"]) == ("not_due", "0.2")  # 无自查报告扣0.2分
    # the document prints no month for 二.2; the framework reads December and says why
    interpreted = {i["id"]: i["due_interpreted"] for i in unit["indicators"]}
    assert interpreted["bz-02"] == "按年底计：细则未列完成月份，按年底（12月）考核" and interpreted["df-02"] == ""
    df03 = {r["key"]: r for i, r in reqs if i["id"] == "df-03"}
    # one education record (two sessions) filed by 06-28: 4 − 2 = 2 missing × 0.1; no lecture yet: 2 × 0.1
    assert df03["education"]["at_stake"] == "0.2" and len(df03["education"]["filed"]) == 1
    assert df03["lecture"]["at_stake"] == "0.2" and df03["lecture"]["filed"] == []
    score = kaohe("--repo", str(ROOT), "score", "--year", "2010", "--as-of", "2010-06-30", "--format", "json")
    _, a = open_year(str(ROOT), None, 2010)
    assert missing_evidence(json.loads(score.out), a)["zhenfeng"] == D(unit["summary"]["overdue"]["at_stake"]) == 0
    # Three months later the self-inspection report (filed in November) is overdue, as the year's README says
    later = json.loads(
        kaohe(
            "--repo",
            str(ROOT),
            "todo",
            "--year",
            "2010",
            "--as-of",
            "2010-09-30",
            "--unit",
            "zhenfeng",
            "--format",
            "json",
        ).out
    )
    df02 = next(r for i in later["units"][0]["indicators"] if i["id"] == "df-02" for r in i["requirements"])
    assert (df02["status"], df02["at_stake"]) == ("overdue", "0.2")


def test_a_unit_total_counts_no_more_than_a_row_has_to_lose(tmp_path):
    """三.3 (10 points) deducts 10 for a missing 交办案件记录 and 10 for a missing 处理结果, 扣完为止:
    安龙 without its one 三.3 file loses 10 there, not 20. The rows stand at 10 each on the board, the
    indicator at 10, and the unit's 缺 total (the site's 逾期扣分) must be what the score loses."""
    repo = tmp_path / "repo"
    for part in ("frameworks/qianxinan-qts-2010", "evidence/2010"):
        shutil.copytree(ROOT / part, repo / part)
    (repo / "evidence/2010/anlong/zf-03-2010-12-14-jiaoban-anjian.md").unlink()
    _, a = open_year(str(repo), None, 2010)
    day = date(2010, 12, 31)
    board = build_board(a, day, units=["anlong"])
    zf03, record = requirement(board, "anlong", "zf-03", "record")
    _, result = requirement(board, "anlong", "zf-03", "result")
    assert (record.status, record.at_stake, result.at_stake, zf03.at_stake) == ("missing", 10, 10, 10)
    # with 一.9 (3 articles, 2 filed, none in 《黔质新风》: max(3 − 2, 1 − 0) = 1 × 0.2): 10 + 0.2, as the
    # score loses for missing evidence (before the fix the board said 20 + 0.2)
    assert board.units[0].at_stake(*MISSING) == D("10.2")
    doc = json.loads(json.dumps(results_json(score_assessment(a, day))))
    anlong = next(u for u in doc["units"] if u["id"] == "anlong")
    assert next(i for i in anlong["indicators"] if i["id"] == "zf-03")["score"] == "0"  # 10 − 10
    assert missing_evidence(doc, a)["anlong"] == D("10.2")


def test_a_bound_row_counts_the_missing_requirement_before_the_one_below_its_figure():
    """Row of 10 points, 扣完为止: the first requirement is below its figure (5 at stake), the second
    missing (10 at stake); the row loses 10 in all. What is missing is counted first: 10 for the
    missing one, 10 − 10 = 0 left for the one below (in file order it would be 5 and 5)."""
    below = Requirement("a", "甲", "r", "count", "below", D(5), "")
    missing = Requirement("b", "乙", "r", "checklist", "missing", D(10), "")
    row = IndicatorProgress(
        "x-01",
        "1",
        "行",
        "c",
        "类",
        None,
        None,
        None,
        "",
        Source(path="f.toml"),
        "2010",
        D(10),
        False,
        [below, missing],
    )
    assert row.shares() == [(below, D(0)), (missing, D(10))]


# --- boundaries -----------------------------------------------------------------------------------


def test_due_soon_window_is_inclusive():
    # a-03 is due 07-31; on 06-30 that is 31 days ahead
    _, req = requirement(board_of(PROGRESS, 2020, "2020-06-30", soon=30), "u1", "a-03", "rate")
    assert req.status == "not_due"
    _, req = requirement(board_of(PROGRESS, 2020, "2020-06-30", soon=31), "u1", "a-03", "rate")
    assert req.status == "due_soon"


def test_the_due_day_itself_is_overdue_and_the_day_before_is_not():
    ind, req = requirement(board_of(PROGRESS, 2020, "2020-06-29"), "u1", "a-02", "training")
    assert (req.status, ind.days_left) == ("due_soon", 1)
    ind, req = requirement(board_of(PROGRESS, 2020, "2020-06-30"), "u1", "a-02", "training")
    assert (req.status, ind.days_left) == ("overdue", 0)


def test_evidence_counts_from_its_date():
    _, req = requirement(board_of(PROGRESS, 2020, "2020-06-30"), "u2", "a-01", "q1")
    assert req.status == "overdue" and req.filed == []
    _, req = requirement(board_of(PROGRESS, 2020, "2020-07-01"), "u2", "a-01", "q1")
    assert req.status == "met" and [f.path for f in req.filed] == ["evidence/2020/u2/a-01-2020-07-01-q1.md"]


def test_at_the_year_end_unmet_requirements_are_missing():
    board = board_of(PROGRESS, 2020, "2020-12-31")
    assert requirement(board, "u2", "a-03", "rate")[1].status == "missing"  # never reported: 1.5
    assert requirement(board, "u2", "a-03", "rate")[1].at_stake == D("1.5")
    # u1 reported 88 % and nothing later: filed, below the threshold — not missing evidence
    _, rate = requirement(board, "u1", "a-03", "rate")
    assert (rate.status, rate.at_stake) == ("below", D(1))
    assert requirement(board, "u1", "a-02", "training")[1].status == "met"  # 3 + 1 (filed 09-10)
    assert requirement(board, "u3", "a-03", "rate")[1].status == "below"  # 85 %: 5 × 0.5 = 2.5
    assert requirement(board, "u3", "a-03", "rate")[1].at_stake == D("2.5")


def test_status_rule_table():
    june = date(2020, 6, 30)
    assert status_of(True, False, date(2020, 3, 31), june, 30) == "met"
    year = Period.whole_year(2020)  # no month: due at the period's end, 31 December
    assert status_of(False, False, deadline(None, year), june, 30) == "not_due"  # 184 days ahead
    assert status_of(False, False, deadline(None, year), date(2020, 12, 31), 30) == "missing"
    assert status_of(False, True, date(2020, 6, 30), june, 30) == "below"
    assert status_of(False, True, date(2020, 7, 30), june, 30) == "due_soon"  # below, but not due yet
    assert status_of(False, False, date(2020, 7, 30), june, 30) == "due_soon"  # 30 days
    assert status_of(False, False, date(2020, 7, 31), june, 30) == "not_due"  # 31 days
    assert status_of(False, False, date(2020, 6, 30), june, 0) == "overdue"


def test_default_as_of_is_today_held_inside_the_year():
    assert default_as_of(2020, date(2020, 5, 17)) == date(2020, 5, 17)
    assert default_as_of(2020, date(2026, 1, 1)) == date(2020, 12, 31)
    assert default_as_of(2020, date(2019, 12, 31)) == date(2020, 1, 1)


def test_without_as_of_a_past_year_is_seen_at_its_end_and_says_so(kaohe):
    run = kaohe("--repo", str(PROGRESS), "todo", "--year", "2020", "--unit", "u1")
    assert run.code == 0, run.err
    assert "按年底 2020-12-31 计" in run.out
    assert "东城县局" in run.out and "〔u1〕" in run.out
    doc = json.loads(kaohe("--repo", str(PROGRESS), "todo", "--year", "2020", "--format", "json").out)
    assert doc["as_of"] == "2020-12-31" and doc["today"] == date.today().isoformat()


def test_as_of_picks_its_year(kaohe):
    doc = json.loads(kaohe("--repo", str(PROGRESS), "todo", "--as-of", "2020-03-01", "--format", "json").out)
    assert doc["year"] == 2020  # not the latest year (2021)


def test_a_unit_named_without_a_year_is_shown_in_the_latest_year_that_has_it(kaohe):
    """The shipped years: 2010 and 2011 list 兴仁 (xingren), 2014 (the latest, another framework) does
    not. `--unit xingren` alone refused with 2014's unit ids; a clerk of 兴仁 wants its last year, 2011,
    and one line on stderr saying so (stdout stays the board, a JSON document here)."""
    run = kaohe("--repo", str(ROOT), "todo", "--unit", "xingren", "--format", "json")
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert doc["year"] == 2011 and [u["id"] for u in doc["units"]] == ["xingren"]
    assert (
        run.err == "kaohe todo: 最新的 2014 年度没有单位“xingren”，按有它的最新年度 2011 列出（其他年度：加 --year）\n"
    )


def test_a_unit_absent_from_the_year_asked_says_which_years_have_it(kaohe):
    run = kaohe("--repo", str(ROOT), "todo", "--year", "2014", "--unit", "xingren")
    assert run.code == 1
    assert (
        "2014 年度没有单位“xingren”（提示：单位“xingren”见于 2010、2011 年度：查看它最新的年度，加 --year 2011）"
        in run.err
    )
    assert "bgs" not in run.err  # not 2014's unit ids
    # a unit of no year: still refused, with the closest id of any year's units (xingren is not in 2014)
    run = kaohe("--repo", str(ROOT), "todo", "--unit", "xingrn")
    assert run.code == 1 and "2014 年度没有单位“xingrn”（提示：是否应为“xingren”？）" in run.err


#: 党风廉政建设第9项 of 2010 (df-09): 3 articles (篇) or more, one of them in 《黔质新风》, 0.2 a missing one.
NEWS = """
[[indicator]]
id = "news"
target = "新闻信息3篇(条)以上(其中《黔质新风》1篇以上)"
points = 0.6
month = 12

[[indicator.rule]]
id = "news"
kind = "count"
key = "news"
name = "新闻信息"
required = 3
amount = 0.2
measure = "篇"
of_which = [{ key = "qzxf", name = "《黔质新风》刊发稿件", required = 1 }]
"""


def news_files() -> dict[str, str]:
    """Unit a: articles in files of 2 and 1, none in 《黔质新风》; unit b: the same and a file of 2 there."""
    return {
        "a/n1.md": evidence("news", "2010-04-20", satisfies='["news"]', count="2"),
        "a/n2.md": evidence("news", "2010-05-01", satisfies='["news"]'),
        "b/n1.md": evidence("news", "2010-04-20", satisfies='["news"]', count="2"),
        "b/n2.md": evidence("news", "2010-05-01", satisfies='["news"]'),
        "b/n3.md": evidence("news", "2010-08-16", satisfies='["qzxf"]', count="2"),
    }


def test_a_count_shows_what_its_rule_counts_in_its_measure_word(tmp_path, kaohe):
    """A count adds the files' `count`s: the board said 已报 N 件, the number of files, beside a rule that
    counts articles. Unit a: a file of 2 articles and one of 1, none in 《黔质新风》: 2 + 1 = 3 篇 of 3,
    but max(3 − 3, 1 − 0) = 1 missing: 1 × 0.2 = 0.2 at stake, "已报 3 篇" (not 2 件). Unit b: 2 + 1
    and a file of 2 in 《黔质新风》: 2 + 1 + 2 = 5 篇, of which 2 ≥ 1: met, "已报 5 篇，已满足" (not 3 件)."""
    make_repo(tmp_path, NEWS, units=(("a", "county"), ("b", "county")), evidence=news_files())
    run = kaohe("--repo", str(tmp_path), "todo", "--as-of", "2010-12-31")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    a = next(x for x in lines if x.strip().startswith("新闻信息  失0.2分"))
    assert "已报 3 篇" in a and "件" not in a, a
    b = next(x for x in lines if x.strip().startswith("新闻信息  不失分"))
    assert "已报 5 篇，已满足" in b and "件" not in b, b
    assert run.out.count("（2篇）") == 3  # each file of 2 says so, so that the files add up to the figure
    doc = json.loads(kaohe("--repo", str(tmp_path), "todo", "--as-of", "2010-12-31", "--format", "json").out)
    counted = {u["id"]: u["indicators"][0]["requirements"][0] for u in doc["units"]}
    assert (counted["a"]["counted"], counted["a"]["measure"], counted["b"]["counted"]) == (3, "篇", 5)


def test_the_calendar_gives_a_count_the_figure_the_text_gives(tmp_path, kaohe):
    """The text says 已报 3 篇 beside a count; the calendar's DESCRIPTION listed the files without the
    total. Unit a: files of 2 and 1 article, none in 《黔质新风》: 2 + 1 = 3 篇, max(3 − 3, 1 − 0) = 1
    missing × 0.2 = 0.2 at stake. Unit b: 2 + 1 + 2 = 5 篇, 2 of them in 《黔质新风》 ≥ 1: met."""
    make_repo(tmp_path, NEWS, units=(("a", "county"), ("b", "county")), evidence=news_files())
    run = kaohe("--repo", str(tmp_path), "todo", "--as-of", "2010-12-31", "--format", "ics")
    assert run.code == 0, run.err
    described = {
        str(t["UID"]).split("/")[1]: str(t["DESCRIPTION"]).split("\n") for t in parse_calendar(run.out).walk("VTODO")
    }
    assert described["a"][-3] == "已报 3 篇", described["a"]
    assert described["b"][-4] == "已报 5 篇，已满足", described["b"]
    # each (untitled) file of 2 says so, as in the text, so that the files add up: 2 + 1 and 2 + 1 + 2
    assert sum(line.endswith("（未填标题，2篇）") for line in described["a"] + described["b"]) == 3


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_refusals(kaohe):
    run = kaohe("--repo", str(PROGRESS), "todo", "--year", "2020", "--as-of", "2021-01-01")
    assert run.code == 1 and "outside the assessment year 2020" in run.err and "Traceback" not in run.err
    run = kaohe("--repo", str(PROGRESS), "todo", "--year", "2020", "--unit", "u9")
    assert run.code == 1 and "unknown unit 'u9'" in run.err
    run = kaohe("--repo", str(PROGRESS), "todo", "--year", "2019")
    assert run.code == 1 and "no assessment for 2019" in run.err
    with pytest.raises(SystemExit) as exc:
        kaohe("--repo", str(PROGRESS), "todo", "--soon", "-1")
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("zh", ["只列出这个单位的进度", "text：供阅读的进度表（用界面语言）", "照常列出进度"], ["只评", "中文进度表"]),
        ("en", ["only this unit's progress", "in the interface language", "show the board"], ["score without"]),
    ],
)
def test_help_says_what_todo_does(kaohe, capsys, lang, said, not_said):
    """`kaohe todo --help` said 只评这个单位 (score's words: todo scores nothing), called the text format
    中文进度表 (it is in the interface language: English with --lang en), and named the units.toml key
    filing_deadlines in --no-filing-dates, which a clerk does not write."""
    with pytest.raises(SystemExit) as exc:
        kaohe("--lang", lang, "todo", "--help")
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for words in said:
        assert words in text, words
    for words in [*not_said, "filing_deadlines"]:
        assert words not in text, words


# --- output ---------------------------------------------------------------------------------------


def test_text_names_statuses_in_chinese_and_keeps_ids_to_the_reference(kaohe):
    out = kaohe("--repo", str(PROGRESS), "todo", "--as-of", "2020-06-30", "--unit", "u1").out
    assert "已逾期 3 项，0.95 分" in out
    assert "【已逾期】" in out and "【未到期】" in out and "【已满足】" in out
    assert "本项扣完为止：以上各项合计至多扣0.2分" in out
    line = next(x for x in out.splitlines() if "业务培训" in x and "失0.25分" in x)
    assert line.rstrip().endswith("〔training · training〕")


def with_unit_name(tmp_path: Path, name: str) -> Path:
    repo = tmp_path / "progress"
    shutil.copytree(PROGRESS, repo)
    units = repo / "evidence/2020/units.toml"
    units.write_text(units.read_text().replace('name = "东城县局"', f"name = {json.dumps(name, ensure_ascii=False)}"))
    return repo


def hostile_board() -> Board:
    """A board whose values hold what input refuses today (a newline, ESC, a bidi override): output
    must not rely on that refusal."""
    board = board_of(PROGRESS, 2020, "2020-06-30")
    unit = board.units[0]
    unit.name = "东城县局\n第二行\x1b[31m\u202e"
    ind, req = unit.requirements()[0]
    ind.title = "计划\r\n伪造"
    req.name = "年度\x00计划"
    req.filed[0].title = "标题\x1b]8;;http://x\x07"
    return board


def test_text_shows_control_characters_as_escapes():
    out = todoout.text(hostile_board())
    assert not any(c in out for c in "\x1b\x00\r\u202e\x07")
    assert "东城县局\\n第二行\\x1b[31m\\u202e" in out
    assert "计划\\r\\n伪造" in out and "年度\\x00计划" in out


def parse_calendar(text: str) -> icalendar.Calendar:
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return icalendar.Calendar.from_ical(text)


def test_ics_is_valid_icalendar_with_stable_uids(kaohe):
    text = kaohe("--repo", str(PROGRESS), "todo", "--as-of", "2020-06-30", "--format", "ics").out
    cal = parse_calendar(text)
    todos = list(cal.walk("VTODO"))
    board = board_of(PROGRESS, 2020, "2020-06-30")
    assert len(todos) == sum(len(u.requirements()) for u in board.units) == 35
    uids = [str(t["UID"]) for t in todos]
    assert len(set(uids)) == len(uids)
    training = next(t for t in todos if str(t["UID"]) == "2020/u1/a-02/training/training@p.kaohe")
    assert training.decoded("DUE") == date(2020, 6, 30)
    assert str(training["STATUS"]) == "NEEDS-ACTION" and str(training["X-KAOHE-STATUS"]) == "overdue"
    assert str(training["X-KAOHE-AT-STAKE"]) == "0.25"
    assert str(training["SUMMARY"]) == "东城县局：业务培训（已逾期）"
    assert "业务培训应4次，实有3次，缺1次" in str(training["DESCRIPTION"])
    plan = next(t for t in todos if str(t["UID"]) == "2020/u1/a-01/plans/plan@p.kaohe")
    assert str(plan["STATUS"]) == "COMPLETED"
    later = parse_calendar(kaohe("--repo", str(PROGRESS), "todo", "--as-of", "2020-12-31", "--format", "ics").out)
    assert sorted(str(t["UID"]) for t in later.walk("VTODO")) == sorted(uids)  # same to-dos, updated


def test_ics_description_is_chinese_words_without_ids_or_paths(kaohe, tmp_path):
    """A calendar shows DESCRIPTION to the clerk: it ended with 〔a-02 · training · training〕 and named a
    document without a title by its path (evidence/2020/u1/….md). Now it says, in Chinese only, the
    indicator's seq and title, the requirement and its status, the shortfall, the due date and the
    points at stake; the ids stay in UID and X-KAOHE-REF, which a calendar does not display."""
    repo = tmp_path / "progress"
    shutil.copytree(PROGRESS, repo)
    untitled = repo / "evidence/2020/u1/a-02-2020-05-20-training.md"
    untitled.write_text(untitled.read_text(encoding="utf-8").replace('title = "东城县局业务培训记录（三次）"\n', ""))
    run = kaohe("--repo", str(repo), "todo", "--as-of", "2020-06-30", "--format", "ics")
    assert run.code == 0, run.err
    todos = list(parse_calendar(run.out).walk("VTODO"))
    assert len(todos) == 35
    for todo in todos:
        described = str(todo["DESCRIPTION"])
        # the fixture's titles are all Chinese: any Latin letter, 〔 or "/" is an id, a key or a path
        assert not any(c.isascii() and c.isalpha() for c in described), described
        assert "〔" not in described and "/" not in described, described
    training = next(t for t in todos if str(t["UID"]) == "2020/u1/a-02/training/training@p.kaohe")
    # 4 trainings required by 30 June, 3 filed (count = 3): 1 short × 0.25 = 0.25 at stake. A count gives
    # the figure the text gives (已报 3 次, the files' counts added up: one file of 3), and its file of
    # more than one says how many (3次); before, the calendar listed the file alone, without the total
    assert str(training["DESCRIPTION"]).split("\n") == [
        "指标：业务培训（报告工作第2项）",
        "事项：业务培训（已逾期）",
        "业务培训应4次，实有3次，缺1次",
        "2020-06-30到期，即计分日当天",
        "失0.25分",
        "已报 3 次",
        "已报：2020-05-20的一件材料（未填标题，3次）",
    ]
    assert str(training["X-KAOHE-REF"]) == "a-02/training/training"
    # 西城县局's 一季度工作报告 (the checklist item's 0.3; due 31 March, 91 days before 30 June: 30 + 31 + 30):
    # nothing filed, and the description says so
    q1 = next(t for t in todos if str(t["UID"]) == "2020/u2/a-01/plans/q1@p.kaohe")
    assert str(q1["DESCRIPTION"]).split("\n") == [
        "指标：年度计划与一季度报告（报告工作第1项）",
        "事项：一季度工作报告（已逾期）",
        "2020-03-31到期，已过91天",
        "失0.3分",
        "未报材料",
    ]


def test_ics_escapes_text_values(kaohe, tmp_path):
    repo = with_unit_name(tmp_path, "东城县局,甲;乙\\丙")  # accepted by input, special to iCalendar
    run = kaohe("--repo", str(repo), "todo", "--as-of", "2020-06-30", "--unit", "u1", "--format", "ics")
    assert run.code == 0, run.err
    assert "SUMMARY:东城县局\\,甲\\;乙\\\\丙：" in run.out
    todo = next(iter(parse_calendar(run.out).walk("VTODO")))
    assert str(todo["SUMMARY"]).startswith("东城县局,甲;乙\\丙：")
    text = todoout.to_ics(hostile_board())
    todo = next(iter(parse_calendar(text).walk("VTODO")))
    assert str(todo["SUMMARY"]).startswith("东城县局\\n第二行\\x1b[31m\\u202e：")
    assert "\x1b" not in text and "\x00" not in text


def test_ics_folding_never_splits_a_character():
    line = "SUMMARY:" + "一" * 40 + "ab" + "二" * 40
    folded = ics.fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 - (n > 0) for n, p in enumerate(pieces))
    assert "".join(pieces) == line
    assert ics.fold("x" * 75) == "x" * 75  # exactly 75 octets: not folded
    assert ics.fold("x" * 76) == "x" * 75 + "\r\n x"
    assert ics.text("a,b;c\\d", "e\nf") == "a\\,b\\;c\\\\d\\ne\\\\nf"


def test_a_requirement_due_on_the_scoring_day_does_not_say_today():
    """After the year, todo counts to its last day: "2011-12-31到期（今天）" read as if it were today."""
    from types import SimpleNamespace

    from generator.output.todoout import due_text

    ind = SimpleNamespace(due=date(2011, 12, 31), days_left=0, due_interpreted="")
    assert due_text(ind) == "2011-12-31到期，即计分日当天"


def test_a_due_date_the_framework_reads_says_so_once(kaohe):
    """Shipped 2010, 标准、认证监管工作第2项 (bz-02): the document prints no month, the framework reads
    December, its reason "按年底计：细则未列完成月份，按年底（12月）考核". The due column said
    2010-12-31到期（计分日当天）（按年底计：细则未列完成月份，按年底（12月）考核）: two brackets, and 按年底
    twice beside the date that is the year's end. The reason's lead (its tag, 按年底计) goes: the date
    stands for it."""
    out = kaohe("--repo", str(ROOT), "todo", "--year", "2010", "--unit", "xingren", "--as-of", "2010-12-31").out
    line = next(x for x in out.splitlines() if x.rstrip().endswith("〔bz-02〕"))
    due = line.split("  ")[-2]
    assert due == "2010-12-31到期，即计分日当天（细则未列完成月份，按年底（12月）考核）", due
    out = kaohe("--repo", str(ROOT), "todo", "--year", "2010", "--unit", "xingren", "--as-of", "2010-06-30").out
    line = next(x for x in out.splitlines() if x.rstrip().endswith("〔bz-02〕"))
    # 30 June to 31 December: 31 + 31 + 30 + 31 + 30 + 31 = 184 days
    assert line.split("  ")[-2] == "2010-12-31到期，还有184天（细则未列完成月份，按年底（12月）考核）"


def test_each_quarters_requirement_is_a_to_do_of_its_own(kaohe):
    """2014's 管理绩效 is assessed per quarter: 办公室's 政务信息 (gl-01, 2 items a quarter) is due on
    31 March for the first quarter (met: filed 02-18 and 03-20) and on 30 June for the second. The
    second quarter's to-do must not carry the first's UID, or a bot (or a calendar importing both
    files) reopens the completed first-quarter to-do and loses it; within a quarter the UID stays."""

    def gl01(as_of: str) -> icalendar.Todo:
        run = kaohe("--repo", str(ROOT), "todo", "--as-of", as_of, "--unit", "bgs", "--format", "ics")
        assert run.code == 0, run.err
        return next(t for t in parse_calendar(run.out).walk("VTODO") if "/gl-01/" in str(t["UID"]))

    q1, q1_again, q2 = gl01("2014-03-31"), gl01("2014-03-01"), gl01("2014-04-01")
    assert (q1.decoded("DUE"), str(q1["STATUS"])) == (date(2014, 3, 31), "COMPLETED")
    assert (q2.decoded("DUE"), str(q2["STATUS"])) == (date(2014, 6, 30), "NEEDS-ACTION")
    assert str(q1["UID"]) == str(q1_again["UID"]) == "2014-Q1/bgs/gl-01/info/info@liaoyang-ciq-2014.kaohe"
    assert str(q2["UID"]) == "2014-Q2/bgs/gl-01/info/info@liaoyang-ciq-2014.kaohe"
    doc = json.loads(kaohe("--repo", str(ROOT), "todo", "--as-of", "2014-04-01", "--format", "json").out)
    assert {i["period"] for u in doc["units"] for i in u["indicators"]} == {"2014-Q2"}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # 2011 is not a leap year: February has 28 days; 2012 is (2012 ÷ 4 = 503): 29
        ("2011-02-29", ("cli.no-such-day", {"value": "2011-02-29", "year": 2011, "month": 2, "days": 28})),
        ("2012-02-30", ("cli.no-such-day", {"value": "2012-02-30", "year": 2012, "month": 2, "days": 29})),
        ("2011-06-31", ("cli.no-such-day", {"value": "2011-06-31", "year": 2011, "month": 6, "days": 30})),
        ("2011-13-01", ("cli.not-a-date", {"value": "2011-13-01"})),  # no 13th month: not a date at all
        # no year 0 either: it said "0年1月只有31天" of the 1st of January, which it has
        ("0000-01-01", ("cli.not-a-date", {"value": "0000-01-01"})),
        ("2011/06/30", ("cli.not-a-date", {"value": "2011/06/30"})),
    ],
)
def test_an_as_of_day_the_calendar_lacks_is_named_as_such(capsys, written, expected):
    """`--as-of 2011-02-29` said "请写作 YYYY-MM-DD", though it is written so: the day is what is wrong."""
    from generator.cli import main
    from generator.messages import tr

    with pytest.raises(SystemExit) as exc:
        main(["todo", "--year", "2011", "--as-of", written])
    assert exc.value.code == 2  # argparse's usage error
    code, values = expected
    err = capsys.readouterr().err
    assert tr(code, **values) in err, err


def test_a_row_without_a_seq_is_named_without_one(kaohe):
    """表九 of the 2010 rules prints no 序号 (九's rows have seq ""): the board, the calendar and the
    review name such a row by its table, never "依法行政工作第项"."""
    args = ("--repo", str(ROOT), "todo", "--year", "2010", "--unit", "anlong", "--as-of", "2010-12-31")
    text = kaohe(*args).out
    calendar = kaohe(*args, "--format", "ics").out.replace("\r\n ", "")  # unfolded
    review = kaohe("--repo", str(ROOT), "review", "--year", "2010").out
    for out in (text, calendar, review):
        assert "第项" not in out
    assert "开展行政处罚案卷评查:（依法行政工作）" in text
    assert "指标：开展行政处罚案卷评查:（依法行政工作）" in calendar
    assert "依法行政工作 开展行政处罚案卷评查:" in review
    assert "（党风廉政建设工作第2项）" in text  # a row with a 序号 keeps it


def test_an_earned_rows_bound_is_not_called_kou_wan_wei_zhi(tmp_path, kaohe):
    """u1's a-06 (0.2 points) with its checklist of one 情况通报 worth 0.5, read 得分制 (method = "earned"):
    a 得分制 row deducts nothing, so "本项扣完为止：…至多扣0.2分" is not what its rules say; it loses at most
    its 0.2 points not earned: min(0.5, 0.2) = 0.2, "至多未得0.2分". The note ended "至多失0.2分" while the
    row's requirement itself said 未得0.5分: a 得分制 row says 未得 throughout, in both catalogues."""
    repo = tmp_path / "progress"
    shutil.copytree(PROGRESS, repo)
    table = repo / "frameworks/p/01-baogao.toml"
    text = table.read_text()
    table.write_text(text.replace("points = 0.2\nmonth = 6\n", 'points = 0.2\nmonth = 6\nmethod = "earned"\n', 1))
    assert 'method = "earned"' in table.read_text()
    out = kaohe("--repo", str(repo), "todo", "--as-of", "2020-06-30", "--unit", "u1").out
    assert "本项得分制，至多全项未得：以上各项合计至多未得0.2分" in out
    assert "本项扣完为止" not in out and "至多失" not in out
    english = kaohe("--repo", str(repo), "--lang", "en", "todo", "--as-of", "2020-06-30", "--unit", "u1").out
    assert "together the above leave at most 0.2 points not earned" in english
    assert "lose at most" not in english and "deduct at most" not in english


def test_an_earned_rows_requirement_says_not_earned_as_score_does(kaohe):
    """Shipped 2010, 兴仁: 标准、认证监管工作第2项 (bz-02) is 得分制 (its category's method = "earned"),
    its 工作总结 worth 2 points, not filed. `kaohe score` says 未得分：无工作总结（未得2分）; the board said
    失2分 for the same rule. Nothing filed: the whole 2 points are not earned."""
    score = kaohe("--repo", str(ROOT), "score", "--year", "2010", "--unit", "xingren", "--detail").out
    assert "未得分：无工作总结（未得2分）" in score
    out = kaohe("--repo", str(ROOT), "todo", "--year", "2010", "--unit", "xingren", "--as-of", "2010-12-31").out
    line = next(x for x in out.splitlines() if "〔ccc · summary〕" in x)
    assert line.split() == ["工作总结", "未得2分", "未报材料", "〔ccc", "·", "summary〕"]
    # a 扣分 row keeps 失: 执法打假工作第4项's 结案率, 0.1 under its threshold
    assert "结案率  失0.1分" in out


#: A row the framework leaves without a completion month (a 0.5-point 工作总结).
NO_MONTH = """
[[indicator]]
id = "x"
target = "报送工作总结"
points = 0.5

[[indicator.rule]]
id = "summary"
kind = "checklist"
items = [{ key = "summary", name = "工作总结", amount = 0.5 }]
"""


def test_a_row_without_a_month_says_when_it_counts(tmp_path, kaohe):
    """A row without a completion month: its due column said 全年有效，随时计分, which read as "nothing
    to do, ever"; it names the cutoff at which an unmet row loses its points."""
    make_repo(
        tmp_path,
        NO_MONTH,
    )
    run = kaohe("--repo", str(tmp_path), "todo", "--as-of", "2010-06-30")
    assert run.code == 0, run.err
    assert "未列完成月份：随时计分，未满足的按截至日失分" in run.out and "全年有效" not in run.out


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        # the year 2010 is the period; its last day, 31 December, is the 截至日 of a row without a month
        ("2010-06-30", "未到期"),  # 31.12 − 30.6 = 184 days ahead, more than --soon's 30
        ("2010-12-01", "即将到期"),  # 31.12 − 1.12 = 30 days: inside the window (inclusive)
        ("2010-12-30", "即将到期"),  # the day before the cutoff: 1 day ahead, not overdue
        ("2010-12-31", "缺"),  # the day of the cutoff: unmet at the year's end, the final score deducts it
        (None, "缺"),  # the day after: today (2011 or later) is held at 2010-12-31, the cutoff itself
    ],
)
def test_a_row_without_a_month_is_overdue_only_from_the_periods_cutoff(tmp_path, kaohe, as_of, status):
    """A row the framework leaves without a completion month (scored at the cutoff, 31 December for a
    year) said 已逾期 all year, though no month had passed; a clerk read it as a missed deadline."""
    make_repo(
        tmp_path,
        NO_MONTH,
    )
    dated = ["--as-of", as_of] if as_of else []
    run = kaohe("--repo", str(tmp_path), "todo", "--year", "2010", *dated)
    assert run.code == 0, run.err
    assert f"【{status}】" in run.out and run.out.count("【") == 1, run.out
    assert "未列完成月份：随时计分，未满足的按截至日失分" in run.out
    assert "失0.5分" in run.out  # what is at stake is the same on every day: the summary's 0.5
