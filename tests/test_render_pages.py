"""Page builders of the results site, without MkDocs: links on every line, statuses, safety."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from render_support import COMMIT, FIXTURE, make_site

from generator.load.links import classify
from generator.messages import msg
from generator.provenance import Provenance
from generator.render import charts, evidence_html, urls
from generator.render.evidence_html import render_body, sanitise
from generator.render.labels import labels
from generator.render.pages import Site
from generator.render.plugin import search_text
from generator.render.years import load_year


class Elements(HTMLParser):
    """Every start tag with its attributes, for assertions about the markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def line_items(html: str) -> list[str]:
    return re.findall(r'<li class="kh-line[^"]*" id="ln-[^"]+">.*?</li>', html, re.S)


def test_every_deduction_line_links_evidence_or_names_missing_item_rule_and_source():
    site = make_site()
    checked = 0
    for spec in site.pages():
        if spec.kind != "sheet":
            continue
        html = site.render(spec)
        unit = site.results.unit(spec.key)
        lines = [line for row in unit.indicators for line in row.lines]
        items = line_items(html)
        assert len(items) == len(lines), spec.src_uri
        for line, item in zip(lines, items, strict=True):
            if line.evidence:
                for path in line.evidence:
                    assert f'href="{urls.href(spec.src_uri, urls.evidence(path, 2010))}"' in item
            elif line.missing:
                assert line.missing in item
            assert 'class="kh-rule" href="../framework.html#' in item
            path, number = line.source.path, line.source.line
            assert f'href="https://git.example/org/kaohe/src/commit/{COMMIT}/{path}#L{number}"' in item
            checked += 1
    assert checked >= 10


def test_rule_links_point_at_anchors_on_the_framework_page():
    site = make_site()
    framework = site.render(next(p for p in site.pages() if p.kind == "framework"))
    ids = {attrs.get("id") for _, attrs in elements(framework)}
    sheet = site.render(next(p for p in site.pages() if p.key == "xingren"))
    anchors = re.findall(r'href="\.\./framework\.html#([^"]+)"', sheet)
    assert anchors and set(anchors) <= ids


def test_statuses_differ_by_word_not_only_colour():
    site = make_site()
    html = site.render(next(p for p in site.pages() if p.key == "xingren"))
    assert 'class="kh-row kh-status-not_applicable"' in html and "不适用" in html
    assert 'class="kh-row kh-status-unscored"' in html and "不计分" in html
    anlong = site.render(next(p for p in site.pages() if p.key == "anlong"))
    assert "kh-status-vetoed" in anlong and 'kh-badge-vetoed">否决' in anlong


def test_sheet_is_shaped_like_the_source_tables():
    site = make_site()
    html = site.render(next(p for p in site.pages() if p.key == "xingren"))
    header = "".join(
        f"<th>{w}</th>" for w in ("序号", "目标内容", "考核标准", "分值", "完成月份", "得分", "扣分", "扣分理由")
    )
    assert header in html
    assert "考核人" in html and "审核人" in html
    assert "23.02" in html  # the unit's total


def test_ties_are_shown_as_shared_rank():
    site = make_site()
    unit = site.results.units[0]
    unit.tied = True
    html = site.render(next(p for p in site.pages() if p.kind == "overview"))
    members = sum(1 for u in site.results.units if u.series == unit.series)
    assert f"{unit.rank} / {members}（并列）" in html  # the place among the series' units, shared


def test_evidence_page_shows_front_matter_and_back_links():
    site = make_site()
    path = "evidence/2010/xingren/df-03-education.md"
    spec = next(p for p in site.pages() if p.key == path)
    html = site.render(spec)
    assert "反腐倡廉教育" in html and "（education）" not in html  # satisfies, by the requirement's name only
    assert 'href="../../units/xingren.html#ln-df-08-0"' in html  # the deduction that cites it
    assert 'href="../../units/xingren.html#ind-df-03"' in html  # the indicator it was counted for
    assert "data-search-exclude" in html


def test_relative_links_between_evidence_files_become_page_links():
    site = make_site()
    spec = next(p for p in site.pages() if p.key == "evidence/2010/xingren/df-01-halfyear.md")
    assert '<a href="df-01-meeting.html"' in site.render(spec)


