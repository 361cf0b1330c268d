"""The shipped data (frameworks/ and evidence/ of this repository) builds into a site without a
warning, every internal link resolves, and every deduction line on every sheet says what it rests on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_reading import year_folder

from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.linkcheck import check_site
from generator.render.years import years

ROOT = Path(__file__).resolve().parent.parent
YEARS = years(ROOT)

pytestmark = pytest.mark.skipif(not YEARS, reason="no shipped assessment years under evidence/ yet")

LINE = re.compile(r'<li class="kh-line kh-kind-(\w+)" id="ln-[^"]+">(.*?)</li>', re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "site"
    outcomes = write_site(ROOT, out, [Version(y, Provenance()) for y in YEARS])
    assert {o.version.year: o.warnings for o in outcomes} == {y: [] for y in YEARS}  # no MkDocs warning
    return out


def test_every_internal_link_of_the_shipped_site_resolves(site: Path):
    report = check_site(site)
    assert report.broken == []
    assert not [e for e in report.external if "<a " not in e]  # nothing is loaded from another host


def test_every_deduction_names_its_evidence_or_missing_item_and_links_its_rule(site: Path):
    lines = 0
    for year in YEARS:
        for sheet in sorted((year_folder(site, year) / "units").glob("*.html")):
            html = sheet.read_text(encoding="utf-8")
            for kind, body in LINE.findall(html):
                lines += 1
                where = f"{sheet.relative_to(site)}: {re.sub('<[^>]+>', '', body).split()[0:3]}"
                assert 'class="kh-rule" href="../framework.html#' in body, where
                assert 'class="kh-src"' in body, where
                if kind in ("deduction", "veto"):
                    assert re.search(r'class="kh-ev" href="\.\./evidence/|kh-missing|kh-noev', body), where
    assert lines > 0


def test_the_2011_appeal_and_the_comparison_with_2010_are_on_the_built_site(site: Path):
    """Issue 15's shipped examples, as a reader sees them (evidence/2011/README.md)."""
    if 2011 not in YEARS:
        pytest.skip("2011 is not shipped")
    puan = (year_folder(site, 2011) / "units/puan.html").read_text(encoding="utf-8")
    # 普安's 复核 against the 0.4 deduction for the unreported summary, changed to 0.1 on 2012-01-17
    assert '<del class="kh-amt-original" title="原扣分">扣0.4分</del>' in puan
    assert "变更（2012-01-17，州局目标绩效考核办公室）</strong>：变更为0.1分（0.4分 → 0.1分）" in puan
    assert "复核：2012-01-11，普安县质监局（局长刘继伟）" in puan
    overview = (year_folder(site, 2011) / "index.html").read_text(encoding="utf-8")
    assert "复核与申诉共2件，其中待决定0件。" in overview
    assert "<th>2010年</th><th>比上年</th>" in overview
    # 兴仁 5th in 2010, 3rd in 2011; 望谟 3rd (tied) in 2010, 6th in 2011
    xingren = re.search(r'<tr id="unit-xingren"[^>]*>.*?</tr>', overview, re.S).group(0)
    wangmo = re.search(r'<tr id="unit-wangmo"[^>]*>.*?</tr>', overview, re.S).group(0)
    assert "251.7（第5名）" in xingren and "↑2" in xingren
    assert "253（第3名并列）" in wangmo and "↓3" in wangmo
    # 兴义's 一票否决 on the overview and its sheet
    assert 'href="units/xingyi.html#unit-veto"' in overview
    assert "最高评为良好，取消评先评优资格" in (year_folder(site, 2011) / "units/xingyi.html").read_text(
        encoding="utf-8"
    )
    assert "优秀名额：8个单位×15%=1.2，向下取整为1名；得分达到优秀的6个单位中评定1个。" in overview
    versions = (year_folder(site, 2011).parent / "versions.json").read_text(encoding="utf-8")
    assert '"title": "2011（公示）"' in versions
