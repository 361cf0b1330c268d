"""Assessment periods: the year, its quarters and months, and special assessments with dates.

One :class:`Period` value carries what every stage needs to know of a period: its first and last
day (what evidence and findings belong to it by date), when what it assesses falls due (its last
day; a month's end for an indicator with a completion month), when its results are due from the
assessing departments (the Liaoyang measures: 考核结果于考核结束的下月5日前报绩效办), its key on the
command line and in URLs (``2014``, ``2014-Q3``, ``2014-07``, ``2014-<special id>``) and its title.

A framework that assesses by period declares it (``[[period]]`` in framework.toml): which parts or
categories each kind of period assesses and with what weight they roll into the annual result.
:class:`Schedule` reads those declarations for one year. A framework without declarations is
assessed once a year, as before: its schedule is the year alone.

A new kind of period is a constructor here and its case in :meth:`Schedule.instances`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from .messages import tr

if TYPE_CHECKING:
    from .model import Category, Finding, Framework, PeriodDeclaration

#: Kinds of period, from the longest; a declaration's `kind` is one of them.
KINDS = ("year", "quarter", "month", "special")
#: `2014`, `2014-Q3`, `2014-07`, `2014-zx1`: a year of four ASCII digits, then what names the period.
_KEY = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])|(?P<special>[A-Za-z][A-Za-z0-9_.-]*)))?$"
)


@dataclass(frozen=True)
class Period:
    """One period of one year: what it is called, which days it covers, when its results are due."""

    year: int
    kind: str  # one of KINDS
    first: date
    last: date
    number: int = 0  # the quarter (1–4) or month (1–12)
    special: str = ""  # a special assessment's id
    special_title: str = ""

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, "year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, n: int) -> Period:
        first_month = 3 * (n - 1) + 1
        return cls(year, "quarter", date(year, first_month, 1), month_end(year, first_month + 2), number=n)

    @classmethod
    def month(cls, year: int, n: int) -> Period:
        return cls(year, "month", date(year, n, 1), month_end(year, n), number=n)

    @classmethod
    def special_assessment(cls, year: int, special: str, title: str, first: date, last: date) -> Period:
        return cls(year, "special", first, last, special=special, special_title=title)

    @property
    def key(self) -> str:
        """How the command line (``--period``), findings (``period =``), JSON and URLs name it."""
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "special":
            return f"{self.year}-{self.special}"
        return str(self.year)

    @property
    def title(self) -> str:
        """The title in the reader's language: 2014年度, 2014年第三季度, 2014年7月, or the special assessment's own."""
        if self.kind == "quarter":
            return tr("period.title.quarter", year=self.year, quarter=tr(f"period.quarter.{self.number}"))
        if self.kind == "month":
            return tr("period.title.month", year=self.year, month=self.number)
        if self.kind == "special":
            return self.special_title or tr("period.title.special", year=self.year, special=self.special)
        return tr("period.title.year", year=self.year)

    @property
    def is_year(self) -> bool:
        return self.kind == "year"

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def due(self, month: int | None) -> date | None:
        """When an indicator is due in this period: its month's end in the year (none without a month),
        or, in a shorter period, the period's last day (its completion month is the year's)."""
        if not self.is_year:
            return self.last
        return month_end(self.year, month) if month is not None else None

    def report_deadline(self, day: int) -> date:
        """The `day`th of the month after the period ends (考核结束的下月5日前): results are late after it."""
        following = date(self.last.year + self.last.month // 12, self.last.month % 12 + 1, 1)
        return following + timedelta(days=day - 1)


def month_end(year: int, month: int) -> date:
    """The last day of `month` in `year`: when a task due that month falls due."""
    return date(year, month, calendar.monthrange(year, month)[1])


def year_of_key(text: str) -> int | None:
    """The year a period key names (``2014-Q3`` → 2014), or None when `text` is not a period key."""
    match = _KEY.match(text)
    return int(match.group("year")) if match is not None else None


def names_a_special(special_id: str) -> bool:
    """Whether ``<year>-<special_id>`` reads as that special assessment (not as a quarter or a month)."""
    match = _KEY.match(f"2000-{special_id}")
    return match is not None and match.group("special") == special_id


@dataclass
class Declared:
    """One `[[period]]` of a framework for one year: its instances and the categories they assess."""

    declaration: PeriodDeclaration
    instances: list[Period]
    categories: list[str] = field(default_factory=list)

    @property
    def weight(self) -> Decimal:
        return self.declaration.weight


class Schedule:
    """The periods a framework declares for one year, and which of them each file belongs to."""

    def __init__(self, framework: Framework, year: int) -> None:
        self.year = year
        self.whole = Period.whole_year(year)
        self.declared: list[Declared] = []
        by_part: dict[str, list[Category]] = {}
        for cat in framework.categories:
            by_part.setdefault(cat.part or "", []).append(cat)
        self._of_category: dict[str, Declared] = {}
        for decl in framework.period:
            ids = [c.id for p in decl.parts for c in by_part.get(p, [])] + list(decl.categories)
            declared = Declared(decl, self.instances(decl), ids)
            self.declared.append(declared)
            for cat_id in ids:
                self._of_category.setdefault(cat_id, declared)
        #: Categories no declaration names, where some are declared (`kaohe check` reports them).
        self.undeclared = [c.id for c in framework.categories if c.id not in self._of_category] if self.declared else []

    def instances(self, decl: PeriodDeclaration) -> list[Period]:
        """The periods one declaration makes in this year (a new kind of period adds its case here)."""
        if decl.kind == "quarter":
            return [Period.quarter(self.year, n) for n in range(1, 5)]
        if decl.kind == "month":
            return [Period.month(self.year, n) for n in range(1, 13)]
        if decl.kind == "special" and decl.start is not None and decl.end is not None:
            return [Period.special_assessment(self.year, decl.id or "", decl.title, decl.start, decl.end)]
        return [self.whole]

    @property
    def by_period(self) -> bool:
        """Whether the framework declares periods at all (otherwise the year is assessed once)."""
        return bool(self.declared)

    def periods(self) -> list[Period]:
        """Every period of the year, shorter ones in order of their start, the year last."""
        shorter = {p.key: p for d in self.declared for p in d.instances if not p.is_year}
        return [*sorted(shorter.values(), key=lambda p: (p.first, p.last, p.key)), self.whole]

    def find(self, key: str) -> Period | None:
        return next((p for p in self.periods() if p.key == key), None)

    def of_category(self, category: str) -> Declared | None:
        return self._of_category.get(category)

    def period_of(self, category: str, day: date, named: str | None = None) -> Period | None:
        """The period a file of `category` dated `day` belongs to: the one it names, else the one holding its date."""
        declared = self._of_category.get(category)
        instances = declared.instances if declared is not None else [self.whole]
        if named is not None:
            return next((p for p in instances if p.key == named), None)
        return next((p for p in instances if p.contains(day)), None)

    def finding_period(self, finding: Finding, category: str) -> Period | None:
        return self.period_of(category, finding.date, finding.period)

    def report_day(self, category: str) -> int | None:
        """The day of the following month by which the category's results are due (None: not stated)."""
        declared = self._of_category.get(category)
        return declared.declaration.report_day if declared is not None else None
