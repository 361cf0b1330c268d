"""Load and score one assessment year for the site, refusing input that does not validate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..individual.privacy import refuse_public_site
from ..load import bodies
from ..model import Assessment
from ..score import score_assessment
from ..score.results import Results
from ..tree import FsTree, Tree
from ..workspace import open_year, years_in


@dataclass
class LoadedYear:
    root: Path
    assessment: Assessment
    results: Results
    warnings: list[str]
    #: Period key → the results of that period, for each period shorter than the year (2014-Q3).
    period_results: dict[str, Results] = field(default_factory=dict)


def years(root: Path) -> list[int]:
    """Assessment years of the repository at `root`, ascending."""
    return years_in(FsTree(root))


def load_year(
    start: str | Path,
    year: int | None = None,
    filing_dates: bool = True,
    history: tuple[Path, str] | None = None,
    opened: tuple[Path, Tree] | None = None,
) -> LoadedYear:
    """Validate and score `year` (default: the latest) of the repository at or above `start`.

    With `filing_dates`, a year that judges filing deadlines needs git history (`history`: the
    repository and commit to read it from when `start` is a copy outside git). `opened`: the
    (root, tree) to read instead of the working tree found from `start`.
    """
    with bodies.letting_go():  # pages read their body again (generator.load.bodies)
        mode = "required" if filing_dates else "off"
        ws, assessment = open_year(str(start), None, year, mode, history, opened)
    bodies.drop_front_matter(assessment.evidence)  # validated: nothing left to locate
    refuse_public_site(ws.root, assessment)
    warnings = [p.format() for p in ws.problems if p.severity != "error"]
    results = score_assessment(assessment)
    periods = {p.key: score_assessment(assessment, period=p) for p in results.periods}
    return LoadedYear(ws.root, assessment, results, warnings, periods)
