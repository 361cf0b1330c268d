"""The file formats as pydantic models: one definition for validation, the model and JSON Schema.

Frameworks (``frameworks/<id>/framework.toml`` plus one file per category), units
(``evidence/<year>/units.toml``), evidence front matter and findings. ``docs/formats.md``
documents them for people; ``kaohe schema`` exports them for editors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from .private import QuickPrivate
from .score.rules import Rule
from .source import Source
from .types import (
    Amount,
    Id,
    Interpretations,
    Month,
    Name,
    Number,
    OrganizationId,
    Step,
    Tally,
    Text,
    invalid,
    one_line,
)

Method = Literal["deduction", "earned", "bonus"]
Floor = Literal["zero", "none"]
RankBy = Literal["total", "rate"]
QuotaRounding = Literal["floor", "round", "ceil"]
TiesAcrossQuota = Literal["all", "none"]
TieBreakBy = Literal["category", "part", "indicator", "lost_indicators"]


#: The years an assessment may be for (units.toml's `year`, a framework's): a four-digit number
#: outside them is no year (a tag results-0010 names none).
FIRST_YEAR = 1900
LAST_YEAR = 2200

#: Most characters a 序号 may have: printed ones are "1", "2.1", "（三）"; the importer's longest
#: reading of a cell stays far below. More is a paste of the wrong cell, or a number like 1e400.
MAX_SEQ = 20
#: The most occurrences one evidence file may record (`count`): more is a typing slip, not a ledger.
MAX_COUNT = 100000


def _text_or_number(value: Any) -> Any:
    """Sequence numbers are written 1, "2.1" or "一": keep them as text.

    A number that Python writes with an exponent (1e400, 1e-400) is refused rather than spelt out
    (401 digits): no document prints a 序号 so. Decimal keeps the exponent as written, and writes
    it back whenever the plain form would be long (1e-3 reads 0.001, and is harmless).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise invalid("number.not-finite")
        if "E" in str(value):  # str() writes every whole-number exponent: 1E+400, and 1E-400
            raise invalid("seq.exponent", value=str(value))
        return format(value, "f")
    return value


def _one_or_many(value: Any) -> Any:
    """`satisfies = "annual"` is short for `satisfies = ["annual"]`."""
    return [value] if isinstance(value, str) else value


#: A 序号 is printed in every table, sheet and heading: one line of printable text, like a title (a
#: tab, U+0007 or U+202E in it reached terminals, CSV and the site as they were).
SeqText = Annotated[
    str, Field(max_length=MAX_SEQ), one_line, BeforeValidator(_text_or_number, json_schema_input_type=str | Decimal)
]


class _Strict(QuickPrivate, BaseModel):
    #: Validators are built when a model first validates, not at import: a build that takes its
    #: year from the cache validates almost nothing, and every command imports every model.
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class AppliesTo(_Strict):
    """Which units an indicator (or category, part) concerns; others are 不适用, not penalised."""

    units: list[Id] = Field(default_factory=list, description="Unit ids (县局/科室).")
    series: list[Id] = Field(default_factory=list, description="Unit series ids.")
    note: Text = Field("", description="The document's wording, e.g. 该项工作只涉及册亨、贞丰、晴隆三个县局.")

    @model_validator(mode="after")
    def _names_someone(self) -> AppliesTo:
        if not self.units and not self.series:
            raise invalid("framework.applies-to-nobody")
        return self

    def includes(self, unit: str, series: str) -> bool:
        return unit in self.units or series in self.series


class _Settings(_Strict):
    """Settings a framework, part, category or indicator may set; the nearest one wins.

    `interpreted` is not inherited: it marks the values of this very table that the document does
    not print.
    """

    interpreted: Interpretations = Field(default_factory=dict)

    method: Method | None = Field(None, description="deduction (扣分制), earned (得分制) or bonus (加分).")
    floor: Floor | None = Field(None, description="zero: 扣完为止; none: 扣分不设下限.")
    granularity: Step | None = Field(None, description="Deductions must be multiples of this (扣分以0.1分为单位).")
    department: Name | None = Field(None, description="Responsible assessing department (考核责任部门).")
    applies_to: AppliesTo | None = None


class Series(_Strict):
    id: Id
    title: Name
    note: Text = ""

    _source: Source = PrivateAttr(Source(""))

    @property
    def source(self) -> Source:
        """Where the series' table stands in framework.toml."""
        return self._source


