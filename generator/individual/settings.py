"""individual.toml: whose staff a private repository assesses, and how its results combine."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..problems import Problems, did_you_mean
from ..types import Id, Month, Name, Number

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
                raise ValueError(f"the share for section grade {grade} is {percent}: give a percentage from 0 to 100")
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
            raise ValueError(
                f"monthly_share {self.monthly_share} and yearly_share {self.yearly_share} add up to "
                f"{self.monthly_share + self.yearly_share}, not 100"
            )
        if self.yearly_share and not self.yearly_categories:
            raise ValueError("yearly_share needs yearly_categories: the categories scored once a year")
        if sorted(set(self.months)) != self.months:
            raise ValueError("list the months once each, in order")
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

    def report(where: tuple[str | int, ...], message: str, hint: str, code: str) -> None:
        problems.add(SETTINGS_FILE, *doc.locate(where), message, hint, code=code)

    fw = repository.frameworks.get(settings.framework)
    if fw is None:
        hint = did_you_mean(settings.framework, repository.frameworks)
        report(("framework",), f"no framework '{settings.framework}'", hint, "individual.unknown-framework")
        return
    if not fw.personnel:
        report(
            ("framework",),
            f"framework '{fw.id}' is not marked personnel = true",
            "mark it, so that no public build ever takes it for a section's framework",
            "individual.framework-not-personnel",
        )
    categories = {c.id for c in fw.categories}
    for key in ("monthly_categories", "yearly_categories"):
        for n, cid in enumerate(getattr(settings, key)):
            if cid not in categories:
                hint = did_you_mean(cid, categories)
                report((key, n), f"framework '{fw.id}' has no category '{cid}'", hint, "individual.unknown-category")
            elif key == "yearly_categories" and cid in settings.monthly_categories:
                report(
                    (key, n),
                    f"category '{cid}' is both monthly and yearly",
                    "list it once",
                    "individual.category-twice",
                )
    indicators = {i.id for i in fw.indicators()}
    for n, d in enumerate(settings.decomposition):
        if d.indicator not in indicators:
            hint = did_you_mean(d.indicator, indicators)
            report(
                ("decomposition", n, "indicator"),
                f"no individual indicator '{d.indicator}'",
                hint,
                "individual.unknown-indicator",
            )
    if settings.year not in repository.assessments:
        hint = f"add evidence/{settings.year}/units.toml"
        report(("year",), f"no assessment year {settings.year}", hint, "individual.unknown-year")
    grades = [g.title for g in fw.grade]
    if settings.staff_quota is not None and settings.staff_quota.grade not in grades:
        report(
            ("staff_quota", "grade"),
            f"staff_quota names grade '{settings.staff_quota.grade}', which framework '{fw.id}' does not define",
            did_you_mean(settings.staff_quota.grade, grades),
            "individual.unknown-grade",
        )
