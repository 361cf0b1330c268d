"""A real MkDocs build of the fixture: no warnings, every internal link resolves, output reproducible."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from generator.messages import tr
from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.render.build import build_year
from generator.render.linkcheck import check_site

# Links with script schemes or leaving the repository fail validation (kaohe check), so a build never
# sees them; the renderer's own defences against them are tested in test_render_pages.py.
HOSTILE = """+++
indicator = "df-01"
date = 2010-12-20
title = "全年工作情况报告<script>alert('t')</script><img src=x onerror=alert(9)>"
satisfies = "annual"
+++
# 全年工作情况报告

<script>alert(1)</script>
<img src=x onerror="alert(2)">
<a href="javascript:alert(3)">点我</a> ![外图](https://evil.example/x.png)
见[上半年报告](df-01-halfyear.md)、[会议纪要](<会议 纪要.md>)和[扫描件](scan.png)。

| 项目 | 完成 |
|---|---|
| 会议 | 是 |
"""

# the smallest valid PNG: a 1×1 transparent pixel
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    import shutil

    repo = tmp_path_factory.mktemp("repo") / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", repo)
    (repo / "evidence/2010/xingren/df-01-annual.md").write_text(HOSTILE, encoding="utf-8")
    units = repo / "evidence/2010/units.toml"  # names reach the navigation and every page's header
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            'name = "安龙县质监局"', 'name = "安龙县质监局<b onmouseover=alert(5)>"'
        ),
        encoding="utf-8",
    )
    (repo / "evidence/2010/xingren/scan.png").write_bytes(PNG)
    (repo / "evidence/2010/xingren/会议 纪要.md").write_text(  # a Chinese file name with a space
        '+++\nindicator = "df-01"\ndate = 2010-03-20\nsatisfies = "meeting"\n+++\n会议纪要。\n', encoding="utf-8"
    )
    site = tmp_path_factory.mktemp("out") / "site"
    outcomes = write_site(repo, site, [Version(2010, Provenance())])
    assert [(o.action, o.warnings) for o in outcomes] == [("built", [])]
    return site


def test_build_has_the_versioned_layout(built: Path):
    # the fixture's framework names no organization: its years are the default organization's
    assert json.loads((built / "default/versions.json").read_text())[0]["version"] == "2010"
    assert "latest" in json.loads((built / "default/versions.json").read_text())[0]["aliases"]
    assert 'url=default/2010/"' in (built / "index.html").read_text()  # one organization: straight to its year
    assert 'url=2010/"' in (built / "default/index.html").read_text()
    year = built / "default/2010"
    for page in (
        "index.html",
        "framework.html",
        "indicators/index.html",
        "units/xingren.html",
        "indicators/df-01.html",
        "evidence/xingren/df-01-annual.html",
        "evidence/xingren/scan.png",
    ):
        assert (year / page).is_file(), page
    assert (year / "sitemap.xml").is_file()  # Material's version selector reads it; dates pinned (see below)


def test_every_internal_link_resolves(built: Path):
    report = check_site(built)
    assert report.pages > 20 and report.links > 400
    assert report.broken == []
    # nothing is loaded from another host; the only outside links are ones evidence authors wrote
    assert not [e for e in report.external if "<script" in e or "<img" in e or "<link" in e]


def test_every_page_states_provenance_and_draft(built: Path):
    for page in (built / "default/2010").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "kh-provenance" in text and "草稿" in text and "工作区（未提交）" in text, page


def test_hostile_evidence_is_inert(built: Path):
    from tests.test_render_pages import elements

    html = (built / "default/2010/evidence/xingren/df-01-annual.html").read_text(encoding="utf-8")
    body = html.split('class="kh-evidence-body"', 1)[1].split("</article>", 1)[0]
    for tag, attrs in elements(body):
        assert tag not in ("script", "iframe", "style"), tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not any(v.strip().lower().startswith("javascript:") for v in attrs.values()), (tag, attrs)
        assert "evil.example" not in attrs.get("src", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # raw HTML is shown as text
    assert 'href="df-01-halfyear.html"' in body and 'href="scan.png"' in body
    assert 'href="%E4%BC%9A%E8%AE%AE%20%E7%BA%AA%E8%A6%81.html"' in body
    assert (built / "default/2010/evidence/xingren/会议 纪要.html").is_file()
    title = html.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "<script" not in title and "&lt;script&gt;" in title


def test_titles_and_names_from_contributors_are_text_everywhere(built: Path):
    for page in (built / "default/2010").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b onmouseover" not in html, page
        assert "<img src=x" not in html and '<img src="x"' not in html, page


def test_search_index_is_chinese_and_leaves_evidence_bodies_out(built: Path):
    index = json.loads((built / "default/2010/search/search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "\u200b" in texts  # segmented by jieba at build time
    assert "兴仁县质监局" in texts.replace("\u200b", "")
    assert "全州党风廉政建设工作会议精神情况报告" in texts.replace("\u200b", "")  # evidence titles are searchable
    assert "传达州局会议精神" not in texts.replace("\u200b", "")  # evidence bodies are not


def test_search_results_read_figures_apart_and_no_file_path(built: Path):
    """A search result's summary is the page's indexed text. Cells written next to each other ran
    together: 册亨县's sheet read "总分满分失分县（市）局排名 7.223022.782 / 3" for its total 7.22, maximum
    30, lost 22.78 and rank 2 / 3. And the 来源 details (a file path, kept out of the reading text)
    were indexed: "来源 frameworks/mini/01-dangfeng.toml:16" printed among a result's words."""
    index = json.loads((built / "default/2010/search/search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: d["text"].replace("\u200b", "") for d in index["docs"]}
    sheet = docs["units/cehen.html"]
    # 册亨县: 30 − 22.78 = 7.22, second of three units
    assert "7.22 30 22.78 2 / 3" in sheet, sheet
    assert "总分 满分 失分 县（市）局排名" in sheet
    every = " ".join(docs.values())
    assert "frameworks/" not in every and "evidence/" not in every and ".toml" not in every
    assert "framework.html" in " ".join(docs)  # the framework page is still indexed, its words without paths


def test_rebuilds_are_byte_identical(built: Path, tmp_path: Path):
    repo = Path(__file__).parent / "fixtures" / "mini"
    a, b = tmp_path / "a", tmp_path / "b"
    provenance = Provenance(commit="0" * 40, commit_date="2011-01-05T10:00:00+08:00", tag="results-2010", draft=False)
    assert build_year(repo, 2010, a, provenance).warnings == []
    assert build_year(repo, 2010, b, provenance).warnings == []
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, files_a, shallow=False)
    assert mismatch == [] and errors == []
    assert "草稿" not in (a / "index.html").read_text(encoding="utf-8")


def test_failed_build_leaves_the_previous_site(tmp_path: Path, mini: Path):
    site = tmp_path / "site"
    write_site(mini, site, [Version(2010, Provenance())])
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    (mini / "evidence/2010/xingren/findings.toml").write_text("[[finding]]\nid = 'broken'\n", encoding="utf-8")
    from generator.problems import InputError

    with pytest.raises(InputError):
        write_site(mini, site, [Version(2010, Provenance())])
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_kaohe_build_command(kaohe, mini: Path, tmp_path: Path):
    result = kaohe("--repo", str(mini), "build", "--site-dir", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert (tmp_path / "out/default/2010/units/xingren.html").is_file()
    no_warnings = tr("build.summary", count=1, years="", site="", seconds="SECONDS", warnings=0).split("SECONDS")[1]
    assert no_warnings in result.err


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_plain_mkdocs_build_uses_site_year(mini: Path):
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    (mini / "generator").mkdir()
    shutil.copytree(root / "generator/render", mini / "generator/render")  # what INHERIT and docs_dir name
    shutil.copy(root / "mkdocs.yml", mini / "mkdocs.yml")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=mini, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (mini / "site/default/2010/units/xingren.html").is_file()
    assert json.loads((mini / "site/default/versions.json").read_text())[0]["version"] == "2010"
    stamp = mini / "site/default/2010/kaohe-version.json"  # once 2010 is published as final, a draft build stops
    final = {
        '"draft": true': '"draft": false',
        '"tag": null': '"tag": "results-2010"',
        '"commit": null': f'"commit": "{"1" * 40}"',
    }
    text = stamp.read_text(encoding="utf-8")
    for draft, published in final.items():
        text = text.replace(draft, published)
    stamp.write_text(text, encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=mini, capture_output=True, text=True)
    assert again.returncode != 0  # mkdocs, run on its own, speaks the default language:
    assert tr("site.final-year", lang="zh", year=2010, where="").split("（")[0] in again.stderr
    assert (mini / "site/default/2010/units/xingren.html").is_file()  # nothing was cleaned


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_kaohe_build_keeps_other_years_and_never_replaces_final_ones(kaohe, mini: Path, tmp_path: Path):
    site = tmp_path / "site"
    (site / "default/2009").mkdir(parents=True)
    (site / ".kaohe-site").write_text("", encoding="utf-8")  # the marker of a site kaohe wrote earlier
    (site / "default/2009/index.html").write_text("<p>2009</p>", encoding="utf-8")
    (site / "default/2009/kaohe-version.json").write_text(  # a stamp written before organizations: no name
        '{"year": 2009, "framework": "mini", "commit": "' + "1" * 40 + '", "commit_date": null, '
        '"tag": "results-2009", "draft": false}',
        encoding="utf-8",
    )
    result = kaohe("--repo", str(mini), "build", "--site-dir", str(site))
    assert result.code == 0, result.err
    assert (site / "default/2009/index.html").read_text(encoding="utf-8") == "<p>2009</p>"
    listed = [v["version"] for v in json.loads((site / "default/versions.json").read_text(encoding="utf-8"))]
    assert listed == ["2010", "2009"]
    (site / "default/2010/kaohe-version.json").write_text(
        (site / "default/2009/kaohe-version.json").read_text(encoding="utf-8").replace("2009", "2010"),
        encoding="utf-8",
    )
    before = (site / "default/2010/index.html").read_bytes()
    kept = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--year", "2010")
    assert kept.code == 0 and "published as final" in kept.err and "nothing to build" in kept.err
    assert (site / "default/2010/index.html").read_bytes() == before


def test_english_interface_is_a_setting(tmp_path: Path):
    from generator.render.siteconfig import PACKAGE_CONFIG

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {PACKAGE_CONFIG}\nplugins:\n  - kaohe:\n      lang: en\n  - search\n", encoding="utf-8"
    )
    out = tmp_path / "2010"
    repo = Path(__file__).parent / "fixtures" / "mini"
    assert build_year(repo, 2010, out, Provenance(), config_file=config).warnings == []
    sheet = (out / "units/xingren.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in sheet and "<th>Reason</th>" in sheet and "DRAFT" in sheet


def test_source_links_use_the_configured_url_template(tmp_path: Path):
    from generator.render.siteconfig import PACKAGE_CONFIG

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {PACKAGE_CONFIG}\nplugins:\n  - kaohe:\n      source_url: "
        "'https://git.example/kaohe/src/commit/{commit}/{path}#L{line}'\n  - search\n",
        encoding="utf-8",
    )
    repo = Path(__file__).parent / "fixtures" / "mini"
    provenance = Provenance(commit="c" * 40, tag="results-2010", draft=False)
    assert build_year(repo, 2010, tmp_path / "2010", provenance, config_file=config).warnings == []
    sheet = (tmp_path / "2010/units/xingren.html").read_text(encoding="utf-8")
    assert f'href="https://git.example/kaohe/src/commit/{"c" * 40}/evidence/2010/xingren/findings.toml#L1"' in sheet
    assert "results-2010" in sheet and "草稿" not in sheet


def test_an_english_page_punctuates_a_shared_place_and_a_list_of_units_in_english(tmp_path: Path):
    """kaohe's own punctuation around the data follows the page's language: a shared place reads
    "4 / 5 (tied)", not "4 / 5（tied）", and the units an indicator concerns are listed with ", "
    after their note in " (…)", not with 、 in （…）."""
    import shutil

    from generator.render.siteconfig import PACKAGE_CONFIG

    repo = tmp_path / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", repo)
    units = repo / "evidence/2010/units.toml"
    two_more = '\n[[unit]]\nid = "zhenfeng"\nname = "贞丰县质监局"\nseries = "county"\n'
    two_more += '\n[[unit]]\nid = "qinglong"\nname = "晴隆县质监局"\nseries = "county"\n'
    units.write_text(units.read_text(encoding="utf-8") + two_more, encoding="utf-8")
    table = repo / "frameworks/mini/02-zhifa.toml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace('units = ["cehen"]', 'units = ["cehen", "zhenfeng", "qinglong"]'), encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {PACKAGE_CONFIG}\nplugins:\n  - kaohe:\n      lang: en\n  - search\n", encoding="utf-8"
    )
    out = tmp_path / "2010"
    assert build_year(repo, 2010, out, Provenance(), config_file=config).warnings == []
    # zhenfeng and qinglong file nothing and are scored alike (the same rows, the same losses): they
    # share 4th place of the series' 5 units (兴仁 23.02, 册亨 7.22 and 安龙 3.22 keep theirs above or below)
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert '<td class="kh-num" data-label="Rank">4 / 5 (tied)</td>' in overview and "（tied）" not in overview
    indicator = (out / "indicators/std-01.html").read_text(encoding="utf-8")
    listed = (
        "该项工作只涉及册亨、贞丰、晴隆三个县局 (册亨县质监局, 贞丰县质监局, 晴隆县质监局)"  # the note is the data's
    )
    assert f"<th>Applies to</th><td>{listed}</td>" in indicator
