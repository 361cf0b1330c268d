"""`kaohe import framework` names what a count counts with the clause's whole words, never a cut.

The name was the dozen characters before 不少于 (and at most 16 after 1次以上的), so a long requirement
came out cut mid-word, and a 每季度 beyond the dozen was lost with the three reports a year it asks
for. The documents are built here (python-docx, openpyxl), imported with the real command and read
back with the real loader.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import office_2010 as doc2010
import pytest

from generator.load import load_repository
from generator.problems import Problems
from generator.tree import FsTree

TABLE = doc2010.Table(
    "一、宣传信息与监督检查",
    ["序号", "目标内容", "考核标准", "分值", "完成月份"],
    [
        ["1", "加强宣传工作", "全年在市级以上报刊媒体刊发宣传本单位工作信息不少于10篇，缺1篇扣0.1分。", "1", "12"],
        ["2", "做好信息报送", "每季度向州局报送质量安全监管工作信息不少于1篇，缺一篇扣0.05分。", "0.5", "12"],
        ["3", "每季度开展1次以上的食品生产加工小作坊专项监督检查工作", "缺一次扣0.1分。", "1", "12"],
        [
            "4",
            "督促企业提交自查报告",
            "全州食品生产许可证获证企业年度自查报告提交率达不到95%，每少一个百分点扣0.1分。",
            "2",
            "12",
        ],
        ["5", "做好工作信息报送", "每季度报送的工作信息不少于1篇，缺一篇扣0.05分。", "0.5", "12"],
    ],
)
TITLE = ["某州市场监督管理局", "2024年度目标绩效考核细则"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_long_requirement_keeps_its_whole_name(kaohe, tmp_path: Path, kind):
    """By hand, from each 考核标准:
    1. the words from the clause's start to 不少于, less 全年在: 市级以上报刊媒体刊发宣传本单位工作信息 (was
       体刊发宣传本单位工作信息), 10 required;
    2. 每季度 is the frequency: 1 a quarter × 4 = 4 (was 1, 每季度 cut off), named 向州局报送质量安全监管工作信息
       (was 报送质量安全监管工作信息);
    3. after 1次以上的 to the clause's end: 食品生产加工小作坊专项监督检查工作 (was …检查工), 1 × 4 = 4;
    4. a rate's name likewise: 全州食品生产许可证获证企业年度自查报告提交率 (was 获证企业年度自查报告提交率);
    5. the name is what follows 的 (工作信息), and the 每季度 before it still counts: 1 × 4 = 4 (was 1:
       the frequency went with the words before 的)."""
    write = doc2010.write_docx if kind == "docx" else doc2010.write_xlsx
    source = write(tmp_path / f"细则.{kind}", [TABLE], TITLE)
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo))
    assert run.code == 0, run.err
    problems = Problems()
    framework = load_repository(FsTree(repo), problems).frameworks["t"]
    assert not problems.errors, [p.format() for p in problems.errors]
    rules = {ind.seq: ind.rule[0] for ind in framework.indicators()}
    counts = {seq: (rule.kind, rule.name, getattr(rule, "required", None)) for seq, rule in rules.items()}
    assert counts == {
        "1": ("count", "市级以上报刊媒体刊发宣传本单位工作信息", 10),
        "2": ("count", "向州局报送质量安全监管工作信息", 4),
        "3": ("count", "食品生产加工小作坊专项监督检查工作", 4),
        "4": ("threshold", "全州食品生产许可证获证企业年度自查报告提交率", None),
        "5": ("count", "工作信息", 4),
    }
    assert rules["4"].threshold == Decimal(95)
