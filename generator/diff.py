"""What a change to the repository does to the scores: two `Results` in, the differences out.

Reviewers debate deductions, so deductions are matched across revisions by what they are about
— (unit, indicator, rule, finding or missing item) — never by their position in a list: moving
a finding within its file, or adding an unrelated one above it, changes nothing here. Rendering
(markdown for a pull-request comment, JSON) lives in :mod:`generator.output.diffout`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .messages import tr
from .score.results import IndicatorResult, Line, Results, UnitResult

if TYPE_CHECKING:
    from .model import Framework

ZERO = Decimal(0)


@dataclass
class LineChange:
    """One deduction (or award, cap, mitigation, veto line) added, removed or changed."""

    change: str  # added | removed | changed
    rule: str
    subject: str  # the finding id, the missing item, or "" for a rule's own line
    old: Line | None
    new: Line | None

    @property
    def delta(self) -> Decimal:
        """Change in the amount taken off (positive: more deducted)."""
        return (self.new.amount if self.new else ZERO) - (self.old.amount if self.old else ZERO)


@dataclass
class IndicatorChange:
    id: str
    title: str
    old: IndicatorResult | None
    new: IndicatorResult | None
    lines: list[LineChange] = field(default_factory=list)

    @property
    def old_score(self) -> Decimal:
        return self.old.score if self.old else ZERO

    @property
    def new_score(self) -> Decimal:
        return self.new.score if self.new else ZERO


@dataclass
class UnitChange:
    id: str
    name: str
    series: str
    old: UnitResult | None  # None: the unit is new in this revision
    new: UnitResult | None  # None: the unit was removed
    indicators: list[IndicatorChange] = field(default_factory=list)

    @property
    def old_total(self) -> Decimal | None:
        return self.old.total if self.old else None

    @property
    def new_total(self) -> Decimal | None:
        return self.new.total if self.new else None

    @property
    def delta(self) -> Decimal:
        return (self.new.total if self.new else ZERO) - (self.old.total if self.old else ZERO)

    @property
    def rank_changed(self) -> bool:
        return (self.old.rank if self.old else None) != (self.new.rank if self.new else None)

    @property
    def changed(self) -> bool:
        return (
            bool(self.indicators)
            or self.rank_changed
            or self.old is None
            or self.new is None
            or self.delta != 0
            or self.old.max != self.new.max
        )


@dataclass
class FileChange:
    """An evidence or findings file added, removed or modified, and whether it moved any score."""

    path: str
    change: str  # added | removed | modified
    subjects: list[tuple[str, str]] = field(default_factory=list)  # (unit, indicator) it concerns
    effect: bool = False


#: The engine's own lines (a cap, 扣完为止), where no framework rule stands behind them: each is
#: named by the catalogue entry "score.engine-rule.<rule>".
ENGINE_RULES = ("cap", "floor")


@dataclass
class Names:
    """What reviewers call what the results name by id: rules by their wording, series by title,
    indicators by where the document prints them ("三、4")."""

    rules: dict[tuple[str, str], str] = field(default_factory=dict)  # (indicator, rule id) → wording
    series: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, *frameworks: Any) -> Names:
        """Names from the frameworks of both sides (the newer one wins where both name a thing)."""
        from .render.pages import cn_ordinal, section_label

        names = cls()
        for fw in frameworks:
            if fw is None:
                continue
            names.series.update({s.id: s.title for s in fw.series})
            for n, cat in enumerate(fw.categories, 1):
                for ind in cat.indicators:
                    names.sections[ind.id] = section_label(cn_ordinal(n), ind.seq)
                    for rule in ind.rule:
                        names.rules[(ind.id, rule.id)] = _short(rule.text or rule.label or "")
        return names

    def rule(self, indicator: str, rule: str) -> str:
        engine = tr(f"score.engine-rule.{rule}") if rule in ENGINE_RULES else None
        return self.rules.get((indicator, rule)) or engine or rule

    def indicator(self, indicator: str, title: str) -> str:
        section = self.sections.get(indicator)
        return f"{section} {title}" if section else title


def _short(text: str, most: int = 40) -> str:
    first = " ".join(text.split())
    return first if len(first) <= most else first[: most - 1] + "…"


@dataclass
class YearDiff:
    year: int
    old: Results | None
    new: Results | None
    units: list[UnitChange]
    files: list[FileChange]
    #: Framework files and the year's units.toml added, removed or modified: they move every score.
    setup: list[FileChange] = field(default_factory=list)
    names: Names = field(default_factory=Names)

    @property
    def changed(self) -> bool:
        return bool(self.units) or bool(self.files) or bool(self.setup)

    @property
    def no_effect(self) -> list[FileChange]:
        return [f for f in self.files if not f.effect]


def line_key(line: Line) -> tuple[str, str, str]:
    """What a line is about: its rule, its kind, and the finding or required item behind it.

    An item is known by its key, never by its name: a name corrected in the framework is the same
    deduction with a new reason (changed), not one removed and another added. A rule's other
    lines (a count's, a threshold's) are one per rule, whatever the rule is called.
    """
    return line.rule, line.kind, line.finding or line.item or ""


def _subject(line: Line) -> str:
    """What the comparison names a line by: its finding, or the name of the item it misses."""
    return line.finding or line.missing or ""


def _same(a: Line, b: Line) -> bool:
    """Equal for a reviewer: same amount, reason and kind. Which files a line cites may change (a
    renamed file, one more record that still falls short) without the deduction changing."""
    return (a.amount, a.reason, a.kind) == (b.amount, b.reason, b.kind)


def _lines(r: IndicatorResult | None) -> list[Line]:
    return r.lines if r is not None else []


def compare_lines(old: list[Line], new: list[Line]) -> list[LineChange]:
    """Pair lines by key; several lines with one key pair by the evidence they cite, then in order."""
    old_by: dict[tuple[str, str, str], list[Line]] = defaultdict(list)
    new_by: dict[tuple[str, str, str], list[Line]] = defaultdict(list)
    for line in old:
        old_by[line_key(line)].append(line)
    for line in new:
        new_by[line_key(line)].append(line)
    changes: list[LineChange] = []
    for key in list(dict.fromkeys([*old_by, *new_by])):
        for a, b in _pair(old_by.get(key, []), new_by.get(key, [])):
            if a is None and b is not None:
                changes.append(LineChange("added", key[0], _subject(b), None, b))
            elif b is None and a is not None:
                changes.append(LineChange("removed", key[0], _subject(a), a, None))
            elif a is not None and b is not None and not _same(a, b):
                changes.append(LineChange("changed", key[0], _subject(b), a, b))
    return changes


def _pair(before: list[Line], after: list[Line]) -> list[tuple[Line | None, Line | None]]:
    """Pair lines of one key: first those citing the same evidence (one per late file, say), then in order."""
    pairs: list[tuple[Line | None, Line | None]] = []
    rest_after = list(after)
    rest_before = []
    for a in before:
        match = next((b for b in rest_after if sorted(b.evidence) == sorted(a.evidence)), None)
        if match is not None:
            rest_after.remove(match)
            pairs.append((a, match))
        else:
            rest_before.append(a)
    for n in range(max(len(rest_before), len(rest_after))):
        pairs.append((rest_before[n] if n < len(rest_before) else None, rest_after[n] if n < len(rest_after) else None))
    return pairs


def compare_indicators(old: UnitResult | None, new: UnitResult | None) -> list[IndicatorChange]:
    old_by = {i.id: i for i in old.indicators} if old else {}
    new_by = {i.id: i for i in new.indicators} if new else {}
    out = []
    for ind_id in dict.fromkeys([*new_by, *old_by]):
        a, b = old_by.get(ind_id), new_by.get(ind_id)
        lines = compare_lines(_lines(a), _lines(b))
        moved = (a.score, a.max, a.status) != (b.score, b.max, b.status) if a and b else True
        if lines or moved:
            title = (b or a).title  # type: ignore[union-attr]
            out.append(IndicatorChange(ind_id, title, a, b, lines))
    return out


def compare_results(old: Results | None, new: Results | None, files: list[FileChange] | None = None) -> YearDiff:
    """The differences between two scorings of one year (either may be absent)."""
    year = (new or old).year  # type: ignore[union-attr]
    old_units = {u.id: u for u in old.units} if old else {}
    new_units = {u.id: u for u in new.units} if new else {}
    units = []
    for unit_id in dict.fromkeys([*new_units, *old_units]):  # the new ranking's order first
        a, b = old_units.get(unit_id), new_units.get(unit_id)
        ref = b or a
        assert ref is not None
        change = UnitChange(unit_id, ref.name, ref.series, a, b, compare_indicators(a, b))
        if change.changed:
            units.append(change)
    touched = {(u.id, i.id) for u in units for i in u.indicators}
    for f in files or []:
        f.subjects = sorted(set(f.subjects) | _subjects(f.path, old) | _subjects(f.path, new))
        f.effect = any(s in touched for s in f.subjects) or _referenced(f.path, units)
    return YearDiff(year, old, new, units, list(files or []))


def _subjects(path: str, results: Results | None) -> set[tuple[str, str]]:
    """(unit, indicator) pairs whose score reads the file, as evidence or as a finding's source."""
    found: set[tuple[str, str]] = set()
    if results is None:
        return found
    for u in results.units:
        for i in u.indicators:
            if path in i.evidence or any(line.source.path == path for line in _lines(i)):
                found.add((u.id, i.id))
    return found


def _referenced(path: str, units: list[UnitChange]) -> bool:
    for u in units:
        for i in u.indicators:
            for c in i.lines:
                for line in (c.old, c.new):
                    if line is not None and (path in line.evidence or line.source.path == path):
                        return True
    return False


def framework_changes(old: Framework, new: Framework) -> dict[str, list[str]]:
    """Indicator ids whose scoring (points, month, rules and their parameters, applicability…) differs
    between two frameworks, and those only one of them has; and which grading settings differ. Words
    (titles, a rule's text) are left out: a reworded rule that scores alike is no rule change."""
    wording = {"title", "target", "standard", "principle", "note", "interpreted"}  # words, not rules
    exclude: dict[str, Any] = {**dict.fromkeys(wording, True), "rule": {"__all__": {"text", "label", "interpreted"}}}
    before = {i.id: i.model_dump(exclude=exclude) for i in old.indicators()}
    after = {i.id: i.model_dump(exclude=exclude) for i in new.indicators()}
    grading = ("grade", "tie_break", "rank_by", "appeal_kind")
    return {
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "settings": [k for k in grading if old.model_dump(include={k}) != new.model_dump(include={k})],
    }
