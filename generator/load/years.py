"""One assessment year: evidence/<year>/units.toml, then the evidence and findings of its units."""

from __future__ import annotations

from collections.abc import Collection

from ..model import Assessment, Framework, Unit, UnitsFile
from ..problems import Problems, did_you_mean
from ..refused import names_refused
from ..tomlsource import TomlDocument
from ..tree import Tree
from . import parsed
from .evidence import load_evidence
from .findings import load_findings
from .frontmatter import opens_front_matter
from .lifecycle import STAGES_FILE, load_stages
from .reading import misnamed, read_text, read_toml
from .reporting import validate_model


def load_year(
    tree: Tree,
    year: int,
    files: list[str],
    frameworks: dict[str, Framework],
    broken: dict[str, set[str]],
    problems: Problems,
    refused_frameworks: Collection[str] = frozenset(),
) -> Assessment | None:
    """The year's units, evidence and findings; `files` are the paths under evidence/<year>/.

    `refused_frameworks`: folders of frameworks whose framework.toml was refused (and reported): a
    year of one of them is not read further, nor told its framework is unknown.
    """
    base = f"evidence/{year}"
    path = f"{base}/units.toml"
    doc = read_toml(tree, path, problems)
    if doc is None:
        return None
    units, broken_units = _load_units(doc, path, problems)
    if not units and broken_units:
        return None  # every unit failed: the year cannot be scored (each failure is reported)
    data = {**doc.data, "unit": [u.model_dump() for u in units]} if broken_units else doc.data
    units_file = validate_model(UnitsFile, data, doc, path, problems)
    if units_file is None:
        return None
    if units_file.year != year:
        problems.report(path, *doc.locate(("year",)), "units.year-differs", year=units_file.year, folder=year)
    fw = frameworks.get(units_file.framework)
    if fw is None and names_refused(units_file.framework, frameworks, refused_frameworks):
        return None
    if fw is None:
        problems.report(
            path,
            *doc.locate(("framework",)),
            "units.unknown-framework" if frameworks else "units.no-framework",
            framework=units_file.framework,
            suggestion=did_you_mean(units_file.framework, frameworks),
        )
        return None
    series_ids = {s.id for s in fw.series}
    seen: dict[str, int] = {}
    folded: dict[str, str] = {}  # units/anlong.html and units/Anlong.html are one file on Windows and macOS
    for n, unit in enumerate(units_file.unit):
        if unit.id in seen:
            problems.report(
                path, *doc.locate(("unit", n, "id")), "units.duplicate-id", unit=unit.id, first_line=seen[unit.id]
            )
        elif folded.setdefault(unit.id.lower(), unit.id) != unit.id:
            other = folded[unit.id.lower()]
            where = doc.locate(("unit", n, "id"))
            problems.report(path, *where, "units.case-twin", unit=unit.id, other=other, first_line=seen[other])
        seen.setdefault(unit.id, doc.locate(("unit", n))[0])
        if unit.series not in series_ids:
            problems.report(
                path,
                *doc.locate(("unit", n, "series")),
                "units.unknown-series",
                series=unit.series,
                suggestion=did_you_mean(unit.series, series_ids),
            )
    assessment = Assessment(
        year, path, units_file.title, fw, units_file.unit, filing_deadlines=units_file.filing_deadlines
    )
    assessment.refused_units = {u for u in broken_units if not u.startswith("#")}
    unit_ids = set(seen)
    kept = parsed.for_year(year)
    folders = unit_ids | broken_units  # a unit whose entry failed is reported there, not in every file of its folder
    for file_path in files:
        if file_path == path:
            continue
        rel = file_path[len(base) + 1 :]
        top = rel.split("/")[0] if "/" in rel else None
        if file_path.endswith(".md"):
            if top is None:
                _beside_units(tree, file_path, problems)
                continue
            ev = load_evidence(tree, file_path, top, folders, problems, kept)
            if ev is not None:
                assessment.evidence.append(ev)
        elif file_path.endswith(".toml"):
            if top is not None and top not in folders and top != "findings":
                problems.report(
                    file_path, 1, 1, "findings.unknown-unit-folder", folder=top, suggestion=did_you_mean(top, unit_ids)
                )
                continue
            if rel == STAGES_FILE:
                assessment.stages = load_stages(tree, file_path, problems)
                continue
            unit_dir = top if top in folders else None  # a refused unit's findings are still its own
            assessment.findings.extend(load_findings(tree, file_path, unit_dir, problems, assessment.appeals))
        elif misnamed(file_path):
            problems.report(file_path, 1, 1, "file.unread", severity="warning", name=file_path.rpartition("/")[2])
        elif top is None:
            _stray_in_year(file_path, rel, year, unit_ids, problems)
    assessment.index()
    return assessment


def _stray_in_year(path: str, name: str, year: int, unit_ids: set[str], problems: Problems) -> None:
    """A file beside units.toml that kaohe does not read (neither .md nor .toml).

    A file named like a unit stands where the unit's folder must be: git (and every file system)
    cannot hold a file and a folder of one name, so none of the unit's evidence can be filed and
    it is scored as if it had filed nothing. That is an error. Any other file (a scan, a
    spreadsheet) is shown nowhere and cited by nothing, since evidence cites files of its own
    unit's folder only: most likely an attachment put one folder too high, but the year's results
    do not change, so it is a warning.
    """
    if name in unit_ids:
        problems.report(path, 1, 1, "year.unit-folder-is-file", name=name, year=year)
    else:
        problems.report(path, 1, 1, "year.file-unread", severity="warning", name=name)


def _beside_units(tree: Tree, path: str, problems: Problems) -> None:
    """A README beside units.toml documents the year; evidence there (front matter) would be lost silently."""
    text = read_text(tree, path, Problems())  # its own problems do not matter: it is not read as evidence
    if text is not None and opens_front_matter(text):
        problems.report(path, 1, 1, "evidence.beside-units", severity="warning")


def _load_units(doc: TomlDocument, path: str, problems: Problems) -> tuple[list[Unit], set[str]]:
    """Each [[unit]] validated on its own, so one bad entry does not hide the rest of the year.

    Returns the valid units and the ids of the entries that failed (when they have an id).
    """
    raw_units = doc.data.get("unit")
    if not isinstance(raw_units, list):
        return [], set()  # missing or not an array: UnitsFile's own validation says so
    units: list[Unit] = []
    broken: set[str] = set()
    for n, raw in enumerate(raw_units):
        unit = validate_model(Unit, raw, doc, path, problems, ("unit", n))
        if unit is not None:
            units.append(unit)
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
            broken.add(raw["id"])
        else:
            broken.add(f"#{n}")
    return units, broken
