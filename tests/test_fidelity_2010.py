"""The 2010 framework against its source document: the document's words exactly, every reading marked,
and the rows that a first transcription scored differently from the wording scored as worded.

The scoring tests run the shipped framework (copied into a temporary repository) on evidence and
findings written here; each expected value is worked out from the document's wording in a comment.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from builders import D, evidence, indicator, load, score, write
from conftest import ROOT

FRAMEWORK = ROOT / "frameworks" / "qianxinan-qts-2010"
SOURCE = FRAMEWORK / "source.txt"  # the document's text as scraped, without the web page around it
QUOTED = ("title", "target", "standard", "principle")
MONTH_UNPRINTED = "按年底计：细则未列完成月份，按年底（12月）考核"


def categories() -> list[tuple[str, dict]]:
    return [(p.name, tomllib.loads(p.read_text(encoding="utf-8"))) for p in sorted(FRAMEWORK.glob("0*.toml"))]


def indicators() -> list[tuple[str, dict]]:
    return [(name, ind) for name, data in categories() for ind in data.get("indicator", [])]


# -- the document's words, and the project's readings marked --------------------------------------


def test_quoted_fields_hold_the_documents_words_exactly():
    """Every line of every quoted field is a run of the document's text (whitespace aside): no label,
    no "(3分)", no "扣分原则:" inserted, no "……" elision."""
    text = re.sub(r"\s+", "", SOURCE.read_text(encoding="utf-8"))
    checked, foreign = 0, []
    for name, ind in indicators():
        fields = [(k, ind.get(k, "")) for k in QUOTED]
        fields += [(f"rule {r['id']}", r.get("text", "")) for r in ind.get("rule", [])]
        fields.append(("applies_to.note", ind.get("applies_to", {}).get("note", "")))
        for field, value in fields:
            for line in value.split("\n"):
                piece = re.sub(r"\s+", "", line)
                if piece:
                    checked += 1
                    if piece not in text:
                        foreign.append(f"{name} {ind['id']} {field}: {line}")
    assert foreign == []
    assert checked > 200  # every row's target, standard and rules were looked at


def test_every_unprinted_month_is_marked_and_printed_ones_are_not():
    # only table 一 (完成月份 9–12) and table 三 ("12月" on every row) print months
    marked, printed = [], []
    for name, ind in indicators():
        if "month" not in ind:
            assert "points" not in ind, ind["id"]  # 二.3 alone: no points, no month
            continue
        reason = ind.get("interpreted", {}).get("month")
        (printed if name.startswith(("01-", "03-")) else marked).append((ind["id"], reason))
    assert all(reason is None for _, reason in printed)
    assert [reason for _, reason in marked] == [MONTH_UNPRINTED] * 25  # 2 + 7 + 7 + 1 + 3 + 1 + 4 rows


def test_every_threshold_states_and_explains_what_a_missing_figure_costs():
    thresholds = [(ind["id"], r) for _, ind in indicators() for r in ind.get("rule", []) if r["kind"] == "threshold"]
    assert len(thresholds) == 7  # 三.4 ×2, 三.5, 五 2.1, 2.6, 4.2, 6
    for where, rule in thresholds:
        assert "missing_amount" in rule, where
        assert rule["interpreted"]["missing_amount"].startswith("文件未说"), where


def test_the_readme_holds_every_row_and_every_interpretation():
    readme = (FRAMEWORK / "README.md").read_text(encoding="utf-8")
    tables = [tomllib.loads((FRAMEWORK / "framework.toml").read_text(encoding="utf-8"))]
    for _, data in categories():
        tables.append(data["category"])
        for ind in data.get("indicator", []):
            assert f"`{ind['id']}`" in readme, ind["id"]
            tables.append(ind)
            tables += ind.get("rule", [])
    reasons = {reason for table in tables for reason in table.get("interpreted", {}).values()}
    assert len(reasons) > 30
    assert sorted(r for r in reasons if r not in readme) == []


# -- the corrected rows, scored as worded -----------------------------------------------------------

UNITS = """year = 2010
framework = "qianxinan-qts-2010"

