"""CODEOWNERS generated from each indicator's department, and `kaohe check` when it is stale."""

from __future__ import annotations

import os
import re
import signal
import stat

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
    # lines 1-5 are the header, 6 blank, 7-8 the dangfeng category (unchanged); line 9, the zhifa
    # category's comment, now names 纪检监察室 instead of 稽查支队: the first difference. And the
    # 稽查支队 mapping is now unused.
    assert [(p.path, p.line, p.severity, p.code, p.kwargs.get("department")) for p in _problems(mini)] == [
        ("CODEOWNERS", 9, "error", "codeowners.stale", None),
        ("frameworks/mini/framework.toml", 1, "warning", "codeowners.unused-department", "稽查支队"),
    ]
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
    assert [(p.path, p.line, p.code) for p in _problems(mini)] == [
        ("frameworks/mini/framework.toml", 1, "codeowners.missing")
    ]


def test_hand_written_file_without_owners_is_left_alone(mini, kaohe):
    (mini / "CODEOWNERS").write_text("* @admins\n", encoding="utf-8")
    assert kaohe("--repo", str(mini), "check").code == 0


def test_unmapped_department_is_a_warning(mini, kaohe):
    with (mini / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[code_owners]]\ndepartment = "纪检监察室"\nowners = ["@qianxinan/jijian"]\n')
    kaohe("--repo", str(mini), "codeowners")
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 0
    # 02-zhifa.toml line 6 is the first [[indicator]] (zf-04) of the 稽查支队 category, which has 3
    assert [(p.path, p.line, p.severity, p.code, p.kwargs) for p in _problems(mini)] == [
        (
            "frameworks/mini/02-zhifa.toml",
            6,
            "warning",
            "codeowners.unmapped-department",
            {"department": "稽查支队", "indicators": 3},
        )
    ]


def test_gitea_style_uses_regular_expressions(mini, kaohe):
    _declare(mini)
    run = kaohe("--repo", str(mini), "codeowners", "--style", "gitea", "--out", ".gitea/CODEOWNERS")
    assert run.code == 0
    text = (mini / ".gitea/CODEOWNERS").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "df-01" in x and not x.startswith("#"))
    pattern = line.split()[0]
    assert pattern == "^evidence/2010/(.+/)?df-01-[^/]*$"
    assert re.match(pattern, "evidence/2010/xingren/df-01-2010-12-28-annual.md")
    assert re.match(pattern, "evidence/2010/df-01-votes.toml")  # a year-level findings file
    assert not re.match(pattern, "evidence/2010/xingren/df-010-x.md")
    assert kaohe("--repo", str(mini), "check").code == 0  # the style is kept when checking


def test_a_broken_framework_is_not_also_reported_as_stale_codeowners(mini, kaohe):
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    cat = mini / "frameworks/mini/02-zhifa.toml"
    cat.write_text(cat.read_text(encoding="utf-8").replace('id = "zhifa"', "id = zhifa"), encoding="utf-8")
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    found = [(p.path, p.line, p.code) for p in _problems(mini)]
    assert ("frameworks/mini/02-zhifa.toml", 2, "toml.invalid-value") in found
    # a department left without indicators may be warned about; CODEOWNERS itself is not called stale
    assert not [f for f in found if f[0] == "CODEOWNERS" or f[2] == "codeowners.stale"], found


# --- who owns each file, read the way the servers read CODEOWNERS --------------------------------


def _github_owners(text: str) -> dict[str, list[str]]:
    """A matcher per line, gitignore-style (pathspec), the way GitHub and GitLab apply them."""
    import pathspec

    rules = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            pattern, *owners = line.split(" ")
            rules.append((pathspec.PathSpec.from_lines("gitignore", [pattern]), owners))

    def owners_of(path: str) -> list[str]:
        found: list[str] = []
        for spec, owners in rules:  # the last matching line wins
            if spec.match_file(path):
                found = owners
        return found

    return owners_of


def _gitea_tokens(line: str) -> list[str]:
    """Gitea's tokenizer: a backslash escapes the next character, # ends the line, spaces split."""
    tokens, token, escape = [], "", False
    for ch in line.strip():
        if escape:
            token, escape = token + ch, False
        elif ch == "\\":
            escape = True
        elif ch == "#":
            break
        elif ch == " ":
            if token:
                tokens.append(token)
            token = ""
        else:
            token += ch
    return [*tokens, token] if token else tokens


