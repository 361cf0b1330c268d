"""Render a score diff: markdown for a pull-request comment, or JSON for scripts.

Markdown is what reviewers read in the merge request: per unit the old and new total and rank,
then every deduction added, removed or changed with its amount, reason, rule, evidence and the
line it comes from, and last the files that changed nothing (so nobody wonders whether they were
counted).

Every value from the repository or the command line (unit names, titles, reasons, file names,
revision names) goes through :func:`.escape.md` or :func:`.escape.md_code`: in the comment it is
text, never a heading, an image, raw HTML, a mention or a reference. Table rows are written by
:func:`_row` only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..diff import FileChange, IndicatorChange, LineChange, UnitChange, YearDiff
from ..messages import tr
from ..score.results import Line, UnitResult, loss_method, status_label
from ..source import Source
from ..sourceurl import expand
from .escape import md, md_code
from .jsonout import dec, line_json
from .mdfit import fit

#: Files listed in the "no effect" section before the rest is only counted (comments have size limits).
MAX_FILES = 200
#: Longer lists are folded into a <details> block.
FOLD_FILES = 10
#: The label of the working tree as a revision: what the JSON says ("rev"), whatever the language.
WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Revision:
    """One side of the comparison, as the reader should see it named and linked."""

    label: str  # what the user typed (a branch, tag, commit) or WORKING_TREE
    commit: str | None  # full commit id; None for the working tree

    @property
    def short(self) -> str:
        if self.commit is None and self.label == WORKING_TREE:
            return md(tr("diff.working-tree"))
        label = md_code(self.label)
        return f"{label} ({md(self.commit[:10])})" if self.commit else label


@dataclass(frozen=True)
class Links:
    """Turns a file, or a line of it, into a link on the git server, when a URL template is known."""

    template: str | None  # e.g. https://git.example/org/repo/-/blob/{commit}/{path}#L{line}, checked

    def link(self, path: str, commit: str | None, line: int | None = None) -> str:
        text = md_code(path if line is None else str(Source(path, line)))
        if not self.template or not commit:
            return text
        return f"[{text}]({expand(self.template, commit, path, line or 1)})"


def signed(value: Decimal) -> str:
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + (dec(abs(value)) or "0")


def _row(*cells: str) -> str:
    """A table row of cells already escaped (no "|" or line break can be left in them)."""
    return "| " + " | ".join(cells) + " |"


def _status(status: str | None) -> str:
    return status_label(status) if status else tr("value.none")


def _opt(value: Decimal | None) -> str:
    return tr("value.none") if value is None else (dec(value) or "0")


def _change(change: str) -> str:
    """新增, 不再计, 变更: what happened to a line (not 撤销, an appeal's decision)."""
    return tr(f"diff.change.{change}")


def _file_change(change: str) -> str:
    """新增, 删除, 修改: what happened to a file."""
    return tr(f"diff.file-change.{change}")


# -- markdown -----------------------------------------------------------------------------------


def markdown(diffs: list[YearDiff], base: Revision, head: Revision, links: Links, limit: int | None = None) -> str:
    """The comment; past `limit` characters (servers cap comments, GitHub at 65536) the per-unit
    deduction tables are left out and the reader is sent to the full output. What is still too
    long (a unit name of 100,000 characters, thousands of changed units) is cut there, and the
    comment says so: a pull request never makes it longer than `limit`."""
    text = _markdown(diffs, base, head, links, detail=True)
    if limit is None or len(text) <= limit:
        return text
    return fit(_markdown(diffs, base, head, links, detail=False), limit, tr("diff.cut", limit=limit))


def _markdown(diffs: list[YearDiff], base: Revision, head: Revision, links: Links, detail: bool) -> str:
    out = ["## " + tr("diff.title", base=base.short, head=head.short), ""]
    changed = [d for d in diffs if d.changed]
    if not changed:
        out.append(tr("diff.no-change"))
        return "\n".join(out) + "\n"
    if not detail:
        out += ["> " + tr("diff.too-long"), ""]
    for d in changed:
        out.extend(_year(d, base, head, links, detail))
    return "\n".join(out).rstrip("\n") + "\n"


def _year(d: YearDiff, base: Revision, head: Revision, links: Links, detail: bool = True) -> list[str]:
    title = (d.new or d.old).framework_title  # type: ignore[union-attr]
    heading = md(title) if str(d.year) in title else tr("diff.year-heading", year=d.year, title=md(title))
    out = [f"### {heading}", ""]
    if d.units:
        out += [
            _row(*(md(tr(f"diff.col.{c}")) for c in ("unit", "series", "total", "change", "rank"))),
            "|---|---|---:|---:|---|",
        ]
        for u in d.units:
            old_rank, new_rank = _rank(u.old), _rank(u.new)
            rank = new_rank if old_rank == new_rank else f"{old_rank} → **{new_rank}**"
            totals = f"{_opt(u.old_total)} → {_opt(u.new_total)}"
            series = md(d.names.series.get(u.series, u.series))
            out.append(_row(md(u.name), series, totals, signed(u.delta), rank))
        out.append("")
        for u in d.units if detail else []:
            out.extend(_unit(u, d, base, head, links))
    else:
        out += [tr("diff.units-unchanged"), ""]
    if d.setup:
        out += ["#### " + tr("diff.setup"), "", tr("diff.setup.note"), ""]
        out += [f"- {_file_change(f.change)} {md_code(f.path)}" for f in d.setup]
        out.append("")
    quiet = d.no_effect
    if quiet:
        out += ["#### " + tr("diff.no-effect"), "", tr("diff.no-effect.note"), ""]
        shown = [_file(f, d) for f in quiet[:MAX_FILES]]
        if len(quiet) > MAX_FILES:
            shown.append("- " + tr("diff.more-files", more=len(quiet) - MAX_FILES))
        if len(quiet) > FOLD_FILES:  # a long list folds away, so the score changes stay on screen
            summary = md(tr("diff.files", count=len(quiet)))
            out += [f"<details><summary>{summary}</summary>", "", *shown, "", "</details>"]
        else:
            out += shown
        out.append("")
    return out


def _rank(u: UnitResult | None) -> str:
    """A place as the site prints it: "3", and "3（并列）" when shared."""
    if u is None:
        return tr("value.none")
    return tr("diff.rank-tied", rank=u.rank) if u.tied else str(u.rank)


def _unit(u: UnitChange, d: YearDiff, base: Revision, head: Revision, links: Links) -> list[str]:
    """A unit's heading and its changed rows; nothing for a unit whose only change is its rank (the
    table above shows it)."""
    name = md(u.name)
    if u.old is None:
        head_line = tr("diff.unit-added", name=name, total=_opt(u.new_total))
    elif u.new is None:
        head_line = tr("diff.unit-removed", name=name, total=_opt(u.old_total))
    elif not u.indicators:
        return []
    else:
        head_line = tr(
            "diff.unit-changed", name=name, old=_opt(u.old_total), new=_opt(u.new_total), delta=signed(u.delta)
        )
    out = ["#### " + head_line, ""]
    if not u.indicators:
        return out
    columns = ("indicator", "score", "change", _amount_column(u.indicators), "rule", "reason", "evidence", "source")
    out += [_row(*(md(tr(f"diff.col.{c}")) for c in columns)), "|---|---:|---|---:|---|---|---|---|"]
    for ind in u.indicators:
        out.extend(_indicator(ind, d, base, head, links))
    out.append("")
    return out


def _amount_column(indicators: list[IndicatorChange]) -> str:
    """The amount column's key, by the rows whose lines it lists (:func:`..score.results.loss_method`,
    on both sides, as a row may change its method): 扣分 where all deduct, 未得分 where all are 得分制
    (辽阳 第十条, 第十二条: nothing is deducted there, it is not earned), 失分 where both are listed;
    加分 where only 加分 rows are listed, and 扣分/加分 (未得分/加分, 失分/加分) where they are among others."""
    rows = [r for ind in indicators if ind.lines for r in (ind.old, ind.new) if r is not None]
    bonus = any(r.method == "bonus" for r in rows)  # 加分 lines add: the column says so beside what is lost
    if bonus and all(r.method == "bonus" for r in rows):
        return "amount.bonus"
    method = loss_method(rows)
    key = "amount" if method == "deduction" else f"amount.{method}"
    return f"{key}.with-bonus" if bonus else key


def _indicator(ind: IndicatorChange, d: YearDiff, base: Revision, head: Revision, links: Links) -> list[str]:
    score = f"{_opt(ind.old_score if ind.old else None)} → {_opt(ind.new_score if ind.new else None)}"
    old_status = ind.old.status if ind.old else None
    new_status = ind.new.status if ind.new else None
    if old_status != new_status:
        score += tr("diff.status-change", old=_status(old_status), new=_status(new_status))
    label = md(d.names.indicator(ind.id, ind.title))
    if not ind.lines:
        return [_row(label, score, *[""] * 6)]
    rows = []
    for n, c in enumerate(ind.lines):
        first = (label, score) if n == 0 else ("", "")
        rows.append(_row(*first, *_line_cells(c, ind, d, base, head, links)))
    return rows


def _line_cells(
    c: LineChange, ind: IndicatorChange, d: YearDiff, base: Revision, head: Revision, links: Links
) -> tuple[str, ...]:
    line: Line = c.new or c.old  # type: ignore[assignment]
    commit = head.commit if c.new is not None else base.commit
    row = ind.new or ind.old
    # 此项不得分 in a 加分 row adds nothing and takes nothing: its amount is the ceiling it withheld
    withheld = line.kind == "veto" and row is not None and row.method == "bonus"
    if c.change == "changed" and c.old is not None and c.new is not None and not withheld:
        amount = f"{dec(c.old.amount)} → {dec(c.new.amount)}"
        reason = md(c.new.reason) if c.old.reason == c.new.reason else f"~~{md(c.old.reason)}~~ {md(c.new.reason)}"
    else:
        amount = tr("site.digest.not_added") if withheld else dec(line.amount) or "0"
        reason = md(line.reason)
        if c.change == "removed":
            amount, reason = f"~~{amount}~~", f"~~{reason}~~"
    evidence = "<br>".join(links.link(p, commit) for p in line.evidence) or tr("value.none")
    source = links.link(line.source.path, commit, line.source.line) if line.source.path else tr("value.none")
    return _change(c.change), amount, md(d.names.rule(ind.id, line.rule)), reason, evidence, source


def _file(f: FileChange, d: YearDiff) -> str:
    units = {u.id: u.name for r in (d.old, d.new) if r is not None for u in r.units}
    about = tr("value.clause-separator").join(
        f"{md(units.get(u, u))} / {md(d.names.sections.get(i, i))}" for u, i in f.subjects
    )
    return "- " + tr(
        "diff.file", change=_file_change(f.change), path=md_code(f.path), about=about or tr("diff.file.unused")
    )


# -- JSON ---------------------------------------------------------------------------------------


def _line_change_json(c: LineChange) -> dict[str, Any]:
    return {
        "change": c.change,
        "rule": c.rule,
        "subject": c.subject,
        "delta": dec(c.delta),
        "old": line_json(c.old) if c.old else None,
        "new": line_json(c.new) if c.new else None,
    }


def _unit_json(u: UnitChange) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "series": u.series,
        "old_total": dec(u.old_total),
        "new_total": dec(u.new_total),
        "delta": dec(u.delta),
        "old_rank": u.old.rank if u.old else None,
        "new_rank": u.new.rank if u.new else None,
        "indicators": [
            {
                "id": i.id,
                "title": i.title,
                "old_score": dec(i.old.score) if i.old else None,
                "new_score": dec(i.new.score) if i.new else None,
                "old_status": i.old.status if i.old else None,
                "new_status": i.new.status if i.new else None,
                "lines": [_line_change_json(c) for c in i.lines],
            }
            for i in u.indicators
        ],
    }


