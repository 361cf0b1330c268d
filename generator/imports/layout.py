"""From paragraphs and grids to categories and indicators, the way these documents lay them out.

One table is one category (考核表): its title is the heading above it, its notes ("注: 本表共5分…")
the paragraphs below it. The header row names each column's role; 序号 starts an indicator, and
the printed rows that follow without a 序号 of their own (merged downwards, or left empty) are
its sub-items (二's 考核要点, 五's 1.1, 七's 细化内容). A row that repeats the 序号 before it is the
same indicator continued after a page break (the 2010 document prints 三.4 twice).

Text is kept exactly as written; only what is compared (header labels, 序号, numbers) is read
through :mod:`.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..messages import Message, msg
from . import text as tx
from .grades import GradeReading, grade_lines_after, read_grades, states_grades
from .source import LEFT, UP, Block, Cell, Grid, Paragraph

#: Column roles by header label (whitespace removed, full-width made ASCII). An exact label wins;
#: otherwise the longest label a header contains. "result" columns (评分, 扣分理由) are for the
#: assessor's marks, not part of a framework.
ROLE_LABELS: dict[str, tuple[str, ...]] = {
    "result": ("评分", "得分", "扣分", "扣分理由", "扣分原因", "实得分", "考核得分", "自评分", "自评得分", "加分"),
    "seq": ("序号", "编号", "项次", "序"),
    "title": ("目标名称", "指标名称", "项目名称", "考核项目", "考核指标", "指标"),
    "target": (
        "目标内容",
        "目标计划内容",
        "目标内容及分值",
        "考核内容",
        "工作目标",
        "目标任务",
        "目标绩效",
        "内容分解",
        "工作内容",
        "指标内容",
    ),
    "principle": ("扣分原则", "扣分标准", "扣分办法", "扣分细则"),
    "standard": (
        "考核标准",
        "绩效考核标准",
        "评分标准",
        "考核要点",
        "目标考核内容细化",
        "考核内容细化",
        "检查重点",
        "检查重点及分值",
        "考核办法",
        "评分办法",
        "计分方法",
        "评分细则",
        "考核细则",
    ),
    "points": ("分值", "分数", "标准分", "权重", "满分"),
    "month": ("完成月份", "完成时间", "完成时限", "时限", "完成期限", "月份"),
    "department": ("考核责任部门", "责任部门", "考核部门", "牵头部门", "考核单位"),
    "note": ("备注", "说明"),
}

_HEADING_NUMBER = re.compile(
    r"^\s*(第?[一二三四五六七八九十百零〇]+[部分章节表]*|[(][一二三四五六七八九十百\d]+[)]|表[一二三四五六七八九十\d]+|附表\d*)"
    r"\s*[、.,:]?\s*"
)
_NOTE = re.compile(r"^\s*(注|说明|备注|本表)")
_TOTAL_ROW = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计)")
_TABLE_TOTAL = re.compile(rf"本表(?:共|满分|合计|总分)为?\s*({tx.NUMBER})\s*分")
#: "（本表共10分）" closing a heading: the table's total, not a word of its title.
_HEADING_TOTAL = re.compile(rf"\s*[(]\s*本表(?:共|满分|合计|总分)为?\s*{tx.NUMBER}\s*分\s*[)]\s*$")
#: The line of the lines above the first table that names the rules (…考核细则, …评分标准).
_TITLE_WORDS = re.compile(r"细则|办法|方案|标准|考核|评分|规定")
#: "附件1", "附表": the attachment number a document prints above its title, neither title nor issuer.
#: "一、", "2.", "（三）", "第四条": a numbered provision of the rules, never their title or issuer.
_PROVISION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|\d+\s*[、.](?!\d)|\(\s*[一二三四五六七八九十\d]+\s*\)|第[一二三四五六七八九十\d]+条)"
)
_ENDS_SENTENCE = re.compile(r"[。;；]\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d+\s*[、.](?!\d)|\(\s*\d+\s*\)|[①-⑳])")
_ATTACHMENT = re.compile(r"^\s*附[件表]\s*[\d一二三四五六七八九十]*\s*[:：]?\s*$")
_STATED_TOTAL = re.compile(rf"[(]?\s*(?:总分|共|满分|本项)\s*({tx.NUMBER})\s*分\s*[)]?|[(]\s*({tx.NUMBER})\s*分\s*[)]")
_SUB_POINTS = re.compile(rf"[(]\s*({tx.NUMBER})\s*分\s*[)]")


@dataclass
class SourcePart:
    """One printed row of an indicator: its own text and, where the table prints them, its points."""

    target: str
    standard: str
    points: Decimal | None
    where: str


@dataclass
class SourceIndicator:
    seq: str
    title: str
    target: str
    standard: str
    principle: str  # 扣分原则, where the document prints it in a column of its own
    points: Decimal | None
    month: int | None
    note: str
    department: str
    parts: list[SourcePart]
    where: str
    #: The year the completion month is dated in where the cell names one ("2010年12月", a date
    #: cell), the cell's name and the date as shown: compared with the framework's year.
    month_year: int | None = None
    month_where: str = ""
    month_shown: str = ""


@dataclass
class SourceCategory:
    title: str
    heading: str
    where: str
    notes: list[str] = field(default_factory=list)
    indicators: list[SourceIndicator] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "\n".join(n for n in self.notes if not re.fullmatch(r"\s*(注|说明)\s*[:：]?\s*", n))

    @property
    def weight(self) -> Decimal | None:
        """ "本表共5分": the share the table's raw total is scaled into."""
        match = _TABLE_TOTAL.search(tx.narrow(self.note)) or _TABLE_TOTAL.search(tx.narrow(self.heading))
        return Decimal(match.group(1)) if match else None