def _gitea_owners(text: str):
    """Gitea compiles ^token$ per line and requests the owners of *every* matching line."""
    rules = [(re.compile(f"^{t[0]}$"), t[1:]) for t in map(_gitea_tokens, text.splitlines()) if len(t) >= 2]
    return lambda path: sorted({o for rx, owners in rules if rx.match(path) for o in owners})


SHIPPED_DEPARTMENTS = {
    "州局纪检监察室": ["@qianxinan/jijian"],
    "州局食品科": ["@qianxinan/shipin"],
    "州局特种设备科": ["@qianxinan/tezhong"],
    "办公室": ["@liaoyang-ciq/bangong"],
    "人事科": ["@liaoyang-ciq/renshi"],
    "综合科": ["@liaoyang-ciq/zonghe"],
}
MAINTAINERS = {"2010": ["@qianxinan/kaohe"], "2014": ["@liaoyang-ciq/jixiaoban"]}


def _expected_owner(path: str, department_of: dict[str, str | None]) -> list[str]:
    """Who must review `path` in the shipped repository, worked out from the file name alone."""
    parts = path.split("/")
    year = "2014" if "2014" in path or "liaoyang" in path else "2010"  # 黔西南 (2010, 2011) or 辽阳 (2014)
    name = parts[-1]
    if parts[0] == "evidence":
        indicator = next((i for i in department_of if name.startswith(i + "-")), None)
        dept = department_of.get(indicator) if indicator else None
        return SHIPPED_DEPARTMENTS[dept] if dept else MAINTAINERS[year]
    return MAINTAINERS[year] if name in ("framework.toml", "README.md") else None  # category: see below


def _shipped_files() -> list[str]:
    from tests.conftest import ROOT

    return git(ROOT, "ls-files", "frameworks", "evidence").split()


def _department_of():
    from generator.workspace import load_workspace
    from tests.conftest import ROOT

    ws = load_workspace(str(ROOT))
    return ws, {i.id: i.department for fw in ws.repo.frameworks.values() for i in fw.indicators()}


