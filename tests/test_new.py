"""`kaohe new evidence`: named files with complete front matter that pass `kaohe check` unchanged."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest
from conftest import said

from generator.messages import tr


def _written(repo, run):
    assert run.code == 0, run.err
    rel = run.out.strip()
    return rel, (repo / rel).read_text(encoding="utf-8")


def test_all_options_give_a_file_that_checks_and_counts(mini, kaohe):
    run = kaohe(
        "--repo",
        str(mini),
        "new",
        "evidence",
        "--unit",
        "xingren",
        "--indicator",
        "df-01",
        "--date",
        "2010-12-28",
        "--satisfies",
        "annual",
        "--title",
        "2010年度党风廉政建设工作情况报告",
    )
    rel, text = _written(mini, run)
    assert rel == "evidence/2010/xingren/df-01-2010-12-28-annual.md"
    assert text.startswith(
        '+++\nindicator = "df-01"\nunit = "xingren"\ndate = 2010-12-28\n'
        'title = "2010年度党风廉政建设工作情况报告"\nsatisfies = ["annual"]\n+++\n'
    )
    # the body is shown on the site: the indicator and requirements by the document's words, no keys
    assert "> 党风廉政建设工作第1项：" in text and "- 全年工作情况报告\n" in text
    assert "贯彻会议情况报告" in text  # the other requirements are named too
    body = text.split("+++\n")[2]
    assert "df-01" not in body and "`annual`" not in body and "`meeting`" not in body, body
    check = kaohe("--repo", str(mini), "check")
    assert check.code == 0 and check.out == "", check.out
    # xingren df-01 had meeting and half-year; with annual nothing is missing: 0.3 (was 0.2).
    score = kaohe("--repo", str(mini), "score", "--unit", "xingren", "--format", "json")
    assert '"id": "df-01"' in score.out
    import json

    df01 = next(i for i in json.loads(score.out)["units"][0]["indicators"] if i["id"] == "df-01")
    assert df01["score"] == "0.3"


@pytest.mark.parametrize("given", ["education,lecture", "education，lecture", "education, lecture"])
def test_satisfies_takes_a_list_as_the_menu_does(mini, kaohe, given):
    """The menu takes "1,3"; a clerk who then writes --satisfies education,lecture means both
    requirements (it was refused as one unknown key, with a hint naming only one of them)."""
    args = ("--unit", "anlong", "--indicator", "df-03", "--date", "2010-06-30", "--count", "2")
    run = kaohe("--repo", str(mini), "new", "evidence", *args, "--satisfies", given)
    rel, text = _written(mini, run)
    assert rel == "evidence/2010/anlong/df-03-2010-06-30-education-lecture.md"
    assert 'satisfies = ["education", "lecture"]\ncount = 2' in text
    # a requirement's name that holds a comma (as 完善的财务管理制度,会计、出纳… in the 2010 tables)
    # is one requirement, not two
    rules = mini / "frameworks" / "mini" / "01-dangfeng.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('"反腐倡廉教育"', '"反腐倡廉教育,警示教育"'), "utf-8")
    args = ("--unit", "anlong", "--indicator", "df-03", "--date", "2010-07-01", "--satisfies", "反腐倡廉教育,警示教育")
    rel, text = _written(mini, kaohe("--repo", str(mini), "new", "evidence", *args, "--count", "1"))
    assert 'satisfies = ["education"]' in text


def test_counted_and_metric_requirements(mini, kaohe):
    run = kaohe(
        "--repo",
        str(mini),
        "new",
        "evidence",
        "--unit",
        "anlong",
        "--indicator",
        "df-03",
        "--date",
        "2010-06-30",
        "--satisfies",
        "education",
        "--satisfies",
        "lecture",
        "--count",
        "2",
    )
    rel, text = _written(mini, run)
    assert rel == "evidence/2010/anlong/df-03-2010-06-30-education-lecture.md"
    assert 'satisfies = ["education", "lecture"]\ncount = 2' in text
    assert "本文件记录2次，全年应4次" in text
    assert 'title = "反腐倡廉教育、领导讲廉政党课"' in text
    run = kaohe(
        "--repo",
        str(mini),
        "new",
        "evidence",
        "--unit",
        "cehen",
        "--indicator",
        "zf-04",
        "--date",
        "2010-12-01",
        "--metric",
        "closure_rate=92.5",
    )
    rel, text = _written(mini, run)
    assert "metrics = {closure_rate = 92.5}" in text
    # without a figure the metrics line is a comment to fill in: nothing is reported as 0
    run = kaohe(
        "--repo", str(mini), "new", "evidence", "--unit", "xingren", "--indicator", "zf-04", "--date", "2010-06-01"
    )
    rel, text = _written(mini, run)
    assert "\n# metrics = { closure_rate = … }" in text
    assert kaohe("--repo", str(mini), "check").code == 0


def test_never_overwrites(mini, kaohe):
    args = (
        "--repo",
        str(mini),
        "new",
        "evidence",
        "--unit",
        "xingren",
        "--indicator",
        "df-01",
        "--date",
        "2010-12-28",
        "--satisfies",
        "annual",
    )
    first, _ = _written(mini, kaohe(*args))
    (mini / first).write_text((mini / first).read_text(encoding="utf-8") + "已填写的内容\n", encoding="utf-8")
    second, _ = _written(mini, kaohe(*args))
    assert second == "evidence/2010/xingren/df-01-2010-12-28-annual-2.md"
    assert (mini / first).read_text(encoding="utf-8").endswith("已填写的内容\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--indicator", "df-01"), "missing --unit: unit: xingren, anlong, cehen"),
        (("--unit", "xingren"), "missing --indicator"),
        (("--unit", "xingren", "--indicator", "df-01", "--date", "2010-05-05"), "missing --satisfies"),
        (("--unit", "xingren", "--indicator", "df-01"), "missing --date"),
        (("--unit", "xingrn", "--indicator", "df-01"), "did you mean 'xingren'?"),
        (("--unit", "xingren", "--indicator", "std-01"), "it does not apply to unit 'xingren'"),
        (
            ("--unit", "xingren", "--indicator", "df-01", "--date", "2010-05-05", "--satisfies", "anual"),
            "indicator 'df-01' has no requirement 'anual' (hint: did you mean 'annual'?)",
        ),
        (
            ("--unit", "xingren", "--indicator", "zf-04", "--date", "2010-05-05", "--metric", "closure=1"),
            "has no metric 'closure'",
        ),
        (
            ("--unit", "xingren", "--indicator", "df-01", "--date", "2011-01-05", "--year", "2010"),
            "outside the assessment year 2010",
        ),
    ],
)
@pytest.mark.usefixtures("english")  # reads what the refusal says of the option
def test_missing_or_wrong_options_are_clear_errors(mini, kaohe, monkeypatch, args, message):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    run = kaohe("--repo", str(mini), "new", "evidence", *args)
    assert run.code == 1
    assert message in run.err, run.err
    assert "Traceback" not in run.err
    assert not list((mini / "evidence/2010/xingren").glob("*-2010-*"))


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_interactive_menus(mini, kaohe, monkeypatch):
    # units are listed in units.toml order: 1 xingren, 2 anlong, 3 cehen. anlong's applicable
    # indicators in framework order: 1 df-01, 2 df-03, 3 df-08, 4 df-10, 5 zf-04, 6 lab (std-01 is cehen's).
    answers = iter(["2", "9", "df-03", "2010-04-30", "1,lecture", "", ""])  # Enter: count 1, then the title
    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    run = kaohe("--repo", str(mini), "new", "evidence")
    rel, text = _written(mini, run)
    assert rel == "evidence/2010/anlong/df-03-2010-04-30-education-lecture.md"
    assert said("new.again.one", last=6) in run.err  # "9" was refused, then "df-03" by id
    assert " 1) xingren  兴仁县质监局" in run.err
    assert 'title = "反腐倡廉教育、领导讲廉政党课"' in text  # Enter took the offered title
    assert kaohe("--repo", str(mini), "check").code == 0


def test_interactive_menus_name_indicators_as_the_document_does_and_ask_a_wrong_date_again(mini, kaohe, monkeypatch):
    """Before: indicators were listed by the table's key ("dangfeng 3 把拒腐防变…"), the requirement
    was asked of "df-03", and a mistyped date ended the run after every earlier answer."""
    answers = iter(["anlong", "df-03", "", "2011-01-05", "2010-4-30", "2010-04-30", "1", "", ""])
    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    run = kaohe("--repo", str(mini), "new", "evidence")
    rel, _ = _written(mini, run)
    assert rel == "evidence/2010/anlong/df-03-2010-04-30-education.md"
    assert " 2) df-03  党风廉政建设工作第3项 " in run.err  # table title and 序号, then the wording
    assert " 5) zf-04  执法打假工作第4项 " in run.err
    assert "dangfeng" not in run.err and "zhifa" not in run.err
    assert "本文件满足党风廉政建设工作第3项的哪项要求" in run.err
    # three wrong dates, each said, then asked again: empty, outside the year, not YYYY-MM-DD
    assert said("new.not-a-date", value="", year=2010) in run.err
    # typed at the prompt, not given as --date: the message names no option the clerk never typed
    assert said("new.date-outside-year.typed", date="2011-01-05", year=2010) in run.err
    assert "--date" not in run.err
    assert said("new.not-a-date", value="2010-4-30", year=2010) in run.err


def _new(mini, kaohe, *args: str):
    return kaohe(
        "--repo", str(mini), "new", "evidence", "--unit", "cehen", "--indicator", "zf-04", "--date", "2010-12-01", *args
    )


def _problems_in(mini, kaohe, rel: str) -> list[tuple[int, str]]:
    import json

    run = kaohe("--repo", str(mini), "check", "--format", "json")
    return [(p["line"], p["severity"]) for p in json.loads(run.out) if p["path"] == rel]


@pytest.mark.parametrize(
    "title",
    [
        "删除符\x7f在中间",  # DEL: json.dumps left it raw, and TOML refuses raw control characters
        "空字符\x00在中间",  # NUL: the body's heading carried it raw, "file contains NUL bytes"
        "第一行\n+++\n第二行",
        '引号"和\\反斜杠',
        "制表\t响铃\x07转义\x1b[31m红",
        "反转\u202e文字",
    ],
    ids=["del", "nul", "newlines", "quotes", "controls", "bidi"],
)
@pytest.mark.usefixtures("english")  # reads what the refusal says of the option
def test_every_file_new_writes_passes_check_whatever_the_title(title, mini, kaohe):
    run = _new(mini, kaohe, "--metric", "closure_rate=92.50", "--title", title)
    written = sorted((mini / "evidence/2010/cehen").glob("zf-04-2010-12-01-*.md"))
    if run.code == 0:
        rel = run.out.strip()
        assert [p.relative_to(mini).as_posix() for p in written] == [rel]
        assert [e for e in _problems_in(mini, kaohe, rel) if e[1] == "error"] == []
        assert "closure_rate = 92.50" in (mini / rel).read_text(encoding="utf-8")  # the figure as written
    else:  # refused: then nothing is written, and the message says check would refuse it
        assert (run.code, written) == (1, [])
        assert "would not pass `kaohe check`" in run.err, run.err


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "sNaN", "abc"])
@pytest.mark.usefixtures("english")  # reads what the refusal says of the option
def test_a_metric_that_is_not_a_number_is_refused_before_writing(value, mini, kaohe):
    run = _new(mini, kaohe, "--metric", f"closure_rate={value}")
    assert run.code == 1
    assert f"--metric closure_rate: '{value}' is not a number" in run.err
    assert not list((mini / "evidence/2010/cehen").glob("zf-04-2010-12-01-*.md"))


@pytest.mark.usefixtures("english")  # reads what the refusal says of the option
def test_a_metric_check_refuses_is_never_written(mini, kaohe):
    """1e12 parses as a number, but check bounds metrics at 10⁹: the file would fail, so it is not written."""
    run = _new(mini, kaohe, "--metric", "closure_rate=1e12")
    assert run.code == 1
    assert "would not pass `kaohe check`" in run.err and "too large" in run.err
    assert not list((mini / "evidence/2010/cehen").glob("zf-04-2010-12-01-*.md"))


def test_a_unit_folder_that_is_a_link_is_never_written_through(mini, kaohe, tmp_path):
    """`evidence/2010/xingren -> /elsewhere`: `kaohe new` wrote the new file where the link pointed,
    outside the repository, and `check` then refused the folder (tree.symlink) and never read it."""
    outside = tmp_path / "outside"
    (mini / "evidence/2010/xingren").rename(outside)
    (mini / "evidence/2010/xingren").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    args = ("--unit", "xingren", "--indicator", "df-01", "--date", "2010-05-01", "--satisfies", "meeting")
    run = kaohe("--repo", str(mini), "new", "evidence", *args)
    assert run.code == 1, run.err
    assert "evidence/2010/xingren:1:1:" in run.err  # the link, as check reports it
    assert sorted(p.name for p in outside.iterdir()) == before


@pytest.mark.parametrize(
    ("indicator", "option", "hint"),
    [
        # zf-04 is a threshold (结案率达不到90%…): scored from the figure closure_rate, so a clerk who
        # tried --satisfies is sent to --metric (before: 该指标没有列出要求, and no word of --metric)
        ("zf-04", ("--satisfies", "report"), ("new.use-metric", {"keys": ["closure_rate"], "key": "closure_rate"})),
        # df-01 is a checklist of three reports: scored by requirements, so --metric is sent to --satisfies
        (
            "df-01",
            ("--metric", "rate=95"),
            ("new.use-satisfies", {"keys": ["annual", "half-year", "meeting"]}),
        ),
    ],
)
def test_a_wrong_option_names_the_option_the_indicators_rules_take(mini, kaohe, monkeypatch, indicator, option, hint):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    args = ("--unit", "xingren", "--indicator", indicator, "--date", "2010-05-05", *option)
    run = kaohe("--repo", str(mini), "new", "evidence", *args)
    assert run.code == 1
    code, params = hint
    assert said(code, **params) in run.err, run.err
    other = "--metric" if option[0] == "--satisfies" else "--satisfies"
    assert other in run.err.split("（", 1)[1]  # the hint itself names the option that applies
    assert not list((mini / "evidence/2010/xingren").glob("*-2010-05-05*"))


def test_check_sends_satisfies_on_a_threshold_indicator_to_metrics(mini, kaohe):
    """The same in front matter: `satisfies` on zf-04 (a threshold) says to give the figure in metrics."""
    (mini / "evidence/2010/xingren/zf-04-wrong.md").write_text(
        '+++\nindicator = "zf-04"\ndate = 2010-11-01\nsatisfies = "report"\n+++\n结案情况\n', encoding="utf-8"
    )
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 1
    hint = said("evidence.use-metrics", indicator="zf-04", keys=["closure_rate"], key="closure_rate")
    assert "evidence/2010/xingren/zf-04-wrong.md:4:1: " in run.out and hint in run.out, run.out


def test_the_date_prompt_takes_a_date_as_chinese_documents_write_it(mini, kaohe, monkeypatch):
    """A clerk answered the date prompt with 2010年4月30日 and was told it is not a date, over and
    over; the way every 考核细则 and 通知 writes a date is taken (full-width digits too)."""
    answers = iter(["anlong", "df-03", "2010年4月30日", "1", "", ""])
    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    run = kaohe("--repo", str(mini), "new", "evidence")
    rel, _ = _written(mini, run)
    assert rel == "evidence/2010/anlong/df-03-2010-04-30-education.md"
    assert said("new.not-a-date", value="2010年4月30日", year=2010) not in run.err
    answers = iter(["anlong", "df-03", "２０１０年５月１日", "1", "", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    rel, _ = _written(mini, kaohe("--repo", str(mini), "new", "evidence"))
    assert rel == "evidence/2010/anlong/df-03-2010-05-01-education.md"


def test_a_requirement_is_named_by_its_key_or_by_the_name_the_document_gives_it(mini, kaohe):
    """df-01's requirements: meeting (贯彻会议情况报告), half-year (半年工作情况报告), annual
    (全年工作情况报告). Before: --satisfies 全年工作情况报告 was refused, and the hint listed nothing
    (no key is near the name), so the clerk could not learn the keys without reading the framework."""
    base = ("--repo", str(mini), "new", "evidence", "--unit", "xingren", "--indicator", "df-01", "--date", "2010-12-16")
    rel, text = _written(mini, kaohe(*base, "--satisfies", "全年工作情况报告"))
    assert rel == "evidence/2010/xingren/df-01-2010-12-16-annual.md" and 'satisfies = ["annual"]' in text
    run = kaohe(*base, "--satisfies", "年度总结")
    assert run.code == 1
    pairs = "meeting（贯彻会议情况报告）、half-year（半年工作情况报告）、annual（全年工作情况报告）"
    assert said("new.requirements", choices=pairs) in run.err


class _June15(date):
    """The clock on 15 June 2010, a day in the fixture's year 2010 (the machine's own is years later)."""

    @classmethod
    def today(cls) -> date:
        return cls(2010, 6, 15)


def test_without_a_date_a_run_not_at_a_terminal_takes_today_in_the_year(mini, kaohe, monkeypatch):
    """No --date and nobody to ask (a script, stdin not a terminal): today, 2010-06-15, is a day of
    the year 2010, so the file is dated today rather than refused for a missing --date (which it is
    when today is outside the year: test_missing_or_wrong_options_are_clear_errors)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    monkeypatch.setattr("generator.commands.new.date", _June15)
    run = kaohe(
        "--repo", str(mini), "new", "evidence", "--unit", "xingren", "--indicator", "df-01", "--satisfies", "meeting"
    )
    rel, text = _written(mini, run)
    assert rel == "evidence/2010/xingren/df-01-2010-06-15-meeting.md"
    assert "\ndate = 2010-06-15\n" in text


