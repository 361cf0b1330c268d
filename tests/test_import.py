"""`kaohe import framework`: the nine 2010 tables from Word and Excel, compared with the shipped framework.

The document is built here (python-docx, openpyxl) from the source text's tables
(``office_2010.py``), imported with the real command, loaded with the real loader and checked with
``kaohe check``.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import office_2010 as doc2010
import pytest
from conftest import ROOT, git, init_git, said
from office_2010 import LEFT, UP, Table

from generator.load import load_repository
from generator.messages import tr
from generator.problems import Problems
from generator.tree import FsTree

SHIPPED = "qianxinan-qts-2010"

#: Rows whose wording in the shipped transcription is not all of the document's cells: 四's titles
#: leave out the "(总分1.5分)" the cell prints (the transcription holds it in `points`), and 九's
#: 考核内容, a cell merged over the table's four rows, is given to the first row only; 六's 考核内容
#: is printed on two lines ("…科技项目及" / "技术装备计划管理"), which the transcription joins.
#: `test_import_text_is_the_documents` proves that the import keeps every cell of these rows.
SHIPPED_DEPARTS = {
    "cw-01": "target joins the cell's two lines",
    "sp-03": "title leaves out (总分1.5分)",
    "sp-05": "title leaves out (总分1.5分)",
    "sp-06": "title leaves out (总分1.5分)",
    "sp-07": "title leaves out (总分2分)",
    "yf-02": "the merged 考核内容 is the first row's only",
    "yf-03": "the merged 考核内容 is the first row's only",
    "yf-04": "the merged 考核内容 is the first row's only",
}


def _framework(root: Path, framework_id: str):
    problems = Problems()
    repo = load_repository(FsTree(root), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    return repo.frameworks[framework_id]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict[str, Path]:
    """The 2010 tables written as .docx and .xlsx and imported, each into a repository of its own."""
    from generator.cli import main

    out = {}
    base = tmp_path_factory.mktemp("import2010")
    for kind, write in (("docx", doc2010.write_docx), ("xlsx", doc2010.write_xlsx)):
        repo = base / kind
        repo.mkdir()
        source = write(base / f"2010.{kind}")
        assert main(["import", "framework", str(source), "--id", "q2010", "--repo", str(repo)]) == 0
        out[kind] = repo
    return out


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_import_has_every_table_row_points_and_month(imported, kind):
    got = _framework(imported[kind], "q2010")
    shipped = _framework(ROOT, SHIPPED)
    assert [c.title for c in got.categories] == [c.title for c in shipped.categories]
    for a, b in zip(got.categories, shipped.categories, strict=True):
        assert [i.seq for i in a.indicators] == [
            i.seq if a.id != "c9" else "" for i in b.indicators
        ]  # 九 prints no 序号; the transcription numbered its rows
        for x, y in zip(a.indicators, b.indicators, strict=True):
            assert x.points == y.points, y.id
            # tables 一 (完成月份) and 三 (完成时间 "12月") print months; for the rest of the tables
            # the shipped framework reads December where the document prints nothing, and so does
            # the import, saying so (it left the month out: due all year, missing from 1 January)
            assert x.month == y.month, y.id
            printed = a.id in ("c1", "c3") or y.points is None  # a row not scored has no month
            assert ("month" in x.interpreted) is not printed and ("month" in y.interpreted) is not printed, y.id
            if not printed:
                assert x.interpreted["month"].startswith("按年底计："), y.id
    # "本表共5分" → table 一's weight; no other table states one
    assert [c.weight for c in got.categories] == [Decimal(5)] + [None] * 8


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_import_text_is_the_documents(imported, kind):
    """Every cell's text is in its row exactly as written, and nothing else is (a title is one line:
    its cell's lines are joined)."""
    got = _framework(imported[kind], "q2010")
    for table, category in zip(doc2010.TABLES, got.categories, strict=True):
        rows = doc2010.document_rows(table)
        assert len(rows) == len(category.indicators), category.title
        for cells, ind in zip(rows, category.indicators, strict=True):
            fields = "\n".join((ind.title, ind.target, ind.standard, ind.principle))
            for cell in cells:
                assert cell in fields or cell.replace("\n", "") == ind.title, (ind.id, cell)
            assert len(doc2010.words(fields)) == len(doc2010.words("".join(cells))), ind.id


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_import_text_equals_the_shipped_transcription(imported, kind):
    got = _framework(imported[kind], "q2010")
    result = doc2010.compare(got, _framework(ROOT, SHIPPED))
    assert sorted(result.text_differences) == sorted(SHIPPED_DEPARTS)


