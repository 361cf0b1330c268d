"""The shipped site of both years read as a director, a clerk and an assessor read it: every table
adds up on the page, vetoes are marked, the reading text carries no ids, keys or file paths, and the
CSV downloads are the tables for Excel.

Built once from the repository's own data (2010 黔西南, 2014 辽阳); the pages are parsed as HTML.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from site_reading import main_text, number, tables, year_folder

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.years import load_year, years

ROOT = Path(__file__).resolve().parent.parent
YEARS = years(ROOT)
pytestmark = pytest.mark.skipif(not {2010, 2014} <= set(YEARS), reason="the shipped years 2010 and 2014 are expected")

AMOUNT = re.compile(r"^(否决·扣|否决·未得|少扣|扣|未得分少计|未得|少加|加)(\d+(?:\.\d+)?)分$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("readable") / "site"
    outcomes = write_site(ROOT, out, [Version(y, Provenance()) for y in YEARS])
    assert {o.version.year: o.warnings for o in outcomes} == {y: [] for y in YEARS}
    return out


def pages(site: Path, year: int, pattern: str = "**/*.html") -> list[Path]:
    return sorted(p for p in year_folder(site, year).glob(pattern) if p.name != "404.html")


def column_sums(table, total_row) -> None:
    names = {c.attrs["data-col"] for r in table.body() for c in r.cells if "data-col" in c.attrs}
    assert names, table.attrs
    for name in names:
        shown = sum((number(c.text) for r in table.body() for c in r.col(name)), Decimal(0))
        (total,) = total_row.col(name)
        assert shown == number(total.text), (name, shown, total.text)


@pytest.mark.parametrize("year", [2010, 2011, 2014])
def test_every_table_adds_up_on_the_page(site: Path, year: int):
    """Columns add up to their total rows; each sheet row's lines add up to its 扣分 or 加分 cell; the
    total is 得分 + 加分; on the overview 满分 − 失分 + 加分 = 总分 and the category scores plus the
    caps make the total. Numbers are read from the built pages only."""
    checked = {"rows": 0, "categories": 0, "digest": 0, "ranking": 0, "matrix": 0, "lines": 0}
    for page in [year_folder(site, year) / "index.html", *pages(site, year, "units/*.html")]:
        html = page.read_text(encoding="utf-8")
        for table in tables(html):
            kind = table.attrs.get("data-kh-sum")
            if kind == "rows":
                column_sums(table, table.foot("kh-subtotal"))
                for row in table.body():
                    shown = row.cells[-1].amounts
                    if not shown:
                        continue
                    amounts = [AMOUNT.match(a.strip()) for a in shown]
                    assert all(amounts), shown
                    signed = sum(
                        (
                            Decimal(m.group(2)) * (-1 if m.group(1) in ("少扣", "未得分少计", "少加") else 1)
                            for m in amounts
                            if m
                        ),
                        Decimal(0),
                    )
                    (cell,) = row.col("lost") or row.col("bonus")
                    assert signed == number(cell.text), (page.name, shown, cell.text)
                    checked["lines"] += 1
            elif kind in ("categories", "digest"):
                column_sums(table, table.foot("kh-total"))
                if kind == "categories":
                    grand = table.foot("kh-grand").cells[-1].text
                    total = table.foot("kh-total")
                    earned, bonus = number(total.col("earned")[0].text), total.col("bonus")
                    parts = re.findall(r"-?\d+(?:\.\d+)?", grand.replace("−", "-"))
                    if bonus:  # 总分16.71 = 得分14.71 + 加分2
                        assert Decimal(parts[0]) == earned + number(bonus[0].text), grand
                    else:
                        assert Decimal(parts[0]) == earned, grand
            elif kind == "ranking":
                for row in table.body():
                    total, maximum, lost = (number(row.col(n)[0].text) for n in ("total", "max", "lost"))
                    bonus = number(row.col("bonus")[0].text) if row.col("bonus") else Decimal(0)
                    assert maximum - lost + bonus == total, (page.name, [c.text for c in row.cells])
            elif kind == "matrix":
                for row in table.body():
                    parts = sum((number(c.text) for c in row.col("part")), Decimal(0))
                    assert parts == number(row.col("total")[0].text), (page.name, [c.text for c in row.cells])
            else:
                continue
            checked[kind] += 1
    units = len(pages(site, year, "units/*.html"))
    assert checked["categories"] == units and checked["rows"] > units and checked["lines"] > units
    assert checked["ranking"] >= 1 and checked["matrix"] == checked["ranking"]


def test_2014_bonus_is_its_own_column_and_the_cap_a_line_of_it(site: Path):
    """轻纺科 2014: 满分100 (85 in the quarters' tables, 3 重点, 12 服务), 失分0.34 (三、管理绩效: 2 absences
    × 0.1 in Q2 × 0.25 = 0.05; 五、服务绩效: 0.13 + 0.08 + 0.08 = 0.29), 创优 1 + 0.5 + 0.6 = 2.1 capped
    at 2 (−0.1); total 100 − 0.34 + 2 = 101.66, explained where it is above 满分."""
    html = (site / "liaoyang-ciq/2014/units/qfk.html").read_text(encoding="utf-8")
    (cats,) = [t for t in tables(html) if t.attrs.get("data-kh-sum") == "categories"]
    total = cats.foot("kh-total")
    assert [number(total.col(n)[0].text) for n in ("max", "earned", "lost", "bonus")] == [
        Decimal("100"),
        Decimal("99.66"),
        Decimal("0.34"),
        Decimal("2"),
    ]
    cap = next(r for r in cats.body() if "kh-adjust" in r.classes())
    assert number(cap.col("bonus")[0].text) == Decimal("-0.1") and "创优绩效最多2分" in cap.cells[1].text
    assert "总分高于满分100，因含创优加分2分" in main_text(html)
    (bonus_table,) = [t for t in tables(html) if "kh-bonus-table" in t.attrs.get("class", "")]
    assert [c.text for c in bonus_table.rows[0].cells][3:7] == ["加分上限", "完成月份", "加分", "加分理由"]
    assert "扣分" not in [c.text for c in bonus_table.rows[0].cells]  # bonus not earned is never called 扣分
    # the overview's row adds the cap as a column of its own and sums to 101.66
    overview = tables((site / "liaoyang-ciq/2014/index.html").read_text(encoding="utf-8"))
    row = next(
        r for t in overview if t.attrs.get("data-kh-sum") == "matrix" for r in t.body() if "轻纺科" in r.cells[0].text
    )
    assert [number(c.text) for c in row.col("part")][-2:] == [Decimal("2.1"), Decimal("-0.1")]
    assert number(row.col("total")[0].text) == Decimal("101.66")


def test_a_vetoed_unit_is_marked_on_the_overview_and_its_sheet(site: Path):
    overview = (site / "qianxinan-qts/2010/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="unit-(\w+)" class="kh-unit-row( kh-vetoed-unit)?">(.*?)</tr>', overview, re.S)
    # beside the unit's name: 有否决项 (a row of it is voided, 三、4 本项不得分), not 否决 alone, which
    # read as the unit itself vetoed (一票否决, what 2011's 兴义 has: kh-badge-unitveto)
    vetoed = {unit for unit, mark, body in rows if mark and 'kh-badge-vetoed" title="否决：三、4 ' in body}
    assert vetoed == {"anlong"} and len(rows) == 8
    anlong_row = next(body for unit, _, body in rows if unit == "anlong")
    name_cell = re.search(r'<td class="kh-unit">(.*?)</td>', anlong_row, re.S).group(1)
    assert name_cell.endswith(">有否决项</span>")
    anlong = (site / "qianxinan-qts/2010/units/anlong.html").read_text(encoding="utf-8")
    h1 = re.search(r'<h1 class="kh-sheet-title">(.*?)</h1>', anlong, re.S).group(1)
    assert h1.endswith('<span class="kh-badge kh-badge-vetoed">有否决项</span>')
    # the veto is the digest's first line, with its amount: 三、4 is worth 20 points
    (digest,) = [t for t in tables(anlong) if t.attrs.get("data-kh-sum") == "digest"]
    first = digest.body()[0]
    assert number(first.col("lost")[0].text) == Decimal("20") and first.cells[1].text.startswith("三、4 ")
    # the overview lists the unit's largest losses, the veto first
    losses = re.search(r'id="unit-anlong".*?<td class="kh-losses"[^>]*>(.*?)</td>', overview, re.S).group(1)
    assert losses.index("否决") < losses.index("三、4") < losses.index("五、6")
    xingyi = (site / "qianxinan-qts/2010/units/xingyi.html").read_text(encoding="utf-8")
    assert 'kh-badge-vetoed">否决</span>' not in xingyi.split("kh-legend")[0]


def ids_and_keys(year: int) -> set[str]:
    """Everything the files name by id: framework, series, units, indicators, rules, requirement and metric keys."""
    a = load_year(ROOT, year).assessment
    fw = a.framework
    found = {fw.id, *(s.id for s in fw.series), *(u.id for u in a.units)}
    for ind in fw.indicators():
        found.add(ind.id)
        for rule in ind.rule:
            found.add(rule.id)
            found |= set(rule.requirement_keys()) | set(rule.metric_keys())
    return {x for x in found if re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", x)}


@pytest.mark.parametrize("year", [2010, 2011, 2014])
def test_no_id_key_or_path_in_the_reading_text_of_any_page(site: Path, year: int):
    """Ids, keys and file paths are for developers: on every page they are one click away (来源),
    never in the reading text."""
    ids = ids_and_keys(year)
    assert {"anlong", "df-01", "county"} <= ids or {"qfk", "fw-01", "business"} <= ids
    jargon = re.compile(r"\.toml\b|\.md\b|工作区（未提交）|note 中|展开阅读全文|计入指标|framework|README")
    checked = 0
    for page in pages(site, year):
        text = main_text(page.read_text(encoding="utf-8"))
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", text))
        assert not words & ids, (page.relative_to(site), sorted(words & ids)[:5])
        assert not jargon.search(text), (page.relative_to(site), jargon.search(text).group(0))
        assert not re.search(r"\b[\w./-]+:\d+\b", text.replace("：", " ")), page.relative_to(site)
        checked += 1
    assert checked > 50  # every page: overview, framework, sheets, indicators, evidence


def test_grades_say_they_are_invented_and_ranks_read_n_of_m(site: Path):
    overview = main_text((site / "liaoyang-ciq/2014/index.html").read_text(encoding="utf-8"))
    assert "优秀（拟定示例）" in overview and "1 / 2" in overview and "1 / 4" in overview
    # a tie reads as one: in the third quarter 检疫科, 轻纺科 and 综合科 all lost nothing (85 of 85)
    quarter = main_text((site / "liaoyang-ciq/2014/periods/2014-Q3.html").read_text(encoding="utf-8"))
    assert quarter.count("1 / 4（并列）") == 3 and "4 / 4" in quarter
    # 2010 has no grade bands: no 等次 column of dashes
    assert "等次" not in main_text((site / "qianxinan-qts/2010/index.html").read_text(encoding="utf-8"))
    assert (
        "等次"
        not in main_text((site / "qianxinan-qts/2010/units/anlong.html").read_text(encoding="utf-8")).split(
            "扣分与加分一览"
        )[0]
    )
    assert "8 / 8" in main_text((site / "qianxinan-qts/2010/units/anlong.html").read_text(encoding="utf-8"))


def test_csv_downloads_are_the_tables_for_excel(site: Path):
    raw = (site / "liaoyang-ciq/2014/units/qfk.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the byte order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    # the sheet holds 扣分制 rows (管理, 第十一条) and 得分制 rows (服务, 第十二条): its column of what
    # each row lost is 失分, which is both
    assert rows[0][:8] == ["类别", "序号", "指标", "分值", "得分", "失分", "加分", "状态"]
    body = [r for r in rows[1:] if r[1]]
    # 管理 2 absences × 0.1 in Q2 × 0.25 = 0.05, 服务 0.13 + 0.08 + 0.08 = 0.29: 0.34 lost of 100
    assert sum(Decimal(r[5]) for r in body if r[5]) == Decimal("0.34")
    # the year's line taken from Q2 says so, as the sheet does: four quarters' lines read alike without it
    (absences,) = [r for r in body if r[5] == "0.05"]
    assert "第二季度×0.25：" in absences[8]
    assert sum(Decimal(r[6]) for r in body if r[6]) == Decimal("2.1")
    assert rows[-1][2:7] == ["总分", "100", "99.66", "0.34", "2"]
    overview = list(csv.reader(io.StringIO((site / "qianxinan-qts/2010/index.csv").read_text(encoding="utf-8-sig"))))
    assert overview[0][:5] == ["序列", "排名", "并列", "单位", "总分"]
    anlong = next(r for r in overview if r[3] == "安龙县质量技术监督局")
    assert anlong[:5] == ["县（市）局", "8", "", "安龙县质量技术监督局", "234.8"]
    assert anlong[10] == "三、4 坚持依法行政,做好行政案件办理工作"
    # each page links its download
    assert 'href="qfk.csv" download' in (site / "liaoyang-ciq/2014/units/qfk.html").read_text(encoding="utf-8")
    assert 'href="index.csv" download' in (site / "qianxinan-qts/2010/index.html").read_text(encoding="utf-8")


def test_every_interpretation_marker_is_named_in_chinese(site: Path):
    """A 解释 line on the framework page names the value it explains in words ("解释·同分排序"), never by
    its key in framework.toml ("解释·tie_break"): the 2011 framework marks its tie-break, and any field a
    marker may name (every field of a table with `interpreted`, as `kaohe check` allows) has a title."""
    import inspect

    from pydantic import BaseModel

    import generator.model as model
    from generator.messages import has

    page = main_text((site / "qianxinan-qts/2011/framework.html").read_text(encoding="utf-8"))
    assert "解释·同分排序：拟定示例" in page
    assert not re.search(r"解释·[A-Za-z_]", page), re.search(r"解释·[A-Za-z_]+", page).group(0)
    fields = {
        name
        for _, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, BaseModel) and "interpreted" in cls.model_fields
        for name in cls.model_fields
        if name not in ("interpreted", "id")  # validate._NOT_INTERPRETABLE
    }
    assert {"tie_break", "floor", "month", "quota"} <= fields
    assert sorted(f for f in fields if not has(f"field.{f}") and not has(f"rule.param.{f}")) == []


def test_the_change_from_last_year_reads_in_percentage_points_with_its_sign(site: Path):
    """2011 ranks by 得分率, so the overview's 比上年 is a change of the rate: "−0.19%" would read as a
    relative fall of 0.19 %; it says 个百分点 as the sheet does, and a rise carries its "+" so that
    "1.83" is not taken for last year's figure.

    兴义: 2010 256.98 / 257 = 99.992%, 2011 256.5 / 257 = 99.805%: 99.805 − 99.992 = −0.19 (to 0.01);
    兴仁: 2010 251.7 / 257 = 97.938%, 2011 256.4 / 257 = 99.767%: +1.83; total 251.7 → 256.4 = +4.7."""
    overview = (year_folder(site, 2011) / "index.html").read_text(encoding="utf-8")
    cells = {}
    for unit in ("xingyi", "xingren"):
        cell = re.search(rf'<tr id="unit-{unit}"[^>]*>.*?<td class="kh-num kh-delta"[^>]*>(.*?)</td>', overview, re.S)
        cells[unit] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell.group(1))).strip()
    assert cells == {"xingyi": "−0.19个百分点 —", "xingren": "+1.83个百分点 ↑2"}
    sheet = main_text((year_folder(site, 2011) / "units/xingren.html").read_text(encoding="utf-8"))
    assert "总分251.7→256.4（+4.7），得分率97.938%→99.767%（+1.83个百分点）" in sheet


def test_the_change_in_places_says_in_words_what_its_arrow_counts(site: Path):
    """Beside "+1.83个百分点", "↑2" could be points as well as places, and a bare "—" no change or no
    figure; their tooltips said "↑2" again. 兴仁: 2010 第5名 → 2011 第3名, up 2 places; 兴义: 第1名 both
    years; 望谟: 2010 第3名（并列）→ 2011 第6名, down 3."""
    overview = (year_folder(site, 2011) / "index.html").read_text(encoding="utf-8")
    titles = {}
    for unit in ("xingren", "xingyi", "wangmo"):
        cell = re.search(rf'<tr id="unit-{unit}"[^>]*>.*?<td class="kh-num kh-delta"[^>]*>(.*?)</td>', overview, re.S)
        titles[unit] = re.findall(r'title="([^"]*)"', cell.group(1))
    assert titles == {"xingren": ["名次上升2位"], "xingyi": ["名次与上年相同"], "wangmo": ["名次下降3位"]}


def test_a_digest_line_changed_on_appeal_says_so_beside_its_original_reason(site: Path):
    """普安's 0.4 deduction for the unreported summary (七、1) was changed to 0.1 on 复核: its reason
    still reads "酌情扣0.4分", so the digest line of 0.1 says 经复核由0.4分改为0.1分 and links the
    decision on the sheet, where the row strikes the 0.4 through."""
    puan = (year_folder(site, 2011) / "units/puan.html").read_text(encoding="utf-8")
    digest = next(t for t in tables(puan) if t.attrs.get("data-kh-sum") == "digest")
    rows = {r.cells[1].text.split()[0]: " ".join(c.text for c in r.cells) for r in digest.body()}
    line = rows["七、1"]
    assert line.startswith("0.1 ") and "酌情扣0.4分" in line and "经复核由0.4分改为0.1分" in line
    link = re.search(r'class="kh-digest-appealed" href="#(appeal-[^"]+)"', puan)
    assert link and f'id="{link.group(1)}"' in puan
    # a line no appeal changed carries no such note: 三、5 (扣1分) was not contested
    assert "改为" not in rows["三、5"]


#: A hyphen-minus before a digit that does not join two parts of a word, a date or a path ("-0.075",
#: not 2010-11-26, gl-03 or ×0.25-…): how a data file writes a negative number, not a printed table.
HYPHEN_MINUS = re.compile(r"(?<![\w.\-/:#])-\d")


@pytest.mark.parametrize("year", [2010, 2011, 2014])
def test_a_negative_number_reads_with_a_true_minus_sign_on_every_page(site: Path, year: int):
    """Every table of the site prints a negative figure as "−0.075" (a true minus sign, as the sheets'
    signed columns do); none, the 指标评估 page's included, as "-0.075". Hover text too. The CSV and
    JSON beside the pages are data and keep the hyphen-minus."""
    checked = 0
    for page in pages(site, year):
        html = page.read_text(encoding="utf-8")
        shown = [main_text(html), *(unescape(t) for t in re.findall(r'\btitle="([^"]*)"', html))]
        found = [m.group(0) for text in shown for m in HYPHEN_MINUS.finditer(text)]
        assert found == [], (page.relative_to(site), found[:3])
        checked += 1
    assert checked > 50
    if year == 2014:
        # 一、1 公文运转和督查督办 is worth 0 and applies to 办公室 alone: one document late in Q1
        # (0.1 × 0.25 = 0.025), two in Q4 (2 × 0.1 × 0.25 = 0.05): 0 − 0.025 − 0.05 = −0.075
        review = (year_folder(site, 2014) / "review.html").read_text(encoding="utf-8")
        row = re.search(r'id="ind-lz-bgs-01".*?</tr>', review, re.S).group(0)
        spread = re.findall(r'data-label="(?:最低|中位|最高)">([^<]*)</td>', row)
        assert spread == ["−0.075", "−0.075", "−0.075"]
        csv_text = (year_folder(site, 2014) / "units/bgs.csv").read_text(encoding="utf-8-sig")
        assert "-0.075" in csv_text and "−0.075" not in csv_text  # data keeps the hyphen-minus


def format_words() -> set[str]:
    """The English words of kaohe's file formats: every key of every schema in docs/schemas/ (metrics,
    satisfies, evidence, missing_amount …), every rule kind, and the folders of a year's files."""
    import json

    words = {"findings", "evidence", "frameworks"}

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                words.update(node["properties"])
            if key == "kind":
                words.update(v for v in node.get("enum", []) if isinstance(v, str))
                words.update([node["const"]] if isinstance(node.get("const"), str) else [])
            for k, v in node.items():
                walk(v, k if k not in ("properties", "items", "anyOf", "oneOf", "allOf") else key)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    for schema in sorted((ROOT / "docs/schemas").glob("*.schema.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return words


@pytest.mark.parametrize("year", [2010, 2011, 2014])
def test_a_framework_page_reads_in_chinese_without_the_formats_keys(site: Path, year: int):
    """A leader reads Chinese only: the framework page's text and hover text name no key of kaohe's
    file formats ("佐证材料的 metrics" read as nothing); the wording says 佐证材料中填报参训率."""
    keys = format_words()
    assert {"metrics", "satisfies", "evidence", "findings", "missing_amount", "threshold"} <= keys
    html = (year_folder(site, year) / "framework.html").read_text(encoding="utf-8")
    shown = [main_text(html), *(unescape(t) for t in re.findall(r'\btitle="([^"]*)"', html))]
    words = {w.lower() for text in shown for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)}
    assert sorted(words & keys) == [], sorted(words & keys)
    if year in (2010, 2011):  # 五、2 司炉人员节能知识培训: who reports the rate, in words
        assert "由县局在佐证材料中填报参训率" in shown[0]


@pytest.mark.parametrize("year", [2010, 2011])
def test_a_month_the_document_leaves_out_reads_as_the_year_end_in_words(site: Path, year: int):
    """The 2010 rules print no 完成月份 for 25 rows (二 and 四 to 九): the frameworks read them as
    December. The tag beside the 12 is the reason's lead; it read "12 月份未列" (a month, then "no
    month"), and now says what the 12 is: "12 按年底计", the reason in full on hover."""
    checked = 0
    for page in pages(site, year):
        text = main_text(page.read_text(encoding="utf-8"))
        assert not re.search(r"\d\s*月份未列", text), page.relative_to(site)
        checked += 1
    assert checked > 50
    sheet = (year_folder(site, year) / "units/anlong.html").read_text(encoding="utf-8")
    cells = {re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r'<td class="kh-num kh-month"[^>]*>(.*?)</td>', sheet)}
    assert "12按年底计" in cells
    framework = main_text((year_folder(site, year) / "framework.html").read_text(encoding="utf-8"))
    assert "解释·完成月份：按年底计：细则未列完成月份，按年底（12月）考核" in framework


@pytest.mark.parametrize("year", [2010, 2011])
def test_the_self_found_clause_names_the_rule_it_softens_by_its_number(site: Path, year: int):
    """一.8's rules, in order: revenue (收费罚没), discipline (违纪案件), no-accountability, self-found.
    self-found softens discipline only, the row's 2nd rule: 只减轻：第2条, not its id."""
    html = (year_folder(site, year) / "framework.html").read_text(encoding="utf-8")
    rule = re.search(r'<li id="rule-df-08-self-found">(.*?)</li>', html, re.S).group(1)
    words = unescape(re.sub(r"<[^>]+>", "", rule.split("<details")[0]))  # the reading text, not 来源
    assert "只减轻：第2条" in words and "discipline" not in words
