"""A synthetic kaohe repository of any size, the same bytes for the same seed and size.

N units × M indicators × K evidence files, with findings, ~2 KB Chinese evidence bodies and every
rule kind (checklist, count, threshold, incident, stepped, fixed, range, award, votes, mitigation,
veto), a capped bonus part, applies_to, both floors, a 0.1 deduction unit and category weights.
The result passes `kaohe check` with zero errors and zero warnings, so that check, score and build
measure the work on valid input.

    python bench/gen.py reference            # → bench/out/reference/
    python bench/gen.py --units 20 --indicators 50 --evidence 2000 --out /tmp/x
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
YEAR = 2020
VERSION = 2  # of what the generator writes: bench/run.py regenerates repositories of another version


@dataclass(frozen=True)
class Size:
    units: int
    indicators: int
    evidence: int


SIZES = {
    "small": Size(10, 100, 1_000),
    "reference": Size(150, 120, 30_000),
    # half of reference's units and evidence: what one of two processes would do if a check were
    # split by unit over both cores (bench/RESULTS.md, sixteenth sitting)
    "reference-half": Size(75, 120, 15_000),
    "large": Size(500, 150, 100_000),
}

#: One rule kind per evidence- or finding-driven indicator, cycled through a category.
#: (part, kind): deduction parts take the deduction kinds, the earned part award/votes.
DEDUCTION_KINDS = [
    "checklist",
    "count",
    "threshold",
    "incident",
    "stepped",
    "fixed",
    "range",
    "checklist",
    "count",
    "threshold",
]
EVIDENCE_KINDS = {"checklist", "count", "threshold"}

SERIES = [("county", "县（市）局"), ("office", "机关科室"), ("affiliated", "直属单位")]

# -- Chinese text ---------------------------------------------------------------------------------

SUBJECTS = [
    "全局干部职工",
    "党组",
    "纪检监察室",
    "稽查支队",
    "办公室",
    "人事科",
    "计量科",
    "标准化科",
    "特种设备安全监察科",
    "食品生产监管科",
    "质量管理科",
    "法规科",
    "各县（市）局",
    "执法人员",
]
VERBS = [
    "认真贯彻落实",
    "组织学习",
    "专题研究部署",
    "督促检查",
    "全面完成",
    "扎实推进",
    "按时报送",
    "集中整治",
    "开展了",
    "进一步规范",
    "切实加强",
    "及时整改",
]
OBJECTS = [
    "党风廉政建设责任制",
    "年度目标绩效管理工作",
    "特种设备安全监察工作",
    "食品生产加工环节监管",
    "行政执法案件办理",
    "计量器具强制检定",
    "标准化示范区建设",
    "质量强市活动",
    "信息公开工作",
    "机关效能建设",
    "反腐倡廉宣传教育",
    "案件结案归档",
    "执法监督检查",
    "安全生产大检查",
]
DETAILS = [
    "共召开会议{n}次",
    "检查企业{n}家",
    "发现问题{n}处，已全部整改",
    "下达整改通知书{n}份",
    "培训执法人员{n}人次",
    "结案率达到{p}%",
    "受理投诉举报{n}件",
    "抽查产品{n}批次，合格率{p}%",
    "形成书面报告{n}份",
    "建立台账{n}本",
]
CLOSINGS = [
    "下一步将继续加强督促检查，确保各项工作落到实处。",
    "存在的主要问题是基层力量不足，需进一步充实。",
    "相关材料已归档备查。",
    "经领导班子集体研究，形成如下意见。",
]


def sentence(rng: random.Random) -> str:
    detail = rng.choice(DETAILS).format(n=rng.randint(1, 60), p=rng.randint(80, 100))
    return f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{detail}。"


def body(rng: random.Random, title: str, link: str | None, target_bytes: int = 2048) -> str:
    """Markdown of about `target_bytes` (UTF-8): a heading, paragraphs, a list, a table, maybe a link."""
    parts = [f"# {title}", ""]
    size = len(title.encode()) + 4
    k = 0
    while size < target_bytes:
        k += 1
        if k % 4 == 0:
            rows = ["| 项目 | 数量 | 完成情况 |", "|---|---|---|"]
            rows += [
                f"| {rng.choice(OBJECTS)} | {rng.randint(1, 99)} | {rng.choice(['已完成', '推进中', '已整改'])} |"
                for _ in range(3)
            ]
            chunk = "\n".join(rows)
        elif k % 3 == 0:
            chunk = "\n".join(f"- {sentence(rng)}" for _ in range(3))
        else:
            chunk = "".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        parts += [chunk, ""]
        size += len(chunk.encode()) + 2
    if link:
        parts += [f"相关材料见[上一份台账]({link})。", ""]
    parts.append(rng.choice(CLOSINGS))
    return "\n".join(parts) + "\n"


# -- the framework ------------------------------------------------------------------------------


@dataclass
class Ind:
    id: str
    category: str
    part: str
    kind: str  # the indicator's main rule kind
    points: str
    keys: list[str]  # requirement keys (checklist/count) or the metric (threshold)
    applies: list[str] | None  # unit ids, or None for every unit
    veto: bool
    mitigation: bool


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def framework(rng: random.Random, size: Size, unit_ids: list[str]) -> tuple[dict[str, str], list[Ind]]:
    files: dict[str, str] = {}
    files["frameworks/bench/framework.toml"] = "\n".join(
        [
            'id = "bench"',
            'title = "基准测试用目标绩效考核细则"',
            'issuer = "某省质量技术监督局"',
            f"year = {YEAR}",
            'floor = "zero"',
            "precision = 0.01",
            "",
            *[f'[[series]]\nid = "{s}"\ntitle = "{t}"\n' for s, t in SERIES],
            '[[part]]\nid = "lvzhi"\ntitle = "履职绩效"\n',
            '[[part]]\nid = "guanli"\ntitle = "管理绩效"\nfloor = "none"\ngranularity = 0.1\n',
            '[[part]]\nid = "zhongdian"\ntitle = "重点绩效"\nmethod = "earned"\n',
            '[[part]]\nid = "chuangyou"\ntitle = "创优绩效"\nmethod = "bonus"\ncap = 2\n',
        ]
    )
    inds: list[Ind] = []
    # categories of ~12 indicators; the last ones are earned (award, votes) and bonus (award)
    n_bonus = 2
    n_earned = max(2, size.indicators // 12)
    n_deduction = size.indicators - n_bonus - n_earned
    plan: list[tuple[str, str]] = []  # (part, kind)
    for k in range(n_deduction):
        plan.append(("guanli" if k % 2 else "lvzhi", DEDUCTION_KINDS[k % len(DEDUCTION_KINDS)]))
    plan += [("zhongdian", "award" if k % 2 == 0 else "votes") for k in range(n_earned)]
    plan += [("chuangyou", "bonus")] * n_bonus
    per_category = 12
    categories: dict[str, list[str]] = {}
    for n, (part, kind) in enumerate(plan):
        cat_index = n // per_category if part in ("lvzhi", "guanli") else {"zhongdian": 900, "chuangyou": 901}[part]
        cat = f"c{cat_index:03d}-{part}"
        ind_id = f"i{n + 1:04d}"
        if kind in ("award", "votes"):
            points = rng.choice(["0.5", "1", "1.5"])
        elif kind == "bonus":
            points = "1"
        else:
            points = rng.choice(["0.3", "0.5", "1", "1.5", "2", "3", "5"])
        applies = None
        if n % 10 == 7 and kind != "bonus":
            applies = sorted(rng.sample(unit_ids, max(1, len(unit_ids) // 3)))
        keys: list[str] = []
        if kind == "checklist":
            keys = ["meeting", "half-year", "annual"]
        elif kind == "count":
            keys = ["activity"]
        elif kind == "threshold":
            keys = ["closure_rate"]
        inds.append(
            Ind(
                ind_id,
                cat,
                part,
                kind,
                points,
                keys,
                applies,
                veto=(n % 9 == 4 and kind not in ("bonus", "award", "votes")),
                mitigation=kind in ("incident", "range"),
            )
        )
        categories.setdefault(cat, []).append(ind_id)
    by_id = {i.id: i for i in inds}
    for c, (cat, ids) in enumerate(sorted(categories.items())):
        part = cat.split("-", 1)[1]
        lines = [
            "[category]",
            f'id = "{cat}"',
            f'title = "{cat}类考核表"',
            f'part = "{part}"',
            f'department = "{rng.choice(SUBJECTS[1:12])}"',
        ]
        if part == "lvzhi" and c % 2 == 0:
            lines.append(f"weight = {rng.choice([5, 8, 10])}")
        lines.append("")
        for ind_id in ids:
            lines += indicator_toml(rng, by_id[ind_id])
        files[f"frameworks/bench/{c + 1:03d}-{cat}.toml"] = "\n".join(lines)
    return files, inds


def indicator_toml(rng: random.Random, ind: Ind) -> list[str]:
    target = "".join(sentence(rng) for _ in range(2))
    out = [
        "[[indicator]]",
        f'id = "{ind.id}"',
        f'seq = "{ind.id[1:].lstrip("0")}"',
        f"target = {q(target)}",
        f"standard = {q(sentence(rng))}",
        f"points = {ind.points}",
    ]
    if ind.kind != "bonus":
        out.append(f"month = {rng.choice([6, 9, 12, 12, 12])}")
    if ind.applies is not None:
        out.append(f'applies_to = {{ units = [{", ".join(q(u) for u in ind.applies)}], note = "只涉及部分单位" }}')
    out.append("")
    rule = [
        "[[indicator.rule]]",
        'id = "main"',
        f'kind = "{"award" if ind.kind == "bonus" else ind.kind}"',
        f"text = {q(sentence(rng))}",
    ]
    k = ind.kind
    if k == "checklist":
        rule += ["amount = 0.1", "items = [", *[f'  {{ key = "{key}", name = "{key}报告" }},' for key in ind.keys], "]"]
    elif k == "count":
        rule += ['key = "activity"', 'name = "专题活动"', f"required = {rng.randint(2, 6)}", "amount = 0.1"]
    elif k == "threshold":
        rule += [
            'metric = "closure_rate"',
            'name = "结案率"',
            "threshold = 90",
            "amount = 0.1",
            f'partial = "{rng.choice(["floor", "ceil", "exact"])}"',
            "missing_amount = 0.5",
        ]
    elif k == "incident":
        rule += [
            'grades = { "一般工作人员" = 0.2, "股级干部" = 0.3, "科级干部" = 0.4 }',
            'severities = { "严重违纪" = 2, "刑事案件" = 3 }',
            f"cap = {ind.points}",
        ]
    elif k == "stepped":
        rule += ["amount = 0.5", "steps = [{ at = 5, amount = 2 }]"]
    elif k == "fixed":
        rule += ["amount = 0.3", f"per_occurrence = {'true' if rng.random() < 0.5 else 'false'}"]
    elif k == "range":
        rule += ["min = 0.1", "max = 0.5"]
    elif k in ("award", "bonus"):
        rule += [f"max = {ind.points}"] + ([f"missing_amount = {ind.points}"] if k == "award" else [])
    elif k == "votes":
        rule += [
            'options = { "满意" = 1, "基本满意" = 0.6, "不满意" = 0 }',
            'invalid = ["不了解"]',
            "quorum = 5",
            f"missing_amount = {ind.points}",
        ]
    out += [*rule, ""]
    if ind.mitigation:
        out += ["[[indicator.rule]]", 'id = "self-found"', 'kind = "mitigation"', 'text = "自查自纠酌情少扣"', ""]
    if ind.veto:
        out += ["[[indicator.rule]]", 'id = "veto"', 'kind = "veto"', 'text = "发生重大事故，此项不得分"', ""]
    return out


# -- units, evidence and findings ---------------------------------------------------------------


def day(rng: random.Random, month_max: int = 12) -> str:
    month = rng.randint(1, month_max)
    return f"{YEAR}-{month:02d}-{rng.randint(1, 28):02d}"


def generate(size: Size, out: Path, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    unit_ids = [f"u{k:04d}" for k in range(size.units)]
    series = {u: SERIES[k % len(SERIES)][0] for k, u in enumerate(unit_ids)}
    files, inds = framework(rng, size, unit_ids)
    units = [f"year = {YEAR}", 'framework = "bench"', 'title = "基准测试年度目标绩效考核"', ""]
    for u in unit_ids:
        units += ["[[unit]]", f'id = "{u}"', f'name = "第{u[1:]}号单位"', f'series = "{series[u]}"', ""]
    files[f"evidence/{YEAR}/units.toml"] = "\n".join(units)
    for rel, text in files.items():
        write(out / rel, text)

    applies = {i.id: (i.applies if i.applies is not None else unit_ids) for i in inds}
    evidence_inds = [i for i in inds if i.kind in EVIDENCE_KINDS]
    # every (unit, evidence indicator) pair that applies, in a fixed order, then K files dealt round-robin
    pairs = [(u, i) for i in evidence_inds for u in applies[i.id]]
    rng.shuffle(pairs)
    counts = {"evidence": 0, "findings": 0, "bytes": 0}
    per_pair: dict[tuple[str, str], int] = {}
    figures: dict[tuple[str, str], float] = {}
    last_file: dict[str, str] = {}
    for n in range(size.evidence):
        unit, ind = pairs[n % len(pairs)]
        k = per_pair.get((unit, ind.id), 0)
        per_pair[(unit, ind.id)] = k + 1
        date = day(rng)
        name = f"{ind.id}-{date}-{k + 1}.md"
        front = [f'indicator = "{ind.id}"', f"date = {date}", f'title = "{ind.id}工作台账（第{k + 1}份）"']
        if ind.kind == "checklist":
            front.append(f'satisfies = "{ind.keys[k % len(ind.keys)]}"')
        elif ind.kind == "count":
            front += ['satisfies = "activity"', f"count = {rng.randint(1, 2)}"]
        else:
            # one figure per unit and indicator: differing figures are a warning in kaohe check
            rate = figures.setdefault((unit, ind.id), rng.randint(800, 1000) / 10)
            front.append(f"metrics = {{ closure_rate = {rate} }}")
        text = (
            "+++\n" + "\n".join(front) + "\n+++\n" + body(rng, f"{ind.id}工作台账（第{k + 1}份）", last_file.get(unit))
        )
        path = out / "evidence" / str(YEAR) / unit / name
        write(path, text)
        last_file[unit] = name
        counts["evidence"] += 1
        counts["bytes"] += len(text.encode())

    finding_inds = [i for i in inds if i.kind not in EVIDENCE_KINDS]
    for unit in unit_ids:
        tables: list[str] = []
        for ind in finding_inds:
            if unit not in applies[ind.id]:
                continue
            for f in findings_for(rng, unit, ind):
                tables.append(f)
        if tables:
            write(out / "evidence" / str(YEAR) / unit / "findings.toml", "\n".join(tables))
            counts["findings"] += len(tables)
    return counts


def findings_for(rng: random.Random, unit: str, ind: Ind) -> list[str]:
    made: list[str] = []

    def finding(rule: str, **keys: str) -> str:
        fid = f"{unit}-{ind.id}-{len(made) + 1}"
        lines = [
            "[[finding]]",
            f'id = "{fid}"',
            f'indicator = "{ind.id}"',
            f'rule = "{rule}"',
            f"date = {day(rng)}",
            f"reason = {q(sentence(rng))}",
            'assessor = "考核办"',
        ]
        lines += [f"{k} = {v}" for k, v in keys.items()]
        made.append("\n".join(lines) + "\n")
        return fid

    k = ind.kind
    if k == "incident" and rng.random() < 0.4:
        fid = finding(
            "main",
            grade=q(rng.choice(["一般工作人员", "股级干部", "科级干部"])),
            **({"severity": q("严重违纪")} if rng.random() < 0.3 else {}),
        )
        if rng.random() < 0.5:
            finding("self-found", mitigates=q(fid), amount="0.1")
    elif k == "stepped" and rng.random() < 0.4:
        for _ in range(rng.randint(1, 3)):
            finding("main", count=str(rng.randint(1, 3)))
    elif k == "fixed" and rng.random() < 0.3:
        finding("main")
    elif k == "range" and rng.random() < 0.4:
        fid = finding("main", amount=rng.choice(["0.1", "0.2", "0.3", "0.4", "0.5"]))
        if rng.random() < 0.3:
            finding("self-found", mitigates=q(fid))
    elif k in ("award", "bonus"):
        if rng.random() < (0.9 if k == "award" else 0.3):
            points = int(float(ind.points) * 10)
            finding("main", amount=str(rng.randint(0, points) / 10))
    elif k == "votes":
        tallies = {
            "满意": rng.randint(5, 30),
            "基本满意": rng.randint(0, 10),
            "不满意": rng.randint(0, 3),
            "不了解": rng.randint(0, 3),
        }
        finding("main", tallies="{ " + ", ".join(f'"{o}" = {n}' for o, n in tallies.items()) + " }")
    if ind.veto and rng.random() < 0.02:
        finding("veto")
    return made


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", nargs="?", choices=sorted(SIZES), help="a named size")
    parser.add_argument("--units", type=int)
    parser.add_argument("--indicators", type=int)
    parser.add_argument("--evidence", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="output folder (default: bench/out/<size>)")
    args = parser.parse_args(argv)
    if args.size:
        size = SIZES[args.size]
    elif args.units and args.indicators and args.evidence:
        size = Size(args.units, args.indicators, args.evidence)
    else:
        parser.error("give a size or --units, --indicators and --evidence")
    out = args.out or OUT / (args.size or f"{size.units}x{size.indicators}x{size.evidence}")
    start = time.monotonic()
    counts = generate(size, out, args.seed)
    print(
        f"{out}: {size.units} units × {size.indicators} indicators, {counts['evidence']} evidence files "
        f"({counts['bytes'] / 1e6:.0f} MB), {counts['findings']} findings in {time.monotonic() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
