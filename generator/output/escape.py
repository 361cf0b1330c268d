"""Every value kaohe prints, escaped for the medium it is printed in.

Names, titles, reasons, file names and keys come from pull requests, so each is data to show, never
markup or a command for whatever displays it. One function per medium; docs/workflow.md ("Safety:
escaping") says the same for users. What counts as unsafe is :mod:`generator.controlchars`.

- **Terminal and line-based text** (`kaohe check`'s report, `score`'s table, progress lines):
  :func:`one_line` shows control, bidirectional and line-break characters as visible escapes
  (``\\x1b``, ``\\u202e``, ``\\n``), so a value can neither colour or rewrite the terminal nor
  start a line of its own (a forged ``path:line:col: error`` for another file).
- **CSV** (opened in Excel): :func:`csv_cell` is :func:`one_line` plus a ``'`` before a cell that
  starts with ``=``, ``+``, ``-`` or ``@`` (or their full-width forms, or any of them after leading
  spaces), which a spreadsheet would otherwise run as a formula.
- **Markdown** (the pull-request comment of `kaohe diff`, rendered by GitHub, GitLab and Gitea):
  :func:`md` as above, then HTML and inline markdown escaped, and autolinks, emoji shortcodes,
  mentions and references broken.
- **JSON** needs nothing here: ``json.dumps`` escapes every control character, and scripts get the
  data exactly as stored.
"""

from __future__ import annotations

import re

from ..controlchars import FSI, PDI, one_line, right_to_left

#: Cells Excel (and LibreOffice) read as a formula: "=HYPERLINK(…)", "+1+cmd|…", "-2+3", "@SUM(…)";
#: and their full-width forms (＝ ＋ － ＠), which a Chinese or Japanese input method types and East
#: Asian Excel converts to the ASCII signs when it reads a value.
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: What a spreadsheet may drop before reading a value (LibreOffice's "trim spaces" on import, Excel's
#: full-width space handling): spaces of every width, the no-break space and the invisible ones.
_LEADING_BLANKS = re.compile(r"[\s\u200b\u2060\ufeff]*")


def csv_cell(text: str) -> str:
    """A text cell for CSV that a spreadsheet shows as text (OWASP's "CSV injection" advice).

    The sign is looked for after any leading blanks, so "  =1+1" or "\u3000＝1+1" is text as well."""
    text = one_line(text)
    start = _LEADING_BLANKS.match(text).end()  # type: ignore[union-attr]  # matches "" at least
    return "'" + text if text.startswith(_FORMULA_START, start) else text


#: U+2060 WORD JOINER: invisible, no line-break opportunity, and (unlike the zero-width joiner
#: U+200D) no effect on how neighbouring characters combine. Placed after "@", "#" and "!" (and
#: GitLab's "~", "%", "$" and "&") it keeps
#: GitHub, GitLab and Gitea from reading "@org/everyone" as a mention (which notifies everyone) or
#: "#12" / "!12" / "org/repo#12" as a reference (which posts a note on that issue or merge request):
#: all three want a letter or digit right after the sign. The text still reads the same; backticks
#: would have done it too, but only by showing every reason and name as code.
WORD_JOINER = "\u2060"

_MARKDOWN = {
    # inline markdown: escaped with a backslash (CommonMark lets any ASCII punctuation be escaped)
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "~": "\\~" + WORD_JOINER,  # GFM strikethrough; GitLab's label reference "~bug"
    "[": "\\[",  # links, images, footnotes, task lists
    "]": "\\]",
    "{": "\\{",  # GitLab's {+ inline diff +}
    "}": "\\}",
    "$": "\\$" + WORD_JOINER,  # GitHub and GitLab math; GitLab's snippet reference "$12"
    # HTML and table cells: character references, which every renderer decodes as plain text and
    # which survive the table parser (a backslash before "|" is only honoured in tables)
    "&": "&amp;" + WORD_JOINER,  # GitLab's epic reference "&12" (written &amp;, read back as "&")
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "@": "@" + WORD_JOINER,
    "#": "#" + WORD_JOINER,
    "!": "!" + WORD_JOINER,
    "%": "%" + WORD_JOINER,  # GitLab's milestone reference "%v1.0"
}
_MARKDOWN_SPECIAL = re.compile("[" + re.escape("".join(_MARKDOWN)) + "]")
#: Where the servers make a link, an image or a reference out of plain text, with no markup to
#: escape: autolinks ("https://evil.example", "www.evil.example"; a URL of an issue also posts a
#: note on it), GitHub's "GH-12" (an issue reference like "#12") and emoji shortcodes (":shipit:" is
#: an image). A word joiner after ":" in "://", after "www", after "GH-" and after the ":" opening
#: a shortcode breaks each: they all want those characters next to each other.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=:)(?=[A-Za-z0-9_+-]+:)|(?i:(?<=www)(?=\.)|(?<=gh-)(?=[0-9]))")


def md(text: str) -> str:
    """`text` as literal inline markdown: one line, no markup, no HTML, no link, no emoji, no
    mention, no reference.

    Values never start a line of the comment (they sit in table cells, after a heading's "####" or
    a list item's "- "), so block syntax ("#", ">", "-", "1.") and GitLab's quick actions ("/merge"
    at the start of a line) cannot arise once line breaks are escaped.
    """
    text = _AUTOLINK.sub(WORD_JOINER, one_line(text))
    text = _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN[m.group()], text)
    # a value holding right-to-left text is isolated (U+2068 … U+2069, Unicode's first-strong
    # isolate): a unit name ending in one would otherwise turn the figures printed after it around
    # ("3.22 → 2.47" shown as "2.47 → 3.22"); see generator.controlchars.isolate
    return f"{FSI}{text}{PDI}" if right_to_left(text) else text


def md_code(text: str) -> str:
    """`text` shown as code. An HTML `<code>` element holding :func:`md` rather than a backtick
    code span, which a backtick in the value would close, and inside which a "|" can only be
    escaped in tables."""
    return f"<code>{md(text)}</code>"
