"""Individual assessment, private by design: the example's scores by hand, the staff quota following
the section's grade, the quarterly report, the private sheets, and personnel records kept out of
public repositories and off the public site."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from builders import write
from conftest import said

from generator.individual.report import aggregate_evidence, quarter_report
from generator.individual.scoring import score_individuals
from generator.individual.settings import load_settings
from generator.load import load_repository
from generator.messages import joined, msg, tr
from generator.problems import Problems
from generator.provenance import Provenance
from generator.publish.plan import Version
from generator.publish.site import write_site
from generator.tree import FsTree
from generator.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/individual"
FIXTURES = Path(__file__).parent / "fixtures"
STAFF = {"p01": "王建国", "p02": "李晓梅", "p03": "赵磊", "p04": "孙丽娜", "p05": "周涛", "p06": "吴敏"}
D = Decimal


@pytest.fixture
def private(tmp_path: Path) -> Path:
    target = tmp_path / "zhk-private"
    shutil.copytree(EXAMPLE, target)
    return target


def results_of(root: Path, section_grade: str | None = "use the file"):
    ws = load_workspace(str(root))
    assert not ws.problems.errors, [p.format() for p in ws.problems.errors]
    settings, _ = load_settings(ws.tree, Problems())
    grade = settings.section_grade if section_grade == "use the file" else section_grade
    return score_individuals(ws.repo.assessments[settings.year], settings, grade)


# -- scores, by hand ------------------------------------------------------------------------------------


def test_monthly_yearly_and_annual_scores():
    r = results_of(EXAMPLE)
    # months of 10 points. 周涛 p05: October 10 − 2 × 0.5 (two late tasks) − 0.5 (a complaint) = 8.5;
    # November 10 − 1 (absent a day) = 9; December 10 − 0.5 (summary late) = 9.5
    p05 = r.person("p05")
    assert {m: u.total for m, u in p05.months.items()} == {10: D("8.5"), 11: D("9"), 12: D("9.5")}
    # yearly: votes 优秀1 称职5 基本称职1 of 7 → (1 + 5 × 0.8 + 0.5) / 7 × 6 = 4.714… → 4.71; award 3 → 7.71
    assert p05.yearly.total == D("7.71")
    # annual: 70 % × (8.5 + 9 + 9.5) / 30 + 30 % × 7.71 / 10 = 63 + 23.13 = 86.13
    assert p05.annual == D("86.13")
    annual = {p.id: p.annual for p in r.persons}
    assert annual == {
        "p04": D("99.49"),  # 70 % × 30/30 + 30 % × (5.83 + 4)/10: 70 + 29.49
        "p02": D("98.51"),  # 70 % × 29.8/30 + 30 % × (5.66 + 4)/10: 69.533… + 28.98 = 98.513… → 98.51
        "p01": D("98.32"),  # 70 % × 29.5/30 + 30 % × 9.83/10: 68.833… + 29.49 = 98.323… → 98.32
        "p06": D("95.50"),  # 70 % × 29.6/30 + 30 % × (5.31 + 3.5)/10: 69.066… + 26.43 = 95.496… → 95.50
        "p03": D("93.47"),  # 70 % × 28.5/30 + 30 % × (5.49 + 3.5)/10: 66.5 + 26.97
        "p05": D("86.13"),
    }
    assert [p.id for p in r.persons] == ["p04", "p02", "p01", "p06", "p03", "p05"]


@pytest.mark.parametrize(
    ("section_grade", "excellent", "formula"),
    [
        ("优秀", ["p04"], "6人×20%=1.2，四舍五入为1名"),
        ("良好", ["p04"], "6人×15%=0.9，四舍五入为1名"),
        ("合格", ["p04"], "6人×10%=0.6，四舍五入为1名"),
        ("不合格", [], "不超过0名"),  # a section graded 不合格 rates nobody 优秀
    ],
)
def test_the_staff_quota_follows_the_sections_grade(section_grade, excellent, formula):
    r = results_of(EXAMPLE, section_grade)
    assert [p.id for p in r.persons if p.grade == "优秀"] == excellent
    assert r.quota.formula == formula
    # five reach 90 % (all but 周涛 at 86.13); those left out are 称职 with a quota note
    assert [p.id for p in r.persons if [n.kind for n in p.grade_notes] == ["quota"]] == [
        p for p in ["p04", "p02", "p01", "p06", "p03"] if p not in excellent
    ]


def test_a_section_grade_the_quota_does_not_list_is_refused(kaohe, private):
    text = (
        (private / "individual.toml")
        .read_text(encoding="utf-8")
        .replace('section_grade = "优秀"', 'section_grade = "较好"')
    )
    (private / "individual.toml").write_text(text, encoding="utf-8")
    run = kaohe("individual", "--repo", str(private), "score")
    assert run.code == 1 and "较好" in run.err


def test_the_section_grade_read_from_the_public_repository(kaohe, private):
    # the public 2014 results grade 综合科 (zhk) 优秀, as individual.toml says
    lines = (private / "individual.toml").read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("section_grade")]
    (private / "individual.toml").write_text("\n".join(kept), encoding="utf-8")
    assert kaohe("individual", "--repo", str(private), "score").code == 1  # unknown: refused
    run = kaohe("individual", "--repo", str(private), "--public", str(ROOT), "score", "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert (data["section_grade"], data["quota"]["limit"]) == ("优秀", 1)


# -- the quarterly report and the public aggregates --------------------------------------------------------


def test_the_quarterly_report_is_due_by_the_fifth_of_the_next_month():
    r = results_of(EXAMPLE)
    q4 = quarter_report(r, 2014, 4)
    assert (q4.months, q4.due, q4.annual) == ([10, 11, 12], date(2015, 1, 5), True)
    a = q4.aggregates
    # 6 people × 3 months, all assessed; average of the 18 monthly rates = (30 + 29.8 + 29.5 + 29.6 + 28.5 + 27)/180
    assert (a.staff, a.assessed, a.expected, a.grades) == (6, 18, 18, {"优秀": 1, "称职": 5})
    # rates are totals ÷ 10: 17.44 ÷ 18 = 1744/1800 (96.89 % printed)
    assert a.average == Fraction(1744, 1800)


def test_a_quarter_without_assessed_months_is_refused(kaohe):
    run = kaohe("individual", "--repo", str(EXAMPLE), "report", "--quarter", "2014-Q3")
    assert run.code == 1 and "2014-Q3" in run.err
    run = kaohe("individual", "--repo", str(EXAMPLE), "report", "--quarter", "2014Q4")
    assert run.code == 1 and "2014-Q4" in run.err


def test_the_report_names_people_and_the_aggregate_names_nobody(kaohe):
    report = kaohe("individual", "--repo", str(EXAMPLE), "report", "--quarter", "2014-Q4", "--format", "csv")
    assert report.code == 0 and all(name in report.out for name in STAFF.values())
    aggregate = aggregate_evidence(quarter_report(results_of(EXAMPLE), 2014, 4), "gl-05", date(2014, 12, 31))
    for pid, name in STAFF.items():
        assert name not in aggregate and pid not in aggregate
    for score in ("99.49", "98.51", "98.32", "95.5", "93.47", "86.13"):  # no one's annual score either
        assert score not in aggregate
    assert "metrics" not in aggregate  # gl-05 scores no figure: the file documents the report
    with_metric = aggregate_evidence(
        quarter_report(results_of(EXAMPLE), 2014, 4), "x", date(2014, 12, 31), "staff_rate"
    )
    assert "metrics = { staff_rate = 100 }" in with_metric  # 18 of 18 person-months


def test_the_report_csv_opens_in_excel_as_written(capsysbinary, private, tmp_path):
    """Excel on a Chinese desktop reads a CSV without the byte-order mark as GBK (mojibake), and
    turns a cell "10/10" into the date 10 October: the mark comes first, and a month's score and
    its maximum are two plain numbers. The report-*.csv of `individual build` is the same file."""
    from generator.cli import main

    assert main(["individual", "--repo", str(private), "report", "--quarter", "2014-Q4", "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 7 and b"/" not in data
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert rows[0] == [
        "姓名", "职务", "10月得分", "10月满分", "11月得分", "11月满分", "12月得分", "12月满分",
        "季度平均得分率", "年度得分", "年度排名", "年度等次",
    ]  # fmt: skip
    # 周涛: October 10 − 2 × 0.5 − 0.5 = 8.5, November 10 − 1 = 9, December 10 − 0.5 = 9.5 (of 10 each);
    # quarter average (0.85 + 0.9 + 0.95) / 3 = 0.9 → 90%
    assert next(r for r in rows if r[0] == "周涛")[:9] == ["周涛", "科员", "8.5", "10", "9", "10", "9.5", "10", "90%"]
    out = tmp_path / "sheets"
    assert main(["individual", "--repo", str(private), "build", "-o", str(out)]) == 0
    assert (out / "report-2014-Q4.csv").read_bytes() == data
    units = private / "evidence/2014/units.toml"  # a post a spreadsheet would take for a formula stays text
    units.write_text(units.read_text(encoding="utf-8").replace('note = "科员"', 'note = "=1+1"', 1), encoding="utf-8")
    assert main(["individual", "--repo", str(private), "report", "--quarter", "2014-Q4", "--format", "csv"]) == 0
    assert b",'=1+1," in capsysbinary.readouterr().out


def test_the_aggregate_front_matter_holds_any_section_name(private):
    """The section's name goes into the aggregate's TOML title as written: a quotation mark or a
    backslash in it must not end the string (the file would not load in the public repository)."""
    import tomllib

    settings = private / "individual.toml"
    hostile = '综合"科 = 1 \\ 二'
    text = settings.read_text(encoding="utf-8").replace('section_name = "综合科"', "section_name = '" + hostile + "'")
    settings.write_text(text, encoding="utf-8")
    r = quarter_report(results_of(private), 2014, 4)
    assert r.section_name == hostile
    out = aggregate_evidence(r, "gl-05", date(2014, 12, 31), "staff rate")
    front = tomllib.loads(out.split("+++")[1])
    assert front["title"] == hostile + "2014年第4季度个人考核结果报送情况"
    assert front["metrics"] == {"staff rate": 100} and front["indicator"] == "gl-05"


def test_the_aggregate_is_valid_evidence_in_the_public_repository(tmp_path):
    public = tmp_path / "public"
    shutil.copytree(ROOT / "frameworks/liaoyang-ciq-2014", public / "frameworks/liaoyang-ciq-2014")
    shutil.copytree(ROOT / "evidence/2014", public / "evidence/2014")
    text = aggregate_evidence(quarter_report(results_of(EXAMPLE), 2014, 4), "gl-05", date(2014, 12, 31))
    write(public / "evidence/2014/zhk/gl-05-2014-12-31-geren-kaohe.md", text)
    problems = Problems()
    from generator.validate import validate_repository

    repository = load_repository(FsTree(public), problems)
    validate_repository(repository, problems)
    assert [p.format() for p in problems.errors] == []


AGGREGATE = ("aggregate", "--quarter", "2014-Q4", "--date", "2014-12-31", "--indicator")


def test_an_aggregate_for_an_indicator_nobody_listed_is_refused_at_once(kaohe, private):
    """`--indicator` took any text; the file was written, escaped, and refused only by `kaohe check`
    in the public repository's pull request. Without --public the private repository knows the
    section indicators its decomposition lists (lz-yw-01, gl-05, gl-03, fw-04, zd-zhk-1, zd-zhk-2):
    gl-5 is closest to gl-05; gl-01, a public indicator it does not list, is refused with the advice
    to check it against the public framework."""
    run = kaohe("individual", "--repo", str(private), *AGGREGATE, "gl-5")
    assert (run.code, run.out) == (1, "")
    close = msg("hint.did-you-mean", choice="gl-05")
    assert (
        said("individual.aggregate.unlisted-indicator", indicator="gl-5", file="individual.toml", suggestion=close)
        in run.err
    )
    run = kaohe("individual", "--repo", str(private), *AGGREGATE, "gl-01")
    assert (run.code, run.out) == (1, "")
    assert "“gl-01”" in run.err and said("individual.aggregate.unlisted-indicator.hint") in run.err
    run = kaohe("individual", "--repo", str(private), *AGGREGATE, "gl-05")
    assert run.code == 0 and 'indicator = "gl-05"' in run.out


def test_an_aggregate_is_checked_against_the_public_framework_with_public(kaohe, private):
    """With --public the whole public framework is known: gl-01 is written; gl-5 is refused, gl-05
    the closest of its indicators."""
    public = ("individual", "--repo", str(private), "--public", str(ROOT), *AGGREGATE)
    run = kaohe(*public, "gl-5")
    assert (run.code, run.out) == (1, "")
    close = msg("hint.did-you-mean", choice="gl-05")
    expected = said(
        "individual.aggregate.unknown-indicator", indicator="gl-5", framework="liaoyang-ciq-2014", suggestion=close
    )
    assert expected in run.err
    run = kaohe(*public, "gl-01")
    assert run.code == 0 and 'indicator = "gl-01"' in run.out


# -- private sheets ------------------------------------------------------------------------------------------


def test_private_sheets_build_to_their_own_folder(kaohe, private, tmp_path):
    out = tmp_path / "sheets"
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 0, run.err
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        "index.html",
        "kaohe-individual.json",
        "report-2014-Q4.csv",
        "report-2014-Q4.html",
        *[f"staff/{pid}.html" for pid in sorted(STAFF)],
    ]
    sheet = (out / "staff/p05.html").read_text(encoding="utf-8")
    assert "周涛（科员）2014年度个人考核" in sheet and "两项对外报送材料未按时完成（2次）" in sheet
    assert 'name="robots" content="noindex, nofollow"' in sheet
    # built again: replaced, since kaohe wrote it
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0


def test_private_sheets_escape_what_records_hold(kaohe, private, tmp_path):
    record = private / "evidence/2014/p05/yd-2014-11.toml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("未请假缺勤一天", "<script>alert(1)</script>"), encoding="utf-8"
    )
    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    sheet = (out / "staff/p05.html").read_text(encoding="utf-8")
    assert "<script>" not in sheet and "&lt;script&gt;alert(1)&lt;/script&gt;" in sheet


def test_private_sheets_never_overwrite_a_folder_kaohe_did_not_write(kaohe, private, tmp_path):
    foreign = tmp_path / "docs"
    write(foreign / "keep.txt", "someone's file")
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(foreign))
    assert run.code == 1 and (foreign / "keep.txt").read_text(encoding="utf-8") == "someone's file"
    inside = kaohe("individual", "--repo", str(private), "build", "-o", str(private / "evidence/out"))
    assert inside.code == 1 and not (private / "evidence/out").exists()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_clerk_s_files_in_the_sheets_folder_are_never_deleted(kaohe, private, tmp_path):
    """The folder kaohe wrote, then a note and an appeal put beside its sheets: replacing the folder
    would delete them. Refused (exit 1), naming both; nothing in the folder changes."""
    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    write(out / "绩效面谈记录.docx", "面谈记录")
    write(out / "申诉材料/王建国.pdf", "appeal")
    (out / "staff/link.html").symlink_to(out / "index.html")  # a link is not kaohe's either
    before = _tree(out)
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 1, run.err
    files = joined("value.list-separator", ["staff/link.html", "申诉材料/", "绩效面谈记录.docx"])
    assert said("individual.foreign-file", folder=out, files=files, count=3) in run.err
    assert _tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name not in ("sheets", "zhk-private")]  # no copy left


def test_a_folder_marked_by_an_earlier_version_is_judged_by_its_names(kaohe, private, tmp_path):
    """A marker that lists no files (kaohe before it listed them): the names this command writes are
    its own (index.html, staff/<id>.html, report-<year>-Q<n>.html/.csv), anything else is not."""
    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    (out / "kaohe-individual.json").write_text('{"written_by": "kaohe individual build"}\n', encoding="utf-8")
    write(out / "staff/p99.html", "a person who left")
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    assert not (out / "staff/p99.html").exists() and (out / "staff/p05.html").is_file()
    (out / "kaohe-individual.json").write_text('{"written_by": "kaohe individual build"}\n', encoding="utf-8")
    write(out / "notes.txt", "mine")
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 1 and (out / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("out_present", [False, True], ids=["killed-between-the-renames", "killed-while-deleting"])
def test_a_killed_run_s_copies_are_cleaned_up_by_the_next(kaohe, private, tmp_path, out_present):
    """A kill between the two renames leaves DIR.old-kaohe (the previous sheets) and no DIR; a kill
    while writing leaves a staging copy. Both are kaohe's (marked, nothing else in them): the next
    run removes them and writes the sheets."""
    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    expected = _tree(out)
    old = tmp_path / "sheets.old-kaohe"
    shutil.copytree(out, old)
    staged = tmp_path / ".sheets.kaohe-new-x1y2"
    shutil.copytree(out, staged)
    (staged / "staff/p05.html").unlink()  # half-written
    if not out_present:
        shutil.rmtree(out)
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 0, run.err
    assert _tree(out) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets", "zhk-private"]


def test_a_leftover_name_holding_someone_s_files_is_refused(kaohe, private, tmp_path):
    """DIR.old-kaohe without kaohe's marker is not a copy kaohe left: exit 1 (not an internal error),
    and it stays as it is."""
    out = tmp_path / "sheets"
    write(tmp_path / "sheets.old-kaohe/index.html", "x")
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 1, run.err
    files = joined("value.list-separator", ["index.html"])
    assert said("individual.leftover-foreign", folder=tmp_path / "sheets.old-kaohe", files=files, count=1) in run.err
    assert (tmp_path / "sheets.old-kaohe/index.html").read_text(encoding="utf-8") == "x" and not out.exists()


# -- kept out of public repositories and off the public site -------------------------------------------------


def public_with_personnel(tmp_path: Path) -> Path:
    """The mini public repository, with the example's personnel framework and staff committed into it."""
    public = tmp_path / "public"
    shutil.copytree(FIXTURES / "mini", public)
    shutil.copytree(EXAMPLE / "frameworks/zhk-staff-2014", public / "frameworks/zhk-staff-2014")
    shutil.copytree(EXAMPLE / "evidence/2014", public / "evidence/2014")
    return public


