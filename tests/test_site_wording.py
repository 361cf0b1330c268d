"""Rendered pages read by a leader in Chinese: no row whose label and value say the same word."""

from __future__ import annotations

import re

from render_support import make_site

EVIDENCE = "evidence/2010/xingren/df-03-education.md"


def facts(html: str) -> dict[str, str]:
    """The evidence page's facts table: label → the value's visible text (a closed <details> shows
    its summary only)."""
    table = re.search(r'<table class="kh-table kh-facts">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for label, value in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", table, re.S):
        shown = re.sub(r"<code>.*?</code>", "", value, flags=re.S)  # inside a closed <details>
        rows[label] = re.sub(r"<[^>]+>", "", shown).strip()
    return rows


def test_an_evidence_page_without_a_web_link_does_not_read_source_source():
    """A working-tree draft has no git web link: the facts row read 来源 | 来源, a word twice."""
    site = make_site(commit=None, draft=True)
    html = site.render(next(p for p in site.pages() if p.key == EVIDENCE))
    rows = facts(html)
    assert all(label != value for label, value in rows.items()), rows
    assert rows["原始文件"] == "查看存放位置"
    # the path is still one click away, for the reviewer who asks where the file is
    assert f"<code>{EVIDENCE}:1</code>" in html


def test_an_evidence_page_with_a_web_link_names_the_original_file():
    site = make_site()
    html = site.render(next(p for p in site.pages() if p.key == EVIDENCE))
    assert facts(html)["原始文件"] == "原始记录"
    assert f"/{EVIDENCE}#L1" in html
