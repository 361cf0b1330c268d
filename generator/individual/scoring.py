"""Score staff with the same engine: each month on its own records, the year on the year's, then
the annual composite and grades whose quota follows the section's grade.

* **A month**: the monthly categories, scored on the evidence and findings dated in that month,
  as of its last day (月考核). Indicators of a private framework carry no completion month: each
  is due every month.
* **The year**: the yearly categories, on the whole year's records, as of 31 December (年度考核).
* **The annual score**, in percent: ``monthly_share`` % of the average of the months' 得分率 plus
  ``yearly_share`` % of the yearly 得分率, computed exactly and rounded half-up to the framework's
  precision once: the rounded score is the one on record, ranked and graded.
* **Grades**: the framework's bands, under :mod:`generator.score.grading`; the quota of the staff
  grade in ``staff_quota`` is the share set for the section's grade (科室优秀的，个人优秀比例20%).
"""

from __future__ import annotations

import calendar
import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ..problems import InputError
from ..score import score_assessment
from ..score.grading import grade_units
from ..score.rank import rank_units
from ..score.results import GradeNote, QuotaUse, Results, UnitResult
from ..types import round_to

if TYPE_CHECKING:
    from ..model import Assessment, Framework, Grade
    from .settings import IndividualSettings

HUNDRED = Decimal(100)


@dataclass
class PersonResult:
    id: str
    name: str
    post: str
    months: dict[int, UnitResult]  # month → the month's result (monthly categories)
    yearly: UnitResult | None  # the yearly categories, once a year
    monthly_rate: Fraction | None  # average of the months' 得分率 (0–1), exact
    yearly_rate: Fraction | None
    annual: Decimal  # the annual score in percent, rounded to the framework's precision
    rank: int = 0
    tied: bool = False
    grade: str | None = None
    grade_notes: list[GradeNote] = field(default_factory=list)


@dataclass
class IndividualResults:
    settings: IndividualSettings
    framework: Framework
    section_grade: str | None
    persons: list[PersonResult]
    quota: QuotaUse | None  # how the staff quota was applied

    def person(self, person_id: str) -> PersonResult | None:
        return next((p for p in self.persons if p.id == person_id), None)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _only(fw: Framework, categories: list[str]) -> Framework:
    """A copy of `fw` with only `categories`, and no grades (a month is not graded on its own)."""
    copy = fw.model_copy(update={"grade": []})
    copy._categories = [c for c in fw.categories if c.id in categories]
    return copy


def _within(a: Assessment, fw: Framework, start: date, end: date) -> Assessment:
    """`a` scored under `fw` on the records dated from `start` to `end`."""
    part = dataclasses.replace(
        a,
        framework=fw,
        evidence=[e for e in a.evidence if start <= e.date <= end],
        findings=[f for f in a.findings if start <= f.date <= end],
    )
    part.index()
    return part


def score_months(a: Assessment, settings: IndividualSettings) -> dict[int, Results]:
    fw = _only(a.framework, settings.monthly_categories)
    return {
        m: score_assessment(_within(a, fw, date(a.year, m, 1), month_end(a.year, m)), month_end(a.year, m))
        for m in settings.months
    }


def score_year(a: Assessment, settings: IndividualSettings) -> Results | None:
    if not settings.yearly_categories:
        return None
    fw = _only(a.framework, settings.yearly_categories)
    return score_assessment(_within(a, fw, date(a.year, 1, 1), date(a.year, 12, 31)))


def _rate(u: UnitResult | None) -> Fraction | None:
    return u.exact_rate if u is not None else None


def annual_score(
    monthly: Fraction | None, yearly: Fraction | None, settings: IndividualSettings, step: Decimal
) -> Decimal:
    """monthly_share % × the monthly average + yearly_share % × the yearly rate, in percent, rounded once."""
    exact = Fraction(0)
    if monthly is not None:
        exact += Fraction(settings.monthly_share) * monthly
    if yearly is not None:
        exact += Fraction(settings.yearly_share) * yearly
    return round_to(Decimal(exact.numerator) / Decimal(exact.denominator), step)


def staff_grades(fw: Framework, settings: IndividualSettings, section_grade: str | None) -> list[Grade]:
    """The framework's bands, the staff quota's grade taking the share set for the section's grade."""
    quota = settings.staff_quota
    if quota is None:
        return list(fw.grade)
    if section_grade is None:
        raise InputError("individual.section-grade-unknown")
    if section_grade not in quota.by_section_grade:
        raise InputError("individual.section-grade-unlisted", grade=section_grade, listed=list(quota.by_section_grade))
    percent = quota.by_section_grade[section_grade]
    bands = []
    for band in fw.grade:
        if band.title == quota.grade and band.quota is not None:
            limit = {"percent": percent, "count": None} if percent > 0 else {"percent": None, "count": 0}
            band = band.model_copy(update={"quota": band.quota.model_copy(update=limit)})
        bands.append(band)
    return bands


def score_individuals(a: Assessment, settings: IndividualSettings, section_grade: str | None) -> IndividualResults:
    months = score_months(a, settings)
    year = score_year(a, settings)
    step = a.framework.precision
    persons: list[PersonResult] = []
    for unit in a.units:
        by_month = {m: r.unit(unit.id) for m, r in months.items()}
        rates = [rate for u in by_month.values() if (rate := _rate(u)) is not None]
        monthly = sum(rates, Fraction(0)) / len(rates) if rates else None
        yearly_unit = year.unit(unit.id) if year is not None else None
        yearly = _rate(yearly_unit)
        persons.append(
            PersonResult(
                unit.id,
                unit.name,
                unit.note,
                {m: u for m, u in by_month.items() if u is not None},
                yearly_unit,
                monthly,
                yearly,
                annual_score(monthly, yearly, settings, step),
            )
        )
    # ranks and grades on the annual score, with the engine's own ranking and grading
    fw = a.framework.model_copy(update={"grade": staff_grades(a.framework, settings, section_grade), "tie_break": []})
    stand_ins = [UnitResult(p.id, p.name, "staff", p.annual, HUNDRED, [], []) for p in persons]
    rank_units(stand_ins, "total")
    quotas = grade_units(stand_ins, fw, noun="staff")
    for p, u in zip(persons, stand_ins, strict=True):
        p.rank, p.tied, p.grade, p.grade_notes = u.rank, u.tied, u.grade, u.grade_notes
    persons.sort(key=lambda p: (p.rank, p.id))
    return IndividualResults(settings, a.framework, section_grade, persons, quotas[0] if quotas else None)
