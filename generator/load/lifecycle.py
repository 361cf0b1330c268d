"""Appeals ([[appeal]] tables in a unit's folder) and the stages of a year (evidence/<year>/stages.toml).

An appeal is filed by the unit and reviewed by pull request like everything else, so it lives in
the unit's folder, in a .toml file of its own (``<indicator>-appeal-….toml`` routes it to the
department that decides it). Its decision is added to the same table later, by another pull request.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from ..model import Appeal, StageRecord, StagesFile
from ..source import Source
from .reading import read_toml
from .reporting import validate_model

if TYPE_CHECKING:
    from ..problems import Problems
    from ..tomlsource import TomlDocument
    from ..tree import Tree

STAGES_FILE = "stages.toml"


def load_appeals(tree: Tree, doc: TomlDocument, path: str, unit_dir: str | None, problems: Problems) -> list[Appeal]:
    """Each [[appeal]] of a file already read, validated on its own."""
    raw = doc.data.get("appeal", [])
    if not isinstance(raw, list):
        problems.report(path, *doc.locate(("appeal",)), "appeal.not-an-array")
        return []
    if unit_dir is None:
        problems.report(path, *doc.locate(("appeal",)), "appeal.outside-unit")
        return []
    appeals = []
    for n, table in enumerate(raw):
        appeal = validate_model(Appeal, table, doc, path, problems, ("appeal", n))
        if appeal is None:
            continue
        appeal._path, appeal._unit, appeal._doc, appeal._index = path, unit_dir, doc, n
        appeal._source = Source(path, doc.locate(("appeal", n))[0])
        appeal._evidence_paths = _evidence_paths(tree, appeal, path, unit_dir, problems)
        appeals.append(appeal)
    return appeals


def _evidence_paths(tree: Tree, appeal: Appeal, path: str, unit_dir: str, problems: Problems) -> list[str]:
    """The files an appeal adds: inside its unit's folder, existing there, each once."""
    folder = posixpath.dirname(path)
    unit_folder = "/".join(path.split("/")[:2]) + f"/{unit_dir}/"
    paths: list[str] = []
    for k, ref in enumerate(appeal.evidence):
        resolved = posixpath.normpath(posixpath.join(folder, ref)) if not ref.startswith("/") else ""
        line, col = appeal._doc.locate(("appeal", appeal._index, "evidence", k))
        if not resolved.startswith(unit_folder):
            problems.report(path, line, col, "appeal.evidence-other-folder", ref=ref, unit=unit_dir, folder=unit_folder)
        elif not tree.exists(resolved) or tree.is_dir(resolved) or resolved == path:
            problems.report(path, line, col, "appeal.evidence-missing", ref=ref)
        elif resolved not in paths:
            paths.append(resolved)
    return paths


def load_stages(tree: Tree, path: str, problems: Problems) -> list[StageRecord]:
    """evidence/<year>/stages.toml: the stages reached, in the order written."""
    doc = read_toml(tree, path, problems)
    if doc is None:
        return []
    stages = validate_model(StagesFile, doc.data, doc, path, problems)
    if stages is None:
        return []
    for n, record in enumerate(stages.stage):
        record._line = doc.locate(("stage", n))[0]
        record._date_at = doc.locate(("stage", n, "date"))
    return list(stages.stage)
