"""individual.toml: whose staff a private repository assesses, and how its results combine."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..problems import Problems, did_you_mean
from ..types import Id, Month, Name, Number, invalid

if TYPE_CHECKING:
    from ..model import Repository
    from ..tomlsource import TomlDocument
    from ..tree import Tree

SETTINGS_FILE = "individual.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StaffQuota(_Strict):
    """A staff grade whose quota follows the section's own grade (科室优秀的，个人优秀比例20%)."""

    grade: Name = Field(description="The staff grade with the quota, e.g. 优秀.")
    by_section_grade: dict[str, Number] = Field(
        min_length=1, description="Section grade → share of the staff (percent, 0–100) that may get the grade."
    )

    @model_validator(mode="after")
    def _percentages(self) -> StaffQuota:
        for grade, percent in self.by_section_grade.items():
            if not Decimal(0) <= percent <= Decimal(100):
                raise invalid("individual.share-out-of-range", grade=grade, percent=percent)
        return self


class Decomposition(_Strict):
    """An individual indicator and the section's indicators it is decomposed from (层层分解)."""

    indicator: Id
    section_indicators: list[Id] = Field(min_length=1)


class IndividualSettings(_Strict):
    section: Id = Field(description="The section's unit id in the public repository.")
    section_name: Name
    year: int = Field(ge=1900, le=2200)
    framework: Id = Field(description="The individual framework of this repository (personnel = true).")
    section_framework: Id | None = Field(None, description="The section's framework in the public repository.")
    section_grade: Name | None = Field(None, description="The section's approved grade; `--public` checks it.")
    months: list[Month] = Field(min_length=1, description="The months assessed (月考核).")
    monthly_categories: list[Id] = Field(min_length=1, description="Categories scored every month.")
    yearly_categories: list[Id] = Field(default_factory=list, description="Categories scored once a year.")
    monthly_share: Number = Field(ge=0, le=100, description="Share of the monthly average in the annual score (%).")
    yearly_share: Number = Field(ge=0, le=100, description="Share of the yearly categories in the annual score (%).")
    report_day: int = Field(5, ge=1, le=28, description="The quarterly report is due by this day of the next month.")
    staff_quota: StaffQuota | None = None
    decomposition: list[Decomposition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shares_add_up(self) -> IndividualSettings:
        if self.monthly_share + self.yearly_share != 100:
            raise invalid(
                "individual.shares-not-100",
                monthly=self.monthly_share,
                yearly=self.yearly_share,
                total=self.monthly_share + self.yearly_share,
            )
        if self.yearly_share and not self.yearly_categories:
            raise invalid("individual.yearly-without-categories")
        if sorted(set(self.months)) != self.months:
            raise invalid("individual.months-order")
        return self


def load_settings(tree: Tree, problems: Problems) -> tuple[IndividualSettings, TomlDocument] | None:
    """individual.toml, validated (each problem at its line), with its document to locate keys."""
    from ..load.reading import read_toml  # the loader is heavy; settings are read only where needed
    from ..load.reporting import validate_model

    doc = read_toml(tree, SETTINGS_FILE, problems)
    if doc is None:
        return None
    settings = validate_model(IndividualSettings, doc.data, doc, SETTINGS_FILE, problems)
    return (settings, doc) if settings is not None else None


def check_settings(settings: IndividualSettings, doc: TomlDocument, repository: Repository, problems: Problems) -> None:
    """What individual.toml names exists in the repository: the personnel framework, its categories
    and indicators, the year and the quota's grade."""

    def report(where: tuple[str | int, ...], code: str, **params: object) -> None:
        problems.report(SETTINGS_FILE, *doc.locate(where), code, **params)

    fw = repository.frameworks.get(settings.framework)
    if fw is None:
        suggestion = did_you_mean(settings.framework, repository.frameworks)
        report(("framework",), "individual.unknown-framework", framework=settings.framework, suggestion=suggestion)
        return
    if not fw.personnel:
        report(("framework",), "individual.framework-not-personnel", framework=fw.id)
    categories = {c.id for c in fw.categories}
    for key in ("monthly_categories", "yearly_categories"):
        for n, cid in enumerate(getattr(settings, key)):
            if cid not in categories:
                suggestion = did_you_mean(cid, categories)
                report((key, n), "individual.unknown-category", framework=fw.id, category=cid, suggestion=suggestion)
            elif key == "yearly_categories" and cid in settings.monthly_categories:
                report((key, n), "individual.category-twice", category=cid)
    indicators = {i.id for i in fw.indicators()}
    for n, d in enumerate(settings.decomposition):
        if d.indicator not in indicators:
            suggestion = did_you_mean(d.indicator, indicators)
            report(
                ("decomposition", n, "indicator"),
                "individual.unknown-indicator",
                indicator=d.indicator,
                suggestion=suggestion,
            )
    if settings.year not in repository.assessments:
        report(("year",), "individual.unknown-year", year=settings.year)
    grades = {g.title: g for g in fw.grade}
    if settings.staff_quota is not None and settings.staff_quota.grade not in grades:
        report(
            ("staff_quota", "grade"),
            "individual.unknown-grade",
            grade=settings.staff_quota.grade,
            framework=fw.id,
            suggestion=did_you_mean(settings.staff_quota.grade, grades),
        )
    elif settings.staff_quota is not None and grades[settings.staff_quota.grade].quota is None:
        # the share replaces the band's quota's percent; its rounding and ties come from the band,
        # so a band without a quota would drop the share and grade every staff member who reaches it
        report(
            ("staff_quota", "grade"),
            "individual.staff-quota-band-without-quota",
            grade=settings.staff_quota.grade,
            framework=fw.id,
        )