def test_draft_banner_and_working_tree_provenance():
    site = make_site(commit=None, draft=True, tag=None)
    banner = site.banner()
    assert "草稿" in banner and "工作区（未提交）" in banner
    final = make_site().banner()
    assert "草稿" not in final and COMMIT[:10] in final and "results-2010" in final


def test_without_a_commit_sources_are_text_not_links():
    site = make_site(commit=None, draft=True)
    html = site.render(next(p for p in site.pages() if p.key == "xingren"))
    assert "git.example" not in html
    # the file and line are one click away (来源), never the reading text
    assert (
        '<details class="kh-src" data-search-exclude><summary>来源</summary><code>frameworks/mini/01-dangfeng.toml:16</code>'
        in html
    )


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg onload=alert(1)></svg>",
        "[x](JaVaScRiPt:alert(1))",
        "![x](javascript:alert(1))",
    ],
)
def test_evidence_bodies_never_carry_script(body):
    html = render_body("evidence/2010/xingren/a.md", body, lambda p: None)
    for tag, attrs in elements(html):
        assert tag not in ("script", "iframe", "svg", "object", "embed", "style")
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert not value.strip().lower().startswith("javascript:"), html


def test_sanitiser_strips_raw_html_that_reaches_it():
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">b</a><style>p{}</style></p>'
    )
    clean = sanitise(dirty)
    assert "<script" not in clean and "onerror" not in clean and "onclick" not in clean
    assert "javascript:" not in clean and "<style" not in clean and "alert(1)</" not in clean


def test_links_cannot_leave_the_repository_or_load_other_hosts():
    assert classify("evidence/2010/u/a.md", "../../../../etc/passwd").kind == "outside"
    assert classify("evidence/2010/u/a.md", "/etc/passwd").kind == "absolute"
    assert classify("evidence/2010/u/a.md", "b.md").path == "evidence/2010/u/b.md"
    html = render_body(
        "evidence/2010/u/a.md",
        "[up](../../../../x.md) ![img](https://evil.example/x.png) [web](https://example.org/)",
        lambda p: "PAGE",
    )
    assert "evil.example" not in html and "../../../../x.md" not in html
    assert 'href="https://example.org/"' in html  # a link to read elsewhere stays, it loads nothing


def test_charts_are_deterministic_svg_without_floats():
    t = labels("zh")
    from decimal import Decimal as D

    a = charts.totals_chart([("甲", D("23.02"), D("25")), ("乙", D("7.22"), D("30"))], t)
    assert a == charts.totals_chart([("甲", D("23.02"), D("25")), ("乙", D("7.22"), D("30"))], t)
    assert a.startswith("<svg") and "<script" not in a and "e-" not in a
    b = charts.lost_chart([("甲", [D("1.78"), D("0.2")])], ["党风", "执法"], t)
    assert "党风" in b and "1.98" in b


def _legend(svg: str) -> list[tuple[str, str]]:
    """(x, y) of each legend entry's text, in order."""
    return re.findall(r'<text x="([\d.]+)" y="([\d.]+)" class="kh-chart-legend">', svg)


def test_a_long_category_title_in_the_legend_does_not_run_into_the_next_entry():
    """2014's legend put "履职绩效（行政管理科室和直属单位）" (17 characters of 12 px: 204 px) in a column
    of (760 − 150) / 3 = 203.3 px, its text starting 20 px in: it ran 20.7 px past the next
    entry's swatch. It needs 20 + 204 + 12 = 236 px, so two entries a line (305 px each): texts
    at x 150 + 20 = 170 and 150 + 305 + 20 = 475, the third entry on the next line (y + 20)."""
    from decimal import Decimal as D

    t = labels("zh")
    titles = ["履职绩效（行政管理科室和直属单位）", "履职绩效（业务管理科室）", "管理绩效", "重点绩效", "服务绩效"]
    svg = charts.lost_chart([("办公室", [D("0.1"), D("0"), D("0.05"), D("0.2"), D("0.6")])], titles, t)
    entries = _legend(svg)
    assert [x for x, _ in entries] == ["170", "475", "170", "475", "170"]
    assert entries[0][1] == entries[1][1] != entries[2][1]
    # 2010's longest title, 特种设备安全监管工作 (10 × 12 = 120 px, 152 with swatch and gap), keeps three
    # a line: 150 + 20 = 170, + 203.3 = 373.3, + 203.3 = 576.7
    short = ["党风廉政建设工作", "特种设备安全监管工作", "计量节能工作", "依法行政工作"]
    svg = charts.lost_chart([("安龙县", [D("0.2"), D("2"), D("0"), D("0")])], short, t)
    assert [x for x, _ in _legend(svg)] == ["170", "373.3", "576.7", "170"]


