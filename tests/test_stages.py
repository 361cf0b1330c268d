"""Stages of a year: 公示 from its tag with the notice period on every page, no final year while an
appeal is open or the notice runs, stages in order; in real git repositories built by MkDocs."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from builders import load, write
from conftest import FIXTURES, git, init_git

from generator.organization import Organization
from generator.problems import InputError, Problems
from generator.provenance import Provenance
from generator.publish.layout import Listing, layout_of, versions_json
from generator.publish.plan import plan_versions
from generator.publish.stages import check_stages
from generator.publish.stamp import DamagedStamp, Stamp, read_stamp, stamp_text, write_stamp
from generator.validate_appeals import validate_stages

APPEAL_KINDS = '\n[[appeal_kind]]\nkind = "复核"\nfile_within_days = 10\ndecide_within_days = 10\n'
HOW = "对公示结果有异议的，请向州局考核办提交复核申请。"


def notice(start: date, days: int = 7) -> str:
    return f'[[stage]]\nstage = "公示"\ndate = {start.isoformat()}\ndays = {days}\nhow_to_appeal = "{HOW}"\n'


def appeal(decided: bool) -> str:
    text = (
        '[[appeal]]\nid = "al-fh-1"\nkind = "复核"\nfinding = "al-2010-01"\nfiled = 2011-01-08\n'
        'filed_by = "安龙县质监局"\ngrounds = "案卷已补正"\n'
    )
    if decided:
        text += '\n[appeal.decision]\noutcome = "维持"\ndecided_by = "州局考核办"\ndate = 2011-01-12\nreasoning = "经复查，认定无误"\n'
    return text


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The mini fixture in git, with deadlines for 复核 in its framework."""
    target = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", target)
    framework = target / "frameworks/mini/framework.toml"
    framework.write_text(framework.read_text(encoding="utf-8") + APPEAL_KINDS, encoding="utf-8")
    init_git(target)
    return target