class Quota(_Strict):
    """How many units of a series may get a grade: a share (优秀 ≤ 15 %), a number (前3名), or both.

    The document states the rounding and what happens to units tied across the limit; a framework
    must state both too, never rely on a default (docs/formats.md, "Grades").
    """

    interpreted: Interpretations = Field(default_factory=dict)
    percent: Number | None = Field(None, gt=0, le=100, description="At most this share of the series' units, in %.")
    rounding: QuotaRounding | None = Field(
        None, description="How percent × units becomes a number: floor 向下取整, round 四舍五入, ceil 向上取整."
    )
    count: int | None = Field(None, ge=0, le=100000, description="At most this many units (前N名).")
    ties: TiesAcrossQuota = Field(
        description="Units still tied (并列) across the limit after the tie-breaks: all get the grade (the "
        "quota is exceeded) or none does (the quota is not filled)."
    )
    note: Text = ""

    @model_validator(mode="after")
    def _states_a_limit(self) -> Quota:
        if self.percent is None and self.count is None:
            raise invalid("grade.quota-without-limit")
        if self.percent is not None and self.rounding is None:
            raise invalid("grade.quota-without-rounding")
        return self


class Grade(_Strict):
    """A grade band (考核等次): units whose total reaches `min_percent` of their maximum (and `min_total`
    points, where given) get `title`, within the band's quota. Bands are listed best first."""

    interpreted: Interpretations = Field(default_factory=dict)
    title: Name = Field(description="e.g. 优秀, 良好, 合格, 不合格")
    min_percent: Number | None = Field(
        None, ge=0, le=100, description="Lowest total, as a percentage of the unit's maximum."
    )
    min_total: Number | None = Field(None, description="Lowest total in points (最低分), e.g. 90分以上.")
    quota: Quota | None = Field(None, description="How many units of a series may get this grade.")
    note: Text = ""
    text: Text = Field("", description="The document's words for the band (优秀90分以上（名额不超过20%）).")
    proposed: bool = Field(
        False,
        description="Proposed by `kaohe import` from the document's wording in `text`, not yet confirmed by a "
        "person: `kaohe check` warns until the line is removed.",
    )

    _source: Source = PrivateAttr(Source(""))

    @model_validator(mode="after")
    def _states_a_minimum(self) -> Grade:
        if self.min_percent is None and self.min_total is None:
            raise invalid("grade.without-minimum")
        return self

    @property
    def source(self) -> Source:
        """`path:line` of the band's table in framework.toml."""
        return self._source

    @property
    def takes_the_rest(self) -> bool:
        """A band from 0 % with no points minimum: every unit below the bands above gets it, negative totals too."""
        return self.min_percent == 0 and self.min_total is None


class TieBreak(_Strict):
    """One stated tie-break (得分相同的，以重点绩效得分高者居前): what orders units equal on the ranking figure."""

    by: TieBreakBy = Field(
        description="category / part / indicator: its score, higher first; lost_indicators: fewer indicators "
        "that lost points first."
    )
    id: Id | None = Field(None, description="The category, part or indicator compared.")
    note: Text = Field("", description="The document's wording.")

    _source: Source = PrivateAttr(Source(""))

    @property
    def source(self) -> Source:
        """`path:line` of the tie-break in framework.toml."""
        return self._source

    @model_validator(mode="after")
    def _names_what_it_compares(self) -> TieBreak:
        if self.by in ("category", "part", "indicator") and self.id is None:
            raise invalid("tie-break.without-id", by=self.by)
        if self.by == "lost_indicators" and self.id is not None:
            raise invalid("tie-break.lost-indicators-with-id")
        return self


class AppealKind(_Strict):
    """A kind of request against a result (复核, 申诉) and its deadlines, as the document states them.

    Days are counted as Chinese law counts periods (期间开始的日不计算在期间内): the day the period
    starts from is not counted, so 10 days from a 公示 starting on 5 January end on 15 January.
    """

    interpreted: Interpretations = Field(default_factory=dict)
    kind: Name = Field(min_length=1, description="What an appeal's `kind` names: 复核, 申诉.")
    text: Text = Field("", description="The document's words.")
    after: Name | None = Field(
        None,
        description="Counted from the decision on an appeal of this kind against the same line (申诉 after 复核); "
        "otherwise from the start of 公示.",
    )
    file_within_days: int = Field(ge=0, le=366, description="Days after 公示 starts (or the earlier decision).")
    decide_within_days: int = Field(ge=0, le=366, description="Days after filing by which it must be decided.")
    note: Text = ""

    _source: Source = PrivateAttr(Source(""))

    @property
    def source(self) -> Source:
        """`path:line` of the table in framework.toml."""
        return self._source


