"""Small SVG bar charts drawn at build time: no JavaScript, no chart library, no request.

Geometry is computed in Decimal like the scores it shows and rounded to a tenth of a pixel, so
the same results always give byte-identical SVG. Every bar carries its number as text and a
``<title>`` for screen readers and tooltips; categories are told apart by pattern as well as colour.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from markupsafe import escape

from ..output.jsonout import dec

WIDTH = Decimal(760)
LABEL_W = Decimal(150)
VALUE_W = Decimal(110)
ROW_H = Decimal(26)
BAR_H = Decimal(16)
TOP = Decimal(8)
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#a50021", "#5b5b5b", "#00817a")
PATTERNS = ("", "kh-p1", "kh-p2", "kh-p3")


def _px(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1"), ROUND_HALF_UP).normalize(), "f")


def _text(value: str) -> str:
    return str(escape(value))


def _frame(height: Decimal, title: str, desc: str, body: list[str], defs: str = "") -> str:
    return (
        f'<svg class="kh-chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_px(WIDTH)} '
        f'{_px(height)}" width="100%" aria-label="{_text(title)}"><title>{_text(title)}</title>'
        f"<desc>{_text(desc)}</desc>{defs}" + "".join(body) + "</svg>"
    )


def totals_chart(rows: list[tuple[str, Decimal, Decimal]], t: dict[str, str]) -> str:
    """One bar per unit: its total against its maximum."""
    span = WIDTH - LABEL_W - VALUE_W
    body: list[str] = []
    for n, (name, total, maximum) in enumerate(rows):
        y = TOP + ROW_H * n
        share = (total / maximum) if maximum > 0 else Decimal(0)
        share = max(Decimal(0), min(Decimal(1), share))
        w = span * share
        body.append(
            f"<g><title>{_text(name)}：{dec(total)} / {dec(maximum)}</title>"
            f'<text x="{_px(LABEL_W - 8)}" y="{_px(y + BAR_H - 3)}" text-anchor="end" class="kh-chart-label">'
            f"{_text(name)}</text>"
            f'<rect x="{_px(LABEL_W)}" y="{_px(y)}" width="{_px(span)}" height="{_px(BAR_H)}" class="kh-chart-track"/>'
            f'<rect x="{_px(LABEL_W)}" y="{_px(y)}" width="{_px(w)}" height="{_px(BAR_H)}" fill="{PALETTE[0]}"/>'
            f'<text x="{_px(LABEL_W + span + 6)}" y="{_px(y + BAR_H - 3)}" class="kh-chart-value">'
            f"{dec(total)} / {dec(maximum)}</text></g>"
        )
    height = TOP * 2 + ROW_H * len(rows)
    return _frame(height, t["chart.totals"], t["chart.totals.desc"], body)


def lost_chart(rows: list[tuple[str, list[Decimal]]], categories: list[str], t: dict[str, str]) -> str:
    """One stacked bar per unit: the points it lost in each category, with a legend."""
    span = WIDTH - LABEL_W - VALUE_W
    most = max((sum((v for v in values if v > 0), Decimal(0)) for _, values in rows), default=Decimal(0))
    scale = span / most if most > 0 else Decimal(0)
    defs = (
        "<defs>"
        '<pattern id="kh-p1" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0 6L6 0" stroke="#fff" stroke-width="1.2"/></pattern>'
        '<pattern id="kh-p2" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.1" fill="#fff"/></pattern>'
        '<pattern id="kh-p3" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0 3H6" stroke="#fff" stroke-width="1.2"/></pattern></defs>'
    )
    body: list[str] = []
    for n, (name, values) in enumerate(rows):
        y = TOP + ROW_H * n
        x = LABEL_W
        parts = [
            f'<text x="{_px(LABEL_W - 8)}" y="{_px(y + BAR_H - 3)}" text-anchor="end" class="kh-chart-label">'
            f"{_text(name)}</text>"
        ]
        for k, value in enumerate(values):
            if value <= 0:
                continue
            w = value * scale
            parts.append(_segment(x, y, w, k, f"{name} · {categories[k] if k < len(categories) else k}：{dec(value)}"))
            x += w
        lost = sum((v for v in values if v > 0), Decimal(0))
        parts.append(f'<text x="{_px(x + 6)}" y="{_px(y + BAR_H - 3)}" class="kh-chart-value">{dec(lost)}</text>')
        body.append("<g>" + "".join(parts) + "</g>")
    legend_y = TOP + ROW_H * len(rows) + Decimal(6)
    per_row = 3
    col_w = (WIDTH - LABEL_W) / per_row
    for k, title in enumerate(categories):
        lx = LABEL_W + col_w * (k % per_row)
        ly = legend_y + Decimal(20) * (k // per_row)
        body.append(
            _segment(lx, ly, Decimal(14), k, title, height=Decimal(12))
            + f'<text x="{_px(lx + 20)}" y="{_px(ly + 10)}" class="kh-chart-legend">{_text(title)}</text>'
        )
    legend_rows = (len(categories) + per_row - 1) // per_row
    height = legend_y + Decimal(20) * legend_rows + TOP
    return _frame(height, t["chart.lost"], t["chart.lost.desc"], body, defs)


def _segment(x: Decimal, y: Decimal, w: Decimal, k: int, title: str, height: Decimal = BAR_H) -> str:
    colour = PALETTE[k % len(PALETTE)]
    pattern = PATTERNS[k % len(PATTERNS)]
    rect = f'x="{_px(x)}" y="{_px(y)}" width="{_px(w)}" height="{_px(height)}"'
    overlay = f'<rect {rect} fill="url(#{pattern})"/>' if pattern else ""
    return f'<g><title>{_text(title)}</title><rect {rect} fill="{colour}"/>{overlay}</g>'
