"""Links in evidence: `kaohe check` and the site read them from one token stream, so they agree.

`links_in` parses only the parts of a body that can hold a link; property tests compare it with
markdown-it's parse of the whole body on generated markdown (fences, lists, quotes, tables,
code spans, references, blank lines), and compare what check accepts with what the site links.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote

from conftest import init_git
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.links import PUBLISHED, check_links, classify, links_in, markdown, on_site
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
        # files the year's site does not publish: check reports each, the page keeps only the words
        "[git](../../../.git/config)[框架](../../../frameworks/f/framework.toml)",
        "[名单](../units.toml) [去年](../../2009/u/a.md) [文档](c.docx) ![图](d.tiff)",
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

    def is_dir(self, path: str) -> bool:
        return False


def _site_link(path: str) -> str | None:
    """The site's linker (`PageContext.repo_link`) for a body at PATH: its year's evidence and attachments."""
    return f"site/{path}" if on_site(PATH, path) in PUBLISHED else None


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_check_accepts_exactly_the_files_the_site_links(lines):
    """Every file link check passes in silence is a link on the page, and every one the page shows
    as bare words is a problem check reports at the link."""
    body = "\n".join(lines)
    problems = Problems()
    accepted = check_links(_Everything(), PATH, body, 1, problems)  # type: ignore[arg-type]
    html = render_body(PATH, body, _site_link)
    linked = {unquote(p) for p in re.findall(r'(?:href|src)="site/([^"#]*)', html)}
    # by line and destination: inside a table every link of a row is given the row's first column
    reported = {(p.line, dict(p.params).get("href")) for p in problems}
    quiet = {
        classify(PATH, link.href).path
        for link in links_in(body)
        if classify(PATH, link.href).kind == "file" and (link.line, unquote(link.href)) not in reported
    }
    assert linked == quiet
    assert linked <= set(accepted)  # accepted: every existing file linked to, published or not


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


def test_what_the_site_makes_of_each_repository_file():
    """`on_site`, the one rule the site copies attachments by and check warns by, for a body at PATH."""
    answers = {
        target: on_site(PATH, target)
        for target in (
            "evidence/2010/v/other.md",  # another unit's evidence: its page
            "evidence/2010/u/scan.PDF",  # an attachment, whatever the case of its suffix
            "evidence/2010/u/memo.docx",  # not an attachment type
            "evidence/2010/units.toml",  # the year's own file, not evidence
            "evidence/2010/README.md",  # beside units.toml: not evidence (load.years)
            "evidence/2009/u/a.md",  # another year's: that year's site has it, this one not
            "frameworks/f/framework.toml",
            ".git/config",
            "evidence/2010/u/.git/HEAD",  # a git folder anywhere
        )
    }
    assert answers == {
        "evidence/2010/v/other.md": "page",
        "evidence/2010/u/scan.PDF": "attachment",
        "evidence/2010/u/memo.docx": "type",
        "evidence/2010/units.toml": "elsewhere",
        "evidence/2010/README.md": "elsewhere",
        "evidence/2009/u/a.md": "other-year",
        "frameworks/f/framework.toml": "elsewhere",
        ".git/config": "git",
        "evidence/2010/u/.git/HEAD": "git",
    }
    assert on_site(PATH, "evidence/2010/v", is_dir=True) == "folder"


def test_check_reports_every_link_the_page_drops(kaohe, mini, tmp_path):
    """A real repository and a real build: the links check passes in silence are the page's links,
    and each link the page shows as bare words is reported at its line and column."""
    init_git(mini)  # a real .git/config to link to
    folder = mini / "evidence/2010/xingren"
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "memo.docx").write_bytes(b"PK\x03\x04")
    evidence = folder / "df-01-meeting.md"
    kept = "[半年](df-01-halfyear.md) [扫描件](scan.pdf)"
    dropped = (
        "[框架](../../../frameworks/mini/framework.toml) [名单](../units.toml) [文档](memo.docx) [文件夹](../anlong/)"
    )
    git_link = "[git config](../../../.git/config)"
    # the file has 9 lines (front matter 1–6, heading 7, blank 8, text 9): the links go on 11, 13 and 15
    evidence.write_text(
        evidence.read_text(encoding="utf-8") + f"\n{kept}\n\n{dropped}\n\n{git_link}\n", encoding="utf-8"
    )

    run = kaohe("check", "--repo", str(mini), "--format", "json")
    assert run.code == 1, run.err
    found = [
        (p["line"], p["col"], p["severity"], p["code"], (p["params"].get("why") or {}).get("code"))
        for p in json.loads(run.out)
        if p["path"] == "evidence/2010/xingren/df-01-meeting.md"
    ]
    # columns on line 13, one per character: "[框架](" is 5, the path 39 (../../../ 9 + frameworks/ 11
    # + mini/ 5 + framework.toml 14), ")" 1 → 45, a space → the next "[" at 47; "[名单](../units.toml)"
    # 5 + 13 + 1 = 19 → 47..65, space, 67; "[文档](memo.docx)" 5 + 9 + 1 = 15 → 67..81, space, 83
    assert found == [
        (13, 1, "warning", "link.not-published", "link.not-published.elsewhere"),
        (13, 47, "warning", "link.not-published", "link.not-published.elsewhere"),
        (13, 67, "warning", "link.not-published", "link.not-published.type"),
        (13, 83, "warning", "link.not-published", "link.not-published.folder"),
        (15, 1, "error", "link.git", None),
    ]

    # without the error the year builds; its page links exactly what check passed in silence
    evidence.write_text(evidence.read_text(encoding="utf-8").replace(git_link, "git config"), encoding="utf-8")
    site = tmp_path / "out" / "site"
    run = kaohe("--repo", str(mini), "build", "--site-dir", str(site), "--no-filing-dates")
    assert run.code == 0, run.err
    html = (site / "default/2010/evidence/xingren/df-01-meeting.html").read_text(encoding="utf-8")
    body = html[html.index("半年") - 200 :]
    hrefs = re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', body[: body.index("git config") + 20])
    assert [(text, href.rsplit("/", 1)[-1]) for href, text in hrefs] == [
        ("半年", "df-01-halfyear.html"),
        ("扫描件", "scan.pdf"),
    ]
    assert "<p>框架 名单 文档 文件夹</p>" in html and "<p>git config</p>" in html