def test_english_interface():
    loaded = load_year(FIXTURE, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance(), "en")
    html = site.render(next(p for p in site.pages() if p.key == "xingren"))
    assert "<th>No.</th>" in html and "Reason" in html


def test_every_indicator_has_an_anchor_on_every_sheet_even_when_its_category_does_not_apply(mini: Path):
    text = (mini / "frameworks/mini/02-zhifa.toml").read_text(encoding="utf-8")
    text = text.replace(
        'department = "稽查支队"', 'department = "稽查支队"\napplies_to = { units = ["cehen", "anlong"] }'
    )
    (mini / "frameworks/mini/02-zhifa.toml").write_text(text, encoding="utf-8")
    site = make_site(mini)
    for spec in site.pages():
        if spec.kind == "sheet":
            html = site.render(spec)
            for row in site.results.unit(spec.key).indicators:
                assert f'id="ind-{row.id}"' in html, (spec.key, row.id)
    assert "kh-all-na" in site.render(next(p for p in site.pages() if p.key == "xingren"))


def test_unit_level_adjustments_are_shown_with_their_source():
    from decimal import Decimal as D

    from generator.score.results import Line
    from generator.source import Source

    site = make_site()
    unit = site.results.unit("xingren")
    source = Source("frameworks/mini/framework.toml")
    unit.adjustments.append(Line(D("-0.5"), msg("score.finding", reason="创优绩效最多1分"), "cap", source, kind="cap"))
    html = site.render(next(p for p in site.pages() if p.key == "xingren"))
    row = html.split('<tr class="kh-adjust"', 1)[1].split("</tr>", 1)[0]
    assert "创优绩效最多1分" in row and "−0.5" in row
    assert 'href="../framework.html#parts"' in row
    assert f"/{COMMIT}/frameworks/mini/framework.toml#L1" in row


def test_shipped_2010_pages_tell_the_document_from_the_project():
    """The 2010 sheets and framework page mark every reading: 按年底计 beside an unprinted month, the
    reason in full on the framework page, 扣分原则 apart from the standard, and ranking by rate."""
    from generator.score import score_assessment

    root = Path(__file__).resolve().parent.parent
    loaded = load_year(root, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance(draft=True))
    pages = {spec.src_uri: spec for spec in site.pages()}
    sheet = site.render(pages[urls.sheet("qinglong")])
    # 四.1 prints no month: its 12 carries the tag and the full reason on hover
    row = sheet[sheet.index('id="ind-sp-01"') :]
    row = row[: row.index("</tr>")]
    assert (
        '12<span class="kh-interp" title="解释：按年底计：细则未列完成月份，按年底（12月）考核">按年底计</span>' in row
    )
    assert '<span class="kh-principle-label">扣分原则</span>总分1分,未细化监管责任,扣0.5分' in row
    # 一.4 prints its month (12): no tag
    row = sheet[sheet.index('id="ind-df-04"') :]
    assert "kh-interp" not in row[: row.index("</tr>")]
    # ranking by rate is said, and the rate shown (251.36 / 262 = 95.938…% → 95.94%)
    assert "按得分率（总分÷满分）排名" in sheet and "95.94%" in sheet
    framework = site.render(pages[urls.framework()])
    assert "解释·本规则最多扣：7.3未印分值，按本行10分减7.1的5分、7.2的3分推定为2分" in framework
    assert '<span class="kh-label">7.3</span>' in framework
    assert "按得分率（总分÷满分）排名" in framework
    overview = site.render(pages[urls.overview()])
    assert "97.94%" in overview and "得分率" in overview  # 兴仁 251.7 / 257
    # every rate of 2010 differs at two places already: none is printed with three
    assert site.rate_places == 2
    # as of September the sheet shows what is due against the year: 0.2 due, 262 in the year
    early = score_assessment(loaded.assessment, date(2010, 9, 30))
    site = Site(loaded.assessment, early, Provenance(draft=True))
    sheet = site.render(pages[urls.sheet("zhenfeng")])
    assert "<th>全年满分</th>" in sheet and '<td class="kh-num" data-label="全年满分">262</td>' in sheet


