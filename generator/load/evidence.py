"""One evidence file: front matter validated against the model, links checked, body kept for the site."""

from __future__ import annotations

from ..model import Evidence, EvidenceMeta
from ..problems import Problems, did_you_mean
from ..tomlsource import TomlDocument
from ..tree import Tree
from . import bodies
from .frontmatter import opens_front_matter, split_front_matter
from .links import check_found, links_in
from .parsed import Parsed, ParsedFiles
from .reading import read_text, read_toml
from .reporting import validate_rest


def load_evidence(
    tree: Tree, path: str, unit_dir: str, unit_ids: set[str], problems: Problems, kept: ParsedFiles | None = None
) -> Evidence | None:
    """The evidence file `path`; `kept` holds files parsed by an earlier run (:mod:`.parsed`)."""
    text = read_text(tree, path, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        unclosed = opens_front_matter(text)
        problems.report(path, 1, 1, "evidence.front-matter-unclosed" if unclosed else "evidence.no-front-matter")
        return None
    front, body, body_line = parts
    key = kept.key(path, text, tree) if kept is not None else ""
    found = kept.get(key) if kept is not None else None
    if found is None:
        found, clean = _parse(tree, path, front, body, body_line, problems)
        if found is None:
            return None
        if kept is not None and clean:  # a file with problems is parsed again, to report them again
            kept.put(key, found)
    doc = TomlDocument({}, front, line_offset=1)  # the values are in the model; the text locates problems
    meta = found.meta
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
        body_line=found.body_line,
        author=meta.author,
        doc=doc,
    )
    ev.links = check_found(tree, path, found.links, problems)
    bodies.loaded(ev, tree, found.pages)
    return ev


def _parse(
    tree: Tree, path: str, front: str, body: str, body_line: int, problems: Problems
) -> tuple[Parsed | None, bool]:
    """What the file's text gives (None when it cannot be scored: its problems are reported), and
    whether the text had no problem at all."""
    before = len(problems)
    doc = read_toml(tree, path, problems, text=front, line_offset=1)
    if doc is None:
        return None, False
    meta, valid = validate_rest(EvidenceMeta, doc.data, doc, path, problems)
    links = links_in(body, body_line)
    if meta is None:
        check_found(tree, path, links, problems)
        return None, False
    pages = bodies.page_count(body) if bodies.lets_go() else None  # a build counts them anyway
    return Parsed(meta, body_line, links, pages), valid and len(problems) == before
