"""A copy of the mini fixture whose values are written right to left, for the text-direction tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

#: A real unit name in Uyghur (Arabic script): check accepts it, every output must isolate it.
UYGHUR = "ئۈرۈمچى شەھەرلىك"
#: An evidence title and a finding's reason in Hebrew.
HEBREW_TITLE = "דוח ישיבה"
HEBREW_REASON = "קבלת מתנות"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rtl_repo(target: Path) -> Path:
    """The mini fixture at `target`, with xingren named in Uyghur, one of its evidence titles and one
    finding's reason in Hebrew."""
    shutil.copytree(FIXTURES / "mini", target)
    _replace(target / "evidence/2010/units.toml", 'name = "兴仁县质监局"', f'name = "{UYGHUR}"')
    _replace(target / "evidence/2010/xingren/df-01-meeting.md", 'title = "贯彻', f'title = "{HEBREW_TITLE}贯彻')
    _replace(target / "evidence/2010/xingren/findings.toml", 'reason = "稽查', f'reason = "{HEBREW_REASON}稽查')
    return target