@dataclass
class SourceFramework:
    title: str
    issuer: str
    categories: list[SourceCategory]
    #: (where, message) for what the reader of the import should know: skipped tables, ignored columns.
    warnings: list[tuple[str, Message]]
    #: Numbered provisions printed above the tables (a 说明 sheet): grades, vetoes, the floor; and the
    #: grade lines under the last table; each with where it stands, for the warnings about it.
    provisions: list[Paragraph] = field(default_factory=list)
    #: The grade bands read from the provisions (empty when none could be read unambiguously).
    grades: GradeReading = field(default_factory=GradeReading)


@dataclass
class Column:
    index: int
    label: str
    role: str | None


def role_of(label: str) -> str | None:
    key = tx.squeeze(label)
    if not key or len(key) > 12:  # a header is a short label; long text is a row's content
        return None
    for role, labels in ROLE_LABELS.items():
        if key in labels:
            return role
    contained = [(len(lab), role) for role, labels in ROLE_LABELS.items() for lab in labels if lab in key]
    return max(contained)[1] if contained else None


def _columns(row: list[Cell]) -> list[Column]:
    columns = []
    for n, cell in enumerate(row):
        role = role_of(cell.text)
        columns.append(Column(n, tx.squeeze(cell.text), role))
    points = [c for c in columns if c.role == "points"]
    for extra in points[1:]:  # 七 and 八 print 分值 twice: the row's, then each 细化内容's
        extra.role = "subpoints"
    return columns


def _is_header(row: list[Cell]) -> bool:
    roles = {role_of(c.text) for c in row if c.merged is None and c.text}
    return bool(roles & {"target", "standard", "title"}) and bool(roles & {"seq", "points", "month"})


def _single(row: list[Cell]) -> str | None:
    own = [c for c in row if c.text and c.merged is None]
    if len(own) == 1 and all(not c.text or c.merged in (None, LEFT) for c in row):
        return own[0].text
    return None


def heading_title(heading: str) -> str:
    """ "(一)、党风廉政建设工作" → "党风廉政建设工作"; the heading itself when it carries no number."""
    narrow = tx.narrow(heading)
    total = _HEADING_TOTAL.search(narrow)
    if total and total.start() > 0:  # its weight (SourceCategory.weight), not a word of the title
        heading, narrow = heading[: total.start()], narrow[: total.start()]
    rest = _HEADING_NUMBER.sub("", narrow, count=1)
    return heading[len(heading) - len(rest) :].strip() if rest.strip() else heading.strip()


