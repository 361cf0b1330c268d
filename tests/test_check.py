"""`kaohe check`: each kind of bad input is reported at its path:line:col, all at once, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from appeal_support import APPEAL_KINDS, NOTICE, appeal
from builders import evidence, finding, make_repo, write
from conftest import git, said

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


Where = tuple[str, int, int, str, str]  # path, line, column, severity, code


def check(kaohe, root: Path, *args: str) -> dict[Where, dict]:
    """Every problem `kaohe check` reports, as {(path, line, col, severity, code): its parameters}."""
    run = kaohe("check", "--repo", str(root), "--format", "json", *args)
    assert run.code in (0, 1) and "Traceback" not in run.err and "internal error" not in run.err, run.err
    found = {}
    for p in json.loads(run.out):
        where = (p["path"], p["line"], p["col"], p["severity"], p["code"])
        assert where not in found, f"reported twice: {where}"
        found[where] = p["params"]
    return found


def suggests(choice: str) -> dict:
    """The parameter `suggestion` of a "did you mean …?" hint."""
    return {"code": "hint.did-you-mean", "params": {"choice": choice}}


def test_clean_repository_exits_zero(tmp_path, kaohe):
    make_repo(tmp_path, GOOD, evidence={"a/e.md": evidence("df-01", satisfies='"annual"')})
    run = kaohe("check", "--repo", str(tmp_path))
    assert (run.code, run.out) == (0, "")
    assert said("check.summary", errors=0, warnings=0, files=4, frameworks=1, years=1) in run.err


def test_problems_read_chinese_by_default_and_english_on_request(tmp_path, kaohe):
    """The contract's `path:line:col: message`, worded for a Chinese clerk unless English is asked for."""
    make_repo(tmp_path, GOOD.replace("month = 12", "monht = 12"))
    zh = kaohe("check", "--repo", str(tmp_path))
    assert zh.out == "frameworks/t/01-c.toml:10:1: 错误：未知的键“monht”（提示：是否应为“month”？）\n"
    assert "1 个错误，0 个警告" in zh.err
    for lang in (["--lang", "en", "check"], ["check", "--lang", "en"]):  # before or after the subcommand
        en = kaohe(*lang, "--repo", str(tmp_path))
        assert en.out == "frameworks/t/01-c.toml:10:1: error: unknown key 'monht' (hint: did you mean 'month'?)\n"
        assert "1 error(s), 0 warning(s)" in en.err
    assert kaohe("check", "--repo", str(tmp_path)).out == zh.out  # English was for that run only


def test_toml_syntax_error_has_line_and_column(tmp_path, kaohe):
    make_repo(tmp_path, GOOD.replace("points = 0.3", "points = 0.3.1"))
    # "points = " is 9 characters: tomllib stops at the second "." (column 13) and calls it no newline
    assert check(kaohe, tmp_path) == {("frameworks/t/01-c.toml", 9, 13, "error", "toml.expected-newline"): {}}


def test_unknown_key_gets_did_you_mean(tmp_path, kaohe):
    make_repo(tmp_path, GOOD.replace("month = 12", "monht = 12"))
    assert check(kaohe, tmp_path) == {
        ("frameworks/t/01-c.toml", 10, 1, "error", "model.unknown-key"): {
            "key": "monht",
            "suggestion": suggests("month"),
        }
    }


def test_unknown_rule_kind_and_missing_key(tmp_path, kaohe):
    bad = GOOD.replace('kind = "range"', 'kind = "rnage"').replace('target = "有半年和年度工作情况报告"\n', "")
    make_repo(tmp_path, bad)
    # without the target line everything below moves up one: the second rule's kind is on line 22
    found = check(kaohe, tmp_path)
    assert found == {
        ("frameworks/t/01-c.toml", 22, 1, "error", "model.unknown-rule-kind"): {
            "key": "kind",
            "kind": "rnage",
            "suggestion": suggests("range"),
        },
        ("frameworks/t/01-c.toml", 6, 3, "error", "model.missing-key"): {"key": "target"},
    }


