"""A markdown comment cut to a server's size limit, closed properly and saying that it was cut.

Servers refuse a comment over their cap (GitHub: 65536 characters, with HTTP 422), and a pull
request can make the comment as long as it likes: a unit name of 100,000 characters, 10,000 added
files with long names. A refused comment is worse than a short one: the pull request gets no score
comment, or keeps the earlier one with scores that are no longer true.

kaohe's markdown holds every value on one line (line breaks in values are escaped), and each code
span, link and table cell opens and closes on its line; so cutting between lines never leaves one
open. The only markup spanning lines is the `<details>` block of the "no effect" files, which is
closed here when the cut falls inside it, so the note after it is not folded away.
"""

from __future__ import annotations

_OPEN = "<details>"
_CLOSE = "</details>"
#: Written after the last kept line for each `<details>` block the cut leaves open.
_CLOSING = "\n\n" + _CLOSE


def fit(text: str, limit: int, note: str) -> str:
    """`text` if it has at most `limit` characters; else its first whole lines, any open `<details>`
    closed, and `note` as a quoted paragraph at the end, all within `limit` (unless `limit` is
    shorter than the note itself: then the note alone)."""
    if len(text) <= limit:
        return text
    tail = f"\n\n> {note}\n"
    budget = limit - len(tail)
    kept: list[str] = []
    size = 0
    depth = 0
    for line in text.split("\n"):
        after = max(depth + line.count(_OPEN) - line.count(_CLOSE), 0)
        if size + len(line) + 1 + len(_CLOSING) * after > budget:
            break
        kept.append(line)
        size += len(line) + 1
        depth = after
    return "\n".join(kept).rstrip("\n") + _CLOSING * depth + tail
