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
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ..controlchars import BIDI_CONTROLS, describe
from ..messages import DEFAULT, LANGUAGES, joined, msg, tr
from ..problems import InputError, Problems
from ..sourceurl import check_template
from ..tree import Tree
from ..yamlsyntax import yaml_problem

#: The repository's site configuration, beside frameworks/ and evidence/.
CONFIG_NAME = "mkdocs.yml"
#: kaohe's own configuration, which a repository's mkdocs.yml inherits.
PACKAGE_CONFIG = Path(__file__).parent / "mkdocs.yml"
#: What a repository's ``INHERIT`` says to name kaohe's configuration wherever kaohe is installed: a
#: bureau's data repository has no generator/ folder, and the installed package's path differs on
#: every machine (a laptop, pre-commit's environment, CI).
PACKAGE_INHERIT = "kaohe"

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
#: (Material's offline plugin is not one: it adds a script from unpkg.com to every page.)
PLUGINS = frozenset({"kaohe", "search", "material/search"})

#: Markdown extensions a site may enable: Python-Markdown's own, PyMdown's and Material's.
_EXTENSION = re.compile(
    r"^(abbr|admonition|attr_list|def_list|extra|fenced_code|footnotes|legacy_attrs|legacy_em|md_in_html|meta"
    r"|nl2br|sane_lists|smarty|tables|toc|wikilinks|codehilite"
    r"|markdown\.extensions\.\w+|pymdownx\.\w+|material\.extensions\.\w+)$"
)

_PYTHON_TAG = "tag:yaml.org,2002:python/"


class SiteConfigRefused(InputError):
    """The site configuration asks for something a build must never do, at `line`:`col` of `path`
    (a build prints them before the message, `kaohe check` reports them as a problem's place)."""

    def __init__(self, code: str, /, *, path: Path, line: int = 1, col: int = 1, **params: object) -> None:
        super().__init__(code, **params)
        self.path, self.line, self.col = path, line, col

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return tr("site.config-where", where=where, message=super().__str__())


class _Missing(SiteConfigRefused):
    """The file asked for is not there. Where it is the file a configuration INHERITs, :func:`read_yaml`
    reports it at that INHERIT line instead: the fix is to that line, and the missing file has no line."""

    def __init__(self, path: Path) -> None:
        super().__init__("site.config-unreadable", path=path, error=msg("site.config-missing"))


def _refuse(mark: yaml.Mark | None, path: Path, code: str, **params: object) -> SiteConfigRefused:
    """The refusal `code` at the position of `mark` in `path`."""
    if mark is None:
        return SiteConfigRefused(code, path=path, **params)
    return SiteConfigRefused(code, path=path, line=mark.line + 1, col=mark.column + 1, **params)


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


