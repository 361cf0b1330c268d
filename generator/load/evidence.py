"""One evidence file: front matter validated against the model, links checked, body kept for the site."""

from __future__ import annotations

from ..model import Evidence, EvidenceMeta
from ..problems import Problems, did_you_mean
from ..tree import Tree
from . import bodies
from .frontmatter import opens_front_matter, split_front_matter
from .links import check_links
from .reading import read_text, read_toml
from .reporting import validate_rest


def load_evidence(tree: Tree, path: str, unit_dir: str, unit_ids: set[str], problems: Problems) -> Evidence | None:
    text = read_text(tree, path, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None and opens_front_matter(text):
        problems.report(path, 1, 1, "evidence.front-matter-unclosed")
        return None
    if parts is None:
        problems.report(path, 1, 1, "evidence.no-front-matter")
        return None
    front, body, body_line = parts
    doc = read_toml(tree, path, problems, text=front, line_offset=1)
    if doc is None:
        return None
    meta, _ = validate_rest(EvidenceMeta, doc.data, doc, path, problems)
    doc.data = {}  # the values are in the model now; the text stays, to locate problems
    if meta is None:
        check_links(tree, path, body, body_line, problems)
        return None
    unit = meta.unit or unit_dir
    if unit_dir not in unit_ids:
        problems.report(
            path, 1, 1, "evidence.unknown-unit-folder", folder=unit_dir, suggestion=did_you_mean(unit_dir, unit_ids)
        )
    elif meta.unit is not None and meta.unit != unit_dir:
        problems.report(path, *doc.locate(("unit",)), "evidence.unit-differs", unit=meta.unit, folder=unit_dir)
    ev = Evidence(
        path=path,
        unit=unit,
        indicator=meta.indicator,
        date=meta.date,
        title=meta.title,
        satisfies=meta.satisfies,
        count=meta.count,
        metrics=dict(meta.metrics),
        body=body,
        body_line=body_line,
        author=meta.author,
        doc=doc,
    )
    ev.links = check_links(tree, path, body, body_line, problems)
    bodies.loaded(ev, tree)
    return ev
