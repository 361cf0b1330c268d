"""Write tiny repositories for tests: one framework, one year, a few units, evidence and findings.

Tests state the TOML of the indicators under test and the evidence they need; everything else
(framework metadata, units file) is filled in so that each test reads as the rule it checks.
"""

from __future__ import annotations

import datetime
import textwrap
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path

from generator.load import load_repository
from generator.problems import Problems
from generator.score import score_assessment
from generator.score.results import IndicatorResult, Line, Results
from generator.source import Source
from generator.tree import FsTree
from generator.validate import validate_repository

FRAMEWORK = """\
id = "t"
title = "测试框架"
{settings}

[[series]]
id = "county"
title = "县局"

[[series]]
id = "office"
title = "科室"
{parts}
"""

UNITS = """\
year = 2010
framework = "t"
{units}
"""


#: One indicator "x" worth 10 points; an assessor's discretionary deduction (range 0–10) sets a
#: unit's total exactly: total = 10 − amount.
RANGE_10 = """
[[indicator]]
id = "x"
target = "工作"
points = 10

[[indicator.rule]]
id = "r"
kind = "range"
min = 0
max = 10
"""

#: 管理绩效-style indicator with no floor: 1 point and a fixed deduction of 3, so a finding takes it to −2.
BELOW_ZERO = """
[[indicator]]
id = "gl"
target = "管理"
points = 1
floor = "none"

[[indicator.rule]]
id = "err"
kind = "fixed"
amount = 3
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_repo(
    root: Path,
    indicators: str,
    *,
    category: str = 'id = "c"\ntitle = "类别"',
    settings: str = "",
    parts: str = "",
    units: tuple[tuple[str, str], ...] = (("a", "county"),),
    evidence: dict[str, str] | None = None,
    findings: dict[str, str] | None = None,
) -> Path:
    """A repository with framework `t` (one category file) and year 2010."""
    write(root / "frameworks/t/framework.toml", FRAMEWORK.format(settings=settings, parts=parts))
    write(root / "frameworks/t/01-c.toml", f"[category]\n{textwrap.dedent(category)}\n\n{textwrap.dedent(indicators)}")
    unit_tables = "\n".join(f'[[unit]]\nid = "{u}"\nname = "{u}单位"\nseries = "{s}"\n' for u, s in units)
    write(root / "evidence/2010/units.toml", UNITS.format(units=unit_tables))
    for rel, text in (evidence or {}).items():
        write(root / "evidence/2010" / rel, text)
    for rel, text in (findings or {}).items():
        write(root / "evidence/2010" / rel, text)
    return root


def evidence(indicator: str, date: str = "2010-06-30", **keys: str) -> str:
    """Front matter + a one-line body; keys are TOML values written as given."""
    lines = [f'indicator = "{indicator}"', f"date = {date}"] + [f"{k} = {v}" for k, v in keys.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n正文。\n"


def finding(fid: str, indicator_id: str, rule: str, reason: str = "理由", **keys: str) -> str:
    """One [[finding]] table dated 2010-08-01; keys are TOML values written as given."""
    lines = [
        f'id = "{fid}"',
        f'indicator = "{indicator_id}"',
        f'rule = "{rule}"',
        "date = 2010-08-01",
        f'reason = "{reason}"',
    ] + [f"{k} = {v}" for k, v in keys.items()]
    return "[[finding]]\n" + "\n".join(lines) + "\n\n"


def line_of(root: Path, rel: str, text: str, nth: int = 1) -> int:
    """The 1-based line of the `nth` line of file `rel` that starts with `text`, counted in the file itself."""
    hits = [
        n for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1) if line.startswith(text)
    ]
    return hits[nth - 1]


def load(root: Path) -> tuple[object, Problems]:
    problems = Problems()
    repo = load_repository(FsTree(root), problems)
    validate_repository(repo, problems)
    return repo, problems


def score(root: Path, as_of: str | None = None) -> Results:
    from datetime import date

    repo, problems = load(root)
    assert not problems.errors, "\n".join(p.format() for p in problems)
    return score_assessment(repo.assessments[2010], date.fromisoformat(as_of) if as_of else None)  # type: ignore[attr-defined]


def indicator(results: Results, unit: str, indicator_id: str) -> IndicatorResult:
    u = results.unit(unit)
    assert u is not None
    return next(i for i in u.indicators if i.id == indicator_id)


def D(text: str) -> Decimal:
    return Decimal(text)


@dataclass(eq=False)
class Worded:
    """A result line as a test expects it: every field of :class:`Line`, its reason as the reader sees
    it (the catalogue's wording in the language of the moment, Chinese by default). Compared whole,
    so a wrong reason, rule id, source line or evidence link fails as surely as a wrong amount."""

    amount: Decimal
    reason: str
    rule: str
    source: Source
    evidence: list[str] = field(default_factory=list)
    kind: str = "deduction"
    finding: str | None = None
    missing: str | None = None
    item: str | None = None
    mitigates: str | None = None
    appeals: list = field(default_factory=list)
    original: Decimal | None = None
    period: str | None = None
    weight: Decimal | None = None
    late_assessment: datetime.date | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return all(getattr(other, f.name) == getattr(self, f.name) for f in fields(self))