def test_check_on_a_public_repository_refuses_personnel_records(kaohe, tmp_path):
    public = public_with_personnel(tmp_path)
    run = kaohe("check", "--repo", str(public), "--format", "json")
    assert run.code == 1
    found = {(p["path"], p["line"], p["code"]) for p in json.loads(run.out)}
    assert found == {
        ("frameworks/zhk-staff-2014/framework.toml", 6, "personnel.in-public-repository"),  # personnel = true
        ("evidence/2014/units.toml", 3, "personnel.in-public-repository"),  # framework = "zhk-staff-2014"
    }
    write(public / "evidence/2010/anlong/individual.toml", (EXAMPLE / "individual.toml").read_text(encoding="utf-8"))
    run = kaohe("check", "--repo", str(public), "--format", "json")
    assert ("evidence/2010/anlong/individual.toml", 1, "personnel.in-public-repository") in {
        (p["path"], p["line"], p["code"]) for p in json.loads(run.out)
    }


def test_a_public_build_refuses_personnel_records_and_writes_nothing_of_them(kaohe, tmp_path):
    public = public_with_personnel(tmp_path)
    site = tmp_path / "site"
    run = kaohe("build", "--repo", str(public), "--site", str(site), "--year", "2014")
    assert run.code == 1
    assert not (site / "2014").exists()


