"""A year's results as an Excel workbook: a 汇总 worksheet, then one score sheet per unit.

Each unit's worksheet has the source document's layout (序号 / 目标内容 / 考核标准 / 分值 /
完成月份 / 得分 / 扣分 / 扣分理由), a header row per category with its subtotal, and what printing
on paper needs: A4 landscape scaled to the page width, the column header repeated on every page,
the unit and year in the page header, page numbers in the footer, signature lines at the end.

Numbers are written as numbers (sums and sorting work), exactly as scored: shown to the framework's
precision, and to every further place a value has (a 0.05 deduction under a 0.1 precision leaves
0.25; a year adds up its periods by weight: 0.25 × 0.1), never rounded for display. Text is
written as text, never as a formula, whatever it begins with. Written with XlsxWriter (see the
README's dependency table); the file is byte-for-byte the same for the same results.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ..messages import tr
from ..model import Framework
from ..organization import of_framework
from ..render import urls
from ..render.pages import cn_ordinal, section_label
from ..score.results import IndicatorResult, Line, Results, UnitResult, effect_key, loss_method, status_label
from ..types import plain
from .table import period_mark, unit_veto_state
from .xlsxmark import MARK

#: A cell holds at most this many characters (Excel's limit).
CELL_LIMIT = 32767
#: Longest URL Excel keeps as a hyperlink.
URL_LIMIT = 2079

#: The columns of a unit's sheet and of the 汇总, each worded by the catalogue entry "xlsx.col.<key>".
SHEET_COLUMNS = ["seq", "target", "standard", "points", "month", "score", "lost", "reason"]
#: Column widths in Excel's units (one Latin character; a Chinese character takes two).
SHEET_WIDTHS = [6, 44, 44, 7, 7, 7, 7, 36]
#: Points per line of 10-point 宋体 (with the fonts LibreOffice and WPS substitute, a little more).
LINE_HEIGHT = 14.0
SUMMARY_FIXED = ["rank", "unit", "series", "total", "max", "lost-total", "bonus", "grade", "veto"]


@dataclass(frozen=True)
class Links:
    """Where a deduction's evidence is on the site: ``{site_url}/{organization}/{year}/…``; no site, no links."""

    site_url: str
    folder: str  # the year's folder in the site: <organization>/<year>

    def page(self, src_uri: str, anchor: str | None = None) -> str:
        url = f"{self.site_url.rstrip('/')}/{self.folder}/{quote(urls.dest(src_uri), safe='/._-~')}"
        return f"{url}#{anchor}" if anchor else url


