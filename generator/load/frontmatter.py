"""Evidence files: TOML front matter between `+++` lines, then the markdown body."""

from __future__ import annotations

import re

FRONT_MATTER = "+++"
_CLOSING = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line number) for text starting with a `+++` line."""
    if not text.startswith(FRONT_MATTER):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != FRONT_MATTER:
        return None
    match = _CLOSING.search(text, first_nl + 1)
    if match is None:
        return None
    front = text[first_nl + 1 : match.start()]
    rest = text[match.end() :]
    body = rest[1:] if rest.startswith("\n") else rest
    body_line = front.count("\n") + 3
    return front, body, body_line


def opens_front_matter(text: str) -> bool:
    """Whether the first line is `+++`: the file means to be evidence, closed or not."""
    return text.split("\n", 1)[0].strip() == FRONT_MATTER
