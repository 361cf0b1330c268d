"""The plain results model: what scoring produces and every output (JSON, table, site) reads.

It knows nothing of MkDocs or of the command line, so renderers can change without touching
scoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from ..messages import Message, tr
from ..period import Period
from ..source import Source
from ..types import round_to

#: The longest band note printed in brackets after a grade (拟定示例); a longer one is a sentence.
SHORT_BAND_NOTE = 8


@dataclass
class AppealRecord:
    """An appeal (复核/申诉) against a finding or a rule's lines, and its decision once made."""

    id: str
    kind: str  # 复核 / 申诉, as the framework's [[appeal_kind]] names it
    unit: str
    indicator: str
    target: str  # the finding id, or indicator/rule
    filed: date
    filed_by: str
    grounds: str
    evidence: list[str]
    source: Source  # the [[appeal]] table
    outcome: str | None = None  # 维持 / 变更 / 撤销; None while undecided
    amount: Decimal | None = None  # the new amount (变更)
    decided_by: str = ""
    decided: date | None = None
    reasoning: str = ""
    decide_by: date | None = None  # the decision's deadline, from the framework's settings
    #: The contested lines' amount before and after this decision (equal while undecided or upheld);
    #: None when nothing the appeal contests was scored (e.g. as of a date before the finding).
    before: Decimal | None = None
    after: Decimal | None = None

    @property
    def open(self) -> bool:
        return self.outcome is None


@dataclass
class Line:
    """One deduction (positive amount), correction (negative) or bonus award.

    Its reason is a catalogue message (an id and parameters: the rule's wording, a finding's own
    reason as a parameter), worded when read: in the terminal's language by the CLI, in the site's
    by the site. The JSON contract's `reason` is the worded string.
    """

    amount: Decimal
    message: Message
    rule: str
    source: Source  # the rule or finding that produced it
    evidence: list[str] = field(default_factory=list)
    kind: str = "deduction"  # deduction | mitigation | cap | floor | veto | award
    finding: str | None = None
    missing: str | None = None  # name of a required item that no evidence satisfies
    #: That item's key (a checklist's `items.key`): what the line is about whatever the item is
    #: called, so that `kaohe diff` pairs it across a renamed item (a corrected typo) as changed.
    item: str | None = None
    mitigates: str | None = None  # for a mitigation: the finding whose deduction it reduces
    #: Appeals against this line, in filing order; `original` is its amount before their decisions
    #: (None when no decision changed it). The finding itself is never edited.
    appeals: list[AppealRecord] = field(default_factory=list)
    original: Decimal | None = None
    #: In an annual result rolled up from periods: the period the line was found in, and the weight
    #: that period counts with (`amount` is the period's amount × `weight`).
    period: str | None = None
    weight: Decimal | None = None
    #: For a finding reported after its period's results were due (考核结果于考核结束的下月5日前报绩效办):
    #: that deadline. The assessing department was late; the unit loses nothing for it.
    late_assessment: date | None = None

    @property
    def reason(self) -> str:
        return self.message.text()


#: Every status an indicator result can have (the JSON contract's `status`); each is named by the
#: catalogue entry "status.<status>", the one name the outputs and the site read.
STATUSES = ("scored", "not_applicable", "not_due", "vetoed", "unscored")


#: How a line's effect is worded, by the row's method: 扣 in 扣分制, 未得 in 得分制, 加 in 加分.
EFFECT_WORDS = {"deduction": "deduct", "earned": "miss", "bonus": "add"}


def effect_key(line: Line, method: str, amount: Decimal | None = None) -> str:
    """The catalogue entry (under "site.amount.") that words `line` in a row scored by `method`:
    deduct (扣0.2分), miss (未得0.83分: a 得分制 row loses no points, it does not earn them), add
    (加1分), with "_less" for a correction (少扣, 未得分少计, 少加) and veto / veto_miss for 否决.

    A veto in a 加分 row is veto_bonus (否决·不加分), with no amount: 此项不得分 leaves the bonus
    unadded, it takes nothing from the unit, and the row's points are a ceiling, not points the
    unit had (its veto line carries them only as the amount the veto withheld). Revoked on appeal
    (its original kept, its amount 0) it is veto_bonus_revoked (否决已撤销), the original struck
    through beside it reading veto_bonus.

    One place decides it, so that the terminal, the site, its downloads and the workbook never
    disagree on whether a unit was deducted or did not earn. `amount` words another amount of the
    line (its original before an appeal's decision) by its own sign."""
    if line.kind == "veto":
        return _veto_key(line, method, amount)
    word = "add" if line.kind == "award" else EFFECT_WORDS.get(method, "deduct")
    return word if (line.amount if amount is None else amount) >= 0 else f"{word}_less"


