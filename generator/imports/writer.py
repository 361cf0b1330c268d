"""The imported framework as TOML files: framework.toml and one file per category.

Written with tomlkit, so strings are escaped correctly whatever a cell holds, numbers are written
exactly as the document has them (0.07, never 0.07000000000000001), and the comments that tell a
reviewer what to confirm stay beside the values they concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import tomlkit
from tomlkit.items import Float, Integer, Table, Trivia

from ..controlchars import UNSAFE
from ..controlchars import one_line as visible
from ..types import plain
from . import text as tx
from .clauses import Proposal, Reading, propose
from .grades import Band, GradeReading, ProposedQuota
from .layout import SourceCategory, SourceFramework, SourceIndicator

#: Rule ids by kind: short words a clerk can read in an evidence file's `satisfies` or `metrics`.
RULE_IDS = {
    "checklist": "items",
    "count": "count",
    "threshold": "rate",
    "incident": "incident",
    "stepped": "stepped",
    "fixed": "found",
    "range": "range",
    "veto": "veto",
    "mitigation": "mitigation",
    "unit_veto": "unit-veto",
    "award": "award",
}

FILE_NOTE = (
    "由 kaohe import 从《{source}》导入。proposed = true 的规则是按条文推定的，须与条文核对后删去该行；\n"
    "pending 列出尚无规则的条文（规则待定），写出规则后删去。kaohe check 列出两者。"
)


@dataclass
class Imported:
    files: dict[str, str]  # file name in frameworks/<id>/ → its text
    categories: int
    indicators: int
    proposed: int
    pending: int


#: Line breaks as Word and Excel store them besides "\n": CR LF, CR, vertical tab, form feed, the
#: Unicode line and paragraph separators.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def printable(text: str) -> str:
    """A cell's text as a framework may hold it: its line breaks as "\n", tabs kept, and the control
    and bidirectional characters a framework refuses (``text.control-character``) dropped; a
    document's formatting residue must not make its own import fail `kaohe check`."""
    return UNSAFE.sub(lambda m: m.group() if m.group() in "\n\t" else "", _BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """A title as one line (titles may not break): a cell's lines joined, with a space only between
    two Latin letters or digits ("…工作。\n(5分)" → "…工作。(5分)"), and tabs as spaces."""
    joined = re.sub(r"(?<=[A-Za-z0-9])\s*\n\s*(?=[A-Za-z0-9])", " ", printable(text))
    return joined.replace("\n", "").replace("\t", " ")


def number(value: Decimal) -> Integer | Float:
    """A TOML number written exactly as the decimal reads (kaohe reads TOML floats as Decimal)."""
    if value == value.to_integral_value():
        return tomlkit.integer(int(value))
    return Float(float(value), Trivia(), plain(value))


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        for key, item in value.items():
            table[key] = _value(item)
        return table
    if isinstance(value, list):
        array = tomlkit.array()
        for item in value:
            array.append(_value(item))
        if any(isinstance(item, dict) for item in value):
            array.multiline(True)
        return array
    if isinstance(value, str):
        value = printable(value)
        return tomlkit.string(value, multiline=True) if "\n" in value else value
    return value


def render(framework: SourceFramework, framework_id: str, source_name: str) -> Imported:
    files: dict[str, str] = {}
    proposed = pending = indicators = 0
    words = "\n".join(i.standard for c in framework.categories for i in c.indicators)
    for n, source in enumerate(framework.categories, start=1):
        for category, cid in _bonus_apart(source, f"c{n}"):
            doc, counts = _category_file(category, n, source_name, cid)
            files[f"{n:02d}-{cid}.toml"] = tomlkit.dumps(doc)
            indicators += len(category.indicators)
            proposed += counts[0]
            pending += counts[1]
    files["framework.toml"] = tomlkit.dumps(_framework_file(framework, framework_id, source_name, words))
    return Imported(files, len(files) - 1, indicators, proposed, pending)


def _framework_file(framework: SourceFramework, framework_id: str, source_name: str, words: str) -> Any:
    doc = tomlkit.document()
    # a file name may hold any character but "/" and NUL; a TOML comment may hold no control
    # character (check would refuse the import's own output), so they are shown as escapes ("\x7f")
    shown = visible(source_name)
    doc.add(tomlkit.comment(f"由 kaohe import 从《{shown}》导入；核对标题、序列和各表的规则后再用于考核。"))
    doc["id"] = framework_id
    doc["title"] = one_line(framework.title)
    if framework.issuer:
        doc["issuer"] = " ".join(one_line(line) for line in framework.issuer.split("\n"))
    doc["source"] = printable(source_name)
    year = tx.year_in(framework.title)
    if year is not None:
        doc["year"] = year
    narrow = tx.narrow(words)
    doc["floor"] = "none" if re.search(r"扣分不设下限|不设下限", narrow) else "zero"
    doc["floor"].comment("zero: 扣完为止; none: 扣分不设下限")
    granularity = re.search(rf"扣分以\s*({tx.NUMBER})\s*分为单位", narrow)
    if granularity:
        doc["granularity"] = number(Decimal(granularity.group(1)))
    doc["method"] = "deduction"
    doc["precision"] = number(Decimal("0.01"))
    series = tomlkit.aot()
    table = tomlkit.table()
    table["id"] = "units"
    table["title"] = "被考核单位"
    table["title"].comment("按实际改写，如 县（市）局、科室；有几类单位就写几个 [[series]]")
    series.append(table)
    doc["series"] = series
    _grades(doc, framework.grades)
    _provisions(doc, [p.text for p in framework.provisions if p not in framework.grades.lines])
    return doc


#: Above the proposed bands: where they come from and what to do with them.
GRADES_NOTE = (
    "考核等次：以下 [[grade]] 是按文件中的等次条文拟定的（proposed = true），须与条文核对后删去该行。\n"
    "“90分以上”含90分；“60分以下”与上一档的“60分以上”相接时，60分归上一档。\n"
    "名额未写取整和并列办法的，暂定向下取整、并列者均不评（不超过名额），见 interpreted。\n"
    "文件原文："
)


def _grades(doc: Any, reading: GradeReading) -> None:
    """The bands read from the document's grade lines as [[grade]] tables, best first, each marked
    proposed with its words, under the lines quoted as the document prints them."""
    if not reading.bands:
        return
    doc.add(tomlkit.nl())
    for line in GRADES_NOTE.split("\n"):
        doc.add(tomlkit.comment(line))
    for paragraph in reading.lines:
        doc.add(tomlkit.comment(visible(one_line(paragraph.text))))
    grades = tomlkit.aot()
    for band in reading.bands:
        grades.append(_grade(band))
    doc["grade"] = grades


def _grade(band: Band) -> Table:
    table = tomlkit.table()
    table["title"] = band.title
    if band.low is None:
        table["min_percent"] = 0
        table["min_percent"].comment("最低一档：其上各档以外的得分都归此档")
    elif band.unit == "%":
        table["min_percent"] = number(band.low)
    else:
        table["min_total"] = number(band.low)
    table["proposed"] = True
    table["text"] = _value(one_line(band.text))
    if band.quota is not None:
        table["quota"] = _quota(band.quota)
    return table


def _quota(quota: ProposedQuota) -> Table:
    """A quota as the document states it; what it leaves unstated (the rounding, units tied across the
    limit) is the reading that never exceeds it (向下取整, 并列者均不评), marked interpreted."""
    table = tomlkit.table()
    interpreted: dict[str, str] = {}
    words = one_line(quota.words)
    if quota.percent is not None:
        table["percent"] = number(quota.percent)
        table["rounding"] = quota.rounding or "floor"
        if quota.rounding is None:
            interpreted["rounding"] = (
                f"文件写“{words}”，未写名额如何取整：导入时暂定向下取整（不超过名额），请按文件确定"
            )
    if quota.count is not None:
        table["count"] = int(quota.count)
    table["ties"] = "none"
    interpreted["ties"] = (
        f"文件写“{words}”，未写得分并列跨越名额时如何评定：导入时暂定并列者均不评（不超过名额），请按文件确定"
    )
    table["interpreted"] = _value(interpreted)
    return table


def _provisions(doc: Any, provisions: list[str]) -> None:
    """The document's numbered provisions as comments at the end: what they say of grades the import
    could not read (the warning says why), or of a unit veto, is for a person to write as [[grade]]
    and rules."""
    if not provisions:
        return
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment("文件中的说明（未导入）：其中的等次、名额、一票否决等，请写成 [[grade]] 和规则"))
    for line in provisions:
        doc.add(tomlkit.comment(visible(one_line(line))))


