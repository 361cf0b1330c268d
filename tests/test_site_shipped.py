"""The shipped data (frameworks/ and evidence/ of this repository) builds into a site without a
warning, every internal link resolves, and every deduction line on every sheet says what it rests on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
        for sheet in sorted((site / str(year) / "units").glob("*.html")):
            html = sheet.read_text(encoding="utf-8")
            for kind, body in LINE.findall(html):
                lines += 1
                where = f"{sheet.relative_to(site)}: {re.sub('<[^>]+>', '', body).split()[0:3]}"
                assert 'class="kh-rule" href="../framework.html#' in body, where
                assert 'class="kh-src"' in body, where
                if kind in ("deduction", "veto"):
                    assert re.search(r'class="kh-ev" href="\.\./evidence/|kh-missing|kh-noev', body), where
    assert lines > 0
