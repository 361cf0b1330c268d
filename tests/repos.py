"""Repositories the publishing and organization tests share: the mini fixture grown by a year or an organization."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, ROOT


def add_year_2011(repo: Path) -> None:
    year = repo / "evidence/2011"
    (year / "xingren").mkdir(parents=True)
    units = (repo / "evidence/2010/units.toml").read_text(encoding="utf-8").replace("year = 2010", "year = 2011")
    (year / "units.toml").write_text(units, encoding="utf-8")
    (year / "xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2011-03-15\nsatisfies = "meeting"\n+++\n2011年贯彻会议情况报告。\n',
        encoding="utf-8",
    )


def name_organization(repo: Path, organization: str = "qianxinan-qts") -> None:
    """Give the fixture's framework (issued by 黔西南州质量技术监督局) an organization."""
    framework = repo / "frameworks/mini/framework.toml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(text.replace("year = 2010\n", f'organization = "{organization}"\nyear = 2010\n', 1))


def add_liaoyang(repo: Path) -> None:
    """A second organization: the shipped 辽阳 2014 framework and its year of evidence."""
    shutil.copytree(ROOT / "frameworks/liaoyang-ciq-2014", repo / "frameworks/liaoyang-ciq-2014")
    shutil.copytree(ROOT / "evidence/2014", repo / "evidence/2014")


def two_organizations(repo: Path) -> Path:
    """黔西南 (the fixture) with 2010 and 2011, and 辽阳 with 2014, in one repository."""
    shutil.copytree(FIXTURES / "mini", repo)
    name_organization(repo)
    add_year_2011(repo)
    add_liaoyang(repo)
    return repo
