"""`kaohe check`: each kind of bad input is reported at its path:line:col, all at once, exit 1."""

from __future__ import annotations

from pathlib import Path

from builders import evidence, make_repo, write

GOOD = """
[[indicator]]
id = "df-01"
target = "有半年和年度工作情况报告"
points = 0.3
month = 12

[[indicator.rule]]
id = "reports"
kind = "checklist"
amount = 0.1
items = [
  { key = "half-year", name = "半年工作情况报告" },
  { key = "annual", name = "全年工作情况报告" },
]

[[indicator.rule]]
id = "extra"
kind = "range"
min = 0.1
max = 0.5
"""
# Line numbers in GOOD as written by make_repo: 1-3 [category], 4-5 blank, 6 [[indicator]], 7 id,
# 8 target, 9 points, 10 month, 11 blank, 12 [[indicator.rule]], 13 id, 14 kind, 15 amount, 16 items,
# 17 half-year, 18 annual, 19 ], 20 blank, 21 [[indicator.rule]], 22 id, 23 kind, 24 min, 25 max.


def lines_of(run) -> list[str]:
    return run.out.strip().splitlines()


def test_clean_repository_exits_zero(tmp_path, kaohe):
    make_repo(tmp_path, GOOD, evidence={"a/e.md": evidence("df-01", satisfies='"annual"')})
    run = kaohe("check", "--repo", str(tmp_path))
    assert (run.code, run.out) == (0, "")
    assert "0 errors" in run.err


def test_toml_syntax_error_has_line_and_column(tmp_path, kaohe):
    make_repo(tmp_path, GOOD.replace("points = 0.3", "points = 0.3.1"))
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    assert lines_of(run)[0].startswith("frameworks/t/01-c.toml:9:")
    assert "TOML syntax error" in run.out


def test_unknown_key_gets_did_you_mean(tmp_path, kaohe):
    make_repo(tmp_path, GOOD.replace("month = 12", "monht = 12"))
    run = kaohe("check", "--repo", str(tmp_path))
    assert "frameworks/t/01-c.toml:10:1: error: unknown key 'monht' (hint: did you mean 'month'?)" in run.out


def test_unknown_rule_kind_and_missing_key(tmp_path, kaohe):
    bad = GOOD.replace('kind = "range"', 'kind = "rnage"').replace('target = "有半年和年度工作情况报告"\n', "")
    make_repo(tmp_path, bad)
    out = kaohe("check", "--repo", str(tmp_path)).out
    # without the target line everything below moves up one: the second rule's kind is on line 22
    assert "frameworks/t/01-c.toml:22:1: error: unknown rule kind 'rnage' (hint: did you mean 'range'?)" in out
    assert "frameworks/t/01-c.toml:6:3: error: missing required key 'target'" in out


def test_duplicate_ids(tmp_path, kaohe):
    dup = GOOD + GOOD.replace('id = "reports"', 'id = "r2"').replace('id = "extra"', 'id = "e2"')
    make_repo(tmp_path, dup, units=(("a", "county"), ("a", "county")))
    out = kaohe("check", "--repo", str(tmp_path)).out
    # GOOD is 21 lines (a blank line first): the second copy's [[indicator]] is on line 6 + 21 = 27
    assert "frameworks/t/01-c.toml:27:1: error: duplicate indicator id 'df-01'" in out
    # units.toml: 1 year, 2 framework, 3-6 first [[unit]], 7 blank, 8 [[unit]], 9 its id
    assert "evidence/2010/units.toml:9:1: error: duplicate unit id 'a' (hint: already used at line 3)" in out


def test_evidence_references(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/unknown-ind.md": evidence("df-99"),
            "a/unknown-key.md": evidence("df-01", satisfies='"anual"'),
            "zz/unknown-unit.md": evidence("df-01"),
            "a/outside.md": evidence("df-01", "2011-01-03"),
        },
    )
    out = kaohe("check", "--repo", str(tmp_path)).out
    # front matter starts on line 2 of the file: indicator is line 2, date line 3, satisfies line 4
    assert "evidence/2010/a/unknown-ind.md:2:1: error: unknown indicator 'df-99' (hint: did you mean 'df-01'?)" in out
    assert (
        "evidence/2010/a/unknown-key.md:4:1: error: indicator 'df-01' has no requirement 'anual' "
        "(hint: did you mean 'annual'?)" in out
    )
    assert "evidence/2010/zz/unknown-unit.md:1:1: error: folder 'zz' is not a unit of this year" in out
    assert "evidence/2010/a/outside.md:3:1: error: date 2011-01-03 is outside the assessment year 2010" in out


