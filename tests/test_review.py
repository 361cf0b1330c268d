"""`kaohe review`: every figure of the indicator review computed by hand on tests/fixtures/progress.

Year-end scores of the fixture (2020), from the rules' wording:
  东城 u1: a-01 1, a-02 2 (3 + 1 trainings), a-03 3 − 2 × 0.5 = 2 (88 %), a-04 1, a-05 2 − 0.5 = 1.5
           (no summary), a-06 0.2 − 0.5 → 0 (扣完为止)                              total 7.5, rank 1
  南城 u3: 1, 2, 3 − 5 × 0.5 = 0.5 (85 %), 1, 2 − 0.4 = 1.6 (late task), 0.2      total 6.3, rank 2
  西城 u2: 1, 2, 3 − 1.5 = 1.5 (not reported), 1 − min(0.9, cap 0.5) = 0.5, 0 (veto), 0.2   total 5.2, rank 3
  办公室 k1 (series office, alone): 1, 2 − 4 × 0.25 = 1, a-03 not applicable, 1, 2, 0.2
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, ROOT, git, init_git

from generator.messages import tr
from generator.model import Evidence
from generator.review import comparable, median, pages
from generator.score import score_assessment
from generator.workspace import open_year

PROGRESS = FIXTURES / "progress"
D = Decimal


def review_json(kaohe, repo: Path, *args: str) -> dict:
    run = kaohe("--repo", str(repo), "review", *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def by_id(doc: dict) -> dict[str, dict]:
    return {i["id"]: i for i in doc["indicators"]}


def test_figures_of_2020_by_hand(kaohe):
    doc = review_json(kaohe, PROGRESS, "--year", "2020")
    got = by_id(doc)
    assert doc["previous_year"] is None  # nothing earlier than 2020
    # a-01: everyone filed plan and q1. Files: u1 2, u2 2, u3 1 (both keys), k1 1 = 6, all short: 6 pages.
    # At stake 1 point × 4 units = 4: 6 / 4 = 1.5 files per point.
    a01 = got["a-01"]
    assert (a01["units"], a01["units_lost"], a01["lost"]) == (4, 0, "0")
    assert a01["spread"] == {"min": "1", "median": "1", "max": "1"}
    assert (a01["files"], a01["pages"], a01["at_stake"]) == (6, 6, "4")
    assert (a01["files_per_point"], a01["files_per_point_exact"]) == ("1.5", "3/2")
    assert a01["rank_changes"] == [] and a01["flags"] == ["no_spread", "most_paperwork"]
    # a-02: k1 lost 1. Scores 1, 2, 2, 2: median (2 + 2) / 2 = 2. Files u1 2, u2 2, u3 1, k1 0 = 5;
    # 5 / (2 × 4) = 0.625, printed 0.63 (half up).
    a02 = got["a-02"]
    assert (a02["units_lost"], a02["lost"], a02["spread"]) == (1, "1", {"min": "1", "median": "2", "max": "2"})
    assert (a02["files"], a02["files_per_point"], a02["files_per_point_exact"]) == (5, "0.63", "5/8")
    assert a02["rank_changes"] == [] and a02["flags"] == []  # k1 is alone in its series
    # a-03: counties only (3 units). Lost 1 + 1.5 + 2.5 = 5. Scores 0.5, 1.5, 2. Files: u1, u3 = 2;
    # 2 / (3 × 3) = 2/9. Scored full for all: u1 7.5 + 1 = 8.5, u2 5.2 + 1.5 = 6.7, u3 6.3 + 2.5 = 8.8:
    # u3 first, u1 second, u2 stays third.
    a03 = got["a-03"]
    assert (a03["units"], a03["units_lost"], a03["lost"]) == (3, 3, "5")
    assert a03["spread"] == {"min": "0.5", "median": "1.5", "max": "2"}
    assert (a03["files"], a03["files_per_point"], a03["files_per_point_exact"]) == (2, "0.22", "2/9")
    assert {(c["unit"], c["rank"], c["neutral_rank"]) for c in a03["rank_changes"]} == {("u1", 1, 2), ("u3", 2, 1)}
    # a-04: u2 lost 0.5 (capped). Files u1, u3, k1 = 3; u3's is 1,300 characters: ⌈1300 / 616⌉ = 3 pages,
    # so 1 + 3 + 1 = 5 pages; 3 / 4 = 0.75 files and 5 / 4 = 1.25 pages per point. u2 + 0.5 = 5.7: still third.
    a04 = got["a-04"]
    assert (a04["units_lost"], a04["lost"], a04["spread"]) == (1, "0.5", {"min": "0.5", "median": "1", "max": "1"})
    assert (a04["files"], a04["pages"], a04["files_per_point"], a04["pages_per_point"]) == (3, 5, "0.75", "1.25")
    assert a04["rank_changes"] == []
    # a-05: u2 vetoed (0) still counts as scored. Scores 0, 1.5, 1.6, 2: median (1.5 + 1.6) / 2 = 1.55.
    # Lost 0.5 + 2 + 0.4 = 2.9. Files u3, k1 = 2 (findings files are not evidence); 2 / 8 = 0.25.
    # Full for all: u1 8.0, u2 7.2, u3 6.7: u2 second, u3 third.
    a05 = got["a-05"]
    assert (a05["units"], a05["units_lost"], a05["lost"]) == (4, 3, "2.9")
    assert a05["spread"] == {"min": "0", "median": "1.55", "max": "2"}
    assert (a05["files"], a05["files_per_point"]) == (2, "0.25")
    assert {(c["unit"], c["rank"], c["neutral_rank"]) for c in a05["rank_changes"]} == {("u2", 3, 2), ("u3", 2, 3)}
    assert a05["review"] is None  # no --since
    assert a05["appeals"] == {"appealed": 0, "upheld": 0, "changed": 0, "revoked": 0, "open": 0, "overturned": 0}
    # a-06: u1 lost 0.2. Scores 0, 0.2, 0.2, 0.2. Files u2, u3, k1 = 3; 3 / (0.2 × 4) = 15/4 = 3.75.
    a06 = got["a-06"]
    assert (a06["units_lost"], a06["spread"]["median"], a06["files_per_point_exact"]) == (1, "0.2", "15/4")
    assert a06["rank_changes"] == [] and a06["flags"] == ["most_paperwork"]
    # most paperwork: 6 indicators with files, ⌈6 / 4⌉ = 2: a-06 (3.75) and a-01 (1.5)
    # ranking by files per point: 3.75, 1.5, 0.75, 0.625, 0.25, 2/9
    assert [(i["rank"], i["id"]) for i in doc["indicators"]] == [
        (1, "a-06"),
        (2, "a-01"),
        (3, "a-04"),
        (4, "a-02"),
        (5, "a-05"),
        (6, "a-03"),
    ]


def test_2021_against_2020_shows_the_trend_and_shares_ties(kaohe):
    # 2021: u1 and u2 filed everything but u2's 通报: u1 9.2, u2 9.0.
    doc = review_json(kaohe, PROGRESS, "--year", "2021")
    assert doc["previous_year"] == 2020  # the nearest earlier year of the same framework
    got = by_id(doc)
    # a-06: files 1 (u1) / (0.2 × 2) = 2.5; a-01 and a-04: 2 / 2 = 1; a-02, a-05: 2 / 4 = 0.5; a-03 2 / 6
    assert [(i["rank"], i["id"]) for i in doc["indicators"]] == [
        (1, "a-06"),
        (2, "a-01"),
        (2, "a-04"),
        (4, "a-02"),
        (4, "a-05"),
        (6, "a-03"),
    ]
    # ⌈6 / 4⌉ = 2: the second value is 1, shared by a-01 and a-04, so three are flagged
    assert {i for i in got if "most_paperwork" in got[i]["flags"]} == {"a-01", "a-04", "a-06"}
    assert {i for i in got if "no_spread" in got[i]["flags"]} == {"a-01", "a-02", "a-03", "a-04", "a-05"}
    # a-06 scored full for both: 9.2 and 9.2, a tie — u2 moves from 2 to a shared 1
    assert [(c["unit"], c["rank"], c["neutral_rank"]) for c in got["a-06"]["rank_changes"]] == [("u2", 2, 1)]
    # the trend: a-03 lost points at three units in 2020, none in 2021
    assert (got["a-03"]["units_lost"], got["a-03"]["previous"]["units_lost"]) == (0, 3)
    assert got["a-06"]["previous"]["files_per_point"] == "3.75"


def test_text_lists_figures_flags_and_their_definitions(kaohe):
    run = kaohe("--repo", str(PROGRESS), "review", "--year", "2021")
    assert run.code == 0, run.err
    out = run.out
    assert "上年对照：2020年度" in out
    row = next(line for line in out.splitlines() if line.rstrip().endswith("a-06"))
    cells = row.split()
    assert cells[:3] == ["1", "报告工作第6项", "情况通报"]
    assert "2.5" in cells and "材料最多" in cells and "1/3.75/材料最多" in cells
    assert "西城县局 2→1" in out
    for definition in (
        "适用单位：",
        "失分单位：",
        "公文页：",
        "件/分、页/分：",
        "改变名次：",
        "不区分：",
        "材料最多：",
        "多被改判：",
    ):
        assert definition in out
    assert "复核与申诉：本年度没有记录。" in out


def test_sorting_by_units_that_lost_points(kaohe):
    doc = review_json(kaohe, PROGRESS, "--year", "2020", "--sort", "lost")
    # units lost: a-03 3 (5 points), a-05 3 (2.9), then a-02 (1 point), a-04 (0.5), a-06 (0.2), a-01 0
    assert [i["id"] for i in doc["indicators"]] == ["a-03", "a-05", "a-02", "a-04", "a-06", "a-01"]
    doc = review_json(kaohe, PROGRESS, "--year", "2020", "--sort", "framework")
    assert [i["id"] for i in doc["indicators"]] == ["a-01", "a-02", "a-03", "a-04", "a-05", "a-06"]


def test_against_must_be_an_earlier_assessment_year(kaohe):
    run = kaohe("--repo", str(PROGRESS), "review", "--year", "2020", "--against", "2021")
    assert run.code == 1 and tr("review.against-not-earlier", against=2021, year=2020) in run.err
    run = kaohe("--repo", str(PROGRESS), "review", "--year", "2021", "--against", "2019")
    assert run.code == 1 and tr("review.against-missing", year=2019, years="").rstrip() in run.err


# --- changes in review, read from git ---------------------------------------------------------------


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """The fixture in git, tagged `draft` (the results put up for 公示), then reviewed in two commits."""
    repo = tmp_path / "progress"
    shutil.copytree(PROGRESS, repo)
    init_git(repo)
    git(repo, "tag", "draft")
    findings = repo / "evidence/2020/u2/a-05-findings.toml"
    # review 1: u2's veto (2 points) becomes a late-task deduction (0.4): same finding, reduced;
    # u1 gets a new late-task finding (added)
    findings.write_text(findings.read_text().replace('rule = "failed"', 'rule = "late-task"'))
    (repo / "evidence/2020/u1/a-05-findings.toml").write_text(
        '[[finding]]\nid = "u1-2020-01"\nindicator = "a-05"\nrule = "late-task"\ndate = 2020-11-02\nreason = "逾期"\n'
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "review 1")
    git(repo, "tag", "review-1")
    # review 2: u3's late-task finding is withdrawn
    (repo / "evidence/2020/u3/a-05-findings.toml").unlink()
    git(repo, "commit", "-qam", "review 2")
    return repo


def test_changes_since_a_revision(kaohe, reviewed):
    # at `draft`, a-05 had 2 finding deductions: u2's veto and u3's late task
    doc = review_json(kaohe, reviewed, "--year", "2020", "--since", "draft", "--rev", "review-1")
    a05 = by_id(doc)["a-05"]
    assert a05["review"] == {"deductions": 2, "withdrawn": 0, "reduced": 1, "increased": 0, "added": 1, "overturned": 1}
    assert "mostly_overturned" not in a05["flags"]  # 1 of 2 is half, not more than half
    assert by_id(doc)["a-03"]["review"] == {
        "deductions": 0,
        "withdrawn": 0,
        "reduced": 0,
        "increased": 0,
        "added": 0,
        "overturned": 0,
    }
    doc = review_json(kaohe, reviewed, "--year", "2020", "--since", "draft")  # the working tree: after review 2
    a05 = by_id(doc)["a-05"]
    assert (a05["review"]["withdrawn"], a05["review"]["reduced"], a05["review"]["overturned"]) == (1, 1, 2)
    assert "mostly_overturned" in a05["flags"]  # 2 of 2
    text = kaohe("--repo", str(reviewed), "review", "--year", "2020", "--since", "draft").out
    assert "复核变化：自 draft 起。" in text and "多被改判：" in text


def test_a_deduction_hidden_by_a_new_veto_is_not_overturned(kaohe, reviewed):
    git(reviewed, "checkout", "-q", "draft")
    (reviewed / "evidence/2020/u3/a-05-veto.toml").write_text(
        '[[finding]]\nid = "u3-2020-02"\nindicator = "a-05"\nrule = "failed"\ndate = 2020-11-20\nreason = "不合格"\n'
    )
    doc = review_json(kaohe, reviewed, "--year", "2020", "--since", "draft")
    # u3's late task still stands but the veto replaces its line: superseded, neither withdrawn nor reduced
    assert by_id(doc)["a-05"]["review"] == {
        "deductions": 2,
        "withdrawn": 0,
        "reduced": 0,
        "increased": 0,
        "added": 1,
        "overturned": 0,
    }


def test_since_needs_a_revision_that_exists(kaohe, reviewed):
    run = kaohe("--repo", str(reviewed), "review", "--year", "2020", "--since", "no-such-tag")
    assert run.code == 1 and "Traceback" not in run.err and "no-such-tag" in run.err


# --- the shipped 2010 rules --------------------------------------------------------------------------


def test_review_2010_ranks_every_indicator_of_the_nine_tables(kaohe):
    doc = review_json(kaohe, ROOT, "--year", "2010")
    _, a = open_year(str(ROOT), None, 2010)
    assert len(a.framework.categories) == 9
    assert [i["id"] for i in sorted(doc["indicators"], key=lambda i: i["id"])] == sorted(
        i.id for i in a.framework.indicators()
    )
    exact = [Fraction(i["files_per_point_exact"]) if i["files_per_point_exact"] else None for i in doc["indicators"]]
    defined = [x for x in exact if x is not None]
    assert defined == sorted(defined, reverse=True) and exact[len(defined) :] == [None] * (len(exact) - len(defined))
    ranks = [i["rank"] for i in doc["indicators"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    # units that lost points and the spread agree with `kaohe score` for every indicator
    results = score_assessment(a)
    for i in doc["indicators"]:
        rows = [r for u in results.units for r in u.indicators if r.id == i["id"] and r.status in ("scored", "vetoed")]
        assert i["units"] == len(rows)
        assert i["units_lost"] == sum(r.score < r.max for r in rows)
        if rows:
            assert D(i["spread"]["min"]) == min(r.score for r in rows)
            assert D(i["spread"]["max"]) == max(r.score for r in rows)
    # 安龙's veto of 三.4 (20 points): scored full for all, 安龙 (239.8 + 20 = 259.8) passes 兴仁
    # (258.7 + 0.1), 普安 and 望谟 (258) and stands third, behind 兴义 (261.98) and 册亨 (260.4 + 0.3)
    zf04 = by_id(doc)["zf-04"]
    assert {"unit": "anlong", "rank": 8, "neutral_rank": 3} in [
        {k: c[k] for k in ("unit", "rank", "neutral_rank")} for c in zf04["rank_changes"]
    ]


# --- the pieces ------------------------------------------------------------------------------------------


def _evidence(body: str) -> Evidence:
    from datetime import date

    return Evidence("e.md", "u", "i", date(2020, 1, 1), "", [], 1, {}, body, 1)


def test_pages_count_text_not_markup_or_space():
    assert pages(_evidence("")) == 1  # at least one page
    assert pages(_evidence("字" * 616)) == 1
    assert pages(_evidence("字" * 617)) == 2
    assert pages(_evidence("字" * 616 + " \n\t# * _ ` > | = ~ -" * 50)) == 1
    assert pages(_evidence("字" * 616 + "\u3000\xa0")) == 1  # ideographic and no-break spaces are white space


def test_pages_count_a_long_body_a_slice_at_a_time(monkeypatch):
    """Counted a slice at a time (bounded memory): a run of text cut by a slice's end is counted once."""
    from generator.load import bodies

    monkeypatch.setattr(bodies, "_COUNTED_AT_ONCE", 7)
    # 600 characters in runs of 5 around marks: 120 runs of "字字字字字" and 120 "# " → 600 text characters
    assert pages(_evidence("字字字字字# " * 120)) == 1
    # 617 text characters, cut at every 7th position: ⌈617 / 616⌉ = 2
    assert pages(_evidence("字" * 617)) == 2
    assert pages(_evidence("字" * 1232 + "-" * 7)) == 2  # 1,232 = 2 × 616 exactly
    assert pages(_evidence("字" * 1233)) == 3


