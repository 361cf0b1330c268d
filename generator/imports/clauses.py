"""Rules proposed from the wording of a 考核标准, clause by clause; what is not understood stays text.

A 考核标准 is cut into clauses at the amounts it names ("扣0.1分", "扣0.1-0.5分", "不得分",
"加一倍", "0.5分"); the words before an amount in the same sentence are its context. Each clause
is read by the patterns of the source documents, in this order:

| wording | proposed rule |
|---|---|
| 酌情少扣或不扣分 | `mitigation` |
| 扣0.1-0.5分 (各扣: one per thing named) | `range` |
| 此项/本项不得分 | `veto` |
| 发生重大事故的,实行一票否决 | `unit_veto` (only commendation lost until a grade is stated) |
| 获得省级表彰加1分,最多加2分 (every clause a 加分) | `award` of at most the 最多 amount; the row is 加分 |
| 加0.2分 beside deductions | pending: a bonus is never read as points to earn |
| 无记录、结果的不得分 | `checklist`, each item worth the (sub-item's) points |
| …不得分 (else) | `fixed`, the (sub-item's) points |
| 结案率达不到90%,少一个百分点扣0.1分 / 签订率达不到100%扣2分 | `threshold` (per point / any shortfall) |
| 加一倍 / 加两倍 | a severity (×2, ×3) of the grades before it |
| 一般工作人员违纪扣0.2分,股级干部扣0.3分… | `incident` with grades |
| 发生事故死亡1人扣5分; 发生一起…事故扣5分 | `incident` |
| 发现一台扣1分,五台以上扣4分 | `stepped` |
| 缺1次扣0.1分 / 每少一次扣2分, with 少于4次 / 20家以上 / 不少于五次 nearby | `count` |
| 每季度(每月、每半年)不少于1次…缺一次扣X分 | `count` over the year: 1 × 4 (12, 2) |
| 3篇(条)以上(其中《黔质新风》1篇以上)…缺1篇扣0.2分 | `count` with a sub-quota (`of_which`) |
| 3项缺1项扣0.1分; A、B、C…缺一项扣X分 | `checklist` |
| 应谈未谈的,缺一项扣0.1分, the target listing A、B、C等 | `fixed` with the kinds as items |
| 无自查报告扣0.2分; 未上报…报告扣6分 | `checklist` of one document |
| 被查实一次扣0.3分; 扣0.5分/次; 缺一次扣0.02分 | `fixed`, per occurrence |
| 未细化监管责任,扣0.5分 | `fixed` |
| 未按时开展年检工作,扣0.2分;未开展年检工作,扣0.5分 | `fixed`, exclusive tiers (only the heavier) |
| 有检查方案0.5分 (得分制) | `checklist` item earned |
| 行政复议无被撤销案件0.4分 (得分制) | `fixed`: the assessor's finding loses it |

Amounts come only from the clause (or, for 不得分, the points printed for the row or sub-item);
a clause that names no amount ("按…比例扣除") is left as text for a person to turn into a rule.
Readings beyond the clause's words (kinds of 项, exclusive tiers) carry an `interpreted` reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import text as tx
from .layout import SourceIndicator, SourcePart

N = tx.NUMBER
C = tx.COUNT
CJK = r"\u4e00-\u9fff"

_RANGE = re.compile(rf"扣\s*({N})\s*[-~—–至到]\s*({N})\s*分")
_DEDUCT = re.compile(rf"扣(?:除)?\s*({N})\s*分")
_NOSCORE = re.compile(r"不得分|不给分|不计分|不能得分")
_SEVERITY = re.compile(rf"加\s*({C})\s*倍")
_MITIGATE = re.compile(r"酌情(?:少扣|减扣|减分|不扣)|少扣或不扣")
_EARN = re.compile(rf"(?<![扣总共满\d.])({N})\s*分(?![值数])")
_UNQUANTIFIED = re.compile(r"扣除|扣分|减分|扣减")
_CAPWORD = re.compile(r"扣完为止|扣完即止")
_UNIT_VETO = re.compile(r"一票否决")
#: What a 一票否决 does to the grade, printed after it: "不得评为优秀", "降为不合格", "定为不合格等次".
_VETO_GRADE = re.compile(
    r"不得(?:评为|评定为|确定为|定为)\s*(\w+?)(?:等次)?$|(?:降为|评为|定为|确定为)\s*(\w+?)(?:等次)?$"
)
_BONUS = re.compile(rf"加\s*({N})\s*分")
_BONUS_CAP = re.compile(rf"(?:最多|最高|累计|合计|上限为?|不超过)\s*(?:加|不超过)?\s*({N})\s*分")
#: How often a count is required, and how many times that is in the year: 每季度不少于1次 is 4.
_PER_YEAR = {"每季度": 4, "每季": 4, "每月": 12, "每半年": 2}

_SUB_POINTS = re.compile(rf"^\s*[(]\s*{N}\s*分\s*[)]\s*|\s*[(]\s*{N}\s*分\s*[)]\s*$")
_STATED = re.compile(rf"^\s*(?:总分|共|满分)\s*{N}\s*分\s*$")
_NUMBERING = re.compile(  # 1、 2.3. 2.1安全… ① (1)
    r"^\s*(?:(\d{1,2}(?:\.\d{1,2})*)\s*[、.](?!\d)|(\d{1,2}\.\d{1,2})(?=[" + CJK + r"])|([①-⑳])|[(](\d{1,2})[)])\s*"
)

_RATE = re.compile(rf"([{CJK}A-Za-z]{{1,12}}?率)\s*(?:达不到|不达|不足|低于|未达到|未达)\s*({N})\s*%")
#: "案件办结率达到95%" with "每低一个百分点扣0.5分": the rate to reach, read only beside a per-point deduction.
_RATE_REACH = re.compile(rf"([{CJK}A-Za-z]{{1,12}}?率)\s*(?:应达到|达到|不低于)\s*({N})\s*%")
_PER_POINT = re.compile(rf"(?:每)?(?:少|低|差)\s*(?:一|1)\s*个?百分点\s*扣\s*({N})\s*分")
_DEATHS = re.compile(r"死亡\s*(?:一|1)\s*人")
_ONE_EVENT = re.compile(r"发生\s*(?:一|1)\s*起")
_STEP_ONE = re.compile(r"发现\s*(?:一|1)\s*([台处家起件个])")
_STEP_AT = re.compile(rf"({C})\s*([台处家起件个])\s*(?:以上|及以上)")
_PER_MISSING = re.compile(r"(?:缺|每少|少)\s*(?:一|1)\s*([次家篇条期人个份])")
_MISSING_ITEM = re.compile(r"(?:缺|每缺|少)\s*(?:一|1)\s*项")
_N_ITEMS = re.compile(rf"({C})\s*项\s*(?:中\s*)?缺\s*(?:一|1)\s*项")
_PER_OCCURRENCE = re.compile(r"一次|每次|/次|每件|一件|每起|每项|每人|一天|每天|一日|每日")
#: The measure word an occurrence of _PER_OCCURRENCE is counted in, where it is not 次 (the default).
_MEASURES = {"天": "天", "日": "天", "件": "件", "起": "起", "人": "人", "项": "项"}
_ABSENT = re.compile(r"(?:无|没有|缺少|缺)([^,;。]*?)(?:的)?\s*$")
_DOCUMENT = re.compile(
    r"报告|记录|资料|台帐|台账|总结|材料|方案|计划|登记|通知书|承诺书|责任书|结论|演练|结果|文件|档案"
)
_SUBMIT = re.compile(r"^未(?:[向与对][^,]*?)?(?:上报|报送|提交|签订)")
_VAGUE = re.compile(r"^相关")
_NEGATION = re.compile(r"[未无没不缺少每发现]")
_INCIDENT_WORDS = re.compile(r"案件|事故|违纪|违规|违法")
_GRADE = re.compile(rf"^([{CJK}]{{2,10}}?)(?:违纪|违规|违法)?\s*扣\s*({N})\s*分$")
_AS_COUNTED = r"(?:\(条\))?"


@dataclass
class Proposal:
    kind: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    earned: bool = False
    item: str = ""  # the numbered item (1、 2、 …) the clause stands in, within its printed row
    part: int = 0


@dataclass
class Reading:
    rules: list[Proposal]
    pending: list[str]

    @property
    def earned(self) -> bool:
        """得分制 when some rule earns points and the others earn none either way (a veto, a
        mitigation); a row whose only rule is 此项不得分 is no more earned than deducted."""
        neutral = ("veto", "mitigation", "unit_veto")
        return any(r.earned for r in self.rules) and all(r.earned or r.kind in neutral for r in self.rules)

    @property
    def bonus(self) -> bool:
        """加分: every rule is an award."""
        return bool(self.rules) and all(r.kind == "award" for r in self.rules)


@dataclass
class _Piece:
    text: str  # as written
    narrow: str  # digits and punctuation made ASCII, sub-points and numbering taken out
    sep: str  # the separator after it
    item: str  # numbering at its start, if any


@dataclass
class _Clause:
    context: list[_Piece]
    piece: _Piece
    tail: list[_Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [*self.context, self.piece, *self.tail]
        out = ""
        for n, p in enumerate(parts):
            out += p.text + (p.sep if n < len(parts) - 1 and p.sep in ",;、" else "")
        return out.strip().rstrip(",;。")

    @property
    def narrow(self) -> str:
        return ",".join(p.narrow for p in [*self.context, self.piece])

    @property
    def capped(self) -> bool:
        return any(_CAPWORD.search(p.narrow) for p in [self.piece, *self.tail])


def _pieces(text: str) -> list[_Piece]:
    narrow = tx.narrow(text)
    out: list[_Piece] = []
    start, depth = 0, 0
    for i, ch in enumerate(narrow + "\n"):
        if ch in "(《“[":
            depth += 1
        elif ch in ")》”]":
            depth = max(depth - 1, 0)
        elif (ch in ",;。\n" or (ch == "、" and narrow[i - 1 : i] == "分")) and (depth == 0 or ch == "\n"):
            depth = 0 if ch == "\n" else depth
            raw, low = text[start:i], narrow[start:i]
            item = ""
            numbering = _NUMBERING.match(low)
            if numbering:
                item = next(g for g in numbering.groups() if g)
                raw, low = raw[numbering.end() :], low[numbering.end() :]
            sub = _SUB_POINTS.search(low)
            while sub:
                raw, low = raw[: sub.start()] + raw[sub.end() :], low[: sub.start()] + low[sub.end() :]
                sub = _SUB_POINTS.search(low)
            if _STATED.match(low):
                raw = low = ""
            lead = len(low) - len(low.lstrip())
            out.append(_Piece(raw[lead:].rstrip(), low.strip(), ch if i < len(narrow) else "", item))
            start = i + 1
    return out


def _has_amount(p: _Piece) -> bool:
    n = p.narrow
    return bool(
        _RANGE.search(n)
        or _DEDUCT.search(n)
        or _NOSCORE.search(n)
        or _SEVERITY.search(n)
        or _MITIGATE.search(n)
        or _EARN.search(n)
        or _UNQUANTIFIED.search(n)
        or _UNIT_VETO.search(n)
    )


def _clauses(text: str) -> list[_Clause]:
    """The clauses of one cell: each piece naming an amount, with the words before it in its sentence."""
    clauses: list[_Clause] = []
    context: list[_Piece] = []
    items: list[str] = []
    after_amount = False
    for piece in _pieces(text):
        if not piece.narrow:
            if piece.sep in "。;\n":
                context, after_amount = [], False
            continue
        if piece.item:
            items.append(piece.item)
            context, after_amount = [], False
        if _has_amount(piece):
            clause = _Clause(context, piece)
            clause.piece.item = items[-1] if items else ""
            clauses.append(clause)
            context, after_amount = [], True
        elif after_amount and (
            _CAPWORD.search(piece.narrow) or piece.narrow.startswith("(") or _veto_tail(clauses[-1], piece)
        ):
            clauses[-1].tail.append(piece)
        else:
            context.append(piece)
            after_amount = False
        if piece.sep in "。;\n":
            context, after_amount = [], False
    return clauses


def _veto_tail(clause: _Clause, piece: _Piece) -> bool:
    """ "实行一票否决,不得评为优秀": the grade the veto leaves is part of its clause, not words lost."""
    return bool(_UNIT_VETO.search(clause.piece.narrow) and _VETO_GRADE.search(piece.narrow))


def _unit_veto(clause: _Clause) -> Proposal:
    """A 一票否决 takes commendation away; the grade it caps or gives is named for a person to write,
    since the framework has no grades yet when it is imported (check refuses a grade it lacks)."""
    fields: dict[str, Any] = {"commendation": False}
    said = next((m for p in clause.tail if (m := _VETO_GRADE.search(p.narrow))), None)
    if said is None:
        reason = "条文只写“实行一票否决”，未写否决后的等次：导入时暂定只取消评先评优资格，请按文件确定"
    elif said.group(1):
        reason = (
            f"条文写“不得评为{said.group(1)}”：写出等次（[[grade]]）后，设 max_grade 为{said.group(1)}的下一等次；"
            "导入时暂定只取消评先评优资格"
        )
    else:
        grade = said.group(2)
        reason = f'条文写“{said.group(0)}”：写出等次（[[grade]]）后，设 grade = "{grade}"；导入时暂定只取消评先评优资格'
    fields["interpreted"] = {"commendation": reason}
    return Proposal("unit_veto", clause.text, fields)


def propose(indicator: SourceIndicator) -> Reading:
    rules: list[Proposal] = []
    pending: list[str] = []
    for n, part in enumerate(indicator.parts):
        got, left = _read_part(part, indicator)
        for rule in got:
            rule.part = n
        rules.extend(got)
        pending.extend(left)
    rules = _merge(rules)
    if indicator.points is not None and not rules and not pending and indicator.standard.strip():
        pending.append(indicator.standard.strip())  # points, and no clause to lose them by
    return Reading(rules, pending)


def _read_part(part: SourcePart, indicator: SourceIndicator) -> tuple[list[Proposal], list[str]]:
    clauses = _clauses(part.standard)
    if clauses and all(_BONUS.search(c.piece.narrow) for c in clauses):
        return [_award(clauses)], []
    points = part.points if part.points is not None else indicator.points
    near = list(dict.fromkeys(x for x in (part.target, indicator.target, indicator.title) if x))
    rules: list[Proposal] = []
    pending: list[str] = []
    k = 0
    while k < len(clauses):
        clause = clauses[k]
        grades = _grade_run(clauses, k)
        if grades:
            rules.append(grades[0])
            k += grades[1]
            continue
        got = _read(clause, points, near, part, rules)
        if got is None:
            pending.append(clause.text)
        else:
            for rule in got:
                rule.item = clause.piece.item
                open_ended = rule.kind in ("count", "incident", "stepped") or rule.fields.get("per_occurrence")
                if clause.capped and part.points is not None and open_ended:  # 扣完为止 within a sub-item
                    rule.fields["cap"] = part.points
            rules.extend(got)
        k += 1
    if not clauses and part.points is not None and part.standard.strip() and len(indicator.parts) > 1:
        rules.append(_earned_item(part))
    return rules, pending


def _award(clauses: list[_Clause]) -> Proposal:
    """ "获得国家级表彰加2分,省级加1分,最多加3分": one bonus, the assessor's finding names what it adds;
    its ceiling, where stated, is the rule's `max` (else the row's points)."""
    fields: dict[str, Any] = {}
    for clause in clauses:
        if cap := _BONUS_CAP.search(clause.piece.narrow):
            fields["max"] = Decimal(cap.group(1))
    return Proposal("award", ",".join(c.text for c in clauses), fields)


def _earned_item(part: SourcePart) -> Proposal:
    """A printed row with its own points and no deduction: an item earned when its evidence exists."""
    name = re.sub(r"[;,。；，、\s]+$", "", _strip_numbering(part.standard))
    return Proposal("checklist", name, {"items": [{"name": name, "amount": part.points}]}, earned=True)


def _strip_numbering(text: str) -> str:
    match = _NUMBERING.match(tx.narrow(text))
    return text[match.end() :] if match else text


def _grade_run(clauses: list[_Clause], k: int) -> tuple[Proposal, int] | None:
    """一般工作人员违纪扣0.2分,股级干部扣0.3分,科级干部扣0.4分 → incident grades (+ 加一倍 severities)."""
    grades: dict[str, Decimal] = {}
    n = k
    while n < len(clauses) and not clauses[n].tail:
        match = _GRADE.match(clauses[n].piece.narrow)
        if not match or _NEGATION.search(match.group(1)) or (n > k and clauses[n].context):
            break
        grades[clauses[n].piece.text[: len(match.group(1))]] = Decimal(match.group(2))
        n += 1
    if len(grades) < 2 or not _INCIDENT_WORDS.search(clauses[k].narrow):
        return None
    severities: dict[str, Decimal] = {}
    texts = [c.text for c in clauses[k:n]]
    while n < len(clauses) and (match := _SEVERITY.search(clauses[n].piece.narrow)):
        times = tx.count(match.group(1))
        if times is None:
            break
        name = re.split(r"在|的|按|,", clauses[n].piece.text, maxsplit=1)[0].strip()
        severities[name or f"加{match.group(1)}倍"] = Decimal(times + 1)
        texts.append(clauses[n].text)
        n += 1
    fields: dict[str, Any] = {"grades": grades}
    if severities:
        fields["severities"] = severities
    return Proposal("incident", ";".join(texts), fields), n - k


def _read(
    clause: _Clause, points: Decimal | None, near: list[str], part: SourcePart, done: list[Proposal]
) -> list[Proposal] | None:
    p = clause.piece.narrow
    whole = clause.narrow
    text = clause.text
    if _MITIGATE.search(p):
        return [Proposal("mitigation", text)]
    if _UNIT_VETO.search(p):
        return [_unit_veto(clause)]
    if _BONUS.search(p) and not _SEVERITY.search(p):
        return None  # a bonus beside deductions: never points to earn, a person writes the rule
    if match := _RANGE.search(p):
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        each = 1
        if "各扣" in p:
            subject = re.sub(r"^(?:不能提供|没有|无|未)", "", whole[: whole.rfind("各扣")])
            each = max(len([s for s in re.split(r"和|、|及|与", subject) if s.strip()]), 1)
        return [Proposal("range", text, {"min": low, "max": high}) for _ in range(each)]
    if _NOSCORE.search(p):
        if re.search(r"(此|本|该)项\s*(?:工作\s*)?不得分", p):
            return [Proposal("veto", text)]
        if points is None:
            return None
        absent = re.search(r"([^,;、]*?)(?:无|没有)([^,;]*?)(?:的)?\s*不得分", whole)
        if absent and _DOCUMENT.search(absent.group(2)):
            subject = absent.group(1).strip()
            names = [subject + s.strip() for s in re.split(r"、|和|及", absent.group(2)) if s.strip()]
            return [Proposal("checklist", text, {"items": [{"name": n, "amount": points} for n in names]})]
        return [Proposal("fixed", text, {"amount": points})]
    if match := _RATE.search(whole):
        threshold = Decimal(match.group(2))
        name = _from_clause_start(whole, match.start(1), match.end(1), 0, _RATE_NAME_CHAR)
        per_point = _PER_POINT.search(p)
        if per_point:
            fields = {"name": name, "threshold": threshold, "amount": Decimal(per_point.group(1))}
            return [Proposal("threshold", text, fields)]
        if deduct := _DEDUCT.search(p):
            fields = {
                "name": name,
                "threshold": threshold,
                "amount": Decimal(deduct.group(1)),
                "step": threshold,
                "partial": "ceil",
            }
            return [Proposal("threshold", text, fields)]
        return None
    if (match := _RATE_REACH.search(whole)) and (per_point := _PER_POINT.search(p)):
        name = _from_clause_start(whole, match.start(1), match.end(1), 0, _RATE_NAME_CHAR)
        fields = {"name": name, "threshold": Decimal(match.group(2)), "amount": Decimal(per_point.group(1))}
        return [Proposal("threshold", text, fields)]
    if match := _SEVERITY.search(p):
        return None  # a severity with no grades before it
    deduct = _DEDUCT.search(p)
    if deduct:
        return _read_deduction(clause, Decimal(deduct.group(1)), near, done)
    if _UNQUANTIFIED.search(p) or not _EARN.search(p):
        return None
    earn = _EARN.search(p)
    assert earn is not None
    amount = Decimal(earn.group(1))
    before = p[: earn.start()]
    if "有" in before and "无" not in before:
        name = before[before.index("有") + 1 :].strip() or before
        return [Proposal("checklist", text, {"items": [{"name": name, "amount": amount}]}, earned=True)]
    return [Proposal("fixed", text, {"amount": amount}, earned=True)]


def _read_deduction(clause: _Clause, amount: Decimal, near: list[str], done: list[Proposal]) -> list[Proposal] | None:
    p = clause.piece.narrow
    whole = clause.narrow
    text = clause.text
    if _DEATHS.search(whole):
        return [Proposal("incident", text, {"amount": amount, "measure": "人"})]
    if _ONE_EVENT.search(whole) and _INCIDENT_WORDS.search(whole):
        return [Proposal("incident", text, {"amount": amount})]
    if match := _STEP_ONE.search(whole):
        return [Proposal("stepped", text, {"amount": amount, "measure": match.group(1)})]
    if (match := _STEP_AT.search(p)) and done and done[-1].kind == "stepped":
        at = tx.count(match.group(1))
        if at is not None:
            stepped = done[-1]
            stepped.fields.setdefault("steps", []).append({"at": at, "amount": amount})
            stepped.text += "," + text
            return []
    if match := _PER_MISSING.search(p):
        counts = _counts(whole, near, match.group(1), amount, text)
        if counts:
            return counts
        return [Proposal("fixed", text, {"amount": amount, "per_occurrence": True})]
    if _MISSING_ITEM.search(p):
        return _missing_item(clause, amount, near)
    if "每项" in p:
        return [Proposal("fixed", text, {"amount": amount, "per_occurrence": True})]
    item = _document(whole)
    if item is not None:
        return [Proposal("checklist", text, {"items": [{"name": item, "amount": amount}]})]
    per = _PER_OCCURRENCE.search(p) if "一次以上" not in p else None
    fields: dict[str, Any] = {"amount": amount}
    if per:
        fields["per_occurrence"] = True
        measure = _MEASURES.get(per.group()[-1])
        if measure:  # 逾期一天扣0.1分: three days late read （3天）, not （3次）
            fields["measure"] = measure
    return [Proposal("fixed", text, fields)]


def _counts(whole: str, near: list[str], measure: str, amount: Decimal, text: str) -> list[Proposal]:
    """少于4次、少于2次…缺1次扣0.1分 → one count each; else the required number from the row's own
    target (a sub-item's before the whole row's): "20家以上", "不少于五次", or the one "3次" it names."""
    found = _required(whole, measure, with_less=True)
    for words in near:
        if found:
            break
        found = _required(tx.narrow(words), measure, with_less=False)
    out: list[Proposal] = []
    for name, required, sub in found:
        often, name = _frequency(name)
        name = name or (near[0] if near else "")  # "每季度不少于1次": what is counted is the row's target
        if sub and out:  # "3篇以上(其中《黔质新风》1篇以上)": one requirement with a sub-quota
            out[-1].fields.setdefault("of_which", []).append({"name": name, "required": required})
            continue
        fields: dict[str, Any] = {"name": name, "required": required, "amount": amount}
        if often:
            fields["required"] = required * _PER_YEAR[often]
            fields["interpreted"] = {
                "required": f"条文为{often}{required}{measure}：全年按{_PER_YEAR[often]}个{often[1:]}计，"
                f"共{fields['required']}{measure}；按{often[1:]}考核的，改按考核期写"
            }
        if measure != "次":
            fields["measure"] = measure
        out.append(Proposal("count", text, fields))
    return out


def _frequency(name: str) -> tuple[str, str]:
    """ "每季度" → (每季度, ""): a count required per quarter (per month, per half-year), and what is
    left of the name once the frequency is taken off."""
    for often in sorted(_PER_YEAR, key=len, reverse=True):
        if name.startswith(often):
            return often, name[len(often) :].strip(" ,、")
    return "", name


#: The characters of what is counted (反腐倡廉教育, 《黔质新风》刊发稿件): a name runs over them to the
#: clause's punctuation, a digit or a Latin letter.
_NAME_CHAR = re.compile(rf"[{CJK}《》“”]")
#: The characters of a rate's name (案件结案率, CCC认证覆盖率), as _RATE reads them.
_RATE_NAME_CHAR = re.compile(rf"[{CJK}A-Za-z]")


def _from_clause_start(words: str, start: int, end: int, floor: int, chars: re.Pattern[str] = _NAME_CHAR) -> str:
    """The name `words[start:end]` a pattern matched before a number, run back to where its clause
    starts (not before `floor`, the end of the match before it). The pattern looks at most a dozen
    characters back: "全年在市级以上报刊媒体刊发宣传本单位工作信息不少于10篇" was named 体刊发宣传本单位
    工作信息, cut mid-word, and 每季度向州局报送质量安全监管工作信息 lost its 每季度 (and three of its four
    reports a year). A rate's name (…率) is read the same way."""
    while start > floor and chars.match(words, start - 1):
        start -= 1
    return words[start:end]