def _looks_like_heading(text: str) -> bool:
    return bool(_HEADING_NUMBER.match(tx.narrow(text))) and len(text) <= 60 and "分" not in text[-3:]


def read_layout(blocks: list[Block], fallback_title: str) -> SourceFramework:
    reader = _Reader()
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.text:
                reader.paragraphs.append(block)
        else:
            reader.grid(block)
    reader.finish()
    lines, provisions = _provisions(reader.title_lines)
    provisions += reader.grades_after
    title, issuer = _title_and_issuer(lines, fallback_title)
    grades = read_grades(provisions)
    warnings = reader.warnings + _months_of_other_years(reader.categories, tx.year_in(title)) + grades.warnings
    return SourceFramework(title, issuer, reader.categories, warnings, provisions, grades)


def _provisions(lines: list[Paragraph]) -> tuple[list[str], list[Paragraph]]:
    """The lines above the tables that are neither title nor issuer: numbered provisions ("二、考核实行
    百分制…", "三、等次：优秀90分以上…"), as a workbook's 说明 sheet prints them before its tables, and
    lines that state grade bands unnumbered ("考核结果分为优秀、良好…四个等次：90分以上为优秀…"). Read as
    title lines, the last naming 考核 became the title and every other one the issuer; they are kept
    apart, for the grades read from them and a person to write the rest as a unit veto. Lines all
    numbered are left as they were."""
    provisions = [p for p in lines if _PROVISION.match(tx.narrow(p.text)) or states_grades(p.text)]
    if len(provisions) == len(lines):
        return [p.text for p in lines], []
    return [p.text for p in lines if p not in provisions], provisions


def _grade_lines_after(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The grade lines under the last table (考核等次, read as those above the tables are), except a
    line stating the table's total ("注：本表共5分，…"), which the table's weight is read from."""
    return [p for p in grade_lines_after(paragraphs) if not _TABLE_TOTAL.search(tx.narrow(p.text))]


def _with_principle(standard: str, principle: str) -> str:
    """A row's 考核标准 and its 扣分原则 printed in a column of its own, read as one sentence: "全年刊发
    信息不少于10篇" / "每少一篇扣0.3分" is a count of 10, which neither cell says alone (read line by
    line, the deduction became a per-occurrence amount with no number required)."""
    if not standard or not principle:
        return standard or principle
    if "\n" in standard or _ENDS_SENTENCE.search(standard) or _NUMBERED.match(tx.narrow(principle)):
        return standard + "\n" + principle
    return standard + "，" + principle


def _title_and_issuer(lines: list[str], fallback: str) -> tuple[str, str]:
    """The title is the last line above the tables that names the rules (…考核细则), else the last
    line; the other lines are the issuer, whether printed above the title (the bureau's name) or
    below it (…印发). An attachment number (附件1) is neither."""
    lines = [line for line in lines if not _ATTACHMENT.match(tx.narrow(line))]
    if not lines:
        return fallback, ""
    named = [n for n, line in enumerate(lines) if _TITLE_WORDS.search(line)]
    at = named[-1] if named else len(lines) - 1
    return lines[at], "\n".join(lines[:at] + lines[at + 1 :])


def _months_of_other_years(categories: list[SourceCategory], year: int | None) -> list[tuple[str, Message]]:
    """A warning per completion month dated in another year than the framework's ("2010-12-01" in
    a 2011 framework): the month is taken, but a date a year off is more likely last year's table
    or a slip than the year's own deadline. Without a year in the title there is nothing to compare."""
    if year is None:
        return []
    off = [i for c in categories for i in c.indicators if i.month is not None and i.month_year not in (None, year)]
    return [
        (
            i.month_where,
            msg("import.month-other-year", shown=i.month_shown, found=i.month_year, year=year, month=i.month),
        )
        for i in off
    ]


