"""Load and score one assessment year for the site, refusing input that does not validate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..load import Assessment
from ..problems import InputError
from ..score import score_assessment
from ..score.results import Results
from ..workspace import find_root, load_workspace

#: Problems shown in a build error before "… and N more".
SHOWN = 20


@dataclass
class LoadedYear:
    root: Path
    assessment: Assessment
    results: Results
    warnings: list[str]


def years(root: Path) -> list[int]:
    """Assessment years of the repository at `root` (folders evidence/<year>/ with units.toml), ascending."""
    base = root / "evidence"
    if not base.is_dir():
        return []
    return sorted(int(p.name) for p in base.iterdir()
                  if p.name.isdigit() and len(p.name) == 4 and (p / "units.toml").is_file())


def load_year(start: str | Path, year: int | None = None) -> LoadedYear:
    """Validate and score `year` (default: the latest) of the repository at or above `start`."""
    root = find_root(Path(start))
    known = years(root)
    if not known:
        raise InputError(f"no assessment year in {root}: expected evidence/<year>/units.toml")
    year = year if year is not None else known[-1]
    if year not in known:
        raise InputError(f"no assessment for {year} in {root}: years are {', '.join(map(str, known))}")
    ws = load_workspace(str(root), years={year})
    errors = ws.problems.errors
    if errors:
        lines = [p.format() for p in errors[:SHOWN]]
        more = f"\n… and {len(errors) - SHOWN} more" if len(errors) > SHOWN else ""
        raise InputError(f"the input for {year} has {len(errors)} errors; fix them (see `kaohe check`):\n"
                         + "\n".join(lines) + more)
    assessment = ws.repo.assessments.get(year)
    if assessment is None:
        raise InputError(f"evidence/{year}/units.toml could not be loaded")
    warnings = [p.format() for p in ws.problems if p.severity != "error"]
    return LoadedYear(root, assessment, score_assessment(assessment), warnings)
