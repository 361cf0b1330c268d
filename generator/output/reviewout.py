"""`kaohe review` output: the indicator review as a Chinese table with its definitions, or JSON.

Figures and flags only, never a verdict: every column and flag is defined under the table, in the
words of docs/progress.md. Every phrase has a stable id in :data:`PHRASES` (the message catalogue
will take them over); indicator ids stand only in the trailing reference column.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..controlchars import one_line
from ..review import FLAGS, IndicatorReview, Review
from ..types import plain
from .table import render_table, width

PHRASES: dict[str, str] = {
    "review.title": "{title} 指标评估（{year}年度，按年底结果）",
    "review.sorted": "按{order}排列。",
    "review.sort.paperwork": "每分材料件数（多者在前）",
    "review.sort.lost": "失分单位数（多者在前）",
    "review.sort.spread": "得分极差（大者在前）",
    "review.sort.framework": "指标框架顺序",
    "review.previous": "上年对照：{year}年度（同一指标标识）。",
    "review.previous.none": "无可对照的上年度。",
    "review.since": "复核变化：自 {since} 起。",
    "review.col.rank": "排名",
    "review.col.indicator": "指标",
    "review.col.units": "适用单位",
    "review.col.units-lost": "失分单位",
    "review.col.min": "最低",
    "review.col.median": "中位",
    "review.col.max": "最高",
    "review.col.files": "材料件数",
    "review.col.pages": "公文页",
    "review.col.files-per-point": "件/分",
    "review.col.pages-per-point": "页/分",
    "review.col.rank-changes": "改变名次",
    "review.col.review": "复核：扣分/撤销/减少/增加",
    "review.col.previous": "上年：失分单位/件每分/标记",
    "review.col.flags": "标记",
    "review.col.ref": "标识",
    "review.indicator": "{category}第{seq}项 {title}",
    "review.rank-changes.none": "否",
    "review.rank-changes.some": "是（{n}个单位）",
    "review.rank-changes.heading": "改变名次的指标（指标改为人人同分后名次不同的单位）：",
    "review.rank-change": "{name} {rank}→{neutral}",
    "review.none": "—",
    "review.flag.no_spread": "不区分",
    "review.flag.most_paperwork": "材料最多",
    "review.flag.mostly_overturned": "多被改判",
    "review.appeals.none": "复核与申诉：本年度没有记录。",
    "review.col.appeals": "申诉：件/维持/变更/撤销/待决",
    "review.def.appeals": (
        "申诉：针对该指标扣分的复核与申诉件数（各单位申诉文件中的记录），及其维持、变更、撤销和尚待决定的件数。"
    ),
    "review.definitions": "定义：",
    "review.def.units": "适用单位：该指标计分（已评分或被否决）的单位数。",
    "review.def.units-lost": "失分单位：得分低于该指标分值的单位数（加分指标：未获满额加分的单位数）。",
    "review.def.spread": "最低、中位、最高：这些单位在该指标上的得分（精确值；单位数为偶数时中位取中间两数的平均）。",
    "review.def.files": "材料件数：这些单位为该指标提交的材料文件数（评定记录不计）。",
    "review.def.pages": (
        "公文页：每件材料正文字数（不计空白和 markdown 标记）除以616（GB/T 9704-2012：每页22行×28字），"
        "向上取整，至少1页；附件不计。"
    ),
    "review.def.per-point": (
        "件/分、页/分：材料件数、公文页除以该指标的总分值（分值×适用单位数），四舍五入到0.01；分值为0或未定时无此数。"
    ),
    "review.def.rank-changes": (
        "改变名次：若该指标人人同分（扣分和得分指标人人满分，"
        "加分指标人人不加分），其余照常计分，各单位在本序列内的名次是否有变，"
        "有变的单位数。"
    ),
    "review.def.no_spread": "不区分：适用单位两个以上，且得分全部相同。",
    "review.def.most_paperwork": (
        "材料最多：有材料、有分值的指标按件/分从高到低，前四分之一（n个指标取⌈n÷4⌉个，与末位相同者一并标出）。"
    ),
    "review.def.mostly_overturned": (
        "多被改判：自指定版本以来，该指标依据评定记录的扣分中，撤销或减少的超过一半；"
        "或该指标已决定的申诉中，撤销或改为较少扣分的超过一半。"
    ),
    "review.def.review": (
        "复核：指定版本年底结果中依据评定记录的扣分条数；其后撤销（记录已删除）、减少、增加（净扣分变化，"
        "含酌情少扣）的条数。因另一记录否决该项而不再显示的扣分不计入撤销或减少。"
    ),
}


def phrase(pid: str, **values: Any) -> str:
    return PHRASES[pid].format(**values)


def ratio(value: Fraction | None) -> str | None:
    """A ratio rounded half-up to 0.01 for reading; None when undefined."""
    if value is None:
        return None
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return plain(rounded)


def exact(value: Fraction | None) -> str | None:
    """The exact ratio as "numerator/denominator" (or an integer), for scripts that compare."""
    return None if value is None else str(value)


SORTS = {
    "paperwork": lambda i: (i.files_per_point is not None, i.files_per_point or Fraction(0)),
    "lost": lambda i: (i.units_lost, i.lost),
    "spread": lambda i: (i.spread is not None, (i.spread.max - i.spread.min) if i.spread else Decimal(0)),
}


def ranked(review: Review, sort: str) -> list[tuple[int, IndicatorReview]]:
    """(rank, indicator) by `sort`, largest first, ties sharing a rank; framework order keeps its order."""
    if sort == "framework":
        return [(n, i) for n, i in enumerate(review.indicators, start=1)]
    key = SORTS[sort]
    ordered = sorted(review.indicators, key=key, reverse=True)  # stable: ties stay in framework order
    out: list[tuple[int, IndicatorReview]] = []
    for n, i in enumerate(ordered, start=1):
        out.append((out[-1][0] if out and key(out[-1][1]) == key(i) else n, i))
    return out


#: Display columns an indicator's title may take in the table; a longer one ends in …
TITLE_WIDTH = 40


def _label(i: IndicatorReview, short: bool = False) -> str:
    title = i.title
    if short and width(title) > TITLE_WIDTH:
        while width(title) > TITLE_WIDTH - 1:
            title = title[:-1]
        title += "…"
    return phrase("review.indicator", category=i.category_title, seq=i.seq, title=title)


def _flags(i: IndicatorReview | None) -> str:
    if i is None:
        return phrase("review.none")
    return "、".join(phrase(f"review.flag.{f}") for f in i.flags) or phrase("review.none")


def _dec(value: Decimal | None) -> str:
    return plain(value) if value is not None else phrase("review.none")


def text(review: Review, sort: str = "paperwork") -> str:
    none = phrase("review.none")
    out = [
        one_line(phrase("review.title", title=review.framework_title, year=review.year)),
        phrase("review.sorted", order=phrase(f"review.sort.{sort}")),
        phrase("review.previous", year=review.previous_year)
        if review.previous_year
        else phrase("review.previous.none"),
    ]
    if review.since:
        out.append(one_line(phrase("review.since", since=review.since)))
    out.append("")
    cols = [
        "rank",
        "indicator",
        "units",
        "units-lost",
        "min",
        "median",
        "max",
        "files",
        "pages",
        "files-per-point",
        "pages-per-point",
        "rank-changes",
        "flags",
    ]
    if review.since:
        cols.append("review")
    appeals = any(i.appeals.appealed for i in review.indicators)
    if appeals:
        cols.append("appeals")
    if review.previous_year:
        cols.append("previous")
    cols.append("ref")
    rows = [[phrase(f"review.col.{c}") for c in cols]]
    for rank, i in ranked(review, sort):
        cells = {
            "rank": str(rank),
            "indicator": _label(i, short=True),
            "units": str(i.units),
            "units-lost": str(i.units_lost),
            "min": _dec(i.spread.min if i.spread else None),
            "median": _dec(i.spread.median if i.spread else None),
            "max": _dec(i.spread.max if i.spread else None),
            "files": str(i.files),
            "pages": str(i.pages),
            "files-per-point": ratio(i.files_per_point) or none,
            "pages-per-point": ratio(i.pages_per_point) or none,
            "rank-changes": phrase("review.rank-changes.some", n=len(i.rank_changes))
            if i.rank_changes
            else phrase("review.rank-changes.none"),
            "flags": _flags(i),
            "ref": i.id,
        }
        if i.review is not None:
            r = i.review
            cells["review"] = f"{r.deductions}/{r.withdrawn}/{r.reduced}/{r.increased}"
        if appeals:
            c = i.appeals
            cells["appeals"] = f"{c.appealed}/{c.upheld}/{c.changed}/{c.revoked}/{c.open}"
        if review.previous_year:
            p = i.previous
            cells["previous"] = (
                f"{p.units_lost}/{ratio(p.files_per_point) or none}/{_flags(p)}" if p is not None else none
            )
        rows.append([cells.get(c, none) for c in cols])
    out.append(render_table([[one_line(c) for c in row] for row in rows], {0, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
    changed = [i for i in review.indicators if i.rank_changes]
    if changed:
        out.append(phrase("review.rank-changes.heading"))
        for i in changed:
            moves = "，".join(
                phrase("review.rank-change", name=c.name, rank=c.rank, neutral=c.neutral_rank) for c in i.rank_changes
            )
            out.append(one_line(f"  {_label(i)}：{moves}  〔{i.id}〕"))
        out.append("")
    if not appeals:
        out.append(phrase("review.appeals.none"))
        out.append("")
    out.append(phrase("review.definitions"))
    keys = ["units", "units-lost", "spread", "files", "pages", "per-point", "rank-changes", *FLAGS]
    if review.since:
        keys.append("review")
    if appeals:
        keys.append("appeals")
    out += ["  " + phrase(f"review.def.{k}") for k in keys]
    return "\n".join(out) + "\n"


def _indicator_json(i: IndicatorReview, rank: int | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": i.id,
        "seq": i.seq,
        "title": i.title,
        "category": i.category,
        "category_title": i.category_title,
        "method": i.method,
        "points": plain(i.points) if i.points is not None else None,
        "units": i.units,
        "units_lost": i.units_lost,
        "lost": plain(i.lost),
        "spread": {k: plain(getattr(i.spread, k)) for k in ("min", "median", "max")} if i.spread else None,
        "files": i.files,
        "pages": i.pages,
        "at_stake": plain(i.at_stake),
        "files_per_point": ratio(i.files_per_point),
        "files_per_point_exact": exact(i.files_per_point),
        "pages_per_point": ratio(i.pages_per_point),
        "pages_per_point_exact": exact(i.pages_per_point),
        "rank_changes": [
            {"unit": c.unit, "name": c.name, "series": c.series, "rank": c.rank, "neutral_rank": c.neutral_rank}
            for c in i.rank_changes
        ],
        "review": None,
        "appeals": {
            "appealed": i.appeals.appealed,
            "upheld": i.appeals.upheld,
            "changed": i.appeals.changed,
            "revoked": i.appeals.revoked,
            "open": i.appeals.open,
            "overturned": i.appeals.overturned,
        },
        "flags": list(i.flags),
    }
    if rank is not None:
        doc = {"rank": rank, **doc}
    if i.review is not None:
        r = i.review
        doc["review"] = {
            "deductions": r.deductions,
            "withdrawn": r.withdrawn,
            "reduced": r.reduced,
            "increased": r.increased,
            "added": r.added,
            "overturned": r.overturned,
        }
    return doc


def to_json(review: Review, sort: str = "paperwork") -> str:
    indicators = []
    for rank, i in ranked(review, sort):
        doc = _indicator_json(i, rank)
        doc["previous"] = _indicator_json(i.previous, None) if i.previous is not None else None
        indicators.append(doc)
    out = {
        "year": review.year,
        "framework": review.framework,
        "framework_title": review.framework_title,
        "sort": sort,
        "since": review.since,
        "previous_year": review.previous_year,
        "flags": {f: phrase(f"review.flag.{f}") for f in FLAGS},
        "definitions": {k.removeprefix("review.def."): v for k, v in PHRASES.items() if k.startswith("review.def.")},
        "indicators": indicators,
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