class Part(_Settings):
    id: Id
    title: Name
    cap: Amount | None = Field(None, description="Most the part may add (bonus parts).")
    note: Text = ""

    _source: Source = PrivateAttr(Source(""))

    @property
    def source(self) -> Source:
        """Where the part's table stands in framework.toml."""
        return self._source


#: A code-owner handle as CODEOWNERS files write it: @user, @group/subgroup, or an email address.
#: Nothing else, so that a handle can never carry a space, a comment sign or a line break into the file.
Handle = Annotated[str, Field(pattern=r"^(@[\w.-]+(/[\w.-]+)*|[\w.%+-]+@[\w-]+(\.[\w-]+)+)$", max_length=100)]


PeriodKind = Literal["year", "quarter", "month", "special"]


class PeriodDeclaration(_Strict):
    """A kind of assessment period (季度考核, 专项考核, 年度考核): what it assesses and how it counts.

    The annual result adds up, for every period of the year, `weight` × that period's result of
    the parts and categories it assesses; each category is assessed by one declaration only.
    """

    interpreted: Interpretations = Field(default_factory=dict)
    kind: PeriodKind = Field(
        description="year (年度考核), quarter (季度考核: four a year), month, or special (专项考核)."
    )
    id: Id | None = Field(None, description="A special assessment's id: `--period <year>-<id>`.")
    title: Name = Field("", description="e.g. 季度考核, or the special assessment's name.")
    start: date | None = Field(None, description="A special assessment's first day.")
    end: date | None = Field(None, description="A special assessment's last day.")
    parts: list[Id] = Field(default_factory=list, description="Parts this period assesses.")
    categories: list[Id] = Field(default_factory=list, description="Categories this period assesses.")
    weight: Amount = Field(
        Decimal(1), description="What each such period's result counts for in the annual result (0.25: a quarter)."
    )
    report_day: int | None = Field(
        None,
        ge=1,
        le=28,
        description="Assessing departments report a period's results by this day of the following month "
        "(考核结果于考核结束的下月5日前报绩效办); findings dated later are flagged as late assessment.",
    )
    text: Text = Field("", description="The document's words.")
    note: Text = ""

    _source: Source = PrivateAttr(Source(""))

    @property
    def source(self) -> Source:
        """Where the declaration's table is in framework.toml."""
        return self._source

    @model_validator(mode="after")
    def _dates_for_specials(self) -> PeriodDeclaration:
        if self.kind == "special":
            if self.id is None or self.start is None or self.end is None:
                raise invalid("period.special-incomplete")
            if self.end < self.start:
                raise invalid("period.special-ends-before-start", start=self.start, end=self.end)
        elif self.start is not None or self.end is not None:
            raise invalid("period.dates-not-special", kind=self.kind)
        if not self.parts and not self.categories:
            raise invalid("period.assesses-nothing")
        return self


class CodeOwners(_Strict):
    """Who reviews the files of one assessing department's indicators (``kaohe codeowners``)."""

    department: Name = Field(min_length=1, description="Department name exactly as indicators give it (纪检监察室).")
    owners: list[Handle] = Field(
        min_length=1, description="Code-owner handles on the git server: @user, @group/subgroup or an email."
    )