def test_the_private_repository_is_never_built_into_a_results_site(kaohe, private, tmp_path):
    site = tmp_path / "site"
    run = kaohe("build", "--repo", str(private), "--site", str(site))
    assert run.code == 1 and said("personnel.private-repository", root=private, file="individual.toml") in run.err
    assert not (site / "2014").exists()


@pytest.mark.parametrize("year", ["2014", "2010"])
def test_publishing_a_private_repository_says_it_is_private(kaohe, private, tmp_path, year):
    """`kaohe publish --draft` builds from a copy of the commit's frameworks/ and evidence/, which
    left individual.toml out: the copy read as a public repository, so the refusal said
    公开仓库中有人事记录 of a private one, for the staff year (2014) and for a unit year laid in
    beside it (2010, the mini fixture's). Both are refused, saying the repository is private."""
    from conftest import git, init_git

    shutil.copytree(FIXTURES / "mini/frameworks/mini", private / "frameworks/mini")
    shutil.copytree(FIXTURES / "mini/evidence/2010", private / "evidence/2010")
    init_git(private)
    commit = git(private, "rev-parse", "HEAD").strip()
    site = tmp_path / "site"
    run = kaohe("publish", "--repo", str(private), "--draft", year, "--site", str(site))
    assert run.code == 1, run.err
    assert said("personnel.private-revision", commit=commit[:10], file="individual.toml") in run.err
    assert tr("personnel.in-public-repository", what="").split("：")[0] not in run.err  # 公开仓库中有人事记录
    assert not site.exists()


