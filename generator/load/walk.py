"""The tree walk: list frameworks/ and evidence/ once, report what is not read, hand each folder to its reader."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from ..controlchars import BIDI_CONTROLS, describe
from ..gcpause import gc_paused
from ..messages import msg
from ..model import Assessment, Framework, Repository
from ..problems import Problems
from ..tree import INPUT_FOLDERS, Refused, Tree
from .frameworks import load_framework
from .years import load_year

YEAR_DIR = re.compile(r"^[0-9]{4}\Z")  # not \d: it matches full-width digits; not $: it matches before "\n"


def load_repository(tree: Tree, problems: Problems, years: set[int] | None = None) -> Repository:
    with gc_paused():  # everything loaded stays alive: see generator.gcpause
        return _load_repository(tree, problems, years)


def _load_repository(tree: Tree, problems: Problems, years: set[int] | None) -> Repository:
    for folder in INPUT_FOLDERS:
        for refused in tree.refused(folder):
            report_refused(refused, problems)
    framework_files = list(tree.files("frameworks"))  # each folder is listed once, whatever reads it
    evidence_files = list(tree.files("evidence"))
    per_framework = _by_folder(framework_files)
    per_year = _by_folder(evidence_files)
    frameworks: dict[str, Framework] = {}
    broken: dict[str, set[str]] = {}
    framework_dirs = {f for f, paths in per_framework.items() if f"frameworks/{f}/framework.toml" in paths}
    for folder in sorted(framework_dirs):
        fw, bad = load_framework(tree, folder, per_framework[folder], problems)
        if fw is not None:
            frameworks[fw.id] = fw
            broken[fw.id] = bad
    year_dirs = {y for y, paths in per_year.items() if f"evidence/{y}/units.toml" in paths}
    _report_case_twins(framework_files + evidence_files, problems)
    _report_bidi_names(framework_files + evidence_files, problems)
    _report_unread(
        tree,
        problems,
        [
            ("frameworks", framework_files, framework_dirs, "framework.toml"),
            ("evidence", evidence_files, year_dirs, "units.toml"),
        ],
    )
    assessments: dict[int, Assessment] = {}
    refused = framework_dirs - {fw.path.split("/")[1] for fw in frameworks.values()}  # reported there
    for folder in sorted(year_dirs):
        path = f"evidence/{folder}/units.toml"
        if not YEAR_DIR.match(folder):
            problems.report(path, 1, 1, "year.folder-name", folder=folder)
            continue
        if years is not None and int(folder) not in years:
            continue
        a = load_year(tree, int(folder), per_year[folder], frameworks, broken, problems, refused)
        if a is not None:
            assessments[a.year] = a
    return Repository(frameworks, assessments, broken, files=len(framework_files) + len(evidence_files))


def _by_folder(paths: list[str]) -> dict[str, list[str]]:
    """Paths grouped by the folder right under the input folder (a framework, a year)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        parts = path.split("/", 2)
        if len(parts) > 2:
            grouped[parts[1]].append(path)
    return grouped


def report_refused(refused: Refused, problems: Problems) -> None:
    """A link, pipe, submodule or undecodable name under an input folder (or individual.toml, see
    generator.individual.privacy): an error, the same in any tree.

    The code is ``tree.<kind>`` (symlink, special, submodule, name); `detail` is the link's target
    or the kind of special file (``tree.special.fifo``…).
    """
    name = refused.path.rpartition("/")[2]
    detail = msg(refused.detail) if refused.kind == "special" else refused.detail
    problems.report(refused.path, 1, 1, f"tree.{refused.kind}", name=name, detail=detail)


def _report_case_twins(paths: list[str], problems: Problems) -> None:
    """Files whose paths differ only in case or Unicode form (anlong/ and Anlong/, 会议.md in NFC and
    NFD). Git keeps both, but on Windows and macOS, where a bureau's clerks check out and copy the
    site, one of them overwrites the other: the site loses a page, a working copy a file."""
    first: dict[str, str] = {}
    for path in paths:
        folded = path.lower() if path.isascii() else unicodedata.normalize("NFC", path).casefold()
        earlier = first.setdefault(folded, path)
        if earlier != path:
            problems.report(path, 1, 1, "tree.case-twin", first=earlier)


def _report_bidi_names(paths: list[str], problems: Problems) -> None:
    """Paths holding a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): an error.

    Such a character is invisible and makes the name display in another order than it is stored
    ("Trojan Source"): "df-01-会议\\u202egpj.md" reads as a picture in the review's file list. No
    name needs one (names in Arabic script are written as they are); the outputs show it as
    ``\\u202e`` and the site isolates it, but the reviewer of the pull request sees the forged name.
    Reported once per file, at the first such character."""
    for path in paths:
        found = BIDI_CONTROLS.search(path)
        if found is not None:
            problems.report(path, 1, 1, "tree.bidi-name", char=describe(found.group()), position=found.start() + 1)


def _report_unread(tree: Tree, problems: Problems, folders: list[tuple[str, list[str], set[str], str]]) -> None:
    """Folders kaohe would silently skip: a framework without framework.toml, a year without units.toml.

    Where the needed file is a folder (``units.toml/``), that is the error: the file is there in
    the wrong shape, and "no units.toml" would send the reader looking for a file that exists.
    """
    for prefix, paths, known, needed in folders:
        reported: set[str] = set()
        for path in paths:
            parts = path.split("/")
            if len(parts) > 2 and parts[1] not in known and parts[1] not in reported:
                reported.add(parts[1])
                folder = f"{prefix}/{parts[1]}/"
                if tree.is_dir(folder + needed):
                    problems.report(folder + needed, 1, 1, "tree.not-a-file", name=needed, folder=folder)
                else:
                    problems.report(path, 1, 1, "tree.unread-folder", severity="warning", folder=folder, needed=needed)
