"""`kaohe diff`: a real git repository, a base commit and a pull-request commit.

The fixture repository (tests/fixtures/mini) scores, at the base commit:
  dangfeng is weighted 5 with raw max 0.3 + 0.6 + 1.62 + 0.15 = 2.67.
  xingren: df-01 0.2, df-03 0.3, df-08 1.22, df-10 0 → raw 1.72 → 1.72 × 5 / 2.67 = 3.2209… → 3.22;
           zhifa zf-04 19.8 → total 23.02, rank 1.
  cehen:   raw 0.1 + 0 + 1.62 + 0 = 1.72 → 3.22; zf-04 0 (no closure rate) + std-01 4 → total 7.22, rank 2.
  anlong:  raw 1.72 → 3.22; zf-04 vetoed 0 → total 3.22, rank 3.
"""

from __future__ import annotations

import json

import pytest

from generator.messages import tr
from tests.conftest import git, init_git

ANNUAL = """+++
indicator = "df-01"
date = 2010-12-28
title = "2010年度党风廉政建设工作情况报告"
satisfies = "annual"
+++
全年工作情况报告。
"""

ANLONG_FINDING = """
[[finding]]
id = "al-2010-02"
indicator = "df-08"
rule = "discipline"
date = 2010-09-01
grade = "科级干部"
reason = "办公室主任违规使用公车"
evidence = ["df-01-meeting.md"]
"""

NO_EFFECT = """+++
indicator = "std-01"
date = 2010-10-10
satisfies = "accepted"
+++
验收通知（已另有验收材料）。
"""


@pytest.fixture
def repo(mini):
    """main: the fixture; branch pr: one commit adding two evidence files and a finding."""
    init_git(mini)
    git(mini, "checkout", "-q", "-b", "pr")
    (mini / "evidence/2010/xingren/df-01-annual.md").write_text(ANNUAL, encoding="utf-8")
    with (mini / "evidence/2010/anlong/findings.toml").open("a", encoding="utf-8") as fh:
        fh.write(ANLONG_FINDING)
    (mini / "evidence/2010/cehen/std-01-notice.md").write_text(NO_EFFECT, encoding="utf-8")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "pull request")
    return mini