def _to_clause_end(words: str, start: int, end: int) -> str:
    """The name `words[start:end]` a pattern matched after a number ("1次以上的…"), run on to where its
    clause ends: the pattern takes at most 16 characters (…小作坊专项监督检查工作 ended in 检查工)."""
    while end < len(words) and re.match(rf"[{CJK}]", words[end]):
        end += 1
    return words[start:end]


#: Words before what a count names that are not part of its name (向州局…, 全年…).
_LEAD = re.compile(r"^(?:与|和|向|对|在|有|其中|按要求|每年|全年)+")


def _required(words: str, measure: str, with_less: bool) -> list[tuple[str, int, bool]]:
    """(what is counted, how many are required, whether it is a sub-quota "其中…") as the words state it."""
    name = rf"([{CJK}《》“”]{{0,12}}?)"
    after = rf"(?:{_AS_COUNTED}\s*(?:以上)?\s*的?([{CJK}]{{0,16}}))"
    if with_less:
        patterns = [rf"{name}(?:不少于|不得少于|不低于|少于|不足)\s*({C})\s*{measure}{after}"]
    else:
        patterns = [
            rf"{name}(?:不少于|不得少于|至少|少于)?\s*({C})\s*{measure}{_AS_COUNTED}\s*以上\s*的?([{CJK}]{{0,16}})",
            rf"{name}(?:不少于|不得少于|至少)\s*({C})\s*{measure}{after}",
            rf"{name}({C})\s*{measure}{after}",
        ]
    for n, pattern in enumerate(patterns):
        found = []
        floor = 0
        for match in re.finditer(pattern, words):
            required = tx.count(match.group(2))
            if required is None or required < 1:
                continue
            whole = _from_clause_start(words, match.start(1), match.end(1), floor)
            after = match.group(3) and _to_clause_end(words, match.start(3), match.end(3))
            floor = match.start(3) + len(after) if after else match.end()
            sub = "其中" in words[max(match.start() - 3, 0) : match.start()] + match.group(1)
            label = _LEAD.sub("", whole.split("的")[-1].strip(",、"))
            stated, _ = _frequency(_LEAD.sub("", whole))  # "每季度报送的工作信息": the 每季度 is before 的
            if not label.startswith(stated):
                label = stated + label
            often, rest = _frequency(label)
            if not rest or re.search(r"(?:报送|上报|开展|举办|进行|组织|召开|检查)$", rest):
                label = often + (after or rest)
            found.append((label, required, sub))
        if n == 2 and len(found) != 1:  # a bare "3次" counts only when the row names one number of this unit
            return []
        if found:
            return found
    return []