def test_findings_amounts_reasons_and_granularity(tmp_path, kaohe):
    findings = """
[[finding]]
id = "f1"
indicator = "df-01"
rule = "extra"
date = 2010-05-01
amount = 0.6
reason = "资料不全"

[[finding]]
id = "f2"
indicator = "df-01"
rule = "extra"
date = 2010-05-01
amount = 0.25
reason = "资料不全"

[[finding]]
id = "f3"
indicator = "df-01"
rule = "extra"
date = 2010-05-01
amount = 0.2
reason = "  "
"""
    make_repo(tmp_path, GOOD, settings="granularity = 0.1", findings={"a/f.toml": findings})
    out = kaohe("check", "--repo", str(tmp_path)).out
    # files are written without the leading blank line: f1 is lines 1-7 (amount on 6), f2 lines 9-15
    # (amount on 14), f3 lines 17-23 (reason on 23)
    assert "evidence/2010/a/f.toml:6:1: error: amount 0.6 is outside the rule's range 0.1-0.5" in out
    assert "evidence/2010/a/f.toml:14:1: error: amount 0.25 is not a multiple of the deduction unit 0.1" in out
    assert "evidence/2010/a/f.toml:23:1: error: 'reason': a finding needs a reason" in out


def test_not_utf8_and_broken_links(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/links.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\n+++\n第一行\n见[附件](missing.pdf)和[上级](../../../../etc/passwd)。\n',
        },
    )
    gbk = tmp_path / "evidence/2010/a/gbk.md"
    gbk.write_bytes(b'+++\nindicator = "df-01"\ndate = 2010-03-01\n+++\n' + "会议纪要".encode("gbk"))
    out = kaohe("check", "--repo", str(tmp_path)).out
    assert "evidence/2010/a/gbk.md:5:1: error: file is not valid UTF-8" in out
    assert "evidence/2010/a/links.md:6:2: error: link to a file that does not exist: 'missing.pdf'" in out
    # line 6: 见 col 1, "[附件](missing.pdf)" cols 2-18, 和 col 19, the second link at col 20
    assert "evidence/2010/a/links.md:6:20: error: link '../../../../etc/passwd' points outside the repository" in out


def test_full_width_digits_and_impossible_dates(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace("points = 0.3", 'points = "０.３"'),
        evidence={
            "a/feb.md": '+++\nindicator = "df-01"\ndate = 2010-02-30\n+++\n',
        },
    )
    out = kaohe("check", "--repo", str(tmp_path)).out
    assert (
        "frameworks/t/01-c.toml:9:1: error: 'points': '０.３' uses full-width digits; write 0.3 without quotes" in out
    )
    assert "evidence/2010/a/feb.md:3:" in out and "TOML syntax error" in out


def test_all_problems_reported_in_one_run_and_never_a_traceback(tmp_path: Path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace("month = 12", "month = 13"),
        evidence={
            "a/no-front.md": "# 没有元数据\n",
            "a/bad-type.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\ncount = "三"\n+++\n',
        },
    )
    write(tmp_path / "evidence/2010/a/broken.toml", "[[finding]\nid = 1\n")
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1
    assert "Traceback" not in run.out + run.err and "internal error" not in run.err
    paths = {line.split(":")[0] for line in lines_of(run)}
    assert paths == {
        "frameworks/t/01-c.toml",
        "evidence/2010/a/no-front.md",
        "evidence/2010/a/bad-type.md",
        "evidence/2010/a/broken.toml",
    }
    assert "frameworks/t/01-c.toml:10:1: error: 'month': Input should be less than or equal to 12" in run.out
    assert "evidence/2010/a/bad-type.md:4:1: error: 'count': Input should be a valid integer" in run.out


def test_paths_argument_filters_the_report(tmp_path, kaohe):
    make_repo(tmp_path, GOOD, evidence={"a/x.md": evidence("df-99"), "a/y.md": evidence("df-98")})
    run = kaohe("check", "--repo", str(tmp_path), "evidence/2010/a/y.md")
    assert run.code == 1
    assert [line.split(":")[0] for line in lines_of(run)] == ["evidence/2010/a/y.md"]


def test_outside_a_repository_is_a_clear_error(tmp_path, kaohe):
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and "no kaohe repository" in run.err