def _veto_key(line: Line, method: str, amount: Decimal | None) -> str:
    """:func:`effect_key` of a veto line: veto (否决·扣20分), veto_miss (否决·未得4分) or, in a 加分 row,
    veto_bonus (否决·不加分) and veto_bonus_revoked for the line an appeal revoked (`amount` None:
    its current amount, 0; `amount` given: its original, what the veto withheld before)."""
    if method == "bonus":
        return "veto_bonus_revoked" if amount is None and line.original is not None else "veto_bonus"
    return "veto_miss" if method == "earned" else "veto"


class Scored(Protocol):
    """A row worded by its method: an :class:`IndicatorResult`, or the review's figures of an indicator."""

    method: str


def loss_method(rows: Iterable[Scored]) -> str:
    """How a table of `rows` heads what its rows lost: "deduction" (扣分 / 扣分理由), "earned" (未得分:
    a 得分制 table, 辽阳 第十条 and 第十二条, deducts nothing, its units do not earn) or "mixed" (失分,
    which is both). Bonus rows have a column of their own and do not count."""
    methods = {row.method for row in rows if row.method != "bonus"}
    return methods.pop() if len(methods) == 1 else ("deduction" if not methods else "mixed")


def status_label(status: str, lang: str | None = None) -> str:
    """已评分, 不适用 …: a status as readers name it."""
    return tr(f"status.{status}", lang=lang)


@dataclass
class IndicatorResult:
    id: str
    category: str
    seq: str
    title: str
    standard: str
    points: Decimal | None
    month: int | None
    department: str
    score: Decimal
    max: Decimal
    status: str  # a key of STATUS_LABELS
    source: Source  # the indicator's table in its category file
    deductions: list[Line] = field(default_factory=list)
    awards: list[Line] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    #: Appeals against this indicator's findings or rules, in filing order (also on the lines they contest).
    appeals: list[AppealRecord] = field(default_factory=list)
    #: How the document scores the row (its effective `method`): deduction (扣分制), earned (得分制) or
    #: bonus (加分). Carried here so that every output words a line as the document does: what an
    #: earned row did not earn is 未得分, never 扣分 (辽阳 第十条、第十二条: 评分方式为得分制).
    method: str = "deduction"

    @property
    def lines(self) -> list[Line]:
        """Every line of the indicator, deductions first, as sheets, diffs and workbooks list them."""
        return [*self.deductions, *self.awards]

    @property
    def lost(self) -> Decimal:
        return self.max - self.score if self.status in ("scored", "vetoed") else Decimal(0)

    @property
    def year_max(self) -> Decimal:
        """The points this indicator is worth to the unit over the whole year, due yet or not."""
        due_or_later = self.status in ("scored", "vetoed", "not_due") and self.points is not None
        return self.points if due_or_later else Decimal(0)  # type: ignore[return-value]


@dataclass
class CategoryResult:
    id: str
    title: str
    part: str | None
    score: Decimal
    max: Decimal
    raw_score: Decimal
    raw_max: Decimal
    weight: Decimal | None
    bonus: bool = False  # a bonus (创优) category: adds to the total, not to the maximum
    #: The maximum over the whole year; `max` is what is due by the scoring date (the same at year end).
    year_max: Decimal = Decimal(0)
    #: The table's own points (每项指标无具体得分), included in `raw_score` and `raw_max`.
    base: Decimal = Decimal(0)