#: What a repository's configuration may set. MkDocs and Material print much of the rest into every
#: page as HTML (copyright, nav titles, extra.*), or make pages load from other hosts (extra_javascript,
#: analytics, repo_url, a logo's URL): a pull request could put a script on every page of the results.
SETTINGS = frozenset(
    {
        *("INHERIT", "site_name", "site_url", "site_description", "site_author", "copyright"),
        *("docs_dir", "site_dir", "use_directory_urls", "strict", "validation", "dev_addr", "watch"),
        *("exclude_docs", "not_in_nav", "draft_docs", "theme", "plugins", "markdown_extensions", "extra_css"),
        "extra",  # only what kaohe's own configuration sets there: EXTRA
    }
)
#: What `extra` may hold: the version selector (mike's versions.json) and the generator notice, as
#: kaohe's own configuration sets them; Material prints the rest (social links, analytics, …).
NESTED: tuple[str, ...] = ()
EXTRA = {"generator": ("false", "False"), "version": NESTED}
EXTRA_VERSION = {"provider": ("mike",), "default": None, "alias": ("true", "false", "True", "False")}
#: Options a plugin entry may give (None: the plugin checks its own). The search plugin's
#: jieba_dict and jieba_dict_user read any file of the building machine (and print it in the error).
PLUGIN_OPTIONS: dict[str, frozenset[str] | None] = {
    "kaohe": None,
    **dict.fromkeys(("search", "material/search"), frozenset({"lang", "separator", "pipeline", "enabled"})),
}
#: What a repository may set of the theme: Material, as kaohe ships it, in its own colours and language.
THEME_SETTINGS = frozenset(
    {"name", "language", "locale", "direction", "palette", "features", "font", "icon", "logo", "favicon"}
)
#: Texts Material prints into pages as they are (no escaping): plain words only.
_PRINTED_AS_HTML = ("copyright", "site_description", "site_author")
_HTML = re.compile(r"[<>&\"]")
#: What no value under `theme` may hold: Material prints the palette and labels into attributes and
#: the icons' names into a <style> element as they are.
_THEME_UNSAFE = re.compile(r"[<>&\"'{};\\`]")
#: An icon's name ("material/alert", "fontawesome/solid/tag"): it names a file of the theme.
_ICON = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\Z")
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?\Z")
#: A file of the site itself: no scheme, no host, no way up.
_RELATIVE = re.compile(r"(?![/\\])(?!.*\.\.)[A-Za-z0-9_./-]+\Z")
#: Extensions that read files from the machine building the site into its pages.
_READS_FILES = frozenset({"pymdownx.snippets", "pymdownx.b64"})


#: YAML's own types a configuration may use. Any other tag is refused: `!!merge` on any key merges
#: a mapping of settings past the checks (`? !!merge site_name` counts as `<<`), `!!binary` is
#: checked as its base64 text and printed as the bytes.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
_STR_TAG = "tag:yaml.org,2002:str"


def _check_plain(root: yaml.Node, path: Path) -> None:
    """Refuse what would make the settings checked differ from the settings MkDocs gets: a tag other
    than YAML's plain types (kaohe's allowed Python names aside), a key that is not a plain string, a
    key given twice (the checks would read the first, YAML keeps the last), a node reached twice
    through an alias (and so any alias bomb)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, bool, str]] = [(root, False, "")]  # (node, inside markdown_extensions, its key)
    while stack:
        node, extensions, name = stack.pop()
        if id(node) in seen:
            raise _refuse(node.start_mark, path, "site.config-alias")
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            _check_direction(node, name, path)
        # kaohe's allowed Python names only where Markdown extensions take a function (the slugify of
        # toc); elsewhere `font: !!python/name:… false` is checked as "false" and built as a function
        python = extensions and node.tag.startswith(_PYTHON_TAG)
        if node.tag not in _PLAIN_TAGS and not python:
            raise _refuse(node.start_mark, path, "site.config-tag", tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
        if extensions and isinstance(node, yaml.ScalarNode) and _HTML.search(node.value):
            # toc's title and the like are printed as they are by Material's templates
            raise _refuse(
                node.start_mark,
                path,
                "site.config-value",
                name="markdown_extensions",
                why=msg("site.config-value.html"),
            )
        if isinstance(node, yaml.MappingNode):
            names: set[str] = set()
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != _STR_TAG:
                    raise _refuse(key.start_mark, path, "site.config-key")
                if key.value in names:
                    raise _refuse(key.start_mark, path, "site.config-duplicate", name=key.value)
                names.add(key.value)
                inside = extensions or (node is root and key.value == "markdown_extensions")
                stack += [(key, inside, key.value), (value, inside, key.value)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, extensions, name) for item in node.value]


def _check_direction(node: yaml.ScalarNode, name: str, path: Path) -> None:
    """Refuse a bidi embedding, override or isolate in a key or value, as in any TOML value
    (``text.bidi-control``): Material prints the copyright, the site's name and description as they
    are, and an isolate left open there read the footer in another order than the file says."""
    found = BIDI_CONTROLS.search(node.value)
    if found is not None:
        char, position = describe(found.group()), found.start() + 1
        raise _refuse(node.start_mark, path, "text.bidi-control", key=name, char=char, position=position)


def _scalar(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _check_settings(root: yaml.MappingNode, path: Path) -> None:
    """Refuse what a repository's configuration may not set, or a value that would reach a page as code."""
    for key, value in root.value:
        name = _scalar(key)
        if name not in SETTINGS:
            raise _refuse(key.start_mark, path, "site.config-setting", name=name, allowed=", ".join(sorted(SETTINGS)))
        text = _scalar(value)
        if name in _PRINTED_AS_HTML and text is not None and _HTML.search(text):
            raise _refuse(value.start_mark, path, "site.config-value", name=name, why=msg("site.config-value.html"))
        if name == "site_url" and text and not _SITE_URL.match(text):
            raise _refuse(value.start_mark, path, "site.config-value", name=name, why=msg("site.config-value.url"))
        if name == "extra_css":
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                if not _RELATIVE.match(_scalar(item) or ""):
                    raise _refuse(
                        item.start_mark, path, "site.config-value", name=name, why=msg("site.config-value.relative")
                    )
        if name == "theme" and isinstance(value, yaml.MappingNode):
            _check_theme(value, path)
        elif name == "theme" and text is not None and text != "material":
            raise _refuse(value.start_mark, path, "site.config-value", name=name, why=msg("site.config-value.theme"))
        if name == "extra":
            _check_extra(value, path)
        if name == "plugins":
            _check_plugin_options(value, path)