def test_huge_and_quoted_numbers_are_refused_not_crashed_on(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace("points = 0.3", "points = 1e400").replace("max = 0.5", 'max = "0.5"'),
        evidence={
            "a/m.md": evidence("df-01", metrics="{ rate = -1e30 }"),
        },
    )
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and "internal error" not in run.err
    assert "frameworks/t/01-c.toml:9:1: error: 'points': 1E+400 is too large" in run.out
    assert "frameworks/t/01-c.toml:25:1: error: 'max': '0.5' is quoted; write the number without quotes: 0.5" in run.out
    # "metrics = { " is 12 characters: the key `rate` starts in column 13
    assert "evidence/2010/a/m.md:4:13: error: 'rate': -1E+30 is too large" in run.out


def test_references_that_would_silently_do_nothing(tmp_path, kaohe):
    indicators = (
        GOOD
        + """
[[indicator.rule]]
id = "m"
kind = "mitigation"

[[indicator.rule]]
id = "v"
kind = "veto"

[[indicator.rule]]
id = "once"
kind = "fixed"
amount = 0.1

[[indicator]]
id = "nobody"
target = "无人适用"
points = 1
applies_to = {}
"""
    )
    findings = """[[finding]]
id = "veto1"
indicator = "df-01"
rule = "v"
date = 2010-05-01
reason = "否决"

[[finding]]
id = "m1"
indicator = "df-01"
rule = "m"
date = 2010-05-01
mitigates = "veto1"
reason = "减免"

[[finding]]
id = "o1"
indicator = "df-01"
rule = "once"
date = 2010-05-01
reason = "一"

[[finding]]
id = "o2"
indicator = "df-01"
rule = "once"
date = 2010-05-01
evidence = ["."]
reason = "二"
"""
    make_repo(tmp_path, indicators, findings={"a/f.toml": findings, "zz/f.toml": findings.replace('"veto1"', '"x1"')})
    write(tmp_path / "frameworks/stray/01-c.toml", "[category]\n")
    out = kaohe("check", "--repo", str(tmp_path)).out
    # f.toml: veto1 lines 1-6, m1 8-14 (mitigates on 13), o1 16-21, o2 23-29 (rule on 26, evidence on 28)
    assert "evidence/2010/a/f.toml:13:1: error: finding 'veto1' is not a deduction that can be mitigated" in out
    assert "evidence/2010/a/f.toml:26:1: warning: rule 'once' deducts once; finding 'o2' adds nothing" in out
    assert "evidence/2010/a/f.toml:28:13: error: '.' is not an evidence file" in out
    assert "evidence/2010/zz/f.toml:1:1: error: folder 'zz' is not a unit of this year" in out
    # GOOD is 21 lines, the three rules 12 more (21 + 5 + 12 = 38), blank, then [[indicator]] "nobody"
    assert "frameworks/t/01-c.toml:44:1: error: 'applies_to': applies_to names no unit and no series" in out
    assert "frameworks/stray/01-c.toml:1:1: warning: 'frameworks/stray/' has no framework.toml" in out


def test_duplicate_series_and_repeated_items(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace('{ key = "annual"', '{ key = "half-year"'),
        parts='[[series]]\nid = "county"\ntitle = "重复"\n',
    )
    out = kaohe("check", "--repo", str(tmp_path)).out
    # framework.toml: 1 id, 2 title, 3 (no settings), 4 blank, 5-7 county, 8 blank, 9-11 office, 12 the repeat
    assert "frameworks/t/framework.toml:12:1: error: duplicate series id 'county'" in out
    # an error on the whole rule points at its [[indicator.rule]] header ("rule" starts in column 13)
    assert "frameworks/t/01-c.toml:12:13: error: item key 'half-year' is listed twice" in out


def test_one_bad_key_does_not_hide_the_files_other_problems(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/df-01-report.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\ncount = -2\nsatisfies = "anual"\n+++\n'
            "见[附件](missing.pdf)。\n",
        },
    )
    out = kaohe("check", "--repo", str(tmp_path)).out
    # line 4 count, line 5 satisfies (front matter starts on line 2), line 7 the body's link
    assert "evidence/2010/a/df-01-report.md:4:1: error: 'count': Input should be greater than or equal to 1" in out
    assert "evidence/2010/a/df-01-report.md:5:1: error: indicator 'df-01' has no requirement 'anual'" in out
    assert "evidence/2010/a/df-01-report.md:7:2: error: link to a file that does not exist: 'missing.pdf'" in out