@dataclass
class PeriodTotal:
    """One period's result of a unit, as the annual result adds it up: `weight` × `total`."""

    period: Period
    total: Decimal
    max: Decimal
    weight: Decimal
    title: str  # the period's title, or the declaration's for the year (年度考核)

    @property
    def counted(self) -> Decimal:
        """What the period adds to the annual total."""
        return self.total * self.weight


@dataclass
class UnitVeto:
    """A 一票否决 finding against the unit and what it does to the unit's grade and commendation."""

    indicator: str
    rule: str
    finding: str
    reason: str  # the finding's reason
    text: str  # the rule's words (发生重大安全生产事故的，实行一票否决……)
    source: Source  # the finding
    evidence: list[str] = field(default_factory=list)
    max_grade: str | None = None  # the best grade still possible (不得评为优秀)
    grade: str | None = None  # the grade forced whatever the score (降为不合格)
    commendation: bool = False  # whether the unit stays eligible for commendation (评先评优)
    appeals: list[AppealRecord] = field(default_factory=list)

    @property
    def revoked(self) -> bool:
        """An appeal decided 撤销 lifted it: shown, no longer applied."""
        return any(a.outcome == "撤销" for a in self.appeals)


#: Kinds of grade note: why a unit's grade differs from the band its score reaches.
GRADE_NOTE_KINDS = ("veto", "quota", "tie")


@dataclass
class GradeNote:
    kind: str  # one of GRADE_NOTE_KINDS
    grade: str  # the band the note is about
    text: str  # the explanation, as the sheet prints it


@dataclass
class QuotaUse:
    """How a band's quota was applied in one series: the stated arithmetic and who got the grade."""

    series: str
    grade: str
    units: int  # units in the series: what a percentage is taken of
    limit: int  # the number of units the quota allows
    formula: str  # the arithmetic as the overview prints it (8个单位×15%=1.2，向下取整为1名)
    candidates: int  # units whose score reached the band and no veto kept from it
    granted: int  # units that got the grade (more than `limit` when ties across it all get it)


@dataclass
class UnitResult:
    id: str
    name: str
    series: str
    total: Decimal
    max: Decimal
    categories: list[CategoryResult]
    indicators: list[IndicatorResult]
    bonus: Decimal = Decimal(0)  # what bonus categories added, after their caps (part of `total`)
    rank: int = 0
    tied: bool = False
    #: Unit-level corrections, e.g. a bonus part's cap (创优绩效加分最多1分): total = Σ categories + Σ these.
    adjustments: list[Line] = field(default_factory=list)
    grade: str | None = None  # 考核等次 from the framework's grade bands; None when it defines none
    #: The band the score alone reaches, before quotas and vetoes; `grade_notes` say why they differ.
    grade_reached: str | None = None
    grade_notes: list[GradeNote] = field(default_factory=list)
    #: 一票否决 findings against the unit; any of them without `commendation` removes it from commendation.
    vetoes: list[UnitVeto] = field(default_factory=list)
    #: Equal to another unit on the ranking figure, and ordered apart by the framework's tie-breaks.
    tie_broken: bool = False
    #: Every appeal the unit filed, in filing order (also on the lines they contest).
    appeals: list[AppealRecord] = field(default_factory=list)
    #: The maximum over the whole year (bonus categories aside); `max` is what is due by the scoring date.
    year_max: Decimal = Decimal(0)
    #: In an annual result rolled up from periods: each period's result, in the order of the year.
    periods: list[PeriodTotal] = field(default_factory=list)

    @property
    def commendable(self) -> bool:
        """Eligible for commendation (评先评优): no unit veto removed it."""
        return all(v.commendation or v.revoked for v in self.vetoes)

    @property
    def open_appeals(self) -> int:
        return sum(1 for a in self.appeals if a.open)

    @property
    def lost(self) -> Decimal:
        """Points lost (失分): the maximum less what was earned without the bonus."""
        return self.max - (self.total - self.bonus)

    @property
    def exact_rate(self) -> Fraction | None:
        """得分率 total ÷ maximum as an exact fraction (what ranking by rate compares); None when nothing is due."""
        return Fraction(self.total) / Fraction(self.max) if self.max > 0 else None

    @property
    def rate(self) -> Decimal | None:
        """得分率 in percent, rounded half-up to 0.01 for display only (ranking compares `exact_rate`)."""
        return self.rate_to(2)

    def rate_to(self, places: int) -> Decimal | None:
        """得分率 in percent, rounded half-up to `places` decimals (:func:`rate_places`)."""
        return round_to(self.total * 100 / self.max, Decimal(1).scaleb(-places)) if self.max > 0 else None