class Framework(_Settings):
    id: Id
    title: Name
    issuer: Name = Field("", description="The organization that issued it and assesses the units; the site names it.")
    organization: OrganizationId | None = Field(
        None,
        description="The organization whose series of years this framework's years belong to: its folder in the "
        "site (site/<organization>/<year>/), with its own version selector. Lowercase ASCII letters, digits and "
        "'-'. Frameworks that leave it out belong to one organization, 'default'.",
    )
    source: Text = Field("", description="The document this framework transcribes.")
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)
    precision: Step = Field(
        Decimal("0.01"), description="Rounding unit for scaled and vote-based scores and pro-rata threshold deductions."
    )
    grace_days: int = Field(
        0, ge=0, le=366, description="Days after the completion month that evidence may still be filed."
    )
    rank_by: RankBy = Field(
        "total",
        description="Rank units within a series by total, or by rate (得分率 = total ÷ maximum, compared "
        "exactly) where units of one series have different maxima.",
    )
    personnel: bool = Field(
        False,
        description="The units are people (个人考核): results are personnel information, kept in a private "
        "repository (individual.toml) and never built into the public site.",
    )
    tie_break: list[TieBreak] = Field(
        default_factory=list,
        description="Stated tie-breaks, in order: units equal on the ranking figure are ordered by them, in "
        "rankings and grade quotas; units equal on all of them share a rank (并列).",
    )
    note: Text = ""
    series: list[Series] = Field(min_length=1)
    part: list[Part] = Field(default_factory=list)
    grade: list[Grade] = Field(
        default_factory=list, description="Grade bands, best first; a unit gets the best it reaches within quotas."
    )
    appeal_kind: list[AppealKind] = Field(
        default_factory=list, description="Requests against results (复核, 申诉) the framework admits, with deadlines."
    )
    period: list[PeriodDeclaration] = Field(
        default_factory=list,
        description="Assessment periods (季度考核, 专项考核, 年度考核) and how they roll into the annual result; "
        "without any, the year is assessed once.",
    )
    code_owners: list[CodeOwners] = Field(
        default_factory=list, description="Department → code-owner handles, for the generated CODEOWNERS."
    )
    maintainers: list[Handle] = Field(
        default_factory=list,
        description="Code-owner handles of the framework's maintainers: they review framework.toml, the README, "
        "categories and indicators without a department, and the years' units.toml.",
    )

    _path: str = PrivateAttr("")
    _categories: list[Category] = PrivateAttr(default_factory=list)
    _keys: dict[str, tuple[int, int]] = PrivateAttr(default_factory=dict)  # (line, column) of top-level keys

    @property
    def path(self) -> str:
        return self._path

    def at(self, key: str) -> tuple[int, int]:
        """(line, column) of a key of framework.toml, for messages; (1, 1) when it is not written."""
        return self._keys.get(key, (1, 1))

    @property
    def categories(self) -> list[Category]:
        return self._categories

    def indicators(self) -> list[Indicator]:
        return [i for c in self._categories for i in c.indicators]


class Indicator(_Settings):
    id: Id
    seq: SeqText = Field("", description="Row number as printed (序号), e.g. 2.1.")
    title: Name = Field("", description="Short name; the target text is shown when absent.")
    target: Text = Field(description="目标内容 / 考核内容 as the document words it.")
    standard: Text = Field("", description="绩效考核标准 / 评分标准 / 考核内容细化 as the document words it.")
    principle: Text = Field("", description="扣分原则, where the document prints it in a column of its own.")
    points: Amount | None = Field(None, description="分值; leave out when undetermined (不确定分值).")
    month: Month | None = Field(None, description="完成月份: the month by which it is due.")
    note: Text = ""
    pending: list[Text] = Field(
        default_factory=list,
        description="Clauses of the standard that no rule expresses yet (规则待定), as `kaohe import` found them: "
        "`kaohe check` warns until a person writes their rules and removes them.",
    )
    rule: list[Rule] = Field(default_factory=list)

    _source: Source = PrivateAttr(Source(""))
    _category: str = PrivateAttr("")

    @property
    def source(self) -> Source:
        return self._source

    @property
    def category(self) -> str:
        return self._category

    @property
    def name(self) -> str:
        """The title, else the target's first line, shortened visibly (…) rather than cut mid-phrase."""
        if self.title:
            return self.title
        first = self.target.split("\n")[0]
        return first if len(first) <= 40 else first[:39] + "…"

    def concerns(self, unit: Unit) -> bool:
        """Whether the indicator applies to `unit`; one that does not is 不适用, never penalised."""
        return self.applies_to is None or self.applies_to.includes(unit.id, unit.series)

    def rule_by_id(self, rule_id: str) -> Any:
        return next((r for r in self.rule if r.id == rule_id), None)

    def rule_number(self, rule_id: str) -> int | None:
        """The rule's place in the row's list of rules (1 for the first), as the framework page numbers
        them: how a reader is told of another rule of the row (第2条) without its id."""
        return next((n for n, r in enumerate(self.rule, start=1) if r.id == rule_id), None)