def test_conflicting_figures_and_misnamed_files_are_warned_about(tmp_path, kaohe):
    threshold = (
        GOOD
        + """
[[indicator]]
id = "zf-04"
target = "结案率达90%以上"
points = 20

[[indicator.rule]]
id = "closure"
kind = "threshold"
metric = "closure_rate"
name = "结案率"
threshold = 90
amount = 0.1
missing_amount = 0
"""
    )
    make_repo(
        tmp_path,
        threshold,
        evidence={
            "a/zf-04-june.md": evidence("zf-04", "2010-06-30", metrics="{ closure_rate = 88.5 }"),
            "a/zf-04-dec.md": evidence("zf-04", "2010-12-20", metrics="{ closure_rate = 95 }"),
            "a/zf-04-minutes.md": evidence("df-01", "2010-03-01", satisfies='"annual"'),
        },
    )
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 0  # warnings only
    assert (
        "evidence/2010/a/zf-04-dec.md:4:1: warning: 'closure_rate' = 95 here but 88.5 in evidence/2010/a/zf-04-june.md"
    ) in run.out
    assert (
        "evidence/2010/a/zf-04-minutes.md:2:1: warning: the file is named for indicator 'zf-04' but this is for 'df-01'"
    ) in run.out


def test_web_links_and_remote_images_are_warned_about(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/web.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\n+++\n[通知](https://example.com/a)\n![图](http://example.com/p.png)\n',
        },
    )
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 0
    assert "evidence/2010/a/web.md:5:1: warning: link to another host: 'https://example.com/a'" in run.out
    assert "evidence/2010/a/web.md:6:1: warning: image from another host: 'http://example.com/p.png'" in run.out


def test_one_bad_unit_entry_does_not_hide_the_year(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        units=(("a", "county"), ("b", "county")),
        evidence={
            "a/x.md": evidence("df-99"),
            "b/y.md": evidence("df-01"),
        },
    )
    units = tmp_path / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('name = "b单位"\n', ""), encoding="utf-8")
    out = kaohe("check", "--repo", str(tmp_path)).out
    # units.toml: 1 year, 2 framework, 3-6 unit a, 7 blank, 8 [[unit]] b (its name removed; "unit" at column 3)
    assert "evidence/2010/units.toml:8:3: error: missing required key 'name'" in out
    assert "evidence/2010/a/x.md:2:1: error: unknown indicator 'df-99'" in out  # the year was still read
    assert "folder 'b' is not a unit" not in out


def _reported(run) -> list[tuple[str, int, str]]:
    import json

    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    return sorted((p["path"], p["line"], p["code"]) for p in json.loads(run.out))


def _two_bad_units(tmp_path: Path) -> None:
    make_repo(tmp_path, GOOD, evidence={"a/x.md": evidence("df-99"), "b/y.md": evidence("df-98")})


def test_paths_are_relative_to_the_current_folder(tmp_path, kaohe, monkeypatch):
    """Run from a unit's folder, `kaohe check .` checked nothing: paths were compared as repository paths."""
    _two_bad_units(tmp_path)
    monkeypatch.chdir(tmp_path / "evidence/2010/a")
    for args in (["."], ["x.md"], ["../a/x.md"]):
        run = kaohe("check", "--format", "json", *args)
        assert run.code == 1
        assert {p for p, _, _ in _reported(run)} == {"evidence/2010/a/x.md"}, args
    monkeypatch.chdir(tmp_path / "evidence")
    assert {p for p, _, _ in _reported(kaohe("check", "--format", "json", "2010"))} == {
        "evidence/2010/a/x.md",
        "evidence/2010/b/y.md",
    }


def test_a_path_that_names_nothing_is_an_error(tmp_path, kaohe, monkeypatch):
    make_repo(tmp_path, GOOD, evidence={"a/e.md": evidence("df-01", satisfies='"annual"')})
    monkeypatch.chdir(tmp_path)
    run = kaohe("check", "--format", "json", "evidence/2010/a/e.md", "evidence/2010/a/typo.md", "../elsewhere.md")
    assert run.code == 1
    assert _reported(run) == [
        ("../elsewhere.md", 1, "check.outside"),
        ("evidence/2010/a/typo.md", 1, "check.unknown-path"),
    ]


def test_with_repo_paths_may_be_given_relative_to_it(tmp_path, kaohe, monkeypatch):
    _two_bad_units(tmp_path / "repo")
    monkeypatch.chdir(tmp_path)  # outside the repository: the path is the repository's
    run = kaohe("check", "--repo", "repo", "--format", "json", "evidence/2010/b")
    assert {p for p, _, _ in _reported(run)} == {"evidence/2010/b/y.md"}