class _Reader:
    def __init__(self) -> None:
        self.categories: list[SourceCategory] = []
        self.warnings: list[tuple[str, Message]] = []
        self.paragraphs: list[Paragraph] = []
        self.title_lines: list[Paragraph] = []
        self.columns: list[Column] | None = None
        self.category: SourceCategory | None = None
        self.group: list[tuple[list[Cell], str]] = []
        #: The current table's 得分/扣分 columns holding marks: label → rows with a mark.
        self.marks: dict[str, int] = {}
        self.month_where = ""  # the name of the current indicator's completion month cell
        #: Grade lines printed after the last table: provisions, not that table's note.
        self.grades_after: list[Paragraph] = []

    # -- tables and what lies between them ---------------------------------------------------

    def _take_heading(self, extra: list[Paragraph]) -> str:
        """The heading of the next table; paragraphs before it are notes of the previous one."""
        texts = self.paragraphs + extra
        self.paragraphs = []
        heading = ""
        if texts and not _NOTE.match(texts[-1].text):
            heading = texts.pop().text
        if self.category is None and not self.categories:
            self.title_lines.extend(texts)
        elif self.category is not None:
            self.category.notes.extend(p.text for p in texts)
        return heading

    def grid(self, grid: Grid) -> None:
        header = next((n for n, row in enumerate(grid.rows) if _is_header(row)), None)
        if header is None:
            if self.columns is not None and not self.paragraphs and len(grid.rows[0]) == len(self.columns):
                self._body(grid, 0)  # a table continued after a page break, without its header
                return
            self.paragraphs = []
            self.warnings.append((grid.where, msg("import.no-header")))
            return
        before = [Paragraph(t, grid.row_name(n)) for n, row in enumerate(grid.rows[:header]) if (t := _single(row))]
        continued = (
            self.columns is not None
            and not self.paragraphs
            and not before
            and [c.label for c in _columns(grid.rows[header])] == [c.label for c in self.columns]
        )
        if not continued:
            self._close_category()
            heading = self._take_heading(before) or grid.caption or f"表{len(self.categories) + 1}"
            self.category = SourceCategory(heading_title(heading), heading, grid.where)
            self.categories.append(self.category)
            self.columns = _columns(grid.rows[header])
            self._warn_columns(grid)
        self._body(grid, header + 1)

    def finish(self) -> None:
        self._close_category()
        if self.category is not None:
            self.grades_after = _grade_lines_after(self.paragraphs)
            self.category.notes.extend(p.text for p in self.paragraphs if all(p is not g for g in self.grades_after))
        elif not self.categories:
            self.title_lines.extend(self.paragraphs)
        self.paragraphs = []
        for category in self.categories:
            if not category.indicators:
                self.warnings.append((category.where, msg("import.empty-table", title=category.title)))

    def _warn_columns(self, grid: Grid) -> None:
        assert self.columns is not None
        for column in self.columns:
            if column.role is None and column.label:
                self.warnings.append((grid.where, msg("import.unknown-column", label=column.label)))

    # -- rows ------------------------------------------------------------------------------------

    def _role_columns(self, *roles: str) -> list[int]:
        assert self.columns is not None
        return [c.index for c in self.columns if c.role in roles]

    def _body(self, grid: Grid, start: int) -> None:
        assert self.category is not None and self.columns is not None
        seq_columns = self._role_columns("seq")
        for n in range(start, len(grid.rows)):
            row = grid.rows[n]
            where = grid.row_name(n)
            if not any(c.text for c in row):
                continue
            single = _single(row)
            first = next((c.text for c in row if c.text), "")
            if single is not None and _NOTE.match(single):
                self._close_indicator()
                self.category.notes.append(single)
                continue
            if single is not None and _looks_like_heading(single):
                self._close_category()
                self.category = SourceCategory(heading_title(single), single, where)
                self.categories.append(self.category)
                continue
            if _TOTAL_ROW.match(first):
                continue  # a printed sum (合计): the framework adds its rows up itself
            if self._starts_indicator(row, seq_columns):
                self._close_indicator()
            if not self.group:
                month_columns = self._role_columns("month")
                self.month_where = grid.cell_name(n, month_columns[0]) if month_columns else where
            self.group.append((row, where))

    def _starts_indicator(self, row: list[Cell], seq_columns: list[int]) -> bool:
        if not self.group:
            return True
        if seq_columns:
            cell = row[seq_columns[0]]
            if cell.merged or not cell.text:
                return False
            return _seq(cell.text) != _seq(self.group[0][0][seq_columns[0]].text)
        identity = self._role_columns("title", "target")
        points = self._role_columns("points")
        shared = all(row[c].merged == UP or not row[c].text for c in identity)
        no_points = all(row[c].merged == UP or not row[c].text for c in points)
        return not (shared and no_points)

    def _close_category(self) -> None:
        """End the current table: its last indicator, then one warning per column of marks (a
        warning per row repeated itself down a filled-in score sheet)."""
        self._close_indicator()
        if self.category is not None:
            for label, rows in self.marks.items():
                self.warnings.append((self.category.where, msg("import.marks-column", label=label, rows=rows)))
        self.marks = {}

    def _close_indicator(self) -> None:
        if not self.group:
            return
        assert self.category is not None
        self.category.indicators.append(self._indicator(self.group))
        self.group = []

    def _texts(self, group: list[tuple[list[Cell], str]], roles: tuple[str, ...], inherit: bool) -> str:
        """Texts of the columns with these roles, column by column, each distinct text once.

        With `inherit`, a cell merged down into the group's first row counts for it: a merged cell
        is printed once but belongs to every row it spans (table 九's 考核内容).
        """
        out: list[str] = []
        for c in self._role_columns(*roles):
            seen: list[str] = []
            for k, (row, _) in enumerate(group):
                cell = row[c]
                own = cell.merged is None or (inherit and k == 0 and cell.merged == UP)
                if own and cell.text and cell.text not in seen:
                    seen.append(cell.text)
            out.extend(seen)
        return "\n".join(out)

    def _indicator(self, group: list[tuple[list[Cell], str]]) -> SourceIndicator:
        assert self.columns is not None
        first, where = group[0]
        seq_columns = self._role_columns("seq")
        seq = _seq(first[seq_columns[0]].text) if seq_columns and not first[seq_columns[0]].merged else ""
        title = self._texts(group, ("title",), inherit=True)
        target = self._texts(group, ("target",), inherit=True)
        standard = self._texts(group, ("standard",), inherit=False)
        principle = self._texts(group, ("principle",), inherit=False)
        notes = [self._texts(group, ("note",), inherit=False)]
        for column in self.columns:
            if column.role is None and column.label:
                extra = self._texts_of(group, column.index)
                if extra:
                    notes.append(f"{column.label}：{extra}")
        for column in self.columns:
            if column.role == "result":
                marked = sum(1 for row, _ in group if row[column.index].merged is None and row[column.index].text)
                if marked:
                    self.marks[column.label] = self.marks.get(column.label, 0) + marked
        parts = [self._part(row, w) for row, w in group]
        points = self._points(group, parts, title, target, standard + "\n" + principle, where)
        month_columns = self._role_columns("month")
        month = year = None
        shown = ""
        if month_columns:
            cell = first[month_columns[0]]
            month, year, shown = _month(cell)
            if cell.text and month is None:
                notes.append(f"完成月份：{cell.text}")
                self.warnings.append((where, msg("import.bad-month", month=cell.text)))
            notes.extend(self._sub_months(group, month_columns[0], month))
        department = self._texts(group, ("department",), inherit=True)
        return SourceIndicator(
            seq,
            title,
            target,
            standard,
            principle,
            points,
            month,
            "\n".join(n for n in notes if n),
            department,
            parts,
            where,
            year,
            self.month_where,
            shown,
        )

    def _sub_months(self, group: list[tuple[list[Cell], str]], column: int, month: int | None) -> list[str]:
        """The completion months a 序号's later rows print of their own (a sub-item "6月30日" under a
        first row "每季度末"): an indicator has one month, the first row's, so each other one is kept
        in the note and warned about with its row. They were dropped without a word, and a June
        requirement was read as due in December."""
        notes = []
        for row, where in group[1:]:
            cell = row[column]
            if cell.merged is not None or not (cell.text or cell.date):
                continue
            own, _, shown = _month(cell)
            if own == (month or 12) and own is not None:
                continue
            shown = shown or cell.text
            notes.append(f"完成月份：{shown}")
            self.warnings.append((where, msg("import.sub-month", shown=shown, month=month or 12)))
        return notes

    def _texts_of(self, group: list[tuple[list[Cell], str]], column: int) -> str:
        seen: list[str] = []
        for row, _ in group:
            if row[column].merged is None and row[column].text and row[column].text not in seen:
                seen.append(row[column].text)
        return "\n".join(seen)

    def _part(self, row: list[Cell], where: str) -> SourcePart:
        def own(*roles: str) -> str:
            return "\n".join(row[c].text for c in self._role_columns(*roles) if row[c].merged is None and row[c].text)

        points = None
        for c in self._role_columns("subpoints"):
            if row[c].merged is None and row[c].text:
                points = tx.decimal(row[c].text)
        return SourcePart(own("title", "target"), _with_principle(own("standard"), own("principle")), points, where)

    def _points(
        self,
        group: list[tuple[list[Cell], str]],
        parts: list[SourcePart],
        title: str,
        target: str,
        standard: str,
        where: str,
    ) -> Decimal | None:
        """The indicator's 分值: its cell; the sum of its rows' cells; or the total its text states."""
        columns = self._role_columns("points")
        numbers: list[tuple[int, Decimal]] = []
        for k, (row, _) in enumerate(group):
            cell = row[columns[0]] if columns else Cell("")
            if cell.merged is None and cell.text:
                value = tx.decimal(cell.text)
                if value is None:
                    self.warnings.append((where, msg("import.bad-points", text=cell.text)))
                else:
                    numbers.append((k, value))
        stated = _stated_total(title + "\n" + target) or _stated_total(standard, only_total=True)
        if len(numbers) > 1:  # each sub-item prints its own points (二, 六): they add up to the row's
            for k, value in numbers:
                if parts[k].points is None:
                    parts[k].points = value
            total = sum((v for _, v in numbers), Decimal(0))
            if stated is not None and stated != total:
                self.warnings.append((where, msg("import.points-differ", stated=stated, total=total)))
            return stated if stated is not None else total
        for part in parts:
            if part.points is None:
                part.points = _sub_points(part.target) or _sub_points(part.standard)
        if numbers:
            return numbers[0][1]
        return stated