def test_a_body_up_to_the_limit_is_shown_whole(monkeypatch):
    monkeypatch.setattr(evidence_html, "SHOWN_CHARS", 20)
    body = "第一行十个字，正文。\n" + "第二行九个字正文。"  # 11 + 9 = 20 characters: exactly the limit
    html = render_body("evidence/2010/u/a.md", body, lambda p: None)
    assert html == "<p>第一行十个字，正文。\n第二行九个字正文。</p>\n"
    assert "kh-body-cut" not in html


def test_a_longer_body_is_cut_at_its_last_line_break_and_says_so(monkeypatch):
    monkeypatch.setattr(evidence_html, "SHOWN_CHARS", 20)
    body = "第一行十个字，正文。\n" + "第二行共十个字正文。"  # 21 characters: one over
    html = render_body("evidence/2010/u/a.md", body, lambda p: None)
    # the first line (11 characters with its break) is shown; the second would cross the limit
    assert html.startswith("<p>第一行十个字，正文。</p>\n")
    assert "第二行" not in html
    cut = re.search(r'<p class="kh-body-cut">(.*)</p>', html)
    assert cut is not None and "21" in cut.group(1) and "11" in cut.group(1)


def test_a_body_without_line_breaks_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(evidence_html, "SHOWN_CHARS", 20)
    body = "字" * 30  # no line break in the second half of the first 20 characters: cut at 20
    assert evidence_html.shown_part(body) == "字" * 20
    body = "一\n" + "字" * 30  # a break only in the first half (at 1): still cut at 20, not after 2
    assert evidence_html.shown_part(body) == "一\n" + "字" * 18


def test_a_cut_body_is_still_sanitised(monkeypatch):
    monkeypatch.setattr(evidence_html, "SHOWN_CHARS", 40)
    body = "[x](javascript:alert(1))\n" + "<script>alert(2)</script>" * 3
    html = render_body("evidence/2010/u/a.md", body, lambda p: None)
    assert "kh-body-cut" in html and "javascript:" not in html and "<script" not in html


def test_rates_that_print_alike_but_differ_get_the_places_that_tell_them_apart(tmp_path):
    """2011: 册亨 261.4 ÷ 262 = 99.7709…% and 兴仁 256.4 ÷ 257 = 99.7665…% both print 99.77% at two
    places, yet rank 2nd and 3rd; at three they print 99.771% and 99.767%, and so does every rate of
    the year (兴义 256.5 ÷ 257 = 99.8054…% → 99.805%)."""
    from generator.score.results import rate_places

    root = Path(__file__).resolve().parent.parent
    loaded = load_year(root, 2011)
    assert rate_places(loaded.results.units) == 3
    site = Site(loaded.assessment, loaded.results, Provenance(draft=True))
    pages = {spec.src_uri: spec for spec in site.pages()}
    overview = site.render(pages[urls.overview()])
    assert "99.771%" in overview and "99.767%" in overview and "99.805%" in overview
    assert "99.77%" not in overview
    assert "99.771%" in site.render(pages[urls.sheet("ceheng")])