def _missing_item(clause: _Clause, amount: Decimal, near: list[str]) -> list[Proposal]:
    """ "3项缺1项扣0.1分", "查A、B、C,缺1项扣1分": a checklist of what the clause lists. A clause that
    lists nothing ("应谈未谈的,缺一项扣0.1分") counts the kinds (项) its row's target lists, and the
    assessor finds which is missing (`fixed` with items); with no list anywhere, each one found."""
    p = clause.piece.narrow
    stated = _N_ITEMS.search(p)
    required = tx.count(stated.group(1)) if stated else None
    names = _enumeration(clause)
    if required is not None:
        if len(names) != required:
            names = [f"第{k}项" for k in range(1, required + 1)]
    elif len(names) < 2:
        kinds = _listed_kinds(near[0]) if near else []
        if len(kinds) >= 2:
            fields = {
                "amount": amount,
                "items": [{"name": k} for k in kinds],
                "interpreted": {"items": "导入时推定：条文未列出“项”，取目标所列各项，由考核人认定缺哪一项"},
            }
            return [Proposal("fixed", clause.text, fields)]
        return [Proposal("fixed", clause.text, {"amount": amount, "per_occurrence": True})]
    return [Proposal("checklist", clause.text, {"amount": amount, "items": [{"name": n} for n in names]})]


