"""Evidence bodies are contributed by many people: render them safely.

markdown-it-py with raw HTML off renders the body (raw HTML shows as text), links are rewritten
to the site's own pages (or dropped, keeping their words, when they leave the repository or name a
file the site does not publish: `kaohe check` reports each, by the same `links.on_site`), and nh3 sanitises the result
as a second line of defence: no script, no event-handler attribute, no ``javascript:`` URL survives.
"""

from __future__ import annotations

from collections.abc import Callable

import nh3
from markdown_it.token import Token
from markupsafe import escape

from ..load.links import URL_SCHEMES, classify, markdown
from ..messages import tr

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


#: The most of an evidence body a page shows, in characters (some 300 printed pages; bodies are a
#: few thousand). markdown-it holds some twenty times the text it parses in tokens: a 50 MB log
#: pasted into a file cost the build 700 MB and minutes; past this the page shows the start, says
#: so, and the whole file stays one click away (the page's 来源).
SHOWN_CHARS = 500_000


#: Maps a repository path (an evidence file or an attachment) to a link from the current page, or None.
Linker = Callable[[str], "str | None"]


def render_body(path: str, body: str, linker: Linker) -> str:
    """HTML of an evidence body at repository `path` (its first SHOWN_CHARS); links go through `linker`."""
    shown = shown_part(body)
    md = markdown()
    tokens = md.parse(shown)
    for token in tokens:
        if token.children:
            token.children = _rewrite(path, token.children, linker)
    html = sanitise(md.renderer.render(tokens, md.options, {}))
    if len(shown) < len(body):
        note = tr("site.body-cut", shown=len(shown), total=len(body))
        html += f'<p class="kh-body-cut">{escape(note)}</p>\n'
    return html


def shown_part(body: str) -> str:
    """The start of `body` a page shows: all of it up to SHOWN_CHARS, else up to the last line
    break within them (a line is not cut in two unless it alone is longer than half of them)."""
    if len(body) <= SHOWN_CHARS:
        return body
    end = body.rfind("\n", SHOWN_CHARS // 2, SHOWN_CHARS)
    return body[: end + 1] if end >= 0 else body[:SHOWN_CHARS]


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
                alt = Token("text", "", 0, content=f"[{token.content or tr('site.image')}]")
                out.append(alt)
                continue
            token.attrSet("src", new)
        out.append(token)
    return out


def _target(path: str, href: str, linker: Linker, *, image: bool) -> str | None:
    """Where a link (or image) goes on the site, or None to drop it; `kaohe check` reads the same `classify`."""
    target = classify(path, href)
    if target.kind in ("anchor", "web", "mail"):
        # Outside links stay clickable text; outside images would be a request to another host.
        return None if image else href
    if target.kind != "file":
        return None
    link = linker(target.path)
    if link is None:
        return None
    return f"{link}#{target.fragment}" if target.fragment and not image else link