class CategoryHeader(_Settings):
    id: Id
    title: Name
    part: Id | None = None
    order: int | None = None
    weight: Amount | None = Field(None, description="Share of the composite the raw total is scaled into (本表共5分).")
    points: Amount | None = Field(
        None,
        description="分值 of a deduction table whose indicators have none of their own (每项指标无具体得分): "
        "deductions come off it.",
    )
    note: Text = ""


class Category(CategoryHeader):
    _indicators: list[Indicator] = PrivateAttr(default_factory=list)
    _path: str = PrivateAttr("")

    @property
    def indicators(self) -> list[Indicator]:
        return self._indicators

    @property
    def bonus(self) -> bool:
        """A category of bonus indicators only (创优加分): what it does not add is not lost, and it
        stays out of the unit's maximum."""
        return bool(self._indicators) and all(i.method == "bonus" for i in self._indicators)

    @property
    def path(self) -> str:
        return self._path


class CategoryFile(_Strict):
    category: CategoryHeader
    indicator: list[Indicator] = Field(default_factory=list)


class Unit(_Strict):
    id: Id
    name: Name
    series: Id
    note: Text = ""


class UnitsFile(_Strict):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    framework: Id
    title: Name = ""
    filing_deadlines: bool = Field(
        False,
        description="Judge when evidence was filed from git history (late evidence, `late` rules). "
        "Leave off for years imported after the fact.",
    )
    unit: list[Unit] = Field(min_length=1)


class EvidenceMeta(_Strict):
    """Front matter of an evidence file (between `+++` lines)."""

    indicator: Id
    date: date
    unit: Id | None = Field(None, description="Implied by the path evidence/<year>/<unit>/…")
    title: Name = ""
    satisfies: Annotated[list[Id], BeforeValidator(_one_or_many, json_schema_input_type=Id | list[Id])] = Field(
        default_factory=list, description="Requirement keys this file satisfies: one key, or a list."
    )
    count: int = Field(1, ge=1, le=MAX_COUNT, description="How many occurrences this file records.")
    metrics: dict[Id, Number] = Field(default_factory=dict, description="Reported figures, e.g. closure_rate = 92.5.")
    author: Name = ""


class Finding(_Strict):
    """An assessor's finding: a deduction, award, veto, mitigation or vote tally."""

    id: Id
    indicator: Id
    rule: Id
    date: date
    reason: Text = Field(min_length=1, description="Why; mandatory. Shown on the score sheet.")
    unit: Id | None = Field(None, description="Implied by the path evidence/<year>/<unit>/…")
    evidence: list[str] = Field(
        default_factory=list, max_length=100, description="Evidence files, relative to this file (at most 100)."
    )
    assessor: Name = ""
    amount: Amount | None = None
    count: int = Field(1, ge=1, le=100000)
    item: Id | None = Field(None, description="For a fixed rule with items: which item (项) was found.")
    grade: str | None = None
    severity: str | None = None
    mitigates: Id | None = None
    tallies: dict[str, Tally] | None = None
    period: str | None = Field(
        None,
        description="The period assessed (2014-Q3), where the finding is dated after it ended; otherwise the "
        "period holding `date`.",
    )

    _source: Source = PrivateAttr(Source(""))
    _path: str = PrivateAttr("")
    _evidence_paths: list[str] = PrivateAttr(default_factory=list)
    _doc: Any = PrivateAttr(None)
    _index: int = PrivateAttr(0)
    _partial: bool = PrivateAttr(False)  # some keys failed validation: only its references are checked

    def locate(self, key: str | None = None) -> tuple[int, int]:
        """Line and column of this finding (or one of its keys) in its file."""
        path: tuple[str | int, ...] = ("finding", self._index) + ((key,) if key else ())
        return self._doc.locate(path) if self._doc is not None else (1, 1)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise invalid("finding.reason-blank")
        return value

    @property
    def source(self) -> Source:
        return self._source

    @property
    def path(self) -> str:
        return self._path

    @property
    def evidence_paths(self) -> list[str]:
        return self._evidence_paths


AppealOutcome = Literal["维持", "变更", "撤销"]


def _filled_in(value: str) -> str:
    if not value.strip():
        raise invalid("appeal.reason-blank")
    return value


Reason = Annotated[Text, AfterValidator(_filled_in)]