def diff_json(kaohe, repo, *args):
    run = kaohe("--repo", str(repo), "diff", *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_pull_request_changes_exactly_what_it_adds(repo, kaohe):
    data = diff_json(kaohe, repo, "main", "pr")
    assert data["base"]["rev"] == "main" and data["head"]["rev"] == "pr"
    (year,) = data["years"]
    units = {u["id"]: u for u in year["units"]}
    # cehen's added evidence repeats an item it already had: its score does not move.
    assert sorted(units) == ["anlong", "xingren"]

    # xingren: df-01 now has all three reports, 0.2 → 0.3; dangfeng raw 0.3 + 0.3 + 1.22 + 0 = 1.82
    # → 1.82 × 5 / 2.67 = 3.4082… → 3.41; total 3.41 + 19.8 = 23.21 (+0.19); rank stays 1.
    x = units["xingren"]
    assert (x["old_total"], x["new_total"], x["delta"]) == ("23.02", "23.21", "0.19")
    assert (x["old_rank"], x["new_rank"]) == (1, 1)
    (ind,) = x["indicators"]
    assert (ind["id"], ind["old_score"], ind["new_score"]) == ("df-01", "0.2", "0.3")
    (line,) = ind["lines"]
    assert line["change"] == "removed" and line["rule"] == "reports" and line["subject"] == "全年工作情况报告"
    assert line["old"]["amount"] == "0.1" and line["new"] is None and line["delta"] == "-0.1"

    # anlong: a 科级干部 incident, 0.4 (no severity: ×1); df-08 1.62 → 1.22; raw 0.1 + 0 + 1.22 + 0
    # = 1.32 → 1.32 × 5 / 2.67 = 2.4719… → 2.47; zf-04 stays vetoed at 0; total 2.47 (−0.75).
    a = units["anlong"]
    assert (a["old_total"], a["new_total"], a["delta"]) == ("3.22", "2.47", "-0.75")
    assert (a["old_rank"], a["new_rank"]) == (3, 3)
    (ind,) = a["indicators"]
    assert (ind["id"], ind["old_score"], ind["new_score"]) == ("df-08", "1.62", "1.22")
    (line,) = ind["lines"]
    assert line["change"] == "added" and line["rule"] == "discipline" and line["subject"] == "al-2010-02"
    assert line["new"]["amount"] == "0.4"
    assert line["new"]["reason"] == "办公室主任违规使用公车（科级干部）"
    assert line["new"]["evidence"] == ["evidence/2010/anlong/df-01-meeting.md"]
    # the [[finding]] table starts on line 8 of findings.toml (6 lines + a blank line before it)
    assert line["new"]["source"] == "evidence/2010/anlong/findings.toml:8"

    files = {f["path"]: f for f in year["files"]}
    assert sorted(files) == [
        "evidence/2010/anlong/findings.toml",
        "evidence/2010/cehen/std-01-notice.md",
        "evidence/2010/xingren/df-01-annual.md",
    ]
    assert files["evidence/2010/anlong/findings.toml"]["change"] == "modified"
    assert files["evidence/2010/anlong/findings.toml"]["effect"] is True
    assert files["evidence/2010/xingren/df-01-annual.md"]["effect"] is True
    assert files["evidence/2010/cehen/std-01-notice.md"] == {
        "path": "evidence/2010/cehen/std-01-notice.md",
        "change": "added",
        "effect": False,
        "subjects": [{"unit": "cehen", "indicator": "std-01"}],
    }


def test_markdown_comment(repo, kaohe):
    run = kaohe(
        "--repo",
        str(repo),
        "diff",
        "main",
        "pr",
        "--source-url",
        "https://git.example/kaohe/-/blob/{commit}/{path}#L{line}",
    )
    assert run.code == 0, run.err
    md = run.out
    head = git(repo, "rev-parse", "pr").strip()
    base = git(repo, "rev-parse", "main").strip()
    assert md.startswith(f"## kaohe：评分变化 <code>main</code> ({base[:10]}) → <code>pr</code> ({head[:10]})")
    # the framework's title already holds the year: it is not said twice
    assert "\n### 2010年度目标绩效管理工作考核分细则（节选）\n" in md
    # units by name, the series by its title (县（市）局), never by their ids
    assert "| 兴仁县质监局 | 县（市）局 | 23.02 → 23.21 | +0.19 | 1 |" in md
    assert "| 安龙县质监局 | 县（市）局 | 3.22 → 2.47 | −0.75 | 3 |" in md
    assert "册亨县质监局" not in md.split("#### 未影响得分的文件")[0]
    assert "county" not in md and "<code>xingren</code>" not in md
    # the added deduction links to the finding's line at the head commit
    assert (
        f"[<code>evidence/2010/anlong/findings.toml:8</code>](https://git.example/kaohe/-/blob/{head}/"
        "evidence/2010/anlong/findings.toml#L8)"
    ) in md
    # rules by the document's wording (longer wording shortened visibly to 40 characters), not ids
    wording = "一般工作人员违纪扣0.2分，股级干部扣0.3分，科级干部扣0.4分；严重违纪案件加一倍；刑事案件加两倍"
    assert f"| 新增 | 0.4 | {wording[:39]}… | 办公室主任违规使用公车（科级干部） |" in md
    assert "<code>discipline</code>" not in md and "<code>reports</code>" not in md
    # the removed deduction links to the rule at the base commit, struck through
    assert "| 不再计 | ~~0.1~~ | 3项缺1项扣0.1分 | ~~缺全年工作情况报告~~ |" in md
    # indicators where the document prints them: table 一, row 1
    assert "| 一、1 " in md
    assert f"https://git.example/kaohe/-/blob/{base}/frameworks/mini/01-dangfeng.toml#L" in md
    assert "- 新增 <code>evidence/2010/cehen/std-01-notice.md</code>（册亨县质监局 / 二、1）" in md


def test_rank_change_and_removed_veto(repo, kaohe):
    # Removing anlong's veto finding: zf-04 closure rate 95 ≥ 90 → 20 points; anlong total
    # 2.47 + 20 = 22.47 passes cehen's 7.22: anlong rank 3 → 2, cehen 2 → 3.
    (repo / "evidence/2010/anlong/findings.toml").write_text(ANLONG_FINDING.lstrip(), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "appeal upheld")
    data = diff_json(kaohe, repo, "pr~1", "pr")
    units = {u["id"]: u for u in data["years"][0]["units"]}
    assert sorted(units) == ["anlong", "cehen"]
    a = units["anlong"]
    assert (a["old_total"], a["new_total"], a["old_rank"], a["new_rank"]) == ("2.47", "22.47", 3, 2)
    (ind,) = a["indicators"]
    assert (ind["old_status"], ind["new_status"], ind["old_score"], ind["new_score"]) == ("vetoed", "scored", "0", "20")
    (line,) = ind["lines"]
    assert (line["change"], line["rule"], line["subject"], line["old"]["amount"]) == (
        "removed",
        "review-failed",
        "al-2010-01",
        "20",
    )
    c = units["cehen"]
    assert (c["old_total"], c["new_total"], c["old_rank"], c["new_rank"], c["indicators"]) == ("7.22", "7.22", 2, 3, [])
    # al-2010-02 moved from line 8 to line 1 of findings.toml: still the same deduction, not a change
    assert all(i["id"] != "df-08" for i in a["indicators"])
    # in the comment, cehen's rank-only change is a row of the table, without an empty heading of its own
    md = kaohe("--repo", str(repo), "diff", "pr~1", "pr").out
    assert "| 册亨县质监局 | 县（市）局 | 7.22 → 7.22 | ±0 | 2 → **3** |" in md
    assert "#### 册亨县质监局" not in md and "#### 安龙县质监局：2.47 → 22.47（+20）" in md


def test_framework_and_units_changes_are_listed(repo, kaohe):
    """A change to the framework or to the year's units moves every score: the comment lists the files."""
    dangfeng = repo / "frameworks/mini/01-dangfeng.toml"
    dangfeng.write_text(dangfeng.read_text(encoding="utf-8").replace("3项缺1项扣0.1分", "3项缺1项扣0.2分"), "utf-8")
    units = repo / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# 名单未变\n", encoding="utf-8")
    md = kaohe("--repo", str(repo), "diff", "pr").out  # the working tree against pr
    section = md.split("#### 考核细则和单位名单的修改", 1)[1]
    listed = [line for line in section.split("\n\n", 2)[2].splitlines() if line.startswith("- ")]
    assert listed == [
        "- 修改 <code>evidence/2010/units.toml</code>",
        "- 修改 <code>frameworks/mini/01-dangfeng.toml</code>",
    ]


def test_changed_finding_is_one_change_not_two(repo, kaohe):
    path = repo / "evidence/2010/anlong/findings.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('grade = "科级干部"', 'grade = "股级干部"'), encoding="utf-8"
    )
    # HEAD omitted: the working tree. 股级干部 0.3 instead of 科级干部 0.4: df-08 1.22 → 1.32.
    data = diff_json(kaohe, repo, "pr")
    (unit,) = data["years"][0]["units"]
    (ind,) = unit["indicators"]
    (line,) = ind["lines"]
    assert (line["change"], line["old"]["amount"], line["new"]["amount"], line["delta"]) == (
        "changed",
        "0.4",
        "0.3",
        "-0.1",
    )
    assert data["head"] == {"rev": "working tree", "commit": None}


