"""A findings file: each [[finding]] validated on its own, its evidence references kept in the unit's folder."""

from __future__ import annotations

from collections import Counter

from ..model import Appeal, Finding
from ..problems import Problems
from ..source import Source
from ..tomlsource import TomlDocument
from ..tree import Tree
from .lifecycle import load_appeals
from .links import join_inside
from .reading import read_toml
from .reporting import validate_rest


def load_findings(
    tree: Tree, path: str, unit_dir: str | None, problems: Problems, appeals: list[Appeal] | None = None
) -> list[Finding]:
    """The [[finding]] tables of a file; its [[appeal]] tables go to `appeals`."""
    doc = read_toml(tree, path, problems)
    if doc is None:
        return []
    for key in doc.data:
        if key not in ("finding", "appeal"):
            problems.add(
                path,
                *doc.locate((key,)),
                f"unknown top-level key '{key}'",
                "a findings file holds [[finding]] tables, an appeal file [[appeal]] tables",
            )
    if "appeal" in doc.data and appeals is not None:
        appeals.extend(load_appeals(tree, doc, path, unit_dir, problems))
    raw_findings = doc.data.get("finding", [])
    if not isinstance(raw_findings, list):
        problems.add(path, *doc.locate(("finding",)), "'finding' must be an array of tables", "write [[finding]]")
        return []
    findings = []
    for n, raw in enumerate(raw_findings):
        f, valid = validate_rest(Finding, raw, doc, path, problems, ("finding", n))
        if f is None:
            continue
        f._partial = not valid
        f._path = path
        f._source = Source(path, doc.locate(("finding", n))[0])
        if f.unit is None:
            if unit_dir is None:
                problems.add(
                    path,
                    *doc.locate(("finding", n)),
                    f"finding '{f.id}' does not say which unit it is for",
                    'add `unit = "<unit id>"` or keep the file in the unit\'s folder',
                )
                continue
            f.unit = unit_dir
        elif unit_dir is not None and f.unit != unit_dir:
            problems.add(
                path,
                *doc.locate(("finding", n, "unit")),
                f"unit '{f.unit}' differs from the folder '{unit_dir}'",
                "move the finding or remove `unit`",
            )
        f._evidence_paths = _evidence_paths(tree, path, doc, n, f, problems)
        f._doc = doc
        f._index = n
        findings.append(f)
    return findings


def _evidence_paths(tree: Tree, path: str, doc: TomlDocument, n: int, f: Finding, problems: Problems) -> list[str]:
    """The files a finding cites, each once: inside its unit's folder, and existing there.

    A finding is about one unit; what it cites is shown on that unit's score sheet, so it may not
    reach into another unit's folder (nor anywhere else in the repository).
    """
    folder = path.rpartition("/")[0]
    unit_folder = "/".join(path.split("/")[:2]) + f"/{f.unit}/"

    def report(k: int, message: str, hint: str, code: str, severity: str = "error") -> None:
        line, col = doc.locate(("finding", n, "evidence", k))  # located only when reported: it costs a scan
        problems.add(path, line, col, message, hint, severity=severity, code=code)

    cited: Counter[str] = Counter()
    for k, ref in enumerate(f.evidence):
        resolved = join_inside(folder, ref) if not ref.startswith("/") else None
        if resolved is None:
            report(
                k,
                f"evidence path '{ref}' leaves the repository",
                "give a path relative to this file",
                "finding.evidence-outside",
            )
        elif not (resolved + "/").startswith(unit_folder):
            report(
                k,
                f"evidence '{ref}' is not in the folder of unit '{f.unit}' ({unit_folder})",
                "a finding cites its own unit's files; copy what it needs there",
                "finding.evidence-other-folder",
            )
        elif not tree.exists(resolved) or tree.is_dir(resolved) or resolved == path:
            missing = not tree.exists(resolved)
            report(
                k,
                f"evidence file does not exist: '{ref}'" if missing else f"'{ref}' is not an evidence file",
                "name a file, relative to this findings file",
                "finding.evidence-missing",
            )
        else:
            cited[resolved] += 1
            if cited[resolved] == 2:  # reported once per file, however often it repeats
                repeats = sum(join_inside(folder, r) == resolved for r in f.evidence)
                report(
                    k,
                    f"'{ref}' is cited {repeats} times",
                    "cite each file once",
                    "finding.evidence-repeated",
                    severity="warning",
                )
    return list(cited)