class AppealDecision(_Strict):
    """The decision on an appeal: who decided, when, what and why."""

    outcome: AppealOutcome = Field(description="维持 (upheld), 变更 (changed: a new amount) or 撤销 (revoked).")
    amount: Amount | None = Field(None, description="For 变更: the new amount of what the appeal contests.")
    decided_by: Name = Field(min_length=1, description="Who decided (州局目标绩效考核领导小组).")
    date: date
    reasoning: Reason = Field(description="Why; shown on the score sheet.")

    @model_validator(mode="after")
    def _amount_with_change_only(self) -> AppealDecision:
        if self.outcome == "变更" and self.amount is None:
            raise invalid("appeal.change-without-amount")
        if self.outcome != "变更" and self.amount is not None:
            raise invalid("appeal.amount-without-change", outcome=self.outcome)
        return self


class Appeal(_Strict):
    """A unit's request against a finding or a deduction line (复核/申诉), and its decision once made.

    The finding itself is never edited: scoring applies the decision, and the sheet shows both.
    """

    id: Id = Field(description="Unique within the year.")
    kind: Name = Field("申诉", description="One of the framework's [[appeal_kind]] (复核, 申诉).")
    finding: Id | None = Field(None, description="The finding contested.")
    indicator: Id | None = Field(None, description="With `rule`: the deduction lines contested (no finding).")
    rule: Id | None = None
    period: str | None = Field(
        None,
        description="With `indicator` and `rule`, where the framework assesses the indicator by a period shorter "
        "than the year (2014-Q3): the period whose lines are contested.",
    )
    filed: date = Field(description="When the unit filed it.")
    filed_by: Name = Field(min_length=1, description="Who filed it (the unit, its head).")
    grounds: Reason = Field(description="申诉理由.")
    evidence: list[str] = Field(
        default_factory=list, max_length=100, description="Files the appeal adds, relative to this file."
    )
    decision: AppealDecision | None = None

    _source: Source = PrivateAttr(Source(""))
    _path: str = PrivateAttr("")
    _unit: str = PrivateAttr("")
    _evidence_paths: list[str] = PrivateAttr(default_factory=list)
    _doc: Any = PrivateAttr(None)
    _index: int = PrivateAttr(0)

    @model_validator(mode="after")
    def _names_one_target(self) -> Appeal:
        if self.finding is not None and (self.indicator is not None or self.rule is not None):
            raise invalid("appeal.two-targets")
        if self.finding is None and (self.indicator is None or self.rule is None):
            raise invalid("appeal.no-target")
        return self

    def locate(self, key: str | None = None) -> tuple[int, int]:
        path: tuple[str | int, ...] = ("appeal", self._index) + ((key,) if key else ())
        return self._doc.locate(path) if self._doc is not None else (1, 1)

    @property
    def source(self) -> Source:
        return self._source

    @property
    def path(self) -> str:
        return self._path

    @property
    def unit(self) -> str:
        return self._unit

    @property
    def evidence_paths(self) -> list[str]:
        return self._evidence_paths

    @property
    def target(self) -> str:
        """What it contests, as people cite it: the finding id, or indicator/rule."""
        return self.finding if self.finding is not None else f"{self.indicator}/{self.rule}"


StageName = Literal["草稿", "公示", "审定", "备案"]
#: The stages of a year's results, in order.
STAGES: tuple[str, ...] = ("草稿", "公示", "审定", "备案")
#: The catalogue's name of each stage ("site.stage.name.<id>"), for readers of other languages.
STAGE_IDS = dict(zip(STAGES, ("draft", "notice", "approved", "filed"), strict=True))


class StageRecord(_Strict):
    """One step of a year's results: 公示 from a date for N days, 审定 (final), 备案 (filed)."""

    stage: StageName
    date: date
    days: int | None = Field(None, ge=1, le=366, description="公示: the notice period in days.")
    by: Name = Field("", description="Who decided or received it (党组会议, 人社局).")
    how_to_appeal: Text = Field("", description="公示: how to request a review, shown on the site during the notice.")
    note: Text = ""

    _line: int = PrivateAttr(1)
    _date_at: tuple[int, int] = PrivateAttr((1, 1))  # line and column of its `date`

    @model_validator(mode="after")
    def _notice_has_days(self) -> StageRecord:
        if self.stage == "公示" and self.days is None:
            raise invalid("stage.notice-without-days")
        if self.stage != "公示" and self.days is not None:
            raise invalid("stage.days-not-notice", stage=self.stage)
        return self


class StagesFile(_Strict):
    """evidence/<year>/stages.toml: the stages the year's results have reached, in order."""

    stage: list[StageRecord] = Field(default_factory=list)