def test_a_renamed_checklist_item_is_one_changed_line_not_two(repo, kaohe):
    """Correcting an item's name (a typo in 全年工作情况报告) keeps the item's key: the deduction for it
    is the same one with a new reason, shown once as changed (before: removed, then added)."""
    path = repo / "frameworks/mini/01-dangfeng.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count('name = "半年工作情况报告"') == 1
    path.write_text(text.replace('name = "半年工作情况报告"', 'name = "半年度工作情况报告"'), encoding="utf-8")
    # HEAD omitted: the working tree. cehen has no half-year report at either side: its df-01
    # keeps 0.1 for it (3项缺1项扣0.1分), so the amount is 0.1 → 0.1 and only the reason changes.
    data = diff_json(kaohe, repo, "pr")
    (year,) = data["years"]
    (unit,) = [u for u in year["units"] if u["id"] == "cehen"]
    (ind,) = unit["indicators"]
    (line,) = ind["lines"]
    assert (line["change"], line["old"]["amount"], line["new"]["amount"], line["delta"]) == (
        "changed",
        "0.1",
        "0.1",
        "0",
    )
    assert "半年工作情况报告" in line["old"]["reason"]
    assert "半年度工作情况报告" in line["new"]["reason"]
    assert line["subject"] == "半年度工作情况报告"


