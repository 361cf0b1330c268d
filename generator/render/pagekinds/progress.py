"""进度: the year board (units × months) and a progress page per unit, for drafts only.

A draft is built while units still file evidence: the board shows, as of the build date, what each
unit has filed, what is due, overdue or missing, and the points at stake (:mod:`generator.todo`,
the same model `kaohe todo` prints). A final year's results are all there is to say: it has no
progress pages (:attr:`..pages.Site.board` is None).

The build date is reproducible: the built commit's date, else ``SOURCE_DATE_EPOCH`` (builds pin
it), and only for a live preview without either, today; held inside the assessment year.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...controlchars import isolate
from ...score.results import loss_method
from ...todo import MISSING, STATUSES, IndicatorProgress, Requirement, UnitProgress
from .. import urls
from .base import NavEntry, PageKind

if TYPE_CHECKING:
    from ...provenance import Provenance
    from ..pages import PageContext, Site

#: What each status looks like without colour: a symbol beside its word, in cells, badges and the legend.
SYMBOLS = {"missing": "×", "overdue": "!", "below": "▽", "due_soon": "△", "not_due": "○", "met": "√"}


def build_date(provenance: Provenance, environ: Mapping[str, str] = os.environ, today: date | None = None) -> date:
    """The day a build is as of: the commit's own date (as the page's 提交日期 shows it), else
    SOURCE_DATE_EPOCH's day (UTC), else `today` — a preview of the working tree, not a build."""
    if provenance.commit_date:
        try:
            return date.fromisoformat(provenance.commit_date[:10])
        except ValueError:
            pass
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return today or date.today()


@dataclass(frozen=True)
class Cell:
    """The requirements of one unit due in one month (None: due all year), counted by status."""

    month: int | None
    counts: list[tuple[str, int]]  # (status, how many), most urgent first

    @property
    def status(self) -> str:
        """The most urgent status in the cell: what colours it."""
        return self.counts[0][0]

    @property
    def code(self) -> str:
        """The counts as a machine-readable attribute, e.g. "overdue:1 met:2" (tests and scripts read it)."""
        return " ".join(f"{status}:{n}" for status, n in self.counts)


def months(units: list[UnitProgress]) -> list[int | None]:
    """The board's columns: every month something falls due in, in order; "all year" (None) last."""
    found = {ind.month for unit in units for ind in unit.indicators if ind.requirements}
    return sorted(m for m in found if m is not None) + ([None] if None in found else [])


def cells(unit: UnitProgress) -> dict[int | None, Cell]:
    """The unit's row of the board: per month, its requirements counted by status."""
    by_month: dict[int | None, Counter[str]] = {}
    for ind, req in unit.requirements():
        by_month.setdefault(ind.month, Counter())[req.status] += 1
    return {
        month: Cell(month, [(s, counted[s]) for s in STATUSES if counted[s]]) for month, counted in by_month.items()
    }


def ordered(unit: UnitProgress) -> list[tuple[str, list[tuple[IndicatorProgress, Requirement]]]]:
    """The unit's requirements by status, most urgent first; within one, by due date, then framework order."""
    last = date.max
    groups = []
    for status in STATUSES:
        found = [(ind, req) for ind, req in unit.requirements() if req.status == status]
        if found:
            groups.append((status, sorted(found, key=lambda pair: pair[0].due or last)))  # stable: framework order
    return groups


def as_of_note(site: Site) -> str:
    """Why the board is not as of the build date itself: the date lies outside the assessment year."""
    board = site.board
    if board is None or site.built is None or site.built == board.as_of:
        return ""
    key = "progress.as_of.after_year" if site.built > board.as_of else "progress.as_of.before_year"
    return site.t[key].format(built=site.built.isoformat())


def month_label(t: dict[str, str], month: int | None) -> str:
    return t["progress.all_year"] if month is None else t["progress.month"].format(month=month)