def test_median_exact():
    assert median([D("1.5"), D("0"), D("1.6"), D("2")]) == D("1.55")
    assert median([D("0.1"), D("0.2"), D("0.3")]) == D("0.2")
    assert median([D("0.01"), D("0.02")]) == D("0.015")


def _framework(fid: str, ids: list[str]):
    return SimpleNamespace(framework=SimpleNamespace(id=fid, indicators=lambda: [SimpleNamespace(id=i) for i in ids]))


def test_comparable_years():
    assert comparable(_framework("f", ["a"]), _framework("f", ["b"]))  # same framework id
    assert comparable(_framework("f", ["a", "b"]), _framework("g", ["b", "c"]))  # half shared
    assert not comparable(_framework("f", ["a", "b", "c"]), _framework("g", ["c", "d"]))  # a third
    _, y2010 = open_year(str(ROOT), None, 2010)
    _, y2014 = open_year(str(ROOT), None, 2014)
    assert not comparable(y2014, y2010)


def test_text_shows_control_characters_as_escapes():
    """Input refuses these characters in names today; the review's text must not rely on it."""
    from generator.output import reviewout
    from generator.review import build_review

    _, a = open_year(str(PROGRESS), None, 2020)
    review = build_review(a)
    a03 = next(i for i in review.indicators if i.id == "a-03")
    a03.title = "办结率\n伪造行\x1b[2J"
    a03.rank_changes[0].name = "东城\u202e县局"
    out = reviewout.text(review)
    assert not any(c in out for c in "\x1b\u202e") and "伪造行" in out
    assert "办结率\\n伪造行\\x1b[2J" in out and "东城\\u202e县局" in out
