"""A hostile clerk's pull request against `kaohe diff`: what reviewers see must stay kaohe's comment.

Real git repositories (tests/fixtures/mini, a base commit on main and a pull-request branch), the
comment rendered by markdown-it's GitHub-flavoured preset (tables, strikethrough, raw HTML and
autolinks: what GitHub, GitLab and Gitea all do). The escaping of single values is in
tests/test_escaping.py; here are what whole pull requests can do that single values cannot.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from generator.messages import tr
from generator.output.escape import WORD_JOINER
from tests.conftest import git, init_git

#: GitHub's renderer as far as markdown-it can play it: GFM tables, strikethrough, raw HTML, and
#: autolinks of URLs with a scheme (GitHub links no bare domain, markdown-it's fuzzy links would).
GFM = MarkdownIt("gfm-like")
GFM.linkify.set({"fuzzy_link": False, "fuzzy_email": False})

RECORD = """+++
indicator = "std-01"
date = 2010-10-10
satisfies = "accepted"
+++
验收通知（已另有验收材料）。
"""


def _pull_request(repo, files: dict[str, str]) -> None:
    init_git(repo)
    git(repo, "checkout", "-q", "-b", "pr")
    for path, text in files.items():
        (repo / path).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "pull request")


def test_limit_holds_however_many_and_long_the_files_a_pull_request_adds(mini, kaohe):
    # 300 records that change no score, each named with 200 "&" (5 characters each once escaped as
    # "&amp;"): the "no effect" list shows 200 of them, 200 × (200 × 5 + ~60) > 200,000 characters,
    # and a comment over GitHub's 65536 is refused (HTTP 422): no score comment at all.
    files = {f"evidence/2010/cehen/std-01-{n:03d}-{'&' * 200}.md": RECORD for n in range(300)}
    _pull_request(mini, files)
    assert len(kaohe("--repo", str(mini), "diff", "main", "pr").out) > 200_000

    run = kaohe("--repo", str(mini), "diff", "main", "pr", "--limit", "60000")
    assert run.code == 0, run.err
    assert len(run.out) <= 60000
    note = tr("diff.cut", limit=60000)
    assert run.out.endswith(f"\n\n> {note}\n")
    html = GFM.render(run.out)
    # the cut closes the folded list, so the note after it is on screen, not folded away
    assert html.count("<details>") == html.count("</details>") == 1
    assert html.rindex("</details>") < html.index("<blockquote>\n<p>" + note.split("`")[0])


#: What GitHub, GitLab and Gitea turn into a link, an image, a notification or a note on another
#: issue out of plain text, with no markdown character to escape.
LINKS = "https://evil.example/phish http://evil.example/x www.evil.example https://github.com/o/r/issues/1"
REFERENCES = "GH-123 gh-7 &9"  # GitHub's other issue reference; GitLab's epic reference
EMOJI = ":shipit: :+1:"  # GitHub draws :shipit: as an image
#: The rest of what a clerk can type, escaped since before: markup, HTML, kaohe's marker, mentions.
MARKUP = (
    "`x`|y|*b*_i_ [x](javascript:alert(1)) ![i](https://t.example/p.png) <img src=x onerror=alert(1)> "
    "<details><summary>s</summary></details></details> <!-- kaohe-diff --> <!-- @org/everyone #123 !7"
)
HOSTILE = " ".join((LINKS, REFERENCES, EMOJI, MARKUP))
#: kaohe's own markup: headings, tables, paths as code, a struck-out old reason, the files' list.
KAOHE_TAGS = {"h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "s", "ul", "li"}

FINDING = """
[[finding]]
id = "al-2010-09"
indicator = "df-08"
rule = "discipline"
date = 2010-09-01
grade = "科级干部"
reason = {reason}
"""


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_a_pull_requests_links_references_and_emoji_stay_text(mini, kaohe, monkeypatch):
    monkeypatch.delenv("KAOHE_SOURCE_URL", raising=False)  # kaohe's own links: none without a template
    units = mini / "evidence/2010/units.toml"
    named = units.read_text(encoding="utf-8").replace('"安龙县质监局"', _toml("安龙" + HOSTILE), 1)
    findings = (mini / "evidence/2010/anlong/findings.toml").read_text(encoding="utf-8")
    _pull_request(
        mini,
        {
            "evidence/2010/units.toml": named,
            "evidence/2010/anlong/findings.toml": findings + FINDING.format(reason=_toml("理由 " + HOSTILE)),
            f"evidence/2010/cehen/std-01-{EMOJI} GH-1 www.x.example.md": RECORD,
        },
    )
    run = kaohe("--repo", str(mini), "diff", "main", "pr")
    assert run.code == 0, run.err
    html = GFM.render(run.out)
    assert "<a " not in html  # no autolink: GitHub would link every URL (and note on the issue)
    text = re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")
    assert not re.search(r"(?i)GH-[0-9]|&[0-9]|www\.|://|:[a-z+]+[0-9]*:", text)
    assert set(re.findall(r"<(\w+)", html)) <= KAOHE_TAGS
    assert "<!--" not in run.out and "<details" not in html
    # the unit's name and the reason read as typed, the joiners being invisible
    assert ("安龙" + HOSTILE).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in html.replace(
        WORD_JOINER, ""
    ).replace("&quot;", '"')
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert [len(re.findall(r"<t[hd]", r)) for r in rows] == [5, 5, 8, 8]