def due_text(t: dict[str, str], ind: IndicatorProgress) -> str:
    """ "9月30日，还有12天": the due day and how far it is from the as-of date; "全年" without a month."""
    if ind.due is None or ind.days_left is None:
        return t["progress.all_year"]
    day = t["progress.due.date"].format(month=ind.due.month, day=ind.due.day)
    if ind.days_left > 0:
        left = t["progress.due.left"].format(days=ind.days_left)
    elif ind.days_left == 0:
        left = t["progress.due.today"]
    else:
        left = t["progress.due.past"].format(days=-ind.days_left)
    return t["progress.join"].join((day, left))


def cell_title(t: dict[str, str], cell: Cell) -> str:
    """The cell in words, for a reader who sees neither its colour nor its symbols: "9月：已逾期1项，已满足2项"."""
    words = [t["progress.cell.count"].format(status=t[f"progress.status.{s}"], n=n) for s, n in cell.counts]
    counts = t["progress.join"].join(words)
    return t["progress.cell"].format(month=month_label(t, cell.month), counts=counts)


def bounded(ind: IndicatorProgress) -> bool:
    """Whether the indicator's floor (扣完为止) or a veto takes less than its requirements add up to."""
    return not ind.vetoed and ind.at_stake < sum((r.at_stake for r in ind.requirements), Decimal(0))


def loss_key(key: str, indicators: Iterable[IndicatorProgress]) -> str:
    """`key` (可能扣分, 逾期扣分) in the shown rows' own terms, by :func:`...score.results.loss_method`:
    "<key>.earned" (可能未得分) where all are 得分制 (辽阳 第十条, 第十二条: a missing filing is not earned,
    nothing is deducted), "<key>.mixed" (可能失分) where both kinds are shown, `key` where all deduct."""
    method = loss_method(indicators)
    return key if method == "deduction" else f"{key}.{method}"


def _helpers(page: PageContext) -> dict[str, Any]:
    t = page.site.t
    return {
        "symbols": SYMBOLS,
        "missing": MISSING,  # the statuses whose points `kaohe score --as-of` deducts that day
        "as_of_note": as_of_note(page.site),
        "month_label": lambda month: month_label(t, month),
        "due_text": lambda ind: due_text(t, ind),
        "cell_title": lambda cell: cell_title(t, cell),
        "bounded": bounded,
        "loss_key": lambda key, pairs: loss_key(key, (ind for ind, _ in pairs)),
    }


def _board_pages(site: Site) -> list[tuple[str, str]]:
    return [("", site.t["progress.board"])] if site.shows_progress else []


def _unit_pages(site: Site) -> list[tuple[str, str]]:
    """A page per unit of the board (every unit, in units.toml's order), listed without building the board."""
    if not site.shows_progress:
        return []
    # the name isolated on its own: isolating the whole title would draw 工作进度 before a right-to-left name
    return [(u.id, site.t.format("progress.unit", unit=isolate(u.name))) for u in site.a.units]


def _board_values(page: PageContext, key: str) -> dict[str, Any]:
    board = page.site.board
    assert board is not None
    series = {s.id: s.title for s in page.site.framework.series}
    groups: dict[str, list[UnitProgress]] = {}
    for unit in board.units:
        groups.setdefault(unit.series, []).append(unit)
    order = {s: n for n, s in enumerate(series)}
    return {
        **_helpers(page),
        "board": board,
        "months": months(board.units),
        "groups": [(series.get(s, s), groups[s]) for s in sorted(groups, key=lambda s: order.get(s, len(order)))],
        "cells": {unit.id: cells(unit) for unit in board.units},
        "deducted": loss_key("progress.deducted", (ind for unit in board.units for ind, _ in unit.requirements())),
    }


def _unit_values(page: PageContext, key: str) -> dict[str, Any]:
    board = page.site.board
    assert board is not None
    unit = next(u for u in board.units if u.id == key)
    return {**_helpers(page), "board": board, "unit": unit, "groups": ordered(unit)}


BOARD = PageKind(
    "board",
    "board.html",
    path=lambda key, year: urls.board(),
    pages=_board_pages,
    values=_board_values,
    nav=NavEntry(15),
)

UNIT = PageKind(
    "progress",
    "progress.html",
    path=lambda key, year: urls.progress(key),
    pages=_unit_pages,
    values=_unit_values,
)