def _listed_kinds(target: str) -> list[str]:
    """The one 、-list of a target ("落实好A、B、C等制度" → A, B, C); none when it has several or none."""
    segments = [seg for seg in re.split(r"[,;。\n]", tx.narrow(target)) if "、" in seg]
    if len(segments) != 1:
        return []
    parts = [x.strip() for x in segments[0].split("、")]
    parts[-1] = re.sub(r"等.*$", "", parts[-1])
    parts[0] = re.sub(r"^.*?(?:落实好|做好|开展|落实|包括|有)", "", parts[0])
    return [x for x in parts if x]


def _enumeration(clause: _Clause) -> list[str]:
    """What a "缺一项" clause enumerates: the 、-list just before it, or the documents listed in commas."""
    before = clause.piece.narrow
    cut = re.search(r"(?:\d+\s*项\s*)?(?:缺|每缺|少)\s*(?:一|1)\s*项", before)
    own = before[: cut.start()] if cut else ""
    candidates = [own] if own.strip(" ,") else []
    candidates += [p.narrow for p in reversed(clause.context)]
    if not candidates:
        return []
    first = candidates[0]
    if "、" in first or ("和" in first and _DOCUMENT.search(first)):
        return _split_list(first)
    names = []
    for text in candidates:
        if not _DOCUMENT.search(text):
            break
        names.insert(0, _tidy(text))
    return names