def _bonus_apart(category: SourceCategory, cid: str) -> list[tuple[SourceCategory, str]]:
    """The table, and its 加分 rows in a table of their own after it (`<cid>b`, 原表名（加分）) where
    they stand among rows that deduct or score: a bonus is outside the maximum, and a table's rows
    all count in its maximum (`kaohe check` refuses a 加分 row beside others: category.bonus-mixed)."""
    bonus = [ind for ind in category.indicators if propose(ind).bonus]
    if not bonus or len(bonus) == len(category.indicators):
        return [(category, cid)]
    kept = [ind for ind in category.indicators if ind not in bonus]
    rest = SourceCategory(category.title, category.heading, category.where, category.notes, kept)
    apart = SourceCategory(f"{category.title}（加分）", "", category.where, [], bonus)
    return [(rest, cid), (apart, f"{cid}b")]


def _category_file(category: SourceCategory, n: int, source_name: str, cid: str) -> tuple[Any, tuple[int, int]]:
    doc = tomlkit.document()
    for line in FILE_NOTE.format(source=visible(source_name)).split("\n"):
        doc.add(tomlkit.comment(line))
    header = tomlkit.table()
    header["id"] = cid
    header["title"] = one_line(category.title)
    header["order"] = n
    readings = [propose(ind) for ind in category.indicators]
    earned = [r.earned for r in readings if r.rules]
    category_earned = bool(earned) and all(earned)
    if category_earned:
        header["method"] = "earned"
        header["method"].comment("得分制：各项做到即得分")
    if category.weight is not None:
        header["weight"] = number(category.weight)
    if category.note:
        header["note"] = _value(category.note)
    doc["category"] = header
    indicators = tomlkit.aot()
    proposed = pending = 0
    for k, (ind, reading) in enumerate(zip(category.indicators, readings, strict=True), start=1):
        indicators.append(_indicator(ind, reading, f"{cid}-{k:02d}", set_method=not category_earned))
        proposed += len(reading.rules)
        pending += len(reading.pending)
    if category.indicators:
        doc["indicator"] = indicators
    return doc, (proposed, pending)