def test_merge_base_ignores_later_changes_on_main(repo, kaohe):
    # main moves on after the branch was made; `kaohe diff main pr` still shows only the PR.
    git(repo, "checkout", "-q", "main")
    (repo / "evidence/2010/cehen/df-03-edu.md").write_text(
        '+++\nindicator = "df-03"\ndate = 2010-04-01\nsatisfies = "education"\n+++\n教育。\n', encoding="utf-8"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "meanwhile on main")
    data = diff_json(kaohe, repo, "main", "pr")
    assert sorted(u["id"] for u in data["years"][0]["units"]) == ["anlong", "xingren"]
    exact = diff_json(kaohe, repo, "main", "pr", "--exact-base")
    assert sorted(u["id"] for u in exact["years"][0]["units"]) == ["anlong", "cehen", "xingren"]


def test_tags_and_commit_ids_work_and_tree_is_untouched(repo, kaohe):
    git(repo, "tag", "base-2010", "main")
    commit = git(repo, "rev-parse", "pr").strip()
    status = git(repo, "status", "--porcelain")
    data = diff_json(kaohe, repo, "base-2010", commit[:12])
    assert data["base"]["commit"] == git(repo, "rev-parse", "main").strip()
    assert data["head"]["commit"] == commit
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip() == "pr"


def test_no_changes(repo, kaohe):
    run = kaohe("--repo", str(repo), "diff", "pr", "pr")
    assert run.code == 0
    assert tr("diff.no-change") in run.out


def test_unknown_revision_is_a_clear_error(repo, kaohe):
    run = kaohe("--repo", str(repo), "diff", "no-such-branch")
    assert run.code == 1
    assert tr("git.unknown-revision", rev="no-such-branch", error="").rstrip() in run.err
    assert "Traceback" not in run.err


def test_errors_in_head_are_reported_not_scored(repo, kaohe):
    (repo / "evidence/2010/xingren/bad.md").write_text(
        '+++\nindicator = "nope"\ndate = 2010-01-01\n+++\n', encoding="utf-8"
    )
    run = kaohe("--repo", str(repo), "diff", "main")
    assert run.code == 1
    problem = "evidence/2010/xingren/bad.md:2:1: " + tr("problem.format", severity=tr("severity.error"), message="")
    assert problem + tr("evidence.unknown-indicator", indicator="nope") in run.err
    head = tr("diff.side", side="HEAD", label=tr("diff.working-tree"))
    assert run.err.startswith("kaohe diff: " + tr("workspace.has-errors", what=head, errors=1, problems="", more=""))


def test_renamed_evidence_changes_no_score(repo, kaohe):
    # xingren's df-03 education record (3 of 4 required) is cited by the count deduction; renaming
    # it to the naming convention leaves the deduction (0.1, same reason) as it was.
    git(repo, "mv", "evidence/2010/xingren/df-03-education.md", "evidence/2010/xingren/df-03-2010-09-30-education.md")
    # the finding that cites it must follow the rename
    findings = repo / "evidence/2010/xingren/findings.toml"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace('"df-03-education.md"', '"df-03-2010-09-30-education.md"'),
        encoding="utf-8",
    )
    data = diff_json(kaohe, repo, "pr")
    (year,) = data["years"]
    assert year["units"] == []
    assert [(f["path"].rsplit("/", 1)[1], f["change"], f["effect"]) for f in year["files"]] == [
        ("df-03-2010-09-30-education.md", "added", False),
        ("df-03-education.md", "removed", False),
        ("findings.toml", "modified", False),
    ]