def _split_list(text: str) -> list[str]:
    """ "查A、B和C等" → [A, B, C]; "半年和全年工作情况报告" → 半年工作情况报告, 全年工作情况报告."""
    text = re.sub(r"^(?:查阅?|检查|查看|提供|无|没有|按时报送|报送|上报|提交)", "", text.strip())
    text = re.sub(r"(?:等|的)$", "", text.strip())
    names = [_tidy(s) for s in re.split(r"、|和|及", text) if _tidy(s)]
    last = names[-1] if names else ""
    if _DOCUMENT.search(last):  # "来信、来电、来访登记": the shared noun is written once, at the end
        names = [n if _DOCUMENT.search(n) or len(n) > len(last) - 2 else n + last[len(n) :] for n in names]
    return names


def _tidy(text: str) -> str:
    return re.sub(r"^(?:查阅?|检查|查看|提供|无|没有)", "", text.strip()).strip(" ,的等")


def _document(whole: str) -> str | None:
    """The document a "无X扣N分" / "未上报X报告扣N分" clause misses, or None when it misses no named document."""
    before = whole[: whole.rfind("扣")].rstrip(" ,")
    segment = before.split(",")[-1]
    if segment.startswith("有") or re.match(r"^有[^,]*?(?:案件|事故)", whole):
        return None
    match = _ABSENT.search(segment)
    if match and "无据可查" not in segment:
        thing = match.group(1).strip()
        if thing.startswith("一次"):
            thing = thing[2:]
        if thing and _DOCUMENT.search(thing) and not _VAGUE.match(thing):
            subject = segment[: match.start()].split("、")[-1].strip()
            return subject + thing if subject and not _NEGATION.search(subject) else thing
    if _SUBMIT.match(segment) and not re.search(r"按时|及时|100%", segment) and _DOCUMENT.search(segment):
        return _SUBMIT.sub("", segment).strip()
    return None


