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
from builders import RANGE_10, evidence, finding, load, make_repo, write
from conftest import said
from period_support import FRAMEWORK_HEAD, QUARTERLY, YEARLY
from site_reading import Table, number, tables

from generator.output.xlsx import reasons
from generator.provenance import Provenance
from generator.render.pages import Site
from generator.score import score_assessment

#: 10 points, the assessor picks a deduction (扣分制).
WORK = RANGE_10

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
    """Each column of the digest (扣分, and 加分 where the framework has bonuses) sums to its 合计, as the
    desktop reader reads the numbers."""
    total = digest.foot("kh-total")
    for name in [c.attrs["data-col"] for c in total.cells if "data-col" in c.attrs]:
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


#: 得分制: 10 points earned by two items, 4 for the plan and 6 for its acceptance (验收).
EARNED = """
[[indicator]]
id = "zd"
target = "重点工作"
points = 10
method = "earned"

[[indicator.rule]]
id = "items"
kind = "checklist"
items = [
  { key = "plan", name = "工作方案", amount = 4 },
  { key = "accepted", name = "通过验收", amount = 6 },
]
"""

#: 扣分制, in a table of its own weighted to 5 points.
DEDUCTED = '[category]\nid = "d"\ntitle = "管理工作"\nweight = 5\n' + WORK.replace('"x"', '"y"')


def _scaling_words(root: Path, indicators: str, *, second: str = "", lang: str = "zh") -> list[str]:
    """The phone's words of the digest's lines, scaling lines and 合计 of unit a, whose plan (4 of the 10
    earned points) is filed and whose `x`/`y` lost 2 (a finding of each)."""
    findings = finding("f1", "x", "r", "信息迟报", amount="2") if '"x"' in indicators else ""
    findings += finding("f2", "y", "r", "信息迟报", amount="2") if second else ""
    make_repo(
        root,
        indicators,
        category='id = "c"\ntitle = "重点工作"\nweight = 5',
        evidence={"a/plan.md": evidence("zd", satisfies='"plan"')},
        findings={"a/f.toml": findings},
    )
    if second:
        write(root / "frameworks/t/02-d.toml", second)
    html = _sheet(_site(root, lang))
    _adds_up(_digest(html))
    return _words(html)


def test_a_weighted_earned_tables_scaling_line_is_worded_as_points_not_earned(tmp_path):
    """A 得分制 table weighted to 5 points (本表按5分折算): 重点工作 earned 4 of 10, 未得6分 (no 通过验收);
    scaled 4 ÷ 10 × 5 = 2 of 5, so the table lost 5 − 2 = 3, 6 − 3 = 3 less than its rows: the 折算 line
    read 少扣3分 in a table that deducts nothing. It reads 未得分少计3分. The unit's 扣分制 table (10 − 2 = 8,
    scaled 8 ÷ 10 × 5 = 4 of 5: lost 1, 2 − 1 = 1 less) keeps 少扣1分; the 合计 3 + 1 = 4 lost both ways
    is 失4分 (6 + 2 − 3 − 1 = 4)."""
    words = _scaling_words(tmp_path, EARNED, second=DEDUCTED)
    assert words == ["未得6分", "扣2分", "未得分少计3分", "少扣1分", "失4分"]


def test_a_weighted_mixed_tables_scaling_line_is_worded_as_points_lost(tmp_path):
    """One table weighted to 5 holds both kinds: 重点工作 (得分制) earned 4 of 10 and 工作 (扣分制) 10 − 2 = 8.
    Raw 12 of 20, scaled 12 ÷ 20 × 5 = 3 of 5: lost 2, 8 − 2 = 6 less than its rows (未得6 + 扣2): the
    折算 line reads 失分少计6分 (not 少扣6分; in English "lost, less 6", not "cap +6"), the 合计 失2分."""
    words = _scaling_words(tmp_path, EARNED + WORK)
    assert words == ["未得6分", "扣2分", "失分少计6分", "失2分"]
    assert _scaling_words(tmp_path, EARNED + WORK, lang="en")[2] == "lost, less 6"


def _empty_digest(root: Path, indicators: str, lang: str = "zh") -> tuple[str, str]:
    """The digest's title and its sentence on the sheet of unit a, which filed both items of 重点工作
    (10 of 10 earned) and has no finding: nothing lost, nothing added."""
    filed = {"a/plan.md": evidence("zd", satisfies='["plan", "accepted"]')} if '"zd"' in indicators else {}
    make_repo(root, indicators, evidence=filed)
    html = _sheet(_site(root, lang))
    title = re.search(r'<h2 id="digest">(.*?)</h2>', html).group(1)
    return title, re.search(r'<p class="kh-none">(.*?)</p>', html).group(1)