def _link_settings(private: Path, target: Path | str) -> str:
    """individual.toml made a symbolic link to `target` (its text moved there); returns the link's target."""
    settings = private / "individual.toml"
    Path(private, target).write_bytes(settings.read_bytes())
    settings.unlink()
    settings.symlink_to(target)
    return str(target)


@pytest.mark.parametrize("inside", [True, False], ids=["to-a-file-of-the-repository", "out-of-the-repository"])
def test_a_linked_settings_file_is_refused_as_a_link(kaohe, private, tmp_path, inside):
    """kaohe follows no link; a linked individual.toml read as missing: `kaohe individual` said the
    repository had no individual.toml, `kaohe check` took it for a public one holding personnel
    records. Both now refuse it as any other link, with tree.symlink (and nothing else)."""
    target = _link_settings(private, "settings.toml" if inside else tmp_path / "elsewhere.toml")
    run = kaohe("individual", "--repo", str(private), "score")
    assert (run.code, run.out) == (1, "")
    assert said("tree.symlink", name="individual.toml", detail=target) in run.err
    assert said("individual.not-private", root=private, file="individual.toml") not in run.err
    run = kaohe("check", "--repo", str(private), "--format", "json")
    assert run.code == 1
    assert [(p["path"], p["line"], p["code"]) for p in json.loads(run.out)] == [("individual.toml", 1, "tree.symlink")]
    site = tmp_path / "site"
    run = kaohe("build", "--repo", str(private), "--site", str(site))
    assert run.code == 1 and not (site / "2014").exists()