def test_every_shipped_file_has_its_owner_in_github_and_gitea_syntax(tmp_path, kaohe):
    from generator.codeowners import render
    from tests.conftest import ROOT

    ws, department_of = _department_of()
    committed = (ROOT / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == render(ws.repo, "github"), "the committed CODEOWNERS is stale: run `kaohe codeowners`"
    files = _shipped_files()
    assert len(files) > 500  # the whole shipped data, not a sample
    for style, owners_of in (("github", _github_owners(committed)), ("gitea", _gitea_owners(render(ws.repo, "gitea")))):
        unowned = [f for f in files if not owners_of(f)]
        assert unowned == [], f"{style}: files without an owner: {unowned[:5]}"
        for f in files:
            expected = _expected_owner(f, department_of)
            if expected is not None:
                assert sorted(owners_of(f)) == sorted(expected), (style, f)
    # spot checks, by hand from the frameworks: 01-dangfeng.toml sets 州局纪检监察室 for its category;
    # 02-biaozhun.toml names no department, so its table and evidence go to the maintainers;
    # 2014's fw-01 (服务绩效, 办公室) has findings at the year's top level.
    github = _github_owners(committed)
    gitea = _gitea_owners(render(ws.repo, "gitea"))
    for owners_of in (github, gitea):
        assert owners_of("frameworks/qianxinan-qts-2010/01-dangfeng.toml") == ["@qianxinan/jijian"]
        assert owners_of("frameworks/qianxinan-qts-2010/02-biaozhun.toml") == ["@qianxinan/kaohe"]
        assert owners_of("frameworks/qianxinan-qts-2010/framework.toml") == ["@qianxinan/kaohe"]
        assert owners_of("frameworks/liaoyang-ciq-2014/README.md") == ["@liaoyang-ciq/jixiaoban"]
        assert owners_of("evidence/2014/units.toml") == ["@liaoyang-ciq/jixiaoban"]
        assert owners_of("evidence/2014/fw-01-xianghu-pingjia.toml") == ["@liaoyang-ciq/bangong"]
        assert owners_of("evidence/2010/xingren/df-01-2010-12-28-annual.md") == ["@qianxinan/jijian"]
    # 04-shipin.toml mixes indicators of 州局食品科 and of no department: both review the table
    assert sorted(github("frameworks/qianxinan-qts-2010/04-shipin.toml")) == ["@qianxinan/kaohe", "@qianxinan/shipin"]
    # a file named by no indicator: GitHub's folder-wide line gives it to the maintainers
    assert github("evidence/2010/anlong/findings.toml") == ["@qianxinan/kaohe"]


def test_shipped_codeowners_check_passes_without_warnings(kaohe):
    from tests.conftest import ROOT

    run = kaohe("--repo", str(ROOT), "codeowners", "--check")
    assert (run.code, run.out, run.err) == (0, "", "")  # up to date, and no department without owners


def test_check_option_without_owners_or_file_has_nothing_to_do(mini, kaohe):
    assert not (mini / "CODEOWNERS").exists()
    assert kaohe("--repo", str(mini), "codeowners", "--check").code == 0
    _declare(mini)
    assert kaohe("--repo", str(mini), "codeowners", "--check").code == 1  # now a file is owed


def test_a_department_of_one_indicator_is_counted_once(mini, kaohe):
    # 纪检监察室 owns df-01 and df-03 (two) in the mini framework; give df-03 a department of its own
    cat = mini / "frameworks/mini/01-dangfeng.toml"
    text = cat.read_text(encoding="utf-8")
    assert text.count('id = "df-03"') == 1
    cat.write_text(text.replace('id = "df-03"\n', 'id = "df-03"\ndepartment = "办公室"\n'), encoding="utf-8")
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    found = [p.kwargs for p in _problems(mini) if p.code == "codeowners.unmapped-department"]
    assert {"department": "办公室", "indicators": 1} in found, found


def test_maintainers_own_what_no_department_does(mini, kaohe):
    fw = mini / "frameworks/mini/framework.toml"
    fw.write_text(
        fw.read_text(encoding="utf-8").replace('floor = "zero"\n', 'floor = "zero"\nmaintainers = ["@qxn/kaohe"]\n'),
        encoding="utf-8",
    )
    _declare(mini)
    assert kaohe("--repo", str(mini), "codeowners").code == 0
    owners_of = _github_owners((mini / "CODEOWNERS").read_text(encoding="utf-8"))
    assert owners_of("frameworks/mini/framework.toml") == ["@qxn/kaohe"]
    assert owners_of("evidence/2010/units.toml") == ["@qxn/kaohe"]
    assert owners_of("evidence/2010/anlong/findings.toml") == ["@qxn/kaohe"]
    assert owners_of("evidence/2010/xingren/df-01-2010-12-28-annual.md") == ["@qianxinan/jijian"]
    assert kaohe("--repo", str(mini), "check").code == 0


def _problems(repo_dir):
    """Every problem `kaohe check` finds, with its code."""
    from generator.codeowners import check
    from generator.workspace import load_workspace

    ws = load_workspace(str(repo_dir))
    check(ws.repo, ws.tree, ws.problems)
    return list(ws.problems)


def _inject(mini, old: str, new: str):
    cat = mini / "frameworks/mini/02-zhifa.toml"
    text = cat.read_text(encoding="utf-8")
    assert old in text
    cat.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_title_with_a_newline_cannot_add_owner_lines(mini, kaohe):
    _declare(mini)
    kaohe("--repo", str(mini), "codeowners")
    # a basic string with \n: parsed to a real newline, the comment line would end and `* @attacker` follow
    _inject(mini, 'title = "执法打假工作"', 'title = "执法打假工作\\n* @attacker"')
    # 02-zhifa.toml: line 1 [category], line 2 id, line 3 the title. The title type refuses it as it
    # loads (types.Name); codeowners refuses what reaches CODEOWNERS by other ways (file names).
    found = [p for p in _problems(mini) if p.path == "frameworks/mini/02-zhifa.toml" and p.line == 3]
    assert [p.severity for p in found] == ["error"], found
    assert kaohe("--repo", str(mini), "check").code == 1
    refused = kaohe("--repo", str(mini), "codeowners")
    assert refused.code != 0
    assert "@attacker" not in (mini / "CODEOWNERS").read_text(encoding="utf-8")


def test_the_writer_escapes_line_breaks_even_when_asked_directly(mini):
    from generator.codeowners import render
    from generator.workspace import load_workspace

    _declare(mini)
    ws = load_workspace(str(mini))
    # past every check: a title that holds line breaks reaches the writer anyway
    category = next(c for c in ws.repo.frameworks["mini"].categories if c.id == "zhifa")
    category.title = "执法打假工作\r\n* @attacker\u2028x\u0085y"
    for style in ("github", "gitea"):
        text = render(ws.repo, style)
        lines = text.split("\n")
        assert not any(line.startswith("*") for line in lines), style
        assert "执法打假工作\\u000d\\u000a* @attacker\\u2028x\\u0085y" in text
        assert text.splitlines() == lines[:-1]  # no other character splits a line either


def test_a_file_name_with_a_line_break_is_refused(mini, kaohe):
    _declare(mini)
    source = mini / "frameworks/mini/02-zhifa.toml"
    source.rename(mini / "frameworks/mini/02-zhifa\n* @attacker.toml")
    found = [p for p in _problems(mini) if p.code == "codeowners.control-character"]
    assert [(p.path, p.line) for p in found] == [("frameworks/mini/02-zhifa\n* @attacker.toml", 1)]
    assert kaohe("--repo", str(mini), "codeowners").code == 1
    assert not (mini / "CODEOWNERS").exists()


def test_department_with_a_control_character_is_refused(mini, kaohe):
    _declare(mini)
    _inject(mini, 'department = "稽查支队"', 'department = "稽查支队\\u001b[2J"')
    found = [p for p in _problems(mini) if p.path == "frameworks/mini/02-zhifa.toml" and p.line == 4]
    # line 4 of 02-zhifa.toml is the category's department
    assert [p.severity for p in found] == ["error"], found
    assert all("\x1b" not in p.message for p in found)  # shown escaped, never sent raw to a terminal
    assert kaohe("--repo", str(mini), "check").code == 1


def test_owner_handles_cannot_carry_comments_or_spaces(mini, kaohe):
    with (mini / "frameworks/mini/framework.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[code_owners]]\ndepartment = "纪检监察室"\nowners = ["a#b@example.cn"]\n')
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    # framework.toml: the appended table's `owners` fails the handle pattern (a comment sign and no @ user)
    # (its framework refused, the year naming it is not read, nor told its framework is unknown)
    found = [(p.path, p.code, p.kwargs.get("key")) for p in _problems(mini)]
    assert found == [("frameworks/mini/framework.toml", "model.id-pattern", "owners")], found


def test_codeowners_never_writes_through_a_committed_link(mini, kaohe, tmp_path):
    """A pull request may commit CODEOWNERS as a link out of the repository: `kaohe codeowners`
    refuses it and leaves the file it points to as it was (before, it overwrote that file)."""
    _declare(mini)
    outside = tmp_path / "outside.txt"
    outside.write_text("not kaohe's\n", encoding="utf-8")
    (mini / "CODEOWNERS").symlink_to(outside)
    init_git(mini)
    run = kaohe("--lang", "en", "--repo", str(mini), "codeowners")
    assert run.code == 1, run.err
    assert "CODEOWNERS is a symbolic link or special file" in run.err, run.err
    assert outside.read_text(encoding="utf-8") == "not kaohe's\n"
    assert (mini / "CODEOWNERS").is_symlink()
    assert kaohe("--repo", str(mini), "codeowners", "--check").code == 1


def test_codeowners_refuses_a_link_on_the_way_to_its_file(mini, kaohe, tmp_path):
    """`--out .github/CODEOWNERS` where .github is a link to a folder outside: nothing is written there."""
    _declare(mini)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (mini / ".github").symlink_to(outside, target_is_directory=True)
    run = kaohe("--repo", str(mini), "codeowners", "--out", ".github/CODEOWNERS")
    assert run.code == 1, run.err
    assert list(outside.iterdir()) == []


def test_codeowners_refuses_a_named_pipe_instead_of_waiting_for_a_reader(mini, kaohe):
    """A FIFO named CODEOWNERS made `kaohe codeowners` block for ever opening it to write."""
    _declare(mini)
    os.mkfifo(mini / "CODEOWNERS")
    signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(20)
    try:
        run = kaohe("--repo", str(mini), "codeowners")
    finally:
        signal.alarm(0)
    assert run.code == 1, run.err
    assert stat.S_ISFIFO(os.lstat(mini / "CODEOWNERS").st_mode)


def _too_slow(signum, frame):
    raise AssertionError("kaohe codeowners is still waiting after 20 s")