def workbook(
    results: Results,
    framework: Framework,
    *,
    site_url: str | None = None,
) -> bytes:
    """The workbook for `results` (every unit in it, in ranking order); the same results, the same bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": {"font_name": "宋体", "font_size": 10},
        },
    )
    book.set_properties(
        {
            "title": year_title(results, framework),
            "company": framework.issuer,
            "created": datetime(results.year, 12, 31),  # not the time of writing: reproducible files
            "comments": MARK,
        }
    )
    folder = f"{of_framework(framework).id}/{results.year}"
    writer = _Writer(book, results, framework, Links(site_url, folder) if site_url else None)
    names = sheet_names([u.name for u in results.units])
    writer.summary(names)
    for unit, name in zip(results.units, names, strict=True):
        writer.unit_sheet(unit, name)
    book.close()
    return buffer.getvalue()


def year_title(results: Results, framework: Framework) -> str:
    """ "2010年度目标绩效管理工作考核分细则": the year once, whether or not the title names it."""
    if results.period is not None and not results.period.is_year:
        return tr("xlsx.period-title", period=results.title, title=framework.title)
    if f"{results.year}年" in framework.title:  # the framework's own title names the year
        return framework.title
    return tr("xlsx.year-title", year=results.year, title=framework.title)


#: Longest worksheet name, in UTF-16 code units (Excel's count: a character outside the BMP takes two).
SHEET_NAME_LIMIT = 31


def utf16_len(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units, so 𠀀 (CJK Extension B, in real place names) takes two."""
    return len(text.encode("utf-16-le")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """The longest start of `text` that takes at most `limit` UTF-16 code units (never half a character)."""
    used = 0
    for n, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[:n]
    return text


#: Worksheet names Excel keeps for itself (any case): it refuses a workbook's sheet of that name
#: ("History" holds its change tracking), or repairs the file and drops the sheet.
RESERVED_SHEET_NAMES = ("history",)


def sheet_names(wanted: list[str]) -> list[str]:
    """Worksheet names Excel accepts: no []:*?/\\, at most 31 UTF-16 units, no apostrophe at either end,
    unique (case-insensitively), not 汇总, not a name Excel reserves (a unit named History gets
    "History(2)", as a second unit of a name already taken does)."""
    taken = {tr("xlsx.summary").lower(), *RESERVED_SHEET_NAMES}
    out = []
    for name in wanted:
        base = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name)
        candidate, n = _sheet_name(base, SHEET_NAME_LIMIT), 2
        while candidate.lower() in taken:
            suffix = f"({n})"
            candidate, n = _sheet_name(base, SHEET_NAME_LIMIT - len(suffix)) + suffix, n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def _sheet_name(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-16 units, then stripped of apostrophes at either end (Excel refuses
    them there, and cutting can leave one at the end); never empty."""
    return cut_utf16(text.strip("'"), limit).strip("'") or tr("xlsx.col.unit")


#: Excel shows at most 15 significant digits; a format asking for more would only print zeros.
EXCEL_DIGITS = 15


def decimals(value: Decimal) -> int:
    """The decimal places `value` has (0.25 → 2, 7.20 → 1, 3 → 0), at most what Excel can show of it."""
    exponent = value.normalize().as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    whole = len(str(abs(int(value)))) if abs(value) >= 1 else 0
    return min(places, max(EXCEL_DIGITS - whole, 0))


def number_code(places: int) -> str:
    """An Excel number format with exactly `places` decimals: "0", "0.0", "0.00" … (never "0.#",
    which prints a whole number as "3.")."""
    return "0." + "0" * places if places else "0"


#: Characters two columns wide (East Asian Wide and Fullwidth): CJK, kana, hangul, full-width forms.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def display_width(text: str) -> int:
    """Width in Excel's column units: a Chinese (wide) character takes two, others one."""
    return len(text) + len(_WIDE.findall(text))


@lru_cache(maxsize=16384)
def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` units takes for `text`: each paragraph wraps on its own.

    Spreadsheets do not grow rows for wrapped text on their own when they open a file (LibreOffice
    and WPS keep the default height), so every row's height is set from this count. (Cached: every
    unit's sheet repeats the framework's texts.)
    """
    usable = max(width - 1.5, 1)  # the cell's inner margins
    return sum(max(math.ceil(display_width(p) / usable), 1) for p in text.split("\n")) if text else 1


def _text(value: str) -> str:
    return value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"


def _header_text(value: str) -> str:
    """Text for a page header: "&" is Excel's code character there."""
    return value.replace("&", "&&")


#: Longest page header (its codes included), in UTF-16 units: XlsxWriter drops a longer one with a warning.
HEADER_LIMIT = 255


def page_header(key: str, long: str, **params: object) -> str:
    """The centred page header `key` worded with `params`, its parameter `long` (a unit's name, which
    nothing bounds) cut with "…" as little as fits Excel's limit, so the rest of it still prints."""
    value = str(params[long])

    def code(keep: int) -> str:
        shown = value if keep >= utf16_len(value) else cut_utf16(value, keep) + "…"
        return "&C" + _header_text(tr(key, **{**params, long: shown}))

    if utf16_len(code(utf16_len(value))) <= HEADER_LIMIT:
        return code(utf16_len(value))
    low, high = 0, utf16_len(value) - 1  # the longest cut that fits: the header grows with it
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if utf16_len(code(middle)) <= HEADER_LIMIT else (low, middle - 1)
    header = code(low)
    if utf16_len(header) <= HEADER_LIMIT:
        return header
    header = cut_utf16(header, HEADER_LIMIT - 1)  # the rest alone is too long: cut it, never half an "&&"
    return (header[:-1] if (len(header) - len(header.rstrip("&"))) % 2 else header) + "…"


def signed(line: Line) -> str:
    """How a line counts, as the site prints it: −0.1 deducted, +0.3 given back or awarded."""
    if line.kind == "award":
        return f"+{plain(line.amount)}"
    return f"+{plain(-line.amount)}" if line.amount < 0 else f"−{plain(line.amount)}"


def standard_text(standard: str, principle: str) -> str:
    """The 考核标准 column: the standard, then the 扣分原则 the document prints in a column of its own."""
    return "\n".join(x for x in (standard, tr("xlsx.principle", principle=principle) if principle else "") if x)


def effect(line: Line, method: str) -> str:
    """A line's effect after its reason: signed as the site's columns (−0.1, +0.3), except in a 得分制
    row, where a unit is never deducted: 未得0.83分 (辽阳 第十条、第十二条 评分方式为得分制); and a veto in a
    加分 row, which deducts nothing either: 否决·不加分 (its amount is the ceiling withheld, not −2)."""
    key = effect_key(line, method)
    if key.startswith("veto_bonus"):
        return tr(f"site.amount.{key}", veto=tr("site.veto"))
    if method != "earned" or line.kind == "award" or key.startswith("veto"):
        return signed(line)
    return tr(f"site.amount.{key}", amount=plain(abs(line.amount)))


def reasons(unit: UnitResult, row: IndicatorResult) -> str:
    return "\n".join(f"{period_mark(unit, line)}{line.reason}（{effect(line, row.method)}）" for line in row.lines)


class _Writer:
    def __init__(self, book: Any, results: Results, framework: Framework, links: Links | None) -> None:
        self.book = book
        self.results = results
        self.framework = framework
        self.links = links
        self.precision = framework.precision
        self.indicators = {i.id: i for i in framework.indicators()}
        scored = {c.id for u in results.units for c in u.categories}  # a period scores only its own categories
        self.categories = [c for c in framework.categories if c.id in scored] if scored else framework.categories
        self.series = {s.id: s.title for s in framework.series}
        self.year_title = year_title(results, framework)
        self.seq_of = {
            i.id: section_label(cn_ordinal(n), i.seq)
            for n, c in enumerate(framework.categories, 1)
            for i in c.indicators
        }
        self.places = decimals(self.precision)
        border = {"border": 1, "valign": "vcenter"}
        f = book.add_format
        #: The styles of numbers: each is made once per count of decimals shown (see `write_number`).
        self.number_styles: dict[str, dict[str, Any]] = {
            "cat_num": {**border, "bold": True, "bg_color": "#F2F2F2"},
            "num": {**border, "valign": "top"},
            "lost": {**border, "valign": "top"},
            "total_num": {**border, "bold": True},
        }
        self.number_formats: dict[tuple[str, int], Any] = {}
        self.fmt = {
            "title": f({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
            "lead": f({"align": "left", "valign": "vcenter"}),
            "head": f({**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"}),
            "cat": f({**border, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True}),
            "text": f({**border, "text_wrap": True, "valign": "top"}),
            "center": f({**border, "align": "center", "valign": "top"}),
            "int": f({**border, "num_format": "0", "align": "center", "valign": "top"}),
            "link": f({**border, "valign": "vcenter", "font_color": "#1F4E79", "underline": 1}),
            "url": f({"valign": "top", "font_color": "#1F4E79", "underline": 1}),
            "total": f({**border, "bold": True}),
            "sign": f({"valign": "bottom"}),
        }

    @staticmethod
    def fit(sheet: Any, row: int, cells: list[tuple[str, float]]) -> None:
        """Make `row` tall enough for its wrapped cells ((text, column width) pairs)."""
        lines = max(lines_needed(text, width) for text, width in cells)
        sheet.set_row(row, LINE_HEIGHT * lines + 4)

    def write_number(self, sheet: Any, row: int, col: int, value: Decimal, style: str) -> None:
        """`value` as a number, shown with the framework's decimal places and with every further one
        it has: the site prints 0.25 where a 0.05 deduction makes it, so the sheet must not print 0.3."""
        sheet.write_number(row, col, float(value), self.number_format(style, max(self.places, decimals(value))))

    def number_format(self, style: str, places: int) -> Any:
        """The format of `style` showing `places` decimals (made once: one column keeps one format for
        the values the framework's precision covers, and only a finer value gets one of its own)."""
        key = (style, places)
        if key not in self.number_formats:
            code = number_code(places)
            if style == "lost":
                code = f'{code};-{code};""'  # a 扣分 of 0 is stored as 0 and printed blank, as on paper
            self.number_formats[key] = self.book.add_format({**self.number_styles[style], "num_format": code})
        return self.number_formats[key]

    def _page_setup(self, sheet: Any, header_row: int, header: str) -> None:
        """Print setup; `header` is the page header's code (see :func:`page_header`)."""
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # the page's width, as many pages down as needed
        sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        sheet.center_horizontally()
        sheet.repeat_rows(header_row)
        sheet.freeze_panes(header_row + 1, 0)
        sheet.set_header(header)
        sheet.set_footer(tr("xlsx.footer"))

    # -- 汇总 ---------------------------------------------------------------------------------

    def summary(self, names: list[str]) -> None:
        r = self.results
        sheet = self.book.add_worksheet(tr("xlsx.summary"))
        by_rate = r.rank_by == "rate"  # units of a series with different maxima are ranked by 得分率
        fixed = [tr(f"xlsx.col.{k}") for k in SUMMARY_FIXED[:6] + (["rate"] if by_rate else []) + SUMMARY_FIXED[6:]]
        columns = fixed + [c.title for c in self.categories]
        last = len(columns) - 1
        title = tr("xlsx.summary-title", title=self.year_title)
        sheet.merge_range(0, 0, 0, last, title, self.fmt["title"])
        sheet.merge_range(1, 0, 1, last, self._lead(), self.fmt["lead"])
        for c, label in enumerate(columns):
            sheet.write_string(2, c, label, self.fmt["head"])
        widths = [6, 22, 12, 8, 8, 8] + ([9] if by_rate else []) + [8, 8, 12] + [10] * len(self.categories)
        for c, width in enumerate(widths):
            sheet.set_column(c, c, width)
        self.fit(sheet, 2, list(zip(columns, widths, strict=True)))
        for n, (unit, name) in enumerate(zip(r.units, names, strict=True), start=3):
            sheet.write_number(n, 0, unit.rank, self.fmt["int"])
            sheet.write_url(n, 1, f"internal:'{name.replace(chr(39), chr(39) * 2)}'!A1", self.fmt["link"], unit.name)
            sheet.write_string(n, 2, self.series.get(unit.series, unit.series), self.fmt["center"])
            self.write_number(sheet, n, 3, unit.total, "num")
            self.write_number(sheet, n, 4, unit.max, "num")
            self.write_number(sheet, n, 5, unit.lost, "num")
            c = 6
            if by_rate:
                if unit.rate is not None:
                    self.write_number(sheet, n, c, unit.rate, "num")
                else:
                    sheet.write_blank(n, c, None, self.number_format("num", self.places))
                c += 1
            self.write_number(sheet, n, c, unit.bonus, "num")
            sheet.write_string(n, c + 1, self.results.grade_label(unit.grade), self.fmt["center"])
            vetoed = self._vetoed(unit)
            sheet.write_string(n, c + 2, vetoed, self.fmt["text"])
            self.fit(sheet, n, [(unit.name, widths[1]), (vetoed, widths[c + 2])])
            scores = {cr.id: cr for cr in unit.categories}
            for k, category in enumerate(self.categories):
                result = scores.get(category.id)
                if result is not None:
                    self.write_number(sheet, n, c + 3 + k, result.score, "num")
        sheet.autofilter(2, 0, 2 + len(r.units), last)
        self._page_setup(sheet, 2, page_header("xlsx.summary-header", "title", title=r.title))

    def _lead(self) -> str:
        r, fw = self.results, self.framework
        ranking = tr("xlsx.ranking.rate" if r.rank_by == "rate" else "xlsx.ranking.total")
        # a title that names its issuer (兴义市市场监督管理局2024年度…) is not preceded by the name again
        key = "xlsx.summary-lead.titled" if fw.issuer and fw.issuer in fw.title else "xlsx.summary-lead"
        return tr(key, issuer=fw.issuer, title=fw.title, as_of=r.as_of, ranking=ranking)

    def _vetoed(self, unit: UnitResult) -> str:
        """否决: a 一票否决 against the unit first (it showed only in the 等次 column, and nowhere in a
        framework without grades), then the indicators scored 0 by a veto (此项不得分)."""
        rows = "、".join(self.seq_of.get(i.id, i.id) for i in unit.indicators if i.status == "vetoed")
        state = unit_veto_state(unit)
        whole = tr(f"xlsx.unit-veto.{state}") if state else ""
        return tr("value.clause-separator").join(x for x in (whole, rows) if x)

    # -- one unit -----------------------------------------------------------------------------

    def unit_sheet(self, unit: UnitResult, name: str) -> None:
        r = self.results
        sheet = self.book.add_worksheet(name)
        for c, width in enumerate(SHEET_WIDTHS):
            sheet.set_column(c, c, width)
        sheet.merge_range(0, 0, 0, 7, f"{unit.name}{self.year_title}", self.fmt["title"])
        sheet.set_row(0, 26)
        rank = tr("xlsx.rank-tied", rank=unit.rank) if unit.tied else str(unit.rank)
        lead = tr(
            "xlsx.sheet-lead",
            series=self.series.get(unit.series, unit.series),
            total=plain(unit.total),
            max=plain(unit.max),
            rank=rank,
            grade=r.grade_label(unit.grade) or tr("value.none"),
            as_of=r.as_of,
        )
        sheet.merge_range(1, 0, 1, 7, lead, self.fmt["lead"])
        for c, key in enumerate(SHEET_COLUMNS):
            sheet.write_string(2, c, tr(f"xlsx.col.{key}"), self.fmt["head"])
        if self.links is not None:
            sheet.write_string(2, 8, tr("xlsx.col.link"), self.fmt["head"])
            sheet.set_column(8, 8, 12)
        self.fit(sheet, 2, [(tr(f"xlsx.col.{k}"), w) for k, w in zip(SHEET_COLUMNS, SHEET_WIDTHS, strict=True)])
        row = 3
        rows: dict[str, list[IndicatorResult]] = {}
        for ind in unit.indicators:
            rows.setdefault(ind.category, []).append(ind)
        results = {c.id: c for c in unit.categories}
        for n, category in enumerate(self.categories, 1):
            cr = results[category.id]
            sheet.write_string(row, 0, cn_ordinal(n), self.fmt["cat"])
            sheet.merge_range(row, 1, row, 2, category.title, self.fmt["cat"])
            self.write_number(sheet, row, 3, cr.raw_max, "cat_num")
            sheet.write_blank(row, 4, None, self.fmt["cat"])
            self.write_number(sheet, row, 5, cr.raw_score, "cat_num")
            self.write_number(sheet, row, 6, Decimal(0) if cr.bonus else cr.raw_max - cr.raw_score, "cat_num")
            note = tr("xlsx.subtotal")
            if cr.weight is not None:
                note = tr("xlsx.subtotal-scaled", weight=plain(cr.weight), score=plain(cr.score), max=plain(cr.max))
            if loss_method(rows.get(category.id, [])) == "earned":  # the 扣分 column holds points not earned
                note = tr("xlsx.subtotal.earned", note=note)
            sheet.write_string(row, 7, note, self.fmt["cat"])
            self.fit(sheet, row, [(category.title, SHEET_WIDTHS[1] + SHEET_WIDTHS[2]), (note, SHEET_WIDTHS[7])])
            row += 1
            for ind in rows.get(category.id, []):
                self._indicator_row(sheet, row, unit, ind)
                row += 1
        for line in unit.adjustments:
            sheet.write_blank(row, 0, None, self.fmt["text"])
            sheet.merge_range(row, 1, row, 4, tr("xlsx.adjustment"), self.fmt["text"])
            self.write_number(sheet, row, 5, line.amount, "num")
            sheet.write_blank(row, 6, None, self.fmt["text"])
            sheet.write_string(row, 7, _text(line.reason), self.fmt["text"])
            self.fit(sheet, row, [(line.reason, SHEET_WIDTHS[7])])
            row += 1
        sheet.write_blank(row, 0, None, self.fmt["total"])
        sheet.merge_range(row, 1, row, 2, tr("xlsx.total"), self.fmt["total"])
        self.write_number(sheet, row, 3, unit.max, "total_num")
        sheet.write_blank(row, 4, None, self.fmt["total"])
        self.write_number(sheet, row, 5, unit.total, "total_num")
        self.write_number(sheet, row, 6, unit.lost, "total_num")
        sheet.write_string(
            row, 7, tr("xlsx.bonus-part", bonus=plain(unit.bonus)) if unit.bonus else "", self.fmt["total"]
        )
        row += 1
        for note in self._grade_lines(unit):
            sheet.merge_range(row, 0, row, 7, note, self.fmt["lead"])
            self.fit(sheet, row, [(note, sum(SHEET_WIDTHS))])
            row += 1
        row += 1
        sheet.set_row(row, 30)
        sheet.write_string(row, 1, tr("xlsx.sign.assessor"), self.fmt["sign"])
        sheet.write_string(row, 2, tr("xlsx.sign.reviewer"), self.fmt["sign"])
        sheet.merge_range(row, 3, row, 7, tr("xlsx.sign.date"), self.fmt["sign"])
        self._page_setup(sheet, 2, page_header("xlsx.sheet-header", "unit", unit=unit.name, title=r.title))
        sheet.print_area(0, 0, row, 7)

    def _grade_lines(self, unit: UnitResult) -> list[str]:
        """Under the 合计 row: each 一票否决 against the unit and each reason its 等次 differs from the
        band its score reached (名额, 并列), as the site's sheet prints them. Only the 汇总 sheet's 否决
        column said 一票否决, so the sheet a unit signs never named the veto nor why its grade fell."""
        lines = []
        for veto in unit.vetoes:
            state = "revoked" if veto.revoked else "yes"
            where = self.seq_of.get(veto.indicator, veto.indicator)
            line = tr(f"xlsx.unit-veto.line.{state}", row=where, reason=_text(veto.reason))
            if not veto.revoked and not veto.commendation:
                line += tr("value.clause-separator") + tr("xlsx.unit-veto.no-commendation")
            lines.append(line)
        return lines + [_text(note.text) for note in unit.grade_notes]

    def _indicator_row(self, sheet: Any, row: int, unit: UnitResult, ind: IndicatorResult) -> None:
        source = self.indicators.get(ind.id)
        target = _text(source.target if source else ind.title)
        standard = _text(standard_text(ind.standard, source.principle if source else ""))
        text = _text(reasons(unit, ind))
        self.fit(
            sheet,
            row,
            [(target, SHEET_WIDTHS[1]), (standard, SHEET_WIDTHS[2]), (text, SHEET_WIDTHS[7]), (ind.seq, 6)],
        )
        sheet.write_string(row, 0, ind.seq or "", self.fmt["center"])
        sheet.write_string(row, 1, target, self.fmt["text"])
        sheet.write_string(row, 2, standard, self.fmt["text"])
        if ind.points is not None:
            self.write_number(sheet, row, 3, ind.points, "num")
        else:
            sheet.write_blank(row, 3, None, self.number_format("num", self.places))
        if ind.month is not None:
            sheet.write_number(row, 4, ind.month, self.fmt["int"])
        else:
            sheet.write_blank(row, 4, None, self.fmt["int"])
        interpreted = getattr(source, "interpreted", {}) if source is not None else {}
        for col, key in ((3, "points"), (4, "month")):  # what the document does not print, and why
            if interpreted.get(key):
                sheet.write_comment(
                    row, col, tr("xlsx.interpreted", text=interpreted[key]), {"x_scale": 2, "y_scale": 1.5}
                )
        if ind.status in ("scored", "vetoed"):
            self.write_number(sheet, row, 5, ind.score, "num")
            self.write_number(sheet, row, 6, _lost(ind), "lost")
        else:
            sheet.write_string(row, 5, status_label(ind.status), self.fmt["center"])
            sheet.write_blank(row, 6, None, self.number_format("num", self.places))
        sheet.write_string(row, 7, text, self.fmt["text"])
        link = self._reason_link(unit, ind)
        if link is not None and len(link[0]) <= URL_LIMIT:
            sheet.write_url(row, 8, link[0], self.fmt["url"], link[1])

    def _reason_link(self, unit: UnitResult, ind: IndicatorResult) -> tuple[str, str] | None:
        """(address, label) of the evidence behind the reasons: one file's page, or the row on the site's sheet.

        The link sits in a column of its own beside the reasons, outside the printed area: a
        hyperlink cell shows one line only in LibreOffice, and the reasons must print in full.
        """
        if self.links is None or not (ind.deductions or ind.awards):
            return None
        evidence = sorted({p for line in ind.lines for p in line.evidence})
        if len(evidence) == 1:
            try:
                return self.links.page(urls.evidence(evidence[0], self.results.year)), tr("xlsx.link.evidence")
            except ValueError:
                pass
        return self.links.page(urls.sheet(unit.id), urls.indicator_anchor(ind.id)), tr("xlsx.link.sheet")


def _lost(ind: IndicatorResult) -> Decimal:
    """What a row lost: nothing for a 加分 row, as csv-excel and the 合计 row count it. A unit not
    awarded a bonus lost nothing (辽阳 第十三条): printing its points under 扣分 made the column add
    up to more than the 合计 row's 失分."""
    return Decimal(0) if ind.method == "bonus" else ind.lost