def test_duplicate_ids(tmp_path, kaohe):
    dup = GOOD + GOOD.replace('id = "reports"', 'id = "r2"').replace('id = "extra"', 'id = "e2"')
    make_repo(tmp_path, dup, units=(("a", "county"), ("a", "county")))
    found = check(kaohe, tmp_path)
    # GOOD is 21 lines (a blank line first): the second copy's [[indicator]] is on line 6 + 21 = 27;
    # units.toml: 1 year, 2 framework, 3-6 first [[unit]], 7 blank, 8 [[unit]], 9 its id
    assert set(found) == {
        ("frameworks/t/01-c.toml", 27, 1, "error", "indicator.duplicate-id"),
        ("evidence/2010/units.toml", 9, 1, "error", "units.duplicate-id"),
    }
    assert found[("evidence/2010/units.toml", 9, 1, "error", "units.duplicate-id")] == {"unit": "a", "first_line": 3}
    assert found[("frameworks/t/01-c.toml", 27, 1, "error", "indicator.duplicate-id")] == {
        "indicator": "df-01",
        "first": "frameworks/t/01-c.toml:6",
    }


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
    found = check(kaohe, tmp_path)
    # front matter starts on line 2 of the file: indicator is line 2, date line 3, satisfies line 4
    assert found == {
        ("evidence/2010/a/unknown-ind.md", 2, 1, "error", "evidence.unknown-indicator"): {
            "indicator": "df-99",
            "suggestion": suggests("df-01"),
        },
        ("evidence/2010/a/unknown-key.md", 4, 1, "error", "evidence.unknown-requirement"): {
            "indicator": "df-01",
            "key": "anual",
            "suggestion": suggests("annual"),
        },
        ("evidence/2010/zz/unknown-unit.md", 1, 1, "error", "evidence.unknown-unit-folder"): {
            "folder": "zz",
            "suggestion": {"code": "hint.one-of", "params": {"choices": ["a"]}},
        },
        ("evidence/2010/a/outside.md", 3, 1, "error", "evidence.date-outside-year"): {
            "date": "2011-01-03",
            "year": 2010,
            "start": "2010-01-01",
            "end": "2010-12-31",
        },
    }


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
    # files are written without the leading blank line: f1 is lines 1-7 (amount on 6), f2 lines 9-15
    # (amount on 14), f3 lines 17-23 (reason on 23)
    assert check(kaohe, tmp_path) == {
        ("evidence/2010/a/f.toml", 6, 1, "error", "finding.range-amount-outside"): {
            "amount": "0.6",
            "min": "0.1",
            "max": "0.5",
        },
        ("evidence/2010/a/f.toml", 14, 1, "error", "finding.amount-granularity"): {
            "amount": "0.25",
            "granularity": "0.1",
        },
        ("evidence/2010/a/f.toml", 23, 1, "error", "finding.reason-blank"): {"key": "reason"},
    }


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
    # line 6: 见 col 1, "[附件](missing.pdf)" cols 2-18, 和 col 19, the second link at col 20
    assert check(kaohe, tmp_path) == {
        ("evidence/2010/a/gbk.md", 5, 1, "error", "file.not-utf8"): {},
        ("evidence/2010/a/links.md", 6, 2, "error", "link.missing"): {"href": "missing.pdf"},
        ("evidence/2010/a/links.md", 6, 20, "error", "link.outside"): {"href": "../../../../etc/passwd"},
    }


def test_full_width_digits_and_impossible_dates(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace("points = 0.3", 'points = "０.３"'),
        evidence={
            "a/feb.md": '+++\nindicator = "df-01"\ndate = 2010-02-30\n+++\n',
        },
    )
    found = check(kaohe, tmp_path)
    assert found == {
        ("frameworks/t/01-c.toml", 9, 1, "error", "number.full-width"): {
            "key": "points",
            "value": "０.３",
            "number": "0.3",
        },
        # "date = " is 7 characters: tomllib reads 2010-02-30 from column 8 and finds no such day
        ("evidence/2010/a/feb.md", 3, 8, "error", "toml.invalid-date"): {},
    }


@pytest.mark.parametrize("written", ["2011-13-09", "2011-12-32", "2011-00-10", "2011-06-00"])
def test_a_day_that_does_not_exist_is_an_invalid_date_where_it_is_written(tmp_path, kaohe, written):
    """Month 13 or day 32 is not a date to tomllib at all: it reads the year "2011" and says a
    statement should end there (column 12), which sends a clerk looking for a line break. It is the
    same mistake as 2010-02-30 and gets the same message, at the date (column 8: after "date = ")."""
    make_repo(tmp_path, GOOD, evidence={"a/m13.md": f'+++\nindicator = "df-01"\ndate = {written}\n+++\n'})
    write(tmp_path / "evidence/2010/stages.toml", f'[[stage]]\nstage = "公示"\ndate = {written}  # 公示\ndays = 7\n')
    assert check(kaohe, tmp_path) == {
        ("evidence/2010/a/m13.md", 3, 8, "error", "toml.invalid-date"): {},
        ("evidence/2010/stages.toml", 3, 8, "error", "toml.invalid-date"): {},
    }


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
    assert set(check(kaohe, tmp_path)) == {
        ("frameworks/t/01-c.toml", 10, 1, "error", "model.too-large"),
        ("evidence/2010/a/no-front.md", 1, 1, "error", "evidence.no-front-matter"),
        ("evidence/2010/a/bad-type.md", 4, 1, "error", "model.int"),
        ("evidence/2010/a/broken.toml", 1, 10, "error", "toml.unclosed-header"),
    }
    assert check(kaohe, tmp_path)[("frameworks/t/01-c.toml", 10, 1, "error", "model.too-large")] == {
        "key": "month",
        "limit": 12,
    }