def test_an_empty_digest_says_what_the_units_tables_could_have_lost(tmp_path):
    """A unit that lost nothing read 本单位没有扣分、否决或加分 whatever its tables: in a 得分制 table (重点工作
    10 of 10 earned) there is no 扣分 to have, only 未得分; where the tables mix 得分制 and 扣分制 (工作, 10 of
    10), 失分. The title follows, as it does over lines: 失分与加分一览 (it read 扣分与加分一览). A table
    that only deducts keeps 本单位没有扣分、否决或加分 under 扣分与加分一览."""
    earned = _empty_digest(tmp_path / "earned", EARNED)
    assert earned == (said("site.digest.lost"), said("site.digest.none.earned"))
    assert earned == ("失分与加分一览", "本单位没有未得分、否决或加分。")
    mixed = _empty_digest(tmp_path / "mixed", EARNED + WORK)
    assert (
        mixed
        == ("失分与加分一览", said("site.digest.none.mixed"))
        == ("失分与加分一览", "本单位没有失分、否决或加分。")
    )
    deducted = _empty_digest(tmp_path / "deducted", WORK)
    assert (
        deducted
        == (said("site.digest"), said("site.digest.none"))
        == ("扣分与加分一览", "本单位没有扣分、否决或加分。")
    )
    # in English: "Points lost and bonuses", and no "No deduction" where nothing could be deducted
    english = _empty_digest(tmp_path / "english", EARNED, lang="en")
    assert english == ("Points lost and bonuses", "Every point earned; no veto or bonus for this unit.")


#: The quarters assess 重点绩效 (得分制) only, the year 履职绩效 (扣分制): every table is assessed somewhere.
PERIODS = (
    FRAMEWORK_HEAD
    + """\
[[period]]
kind = "quarter"
title = "季度考核"
categories = ["zd"]
weight = 0.25
report_day = 5

[[period]]
kind = "year"
title = "年度考核"
categories = ["lz"]
report_day = 5
"""
)


def test_a_period_page_says_a_unit_without_lines_earned_everything(tmp_path):
    """A quarter assessing 重点绩效 (得分制) only: 甲科 rated 3 of 3 in Q1 (no line), 乙科 not rated (未得3分,
    missing_amount 3). The quarter's page read 本单位没有扣分、否决或加分 under 甲科, a unit that could lose
    only points not earned: it reads 本单位没有未得分、否决或加分."""
    write(tmp_path / "frameworks/t/framework.toml", PERIODS)
    write(tmp_path / "frameworks/t/01-lz.toml", QUARTERLY)
    write(tmp_path / "frameworks/t/02-zd.toml", YEARLY.replace("month = 12\n", ""))
    units = "".join(
        f'\n[[unit]]\nid = "{u}"\nname = "{n}"\nseries = "office"\n' for u, n in (("a", "甲科"), ("b", "乙科"))
    )
    write(tmp_path / "evidence/2014/units.toml", f'year = 2014\nframework = "t"\n{units}')
    rating = finding("r1", "zd-1", "rating", "重点工作完成", amount="3").replace("2010-08-01", "2014-03-20")
    write(tmp_path / "evidence/2014/a/f.toml", rating)
    repo, problems = load(tmp_path)
    assert not problems.errors, [p.format() for p in problems]
    assessment = repo.assessments[2014]  # type: ignore[attr-defined]
    results = score_assessment(assessment)
    periods = {p.key: score_assessment(assessment, period=p) for p in results.periods}
    site = Site(assessment, results, Provenance(commit=None, draft=True), period_results=periods)
    html = site.render(next(p for p in site.pages() if p.kind == "period" and p.key == "2014-Q1"))
    after_a = html.split('<h3 id="unit-a">')[1].split("<h3")[0]
    assert re.search(r'<p class="kh-none">(.*?)</p>', after_a).group(1) == said("site.digest.none.earned")
    assert "未得3分" in html.split('<h3 id="unit-b">')[1]


#: A 扣分制 row of 3 points and a 得分制 row of 4 (辽阳 第十条: points earned), each with 此项不得分.
VETOED_BY_METHOD = """
[[indicator]]
id = "d"
target = "信息报送"
points = 3

[[indicator.rule]]
id = "v"
kind = "veto"
text = "弄虚作假的，此项不得分"

[[indicator]]
id = "e"
target = "标准化建设"
points = 4
method = "earned"

[[indicator.rule]]
id = "v"
kind = "veto"
text = "弄虚作假的，此项不得分"
"""


def test_a_veto_is_worded_by_its_row_s_method(tmp_path, kaohe):
    """此项不得分 scores the row 0: in the 扣分制 row its 3 points are deducted (否决·扣3分); in the 得分制
    row a unit is never deducted, its 4 points are not earned (否决·未得4分). As `kaohe score --format
    table --detail` words each line."""
    findings = finding("v1", "d", "v", "报送数据不实") + finding("v2", "e", "v", "台账造假")
    make_repo(tmp_path, VETOED_BY_METHOD, findings={"a/f.toml": findings})
    table = kaohe("score", "--repo", str(tmp_path), "--format", "table", "--detail")
    assert table.code == 0, table.err
    (d,) = [r for r in table.out.splitlines() if "报送数据不实" in r]
    (e,) = [r for r in table.out.splitlines() if "台账造假" in r]
    assert "否决·扣3分" in d and "否决·未得" not in d
    assert "否决·未得4分" in e and "否决·扣" not in e
