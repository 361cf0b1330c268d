"""The shipped 2010 framework at the boundaries its sentences draw, through `kaohe score --format json`.

Each case is one county's evidence or findings for one row; the expected score of the row is worked
out by hand from the document's sentence (quoted beside it), independently of kaohe. "以上/以下"
include the number itself; where the framework marks a reading (三.4 whole percentage points, the
小项分值原则 caps of 五 2.3 and 7.3), the case follows the marked reading and says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from builders import evidence, write
from conftest import ROOT

FRAMEWORK = ROOT / "frameworks" / "qianxinan-qts-2010"

UNITS = """\
year = 2010
framework = "qianxinan-qts-2010"

[[unit]]
id = "xingyi"
name = "兴义市质量技术监督局"
series = "county"
"""


def finding(fid: str, ind: str, rule: str, **keys: str) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    return f'[[finding]]\nid = "{fid}"\nindicator = "{ind}"\nrule = "{rule}"\ndate = 2010-12-15\nreason = "认定"\n{extra}\n'


def findings(ind: str, rule: str, *keyed: dict[str, str]) -> dict[str, str]:
    return {f"xingyi/{ind}-findings.toml": "".join(finding(f"f{n}", ind, rule, **k) for n, k in enumerate(keyed))}


def metric(ind: str, **values: str) -> dict[str, str]:
    table = ", ".join(f"{k} = {v}" for k, v in values.items())
    return {f"xingyi/{ind}-rate.md": evidence(ind, date="2010-12-01", metrics=f"{{ {table} }}")}


def row_score(tmp_path: Path, kaohe, files: dict[str, str], ind: str) -> str:
    shutil.copytree(FRAMEWORK, tmp_path / "frameworks" / FRAMEWORK.name)
    write(tmp_path / "evidence/2010/units.toml", UNITS)
    for rel, text in files.items():
        write(tmp_path / "evidence/2010" / rel, text)
    run = kaohe("score", "--repo", str(tmp_path), "--year", "2010", "--format", "json", "--no-filing-dates")
    assert run.code == 0, run.err
    (unit,) = json.loads(run.out)["units"]
    return next(i["score"] for i in unit["indicators"] if i["id"] == ind)


CASES = [
    # 五 2.5 (4分) "发现一台扣1分,五台以上扣4分"; tz-02's other sub-items are met by TZ02_MET,
    # so the row (30分) is 30 − what 2.5 costs.
    ("tz-02 four devices", "tz-02", "4", "26"),  # 4 × 1 = 4 → 26
    ("tz-02 five devices", "tz-02", "5", "26"),  # 五台以上 (含五台) → 4 → 26, not 25
    ("tz-02 six devices", "tz-02", "6", "26"),  # still 4 → 26
    ("tz-02 three devices", "tz-02", "3", "27"),  # 3 × 1 = 3 → 27
]

#: Everything 五 2.1–2.7 asks for except 2.5, so a 2.5 finding alone moves the row.
TZ02_MET = {
    "xingyi/tz-02-met.md": evidence(
        "tz-02",
        date="2010-12-01",
        satisfies='["analysis", "holiday-check", "key-pledge", "key-patrol", "drill"]',
        count="5",
        metrics="{ pledge_rate = 100, cert_rate = 100 }",
    )
}


@pytest.mark.parametrize(("case", "ind", "count", "expected"), CASES, ids=[c[0] for c in CASES])
def test_tz02_overdue_devices_step_at_five_inclusive(tmp_path, kaohe, case, ind, count, expected):
    files = {**TZ02_MET, **findings("tz-02", "overdue", {"count": count})}
    assert row_score(tmp_path, kaohe, files, ind) == expected


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        # 三.4 "结案率达90%以上" / "结案率达不到90%,少一个百分点扣0.1分"; "受理率达95%以上" / "受理率达不到95%,
        # 少一个百分点扣0.1分". The ledger and both complaint items are filed, so only the rates cost.
        ({"closure_rate": "90", "acceptance_rate": "95"}, "20"),  # 以上 includes 90 and 95: nothing
        ({"closure_rate": "89", "acceptance_rate": "95"}, "19.9"),  # 1 point short → 0.1
        ({"closure_rate": "80", "acceptance_rate": "90"}, "18.5"),  # 10 × 0.1 + 5 × 0.1 = 1.5
        # a part of a point: the framework's marked reading (partial = floor) counts whole points only
        ({"closure_rate": "86.4", "acceptance_rate": "95"}, "19.7"),  # 3.6 short → 3 → 0.3
    ],
)
def test_zf04_rates_at_and_below_their_thresholds(tmp_path, kaohe, rates, expected):
    filed = {
        "xingyi/zf-04-ledger.md": evidence(
            "zf-04", date="2010-12-01", satisfies='["ledger", "complaint-record", "complaint-result"]'
        )
    }
    assert row_score(tmp_path, kaohe, {**filed, **metric("zf-04", **rates)}, "zf-04") == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        # 三.5 "按照州局执法信息量化考评表分值比例扣除,扣完为止" (20分): deduction = 20 × (100 − rate) / 100;
        # the 通报记录 is filed, so only the rate costs.
        ("100", "20"),  # nothing
        ("85", "17"),  # 20 × 15 / 100 = 3
        ("87.55", "17.51"),  # 20 × 12.45 / 100 = 2.49
        ("0", "0"),  # 20 × 100 / 100 = 20: 扣完为止
    ],
)
def test_zf05_pro_rata_by_the_quantified_rate(tmp_path, kaohe, rate, expected):
    filed = {"xingyi/zf-05-notices.md": evidence("zf-05", date="2010-12-01", satisfies='"notice"')}
    assert row_score(tmp_path, kaohe, {**filed, **metric("zf-05", info_score_rate=rate)}, "zf-05") == expected


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        # 一.8 (1.62分) "一般工作人员违纪扣0.2分,股级干部扣0.3分,科级干部扣0.4分;严重违纪案件在第一种扣分标准的
        # 基础上加一倍扣分;刑事案件在第一种扣分标准的基础上加两倍扣分"
        ([("一般工作人员", "一般违纪")], "1.42"),  # 0.2
        ([("股级干部", "严重违纪")], "1.02"),  # 0.3 + 0.3 (加一倍) = 0.6
        ([("科级干部", "刑事案件")], "0.42"),  # 0.4 + 0.8 (加两倍) = 1.2
        ([("科级干部", "刑事案件"), ("股级干部", "严重违纪")], "0"),  # 1.2 + 0.6 = 1.8 > 1.62: 扣至0
    ],
)
def test_df08_discipline_by_grade_and_severity(tmp_path, kaohe, cases, expected):
    keyed = [{"grade": f'"{g}"', "severity": f'"{s}"'} for g, s in cases]
    assert row_score(tmp_path, kaohe, findings("df-08", "discipline", *keyed), "df-08") == expected


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        # 一.5 (0.3分) "与20家以上的企业联系" / "缺一家扣0.01分": 20 (以上 includes it) → 0.3; 19 → 0.29;
        # none → 20 × 0.01 = 0.2 lost → 0.1 (the row's other 0.1 has no rule: the framework's note)
        ("20", "0.3"),
        ("19", "0.29"),
        (None, "0.1"),
    ],
)
def test_df05_contacts_twenty_inclusive(tmp_path, kaohe, contacts, expected):
    files = {}
    if contacts is not None:
        files = {"xingyi/df-05.md": evidence("df-05", date="2010-11-20", satisfies='"contact"', count=contacts)}
    assert row_score(tmp_path, kaohe, files, "df-05") == expected


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        # 五 1.1 (5分) "发生事故死亡1人扣5分,扣完为止": 1 → 5 lost; 2 → 10, but 扣完为止 at 1.1's 5 → 5 lost
        ("1", "5"),
        ("2", "5"),
    ],
)
def test_tz01_deaths_stop_at_the_sub_items_five(tmp_path, kaohe, deaths, expected):
    assert row_score(tmp_path, kaohe, findings("tz-01", "deaths", {"count": deaths}), "tz-01") == expected


def test_zl01_range_clause_deducts_at_most_its_upper_end(tmp_path, kaohe):
    # 七.1 "不能提供企业落实整改措施实施情况的报告和复查申请各扣0.1-0.5分": two findings of 0.5 and 0.3 against
    # the 报告 clause are at most 0.5; the 整改通知书, 审查资料 and 年末报告 are filed: 10 − 0.5 = 9.5
    filed = {
        "xingyi/zl-01.md": evidence(
            "zl-01", date="2010-12-01", satisfies='["rectify-notice", "review-records", "year-end-report"]'
        ),
    }
    files = {**filed, **findings("zl-01", "firm-report", {"amount": "0.5"}, {"amount": "0.3"})}
    assert row_score(tmp_path, kaohe, files, "zl-01") == "9.5"


def row_lines(tmp_path: Path, kaohe, files: dict[str, str], ind: str) -> tuple[str, list[tuple[str, str]]]:
    """The row's score and its (amount, reason) lines, as `kaohe score --format json` prints them."""
    shutil.copytree(FRAMEWORK, tmp_path / "frameworks" / FRAMEWORK.name)
    write(tmp_path / "evidence/2010/units.toml", UNITS)
    for rel, text in files.items():
        write(tmp_path / "evidence/2010" / rel, text)
    run = kaohe("score", "--repo", str(tmp_path), "--year", "2010", "--format", "json", "--no-filing-dates")
    assert run.code == 0, run.err
    (unit,) = json.loads(run.out)["units"]
    row = next(i for i in unit["indicators"] if i["id"] == ind)
    return row["score"], [(d["amount"], d["reason"]) for d in row["deductions"]]