def test_import_merges_the_row_split_across_pages(imported):
    """三.4 is printed twice; the second row only adds 扣分原则 3 — one indicator with both halves."""
    got = _framework(imported["docx"], "q2010")
    row = got.categories[2].indicators[3]
    assert row.seq == "4" and row.points == 20
    assert row.title == "" and row.target.count("坚持依法行政") == 1 and "坚持依法行政" not in row.principle
    assert row.principle.startswith("1、自办案件经省局、州局执法评议考核不合格的,本项不得分;")
    assert row.principle.endswith(
        "3、受理举报、投诉无记录扣1分,无处理结果扣0.5分,受理率达不到95%,少一个百分点扣0.1分。"
    )
    assert [r.kind for r in row.rule] == ["veto", "checklist", "threshold", "checklist", "threshold"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_import_rule_match_rate(imported, kind):
    """At least 80 % of the shipped rules are proposed with the same kind and amounts (docs/import-2010.md)."""
    result = doc2010.compare(_framework(imported[kind], "q2010"), _framework(ROOT, SHIPPED))
    assert result.rate >= 0.8
    report = (ROOT / "docs" / "import-2010.md").read_text(encoding="utf-8")
    assert doc2010.report_block(result) in report, "docs/import-2010.md is stale: run python tests/office_2010.py"


def test_import_proposals_are_marked_and_pending_clauses_warned(imported, kaohe):
    """Every proposal carries proposed = true; the one clause without an amount is pending; check warns, exit 0."""
    repo = imported["docx"]
    got = _framework(repo, "q2010")
    rules = [r for i in got.indicators() for r in i.rule]
    assert rules and all(r.proposed for r in rules)
    pending = {i.id: i.pending for i in got.indicators() if i.pending}
    assert pending == {"c3-05": ["按照州局执法信息量化考评表分值比例扣除,扣完为止"]}
    run = kaohe("check", "--repo", str(repo))
    assert run.code == 0, run.out
    from generator.validate import validate_repository

    problems = Problems()
    validate_repository(load_repository(FsTree(repo), problems), problems)
    codes = [p.code for p in problems]
    assert codes.count("framework.rule-proposed") == len(rules)
    assert codes.count("framework.rule-pending") == 1
    assert all(p.severity == "warning" for p in problems)
    [pending_problem] = [p for p in problems if p.code == "framework.rule-pending"]
    text = (repo / "frameworks/q2010/03-c3.toml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t == 'id = "c3-05"') - 1  # the [[indicator]] line
    assert (pending_problem.path, pending_problem.line) == ("frameworks/q2010/03-c3.toml", line)
    assert "规则待定" in pending_problem.message and "按照州局执法信息量化考评表分值比例扣除" in pending_problem.message


def test_imported_amounts_come_from_the_clauses(imported):
    """Spot checks against the wording, one per pattern (the amounts are the document's)."""
    got = {i.id: i for i in _framework(imported["docx"], "q2010").indicators()}
    # 一.1 "3项缺1项扣0.1分": three items at 0.1
    [r] = got["c1-01"].rule
    assert (r.kind, r.amount, len(r.items)) == ("checklist", Decimal("0.1"), 3)
    assert [i.name for i in r.items] == ["贯彻会议情况报告", "半年工作情况报告", "全年工作情况报告"]
    # 一.3 "少于4次、…少于2次的,缺1次扣0.1分": two counts
    assert [(r.kind, r.required, r.amount) for r in got["c1-03"].rule] == [
        ("count", 4, Decimal("0.1")),
        ("count", 2, Decimal("0.1")),
    ]
    # 一.5 "缺一家扣0.01分" with "与20家以上的企业联系" in the target
    [r] = got["c1-05"].rule
    assert (r.kind, r.required, r.amount, r.measure) == ("count", 20, Decimal("0.01"), "家")
    # 一.8: grades 0.2/0.3/0.4, 加一倍 ×2, 加两倍 ×3, a mitigation
    incident = next(r for r in got["c1-08"].rule if r.kind == "incident")
    assert incident.grades == {"一般工作人员": Decimal("0.2"), "股级干部": Decimal("0.3"), "科级干部": Decimal("0.4")}
    assert sorted(incident.severities.values()) == [2, 3]
    assert [r.kind for r in got["c1-08"].rule] == ["fixed", "incident", "fixed", "mitigation"]
    # 三.4 "结案率达不到90%,少一个百分点扣0.1分": per point (step 1)
    closure = next(r for r in got["c3-04"].rule if r.kind == "threshold")
    assert (closure.threshold, closure.amount, closure.step, closure.partial) == (90, Decimal("0.1"), 1, "floor")
    # 五 2.1 "签订率达不到100%扣2分": any shortfall, once (step 100, partial steps counted whole)
    rate = next(r for r in got["c5-02"].rule if r.kind == "threshold")
    assert (rate.threshold, rate.amount, rate.step, rate.partial) == (100, 2, 100, "ceil")
    # 五 1.1 "死亡1人扣5分,扣完为止" in a 5-point sub-item: incident 5 per death, capped at the sub-item's 5
    deaths = got["c5-01"].rule[0]
    assert (deaths.kind, deaths.amount, deaths.measure, deaths.cap) == ("incident", 5, "人", 5)
    # 五 2.5 "发现一台扣1分,五台以上扣4分"
    stepped = next(r for r in got["c5-02"].rule if r.kind == "stepped")
    assert (stepped.amount, [(s.at, s.amount) for s in stepped.steps]) == (1, [(5, 4)])
    # 四.1 "发生重大食品事故,此项不得分" → veto; 三.2 "培训无记录不得分" → the row's 10 points
    assert [r.kind for r in got["c4-01"].rule] == ["fixed", "veto"]
    [training] = got["c3-02"].rule
    assert (training.kind, [i.amount for i in training.items]) == ("checklist", [10])
    # 七.1 "…的报告和复查申请各扣0.1-0.5分": two ranges
    ranges = [(r.min, r.max) for r in got["c7-01"].rule if r.kind == "range"]
    assert ranges.count((Decimal("0.1"), Decimal("0.5"))) == 4
    # 二, 六, 九: earned (得分制)
    methods = {c.id: c.method for c in _framework(imported["docx"], "q2010").categories}
    assert [k for k, m in methods.items() if m == "earned"] == ["c2", "c6", "c9"]


def test_imported_framework_scores(imported, tmp_path, kaohe):
    """The first scored year of docs/adopting.md: units.toml, one evidence file, kaohe score."""
    repo = imported["docx"]
    (repo / "evidence/2010/xingren").mkdir(parents=True)
    (repo / "evidence/2010/units.toml").write_text(
        'year = 2010\nframework = "q2010"\n\n[[unit]]\nid = "xingren"\nname = "兴仁县质监局"\nseries = "units"\n',
        encoding="utf-8",
    )
    (repo / "evidence/2010/xingren/c1-01-2010-07-05-half-year.md").write_text(
        '+++\nindicator = "c1-01"\ndate = 2010-07-05\nsatisfies = "items-2"\n+++\n半年工作情况报告\n', encoding="utf-8"
    )
    run = kaohe("score", "--repo", str(repo), "--format", "json")
    assert run.code == 0, run.err
    [unit] = json.loads(run.out)["units"]
    row = next(i for i in unit["indicators"] if i["id"] == "c1-01")
    # 3项缺1项扣0.1分, one of three reports filed: 0.3 − 2 × 0.1 = 0.1
    assert Decimal(row["score"]) == Decimal("0.1")
    assert [Decimal(d["amount"]) for d in row["deductions"]] == [Decimal("0.1"), Decimal("0.1")]


# -- tables a bureau may hand in -------------------------------------------------------------


def _import(kaohe, tmp_path: Path, table: Table, kind: str = "docx", title: list[str] | None = None):
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    write = doc2010.write_docx if kind == "docx" else doc2010.write_xlsx
    source = write(tmp_path / f"t.{kind}", [table], title or ["测试局", "2011年度考核细则"])
    return kaohe("import", "framework", str(source), "--id", "t", "--repo", str(repo)), repo


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_full_width_digits_in_points_month_and_clauses(kaohe, tmp_path, kind):
    table = Table(
        "一、测试工作",
        ["序号", "目标内容", "考核标准", "分值", "完成月份"],
        [
            ["１", "报送报告", "无报告扣０.３分。", "０.５", "１１月"],
            ["2", "开会", "少于２次的,缺１次扣0.1分。", "0.2分", "十二"],
        ],
    )
    run, repo = _import(kaohe, tmp_path, table, kind)
    assert run.code == 0, run.err
    rows = _framework(repo, "t").indicators()
    assert [(i.seq, i.points, i.month) for i in rows] == [("1", Decimal("0.5"), 11), ("2", Decimal("0.2"), 12)]
    assert rows[0].standard == "无报告扣０.３分。"  # the text as written
    assert [(r.kind, r.items[0].amount) for r in rows[0].rule] == [("checklist", Decimal("0.3"))]
    assert [(r.kind, r.required, r.amount) for r in rows[1].rule] == [("count", 2, Decimal("0.1"))]


def test_no_amount_is_invented(kaohe, tmp_path):
    """Clauses without an amount stay pending; 不得分 without points stays pending; nothing is scored by guess."""
    table = Table(
        "一、测试工作",
        ["序号", "目标内容", "考核标准", "分值"],
        [
            ["1", "信息报送", "按考评表比例扣分。", "2"],
            ["2", "其他工作", "未完成的不得分。", ""],
            ["3", "制度建设", "有完善的制度。", "1"],
            ["4", "其他", "无记录扣1分。", "约2"],
        ],
    )
    run, repo = _import(kaohe, tmp_path, table)
    assert run.code == 0, run.err
    where = tr("import.where.row", where=tr("import.where.table", n=1), n=5)
    assert tr("import.warning", file="t.docx", where=where, message=tr("import.bad-points", text="约2")) in run.err
    rows = _framework(repo, "t").indicators()
    assert [(i.rule, i.pending) for i in rows[:3]] == [
        ([], ["按考评表比例扣分"]),
        ([], ["未完成的不得分"]),  # 不得分 takes the points, and the row prints none
        ([], ["有完善的制度。"]),  # points and no clause to lose them by: the whole standard is pending
    ]
    # the clause names its amount, so the rule is proposed; without points the row is not scored
    assert [(r.kind, r.items[0].amount) for r in rows[3].rule] == [("checklist", 1)] and not rows[3].pending
    assert rows[1].points is None and rows[3].points is None


def test_merged_cells_sub_rows_and_a_totals_row(kaohe, tmp_path):
    table = Table(
        "(一)测试工作",
        ["序号", "目标内容", "考核要点", "分值", "备注"],
        [
            ["1", "标准化建设\n(3分)", "1、通过验收;", "2", "只涉及甲县"],
            [UP, UP, "2、有工作总结。", "1", UP],
            ["合计", LEFT, LEFT, "3", ""],
        ],
    )
    run, repo = _import(kaohe, tmp_path, table)
    assert run.code == 0, run.err
    [row] = _framework(repo, "t").indicators()
    assert (row.target, row.standard, row.points, row.note) == (
        "标准化建设\n(3分)",
        "1、通过验收;\n2、有工作总结。",
        Decimal(3),  # 2 + 1, as "(3分)" states
        "只涉及甲县",
    )
    [rule] = row.rule
    assert (rule.kind, [(i.name, i.amount) for i in rule.items]) == (
        "checklist",
        [("通过验收", Decimal(2)), ("有工作总结", Decimal(1))],
    )
    assert row.method == "earned" or _framework(repo, "t").categories[0].method == "earned"


def test_refuses_to_overwrite_and_writes_nothing_on_refusal(kaohe, tmp_path):
    table = Table("一、测试", ["序号", "目标内容", "考核标准", "分值"], [["1", "甲", "无记录扣1分。", "1"]])
    run, repo = _import(kaohe, tmp_path, table)
    assert run.code == 0
    before = {p: p.read_bytes() for p in (repo / "frameworks/t").iterdir()}
    again, _ = _import(kaohe, tmp_path, table)
    assert again.code == 1 and said("import.exists", id="t") in again.err
    assert {p: p.read_bytes() for p in (repo / "frameworks/t").iterdir()} == before
    assert sorted(p.name for p in repo.iterdir()) == ["frameworks"]  # no staging folder left behind


def test_a_new_repository_inside_a_kaohe_clone_takes_its_import(kaohe, mini, tmp_path, monkeypatch):
    """docs/adopting.md, step 1, as written in a clone of kaohe: `mkdir kaohe-2011 && cd kaohe-2011 &&
    git init` inside the clone, then `kaohe import framework …` there. The import belongs to the new
    repository: kaohe must not walk past its `.git` to the clone's `frameworks/` around it."""
    outer = init_git(mini)
    inner = outer / "kaohe-2011"
    inner.mkdir()
    git(inner, "init", "-q")
    table = Table("一、测试", ["序号", "目标内容", "考核标准", "分值"], [["1", "甲", "无记录扣1分。", "1"]])
    source = doc2010.write_docx(tmp_path / "t.docx", [table], ["测试局", "2011年度考核细则"])
    monkeypatch.chdir(inner)
    run = kaohe("import", "framework", str(source), "--id", "t")
    assert run.code == 0, run.err
    assert (inner / "frameworks/t/framework.toml").is_file()
    assert not (outer / "frameworks/t").exists()


@pytest.mark.parametrize(
    ("name", "content", "framework_id", "code"),
    [
        ("x.doc", b"old", "t", "import.old-format"),
        ("x.xls", b"old", "t", "import.old-format"),
        ("x.docx", b"not a zip", "t", "import.unreadable"),
        ("x.xlsx", b"not a zip", "t", "import.unreadable"),
        ("x.pdf", b"%PDF", "t", "import.unknown-format"),
        ("x.docx", None, "t", "import.not-found"),
        ("x.docx", b"", "../evil", "import.bad-id"),
        ("x.docx", b"", "中文", "import.bad-id"),
    ],
)
def test_refusals_carry_a_code(tmp_path, name, content, framework_id, code):
    from generator.commands import import_
    from generator.problems import InputError

    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    args = type("Args", (), {"file": path, "id": framework_id, "repo": str(tmp_path)})()
    with pytest.raises(InputError) as caught:
        import_.run(args)
    assert caught.value.code == code
    assert not (tmp_path / "frameworks").exists()


@pytest.mark.parametrize("mistake", ["no-such-folder", "frameworks-is-a-file"])
def test_a_repository_that_cannot_take_the_framework_is_the_user_s_mistake(kaohe, tmp_path, mistake):
    """--repo naming no folder, or frameworks/ being a file: exit 1 with the reason, not an internal
    error, and said before the document is read (here it does not even exist)."""
    repo = tmp_path / "repo"
    if mistake == "no-such-folder":
        expected = said("import.no-folder", folder=repo)
    else:
        repo.mkdir()
        (repo / "frameworks").write_text("")
        expected = said("output.not-a-folder", option="--repo", output=repo / "frameworks")
    run = kaohe("import", "framework", str(tmp_path / "missing.docx"), "--id", "t", "--repo", str(repo))
    assert run.code == 1 and expected in run.err, run.err
    assert not repo.exists() or sorted(p.name for p in repo.iterdir()) == ["frameworks"]


def test_a_document_without_tables_is_refused(kaohe, tmp_path):
    import docx

    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("关于报送考核材料的通知")
    document.save(str(path))
    run = kaohe("import", "framework", str(path), "--id", "t", "--repo", str(tmp_path))
    assert run.code == 1 and said("import.no-tables", path=path) in run.err
    assert not (tmp_path / "frameworks").exists()


def test_a_docx_is_read_as_a_zip_of_xml_only(tmp_path, kaohe):
    """A .docx whose XML declares an external entity is not expanded (lxml does not resolve entities)."""
    source = doc2010.write_docx(tmp_path / "a.docx", [doc2010.T6])
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"<w:document ",
                    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ',
                    1,
                ).replace("有完善的财务管理制度".encode(), b"&x;", 1)
            zout.writestr(item, data)
    repo = tmp_path / "repo"
    repo.mkdir()
    run = kaohe("import", "framework", str(evil), "--id", "t", "--repo", str(repo))
    written = (
        "".join(p.read_text(encoding="utf-8") for p in (repo / "frameworks/t").glob("*.toml")) if run.code == 0 else ""
    )
    assert "root:" not in written and "root:" not in run.out + run.err


# -- whatever the cells hold, the output passes kaohe check ----------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CLAUSES = st.sampled_from(
    [
        "无记录扣0.5分。",
        "缺1项扣0.1分。",
        "3项缺1项扣0.1分。",
        "少于4次,缺1次扣0.2分。",
        "达不到90%,少一个百分点扣0.1分。",
        "扣0.1-2分。",
        "此项不得分。",
        "未开展扣1分,扣完为止。",
        "发现一台扣1分,五台以上扣4分。",
        "加一倍扣分。",
        "有方案0.5分。",
        "酌情少扣或不扣分。",
        "按比例扣除。",
        "",
    ]
)
_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12).map(
    lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", s)
)  # what Word and Excel can store


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(_TEXT, _TEXT, st.lists(_CLAUSES, max_size=3), st.sampled_from(["", "1", "0.5", "２", "x", "3分"])),
        min_size=1,
        max_size=4,
    ),
    heading=_TEXT,
)
def test_any_table_imports_into_a_framework_check_accepts(tmp_path_factory, rows, heading):
    from generator.cli import main

    tmp = tmp_path_factory.mktemp("any")
    table = Table(
        heading or "表",
        ["序号", "目标内容", "考核标准", "分值"],
        [
            [str(n + 1), target + extra, "".join(clauses), points]
            for n, (target, extra, clauses, points) in enumerate(rows)
        ],
    )
    source = doc2010.write_docx(tmp / "t.docx", [table], ["局", "考核细则"])
    repo = tmp / "repo"
    repo.mkdir()
    assert main(["import", "framework", str(source), "--id", "t", "--repo", str(repo)]) == 0
    problems = Problems()
    from generator.validate import validate_repository

    validate_repository(load_repository(FsTree(repo), problems), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    assert os.listdir(repo) == ["frameworks"]


@pytest.mark.parametrize("write", [doc2010.write_docx, doc2010.write_xlsx], ids=["docx", "xlsx"])
def test_control_characters_in_cells_never_reach_the_framework(tmp_path, write):
    """Found by the property test above: a heading "0<TAB>0" was written into the title, which check
    then refused (text.control-character). Titles turn tabs into spaces; every text drops controls and
    bidi overrides and keeps its line breaks as "\\n"."""
    from generator.cli import main

    table = Table(
        "0\t0表",
        ["序号", "目标内容", "考核标准", "分值"],
        [["1", "加强\u202e信息\x85报送\t工作", "未按时报送的，每次扣0.1分。\r\n资料不全\x9b的扣0.2分。", "2"]],
    )
    source = write(tmp_path / f"t.{write.__name__.removeprefix('write_')}", [table], ["局", "考核细则"])
    repo = tmp_path / "repo"
    repo.mkdir()
    assert main(["import", "framework", str(source), "--id", "t", "--repo", str(repo)]) == 0
    problems = Problems()
    from generator.validate import validate_repository

    validate_repository(load_repository(FsTree(repo), problems), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    (category,) = sorted((repo / "frameworks/t").glob("0*.toml"))
    data = tomllib.loads(category.read_text(encoding="utf-8"))
    assert data["category"]["title"] == "0 0表"  # the tab as a space: a title is one line
    indicator = data["indicator"][0]
    assert indicator["target"] == "加强信息\n报送\t工作"  # U+202E dropped, U+0085 a line break, the tab kept
    assert "资料不全的扣0.2分" in indicator["standard"] and "\x9b" not in indicator["standard"]


def test_control_characters_in_the_file_name_are_shown_escaped(tmp_path):
    """A file named with DEL, ESC, CR or a newline: its name in the TOML comments was written raw,
    which TOML forbids (the import then failed its own check, 无效的字符 '\\x7f')."""
    from generator.cli import main

    table = Table("一、测试", ["序号", "目标内容", "考核标准", "分值"], [["1", "甲", "无记录扣1分。", "1"]])
    name = "表\x7f\x1b[31m\r\n.docx"
    source = doc2010.write_docx(tmp_path / name, [table], ["局", "考核细则"])
    repo = tmp_path / "repo"
    repo.mkdir()
    assert main(["import", "framework", str(source), "--id", "t", "--repo", str(repo)]) == 0
    for toml in (repo / "frameworks/t").glob("*.toml"):
        text = toml.read_text(encoding="utf-8")
        tomllib.loads(text)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", text), toml.name
        assert "《表\\x7f\\x1b[31m\\r\\n.docx》" in text  # the name shown, each control as its escape


def test_the_import_message_says_what_to_do_next_without_a_path_to_kaohes_docs():
    """A bureau's repository holds no docs/adopting.md: the message says the next steps itself."""
    from generator.messages import tr

    text = tr("import.wrote", id="x", categories=1, indicators=2, proposed=3, pending=4)
    assert "docs/" not in text
    assert "删去其 proposed = true" in text and "为每条待定条文写一条规则" in text
