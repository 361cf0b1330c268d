"""Evidence bodies are contributed by many people: render them safely.

markdown-it-py with raw HTML off renders the body (raw HTML shows as text), links are rewritten
to the site's own pages (or dropped when they leave the repository), and nh3 sanitises the result
as a second line of defence: no script, no event-handler attribute, no ``javascript:`` URL survives.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Attachments copied into the site and linkable from evidence (never HTML or SVG: they can run script).
ATTACHMENT_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf")

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


_MD = _markdown()


def sanitise(html: str) -> str:
    """Keep only harmless markup: no scripts, styles, frames, event handlers or script URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel="noopener noreferrer",
    )


def resolve(from_path: str, target: str) -> str | None:
    """The repository path a relative link in `from_path` points to, or None if it leaves the repository."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), unquote(target)))
    if joined == ".." or joined.startswith("../") or joined.startswith("/") or joined == ".":
        return None
    return joined


#: Maps a repository path (an evidence file or an attachment) to a link from the current page, or None.
Linker = Callable[[str], "str | None"]


def render_body(path: str, body: str, linker: Linker) -> str:
    """HTML of an evidence body at repository `path`; links go through `linker`."""
    tokens = _MD.parse(body)
    for token in tokens:
        if token.children:
            token.children = _rewrite(path, token.children, linker)
    return sanitise(_MD.renderer.render(tokens, _MD.options, {}))


def _rewrite(path: str, children: list[Token], linker: Linker) -> list[Token]:
    out: list[Token] = []
    dropping = 0  # inside a link whose target was removed: keep its text, drop the <a>
    for token in children:
        if token.type == "link_open":
            new = _target(path, str(token.attrGet("href") or ""), linker, image=False)
            if new is None:
                dropping += 1
                continue
            token.attrSet("href", new)
        elif token.type == "link_close" and dropping:
            dropping -= 1
            continue
        elif token.type == "image":
            new = _target(path, str(token.attrGet("src") or ""), linker, image=True)
            if new is None:
                alt = Token("text", "", 0, content=f"[{token.content or 'image'}]")
                out.append(alt)
                continue
            token.attrSet("src", new)
        out.append(token)
    return out


def _target(path: str, href: str, linker: Linker, *, image: bool) -> str | None:
    if not href:
        return None
    if href.startswith("#"):
        return None if image else href
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme:
        # Outside links stay clickable text; outside images would be a request to another host.
        return None if image or scheme not in URL_SCHEMES else href
    file_part, _, fragment = href.partition("#")
    file_part = file_part.split("?", 1)[0]
    resolved = resolve(path, file_part)
    if resolved is None:
        return None
    link = linker(resolved)
    if link is None:
        return None
    return f"{link}#{fragment}" if fragment and not image else link
