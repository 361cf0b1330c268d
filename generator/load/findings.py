"""A findings file: each [[finding]] validated on its own, its evidence references kept in the unit's folder."""

from __future__ import annotations

import re
from collections import Counter

from ..messages import msg
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
    if not doc.data:
        # nothing but blanks and comments: a finding not yet written, or one commented out or
        # saved empty by mistake; a file that deducts nothing has no reason to be reviewed
        problems.report(path, 1, 1, "findings.empty", severity="warning")
        return []
    for key in doc.data:
        if key not in ("finding", "appeal"):
            problems.report(path, *doc.locate((key,)), "findings.unknown-key", key=key)
    if "appeal" in doc.data and appeals is not None:
        appeals.extend(load_appeals(tree, doc, path, unit_dir, problems))
    raw_findings = doc.data.get("finding", [])
    if not isinstance(raw_findings, list):
        problems.report(path, *doc.locate(("finding",)), "findings.not-an-array")
        return []
    findings = []
    header_lines = _header_lines(doc, len(raw_findings))
    for n, raw in enumerate(raw_findings):
        f, valid = validate_rest(Finding, raw, doc, path, problems, ("finding", n))
        if f is None:
            continue
        f._partial = not valid
        f._path = path
        f._source = Source(path, header_lines[n] if header_lines else doc.locate(("finding", n))[0])
        if f.unit is None:
            if unit_dir is None:
                problems.report(path, *doc.locate(("finding", n)), "finding.no-unit", finding=f.id)
                continue
            f.unit = unit_dir
        elif unit_dir is not None and f.unit != unit_dir:
            problems.report(
                path, *doc.locate(("finding", n, "unit")), "finding.unit-differs", unit=f.unit, folder=unit_dir
            )
        f._evidence_paths = _evidence_paths(tree, path, doc, n, f, problems)
        f._doc = doc
        f._index = n
        findings.append(f)
    doc.data = {}  # the values are in the models now; the text stays, to locate problems
    return findings


#: A `[[finding]]` header as kaohe writes it: the whole line.
_HEADER = re.compile(r"^\[\[finding\]\]$", re.MULTILINE)


def _header_lines(doc: TomlDocument, count: int) -> list[int] | None:
    """The line of each `[[finding]]` header, found without the position scan when that is certain.

    In a file that parsed, a line holding nothing but `[[finding]]` is a header unless it stands
    inside a multi-line string; so when there is no such string and there are as many of these
    lines as findings, the n-th of them opens the n-th finding. Otherwise None: the findings'
    lines come from :meth:`TomlDocument.locate`, which scans the whole file (a third of loading a
    findings file).
    """
    text = doc.text
    if '"""' in text or "'''" in text:
        return None
    starts = [m.start() for m in _HEADER.finditer(text)]
    if len(starts) != count:
        return None
    lines, line, at = [], 1 + doc.line_offset, 0
    for start in starts:
        line += text.count("\n", at, start)
        at = start
        lines.append(line)
    return lines


def _evidence_paths(tree: Tree, path: str, doc: TomlDocument, n: int, f: Finding, problems: Problems) -> list[str]:
    """The files a finding cites, each once: inside its unit's folder, and existing there.

    A finding is about one unit; what it cites is shown on that unit's score sheet, so it may not
    reach into another unit's folder (nor anywhere else in the repository).
    """
    folder = path.rpartition("/")[0]
    unit_folder = "/".join(path.split("/")[:2]) + f"/{f.unit}/"

    def report(k: int, code: str, severity: str = "error", **params: object) -> None:
        line, col = doc.locate(("finding", n, "evidence", k))  # located only when reported: it costs a scan
        problems.report(path, line, col, code, severity=severity, ref=f.evidence[k], **params)

    cited: Counter[str] = Counter()
    for k, ref in enumerate(f.evidence):
        resolved = join_inside(folder, ref) if not ref.startswith("/") else None
        if resolved is None:
            report(k, "finding.evidence-outside")
        elif not (resolved + "/").startswith(unit_folder):
            report(k, "finding.evidence-other-folder", unit=f.unit, folder=unit_folder)
        elif not tree.exists(resolved) or tree.is_dir(resolved) or resolved == path:
            what = "absent" if not tree.exists(resolved) else "not-a-file"
            report(k, "finding.evidence-missing", what=msg(f"finding.evidence-missing.{what}"))
        else:
            cited[resolved] += 1
            if cited[resolved] == 2:  # reported once per file, however often it repeats
                repeats = sum(join_inside(folder, r) == resolved for r in f.evidence)
                report(k, "finding.evidence-repeated", severity="warning", times=repeats)
    return list(cited)