#: Why an indicator without a completion month the import could read is due at the year's end.
YEAR_END = "按年底计：细则未列完成月份，按年底（12月）考核"
#: The same where the document prints words that name no month ("每季度末", "全年"): what a clerk
#: reads beside the 12 on the site and the progress board, so it speaks of the rules, not the import.
YEAR_END_WORDS = "按年底计：细则写的完成月份“{shown}”不是某一月份，按年底（12月）考核"


def _indicator(ind: SourceIndicator, reading: Reading, indicator_id: str, set_method: bool) -> Table:
    table = tomlkit.table()
    table["id"] = indicator_id
    table["seq"] = one_line(ind.seq)  # a 序号 is one printable line, as a framework requires
    if ind.title:
        table["title"] = one_line(ind.title)
    table["target"] = _value(ind.target)
    if ind.standard:
        table["standard"] = _value(ind.standard)
    if ind.principle:
        table["principle"] = _value(ind.principle)
    interpreted: dict[str, str] = {}
    points = ind.points
    if points is None and (stated := _bonus_points(reading)) is not None:
        points = stated
        interpreted["points"] = f"文件未列分值：按条文“{reading.rules[0].text}”，最多加{number(stated)}分"
    if points is not None:
        table["points"] = number(points)
    else:
        table.add(tomlkit.comment("文件未列分值：列示，不计分"))
    dated = ind.month is None and points is not None  # a row not scored needs no month
    if ind.month is not None or dated:
        table["month"] = ind.month if ind.month is not None else 12
    if reading.bonus:
        table["method"] = "bonus"
    elif set_method and reading.earned:
        table["method"] = "earned"
    if ind.department:
        table["department"] = one_line(ind.department)
    if ind.note:
        table["note"] = _value(ind.note)
    if reading.pending:
        table["pending"] = _value(reading.pending)
        if len(reading.pending) == 1:
            table["pending"].multiline(True)
    if dated:  # without a month an indicator is due all year: a report is missing from 1 January
        interpreted["month"] = YEAR_END_WORDS.format(shown=one_line(ind.month_shown)) if ind.month_shown else YEAR_END
    if interpreted:
        table["interpreted"] = _value(interpreted)
    if reading.rules:
        rules = tomlkit.aot()
        used: dict[str, int] = {}
        for proposal in reading.rules:
            rules.append(_rule(proposal, used))
        table["rule"] = rules
    return table


