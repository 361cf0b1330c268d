"""A hostile clerk's pull request against `kaohe diff`: what reviewers see must stay kaohe's comment.

Real git repositories (tests/fixtures/mini, a base commit on main and a pull-request branch), the
comment rendered by markdown-it's GitHub-flavoured preset (tables, strikethrough, raw HTML and
autolinks: what GitHub, GitLab and Gitea all do). The escaping of single values is in
tests/test_escaping.py; here are what whole pull requests can do that single values cannot.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from generator.messages import tr
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