def _month(cell: Cell) -> tuple[int | None, int | None, str]:
    """A completion month cell's month, the year it is dated in (None where it names none) and the
    date as shown: "12月" is (12, None), "2010年12月" (12, 2010), a date cell or a number Excel
    stores for a date whose format was cleared (40878, 2011-12-01) is its date's month and year."""
    month = tx.month(cell.text) if cell.text else None
    if month is None and cell.date is not None:
        return cell.date.month, cell.date.year, cell.date.isoformat()
    return month, tx.month_year(cell.text), cell.text


def _seq(text: str) -> str:
    """序号 as compared and stored: full-width digits made ASCII, the trailing 、 or . dropped."""
    return tx.narrow(text).strip().rstrip("、.．,").strip()


def _stated_total(text: str, only_total: bool = False) -> Decimal | None:
    """ "(总分1.5分)", "总分1分,", "(5分)" in a row's own text (only 总分/共 forms in the standard)."""
    narrow = tx.narrow(text)
    for match in _STATED_TOTAL.finditer(narrow):
        if match.group(1):
            return Decimal(match.group(1))
        if not only_total and match.group(2):
            return Decimal(match.group(2))
    return None


def _sub_points(text: str) -> Decimal | None:
    match = _SUB_POINTS.search(tx.narrow(text))
    return Decimal(match.group(1)) if match else None