def test_a_committed_link_as_settings_file_is_refused_at_check_and_publish(kaohe, private, tmp_path):
    """At a revision too: `check --rev` reports the link, and `publish` refuses the commit naming it
    (the copy it builds from read as a public repository holding personnel records)."""
    from conftest import git, init_git

    _link_settings(private, "settings.toml")
    init_git(private)
    commit = git(private, "rev-parse", "HEAD").strip()
    run = kaohe("check", "--repo", str(private), "--rev", "HEAD", "--format", "json")
    assert run.code == 1
    assert [(p["path"], p["line"], p["code"]) for p in json.loads(run.out)] == [("individual.toml", 1, "tree.symlink")]
    site = tmp_path / "site"
    run = kaohe("publish", "--repo", str(private), "--draft", "2014", "--site", str(site))
    assert run.code == 1, run.err
    assert said("publish.refused-entry", commit=commit[:10], paths=["individual.toml"]) in run.err
    assert tr("personnel.in-public-repository", what="").split("：")[0] not in run.err  # 公开仓库中有人事记录
    assert not site.exists()


def test_the_shipped_public_site_holds_no_personal_record(tmp_path):
    # the shipped repository's data (frameworks/, evidence/) does not include examples/: nothing of the
    # example is loaded, and the 2014 site — the year the example belongs to — names none of its people
    repository = load_repository(FsTree(ROOT), Problems(), {2014})
    assert "zhk-staff-2014" not in repository.frameworks
    out = tmp_path / "site"
    (outcome,) = write_site(ROOT, out, [Version(2014, Provenance())])
    assert outcome.action == "built"
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml", ".js", ".txt")
    ]
    assert len(texts) > 20
    for name in STAFF.values():
        assert not any(name in t for t in texts), name
    assert not any("zhk-staff" in t or "kaohe-individual" in t for t in texts)


