"""CODEOWNERS generated from each indicator's department, and `kaohe check` when it is stale."""

from __future__ import annotations

import re

from tests.conftest import git, init_git

OWNERS = """
[[code_owners]]
department = "纪检监察室"
owners = ["@qianxinan/jijian"]

[[code_owners]]
department = "稽查支队"
owners = ["@qianxinan/jicha", "zhang.san@example.cn"]
"""


def _declare(mini):
    with (mini / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as fh:
        fh.write(OWNERS)


def _owners(text: str, path: str) -> list[str]:
    """Owners of `path` by the gitignore-style rules both GitHub and GitLab apply: last match wins."""
    found: list[str] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        regex = re.escape(pattern.lstrip("/")).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
        if re.fullmatch(regex, path):
            found = owners
    return found


def test_writes_patterns_by_indicator_and_department(mini, kaohe):
    _declare(mini)
    run = kaohe("--repo", str(mini), "codeowners")
    assert run.code == 0, run.err
    text = (mini / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/evidence/2010/**/df-01-* @qianxinan/jijian" in text.splitlines()
    assert "/evidence/2010/**/zf-04-* @qianxinan/jicha zhang.san@example.cn" in text.splitlines()
    assert "/frameworks/mini/02-zhifa.toml @qianxinan/jicha zhang.san@example.cn" in text.splitlines()
    # df-01 is in 党风廉政 (纪检监察室, set on the category and inherited); zf-04 in 执法打假 (稽查支队)
    assert _owners(text, "evidence/2010/xingren/df-01-2010-12-28-annual.md") == ["@qianxinan/jijian"]
    assert _owners(text, "evidence/2010/anlong/zf-04-ledger.md") == ["@qianxinan/jicha", "zhang.san@example.cn"]
    assert _owners(text, "evidence/2010/anlong/sub/df-08-case.toml") == ["@qianxinan/jijian"]
    # a findings file not named by indicator has no department owner: the convention is documented
    assert _owners(text, "evidence/2010/anlong/findings.toml") == []
    assert kaohe("--repo", str(mini), "codeowners", "--check").code == 0
    assert kaohe("--repo", str(mini), "check").code == 0


def test_longer_ids_come_after_their_prefix(mini, kaohe):
    # df-01's pattern df-01-* also matches df-01-1-*: df-01-1 must be written later to win.
    cat = mini / "frameworks/mini/02-zhifa.toml"
    cat.write_text(
        cat.read_text(encoding="utf-8") + '\n[[indicator]]\nid = "df-01-1"\ntarget = "附加项"\n'
        "points = 1\nmonth = 12\n",
        encoding="utf-8",
    )
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    text = (mini / "CODEOWNERS").read_text(encoding="utf-8")
    assert _owners(text, "evidence/2010/xingren/df-01-1-2010-05-01-x.md") == [
        "@qianxinan/jicha",
        "zhang.san@example.cn",
    ]
    assert _owners(text, "evidence/2010/xingren/df-01-2010-05-01-x.md") == ["@qianxinan/jijian"]


def test_check_fails_on_a_stale_file(mini, kaohe):
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    init_git(mini)
    # the assessing department of 执法打假 changes: CODEOWNERS no longer says who reviews zf-04
    cat = mini / "frameworks/mini/02-zhifa.toml"
    cat.write_text(
        cat.read_text(encoding="utf-8").replace('department = "稽查支队"', 'department = "纪检监察室"'),
        encoding="utf-8",
    )
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    line, warning = run.out.splitlines()
    # lines 1-5 are the header, 6 blank, 7-8 the dangfeng category (unchanged); line 9, the zhifa
    # category's comment, now names 纪检监察室 instead of 稽查支队: the first difference.
    assert line.startswith("CODEOWNERS:9:1: error: CODEOWNERS is out of date"), line
    assert "run `kaohe codeowners`" in line
    # and the 稽查支队 mapping is now unused
    assert warning.startswith(
        "frameworks/mini/framework.toml:1:1: warning: [[code_owners]] names department '稽查支队'"
    )
    assert kaohe("--repo", str(mini), "codeowners", "--check").code == 1
    # the committed revision is still consistent
    assert kaohe("--repo", str(mini), "check", "--rev", "HEAD").code == 0
    kaohe("--repo", str(mini), "codeowners")
    assert kaohe("--repo", str(mini), "check").code == 0
    assert "稽查支队" in git(mini, "show", "HEAD:CODEOWNERS")


def test_missing_file_when_owners_are_declared(mini, kaohe):
    _declare(mini)
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    assert (
        "frameworks/mini/framework.toml:1:1: error: departments declare code owners but there is no "
        "CODEOWNERS file" in run.out
    )


def test_hand_written_file_without_owners_is_left_alone(mini, kaohe):
    (mini / "CODEOWNERS").write_text("* @admins\n", encoding="utf-8")
    assert kaohe("--repo", str(mini), "check").code == 0


def test_unmapped_department_is_a_warning(mini, kaohe):
    with (mini / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[code_owners]]\ndepartment = "纪检监察室"\nowners = ["@qianxinan/jijian"]\n')
    kaohe("--repo", str(mini), "codeowners")
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 0
    # 02-zhifa.toml line 6 is the first [[indicator]] (zf-04) of the 稽查支队 category
    assert (
        "frameworks/mini/02-zhifa.toml:6:1: warning: department '稽查支队' has no [[code_owners]] entry: "
        "its 3 indicators' files get no reviewers"
    ) in run.out


def test_gitea_style_uses_regular_expressions(mini, kaohe):
    _declare(mini)
    run = kaohe("--repo", str(mini), "codeowners", "--style", "gitea", "--out", ".gitea/CODEOWNERS")
    assert run.code == 0
    text = (mini / ".gitea/CODEOWNERS").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "df-01" in x and not x.startswith("#"))
    pattern = line.split()[0]
    assert pattern == "^evidence/2010/[^/]+/(.+/)?df-01-[^/]*$"
    assert re.match(pattern, "evidence/2010/xingren/df-01-2010-12-28-annual.md")
    assert not re.match(pattern, "evidence/2010/xingren/df-010-x.md")
    assert kaohe("--repo", str(mini), "check").code == 0  # the style is kept when checking


def test_a_broken_framework_is_not_also_reported_as_stale_codeowners(mini, kaohe):
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    cat = mini / "frameworks/mini/02-zhifa.toml"
    cat.write_text(cat.read_text(encoding="utf-8").replace('id = "zhifa"', "id = zhifa"), encoding="utf-8")
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    assert "frameworks/mini/02-zhifa.toml:2:" in run.out
    assert "CODEOWNERS" not in run.out