[[unit]]
id = "ceheng"
name = "册亨县质量技术监督局"
series = "county"

[[unit]]
id = "xingyi"
name = "兴义市质量技术监督局"
series = "county"
"""


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    """The shipped 2010 framework, two counties (册亨, which 二.1 concerns, and 兴义), and `files`."""
    shutil.copytree(FRAMEWORK, tmp_path / "frameworks" / FRAMEWORK.name)
    write(tmp_path / "evidence/2010/units.toml", UNITS)
    for rel, text in files.items():
        write(tmp_path / "evidence/2010" / rel, text)
    return tmp_path


def finding(fid: str, ind: str, rule: str, reason: str, **keys: str) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    return f'[[finding]]\nid = "{fid}"\nindicator = "{ind}"\nrule = "{rule}"\ndate = 2010-12-15\nreason = "{reason}"\n{extra}\n'


def test_df04_counts_kinds_of_talk_not_missed_talks(tmp_path):
    # 一.4 "应谈未谈的,缺一项扣0.1分": 兴义 missed two 任前谈话 → one 项 → 0.1 (0.3 − 0.1 = 0.2);
    # 册亨 missed a 任前谈话 and a 诫勉谈话 → two 项 → 0.2 (0.3 − 0.2 = 0.1)
    root = repo(
        tmp_path,
        {
            "xingyi/df-04-findings.toml": finding("x1", "df-04", "missed-talk", "股长甲未谈", item='"pre-appointment"')
            + finding("x2", "df-04", "missed-talk", "股长乙未谈", item='"pre-appointment"'),
            "ceheng/df-04-findings.toml": finding("c1", "df-04", "missed-talk", "股长丙未谈", item='"pre-appointment"')
            + finding("c2", "df-04", "missed-talk", "应诫勉未谈", item='"admonition"'),
        },
    )
    results = score(root)
    xy, ch = indicator(results, "xingyi", "df-04"), indicator(results, "ceheng", "df-04")
    assert (xy.score, [line.amount for line in xy.deductions]) == (D("0.2"), [D("0.1")])
    assert (ch.score, [line.amount for line in ch.deductions]) == (D("0.1"), [D("0.1"), D("0.1")])
    # the second finding for the same 项 adds nothing, and check says so where it stands
    (warning,) = [p for p in load(root)[1] if p.code == "finding.deducts-once"]
    assert (warning.path, warning.severity) == ("evidence/2010/xingyi/df-04-findings.toml", "warning")
    assert warning.line == 15  # x2's `item` key: its table starts on line 9, `item` is its 7th line
    assert warning.kwargs["finding"] == "x2"


@pytest.mark.parametrize(
    ("articles", "lost"),
    [
        # (satisfies of each article, deduction) — missing = max(3 − n, 1 − m), 0.2 each
        (['"news"', '"news"'], "0.2"),  # n 2, m 0: max(1, 1) = 1 → 0.2, not 0.2 + 0.2
        (['"news"', '"news"', '"news"'], "0.2"),  # n 3, m 0: max(0, 1) = 1
        (['"news"', '["news", "qzxf"]'], "0.2"),  # n 2, m 1: max(1, 0) = 1
        (['"news"', '"news"', '"qzxf"'], "0"),  # n 3 (a 《黔质新风》 article is one of the 3), m 1
        (['"qzxf"'], "0.4"),  # n 1, m 1: max(2, 0) = 2
        ([], "0.6"),  # n 0, m 0: max(3, 1) = 3 → the row's 0.6
    ],
)
def test_df09_counts_articles_with_a_sub_quota(tmp_path, articles, lost):
    files = {f"xingyi/df-09-{k}.md": evidence("df-09", satisfies=s) for k, s in enumerate(articles)}
    row = indicator(score(repo(tmp_path, files)), "xingyi", "df-09")
    assert row.score == D("0.6") - D(lost)


def test_bz02_missing_summary_costs_its_raw_two_points(tmp_path):
    # 二.2 (得分制) "3、有工作总结" is worth 2: without it 5 − 2 = 3, the raw points, no weight.
    # Both counties file every 二 item but 兴义's 工作总结; 册亨 also has 二.1 (3 + 1 + 1 = 5).
    bz = {
        "ceheng/bz-01.md": evidence("bz-01", satisfies='["accepted", "conclusion", "summary"]'),
        "ceheng/bz-02.md": evidence("bz-02", satisfies='["records", "materials", "summary"]'),
        "xingyi/bz-02.md": evidence("bz-02", satisfies='["records", "materials"]'),
    }
    results = score(repo(tmp_path, bz))
    row = indicator(results, "xingyi", "bz-02")
    assert (row.score, [line.amount for line in row.deductions]) == (D("3"), [D("2")])
    xy, ch = results.unit("xingyi"), results.unit("ceheng")
    assert (xy.categories[1].score, xy.categories[1].max) == (D("3"), D("5"))
    assert (ch.categories[1].score, ch.categories[1].max) == (D("10"), D("10"))
    # the maxima differ by 二.1's 5 points, which is why the framework ranks by rate
    # (the ranking itself is pinned on the shipped data: test_shipped_data.test_2010_ranks_by_rate)
    assert (ch.max, xy.max, results.rank_by) == (D("262"), D("257"), "rate")


@pytest.mark.parametrize(
    ("items", "lost"),
    [
        (["none"], "0.5"),  # "未开展年检工作,扣0.5分"
        (["late"], "0.2"),  # "未按时开展年检工作,扣0.2分"
        (["late", "none"], "0.5"),  # both found: exclusive tiers, the heavier only — never 0.7
        (["none", "late", "late"], "0.5"),
    ],
)
def test_sp03_annual_inspection_tiers_are_exclusive(tmp_path, items, lost):
    text = "".join(finding(f"f{k}", "sp-03", "annual", "年检情况", item=f'"{item}"') for k, item in enumerate(items))
    row = indicator(score(repo(tmp_path, {"xingyi/sp-03-findings.toml": text})), "xingyi", "sp-03")
    assert row.score == D("1.5") - D(lost)
    if len(set(items)) > 1:
        assert row.deductions[-1].kind == "cap"  # the correction is a visible line
        assert "互斥" in row.deductions[-1].reason


def test_zf05_without_a_stated_missing_amount_is_a_check_error(tmp_path, kaohe):
    # The shipped rule states missing_amount = 0; without it check refuses the framework, at the rule
    root = repo(tmp_path, {})
    path = root / "frameworks/qianxinan-qts-2010/03-zhifa.toml"
    text = path.read_text(encoding="utf-8")
    rule_at = text.splitlines().index('id = "info-rate"')  # 0-based index of the id line = the table's 1-based line
    path.write_text(text.replace('partial = "exact"\nmissing_amount = 0\n', 'partial = "exact"\n'), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'missing_amount = "文件未说考评表无本局得分率[^"]*"\n', "", text)
    path.write_text(text, encoding="utf-8")
    problems = [p for p in load(root)[1] if p.code == "framework.threshold-missing-unstated"]
    assert [(p.path, p.line, p.col, p.severity) for p in problems] == [
        ("frameworks/qianxinan-qts-2010/03-zhifa.toml", rule_at, 1, "error")
    ]
    run = kaohe("check", "--repo", str(root))
    assert run.code == 1
    assert f"frameworks/qianxinan-qts-2010/03-zhifa.toml:{rule_at}:1: {problems[0].text()}" in run.out


def test_zf05_no_rate_reported_costs_what_the_framework_states(tmp_path):
    # missing_amount = 0 (marked: the 州局 makes the 量化考评表): no rate → nothing from the rate rule;
    # the 通报记录 is filed, so zf-05 keeps its 20 (an unstated default once took all 20)
    row = indicator(
        score(repo(tmp_path, {"xingyi/zf-05.md": evidence("zf-05", satisfies='"notice"')})), "xingyi", "zf-05"
    )
    assert (row.score, row.deductions) == (Decimal("20"), [])
