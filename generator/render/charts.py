"""Small SVG bar charts drawn at build time: no JavaScript, no chart library, no request.

Geometry is computed in Decimal like the scores it shows and rounded to a tenth of a pixel, so
the same results always give byte-identical SVG. Every bar carries its number as text and a
``<title>`` for screen readers and tooltips; categories are told apart by pattern as well as colour.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import escape

from ..controlchars import isolate
from ..types import printed

BAR_H = Decimal(16)
TOP = Decimal(8)


@dataclass(frozen=True)
class Layout:
    """Where labels go. Wide: beside the bars. Narrow (a phone): above them, so at 390 px the SVG is
    drawn at about its own size and its 12 px text stays 12 px instead of shrinking to 6."""

    width: Decimal
    label_w: Decimal  # 0: the label is above the bar
    value_w: Decimal
    row_h: Decimal
    suffix: str  # keeps pattern ids unique when both layouts are on one page

    @property
    def bar_x(self) -> Decimal:
        return self.label_w

    @property
    def label_h(self) -> Decimal:
        return Decimal(0) if self.label_w else Decimal(15)


WIDE = Layout(Decimal(760), Decimal(150), Decimal(110), Decimal(26), "")
NARROW = Layout(Decimal(360), Decimal(0), Decimal(96), Decimal(42), "n")
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a50021", "#5b5b5b", "#00817a")
PATTERNS = ("", "kh-p1", "kh-p2", "kh-p3")


def _px(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1"), ROUND_HALF_UP).normalize(), "f")


def _text(value: str) -> str:
    return str(escape(isolate(value)))  # a category title: it cannot reorder the chart's figures


def _frame(height: Decimal, title: str, desc: str, body: list[str], defs: str = "", layout: Layout = WIDE) -> str:
    return (
        f'<svg class="kh-chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_px(layout.width)} '
        f'{_px(height)}" width="100%" aria-label="{_text(title)}"><title>{_text(title)}</title>'
        f"<desc>{_text(desc)}</desc>{defs}" + "".join(body) + "</svg>"
    )


def _label(layout: Layout, y: Decimal, name: str) -> str:
    if layout.label_w:
        return (
            f'<text x="{_px(layout.label_w - 8)}" y="{_px(y + BAR_H - 3)}" text-anchor="end" class="kh-chart-label">'
            f"{_text(name)}</text>"
        )
    return f'<text x="0" y="{_px(y - 4)}" class="kh-chart-label">{_text(name)}</text>'


def totals_chart(rows: list[tuple[str, Decimal, Decimal]], t: dict[str, str], layout: Layout = WIDE) -> str:
    """One bar per unit: its total against its maximum."""
    span = layout.width - layout.label_w - layout.value_w
    body: list[str] = []
    for n, (name, total, maximum) in enumerate(rows):
        y = TOP + layout.label_h + layout.row_h * n
        share = (total / maximum) if maximum > 0 else Decimal(0)
        share = max(Decimal(0), min(Decimal(1), share))
        w = span * share
        x = layout.bar_x
        body.append(
            f"<g><title>{_text(name)}：{printed(total)} / {printed(maximum)}</title>"
            + _label(layout, y, name)
            + f'<rect x="{_px(x)}" y="{_px(y)}" width="{_px(span)}" height="{_px(BAR_H)}" class="kh-chart-track"/>'
            f'<rect x="{_px(x)}" y="{_px(y)}" width="{_px(w)}" height="{_px(BAR_H)}" fill="{PALETTE[0]}"/>'
            f'<text x="{_px(x + span + 6)}" y="{_px(y + BAR_H - 3)}" class="kh-chart-value">'
            f"{printed(total)} / {printed(maximum)}</text></g>"
        )
    height = TOP * 2 + layout.label_h + layout.row_h * len(rows)
    return _frame(height, t["chart.totals"], t["chart.totals.desc"], body, layout=layout)


def lost_chart(
    rows: list[tuple[str, list[Decimal]]], categories: list[str], t: dict[str, str], layout: Layout = WIDE
) -> str:
    """One stacked bar per unit: the points it lost in each category, with a legend."""
    span = layout.width - layout.label_w - layout.value_w
    most = max((sum((v for v in values if v > 0), Decimal(0)) for _, values in rows), default=Decimal(0))
    scale = span / most if most > 0 else Decimal(0)
    sx = layout.suffix
    defs = (
        "<defs>"
        f'<pattern id="kh-p1{sx}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0 6L6 0" stroke="#fff" stroke-width="1.2"/></pattern>'
        f'<pattern id="kh-p2{sx}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.1" fill="#fff"/></pattern>'
        f'<pattern id="kh-p3{sx}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0 3H6" stroke="#fff" stroke-width="1.2"/></pattern></defs>'
    )
    body: list[str] = []
    for n, (name, values) in enumerate(rows):
        y = TOP + layout.label_h + layout.row_h * n
        x = layout.bar_x
        parts = [_label(layout, y, name)]
        for k, value in enumerate(values):
            if value <= 0:
                continue
            w = value * scale
            category = categories[k] if k < len(categories) else str(k)
            # each value isolated on its own: "name · category：1.78" isolated whole reads right to left
            title = f"{isolate(name)} · {isolate(category)}：{printed(value)}"
            parts.append(_segment(x, y, w, k, title, suffix=sx))
            x += w
        lost = sum((v for v in values if v > 0), Decimal(0))
        parts.append(f'<text x="{_px(x + 6)}" y="{_px(y + BAR_H - 3)}" class="kh-chart-value">{printed(lost)}</text>')
        body.append("<g>" + "".join(parts) + "</g>")
    legend_y = TOP + layout.label_h + layout.row_h * len(rows) + Decimal(6)
    left = layout.label_w
    per_row = _legend_columns(layout, categories)
    col_w = (layout.width - left) / per_row
    for k, title in enumerate(categories):
        lx = left + col_w * (k % per_row)
        ly = legend_y + Decimal(20) * (k // per_row)
        body.append(
            _segment(lx, ly, Decimal(14), k, title, height=Decimal(12), suffix=sx)
            + f'<text x="{_px(lx + LEGEND_SWATCH)}" y="{_px(ly + 10)}" class="kh-chart-legend">{_text(title)}</text>'
        )
    legend_rows = (len(categories) + per_row - 1) // per_row
    height = legend_y + Decimal(20) * legend_rows + TOP
    return _frame(height, t["chart.lost"], t["chart.lost.desc"], body, defs, layout)


#: A legend entry's swatch and the gap before its text, and the room kept after the text.
LEGEND_SWATCH = Decimal(20)
LEGEND_GAP = Decimal(12)
#: The chart's text is 12 px: a Chinese character is as wide, a Latin letter or digit about 7 px at most.
_WIDE_PX, _NARROW_PX = Decimal(12), Decimal(7)


def drawn_width(text: str) -> Decimal:
    """About how wide `text` is drawn at the chart's 12 px, never less: full-width characters (Chinese,
    its punctuation （）) take the full 12, others 7."""
    return sum(
        (_WIDE_PX if unicodedata.east_asian_width(c) in "WF" else _NARROW_PX for c in text if c.isprintable()),
        Decimal(0),
    )


def _legend_columns(layout: Layout, categories: list[str]) -> int:
    """How many legend entries share a line: three beside the bars, fewer when the longest title
    would run into the next entry's swatch ("履职绩效（行政管理科室和直属单位）" ran under
    "履职绩效（业务管理科室）" at three); one on a phone."""
    if not layout.label_w:
        return 1
    longest = max((drawn_width(title) for title in categories), default=Decimal(0))
    room = layout.width - layout.label_w
    return next((n for n in (3, 2) if LEGEND_SWATCH + longest + LEGEND_GAP <= room / n), 1)


def _segment(x: Decimal, y: Decimal, w: Decimal, k: int, title: str, height: Decimal = BAR_H, suffix: str = "") -> str:
    colour = PALETTE[k % len(PALETTE)]
    pattern = PATTERNS[k % len(PATTERNS)] + suffix if PATTERNS[k % len(PATTERNS)] else ""
    rect = f'x="{_px(x)}" y="{_px(y)}" width="{_px(w)}" height="{_px(height)}"'
    overlay = f'<rect {rect} fill="url(#{pattern})"/>' if pattern else ""
    return f'<g><title>{_text(title)}</title><rect {rect} fill="{colour}"/>{overlay}</g>'