def _merge(rules: list[Proposal]) -> list[Proposal]:
    """One checklist from documents missed one after another in one numbered item ("无记录扣1分,无处理结果
    扣0.5分"), and from earned items printed as rows of their own (二's 考核要点, 六's two standards)."""
    out: list[Proposal] = []
    for rule in rules:
        prev = out[-1] if out else None
        if prev is not None and _joins(prev, rule):
            prev.fields["items"].extend(rule.fields["items"])
            prev.text += ";" + rule.text
            continue
        if prev is not None and _tiers(prev, rule):
            out[-1] = Proposal(
                "fixed",
                prev.text + ";" + rule.text,
                {
                    "items": [{"name": _condition(r), "amount": r.fields["amount"]} for r in (prev, rule)],
                    "exclusive": True,
                    "interpreted": {"exclusive": "导入时推定：两条是同一事项的两种程度，只能其一成立，只扣较重一项"},
                },
                item=prev.item,
                part=prev.part,
            )
            continue
        out.append(rule)
    return out


_QUALIFIERS = re.compile(r"按时|及时|按规定|按要求|完全|全部|足额|100%")


def _condition(rule: Proposal) -> str:
    """What a fixed deduction is for: its clause up to the amount ("未开展年检工作,扣0.5分" → 未开展年检工作)."""
    return re.split(r"[,;]?\s*扣", tx.narrow(rule.text), maxsplit=1)[0].strip(" ,;")


def _tiers(prev: Proposal, rule: Proposal) -> bool:
    """ "未按时开展年检工作,扣0.2分;未开展年检工作,扣0.5分": two degrees of one failing."""
    plain = ("fixed",) == (prev.kind,) == (rule.kind,) and (prev.part, prev.item) == (rule.part, rule.item)
    if not plain or any(r.fields.get(k) for r in (prev, rule) for k in ("per_occurrence", "items", "cap")):
        return False
    a, b = _condition(prev), _condition(rule)
    return a != b and _QUALIFIERS.sub("", a) == _QUALIFIERS.sub("", b) and bool(_QUALIFIERS.sub("", a))


def _joins(prev: Proposal, rule: Proposal) -> bool:
    if not (rule.kind == prev.kind == "checklist" and rule.earned == prev.earned):
        return False
    if "amount" in prev.fields or "amount" in rule.fields:  # "缺一项扣X分" lists are complete as written
        return False
    if len(rule.fields["items"]) == 1 and (rule.part, rule.item) == (prev.part, prev.item):
        return True
    return rule.earned and rule.part != prev.part
