"""Load the site's MkDocs configuration without running anything it names.

A pull request can change ``mkdocs.yml``, and CI builds pull requests. MkDocs' own loader accepts
``!!python/object/apply:os.system`` (it runs the command while reading the file), ``!ENV`` (it
copies the CI job's environment, tokens included, into the site), ``hooks:`` (Python files from the
repository) and ``theme.custom_dir`` (templates that run unsandboxed). Here the file is read as
plain YAML: the few Python names the site's own configuration needs are allowed by name, every
other tag is refused, and so are the settings that load code from the repository. A refusal names
the file, line and column.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig

from ..messages import joined, msg, tr
from ..problems import InputError

#: kaohe's own configuration, which a repository's mkdocs.yml inherits.
PACKAGE_CONFIG = Path(__file__).parent / "mkdocs.yml"

#: Python callables a configuration may name (``!!python/name:``), none of which runs anything on import.
PYTHON_NAMES = frozenset(
    {
        "pymdownx.slugs.slugify",
        "pymdownx.superfences.fence_code_format",
        "pymdownx.superfences.fence_div_format",
        "material.extensions.emoji.twemoji",
        "material.extensions.emoji.to_svg",
    }
)
#: Python callables a configuration may call with plain YAML arguments (``!!python/object/apply:``).
PYTHON_CALLS = frozenset({"pymdownx.slugs.slugify"})

#: MkDocs plugins a site may enable: kaohe's own and the search index.
PLUGINS = frozenset({"kaohe", "search", "material/search", "offline", "material/offline"})

#: Markdown extensions a site may enable: Python-Markdown's own, PyMdown's and Material's.
_EXTENSION = re.compile(
    r"^(abbr|admonition|attr_list|def_list|extra|fenced_code|footnotes|legacy_attrs|legacy_em|md_in_html|meta"
    r"|nl2br|sane_lists|smarty|tables|toc|wikilinks|codehilite"
    r"|markdown\.extensions\.\w+|pymdownx\.\w+|material\.extensions\.\w+)$"
)

_PYTHON_TAG = "tag:yaml.org,2002:python/"


class SiteConfigRefused(InputError):
    """The site configuration asks for something a build must never do."""


def _refuse(mark: yaml.Mark | None, path: Path, code: str, **params: object) -> SiteConfigRefused:
    """The refusal `code` at the position of `mark` in `path`: the message starts with ``path:line:col``."""
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
    return SiteConfigRefused(code, where=where, **params)


class _Loader(yaml.SafeLoader):
    """Plain YAML plus the allowed Python names; any other tag fails with its position."""

    path = Path("mkdocs.yml")

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise _refuse(node.start_mark, self.path, "site.config-tag", tag=node.tag)

    def construct_python(self, suffix: str, node: yaml.Node) -> Any:
        kind, _, name = suffix.partition(":")
        allowed = PYTHON_NAMES if kind == "name" else PYTHON_CALLS if kind == "object/apply" else frozenset()
        if name not in allowed:
            raise _refuse(
                node.start_mark,
                self.path,
                "site.config-python-tag",
                tag=f"!!python/{suffix}",
                allowed=sorted(PYTHON_NAMES),
            )
        module, _, attr = name.rpartition(".")
        target = getattr(importlib.import_module(module), attr)
        if kind == "name":
            return target
        if isinstance(node, yaml.SequenceNode):
            return target(*self.construct_sequence(node, deep=True))
        spec = self.construct_mapping(node, deep=True) if isinstance(node, yaml.MappingNode) else {}
        return target(*spec.get("args", ()), **spec.get("kwds", {}))


_Loader.add_constructor(None, _Loader.construct_undefined)
_Loader.add_multi_constructor(_PYTHON_TAG, _Loader.construct_python)


def _key(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    return None


def _names(node: yaml.Node) -> list[tuple[str, yaml.Mark]]:
    """The entries of a `plugins:` or `markdown_extensions:` list or mapping, with their positions."""
    if isinstance(node, yaml.MappingNode):
        items = [key for key, _ in node.value]
    elif isinstance(node, yaml.SequenceNode):
        items = [item.value[0][0] if isinstance(item, yaml.MappingNode) and item.value else item for item in node.value]
    else:
        items = []
    return [(str(item.value), item.start_mark) for item in items if isinstance(item, yaml.ScalarNode)]


def _check(root: yaml.Node, path: Path) -> None:
    """Refuse the settings that make MkDocs load code from the repository."""
    if not isinstance(root, yaml.MappingNode):
        return
    if found := _key(root, "hooks"):
        raise _refuse(found[0].start_mark, path, "site.config-hooks")
    theme = _key(root, "theme")
    if theme and isinstance(theme[1], yaml.MappingNode) and (found := _key(theme[1], "custom_dir")):
        raise _refuse(found[0].start_mark, path, "site.config-custom-dir")
    for setting, allowed, what in (
        ("plugins", PLUGINS.__contains__, msg("site.config-plugin.plugins", allowed=sorted(PLUGINS))),
        ("markdown_extensions", _EXTENSION.match, msg("site.config-plugin.extensions")),
    ):
        entry = _key(root, setting)
        for name, mark in _names(entry[1]) if entry else []:
            if not allowed(name):
                raise _refuse(mark, path, "site.config-plugin", setting=setting, name=name, allowed=what)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT rule: mappings merge key by key, anything else in the child replaces the parent's."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_yaml(path: Path, top: Path | None = None) -> dict[str, Any]:
    """The configuration at `path` with what it INHERITs merged in, read without running anything."""
    top = top or path.parent.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigRefused("site.config-unreadable", where=path, error=exc) from exc
    loader = _Loader(text)
    loader.path = path
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _check(node, path)
        inherit_node = _key(node, "INHERIT") if isinstance(node, yaml.MappingNode) else None
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = msg("site.config-syntax.yaml", detail=str(getattr(exc, "problem", exc)))
        raise _refuse(mark, path, "site.config-syntax", error=detail) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise _refuse(node.start_mark, path, "site.config-syntax", error=msg("site.config-syntax.not-a-mapping"))
    inherit = data.pop("INHERIT", None)
    if inherit is None:
        return data
    parent = (path.parent / str(inherit)).resolve()
    if not (parent.is_relative_to(top) or parent == PACKAGE_CONFIG.resolve()):
        mark = inherit_node[1].start_mark if inherit_node else None
        raise _refuse(mark, path, "site.config-inherit-outside", parent=parent, top=top)
    return _merge(read_yaml(parent, top), data)


def load_site_config(path: Path, **options: Any) -> MkDocsConfig:
    """MkDocs' configuration from `path` (safely read) with `options` replacing its settings, validated."""
    config = MkDocsConfig(config_file_path=str(path))
    config.load_dict(read_yaml(path))
    config.load_dict({key: value for key, value in options.items() if value is not None})
    with _jieba_without_pkg_resources():
        errors, warnings = config.validate()  # loads the plugins: the search plugin imports jieba
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(tr("site.config-warning", name=name, warning=warning))
    problems = [*errors, *(warnings if config.strict else [])]
    if problems:
        details = [msg("site.config-invalid.detail", name=name, problem=str(problem)) for name, problem in problems]
        raise SiteConfigRefused("site.config-invalid", where=path, details=joined("value.sentence-separator", details))
    return config


@contextlib.contextmanager
def _jieba_without_pkg_resources() -> Iterator[None]:
    """Import jieba (for the search plugin) as where setuptools is absent: jieba then reads its
    dictionary from beside its module, the file it would ask ``pkg_resources`` for, and the
    deprecated ``pkg_resources`` (0.13 s to import) is not imported on every build."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        yield
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
    try:
        with contextlib.suppress(ImportError):
            import jieba  # noqa: F401
        yield
    finally:
        del sys.modules["pkg_resources"]