def _check_allowed(node: yaml.Node, allowed: dict[str, tuple[str, ...] | None], where: str, path: Path) -> None:
    """A mapping whose keys are `allowed`, each value one of its key's (None: any plain word;
    :data:`NESTED`: a mapping the caller checks)."""
    if not isinstance(node, yaml.MappingNode):
        raise _refuse(node.start_mark, path, "site.config-setting", name=where, allowed=", ".join(sorted(allowed)))
    for key, value in node.value:
        name = f"{where}.{key.value}"
        if key.value not in allowed:
            raise _refuse(key.start_mark, path, "site.config-setting", name=name, allowed=", ".join(sorted(allowed)))
        values = allowed[key.value]
        if values is NESTED:
            continue
        text = _scalar(value)
        if not (text in values if values is not None else _word(text)):
            raise _refuse(value.start_mark, path, "site.config-value", name=name, why=msg("site.config-value.html"))


def _word(text: str | None) -> bool:
    return text is not None and not _THEME_UNSAFE.search(text)


def _check_extra(extra: yaml.Node, path: Path) -> None:
    _check_allowed(extra, EXTRA, "extra", path)
    version = _key(extra, "version") if isinstance(extra, yaml.MappingNode) else None
    if version is not None:
        _check_allowed(version[1], EXTRA_VERSION, "extra.version", path)