def test_paths_argument_filters_the_report(tmp_path, kaohe):
    make_repo(tmp_path, GOOD, evidence={"a/x.md": evidence("df-99"), "a/y.md": evidence("df-98")})
    run = kaohe("check", "--repo", str(tmp_path), "evidence/2010/a/y.md")
    assert run.code == 1
    assert [line.split(":")[0] for line in lines_of(run)] == ["evidence/2010/a/y.md"]


def test_outside_a_repository_is_a_clear_error(tmp_path, kaohe):
    run = kaohe("check", "--repo", str(tmp_path))
    assert run.code == 1 and said("workspace.no-repository", start=tmp_path.resolve()) in run.err


def test_a_git_repository_without_data_inside_a_kaohe_repository_is_not_read_past(tmp_path, kaohe):
    """A bureau's new repository started inside a clone of kaohe (docs/adopting.md, step 1): `kaohe
    check` there must say the new repository holds no data yet, not check the clone around it."""
    outer = tmp_path / "outer"
    make_repo(outer, GOOD)
    inner = outer / "kaohe-2011"
    inner.mkdir()
    git(inner, "init", "-q")
    run = kaohe("check", "--repo", str(inner))
    assert run.code == 1, run.err
    assert said("workspace.no-repository-in-git", start=inner.resolve(), top=inner.resolve()) in run.err


def test_huge_and_quoted_numbers_are_refused_not_crashed_on(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace("points = 0.3", "points = 1e400").replace("max = 0.5", 'max = "0.5"'),
        evidence={
            "a/m.md": evidence("df-01", metrics="{ rate = -1e30 }"),
        },
    )
    # "metrics = { " is 12 characters: the key `rate` starts in column 13
    assert check(kaohe, tmp_path) == {
        ("frameworks/t/01-c.toml", 9, 1, "error", "number.too-large"): {
            "key": "points",
            "value": "1E+400",  # as written, never 401 digits
            "largest": "1,000,000,000",
        },
        ("frameworks/t/01-c.toml", 25, 1, "error", "number.quoted"): {"key": "max", "value": "0.5", "number": "0.5"},
        ("evidence/2010/a/m.md", 4, 13, "error", "number.too-large"): {
            "key": "rate",
            "value": "-1E+30",
            "largest": "1,000,000,000",
        },
    }


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
    found = check(kaohe, tmp_path)
    # f.toml: veto1 lines 1-6, m1 8-14 (mitigates on 13), o1 16-21, o2 23-29 (rule on 26, evidence on 28);
    # GOOD is 21 lines, the three rules 12 more (21 + 5 + 12 = 38), blank, then [[indicator]] "nobody"
    assert set(found) == {
        ("evidence/2010/a/f.toml", 13, 1, "error", "finding.mitigates-not-a-deduction"),
        ("evidence/2010/a/f.toml", 26, 1, "warning", "finding.deducts-once"),
        ("evidence/2010/a/f.toml", 28, 13, "error", "finding.evidence-missing"),
        ("evidence/2010/zz/f.toml", 1, 1, "error", "findings.unknown-unit-folder"),
        ("frameworks/t/01-c.toml", 44, 1, "error", "framework.applies-to-nobody"),
        ("frameworks/stray/01-c.toml", 1, 1, "warning", "tree.unread-folder"),
    }
    assert found[("evidence/2010/a/f.toml", 13, 1, "error", "finding.mitigates-not-a-deduction")] == {
        "finding": "veto1"
    }
    assert found[("evidence/2010/a/f.toml", 26, 1, "warning", "finding.deducts-once")]["finding"] == "o2"
    assert found[("evidence/2010/a/f.toml", 28, 13, "error", "finding.evidence-missing")] == {
        "ref": ".",
        "what": {"code": "finding.evidence-missing.not-a-file", "params": {}},
    }
    assert found[("frameworks/stray/01-c.toml", 1, 1, "warning", "tree.unread-folder")] == {
        "folder": "frameworks/stray/",
        "needed": "framework.toml",
    }