def _bonus_points(reading: Reading) -> Decimal | None:
    """The most a 加分 row without 分值 adds, as its one clause states it: its ceiling (最多加2分), else
    the one amount it names (排名前三名的加1分). Without points the row was listed and never scored,
    so the 加1分 the clause promises was lost, and `kaohe check` warned of rules without points."""
    if not reading.bonus or len(reading.rules) != 1:
        return None
    rule = reading.rules[0]
    if rule.fields.get("max") is not None:
        return Decimal(rule.fields["max"])
    amounts = {Decimal(a) for a in re.findall(rf"加\s*({tx.NUMBER})\s*分", tx.narrow(rule.text))}
    return amounts.pop() if len(amounts) == 1 else None


def _amount(item: dict[str, Any]) -> dict[str, Any]:
    return {"amount": item["amount"]} if item.get("amount") is not None else {}


def _rule(proposal: Proposal, used: dict[str, int]) -> Table:
    stem = RULE_IDS[proposal.kind]
    used[stem] = used.get(stem, 0) + 1
    rule_id = stem if used[stem] == 1 else f"{stem}-{used[stem]}"
    table = tomlkit.table()
    table["id"] = rule_id
    table["kind"] = proposal.kind
    table["proposed"] = True
    table["text"] = _value(proposal.text)
    fields = dict(proposal.fields)
    if proposal.kind == "checklist":
        items = []
        for j, item in enumerate(fields.pop("items"), start=1):
            entry: dict[str, Any] = {"key": f"{rule_id}-{j}", "name": one_line(item["name"]) or f"第{j}项"}
            if "amount" in item:
                entry["amount"] = item["amount"]
            items.append(entry)
        fields["items"] = items
    elif proposal.kind == "count":
        fields = {"key": rule_id, "name": one_line(fields.pop("name")) or "应完成事项", **fields}
        for j, sub in enumerate(fields.get("of_which", []), start=1):
            sub["key"] = f"{rule_id}-{j}"
            sub["name"] = one_line(sub["name"]) or f"其中第{j}类"
            fields["of_which"][j - 1] = {"key": sub["key"], "name": sub["name"], "required": sub["required"]}
    elif proposal.kind == "fixed" and "items" in fields:
        fields["items"] = [
            {"key": f"{rule_id}-{j}", "name": one_line(item["name"]) or f"第{j}项", **_amount(item)}
            for j, item in enumerate(fields["items"], start=1)
        ]
    elif proposal.kind == "threshold":
        fields = {"metric": rule_id, **fields, "name": one_line(fields["name"])}
        if "missing_amount" not in fields:  # check requires it stated; the document does not state it
            fields["missing_amount"] = Decimal(0)
            fields["interpreted"] = {
                "missing_amount": f"文件未写未报告{fields['name']}时如何扣分：导入时暂定不扣分，请按文件确定"
            }
    interpreted = fields.pop("interpreted", {})
    for key in ("amount", "per_occurrence", "min", "max", "required", "threshold", "step", "partial"):
        if key in fields:
            table[key] = _value(fields.pop(key))
    for key, value in fields.items():
        table[key] = _value(value)
    if interpreted:  # what the document does not print, with the reason (docs/formats.md)
        table["interpreted"] = _value(interpreted)
    return table
