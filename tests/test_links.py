"""Links in evidence: `kaohe check` and the site read them from one token stream, so they agree.

`links_in` parses only the parts of a body that can hold a link; property tests compare it with
markdown-it's parse of the whole body on generated markdown (fences, lists, quotes, tables,
code spans, references, blank lines), and compare what check accepts with what the site links.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.links import classify, links_in, markdown
from generator.problems import Problems
from generator.render.evidence_html import render_body
from generator.tree import regular_file

PATH = "evidence/2010/u/a.md"


def _whole(body: str) -> list[tuple[str, bool, int]]:
    """(href, image, 0-based line) of every link, from markdown-it's parse of the whole body."""
    found = []
    for block in markdown().parse(body):
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0]
        for child in block.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                found.append((str(child.attrGet("href") or child.attrGet("src") or ""), child.type == "image", line))
    return found


LINES = st.sampled_from(
    [
        "",
        "",
        "   ",
        "正文一段。",
        "正文有[链接](a.md)。",
        "![图](b.png) 和 <https://example.org/x>",
        "`[代码](c.md)` 之后[真链接](d.md)",
        "```",
        "~~~",
        "    缩进的[代码](e.md)",
        "- 列表[项](f.md)",
        "  续行[链接](g.md)",
        "1. 有序[项](h.md)",
        "> 引用[链接](i.md)",
        ">",
        "| 表 | [格](j.md) |",
        "|---|---|",
        "[引用][r]",
        "[r]: k.md",
        "[r]: l.md",
        "[附件 [1]](report(1).pdf)",
        "[空格](<附件 一.pdf>)",
        "标题",
        "===",
        "---",
        "[未闭合](m.md",
        "`未闭合的代码",
        "- ```",
        "  [围栏里](n.md)",
        # lines of plain text and inline links, and near misses, for the parser-free reading
        "含*强调*和_下划线_的[链接](a_b.md)与![图](c-d.png)",
        "[](empty.md)![]()!![x](y.md)",
        "[a](b.md)(c)[d](e.md)[f](g.md)",
        "[a] (b.md)",
        '[a](b.md "标题")',
        "[a]( b.md )",
        "[中文](附件.md)[空格](附件　一.md)[百分号](%zz.md)[编码](a%20b.md)",
        "# 标题[链接](t.md) #",
        "1) [项](m.md)",
        "+ [项](m.md)",
        "  缩进两格[链接](o.md)",
        "\t[制表](p.md)",
        "[a](http://例子.中国/x)[b](b.md#frag)[c](c.md?x=1)[m](mailto:a@b.c)",
        "&amp;[x](y.md)",
        "x\\[a](b.md)",
        "*[a](b.md)*__[c](d.md)__~~[e](f.md)~~",
        "[a](<b.md>)",
        "[r]",
        "[a\x01b](c\x01d.md)",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_parsing_only_the_parts_with_links_finds_what_the_whole_parse_finds(lines):
    body = "\n".join(lines)
    assert [(link.href, link.image, link.line - 1) for link in links_in(body)] == _whole(body)


class _Everything:
    """A tree in which every path is a file: what check accepts then depends on the links alone."""

    def exists(self, path: str) -> bool:
        return True


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_check_accepts_exactly_the_files_the_site_links(lines):
    from generator.load.links import check_links

    body = "\n".join(lines)
    accepted = check_links(_Everything(), PATH, body, 1, Problems())  # type: ignore[arg-type]
    html = render_body(PATH, body, lambda path: f"site/{path}")
    linked = [unquote(p) for p in re.findall(r'(?:href|src)="site/([^"#]*)', html)]
    assert sorted(set(linked)) == sorted(set(accepted))


def test_the_links_the_regex_got_wrong():
    body = (
        "`[代码](missing-1.md)`\n"  # 1: a code span holds no link
        "[报告](report(1).md)\n"  # 2: parentheses balance inside a destination
        "[附件 [1]](missing.md)\n"  # 3: brackets nest inside link text
        "[扫描](<附件 一.pdf>)\n"  # 4: a destination in <…> may hold spaces
        "[同一文件](%E9%99%84%E4%BB%B6%20%E4%B8%80.pdf)\n"  # 5: percent-encoded, as the site resolves it
    )
    links = links_in(body, body_line=5)
    assert [(link.line, link.col) for link in links] == [(6, 1), (7, 1), (8, 1), (9, 1)]
    assert [classify(PATH, link.href).path for link in links] == [
        "evidence/2010/u/report(1).md",
        "evidence/2010/u/missing.md",
        "evidence/2010/u/附件 一.pdf",
        "evidence/2010/u/附件 一.pdf",
    ]


def test_columns_point_at_each_link_on_a_line():
    links = links_in("见[甲](a.md)和![乙](b.png)，再见[甲](a.md)。", body_line=1)
    # columns: 见1 [2 甲3 ]4 (5 a6 .7 m8 d9 )10 和11 !12 [13 乙14 ]15 (16 b17 .18 p19 n20 g21 )22 ，23 再24 见25 [26
    assert [link.col for link in links] == [2, 12, 26]


def test_destinations_that_leave_or_are_not_files():
    kinds = {
        href: classify(PATH, href).kind
        for href in ("#top", "https://example.org", "mailto:a@b.c", "javascript:alert(1)", "/etc/x", "../../../../x")
    }
    assert kinds == {
        "#top": "anchor",
        "https://example.org": "web",
        "mailto:a@b.c": "mail",
        "javascript:alert(1)": "scheme",
        "/etc/x": "absolute",
        "../../../../x": "outside",
    }
    assert classify(PATH, "%2e%2e/%2e%2e/%2e%2e/%2e%2e/x").kind == "outside"  # unescaped once, then resolved


def test_regular_file_follows_no_link(tmp_path):
    root = tmp_path / "repo"
    (root / "evidence").mkdir(parents=True)
    (root / "evidence/a.pdf").write_bytes(b"%PDF")
    (root / "evidence/inside.pdf").symlink_to("a.pdf")
    (root / "evidence/linked").symlink_to(root / "evidence", target_is_directory=True)
    (tmp_path / "secret.pdf").write_bytes(b"secret")
    os.mkfifo(root / "evidence/pipe.pdf")
    assert regular_file(root, "evidence/a.pdf")
    assert not regular_file(root, "evidence/inside.pdf")  # a link, even to a file inside
    assert not regular_file(root, "evidence/linked/a.pdf")  # through a linked folder
    assert not regular_file(root, "evidence/pipe.pdf")
    assert not regular_file(root, "../secret.pdf")
    assert not regular_file(root, "evidence/missing.pdf")
    assert Path(root / "evidence/linked/a.pdf").is_file()  # what the site copied before: it follows links