def to_json(diffs: list[YearDiff], base: Revision, head: Revision) -> str:
    data = {
        "base": {"rev": base.label, "commit": base.commit},
        "head": {"rev": head.label, "commit": head.commit},
        "years": [
            {
                "year": d.year,
                "units": [_unit_json(u) for u in d.units],
                "files": [
                    {
                        "path": f.path,
                        "change": f.change,
                        "effect": f.effect,
                        "subjects": [{"unit": u, "indicator": i} for u, i in f.subjects],
                    }
                    for f in d.files
                ],
            }
            for d in diffs
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: The grading settings `framework_changes` reports, as the comment words them.
_SETTING_WORDS = {
    "grade": "diff.setting.grade",
    "tie_break": "diff.setting.tie-break",
    "rank_by": "diff.setting.rank-by",
    "appeal_kind": "diff.setting.appeal-kind",
}


def rule_changes_intro(
    year: int, against: int, revision: Revision, changed: dict[str, list[str]], worded: dict[str, str]
) -> str:
    """What `kaohe diff --against-year` compares, and which parts of the rules differ: indicators as
    the document names them (`worded`: id → 党风廉政建设工作第8项) and settings in words, for the
    reviewers who read the comment; the ids stay in the JSON."""

    def ids(key: str) -> str:
        if key == "settings":
            words = [tr(_SETTING_WORDS[k]) if k in _SETTING_WORDS else k for k in changed[key]]
        else:
            words = [worded.get(i, i) for i in changed[key]]
        return tr("value.list-separator").join(md(w) for w in words) or tr("diff.rules.none")

    lines = [
        "> " + tr("diff.rules.intro", year=year, against=against, revision=revision.short),
        "> "
        + tr(
            "diff.rules.changed",
            changed=ids("changed"),
            added=ids("added"),
            removed=ids("removed"),
            settings=ids("settings"),
        ),
        "",
        "",
    ]
    return "\n".join(lines)