def test_check_validates_individual_toml_in_a_private_repository(kaohe, private):
    settings = private / "individual.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            'yearly_categories = ["niandu"]', 'yearly_categories = ["nianzhong"]'
        ),
        encoding="utf-8",
    )
    run = kaohe("check", "--repo", str(private), "--format", "json")
    assert run.code == 1
    lines = settings.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("yearly_categories"))
    assert [(p["path"], p["line"], p["code"]) for p in json.loads(run.out)] == [
        ("individual.toml", line, "individual.unknown-category")
    ]


def test_a_staff_quota_on_a_band_without_a_quota_is_refused(kaohe, private):
    """individual.md: "a section graded 不合格 rates nobody 优秀". Without a [grade.quota] on the
    framework's 优秀 band the share set for the section's grade had nothing to apply to and was
    dropped: a section graded 不合格 rated five of its six staff 优秀 (all but 周涛 reach 90 %)."""
    fw = private / "frameworks/zhk-staff-2014/framework.toml"
    text = fw.read_text(encoding="utf-8")
    start = text.index("[grade.quota]")
    fw.write_text(text[:start] + text[text.index("[[grade]]", start) :], encoding="utf-8")
    settings = private / "individual.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('section_grade = "优秀"', 'section_grade = "不合格"'),
        encoding="utf-8",
    )
    run = kaohe("check", "--repo", str(private), "--format", "json")
    assert run.code == 1
    lines = settings.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("grade = "))  # under [staff_quota]
    assert [(p["path"], p["line"], p["code"]) for p in json.loads(run.out)] == [
        ("individual.toml", line, "individual.staff-quota-band-without-quota")
    ]
    run = kaohe("individual", "--repo", str(private), "score")
    assert run.code == 1 and "优秀" in run.err and "孙丽娜" not in run.out