def test_duplicate_series_and_repeated_items(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD.replace('{ key = "annual"', '{ key = "half-year"'),
        parts='[[series]]\nid = "county"\ntitle = "重复"\n',
    )
    # framework.toml: 1 id, 2 title, 3 (no settings), 4 blank, 5-7 county, 8 blank, 9-11 office, 12 the repeat;
    # an error on the whole rule points at its [[indicator.rule]] header ("rule" starts in column 13)
    assert check(kaohe, tmp_path) == {
        ("frameworks/t/framework.toml", 12, 1, "error", "framework.duplicate-id"): {"table": "series", "id": "county"},
        ("frameworks/t/01-c.toml", 12, 13, "error", "rule.item-repeated"): {"key": "", "item": "half-year"},
    }


def test_one_bad_key_does_not_hide_the_files_other_problems(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/df-01-report.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\ncount = -2\nsatisfies = "anual"\n+++\n'
            "见[附件](missing.pdf)。\n",
        },
    )
    # line 4 count, line 5 satisfies (front matter starts on line 2), line 7 the body's link
    assert set(check(kaohe, tmp_path)) == {
        ("evidence/2010/a/df-01-report.md", 4, 1, "error", "model.too-small"),
        ("evidence/2010/a/df-01-report.md", 5, 1, "error", "evidence.unknown-requirement"),
        ("evidence/2010/a/df-01-report.md", 7, 2, "error", "link.missing"),
    }


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
    assert kaohe("check", "--repo", str(tmp_path)).code == 0  # warnings only
    assert check(kaohe, tmp_path) == {
        ("evidence/2010/a/zf-04-dec.md", 4, 1, "warning", "evidence.metric-differs"): {
            "metric": "closure_rate",
            "value": "95",
            "earlier": "88.5",
            "earlier_path": "evidence/2010/a/zf-04-june.md",
        },
        ("evidence/2010/a/zf-04-minutes.md", 2, 1, "warning", "file.named-for-other-indicator"): {
            "named": "zf-04",
            "indicator": "df-01",
        },
    }


def test_web_links_and_remote_images_are_warned_about(tmp_path, kaohe):
    make_repo(
        tmp_path,
        GOOD,
        evidence={
            "a/web.md": '+++\nindicator = "df-01"\ndate = 2010-03-01\n+++\n[通知](https://example.com/a)\n![图](http://example.com/p.png)\n',
        },
    )
    assert kaohe("check", "--repo", str(tmp_path)).code == 0
    found = check(kaohe, tmp_path)
    assert set(found) == {
        ("evidence/2010/a/web.md", 5, 1, "warning", "link.other-host"),
        ("evidence/2010/a/web.md", 6, 1, "warning", "link.other-host"),
    }
    link, image = (
        found[("evidence/2010/a/web.md", 5, 1, "warning", "link.other-host")],
        found[("evidence/2010/a/web.md", 6, 1, "warning", "link.other-host")],
    )
    assert (link["href"], link["what"]["code"]) == ("https://example.com/a", "link.other-host.link")
    assert (image["href"], image["what"]["code"]) == ("http://example.com/p.png", "link.other-host.image")


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
    # units.toml: 1 year, 2 framework, 3-6 unit a, 7 blank, 8 [[unit]] b (its name removed; "unit" at column 3);
    # the year was still read (x.md's unknown indicator), and b's folder is not reported as no unit
    assert set(check(kaohe, tmp_path)) == {
        ("evidence/2010/units.toml", 8, 3, "error", "model.missing-key"),
        ("evidence/2010/a/x.md", 2, 1, "error", "evidence.unknown-indicator"),
    }


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


#: A second indicator whose id is as close to df-01 as "df 01" is (difflib: 0.8 both): the old
#: hint "是否应为 df-10？" pointed every clerk at the wrong indicator.
DF_10 = """
[[indicator]]
id = "df-10"
target = "另一项"
points = 0.2
month = 12
"""