def commit(repo: Path, files: dict[str, str], message: str = "stage") -> None:
    for rel, text in files.items():
        write(repo / rel, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def refusal(repo: Path, on: date | None = None) -> str:
    versions = plan_versions(repo, drafts=[])
    with pytest.raises(InputError) as caught:
        check_stages(repo, versions, on=on)
    return caught.value.code


# -- publish refuses a final year before its time ------------------------------------------------


def test_publish_refuses_final_while_an_appeal_is_undecided(repo, kaohe):
    commit(
        repo,
        {
            "evidence/2010/stages.toml": notice(date(2011, 1, 5)),
            "evidence/2010/anlong/zf-04-appeal.toml": appeal(False),
        },
    )
    git(repo, "tag", "results-2010")
    assert refusal(repo) == "publish.open-appeal"
    run = kaohe("publish", "--repo", str(repo))
    assert run.code == 1 and "al-fh-1" in run.err and not (repo / "site").exists()
    # decided, committed and re-tagged: published
    commit(repo, {"evidence/2010/anlong/zf-04-appeal.toml": appeal(True)})
    git(repo, "tag", "-f", "results-2010")
    run = kaohe("publish", "--repo", str(repo))
    assert run.code == 0, run.err


@pytest.mark.parametrize(("days_ago", "refused"), [(7, True), (8, False)])
def test_publish_refuses_final_during_the_notice_period(repo, days_ago, refused):
    # 公示 for 7 days from D ends on D + 7 (the start day not counted): on D + 7 it still runs
    today = date(2011, 1, 20)
    commit(repo, {"evidence/2010/stages.toml": notice(today - timedelta(days=days_ago))})
    git(repo, "tag", "results-2010")
    versions = plan_versions(repo, drafts=[])
    if refused:
        with pytest.raises(InputError) as caught:
            check_stages(repo, versions, on=today)
        assert caught.value.code == "publish.notice-not-ended"
    else:
        check_stages(repo, versions, on=today)


def test_the_final_check_reads_the_tagged_commit_not_the_working_tree(repo):
    commit(
        repo,
        {
            "evidence/2010/stages.toml": notice(date(2011, 1, 5)),
            "evidence/2010/anlong/zf-04-appeal.toml": appeal(False),
        },
    )
    git(repo, "tag", "results-2010")
    write(repo / "evidence/2010/anlong/zf-04-appeal.toml", appeal(True))  # decided, but not committed
    assert refusal(repo) == "publish.open-appeal"


def test_a_year_without_a_recorded_notice_is_published_as_before(repo, kaohe):
    git(repo, "tag", "results-2010")
    assert kaohe("publish", "--repo", str(repo)).code == 0


# -- 公示 from its tag ------------------------------------------------------------------------------


def test_a_notice_tag_publishes_the_year_for_public_notice(repo, kaohe):
    commit(repo, {"evidence/2010/stages.toml": notice(date(2011, 1, 5))})
    git(repo, "tag", "results-2010-gongshi")
    run = kaohe("publish", "--repo", str(repo))
    assert run.code == 0, run.err
    site = repo / "site"
    stamp = json.loads((site / "default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert (stamp["draft"], stamp["tag"], stamp["stage"]) == (True, "results-2010-gongshi", "公示")
    assert json.loads((site / "default/versions.json").read_text(encoding="utf-8")) == [
        {"version": "2010", "title": "2010（公示）", "aliases": ["latest"]}
    ]
    overview = (site / "default/2010/index.html").read_text(encoding="utf-8")
    # 7 days from 2011-01-05: until 2011-01-12
    assert "公示：本结果自2011-01-05起公示7天，至2011-01-12止；公示期间结果尚未审定。" in overview
    assert HOW in overview
    assert "复核：公示之日起10日内提出，10日内作出决定" in overview
    assert 'data-stage="公示"' in overview


def test_a_notice_tag_needs_the_notice_recorded(repo):
    git(repo, "tag", "results-2010-gongshi")
    assert refusal(repo) == "publish.notice-unrecorded"


def test_the_final_tag_supersedes_the_notice_tag(repo, kaohe):
    commit(repo, {"evidence/2010/stages.toml": notice(date(2011, 1, 5))})
    git(repo, "tag", "results-2010-gongshi")
    commit(
        repo,
        {
            "evidence/2010/stages.toml": notice(date(2011, 1, 5))
            + '\n[[stage]]\nstage = "审定"\ndate = 2011-01-25\nby = "州局党组会议"\n'
        },
    )
    git(repo, "tag", "results-2010")
    (version,) = plan_versions(repo, drafts=[])
    assert (version.provenance.tag, version.provenance.draft) == ("results-2010", False)
    assert kaohe("publish", "--repo", str(repo)).code == 0
    overview = (repo / "site/default/2010/index.html").read_text(encoding="utf-8")
    assert "已审定：2011-01-25，州局党组会议" in overview and "公示期间" not in overview
    stamp = json.loads((repo / "site/default/2010/kaohe-version.json").read_text(encoding="utf-8"))
    assert stamp["stage"] == "审定"


def test_version_titles_name_the_stage():
    def stamp(year: int, draft: bool, stage: str | None) -> Stamp:
        return Stamp(year, "mini", None, None, None if draft else f"results-{year}", draft, stage)

    years = {2012: (True, "公示"), 2011: (True, "草稿"), 2010: (False, None), 2009: (False, "备案")}
    listing = Listing("default", "某局", {y: stamp(y, *state) for y, state in years.items()})
    assert versions_json(listing) == [
        {"version": "2012", "title": "2012（公示）", "aliases": []},
        {"version": "2011", "title": "2011（草稿）", "aliases": []},
        {"version": "2010", "title": "2010", "aliases": ["latest"]},  # the newest final year
        {"version": "2009", "title": "2009（备案）", "aliases": []},
    ]


def test_version_titles_speak_the_language_of_the_pages():
    """An English site's selector read 2011（公示）: versions.json was always Chinese. Its titles now follow the
    language the newest year's stamp records, through the catalogue ("{year} ({stage})"); a stamp without one
    (every Chinese year, every year stamped before) keeps the Chinese titles above."""

    def stamp(year: int, draft: bool, stage: str | None, lang: str | None) -> Stamp:
        return Stamp(year, "mini", None, None, None if draft else f"results-{year}", draft, stage, lang=lang)

    years = {2012: (True, "公示"), 2011: (True, "草稿"), 2010: (False, None), 2009: (False, "备案")}
    english = Listing("default", "某局", {y: stamp(y, *state, "en") for y, state in years.items()})
    assert [v["title"] for v in versions_json(english)] == [
        "2012 (public notice)",
        "2011 (draft)",
        "2010",
        "2009 (filed)",
    ]
    chinese = Listing("default", "某局", {y: stamp(y, *state, None) for y, state in years.items()})
    assert [v["title"] for v in versions_json(chinese)] == ["2012（公示）", "2011（草稿）", "2010", "2009（备案）"]


def test_the_root_pages_speak_the_organizations_language():
    """An English site's root page listing its organizations, and the pages sending readers to a year,
    were Chinese (评估结果, 2011年度（公示）). They now speak the language every organization's pages
    speak; organizations in two languages keep the root Chinese, each organization's own page its own."""

    def stamp(year: int, lang: str | None) -> Stamp:
        return Stamp(year, "mini", None, None, None, True, "公示", lang=lang)

    english = {("a", 2011): stamp(2011, "en"), ("b", 2011): stamp(2011, "en")}
    files = layout_of(english, {"a": "Bureau A", "b": "Bureau B"})
    root = files["index.html"]
    assert '<html lang="en">' in root and "Choose the assessing body and the year:" in root
    assert ">2011 (public notice)</a>" in root  # "{year}{stage}": 2011 and " (public notice)"
    assert "See Bureau A&#x27;s results of 2011" in files["a/index.html"]
    mixed = layout_of({**english, ("b", 2011): stamp(2011, None)}, {"a": "Bureau A", "b": "某局"})
    assert '<html lang="zh-CN">' in mixed["index.html"] and ">2011年度（公示）</a>" in mixed["index.html"]
    assert '<html lang="en">' in mixed["a/index.html"]
    assert '<html lang="zh-CN">' in mixed["b/index.html"]


def test_a_chinese_stamp_is_written_as_before_and_an_english_one_says_so(tmp_path: Path):
    """The language goes into the stamp only when it is not Chinese: a Chinese year's stamp keeps its bytes
    (published years are rebuilt from their tag byte for byte); a stamp with a language kaohe has not is damaged."""
    organization = Organization("default", "某局")
    chinese = json.loads(stamp_text(Provenance(), 2010, "mini", organization, "草稿"))
    assert "lang" not in chinese
    folder = tmp_path / "2010"
    folder.mkdir()
    write_stamp(folder, Provenance(), 2010, "mini", organization, "公示", "en")
    assert read_stamp(folder).lang == "en"
    (folder / "kaohe-version.json").write_text(
        stamp_text(Provenance(), 2010, "mini", organization).replace('"files"', '"lang": "fr",\n  "files"'),
        encoding="utf-8",
    )
    with pytest.raises(DamagedStamp) as refused:
        read_stamp(folder)
    assert refused.value.reason.id == "stamp.not-a-language"


# -- check: stages in order ---------------------------------------------------------------------------


def stage_codes(root: Path, stages: str, appeals: str = "") -> list[tuple[int, str]]:
    write(root / "evidence/2010/stages.toml", stages)
    if appeals:
        write(root / "evidence/2010/anlong/zf-04-appeal.toml", appeals)
    repository, _ = load(root)
    problems = Problems()
    validate_stages(repository.assessments[2010], problems)
    return [(p.line, p.code) for p in problems]


FINAL = '\n[[stage]]\nstage = "审定"\ndate = {day}\n'


def test_approval_after_the_notice_period(repo):
    # 公示 from 2011-01-05 for 7 days: its last day is 01-12; 审定 on 01-12 is too early, on 01-13 fine
    # (审定 is line 7 of the file: five lines of 公示, a blank line, then [[stage]])
    assert stage_codes(repo, notice(date(2011, 1, 5)) + FINAL.format(day="2011-01-12")) == [
        (7, "stage.final-during-notice")
    ]
    assert stage_codes(repo, notice(date(2011, 1, 5)) + FINAL.format(day="2011-01-13")) == []


def test_approval_with_an_open_appeal(repo):
    codes = stage_codes(repo, notice(date(2011, 1, 5)) + FINAL.format(day="2011-01-20"), appeal(False))
    assert codes == [(7, "stage.final-with-open-appeal")]


def test_stages_in_order(repo):
    backwards = FINAL.format(day="2011-01-20").lstrip("\n") + "\n" + notice(date(2011, 1, 5))
    # 审定 (lines 1–3), a blank line, then 公示 at line 5: reported where the order breaks
    assert stage_codes(repo, backwards) == [(5, "stage.order")]


def test_a_stage_inside_the_assessment_year_is_warned_at_its_date(repo, kaohe):
    """The 2010 results are scored as at 2010-12-31: a 公示 dated 2010-01-05 (a typo for 2011-01-05,
    the usual slip in January) or on 31 December itself shows results evidence can still change.
    Before, both passed `check` silently; the first day of the next year is fine."""
    for day, warned in [("2010-01-05", True), ("2010-12-31", True), ("2011-01-01", False)]:
        write(repo / "evidence/2010/stages.toml", notice(date.fromisoformat(day)))
        repository, _ = load(repo)
        problems = Problems()
        validate_stages(repository.assessments[2010], problems)
        found = [(p.line, p.col, p.code, p.severity, p.kwargs["date"]) for p in problems]
        # line 3, column 1: the `date` key of the only [[stage]]
        assert found == ([(3, 1, "stage.inside-year", "warning", date.fromisoformat(day))] if warned else []), day
    write(repo / "evidence/2010/stages.toml", notice(date(2010, 1, 5)))
    run = kaohe("check", "--repo", str(repo))
    assert run.code == 0  # a warning: the date may be meant (a year assessed in December)
    assert "evidence/2010/stages.toml:3:1: 警告：“公示”记为 2010-01-05，还在 2010 年度之内" in run.out
    assert "例如 2011-01-05" in run.out  # the same day a year later


def test_the_suggested_date_keeps_the_day_or_the_end_of_february():
    from generator.validate_appeals import _in_year

    assert _in_year(date(2011, 3, 31), 2012) == date(2012, 3, 31)
    assert _in_year(date(2012, 2, 29), 2013) == date(2013, 2, 28)  # 2013 is not a leap year


FILED = '\n[[stage]]\nstage = "备案"\ndate = {day}\nby = "州目标绩效考核办公室"\n'


def test_filing_needs_an_approval_first(repo, kaohe):
    """备案 files the approved results with the authority above: recorded without any 审定, the record
    says unapproved results were filed (the order check compares neighbours only, so it passed)."""
    # 公示 (lines 1–5), a blank line, then 备案 at line 7
    assert stage_codes(repo, notice(date(2011, 1, 5)) + FILED.format(day="2011-02-10")) == [
        (7, "stage.filed-without-approval")
    ]
    approved = notice(date(2011, 1, 5)) + FINAL.format(day="2011-01-25") + FILED.format(day="2011-02-10")
    assert stage_codes(repo, approved) == []
    write(repo / "evidence/2010/stages.toml", FILED.format(day="2011-02-10").lstrip("\n"))
    run = kaohe("check", "--repo", str(repo))
    assert run.code == 1
    assert "evidence/2010/stages.toml:1:1: 错误：2011-02-10 记录了备案，但没有记录审定" in run.out
    assert '提示：在备案之前加上 [[stage]] stage = "审定"' in run.out