def test_sheets_are_replaced_by_two_renames_where_the_system_cannot_exchange(kaohe, private, tmp_path, monkeypatch):
    """Other kernels and some network filesystems have no renameat2: DIR → DIR.old-kaohe, the staged
    copy → DIR, then the old one is deleted; nothing is left beside DIR."""
    from generator.individual import sheets

    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    monkeypatch.setattr(sheets, "exchange", lambda a, b: False)
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets", "zhk-private"]
    assert json.loads((out / "kaohe-individual.json").read_text(encoding="utf-8"))["files"] == sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "kaohe-individual.json"
    )


def test_the_sheets_are_never_written_into_git_s_own_folder(kaohe, private):
    """The private repository's history is its data as much as evidence/ is: -o inside .git is refused."""
    from conftest import init_git

    init_git(private)
    before = sorted(p.name for p in (private / ".git").iterdir())
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(private / ".git/sheets"))
    assert run.code == 1 and said("individual.output-in-data", out=private / ".git/sheets") in run.err
    assert sorted(p.name for p in (private / ".git").iterdir()) == before


def test_a_damaged_marker_deletes_nothing(kaohe, private, tmp_path):
    """A marker cut short used to fall back to the names this command writes: a clerk's
    staff/appeal-p01.html, named like a sheet, was deleted. Now nothing changes and the build says why."""
    out = tmp_path / "sheets"
    assert kaohe("individual", "--repo", str(private), "build", "-o", str(out)).code == 0
    marker = out / "kaohe-individual.json"
    marker.write_text(marker.read_text(encoding="utf-8")[:20], encoding="utf-8")
    write(out / "staff/appeal-p01.html", "申诉书")
    before = _tree(out)
    run = kaohe("individual", "--repo", str(private), "build", "-o", str(out))
    assert run.code == 1 and said("individual.marker-damaged", marker=marker, folder=out) in run.err
    assert _tree(out) == before