def test_a_refused_indicator_id_is_reported_once_not_on_every_file_naming_it(tmp_path, kaohe):
    """The framework's `id = "df 01"` (a space: not an id) is the one fix to make. Before, each of the
    two records and the finding naming df-01 also got 未知的指标 (hinting at df-10): three errors
    more, all gone once the id is fixed. A file naming an indicator nothing near (df-99) is still
    reported: only the names that read as the refused id are left to the root."""
    make_repo(
        tmp_path,
        GOOD.replace('id = "df-01"', 'id = "df 01"') + DF_10,
        evidence={
            "a/x.md": evidence("df-01", satisfies='"annual"'),
            "a/y.md": evidence("df-01", satisfies='"half-year"'),
            "a/z.md": evidence("df-99"),
        },
        findings={"a/findings.toml": finding("f1", "df-01", "extra", amount="0.1")},
    )
    # GOOD's line 7 is its first indicator's id; df-99 is reported at z.md's indicator (line 2)
    assert set(check(kaohe, tmp_path)) == {
        ("frameworks/t/01-c.toml", 7, 1, "error", "model.id-invalid"),
        ("evidence/2010/a/z.md", 2, 1, "error", "evidence.unknown-indicator"),
    }
    # once the id is fixed, every file checks clean but the one naming df-99
    fixed = tmp_path / "frameworks/t/01-c.toml"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace('id = "df 01"', 'id = "df-01"'), encoding="utf-8")
    assert set(check(kaohe, tmp_path)) == {("evidence/2010/a/z.md", 2, 1, "error", "evidence.unknown-indicator")}


@pytest.mark.parametrize(("char", "position"), [("\t", 2), ("\u0007", 2), ("\u202e", 1)])
def test_a_seq_holding_a_control_character_is_refused(tmp_path, kaohe, char, position):
    """序号 is printed in every table, sheet and heading, and was taken as it was: "1<TAB>" broke the
    CSV, U+0007 rang the terminal, U+202E turned the rest of the row around. Refused like a title,
    at the seq line (GOOD's line 7 is id: seq goes in after it, line 8), naming the character."""
    text = "1" + char if position == 2 else char + "1"
    seq = json.dumps(text)  # a TOML basic string: \t, \u0007, \u202e escaped as JSON writes them
    make_repo(tmp_path, GOOD.replace('id = "df-01"\n', f'id = "df-01"\nseq = {seq}\n'))
    found = check(kaohe, tmp_path)
    code = "text.bidi-control" if char == "\u202e" else "text.control-character"  # worded for what it does
    assert set(found) == {("frameworks/t/01-c.toml", 8, 1, "error", code)}
    params = next(iter(found.values()))
    assert params["position"] == position
    assert params["key"] == "seq"
    assert said(code, **params) in kaohe("check", "--repo", str(tmp_path)).out


def test_an_appeal_naming_a_refused_indicator_id_is_not_reported_again(tmp_path, kaohe):
    """An appeal (复核) naming df-01, which reads as the refused `id = "df 01"`, got 未知的指标 of its
    own (appeal.unknown-indicator, hinting at df-10) beside the framework's model.id-invalid, as
    records and findings did before: the one fix is in the framework. An appeal naming df-99 (nothing
    near a refused id) is still reported, at its `indicator` (line 4: id, kind, indicator)."""
    make_repo(
        tmp_path,
        GOOD.replace('id = "df-01"', 'id = "df 01"') + DF_10,
        settings=APPEAL_KINDS,
        findings={"a/appeals.toml": appeal(target='indicator = "df-01"\nrule = "reports"', kind='kind = "复核"\n')},
    )
    write(tmp_path / "evidence/2010/stages.toml", NOTICE)
    other = appeal(id="ap-2", target='indicator = "df-99"\nrule = "reports"', kind='kind = "复核"\n')
    with (tmp_path / "evidence/2010/a/appeals.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + other)
    errors = {w for w in check(kaohe, tmp_path) if w[3] == "error"}
    # the first appeal is lines 1-8, then a blank; the second starts at 10, its indicator (4th) at 13
    assert errors == {
        ("frameworks/t/01-c.toml", 7, 1, "error", "model.id-invalid"),
        ("evidence/2010/a/appeals.toml", 13, 1, "error", "appeal.unknown-indicator"),
    }
    # once the id is fixed, the appeal naming df-01 checks clean
    fixed = tmp_path / "frameworks/t/01-c.toml"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace('id = "df 01"', 'id = "df-01"'), encoding="utf-8")
    errors = {w for w in check(kaohe, tmp_path) if w[3] == "error"}
    assert errors == {("evidence/2010/a/appeals.toml", 13, 1, "error", "appeal.unknown-indicator")}
