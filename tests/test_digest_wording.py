"""A sheet's digest (扣分与加分一览 / 失分与加分一览) worded as the rows it lists are scored: a veto in a
加分 row adds nothing and takes nothing (否决·不加分), a weighted table's scaling line and the empty
digest's sentence say 扣, 未得 or 失 as the table's rows lose points.

Each test writes a small repository in a tmp dir, scores it and renders the unit's sheet through the
site's own :class:`Site`, then reads the page as a reader does (:mod:`site_reading`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from appeal_support import APPEAL_KINDS, NOTICE, appeal, decided
from builders import finding, load, make_repo, write
from conftest import said
from site_reading import Table, number, tables

from generator.output.xlsx import reasons
from generator.provenance import Provenance
from generator.render.pages import Site
from generator.score import score_assessment

#: 10 points, the assessor picks a deduction (扣分制).
WORK = """
[[indicator]]
id = "x"
target = "工作"
points = 10

[[indicator.rule]]
id = "r"
kind = "range"
min = 0
max = 10
"""

#: 创优 (加分): cy-1 up to 2 points, 此项不得分 where the unit was publicly criticised; cy-2 up to 1.
BONUS = """[category]
id = "cy"
title = "创优绩效"

[[indicator]]
id = "cy-1"
target = "获得表彰"
points = 2
method = "bonus"

[[indicator.rule]]
id = "honour"
kind = "award"

[[indicator.rule]]
id = "criticised"
kind = "veto"
text = "受到通报批评的，此项不得分"

[[indicator]]
id = "cy-2"
target = "经验推广"
points = 1
method = "bonus"

