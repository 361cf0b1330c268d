"""`kaohe review` output: the indicator review as a Chinese table with its definitions, or JSON.

Figures and flags only, never a verdict: every column and flag is defined under the table, in the
words of docs/progress.md. Every phrase is a catalogue entry with a stable id ("review.…", see
:mod:`generator.messages`); indicator ids stand only in the trailing reference column.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..controlchars import one_line
from ..messages import tr
from ..review import FLAGS, IndicatorReview, Review
from ..score.results import loss_method
from ..types import plain
from .table import render_table, shortened
from .todoout import with_seq

#: The definitions listed under the table (catalogue entries "review.def.<key>"), in their order.
DEFINITIONS = (
    "units",
    "units-lost",
    "spread",
    "files",
    "pages",
    "per-point",
    "rank-changes",
    *FLAGS,
    "review",
    "appeals",
)


def _worded_by(pid: str, rows: list[IndicatorReview]) -> str:
    """`pid` as `rows` lose points (:func:`..score.results.loss_method`): 扣分 where they are 扣分制, pid
    + ".earned" (未得分) where 得分制 (辽阳 第十条, 第十二条: nothing is deducted there), ".mixed" (失分)
    where both."""
    method = loss_method(rows)
    return pid if method == "deduction" else f"{pid}.{method}"


def wording_ids(review: Review) -> dict[str, str]:
    """The catalogue id of each definition ("review.def.<key>") and of the 复核 column ("col.review")
    that speaks of deductions, worded by the indicators it counts: those with finding lines since the
    revision compared with, and those appealed."""
    reviewed = [i for i in review.indicators if i.review is not None and (i.review.deductions or i.review.added)]
    appealed = [i for i in review.indicators if i.appeals.appealed]
    ids = {key: f"review.def.{key}" for key in DEFINITIONS}
    ids["review"] = _worded_by("review.def.review", reviewed)
    ids["appeals"] = _worded_by("review.def.appeals", appealed)
    ids["mostly_overturned"] = _worded_by("review.def.mostly_overturned", reviewed + appealed)
    ids["col.review"] = _worded_by("review.col.review", reviewed)
    return ids


def phrase(pid: str, **values: Any) -> str:
    """The catalogue's wording of `pid` ("review.…") in the language of the moment."""
    return tr(pid, **values)


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
    title = shortened(i.title, TITLE_WIDTH) if short else i.title
    return phrase(with_seq("review.indicator", i.seq), category=i.category_title, seq=i.seq, title=title)


def _flags(i: IndicatorReview | None) -> str:
    if i is None:
        return phrase("review.none")
    return tr("value.list-separator").join(phrase(f"review.flag.{f}") for f in i.flags) or phrase("review.none")


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
    ids = wording_ids(review)
    rows = [[phrase(ids.get(f"col.{c}", f"review.col.{c}")) for c in cols]]
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
            moves = tr("value.clause-separator").join(
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
    out += ["  " + phrase(ids[k]) for k in keys]
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
        "definitions": {k: phrase(wording_ids(review)[k]) for k in DEFINITIONS},
        "indicators": indicators,
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
