"""`kaohe todo` output: the progress board as Chinese text, JSON for dashboards, iCalendar for reminder bots.

Every phrase a person reads is a catalogue entry with a stable id ("todo.…", see
:mod:`generator.messages`); ids, keys and paths appear only as a trailing reference in 〔 〕 in the text, and
in the calendar only in properties a calendar does not show (UID, X-KAOHE-REF). Values from the
repository are made printable (:func:`~generator.controlchars.one_line`) in the text, and escaped as
iCalendar asks in the calendar; JSON escapes by itself.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ..controlchars import one_line
from ..messages import tr
from ..todo import STATUSES, Board, Filed, IndicatorProgress, Requirement, UnitProgress
from ..types import plain
from . import ics


def phrase(key: str, **values: Any) -> str:
    """The catalogue's wording of `key` ("todo.…") in the language of the moment."""
    return tr(key, **values)


def with_seq(key: str, seq: str) -> str:
    """The wording of `key` that names the row's 序号, or the one without it where the document prints
    none (表九 of the 2010 rules): never "第项"."""
    return key if str(seq).strip() else f"{key}.no-seq"


def status_label(status: str) -> str:
    return phrase(f"todo.status.{status}")


def _ref(*parts: str) -> str:
    return "〔" + " · ".join(one_line(p) for p in parts if p) + "〕"


# --- text -----------------------------------------------------------------------------------------


def as_of_line(board: Board) -> str:
    days = board.soon_days
    if board.today is None:
        return phrase("todo.as-of", as_of=board.as_of, days=days)
    if board.today > board.as_of:
        return phrase("todo.as-of.after-year", today=board.today, year=board.year, as_of=board.as_of, days=days)
    if board.today < board.as_of:
        return phrase("todo.as-of.before-year", today=board.today, year=board.year, as_of=board.as_of, days=days)
    return phrase("todo.as-of.today", as_of=board.as_of, days=days)


def due_text(ind: IndicatorProgress) -> str:
    if ind.due is None or ind.days_left is None:
        text = phrase("todo.due.none")
    elif ind.days_left > 0:
        text = phrase("todo.due", due=ind.due, days=ind.days_left)
    elif ind.days_left == 0:
        text = phrase("todo.due.today", due=ind.due)
    else:
        text = phrase("todo.due.past", due=ind.due, days=-ind.days_left)
    if ind.due_interpreted:
        text += phrase("todo.due.interpreted", why=one_line(reason_body(ind.due_interpreted)))
    return text


def reason_body(reason: str) -> str:
    """An interpretation's reason without its lead, where it has one: "按年底计：细则未列完成月份，按年底
    （12月）考核" → "细则未列完成月份，按年底（12月）考核". The lead is the reason's tag (the site shows it where
    the value would be, see ``interp_tag``); beside the date it stands for, it only says it again."""
    head, colon, body = reason.partition("：")
    return body if colon and body and len(head) <= 8 else reason


def at_stake_text(req: Requirement, ind: IndicatorProgress) -> str:
    """What the requirement costs in the words `kaohe score` uses for its row: 失 in a 扣分 row, 未得 in
    a 得分制 one (method = "earned"), whose points are not earned rather than deducted."""
    if not req.at_stake:
        return phrase("todo.at-stake.none")
    key = "todo.at-stake.earned" if ind.method == "earned" else "todo.at-stake"
    return phrase(key, points=plain(req.at_stake))


def summary(unit: UnitProgress) -> str:
    parts = []
    for status in STATUSES:
        count = unit.count(status)
        if status == "met":
            parts.append(phrase("todo.summary.count", status=status_label(status), count=count))
        elif count:
            points = plain(unit.at_stake(status))
            parts.append(phrase("todo.summary.points", status=status_label(status), count=count, points=points))
    return tr("value.sentence-separator").join(parts)


def indicator_heading(ind: IndicatorProgress) -> str:
    return phrase(
        with_seq("todo.indicator", ind.seq),
        title=one_line(ind.title),
        category=one_line(ind.category_title),
        seq=ind.seq,
    )