class FindingsFile(_Strict):
    """A .toml file under evidence/<year>/: an assessor's findings, or a unit's appeals (or both)."""

    finding: list[Finding] = Field(default_factory=list)
    appeal: list[Appeal] = Field(default_factory=list)


#: A field made from the others (an index): it adds nothing to what an object is.
DERIVED = {"derived": True}


@dataclass
class Evidence:
    """An evidence file after loading: front matter, body and where it stands."""

    path: str  # repository-relative, with forward slashes
    unit: str
    indicator: str
    date: date
    title: str
    satisfies: list[str]
    count: int
    metrics: dict[str, Decimal]
    body: str | None  # None once a build let it go: read it with text()
    body_line: int  # line of the body's first line in the file
    author: str = ""
    links: list[str] = field(default_factory=list)  # repository-relative targets of relative links
    doc: Any = field(default=None, repr=False, compare=False)  # the front matter, to locate keys
    #: When the file reached the branch (the first-parent commit that brought it) and when it was due
    #: (the indicator's due date in the period holding the file's date — its month's end in the year,
    #: a quarter's last day — plus the framework's grace_days); None when unknown. Set by gitdates.
    filed: date | None = None
    deadline: date | None = None
    #: Once a build let the body go (generator.load.bodies.release): its digest, first heading,
    #: and where to read it again.
    released: Any = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        """The body, read again from its file when a build let it go."""
        if self.body is not None:
            return self.body
        return self.released.read(self.path)

    @property
    def late(self) -> bool:
        return self.filed is not None and self.deadline is not None and self.filed > self.deadline

    def locate(self, key: str | None = None) -> tuple[int, int]:
        return self.doc.locate((key,) if key else ()) if self.doc is not None else (1, 1)


@dataclass
class Assessment:
    """One assessment year: its framework, units, evidence and findings."""

    year: int
    path: str  # evidence/<year>/units.toml
    title: str
    framework: Framework
    units: list[Unit]
    evidence: list[Evidence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    filing_deadlines: bool = False  # judge lateness from git history (units.toml)
    #: Requests against results (复核/申诉) and the stages the results reached (stages.toml).
    appeals: list[Appeal] = field(default_factory=list)
    stages: list[StageRecord] = field(default_factory=list)
    #: Ids of units.toml entries `kaohe check` refused (a name holding U+202E, say), each reported
    #: there once: files naming one are not "for no unit" or "for an unknown unit" as well
    #: (generator.refused, as for refused indicators).
    refused_units: set[str] = field(default_factory=set)
    #: (unit, indicator) → its evidence / findings / appeals; built by `index` once everything is loaded
    #: (derived: what keys the site's pages leaves them out, generator.render.yearkey).
    evidence_by: dict[tuple[str, str], list[Evidence]] = field(default_factory=dict, metadata=DERIVED)
    findings_by: dict[tuple[str, str], list[Finding]] = field(default_factory=dict, metadata=DERIVED)
    appeals_by: dict[tuple[str, str], list[Appeal]] = field(default_factory=dict, metadata=DERIVED)

    def index(self) -> None:
        evidence_by: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
        for e in self.evidence:
            evidence_by[(e.unit, e.indicator)].append(e)
        findings_by: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in self.findings:
            findings_by[(f.unit or "", f.indicator)].append(f)
        self.evidence_by, self.findings_by = dict(evidence_by), dict(findings_by)
        # an appeal of a finding goes with the finding's indicator; appeals in filing order
        indicator_of = {(f.unit, f.id): f.indicator for f in self.findings}
        appeals_by: dict[tuple[str, str], list[Appeal]] = defaultdict(list)
        for appeal in sorted(self.appeals, key=lambda x: (x.filed, x.id)):
            indicator = appeal.indicator if appeal.finding is None else indicator_of.get((appeal.unit, appeal.finding))
            if indicator is not None:
                appeals_by[(appeal.unit, indicator)].append(appeal)
        self.appeals_by = dict(appeals_by)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


@dataclass
class Repository:
    """Every framework and assessment year of a tree, as loaded."""

    frameworks: dict[str, Framework]
    assessments: dict[int, Assessment]
    #: Ids of indicators whose tables failed validation, per framework: references to them are not
    #: reported again as unknown.
    broken_indicators: dict[str, set[str]] = field(default_factory=dict)
    #: Files under frameworks/ and evidence/, read or not (for summaries).
    files: int = 0
