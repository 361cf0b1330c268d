"""`kaohe review` words a row's loss by its method (docs/formats.md, 得分制 and 扣分制).

辽阳 2014 第十条 (重点绩效) and 第十二条 (服务绩效) are 得分制: a unit earns points there and nothing is
deducted; 第十三条 (创优绩效) is 加分: a unit not awarded a bonus loses nothing. 黔西南 2010's rules
and the progress fixture deduct (扣分制) and keep their wording.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, git, init_git
from repos import add_liaoyang

from generator.messages import tr


def review_doc(kaohe, repo: Path, *args: str) -> dict:
    run = kaohe("--repo", str(repo), "review", *args, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_a_bonus_indicator_has_no_unit_that_lost_points(kaohe, tmp_path):
    repo = tmp_path / "liaoyang"
    repo.mkdir()
    add_liaoyang(repo)
    doc = review_doc(kaohe, repo, "--year", "2014")
    got = {i["id"]: i for i in doc["indicators"]}
    # cy-01 获得上级表彰 (加分, up to 1): 轻纺科 was awarded 1, 综合科 0.5, 保健中心 0.3, five units nothing.
    # None of them lost anything: 0 units, 0 points (it read 7 of 8 and 7 × 1 − 0.5 − 0.3 = 6.2 lost)
    cy01 = got["cy-01"]
    assert (cy01["method"], cy01["units"], cy01["units_lost"], cy01["lost"]) == ("bonus", 8, 0, "0")
    # cy-03 信息调研采用: the highest award is 0.6 of 1, so every unit was below the cap: still 0 of 8
    assert (got["cy-03"]["units_lost"], got["cy-03"]["lost"]) == (0, "0")
    # fw-01 相互评价 is 得分制 (4 points): every unit's vote scored below 4 (highest 3.87): 8 of 8 lost points
    assert (got["fw-01"]["method"], got["fw-01"]["units_lost"]) == ("earned", 8)
    assert "未获加分的单位没有失分" in doc["definitions"]["units-lost"]


def test_review_of_findings_in_earned_rows_reads_lost_not_deducted(kaohe, tmp_path):
    repo = tmp_path / "liaoyang"
    repo.mkdir()
    add_liaoyang(repo)
    init_git(repo)
    git(repo, "tag", "draft")
    # 人事科's rating of 办公室's zd-bgs-2 (重点绩效, 得分制: 0.8 of 1 earned) is withdrawn
    (repo / "evidence/2014/bgs/zd-bgs-2-findings.toml").unlink()
    git(repo, "commit", "-qam", "review")
    doc = review_doc(kaohe, repo, "--year", "2014", "--since", "draft")
    got = {i["id"]: i for i in doc["indicators"]}
    assert (got["zd-bgs-2"]["review"]["deductions"], got["zd-bgs-2"]["review"]["withdrawn"]) == (1, 1)
    # at `draft` findings stood in 扣分制 rows (gl-06 管理工作质量差错) and in 得分制 rows (zd-bgs-2):
    # the column and its definition count both, 失分 (扣分 or 未得分)
    assert got["gl-06"]["method"] == "deduction" and got["gl-06"]["review"]["deductions"] >= 1
    assert doc["definitions"]["review"] == tr("review.def.review.mixed")
    assert "扣分或未得分条数" in doc["definitions"]["review"]
    assert "依据评定记录的扣分或未得分中" in doc["definitions"]["mostly_overturned"]
    text = kaohe("--repo", str(repo), "review", "--year", "2014", "--since", "draft").out
    assert "复核：失分/撤销/减少/增加" in text and "复核：扣分/" not in text


def test_review_of_deductions_only_keeps_its_wording(kaohe, tmp_path):
    repo = tmp_path / "progress"
    shutil.copytree(FIXTURES / "progress", repo)
    init_git(repo)
    git(repo, "tag", "draft")
    (repo / "evidence/2020/u3/a-05-findings.toml").unlink()
    git(repo, "commit", "-qam", "review")
    text = kaohe("--repo", str(repo), "review", "--year", "2020", "--since", "draft").out
    # every row of the fixture is 扣分制: the wording stays 扣分
    assert "复核：扣分/撤销/减少/增加" in text
    assert "复核：指定版本年底结果中依据评定记录的扣分条数" in text