#: The most decimals a printed 得分率 gets to tell two units apart.
MOST_RATE_PLACES = 6


def rate_places(units: list[UnitResult]) -> int:
    """The decimals (2 or more) at which units whose 得分率 differ also print differently: 册亨
    261.4 ÷ 262 and 兴仁 256.4 ÷ 257 both print 99.77% at two, yet rank 2nd and 3rd (99.771% and
    99.767% at three). Ranking compares the exact fractions; the printed figure should not hide it."""
    exact = {u.exact_rate for u in units if u.exact_rate is not None}
    for places in range(2, MOST_RATE_PLACES):
        if len({u.rate_to(places) for u in units if u.exact_rate is not None}) == len(exact):
            return places
    return MOST_RATE_PLACES


@dataclass
class Results:
    year: int
    framework: str
    framework_title: str
    as_of: date
    units: list[UnitResult]
    rank_by: str = "total"  # "total" or "rate" (得分率), as the framework says
    quotas: list[QuotaUse] = field(default_factory=list)  # every grade quota applied, per series
    period: Period | None = None  # what was scored: the year (None: the year, too) or a shorter period
    #: The shorter periods an annual result adds up, in order (empty without declared periods).
    periods: list[Period] = field(default_factory=list)
    #: Grade title → its band's note, where it has one (拟定示例: a band the document does not print);
    #: not `UnitResult.grade_notes`, which say why a unit's grade differs from its band.
    band_notes: dict[str, str] = field(default_factory=dict)
    #: Series id → its title (县（市）局): what the outputs read by people print in the 序列 column.
    series_titles: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """What was scored, in words: 2014年度, or the period's title (2014年第三季度)."""
        return self.period.title if self.period is not None else tr("period.title.year", year=self.year)

    def grade_label(self, grade: str | None) -> str:
        """A grade as every output prints it: with its band's short note (优秀（拟定示例）), so that an
        invented band says so wherever a grade is shown."""
        if grade is None:
            return ""
        note = self._beside(self.band_notes.get(grade, ""))
        return tr("output.grade-with-note", grade=grade, note=note) if note else grade

    @classmethod
    def _beside(cls, note: str) -> str:
        """What of a band's note is printed beside the grade: a short note whole; of a sentence, its
        short lead before "：" (拟定示例：得分率99%以上… gives 拟定示例, so that 2011's 优秀 is marked
        invented in its cell as 良好（拟定示例） beside it is); else nothing (the sentence is listed
        under the table, :meth:`long_band_notes`)."""
        if cls._short(note):
            return note
        lead, colon, _ = note.replace(":", "：").partition("：")  # typed with an ASCII colon too
        return lead if colon and cls._short(lead) else ""

    @staticmethod
    def _short(note: str) -> bool:
        """A note short enough (拟定示例) to print in brackets after the grade wherever it is shown."""
        return 0 < len(note) <= SHORT_BAND_NOTE

    def long_band_notes(self, grades: Iterable[str | None]) -> list[str]:
        """The band notes too long for the grade column, each once and with its grade (优秀（拟定示例：
        得分率99%以上…）), in the framework's band order: a short note is already printed beside every
        grade, so listing it again under the title repeated it (拟定示例；拟定示例)."""
        shown = {g for g in grades if g}
        return [
            tr("output.grade-with-note", grade=grade, note=note)
            for grade, note in self.band_notes.items()
            if grade in shown and note and not self._short(note)
        ]

    def series_label(self, series: str) -> str:
        """A series as a reader sees it: its title from the framework (its id where it has none)."""
        return self.series_titles.get(series) or series

    def unit(self, unit_id: str) -> UnitResult | None:
        return next((u for u in self.units if u.id == unit_id), None)
