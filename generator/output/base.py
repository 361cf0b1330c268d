"""What an output format of `kaohe score` is: a name, a line of help, and a render function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..score.results import Results


@dataclass(frozen=True)
class Options:
    """What the command line may ask of a format; a format ignores what it has no use for."""

    detail: bool = False  # every indicator of every unit (the table; the other formats always have them)


@dataclass(frozen=True)
class OutputFormat:
    name: str  # the value of `--format`
    help: str  # the message id of its line in `kaohe score --help`
    #: The whole output: text, or bytes for a binary format (written to stdout as they are).
    render: Callable[[Results, Options], str | bytes]