def _check_plugin_options(plugins: yaml.Node, path: Path) -> None:
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for entry in entries:
        pairs = entry.value if isinstance(entry, yaml.MappingNode) else []
        for key, options in pairs:
            allowed = PLUGIN_OPTIONS.get(key.value)
            if allowed is None or not isinstance(options, yaml.MappingNode):
                continue
            for option, _ in options.value:
                if option.value not in allowed:
                    name = f"plugins.{key.value}.{option.value}"
                    raise _refuse(
                        option.start_mark, path, "site.config-setting", name=name, allowed=", ".join(sorted(allowed))
                    )


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """Every plain value inside `node` (mapping keys included)."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def _check_theme(theme: yaml.MappingNode, path: Path) -> None:
    # Material prints the palette, the direction and the toggle's label into attributes unescaped
    for scalar in _scalars(theme):
        if _THEME_UNSAFE.search(scalar.value):
            raise _refuse(scalar.start_mark, path, "site.config-value", name="theme", why=msg("site.config-value.html"))
    icon = _key(theme, "icon")
    for scalar in _scalars(icon[1]) if icon else []:
        if not _ICON.match(scalar.value):
            raise _refuse(
                scalar.start_mark, path, "site.config-value", name="theme.icon", why=msg("site.config-value.icon")
            )
    for key, value in theme.value:
        name, text = _scalar(key), _scalar(value)
        where = f"theme.{name}"
        if name not in THEME_SETTINGS:
            raise _refuse(
                key.start_mark,
                path,
                "site.config-setting",
                name=where,
                allowed=", ".join(sorted(f"theme.{k}" for k in THEME_SETTINGS)),
            )
        if name == "name" and text != "material":
            raise _refuse(value.start_mark, path, "site.config-value", name=where, why=msg("site.config-value.theme"))
        if name == "font" and text not in ("false", "False"):
            raise _refuse(value.start_mark, path, "site.config-value", name=where, why=msg("site.config-value.font"))
        if name in ("logo", "favicon") and not _RELATIVE.match(text or ""):
            raise _refuse(
                value.start_mark, path, "site.config-value", name=where, why=msg("site.config-value.relative")
            )


def _check(root: yaml.Node, path: Path) -> None:
    """Refuse the settings that make MkDocs load code from the repository, and whatever a repository
    may not set (kaohe's own configuration passes the same checks)."""
    _check_plain(root, path)
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
            if not allowed(name) or name in _READS_FILES:
                raise _refuse(mark, path, "site.config-plugin", setting=setting, name=name, allowed=what)
    _check_settings(root, path)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT rule: mappings merge key by key, anything else in the child replaces the parent's."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _read_text(path: Path) -> str:
    """The file at `path`, never through a link (a pull request's mkdocs.yml linked to a file of the
    building machine would print it into the site) and never waiting on a pipe."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if path.is_symlink():
            raise SiteConfigRefused("site.config-link", path=path, target=os.readlink(path)) from exc
        if isinstance(exc, FileNotFoundError):
            raise _Missing(path) from exc
        raise SiteConfigRefused("site.config-unreadable", path=path, error=exc.strerror or exc) from exc
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise SiteConfigRefused("site.config-unreadable", path=path, error=msg("site.config-not-a-file"))
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SiteConfigRefused("site.config-unreadable", path=path, error=msg("site.config-not-utf8")) from exc


def _syntax(exc: yaml.YAMLError, path: Path) -> SiteConfigRefused:
    """PyYAML's error `exc` as a refusal at its line and column, worded by the catalogue."""
    mark = getattr(exc, "problem_mark", None)
    error, fix = yaml_problem(str(getattr(exc, "problem", None) or exc))
    return _refuse(mark, path, "site.config-syntax", error=error, fix=fix)


def _unprintable(exc: yaml.reader.ReaderError, text: str, path: Path) -> SiteConfigRefused:
    """A character YAML refuses to read (``exc``, at the character offset ``exc.position`` of `text`),
    at its line and column: PyYAML's own message would name neither, only the offset, in English."""
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    char = chr(exc.character) if isinstance(exc.character, int) else None
    return _refused_character(text, position, char, path, "site.yaml.character")


#: Characters YAML reads as line breaks that editors show as none (NEL, LINE and PARAGRAPH
#: SEPARATOR): every line and column PyYAML reports after one would be off by one line.
_HIDDEN_BREAKS = re.compile("[\u0085\u2028\u2029]")


def _refused_character(text: str, position: int, char: str | None, path: Path, code: str) -> SiteConfigRefused:
    """The character at offset `position` of `text` refused with `code` (and its ``.fix``), at the
    line and column an editor shows, counting only ordinary line breaks."""
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return SiteConfigRefused(
        "site.config-syntax",
        path=path,
        line=line,
        col=col,
        error=msg(code, char=describe(char) if char else "?"),
        fix=msg(f"{code}.fix"),
    )


def read_yaml(
    path: Path,
    top: Path | None = None,
    _seen: tuple[Path, ...] = (),
    read: Callable[[Path], str] | None = None,
    committed: bool = False,
) -> dict[str, Any]:
    """The configuration at `path` with what it INHERITs merged in, read without running anything.
    `read` reads a file of the repository (default: from the working tree, never through a link);
    `committed`: the files are a commit's, whose paths mean what they meant at that commit, so they
    are not resolved through the working tree's folders (a folder made a link since would change
    which file a final year's configuration INHERITs)."""
    top = top or path.parent.resolve()
    text = _read_text(path) if read is None or path.resolve() == PACKAGE_CONFIG.resolve() else read(path)
    hidden = _HIDDEN_BREAKS.search(text)
    if hidden:
        raise _refused_character(text, hidden.start(), hidden.group(), path, "site.yaml.hidden-break")
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, BEL, a C1 control): before any parsing
        raise _unprintable(exc, text, path) from exc
    loader.path = path
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _check(node, path)
        inherit_node = _key(node, "INHERIT") if isinstance(node, yaml.MappingNode) else None
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _syntax(exc, path) from exc
    except RecursionError as exc:  # lists or mappings nested thousands deep: no setting needs that
        error, fix = msg("site.config-syntax.too-deep"), msg("site.yaml.too-deep.fix")
        raise _refuse(None, path, "site.config-syntax", error=error, fix=fix) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise _refuse(
            node.start_mark,
            path,
            "site.config-syntax",
            error=msg("site.config-syntax.not-a-mapping"),
            fix=msg("site.yaml.not-a-mapping.fix"),
        )
    inherit = data.pop("INHERIT", None)
    if inherit is None:
        return data
    parent = PACKAGE_CONFIG.resolve() if inherit == PACKAGE_INHERIT else _placed(path.parent / str(inherit), committed)
    mark = inherit_node[1].start_mark if inherit_node else None
    if not (parent.is_relative_to(top) or parent == PACKAGE_CONFIG.resolve()):
        raise _refuse(mark, path, "site.config-inherit-outside", parent=parent, top=top)
    seen = (*_seen, _placed(path, committed))
    if parent in seen:
        raise _refuse(mark, path, "site.config-inherit-cycle", chain=" → ".join(str(p) for p in (*seen, parent)))
    try:
        inherited = read_yaml(parent, top, seen, read, committed)
    except _Missing as missing:
        if _placed(missing.path, committed) != parent:
            raise
        raise _refuse(mark, path, "site.config-inherit-missing", name=str(inherit), kaohe=PACKAGE_INHERIT) from missing
    return _merge(inherited, data)


