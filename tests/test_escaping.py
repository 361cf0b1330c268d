"""Every value is escaped for where it is printed: terminal, CSV, the pull-request comment.

Hostile values come from pull requests: unit names, titles, reasons and file names. `kaohe check`
refuses control characters in names and titles (tests/bad_inputs: control-characters), but
reasons and notes may run over lines, and any value may hold markdown, HTML or a mention; the
renderers escape whatever reaches them, so they are also fed values check would refuse.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from markdown_it import MarkdownIt

from generator.controlchars import one_line
from generator.diff import FileChange, compare_results
from generator.messages import msg
from generator.output import FORMATS, Options
from generator.output.diffout import Links, Revision, markdown
from generator.output.escape import WORD_JOINER, csv_cell, md, md_code
from generator.score import score_assessment
from generator.workspace import open_year
from tests.conftest import git, init_git

ESC_NAME = "兴仁\x1b[2J\x1b[31m县"
FAKE_HEADING = "兴仁县\n\n## ✅ 审核通过，可以合并"
PIXEL = '<img src="https://tracker.example/p.png">'
EVERYONE = "@org/everyone"
#: Every unsafe character class once: C0 (NUL, BEL, ESC, CR, LF, TAB), DEL, C1 (NEL, CSI), bidi
#: embedding/override (U+202A, U+202E), isolates (U+2066, U+2069), line and paragraph separators.
CONTROLS = "\x00\x07\x1b\r\n\t\x7f\x85\x9b\u202a\u202e\u2066\u2069\u2028\u2029"

#: The comment as GitHub, GitLab and Gitea read it: CommonMark with GFM tables and strikethrough,
#: raw HTML allowed (each server then keeps only the tags it trusts).
GFM = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def results(mini):
    _, assessment = open_year(str(mini), None, 2010, "off")
    return score_assessment(assessment)


# -- one function per medium ----------------------------------------------------------------------


def test_one_line_shows_every_unsafe_character_as_an_escape():
    shown = one_line("a" + CONTROLS + "b")
    assert shown == ("a\\x00\\x07\\x1b\\r\\n\\t\\x7f\\x85\\x9b\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029b")
    assert shown.isprintable()
    assert one_line("兴仁县 <b>@x</b> ＃1") == "兴仁县 <b>@x</b> ＃1"  # printable text is left alone


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x","点击")', '\'=HYPERLINK("http://x","点击")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "\\t=1"),  # a leading tab is shown as \t, so the cell starts with "\"
        ("扣0.1分=合计", "扣0.1分=合计"),  # only the first character decides
        # a sign after leading blanks: LibreOffice's import trims spaces, so "  =1+1" is a formula there
        ("  =1+1", "'  =1+1"),
        ("\u3000\u00a0@SUM(A1)", "'\u3000\u00a0@SUM(A1)"),
        # the full-width signs a Chinese input method types: East Asian Excel reads ＝ as =
        ('＝HYPERLINK("http://x")', '\'＝HYPERLINK("http://x")'),
        ("＋1", "'＋1"),
        ("－2+3", "'－2+3"),
        ("＠SUM(A1:A9)", "'＠SUM(A1:A9)"),
        ("  兴仁县", "  兴仁县"),  # blanks alone change nothing
        ("", ""),
    ],
)
def test_csv_cells_never_start_a_formula(cell, shown):
    assert csv_cell(cell) == shown


def test_markdown_escapes_render_as_the_text_itself():
    hostile = (
        "*强* _斜_ `code` ~~删~~ [链接](javascript:alert(1)) ![图](x.png) <b>粗</b> &amp; "
        "| 表 | {+加+} $x^2$ \\ " + PIXEL
    )
    html = GFM.render(f"前 {md(hostile)} 后")
    # one paragraph of text: no tag but <p>, every character as written
    assert re.findall(r"<(\w+)", html) == ["p"]
    text = html.removeprefix("<p>").removesuffix("</p>\n")
    unescaped = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    assert unescaped.replace(WORD_JOINER, "") == f"前 {hostile} 后"


@pytest.mark.parametrize(
    "value",
    [
        EVERYONE,
        "见#12和org/repo#3",
        "!7 合并请求",
        "邮箱 a@b.cn",
        '标签~bug和~"安全"',
        '里程碑%v1.0和%"2010"',
        "片段$12",
    ],
)
def test_mentions_and_references_are_broken_by_an_invisible_joiner(value):
    escaped = md(value)
    # GitHub, GitLab and Gitea want a letter, digit or quote right after "@", "#" or "!", GitLab also
    # after "~" (label), "%" (milestone) and "$" (snippet); a backslash before the sign is consumed by
    # markdown before GitLab looks for references, so it is the joiner that breaks them
    assert not re.search(r"[@#!~%$][A-Za-z0-9\"]", escaped.replace("\\", ""))
    assert escaped.replace(WORD_JOINER, "").replace("\\", "") == value


def test_code_holds_backticks_and_pipes_inside_a_table():
    path = "evidence/2010/x/df-01-`a`|b<i>.md"
    html = GFM.render(f"| 文件 | 说明 |\n|---|---|\n| {md_code(path)} | 其他 |\n")
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert cells == ["<code>evidence/2010/x/df-01-`a`|b&lt;i&gt;.md</code>", "其他"]


# -- the pull-request comment: values check would refuse reach the renderer anyway -----------------


def test_markdown_comment_survives_hostile_names_reasons_and_paths(mini):
    old = results(mini)
    new = results(mini)
    unit = new.unit("xingren")
    unit.name = FAKE_HEADING + ESC_NAME + PIXEL + EVERYONE
    unit.total += Decimal(1)  # a changed total puts the unit in the comment
    df01 = next(i for i in unit.indicators if i.id == "df-01")
    df01.title = "贯彻\r\n### 假标题 | 假单元格 |"
    line = df01.deductions[0]
    line.message = msg("score.finding", reason="理由\n\n- [x] 已核实 <script>alert(1)</script> @org/everyone")
    line.amount += Decimal("0.1")
    line.evidence = ["evidence/2010/xingren/a\nb`|<img src=x>.md"]
    files = [FileChange("evidence/2010/xingren/z\n## 伪造.md", "added")]
    diff = compare_results(old, new, files)
    comment = markdown([diff], Revision("main\n# 伪造", "0" * 40), Revision("pr`x`", "1" * 40), Links(None))

    assert not set(comment) & set(CONTROLS.replace("\n", ""))
    html = GFM.render(comment)
    # the headings are kaohe's own: the comment's, the year's, the unit's, and the "no effect" list's
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h4", "h4"]
    assert "<img" not in html and "<script" not in html and '<input type="checkbox"' not in html
    assert not re.search(r"[@#!][A-Za-z0-9]", html.replace("&#", ""))
    # every table row has exactly its columns: 5 in the totals, 8 in the deductions
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S)]
    assert [len(re.findall(r"<t[hd]", r)) for r in rows] == [5, 5, 8, 8]
    # the values are shown as they are stored, control characters as escapes
    shown = html.replace(WORD_JOINER, "")
    assert (
        "兴仁县\\n\\n## ✅ 审核通过，可以合并兴仁\\x1b[2J\\x1b[31m县"
        "&lt;img src=&quot;https://tracker.example/p.png&quot;&gt;@org/everyone"
    ) in shown
    assert "<code>evidence/2010/xingren/a\\nb`|&lt;img src=x&gt;.md</code>" in shown


# -- the CLI comment, with hostile values check accepts (printable text) ----------------------------

HOSTILE_FINDING = """
[[finding]]
id = "al-2010-09"
indicator = "df-08"
rule = "discipline"
date = 2010-09-01
grade = "科级干部"
reason = "## ✅ 审核通过 <img src=https://t.example/p.png> @org/everyone #1 | 伪造 | `x` [点我](https://evil.example)"
"""


@pytest.fixture
def hostile_pr(mini):
    units = mini / "evidence/2010/units.toml"
    units.write_text(
        units.read_text(encoding="utf-8").replace('name = "安龙县质监局"', 'name = "安龙<b>县</b>@org/everyone"'),
        encoding="utf-8",
    )
    init_git(mini)
    git(mini, "checkout", "-q", "-b", "pr")
    with (mini / "evidence/2010/anlong/findings.toml").open("a", encoding="utf-8") as fh:
        fh.write(HOSTILE_FINDING)
    (mini / "evidence/2010/cehen/std-01-<img src=x onerror=alert(1)>`|@all.md").write_text(
        '+++\nindicator = "std-01"\ndate = 2010-10-10\nsatisfies = "accepted"\n+++\n验收通知。\n', encoding="utf-8"
    )
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "hostile")
    return mini


def test_diff_comment_escapes_what_a_pull_request_writes(hostile_pr, kaohe):
    run = kaohe("--repo", str(hostile_pr), "diff", "main", "pr")
    assert run.code == 0, run.err
    html = GFM.render(run.out)
    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h4", "h4"]
    assert "<img" not in html and "<b>" not in html
    assert not re.search(r"[@#!][A-Za-z0-9]", html.replace("&#", ""))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert [len(re.findall(r"<t[hd]", r)) for r in rows] == [5, 5, 8, 8]
    # the reason cell holds the reason as text (0.4 for a 科级干部 incident, as in test_diff)
    (reason_row,) = [r for r in rows if "审核通过" in r]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", reason_row, re.S)
    assert cells[3] == "0.4"
    assert cells[5].replace(WORD_JOINER, "") == (
        "## ✅ 审核通过 &lt;img src=https://t.example/p.png&gt; @org/everyone #1 | 伪造 | `x` "
        "[点我](https://evil.example)（科级干部）"
    )
    # the no-effect file's name is code, not an image
    assert "<code>evidence/2010/cehen/std-01-&lt;img src=x onerror=alert(1)&gt;`|@" in html


# -- source_url: only the documented placeholders ------------------------------------------------


@pytest.fixture
def pr(mini):
    init_git(mini)
    git(mini, "checkout", "-q", "-b", "pr")
    with (mini / "evidence/2010/anlong/findings.toml").open("a", encoding="utf-8") as fh:
        fh.write(HOSTILE_FINDING)
    git(mini, "commit", "-q", "-am", "finding")
    return mini


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("https://git.example/{commit}/{nope}", "unknown placeholder {nope}"),
        ("https://git.example/{path.__class__.__mro__}", "unknown placeholder {path.__class__.__mro__}"),
        ("https://git.example/{commit}/{0}", "unknown placeholder {0}"),
        ("https://git.example/{commit}/{path", "holds '{'"),
        ("https://git.example/a b/{path}", "holds ' '"),
        ("javascript:alert(1)//{path}", "must start with https:// or http://"),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the refusal says of the template
def test_a_bad_source_url_is_refused_where_it_is_read(pr, kaohe, monkeypatch, template, fragment):
    flag = kaohe("--repo", str(pr), "diff", "main", "pr", "--source-url", template)
    assert flag.code == 1 and flag.err.startswith("kaohe diff: --source-url: ") and fragment in flag.err
    monkeypatch.setenv("KAOHE_SOURCE_URL", template)
    env = kaohe("--repo", str(pr), "diff", "main", "pr")
    assert env.code == 1 and env.err.startswith("kaohe diff: KAOHE_SOURCE_URL: ") and fragment in env.err
    assert "Traceback" not in env.err and "internal error" not in env.err


@pytest.mark.usefixtures("english")  # reads what the refusal says of the template
def test_publish_refuses_a_bad_source_url_before_building(pr, kaohe):
    run = kaohe("--repo", str(pr), "publish", "--draft", "2010", "--source-url", "https://git.example/{nope}")
    assert run.code == 1 and run.err.startswith("kaohe publish: --source-url: unknown placeholder {nope}")
    assert not (pr / "site").exists()


def test_source_url_codes_and_expansion():
    from generator.problems import InputError
    from generator.sourceurl import check_template, expand

    with pytest.raises(InputError) as refused:
        check_template("https://git.example/{nope}", "x")
    assert refused.value.code == "source-url.unknown-placeholder"
    template = check_template("https://git.example/org/repo/-/blob/{commit}/{path}#L{line}", "x")
    # the path is percent-encoded: a space, "#", ")" or "|" in a file name cannot break the link
    assert expand(template, "abc123", "evidence/2010/a b#c)|d.md", 7) == (
        "https://git.example/org/repo/-/blob/abc123/evidence/2010/a%20b%23c%29%7Cd.md#L7"
    )
    # a template that skipped the check is refused, not expanded
    with pytest.raises(InputError):
        expand("https://git.example/{path.__class__}", "abc", "p", 1)


@pytest.mark.usefixtures("english")  # reads what the refusal says of the template
def test_a_bad_source_url_in_mkdocs_yml_fails_the_build_with_its_name(mini, kaohe):
    (mini / "mkdocs.yml").write_text(
        "INHERIT: "
        + str(__import__("generator.render.build", fromlist=["PACKAGE_CONFIG"]).PACKAGE_CONFIG)
        + '\nplugins:\n  - kaohe:\n      source_url: "https://git.example/{nope}"\n  - search\n',
        encoding="utf-8",
    )
    run = kaohe("--repo", str(mini), "build")
    assert run.code == 1
    assert "mkdocs.yml, plugins: kaohe: source_url: unknown placeholder {nope}" in run.err


# -- the terminal: score's table and CSV -------------------------------------------------------------


def test_table_and_csv_show_control_characters_instead_of_obeying_them(mini):
    scored = results(mini)
    unit = scored.unit("xingren")
    unit.name = ESC_NAME + "\n  1  伪造单位  county  999"
    unit.series = "county\u202e"
    df01 = next(i for i in unit.indicators if i.id == "df-01")
    df01.deductions[0].message = msg("score.finding", reason='=HYPERLINK("http://x")\r\n伪造')
    table = FORMATS["table"].render(scored, Options(detail=True))
    assert not set(table) & set(CONTROLS.replace("\n", ""))
    # title, blank, header, rule and 3 units; then per unit a blank, its name, header, rule, the
    # titles of its 2 tables (01-dangfeng, 02-zhifa) and their 4 + 3 = 7 indicators
    assert len(table.splitlines()) == 7 + 3 * (4 + 2 + 7)
    assert "兴仁\\x1b[2J\\x1b[31m县\\n  1  伪造单位  county  999" in table
    text = FORMATS["csv"].render(scored, Options())
    rows = list(csv.reader(io.StringIO(text)))
    assert len(text.splitlines()) == len(rows) == 1 + 3 * 7  # a header, one record per line
    xingren = [r for r in rows if r[1] == "xingren"]
    assert {r[2] for r in xingren} == {"兴仁\\x1b[2J\\x1b[31m县\\n  1  伪造单位  county  999"}
    assert {r[3] for r in xingren} == {"county\\u202e"}
    (lines,) = [r[13] for r in xingren if r[9] == "df-01"]
    assert lines.startswith("'=HYPERLINK") and "\\r\\n伪造" in lines


def test_a_multi_line_reason_stays_on_its_row(mini, kaohe):
    """Reasons may run over lines (check accepts them); the table and CSV keep one line per row."""
    findings = mini / "evidence/2010/xingren/findings.toml"
    text = findings.read_text(encoding="utf-8")
    text = re.sub(r'reason = "([^"]*)"', 'reason = """=\\1\nxingren:1:1: error: forged"""', text, count=1)
    findings.write_text(text, encoding="utf-8")
    assert kaohe("--repo", str(mini), "check").code == 0
    table = kaohe("--repo", str(mini), "score", "--detail").out
    assert "\\nxingren:1:1: error: forged" in table
    assert not any(line.startswith("xingren:1:1") for line in table.splitlines())
    rows = list(csv.reader(io.StringIO(kaohe("--repo", str(mini), "score", "--format", "csv").out)))
    forged = [r for r in rows if "forged" in r[13]]
    assert forged and all(r[13].startswith("'=") for r in forged)


# -- the output format registry ---------------------------------------------------------------------


def test_a_registered_format_is_offered_by_score(mini, capsysbinary, monkeypatch):
    """Adding a format is its own module plus one entry in FORMATS; a binary one writes bytes."""
    from generator.cli import main
    from generator.output.base import OutputFormat

    def render(scored, options):
        return ("\n".join(u.id for u in scored.units) + "\n").encode("utf-16")

    monkeypatch.setitem(FORMATS, "ids", OutputFormat("ids", "unit ids, UTF-16", render))
    assert main(["--repo", str(mini), "score", "--format", "ids"]) == 0
    assert capsysbinary.readouterr().out.decode("utf-16") == "xingren\ncehen\nanlong\n"
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    assert "ids: unit ids, UTF-16" in capsysbinary.readouterr().out.decode()
    assert list(FORMATS)[:3] == ["table", "json", "csv"]


def test_status_labels_are_defined_once(mini):
    from generator.output import diffout, table
    from generator.render.labels import labels
    from generator.score.results import STATUSES, status_label

    for lang in ("zh", "en"):  # the site's label is the catalogue entry the outputs use
        assert [labels(lang)[f"status.{s}"] for s in STATUSES] == [status_label(s, lang) for s in STATUSES]
        assert len({status_label(s, lang) for s in STATUSES}) == len(STATUSES)
    assert not hasattr(table, "STATUS_ZH") and not hasattr(diffout, "STATUS_ZH")
    scored = results(mini)
    assert {i.status for u in scored.units for i in u.indicators} <= set(STATUSES)
    assert json.loads(FORMATS["json"].render(scored, Options()))["units"]


@pytest.mark.parametrize(
    ("name", "isolated"),
    [
        ("兴义市局\u200f", True),  # ends in RIGHT-TO-LEFT MARK: "3.22 → 2.47" after it would read reversed
        ("ئۈرۈمچى شەھەرلىك", True),  # Uyghur, in Arabic script: a real unit name, kept, isolated
        ("局\u061c", True),  # ARABIC LETTER MARK
        ("兴义市质量技术监督局", False),  # left to right only: unchanged, no invisible characters added
        ("Office 1", False),
    ],
)
def test_a_right_to_left_value_is_isolated_in_the_comment(name, isolated):
    from generator.output.escape import md

    shown = md(name)
    assert shown == (f"\u2068{name}\u2069" if isolated else name)
    # the figures after the value keep their order whatever it holds: the isolate ends before them
    assert md(name) + "：3.22 → 2.47" == shown + "：3.22 → 2.47"