[[indicator.rule]]
id = "shared"
kind = "award"
"""


def _site(root: Path, lang: str = "zh") -> Site:
    repo, problems = load(root)
    assert not problems.errors, [p.format() for p in problems]
    assessment = repo.assessments[2010]  # type: ignore[attr-defined]
    return Site(assessment, score_assessment(assessment), Provenance(commit=None, draft=True), lang=lang)


def _sheet(site: Site, unit: str = "a") -> str:
    return site.render(next(p for p in site.pages() if p.kind == "sheet" and p.key == unit))


def _digest(html: str) -> Table:
    (digest,) = [t for t in tables(html) if t.attrs.get("data-kh-sum") == "digest"]
    return digest


def _words(html: str) -> list[str]:
    """The digest's figures in words, as a phone's card shows them (.kh-fig-words), in page order."""
    table = re.search(r'<table class="kh-table kh-digest".*?</table>', html, re.S).group(0)
    return re.findall(r'<span class="kh-fig-words">(.*?)</span>', table)


def _adds_up(digest: Table) -> None:
    """Each column of the digest sums to its 合计, as the desktop reader reads the numbers."""
    total = digest.foot("kh-total")
    for name in ("lost", "bonus"):
        shown = sum((number(c.text) for r in digest.body() for c in r.col(name)), Decimal(0))
        assert shown == number(total.col(name)[0].text), (name, shown)


def _vetoed_bonus(root: Path, *appeals: str) -> Path:
    # 工作: 扣1分 → 9 of 10. 创优: cy-1 awarded 1 (省级表彰), then vetoed (通报批评): 此项不得分, 0 added;
    # cy-2 awarded 0.5. 加分 = 0 + 0.5 = 0.5; total 9 + 0.5 = 9.5.
    findings = (
        finding("f1", "x", "r", "信息迟报", amount="1")
        + finding("b1", "cy-1", "honour", "获省级表彰", amount="1")
        + finding("v1", "cy-1", "criticised", "受到市政府通报批评")
        + finding("b2", "cy-2", "shared", "经验被推广", amount="0.5")
    )
    files = {"a/f.toml": findings} | ({"a/appeal.toml": "\n".join(appeals)} if appeals else {})
    make_repo(root, WORK, settings=APPEAL_KINDS, findings=files)
    write(root / "frameworks/t/02-cy.toml", BONUS)
    write(root / "evidence/2010/stages.toml", NOTICE)
    return root


def test_a_vetoed_bonus_row_is_not_added_and_not_worded_as_a_deduction(tmp_path):
    """创优 is 加分 (辽阳 第十三条): a veto there (此项不得分) leaves the bonus unadded. The digest put the
    row's 2 points in its 加分 column worded 否决·扣2分, a column of 2 + 0.5 over a 合计 of 0.5. It now
    reads 不加分 with no amount (否决·不加分 on a phone's card), and 0 + 0.5 = 0.5 adds up."""
    root = _vetoed_bonus(tmp_path)
    site = _site(root)
    unit = site.results.unit("a")
    assert (unit.total, unit.bonus) == (Decimal("9.5"), Decimal("0.5"))
    html = _sheet(site)
    digest = _digest(html)
    veto = next(r for r in digest.body() if "kh-kind-veto" in r.classes())
    assert veto.col("bonus")[0].text.strip() == said("site.digest.not_added") == "不加分"
    assert veto.col("lost")[0].text.strip() == ""
    assert "受到市政府通报批评" in veto.cells[-1].text
    _adds_up(digest)
    assert number(digest.foot("kh-total").col("bonus")[0].text) == Decimal("0.5")
    # the phone's words: 扣1分, then the bonuses by what they added (0.5, then 0), then the sums
    assert _words(html) == ["扣1分", "加0.5分", "否决·不加分", "扣1分", "加0.5分"]
    assert "否决·扣" not in html
    # the 创优 table's line says the same (a 加分 row loses nothing: no 扣 there either)
    (bonus_table,) = [t for t in tables(html) if "kh-bonus-table" in t.attrs.get("class", "")]
    row = next(r for r in bonus_table.body() if "获得表彰" in r.cells[1].text)
    assert [a.strip() for c in row.cells for a in c.amounts] == ["否决·不加分"]


def test_a_vetoed_bonus_row_in_english_and_in_the_terminal(tmp_path, kaohe):
    """The English sheet words the same line "veto·not added" (its cell "not added"), and `kaohe
    score --format table --detail` and the workbook 否决·不加分, where they read veto·−2, 否决·扣2分, −2."""
    root = _vetoed_bonus(tmp_path)
    html = _sheet(_site(root, lang="en"))
    veto = next(r for r in _digest(html).body() if "kh-kind-veto" in r.classes())
    assert veto.col("bonus")[0].text.strip() == "not added"
    assert "veto·not added" in _words(html)
    table = kaohe("score", "--repo", str(root), "--format", "table", "--detail")
    assert table.code == 0, table.err
    assert "否决·不加分" in table.out and "否决·扣" not in table.out
    # and the workbook's 加分理由 (it read "此项不得分：受到市政府通报批评（−2）")
    unit = _site(root).results.unit("a")
    assert (
        reasons(unit, next(i for i in unit.indicators if i.id == "cy-1"))
        == "此项不得分：受到市政府通报批评（否决·不加分）"
    )


def test_a_revoked_veto_of_a_bonus_row_says_it_was_revoked(tmp_path):
    """An appeal revokes the 通报批评 veto: cy-1's award of 1 counts again (加分 1 + 0.5 = 1.5). The veto
    line reads 否决·不加分 struck through, then 否决已撤销 (not 否决·不加分 a second time, nor 否决·扣0分)."""
    root = _vetoed_bonus(tmp_path, appeal('finding = "v1"', decision=decided("撤销"), kind='kind = "复核"\n'))
    site = _site(root)
    assert site.results.unit("a").bonus == Decimal("1.5")
    html = _sheet(site)
    (bonus_table,) = [t for t in tables(html) if "kh-bonus-table" in t.attrs.get("class", "")]
    row = next(r for r in bonus_table.body() if "获得表彰" in r.cells[1].text)
    assert [a.strip() for c in row.cells for a in c.amounts] == ["加1分", "否决已撤销"]
    assert re.search(r'<del class="kh-amt-original"[^>]*>否决·不加分</del>', html)
    _adds_up(_digest(html))