_FONT = "theme.font"  # the setting's name, as a refusal names it


def _themed(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """`data` when it builds with kaohe's theme (Material, as kaohe's own configuration sets it up):
    a configuration that does not INHERIT it falls back to MkDocs' own theme, whose pages and search
    index kaohe's pages do not fit (the build failed half way with an internal error)."""
    theme = data.get("theme")
    if not isinstance(theme, dict) or theme.get("name") != "material":
        raise SiteConfigRefused("site.config-not-kaohes", path=path, package=PACKAGE_CONFIG)
    # checked on the merged settings, as MkDocs gets them: `theme: material` replaces the inherited
    # mapping, and `font: "false"` is a string, and either makes every page load Google's fonts
    if theme.get("font") is not False:
        raise SiteConfigRefused("site.config-value", path=path, name=_FONT, why=msg("site.config-value.font"))
    return data


def repository_config(root: Path) -> Path | None:
    """The repository's mkdocs.yml for a build, preview or printout: whatever stands at that name
    (a link or a pipe there is refused when it is read, never taken for no configuration), None
    when nothing does."""
    path = root / CONFIG_NAME
    return path if os.path.lexists(path) and not path.is_dir() else None


def load_site_config(path: Path, **options: Any) -> Any:
    """MkDocs' configuration from `path` (safely read) with `options` replacing its settings, validated."""
    from mkdocs.config.defaults import MkDocsConfig  # here: `kaohe check` reads the file without MkDocs

    config = MkDocsConfig(config_file_path=str(path))
    config.load_dict(_themed(read_yaml(path), path))
    config.load_dict({key: value for key, value in options.items() if value is not None})
    with _jieba_without_pkg_resources():
        errors, warnings = config.validate()  # loads the plugins: the search plugin imports jieba
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(tr("site.config-warning", name=name, warning=warning))
    problems = [*errors, *(warnings if config.strict else [])]
    if problems:
        details = [msg("site.config-invalid.detail", name=name, problem=str(problem)) for name, problem in problems]
        raise SiteConfigRefused("site.config-invalid", path=path, details=joined("value.sentence-separator", details))
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


def check(root: Path, tree: Tree, problems: Problems) -> None:
    """What `kaohe build` would refuse in the repository's `mkdocs.yml`, reported by `kaohe check` at
    its line and column, in the working tree or at any revision: a pull request that puts a script
    into the site's settings fails its check before anyone reviews it."""
    for refused in tree.refused(CONFIG_NAME):
        if refused.kind == "symlink":
            problems.report(refused.path, 1, 1, "site.config-link", target=refused.detail)
        else:  # a pipe, socket or device: read as no configuration, the site would be built without it
            problems.report(
                refused.path, 1, 1, "site.config-unreadable", path=refused.path, error=msg("site.config-not-a-file")
            )
    if not tree.exists(CONFIG_NAME) or tree.is_dir(CONFIG_NAME):
        return
    top = root.resolve()
    committed = getattr(tree, "commit", None) is not None  # `check --rev`: the commit's own paths
    try:
        config = read_yaml(top / CONFIG_NAME, top, read=_tree_reader(tree, top, committed), committed=committed)
        _themed(config, top / CONFIG_NAME)
    except SiteConfigRefused as refused:
        problems.report(
            _reported(refused.path, top, committed), refused.line, refused.col, refused.code, **refused.params
        )


def _reported(path: Path, top: Path, committed: bool) -> str:
    """Where a refusal is reported: the file as it was read (:func:`_placed`), relative to `top`; a
    commit's file by its name at that commit, never through a link of the working tree made since."""
    where = _placed(path, committed)
    return where.relative_to(top).as_posix() if where.is_relative_to(top) else str(path)


def _placed(path: Path, committed: bool) -> Path:
    """`path` made absolute and without `..`: through the working tree's links as MkDocs reads it,
    or by its name alone when it names a file of a commit (see :func:`read_yaml`)."""
    return Path(os.path.normpath(path.absolute())) if committed else path.resolve()


def _tree_reader(tree: Tree, top: Path, committed: bool = False) -> Callable[[Path], str]:
    """A reader for :func:`read_yaml` of the files of `tree` (a working tree or a commit), `top` its
    root: regular files only, never through a link."""

    def read(path: Path) -> str:
        rel = _placed(path, committed).relative_to(top).as_posix()
        try:
            data = tree.read(rel)
        except (FileNotFoundError, OSError) as exc:
            if not tree.exists(rel) and not any(tree.refused(rel)):
                raise _Missing(path) from exc
            raise SiteConfigRefused("site.config-unreadable", path=path, error=msg("site.config-not-a-file")) from exc
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SiteConfigRefused("site.config-unreadable", path=path, error=msg("site.config-not-utf8")) from exc

    return read


def _kaohe_option(data: dict[str, Any], name: str) -> Any:
    """The option `name` under `plugins: - kaohe:` of a read configuration; None when unset."""
    plugins = data.get("plugins") or []
    for plugin in plugins if isinstance(plugins, list) else []:
        options = plugin.get("kaohe") if isinstance(plugin, dict) else None
        value = options.get(name) if isinstance(options, dict) else None
        if value is not None:
            return value
    return None


def _template_in(data: dict[str, Any], where: str) -> str | None:
    """The `source_url` under `plugins: - kaohe:` of a read configuration, checked; None when unset."""
    template = _kaohe_option(data, "source_url")
    if isinstance(template, str) and template:
        return check_template(template, f"{where}, plugins: kaohe: source_url")
    return None


def configured_source_url(root: Path) -> str | None:
    """The link template for source lines set in the working tree's site configuration, checked;
    None when there is none.

    Why here: only a build from a commit can link into the git web interface, and kaohe builds a
    commit's snapshot with its own configuration, so a template read by the build itself reached
    working-tree drafts alone, which have no commit to link to. See :func:`source_url_for`.
    """
    config = repository_config(root)  # a link or pipe there is refused when read, as build refuses it
    return None if config is None else _template_in(read_yaml(config), CONFIG_NAME)


def committed_source_url(repo: Path, commit: str, label: str) -> str | None:
    """The link template set in mkdocs.yml at `commit` (named `label` in messages, e.g. the tag); None
    when the commit has no configuration or it sets no template (see :func:`_committed_config`)."""
    data = _committed_config(repo, commit, label)
    return None if data is None else _template_in(data, f"{label}:{CONFIG_NAME}")


def committed_lang(repo: Path, commit: str, label: str) -> str:
    """The language of the pages of a year built from `commit`: `lang` in mkdocs.yml at that commit,
    the default (Chinese) when it sets none. A commit's snapshot is built with kaohe's own
    configuration, so without this a year rebuilt from its tag spoke Chinese on an English site
    (its banner, tables and stamp), and differed from the same commit built as a draft."""
    data = _committed_config(repo, commit, label)
    lang = DEFAULT if data is None else _kaohe_option(data, _LANG) or DEFAULT
    if lang not in LANGUAGES:
        where = Path(f"{label}:{CONFIG_NAME}")
        why = msg("site.config-value.lang", languages=joined("value.list-separator", LANGUAGES))
        raise SiteConfigRefused("site.config-value", path=where, name=_LANG, why=why)
    return lang


#: The kaohe plugin's option for the pages' language (a setting's name, as mkdocs.yml spells it).
_LANG = "lang"


def _committed_config(repo: Path, commit: str, label: str) -> dict[str, Any] | None:
    """mkdocs.yml at `commit` (named `label` in messages, e.g. the tag), read from git's object database:
    a link there is refused, never followed out of the repository, and so is everything the working
    tree's configuration would be refused for (with `label:` before the file's name). None when the
    commit has no configuration."""
    from ..tree import GitTree  # here: only builds from a commit read one

    tree, top = GitTree(repo, commit), repo.resolve()
    try:
        for refused in tree.refused(CONFIG_NAME):
            if refused.kind == "symlink":
                raise SiteConfigRefused("site.config-link", path=top / CONFIG_NAME, target=refused.detail)
            raise SiteConfigRefused(
                "site.config-unreadable", path=top / CONFIG_NAME, error=msg("site.config-not-a-file")
            )
        if not tree.exists(CONFIG_NAME) or tree.is_dir(CONFIG_NAME):
            return None
        return read_yaml(top / CONFIG_NAME, top, read=_tree_reader(tree, top, True), committed=True)
    except SiteConfigRefused as refused:
        refused.path = Path(f"{label}:{_reported(refused.path, top, True)}")
        raise


def source_url_for(
    repo: Path, commit: str, label: str, given: str | None, working: Callable[[], str | None]
) -> str | None:
    """The link template of a year built from `commit` (named `label`) and not yet published: the
    operator's (`given`, ``kaohe publish --source-url``), else mkdocs.yml's at that commit (what
    was true when the results were tagged), else the working tree's (`working`, read only when
    needed: a template set after the tag still links to the tagged commit's files).

    One rule for `kaohe build` and `kaohe publish`, so that a year tagged and built is the year
    published. A published year uses the template recorded with it instead (published.toml)."""
    if given:
        return given
    return committed_source_url(repo, commit, label) or working()
