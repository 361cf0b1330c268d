"""PyYAML's syntax errors in the reader's language, with how to fix them.

PyYAML words its errors in English ("could not find expected ':'"); a clerk who mistypes
``mkdocs.yml`` reads Chinese. As :mod:`generator.tomlsource` does for tomllib's messages, each
problem PyYAML names is matched to a message of the catalogue (``site.yaml.<kind>``) and its fix
(``site.yaml.<kind>.fix``, shown as the hint). A problem not listed keeps PyYAML's words, quoted.
"""

from __future__ import annotations

import re

from .messages import Message, msg

#: PyYAML's problems, each as a message of the catalogue (and the parameter it names): what a clerk
#: reads is in their language, with how to fix it (``site.yaml.<kind>`` and ``site.yaml.<kind>.fix``).
#: A problem not listed keeps PyYAML's own words, quoted (``site.config-syntax.yaml``).
_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^could not find expected ':'$"), "site.yaml.expected-colon"),
    (re.compile(r"^mapping values are not allowed here$"), "site.yaml.mapping-not-allowed"),
    (re.compile(r"^found character (?P<char>'.*') that cannot start any token$"), "site.yaml.cannot-start"),
    (
        re.compile(r"^(?:expected <block end>, but found .*|did not find expected (?:key|'-' indicator))$"),
        "site.yaml.indentation",
    ),
    (re.compile(r"^expected ',' or '(?P<close>[\]}])', but got .*$"), "site.yaml.unclosed"),
    (re.compile(r"^found unexpected end of stream$"), "site.yaml.unclosed-quote"),
    (re.compile(r"^found undefined alias (?P<name>'.*')$"), "site.yaml.undefined-alias"),
    (re.compile(r"^found unknown escape character (?P<char>'.*')$"), "site.yaml.unknown-escape"),
    (re.compile(r"^but found another document$"), "site.yaml.second-document"),
    (
        re.compile(r"^(?:expected the node content, but found .*|did not find expected node content)$"),
        "site.yaml.no-value",
    ),
]


def yaml_problem(problem: str) -> tuple[Message, Message]:
    """PyYAML's `problem` as a message and the message that says how to fix it."""
    for pattern, code in _PROBLEMS:
        match = pattern.match(problem)
        if match:
            params = match.groupdict()
            return msg(code, **params), msg(f"{code}.fix", **params)
    return msg("site.config-syntax.yaml", detail=problem), msg("site.yaml.other.fix")