def text(board: Board) -> str:
    out = [one_line(phrase("todo.title", title=board.framework_title)), as_of_line(board), ""]
    for unit in board.units:
        out.append(f"{one_line(unit.name)}  {_ref(unit.id)}")
        if not unit.indicators:
            out += ["  " + phrase("todo.no-requirements"), ""]
            continue
        out.append("  " + summary(unit))
        for status in STATUSES:
            groups = [(ind, [r for r in ind.requirements if r.status == status]) for ind in unit.indicators]
            groups = [(ind, reqs) for ind, reqs in groups if reqs]
            if not groups:
                continue
            out.append("  " + phrase("todo.group", status=status_label(status)))
            for ind, reqs in groups:
                out.append(f"    {indicator_heading(ind)}  {due_text(ind)}  {_ref(ind.id)}")
                for req in reqs:
                    out += _requirement_lines(req, ind)
                out += _indicator_notes(ind, status)
        out.append("")
    return "\n".join(out)


def filed_text(req: Requirement) -> str:
    """How much is filed: for a count, what its rule counts (已报 4 篇: the files' `count`s added up, in
    the rule's measure word, and 已满足 where that is enough); else the number of files (已报 2 件)."""
    if not req.filed:
        return phrase("todo.filed.none")
    if req.counted is None:
        return phrase("todo.filed", count=len(req.filed))
    counted = "todo.filed.counted.met" if req.status == "met" else "todo.filed.counted"
    return phrase(counted, count=req.counted, measure=one_line(req.measure))


def _requirement_lines(req: Requirement, ind: IndicatorProgress) -> list[str]:
    lines = [f"      {one_line(req.name)}  {at_stake_text(req, ind)}  {filed_text(req)}  {_ref(req.rule, req.key)}"]
    if req.detail and req.kind != "checklist":  # a checklist item's detail only repeats its name
        lines.append(f"        {one_line(req.detail)}")
    for f in req.filed:
        lines.append(f"        {_file_text(req, f)}  {_ref(f.path)}")
    return lines


def _file_text(req: Requirement, f: Filed) -> str:
    """A filed document; for a count, a file recording more than one says how many (2篇), so that the
    files add up to the figure counted."""
    title = one_line(f.title or f.path.rsplit("/", 1)[-1])
    if req.counted is not None and f.count > 1:
        return phrase("todo.filed.file.counted", date=f.date, title=title, count=f.count, measure=one_line(req.measure))
    return phrase("todo.filed.file", date=f.date, title=title)


def _indicator_notes(ind: IndicatorProgress, status: str) -> list[str]:
    """Under an indicator's unmet requirements: a veto, or a total the rules' own amounts overstate."""
    if status == "met":
        return []
    if ind.vetoed:
        return ["      " + phrase("todo.vetoed")]
    if ind.at_stake < sum((r.at_stake for r in ind.requirements), Decimal(0)):
        bounded = "todo.bounded.earned" if ind.method == "earned" else "todo.bounded"  # 未得, not 扣完为止
        return ["      " + phrase(bounded, points=plain(ind.at_stake))]
    return []


# --- JSON -----------------------------------------------------------------------------------------


def to_json(board: Board) -> str:
    doc = {
        "year": board.year,
        "framework": board.framework,
        "framework_title": board.framework_title,
        "as_of": board.as_of.isoformat(),
        "today": board.today.isoformat() if board.today else None,
        "soon_days": board.soon_days,
        "statuses": {s: status_label(s) for s in STATUSES},
        "units": [_unit_json(u) for u in board.units],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _unit_json(unit: UnitProgress) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "series": unit.series,
        "summary": {s: {"count": unit.count(s), "at_stake": plain(unit.at_stake(s))} for s in STATUSES},
        "indicators": [
            {
                "id": ind.id,
                "seq": ind.seq,
                "title": ind.title,
                "category": ind.category,
                "category_title": ind.category_title,
                "month": ind.month,
                "due": ind.due.isoformat() if ind.due else None,
                "days_left": ind.days_left,
                "due_interpreted": ind.due_interpreted,
                "period": ind.period,
                "at_stake": plain(ind.at_stake),
                "vetoed": ind.vetoed,
                "source": str(ind.source),
                "requirements": [
                    {
                        "key": r.key,
                        "name": r.name,
                        "rule": r.rule,
                        "kind": r.kind,
                        "status": r.status,
                        "at_stake": plain(r.at_stake),
                        "detail": r.detail,
                        "counted": r.counted,
                        "measure": r.measure or None,
                        "filed": [
                            {"path": f.path, "date": f.date.isoformat(), "title": f.title, "count": f.count}
                            for f in r.filed
                        ],
                    }
                    for r in ind.requirements
                ],
            }
            for ind in unit.indicators
        ],
    }