def test_limit_leaves_out_the_deduction_tables(repo, kaohe):
    full = kaohe("--repo", str(repo), "diff", "main", "pr").out
    short = kaohe("--repo", str(repo), "diff", "main", "pr", "--limit", "500").out
    assert len(full) > 500 and "| 新增 | 0.4 |" in full
    assert "| 新增 | 0.4 |" not in short and "变化太多" in short
    assert "| 安龙县质监局 | 县（市）局 | 3.22 → 2.47 | −0.75 | 3 |" in short
    assert kaohe("--repo", str(repo), "diff", "main", "pr", "--limit", "100000").out == full


def test_an_invalid_base_is_compared_and_said_to_be_invalid(repo, kaohe):
    # main gets a broken evidence file (committed without checks); the branch repairs it
    git(repo, "checkout", "-q", "main")
    bad = repo / "evidence/2010/xingren/bad.md"
    bad.write_text('+++\nindicator = "nope"\ndate = 2010-01-01\n+++\n', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken main")
    git(repo, "checkout", "-q", "-b", "repair")
    git(repo, "rm", "-q", "evidence/2010/xingren/bad.md")
    git(repo, "commit", "-q", "-m", "repair")
    run = kaohe("--repo", str(repo), "diff", "main", "repair")
    assert run.code == 0, run.err
    first = run.out.splitlines()[0]
    assert first == "> ⚠️ " + tr("diff.base-invalid", errors=1)
    assert "## kaohe：评分变化" in run.out  # the comparison follows
    data = json.loads(kaohe("--repo", str(repo), "diff", "main", "repair", "--format", "json").out)
    assert data["base_errors"] == 1
    # a valid base says nothing of the kind
    clean = kaohe("--repo", str(repo), "diff", "repair", "repair")
    assert "基准版本未通过" not in clean.out
    assert (
        json.loads(kaohe("--repo", str(repo), "diff", "repair", "repair", "--format", "json").out)["base_errors"] == 0
    )


CEHEN_STD = """+++
indicator = "std-01"
date = 2010-11-20
satisfies = "accepted"
+++
农业标准化示范区通过省局验收（工作总结未报）。
"""


def _branch(repo, name: str, files: dict[str, str]) -> None:
    """A branch off main with `files` written and committed."""
    git(repo, "checkout", "-q", "-b", name, "main")
    for path, text in files.items():
        (repo / path).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", name)


def _amount_header(md: str, unit: str) -> str:
    """The amount column's header in `unit`'s table of changed rows (its fourth column)."""
    table = md.split(f"#### {unit}", 1)[1].split("\n\n", 2)[1]
    return table.splitlines()[0].split(" | ")[3]


def test_amount_column_says_not_earned_for_earned_rows(repo, kaohe):
    # std-01 is 得分制 (method = "earned"): cehen's missing 工作总结 is 1 point not earned, never
    # deducted, so its table's column reads 未得分; xingren's df-01 (扣分制, 3项缺1项扣0.1分) keeps 扣分.
    _branch(
        repo,
        "earned",
        {"evidence/2010/cehen/std-01.md": CEHEN_STD, "evidence/2010/xingren/df-01-annual.md": ANNUAL},
    )
    run = kaohe("--repo", str(repo), "diff", "main", "earned")
    assert run.code == 0, run.err
    assert _amount_header(run.out, "册亨县质监局") == "未得分"
    assert _amount_header(run.out, "兴仁县质监局") == "扣分"
    # cehen's std-01 4 → 3 (5 − 1 conclusion − 1 summary): the added line's amount, 1
    assert "| 新增 | 1 |" in run.out

    # both kinds in one table: cehen's df-01 (扣分制) and std-01 (得分制) change together → 失分
    _branch(repo, "mixed", {"evidence/2010/cehen/std-01.md": CEHEN_STD, "evidence/2010/cehen/df-01-annual.md": ANNUAL})
    run = kaohe("--repo", str(repo), "diff", "main", "mixed")
    assert run.code == 0, run.err
    assert _amount_header(run.out, "册亨县质监局") == "失分"


BONUS_TABLE = """[category]
id = "chuangyou"
title = "创优加分"
department = "办公室"

[[indicator]]
id = "cy-1"
seq = 1
target = "获得上级表彰"
points = 2
method = "bonus"

[[indicator.rule]]
id = "honour"
kind = "award"

[[indicator.rule]]
id = "criticised"
kind = "veto"
text = "受到通报批评的，此项不得分"
"""

HONOUR = """
[[finding]]
id = "xr-cy-1"
indicator = "cy-1"
rule = "honour"
date = 2010-09-01
amount = 1
reason = "获省级表彰"
"""

CRITICISED = """
[[finding]]
id = "xr-cy-2"
indicator = "cy-1"
rule = "criticised"
date = 2010-10-01
reason = "受到州政府通报批评"
"""


def test_a_veto_in_a_bonus_row_reads_not_added_without_an_amount(repo, kaohe):
    """A 加分 row's veto (此项不得分) withholds the bonus, it deducts nothing. Before: the comment listed
    it with the row's 2 points in the amount column, read as 2 points lost."""
    git(repo, "checkout", "-q", "main")
    (repo / "frameworks/mini/03-chuangyou.toml").write_text(BONUS_TABLE, encoding="utf-8")
    with (repo / "evidence/2010/xingren/findings.toml").open("a", encoding="utf-8") as fh:
        fh.write(HONOUR)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bonus table, xingren awarded 1")
    findings = (repo / "evidence/2010/xingren/findings.toml").read_text(encoding="utf-8") + CRITICISED
    _branch(repo, "veto", {"evidence/2010/xingren/findings.toml": findings})
    run = kaohe("--repo", str(repo), "diff", "main", "veto")
    assert run.code == 0, run.err
    # cy-1 1 → 0: the award's line goes (its 1 struck through), the veto's line comes with no amount
    award, veto = [r for r in run.out.splitlines() if "获省级表彰" in r or "受到州政府通报批评" in r]
    assert [c.strip() for c in award.strip("|").split("|")][1:4] == ["1 → 0（已评分 → 否决）", "不再计", "~~1~~"]
    assert [c.strip() for c in veto.strip("|").split("|")][2:4] == ["新增", "不加分"]
    # the table lists a 加分 row alone: its amounts were added, not deducted
    assert _amount_header(run.out, "兴仁县质监局") == "加分"
    # with xingren's df-01 (扣分制) changing too, the one column holds both kinds
    both = {"evidence/2010/xingren/findings.toml": findings, "evidence/2010/xingren/df-01-annual.md": ANNUAL}
    _branch(repo, "both", both)
    run = kaohe("--repo", str(repo), "diff", "main", "both")
    assert run.code == 0, run.err
    assert _amount_header(run.out, "兴仁县质监局") == "扣分/加分"


def test_a_veto_in_a_bonus_row_the_change_adds_reads_not_added(repo, kaohe):
    """The 加分 table comes in the same change as the veto (the row exists at the head alone): its veto
    withholds the row's bonus and deducts nothing, so it reads 不加分 as in a row both sides hold, not
    the row's 2 points, read as 2 lost."""
    git(repo, "checkout", "-q", "main")
    findings = (repo / "evidence/2010/xingren/findings.toml").read_text(encoding="utf-8") + CRITICISED
    _branch(
        repo,
        "new-row",
        {"frameworks/mini/03-chuangyou.toml": BONUS_TABLE, "evidence/2010/xingren/findings.toml": findings},
    )
    run = kaohe("--repo", str(repo), "diff", "main", "new-row")
    assert run.code == 0, run.err
    (veto,) = [r for r in run.out.splitlines() if "受到州政府通报批评" in r]
    cells = [c.strip() for c in veto.strip("|").split("|")]
    assert "不加分" in cells and "2" not in cells


def test_a_changed_line_reads_its_amount_before_and_after(repo, kaohe):
    """A finding corrected in place (科级干部 → 股级干部) is one line whose amount reads old → new: the
    incident rule deducts 0.4 for a 科级干部 and 0.3 for a 股级干部, so 0.4 → 0.3 (not the new 0.3
    alone, which would read as a deduction added)."""
    path = repo / "evidence/2010/anlong/findings.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('grade = "科级干部"', 'grade = "股级干部"'), encoding="utf-8"
    )
    run = kaohe("--repo", str(repo), "diff", "pr")  # HEAD omitted: the working tree
    assert run.code == 0, run.err
    (row,) = [r for r in run.out.splitlines() if "0.4" in r and "0.3" in r and r.startswith("|")]
    assert "| 0.4 → 0.3 |" in row