def test_an_indicator_without_a_seq_is_listed_by_its_table_and_wording(mini, kaohe, monkeypatch):
    """A row the document gives no 序号 (seq left out) is listed as its table's title and its wording,
    with no empty 第项 between them: 执法打假工作 then zf-04's text."""
    path = mini / "frameworks/mini/02-zhifa.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\nseq = 4\n") == 1
    path.write_text(text.replace("\nseq = 4\n", "\n"), encoding="utf-8")
    answers = iter(["anlong", "df-03", "2010-04-30", "1", "", ""])
    monkeypatch.setattr(sys, "stdin", Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    run = kaohe("--repo", str(mini), "new", "evidence")
    _written(mini, run)
    assert " 5) zf-04  执法打假工作 " in run.err and "第项" not in run.err


def test_satisfies_on_an_indicator_without_requirements_says_it_lists_none(mini, kaohe, monkeypatch):
    """df-08 (违纪案件) is scored from findings: it lists no requirement a file could satisfy and takes
    no figure either, so --satisfies is told 该指标没有列出要求, not given an empty list of choices."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    args = ("--unit", "xingren", "--indicator", "df-08", "--date", "2010-05-05", "--satisfies", "report")
    run = kaohe("--repo", str(mini), "new", "evidence", *args)
    assert run.code == 1
    assert said("new.no-requirements") in run.err, run.err
    assert not list((mini / "evidence/2010/xingren").glob("*-2010-05-05*"))


#: 不少于10篇, 每少一篇扣0.1分, 其中《黔质新风》1篇以上: a count in 篇 with a sub-quota.
ARTICLES = """
    [[indicator]]
    id = "xx"
    seq = 1
    target = "全年报送新闻信息不少于10篇（其中《黔质新风》1篇以上）。"
    points = 1

    [[indicator.rule]]
    id = "news"
    kind = "count"
    key = "news"
    name = "新闻信息"
    required = 10
    amount = 0.1
    measure = "篇"
    of_which = [{ key = "qzxf", name = "《黔质新风》刊发稿件", required = 1 }]
    """


def _articles(tmp_path, kaohe, monkeypatch, stdin: str, *args: str):
    """`kaohe new evidence` at a terminal in a repository whose one indicator counts articles (篇), the
    clerk's answers typed on stdin, one a line."""
    from builders import make_repo

    make_repo(tmp_path, ARTICLES)
    monkeypatch.setattr(sys, "stdin", Tty(stdin))
    base = ("--repo", str(tmp_path), "new", "evidence", "--unit", "a", "--indicator", "xx", "--date", "2010-06-30")
    return kaohe(*base, *args)


def test_a_counted_requirement_asks_how_many_in_its_measure_word_until_the_answer_is_one_or_more(
    tmp_path, kaohe, monkeypatch
):
    """Before: count = 1 was written unasked, so a file recording three articles counted one. Four wrong
    answers, each said with the reason and asked again: 0, 2.5, 十, -1, 100001 (more than a file may
    record, which `check` would refuse), a pasted 5000 digits; then ３ (full width, as a Chinese input
    method types it) is 3; then Enter takes the offered title."""
    wrong = ("0", "2.5", "十", "-1", "100001", "9" * 5000)
    stdin = "\n".join((*wrong, "３", "", ""))
    run = _articles(tmp_path, kaohe, monkeypatch, stdin, "--satisfies", "news")
    _, text = _written(tmp_path, run)
    assert "\ncount = 3 " in text and "本文件记录3篇，全年应10篇" in text
    assert run.err.count("新闻信息本次完成几篇 [1]：") == len(wrong) + 1
    for answer in wrong:
        assert said("new.not-a-count", value=answer, measure="篇", most=100000) in run.err
    assert kaohe("--repo", str(tmp_path), "check").code == 0
    # 3 of 10 articles: 10 − 3 = 7 missing × 0.1 = 0.7 deducted from 1 point: 0.3
    score = kaohe("--repo", str(tmp_path), "score", "--format", "json")
    assert json.loads(score.out)["units"][0]["indicators"][0]["score"] == "0.3"


def test_enter_at_the_count_question_takes_one_and_a_sub_quota_is_asked_too(tmp_path, kaohe, monkeypatch):
    """《黔质新风》 articles count toward the 10 as well: the question is asked of them, and Enter answers 1."""
    run = _articles(tmp_path, kaohe, monkeypatch, "\n\n", "--satisfies", "qzxf")
    _, text = _written(tmp_path, run)
    assert "\ncount = 1 " in text and "本文件记录1篇，全年应1篇" in text
    assert "《黔质新风》刊发稿件本次完成几篇 [1]：" in run.err


def test_count_given_on_the_command_line_is_not_asked(tmp_path, kaohe, monkeypatch):
    run = _articles(tmp_path, kaohe, monkeypatch, "\n", "--satisfies", "news", "--count", "4")  # Enter: the title
    _, text = _written(tmp_path, run)
    assert "本次完成几篇" not in run.err and "\ncount = 4 " in text
    run = _articles(tmp_path, kaohe, monkeypatch, "", "--satisfies", "news", "--count", "0")
    assert run.code == 1 and said("new.count-too-small") in run.err


@pytest.mark.parametrize("typed", ["١٢", "1_2", "+12", "1 2"])
def test_the_count_option_refuses_what_the_question_refuses(tmp_path, kaohe, monkeypatch, capsys, typed):
    """`--count ١٢` (Arabic-Indic digits) was read as 12 by int() while the question refused the same
    answer; int() also took 1_2 and +12. Both now read one set: the digits 0-9, or full width (１２, as a
    Chinese input method types it), spaces around them left out as the question leaves them out. The option refuses the rest with a message that says
    which digits to use, and writes nothing; the question refuses it and asks again."""
    with pytest.raises(SystemExit) as refused:  # argparse's refusal of an option's value, as for --date
        _articles(tmp_path / "option", kaohe, monkeypatch, "", "--satisfies", "news", "--count", typed)
    assert refused.value.code == 2 and said("new.count.not-a-number", value=typed) in capsys.readouterr().err
    assert not list((tmp_path / "option").glob("evidence/**/*.md"))
    # the question: the same answer refused (said once, asked again), then 5 taken; Enter takes the title
    run = _articles(tmp_path / "question", kaohe, monkeypatch, f"{typed}\n5\n\n", "--satisfies", "news")
    _, text = _written(tmp_path / "question", run)
    assert said("new.not-a-count", value=typed, measure="篇", most=100000) in run.err
    assert run.err.count("新闻信息本次完成几篇 [1]：") == 2 and "\ncount = 5 " in text


def test_full_width_digits_are_a_count_on_the_command_line_as_at_the_question(tmp_path, kaohe, monkeypatch, capsys):
    """１２ in full width is 12 both ways, and a pasted number of 5000 digits is refused by the option
    (more than 100000, the most a file may record) before int() is asked to read it."""
    run = _articles(tmp_path / "option", kaohe, monkeypatch, "\n", "--satisfies", "news", "--count", "１２")
    assert "\ncount = 12 " in _written(tmp_path / "option", run)[1] and "本次完成几篇" not in run.err
    run = _articles(tmp_path / "question", kaohe, monkeypatch, "１２\n\n", "--satisfies", "news")
    assert "\ncount = 12 " in _written(tmp_path / "question", run)[1]
    run = _articles(tmp_path / "spaced", kaohe, monkeypatch, "\n", "--satisfies", "news", "--count", " １２ ")
    assert "\ncount = 12 " in _written(tmp_path / "spaced", run)[1]  # as int() took " 12" before
    with pytest.raises(SystemExit) as refused:
        _articles(tmp_path / "long", kaohe, monkeypatch, "", "--satisfies", "news", "--count", "9" * 5000)
    assert refused.value.code == 2
    assert tr("model.too-large", key="--count", limit=100000) in capsys.readouterr().err  # argparse: no hint
