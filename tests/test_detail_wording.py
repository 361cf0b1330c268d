"""`kaohe score --detail` heads its reasons by the rows whose lines it lists (docs/formats.md, 得分制).

黔西南 2010 table 一 deducts (扣0.6分); table 二 is 得分制 (points per 考核要点, no 扣: 02-biaozhun.toml),
so what a unit did not earn there is 未得分, and a column holding both is 扣分或未得分理由, as the
score sheet heads it. A unit with deductions only keeps 扣分理由.
"""

from __future__ import annotations

from conftest import ROOT


def detail_header(kaohe, unit: str) -> list[str]:
    run = kaohe("score", "--repo", str(ROOT), "--year", "2010", "--unit", unit, "--detail")
    assert run.code == 0, run.err
    return run.out.split("\n\n")[-1].splitlines()[1].split()


def test_the_detail_header_follows_the_lines_it_lists(kaohe):
    # 兴仁: table 一 row 8 扣0.6分 (扣分制) and table 二 row 2 未得2分 (得分制, no 工作总结): both kinds
    assert detail_header(kaohe, "xingren")[-1] == "扣分或未得分理由"
    # 安龙 lost 22.2 by deductions only (table 二 full): the 扣分制 wording stays as it was
    assert detail_header(kaohe, "anlong")[-1] == "扣分理由"