def test_tz01_sub_item_cap_names_the_sub_item_not_the_row(tmp_path, kaohe):
    # 五.1 is worth 10: "1.1……(5分) 发生事故死亡1人扣5分,扣完为止" and "1.2……(5分) 发生一起较大以上事故扣5分,
    # 扣完为止". Two deaths: 2 × 5 = 10, stopped at 1.1's 5 → a correction of 5 − 10 = −5; the row keeps
    # 10 − 5 = 5, and 1.2 could still take the other 5. The correction says whose cap it is (1.1's),
    # not "本项最多扣5分", which on a 10-point row reads as the whole row losing at most 5.
    score, lines = row_lines(tmp_path, kaohe, findings("tz-01", "deaths", {"count": "2"}), "tz-01")
    assert score == "5"
    assert lines[1:] == [("-5", "1.1（5分）最多扣5分")]
    assert not any("本项" in reason for _, reason in lines)


def test_tz07_sub_item_cap_names_7_3(tmp_path, kaohe):
    # 五.7 (10分): 7.3 "对州局临时布置工作未落实扣2分;对州局督办工作未落实扣3分;对例会提出要求未落实扣3分" found:
    # 2 + 3 + 3 = 8, bounded at 7.3's 2 (10 − 7.1's 5 − 7.2's 3, the framework's marked reading) → −6;
    # 7.1 and 7.2 are filed, so the row is 10 − 2 = 8, and the correction names 7.3, not 本项 (the row).
    filed = {
        "xingyi/tz-07.md": evidence(
            "tz-07",
            date="2010-12-01",
            satisfies='["crackdown-plan", "crackdown-records", "crackdown-info", "crackdown-summary", '
            '"elevator-plan", "elevator-records", "elevator-summary"]',
        )
    }
    items = ({"item": '"ad-hoc"'}, {"item": '"supervised"'}, {"item": '"meeting-asks"'})
    score, lines = row_lines(tmp_path, kaohe, {**filed, **findings("tz-07", "state-tasks", *items)}, "tz-07")
    assert score == "8"
    assert lines[-1] == ("-6", "7.3最多扣2分")