def test_the_digest_orders_indicators_by_their_net_and_says_so():
    """兴仁's 2010 digest: an indicator's lines together, indicators by their net 扣分, largest first,
    as the note above the table says. 一、8 deducts 0.6 and gives back 0.2 (酌情少扣): net 0.6 − 0.2 =
    0.4, so it follows 八、1's 0.5 and precedes 七、1's 0.3, and says its net beside it. Before, the
    note read 各按金额从大到小 while 0.6 stood below 0.5, and no net was shown."""
    root = Path(__file__).resolve().parent.parent
    loaded = load_year(root, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance(draft=True))
    sheet = site.render(next(spec for spec in site.pages() if spec.src_uri == urls.sheet("xingren")))
    digest = sheet[sheet.index('<h2 id="digest"') :]
    digest = digest[: digest.index("</table>")]
    note = str(msg("site.digest.note.lost"))  # 兴仁 lost points not earned (table 二) and deductions
    assert note in digest and "本指标合计" in note
    lost = r'data-col="lost"><span class="kh-fig-num">([^<]+)</span>'
    rows = re.findall(lost + r'.*?href="#ln-([a-z0-9-]+)-\d+"', digest, re.S)
    # 二、2 2 and 五、2 2 (ties in the framework's order), 八、1 0.5, 一、8 0.6 − 0.2 = 0.4, 七、1 0.3, 三、4 0.1
    assert rows == [
        ("2", "bz-02"),
        ("2", "tz-02"),
        ("0.5", "jl-01"),
        ("0.6", "df-08"),
        ("−0.2", "df-08"),
        ("0.3", "zl-01"),
        ("0.1", "zf-04"),
    ]
    net = digest[digest.index('href="#ln-df-08-0"') :]
    assert net[: net.index("</td>")].endswith('<span class="kh-digest-net">（本指标合计扣0.4分）</span>')
    assert digest.count("kh-digest-net") == 1  # a row of one line needs no net: its amount is it


def test_the_search_index_reads_a_deductions_references_apart():
    """The 2014 quarter pages' summaries read "认定：办公室 2014-03-21细则": the 认定 span and the 细则 link
    touch in the page (the template's line breaks are trimmed). Only the indexed text gets a space;
    text inside one element is left as it is."""
    html = '<span class="kh-decided">认定：办公室 2014-03-21</span><a class="kh-rule" href="r">细则</a>'
    assert search_text(html) == (
        '<span class="kh-decided">认定：办公室 2014-03-21</span> <a class="kh-rule" href="r">细则</a>'
    )
    assert search_text("<td>7.22</td><td>30</td>") == "<td>7.22</td> <td>30</td>"
    assert (
        search_text("<strong>扣</strong><em>0.5</em><abbr>分</abbr>")
        == "<strong>扣</strong><em>0.5</em><abbr>分</abbr>"
    )


def test_an_english_sheet_csv_labels_an_adjustment_with_an_english_colon():
    """The downloaded sheet's row of a part's cap reads "Adjustments: 创优绩效最多1分" on an English
    site, as the page does: the colon is the site's own punctuation, not the data's."""
    from decimal import Decimal as D

    from generator.score.results import Line
    from generator.source import Source

    loaded = load_year(FIXTURE, 2010)
    site = Site(loaded.assessment, loaded.results, Provenance(draft=True), lang="en")
    unit = site.results.unit("xingren")
    source = Source("frameworks/mini/framework.toml")
    unit.adjustments.append(Line(D("-0.5"), msg("score.finding", reason="创优绩效最多1分"), "cap", source, kind="cap"))
    table = dict(site.downloads())["units/xingren.csv"]
    row = next(line for line in table.splitlines() if "创优绩效最多1分" in line)
    assert f"{site.t['adjustments']}: 创优绩效最多1分" in row and "：" not in row, row


def test_the_2010_step_reads_as_the_document_counts_it():
    # 五 2.5 "发现一台扣1分,五台以上扣4分": 以上 includes five (the framework's marked reading), so the step is
    # "at 5 devices or more, 4 points". The framework page printed it "阶梯：5起：4；计量单位：台", where 起 is
    # also the measure word of 1.2's accidents ("计量单位：起" two rules above): it read "5 accidents: 4".
    site = make_site(ROOT)
    html = site.render(next(p for p in site.pages() if p.kind == "framework"))
    text = re.sub(r"<[^>]+>", "", html)
    assert "阶梯：5及以上扣4；计量单位：台" in text
    assert "5起" not in text