# --- iCalendar ------------------------------------------------------------------------------------

#: RFC 5545 STATUS of a to-do for each board status: only a met requirement is completed.
ICS_STATUS = {s: ("COMPLETED" if s == "met" else "NEEDS-ACTION") for s in STATUSES}


def uid(board: Board, unit: UnitProgress, ind: IndicatorProgress, req: Requirement) -> str:
    """Stable across runs and dates, unique across units, periods, years and frameworks: ids never hold
    "/". The period is the year (``2011``) or, where the table is assessed per quarter, the quarter
    (``2014-Q2``): the second quarter's 政务信息 is another to-do than the first's, not the first reopened."""
    return f"{ind.period}/{unit.id}/{ind.id}/{req.rule}/{req.key}@{board.framework}.kaohe"


def to_ics(board: Board) -> str:
    """One VTODO per requirement, due on its indicator's due date; a bot picks by STATUS and X-KAOHE-STATUS."""
    stamp = _date(board.as_of) + "T000000Z"
    todos = []
    for unit in board.units:
        for ind, req in unit.requirements():
            props = [
                ("UID", ics.text(uid(board, unit, ind, req))),
                ("DTSTAMP", stamp),
                ("SUMMARY", ics.text(_summary(unit, req))),
                ("DESCRIPTION", ics.text(*_description(ind, req))),
                ("STATUS", ICS_STATUS[req.status]),
                ("CATEGORIES", ics.text(status_label(req.status))),
                ("X-KAOHE-STATUS", ics.text(req.status)),
                ("X-KAOHE-AT-STAKE", ics.text(plain(req.at_stake))),
                ("X-KAOHE-REF", ics.text(ref(ind, req))),
            ]
            if ind.due is not None:
                props.insert(2, ("DUE;VALUE=DATE", _date(ind.due)))
            todos.append(("VTODO", props))
    return ics.calendar("-//kaohe//todo//ZH", todos)


def _summary(unit: UnitProgress, req: Requirement) -> str:
    return phrase("todo.ics.summary", unit=unit.name, requirement=req.name, status=status_label(req.status))


def _description(ind: IndicatorProgress, req: Requirement) -> list[str]:
    """What a clerk reads in the calendar, in words only: the indicator (its seq and title), the
    requirement and its status, the shortfall, the due date and the points at stake. Ids, keys and
    paths are for bots and developers: they stay in UID and X-KAOHE-REF, which a calendar does not show."""
    lines = [
        phrase(with_seq("todo.ics.indicator", ind.seq), title=ind.title, category=ind.category_title, seq=ind.seq),
        phrase("todo.ics.requirement", requirement=req.name, status=status_label(req.status)),
    ]
    if req.detail and req.kind != "checklist":  # a checklist item's detail only repeats its name
        lines.append(req.detail)
    lines += [due_text(ind), at_stake_text(req, ind)]
    if req.counted is not None and req.filed:  # the figure the text gives: 已报 3 篇, not just the files
        lines.append(filed_text(req))
    lines += [_filed_line(req, f) for f in req.filed] or [phrase("todo.filed.none")]
    if ind.vetoed:
        lines.append(phrase("todo.vetoed"))
    return lines


def _filed_line(req: Requirement, f: Filed) -> str:
    """A filed document by its date and title; one without a title by its date alone, not its path.
    For a count, a file recording more than one says how many (3次), as in the text, so that the files
    add up to the figure counted above them."""
    if req.counted is not None and f.count > 1:
        many = {"date": f.date, "count": f.count, "measure": req.measure}
        if f.title:
            return phrase("todo.filed.file.counted", title=f.title, **many)
        return phrase("todo.ics.filed.untitled.counted", **many)
    if f.title:
        return phrase("todo.filed.file", date=f.date, title=f.title)
    return phrase("todo.ics.filed.untitled", date=f.date)


def ref(ind: IndicatorProgress, req: Requirement) -> str:
    """X-KAOHE-REF: the indicator, rule and requirement key, for a bot that reports a to-do back to
    the developers (ids never hold "/", see :func:`uid`)."""
    return "/".join((ind.id, req.rule, req.key))


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")
