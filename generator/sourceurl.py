"""Links into the git server's web interface, from a template such as
``https://git.example/org/kaohe/-/blob/{commit}/{path}#L{line}``.

The template comes from ``mkdocs.yml`` (``source_url``), ``KAOHE_SOURCE_URL`` or ``--source-url``
and is checked once where it is read (:func:`check_template`). Expansion substitutes exactly the
three documented placeholders: ``str.format`` would also expand ``{path.__class__.__mro__}`` into
Python internals and fail with a KeyError on a misspelt ``{comit}``. The path is percent-encoded,
so a file name with a space, ``#``, ``?``, ``)`` or ``|`` neither breaks the link nor the markdown
table or HTML attribute around it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .controlchars import UNSAFE
from .problems import InputError

PLACEHOLDERS = ("commit", "path", "line")
_FIELD = re.compile(r"\{([^{}]*)\}")
#: Characters a template may not hold: they would end the link in markdown (space, ")", "|" in a
#: table) or the attribute in HTML ('"', "<", ">"), and are never needed in such a URL.
_NOT_IN_URL = set(" \"'<>()|\\`{}")


def check_template(template: str, where: str) -> str:
    """`template` if it is a usable link template, else an InputError saying what to fix.

    `where` names the setting in the message (e.g. "KAOHE_SOURCE_URL").
    """
    if not template.startswith(("https://", "http://")):
        raise InputError("source-url.not-http", where=where)
    for name in _FIELD.findall(template):
        if name not in PLACEHOLDERS:
            raise InputError("source-url.unknown-placeholder", where=where, name=name)
    rest = _FIELD.sub("", template)
    bad = next((c for c in rest if c in _NOT_IN_URL or UNSAFE.match(c)), None)
    if bad is not None:
        raise InputError("source-url.character", where=where, char=repr(bad))
    return template


def expand(template: str, commit: str, path: str, line: int) -> str:
    """The link to `path` at `line` in `commit`; `template` has passed :func:`check_template`."""
    values = {"commit": quote(commit, safe=""), "path": quote(path, safe="/"), "line": str(int(line))}

    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:  # a template that skipped check_template
            check_template(template, "source_url")
        return values[match.group(1)]

    return _FIELD.sub(value, template)
