"""Grade bands (考核等次) read from a document's provisions: "优秀90分以上（名额不超过20%）", "良好80-89分",
"60分以下为不合格", "考核结果分为…四个等次：90分（含）以上为优秀…".

A band is what `[[grade]]` holds: a title and the lowest score that reaches it; the bands are
tried best first, so a band's upper end is where the band above begins. The document's words are
read that way:

| wording | read as |
|---|---|
| 90分以上, 90分（含）以上, 90分及以上, 不低于90分, 达到90分 | from 90, 90 included (`min_total = 90`) |
| 80-89分, 80分至89.99分, 80分（含）至90分（不含）, 80分以上90分以下 | from 80; the upper end must meet the band above |
| 60分以下, 低于60分, 不足60分, 0-59分 | the lowest band: every total below the band above it (`min_percent = 0`) |
| 优秀（90分以上）、良好（80-89分）…四个等次 | each band as the same words on a line of its own |
| 得分率90%以上 | from 90 % of the unit's maximum (`min_percent = 90`) |
| （名额不超过20%）, 优秀等次不超过参评单位的20% | a quota of 20 %: unless stated, rounded down, no tie across it |

"以上" includes the number, as Chinese rules read it (民法典第一千二百五十九条: 以上、以下、以内
包括本数; 超过、不满、以外 不包括本数) and as both shipped frameworks write their bands
(`min_percent = 90` for 90分以上). Where "60分以上为合格" meets "60分以下为不合格", 60 is 合格: the
better band's own words say so, and the lowest band takes only what is below it.

Nothing is guessed: a lower end that excludes its number (超过90分, 90分以上（不含90分）), which a
band cannot state, two bands from one score, a gap or an overlap between bands, bands in points
beside bands in percent, or a grade sentence the patterns do not read keep every grade line a
comment, with the reason as a warning. Bands are proposed all or none: a band left out would
give its units the next band down.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..messages import Message, msg
from ..model import MAX_COUNT
from ..types import LARGEST, SMALLEST_EXPONENT
from . import text as tx
from .source import Paragraph

#: A number from its first digit: a search never starts inside one, which made a long run of digits
#: (a pasted 40000-digit cell) take minutes, every start position scanning the rest of the run.
N = rf"(?<!\d){tx.NUMBER}"

#: The grade titles bureau rules use, longest first so 不合格 is not read as 合格 (not 好 or 差 alone:
#: they are words of many sentences, 做好, 差距).
TITLES = (
    "基本称职",
    "基本合格",
    "基本达标",
    "不称职",
    "不合格",
    "不达标",
    "优秀",
    "良好",
    "较好",
    "一般",
    "较差",
    "合格",
    "称职",
    "达标",
    "先进",
    "一等",
    "二等",
    "三等",
    "四等",
    "一类",
    "二类",
    "三类",
    "四类",
)
_TITLE = "(?P<title>" + "|".join(TITLES) + ")"
#: What may follow a title: 优秀等次, 一类单位, 优秀档.
_TITLE_TAIL = r"(?:等次|等级|档次|档|单位)?"
#: A marker after a number: （含）, （含90分）, （不含本数）.
_MARK = r"(?:\((?P<{0}>不?含)(?:本数|{1}(?:分|%)?)?\))?".format
#: Words before the score a band names: 得分, 考核得分在, 综合得分为.
_SCORE_WORDS = r"(?:(?:年度|考核|综合|总|最终)?(?:得分|总分|分数|成绩)(?:率)?(?:为|在|达到?)?)?"

#: "90分以上", "90分(含)以上(含90分)", "不低于90分", "达到90分及以上": a lower end.
_LOWER = re.compile(
    rf"(?P<pre>不低于|达到|≥|>=|大于等于)?(?P<low>{N})(?P<unit>分|%)"
    rf"{_MARK('m1', N)}(?P<above>及以上|以上)?{_MARK('m2', N)}"
)
#: "超过90分", "高于90分": a lower end that excludes its number, which a band cannot state.
_LOWER_EXCLUDED = re.compile(rf"(?:超过|高于|大于|>)(?P<low>{N})(?P<unit>分|%)(?:以上)?")
#: "60分以下", "低于60分", "不足60分": an upper end only (the lowest band).
_UPPER = re.compile(
    rf"(?:(?P<high>{N})(?P<unit>分|%){_MARK('m1', N)}以下{_MARK('m2', N)}"
    rf"|(?P<less>低于|不足|不满|不到|小于|<)(?P<high2>{N})(?P<unit2>分|%))"
)
#: "80-89分", "80分(含)至90分(不含)", "80分以上90分以下", "80分以上、不足90分": both ends.
_RANGE = re.compile(
    rf"(?P<low>{N})(?P<unit1>分|%)?{_MARK('m1', N)}(?:及以上|以上)?{_MARK('m2', N)}"
    rf"(?:-|~|—|–|至|到|、|且)?"
    rf"(?P<less>低于|不足|不满|不到|小于|<)?(?P<high>{N})(?P<unit>分|%)"
    rf"{_MARK('m3', N)}(?P<below>以下)?{_MARK('m4', N)}"
    r"(?:之间)?"
)
#: A quota: "名额不超过20%", "优秀等次比例不超过参评单位总数的20%", "控制在15%以内", "不超过3个".
_QUOTA = re.compile(
    r"(?:名额|比例|数量|人数|单位数|单位|个数)?(?:原则上)?(?:不超过|不得超过|不高于|控制在|最多|至多)"
    r"(?:参评|参加考核|被考核|考核)?(?:单位|科室|县局)?(?:总数|数)?的?"
    rf"(?:(?P<percent>{N})%|(?P<count>\d+)(?:个|名|家))(?:以内|以下)?"
)
#: A score in Chinese numerals (九十分以上, 八十至八十九分, 九十分至一百分): 零 to 九十九, 百 or 一百.
_CHINESE_NUMBER = r"(?:一?百|[零〇一二两三四五六七八九十]{1,3})"
#: A Chinese-numeral score as a band writes it, a bound word after it: not 十分 (very) in 十分重要.
_CHINESE_SCORE = rf"{_CHINESE_NUMBER}(?:分|%)(?=以上|以下|及以上|\(|至|到|-|~|—|–|之间|为|的|者|$)"
#: A score in digits or in Chinese numerals.
_SCORE = rf"(?:{N}(?:分|%)|{_CHINESE_SCORE})"
#: A band or a quota is near: a score with a bound word, a share, a rank.
_BOUND_WORDS = re.compile(rf"{_SCORE}|前\d+名|名额|比例")
_ROUNDING = {"向下取整": "floor", "四舍五入": "round", "向上取整": "ceil"}
#: Where a sentence ends: a band is one of its clauses.
_CLAUSE_END = ",;。"
#: "考核结果分为优秀、良好、合格、不合格四个等次：", "三、等次：": what the line says before its bands
#: ends at the first colon after the first of these words.
_LEAD_WORD = re.compile(r"等次|等级|档次")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\d+(?:、|\.(?!\d))|\([一二三四五六七八九十\d]+\)|第[一二三四五六七八九十\d]+条)"
)


@dataclass
class ProposedQuota:
    percent: Decimal | None
    #: A Decimal, not an int: int() refuses a number of more than 4300 digits, and a document may hold one.
    count: Decimal | None
    rounding: str | None  # as the document states it; None: unstated
    words: str  # the quota's words as written, for the reason beside an unstated rounding


@dataclass
class Band:
    """One band as the document states it; `low` None is the lowest band (every total below the rest)."""

    title: str
    low: Decimal | None
    unit: str  # "分" or "%"
    high: Decimal | None  # the upper end the document states, if any
    high_included: bool | None  # whether it counts the number itself; None where unstated ("80-89分")
    text: str  # the clause as written
    line: Paragraph  # the provision it is read from
    quota: ProposedQuota | None = None


@dataclass
class GradeReading:
    #: Best first; empty unless every grade line was read unambiguously.
    bands: list[Band] = field(default_factory=list)
    #: The provision lines the bands were read from (quoted above them in framework.toml).
    lines: list[Paragraph] = field(default_factory=list)
    warnings: list[tuple[str, Message]] = field(default_factory=list)


class _Unread(Exception):
    """A grade line, or the bands together, cannot be read unambiguously: the line and the reason."""

    def __init__(self, line: Paragraph, reason: Message) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _squeezed(text: str) -> str:
    """The text as written without whitespace: the same length as its narrowed copy."""
    return re.sub(r"\s+", "", text)


def states_grades(text: str) -> bool:
    """Whether a line states grade bands: a grade title beside a score with a bound ("90分以上为优秀")."""
    return any(_is_band_clause(narrow) for _, narrow in _clauses(text))


def grade_lines_after(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The grade lines among the paragraphs after the last table (考核等次 closing many 细则): from the
    first that states bands, each with a clause about grades ("优秀等次不超过参评单位总数的20%") too.
    A line before it ("注：…扣分不超过3个") is the table's note, not a quota."""
    first = next((n for n, p in enumerate(paragraphs) if states_grades(p.text)), None)
    if first is None:
        return []
    return [p for p in paragraphs[first:] if any(_relevant(narrow) for _, narrow in _clauses(p.text))]


def _is_band_clause(narrow: str) -> bool:
    has_title = re.search(_TITLE, narrow) is not None
    return has_title and re.search(_SCORE, narrow) is not None and _bounded(narrow)


def _bounded(narrow: str) -> bool:
    return re.search(r"以上|以下|至|-|~|—|–|不低于|低于|不足|不满|超过|高于|达到", narrow) is not None


def _lead_end(narrow: str, start: int) -> int | None:
    """Where the words before the bands end ("…四个等次："), found by two scans: a pattern that
    tried every 等次 and scanned on to the line's end for a colon took seconds on a long line."""
    word = _LEAD_WORD.search(narrow, start)
    colon = narrow.find(":", word.end()) if word else -1
    return colon + 1 if colon >= 0 else None


def _clauses(text: str) -> list[tuple[str, str]]:
    """The line's clauses (as written, narrowed) split at commas, semicolons and full stops outside
    brackets, after its numbering and the words before its bands ("…四个等次：")."""
    written = _squeezed(text)
    narrow = tx.narrow(written)
    start = 0
    if m := _NUMBERING.match(narrow):
        start = m.end()
    lead = _lead_end(narrow, start)
    # "优秀等次：90分以上" is a band, not the words before the bands
    if lead is not None and not re.fullmatch(rf"{_TITLE}{_TITLE_TAIL}:", narrow[start:lead]):
        start = lead
    out: list[tuple[str, str]] = []
    depth = 0
    begin = start
    for i in range(start, len(narrow) + 1):
        ch = narrow[i] if i < len(narrow) else ""
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if i == len(narrow) or (ch in _CLAUSE_END and depth == 0):
            if i > begin:
                out.append((written[begin:i], narrow[begin:i]))
            begin = i + 1
    return out


def read_grades(provisions: list[Paragraph]) -> GradeReading:
    """The bands of every grade line among the provisions, or none, with the reason as a warning."""
    lines = [p for p in provisions if any(_relevant(n) for _, n in _clauses(p.text))]
    if not lines:
        return GradeReading()
    try:
        bands, quotas = _read_lines(lines)
        if not bands:
            return GradeReading()
        _attach(bands, quotas)
        ordered = _ordered(bands)
    except _Unread as unread:
        warning = msg("import.grades-unread", text=unread.line.text, reason=unread.reason)
        return GradeReading(warnings=[(unread.line.where, warning)])
    return GradeReading(ordered, lines)


def _relevant(narrow: str) -> bool:
    """A clause about grades: a title with a score bound, a quota or a rank, or a quota alone
    ("名额不超过20%"); never a deduction or a bonus ("一般工作人员违纪扣0.2-0.5分")."""
    if re.search(rf"[扣加减](?:{N}|{_CHINESE_NUMBER}分)", narrow):
        return False
    if re.search(_TITLE, narrow) is None:
        return _QUOTA.search(narrow) is not None
    return _BOUND_WORDS.search(narrow) is not None and (
        _bounded(narrow) or _QUOTA.search(narrow) is not None or re.search(r"前\d+名", narrow) is not None
    )


def _read_lines(lines: list[Paragraph]) -> tuple[list[Band], list[tuple[str, ProposedQuota, Paragraph]]]:
    bands: list[Band] = []
    quotas: list[tuple[str, ProposedQuota, Paragraph]] = []
    for line in lines:
        rounding = next((kind for word, kind in _ROUNDING.items() if word in tx.narrow(line.text)), None)
        previous: Band | None = None  # the band read last in this line
        for written, narrow in _clauses(line.text):
            if not _relevant(narrow):
                continue
            if re.search(_TITLE, narrow) is None:  # "优秀90分以上，名额不超过20%": the band before it
                _quota_of_previous(previous, written, narrow, rounding, line)
                continue
            if listed := _bracketed_bands(written, narrow, line, rounding):
                bands.extend(listed)
                previous = listed[-1]
                continue
            band = previous = _band(written, narrow, line, rounding)
            if band is not None:
                bands.append(band)
                continue
            quota = _quota_clause(written, narrow, rounding)
            if quota is None:
                raise _Unread(line, msg("import.grades.unparsed", clause=written))
            quotas.append((*quota, line))
    return bands, quotas


#: What may stand before a clause of bracketed bands ("考核结果分为", "等次为"): no title, no score.
_LIST_LEAD = re.compile(r"[^()]*?(?:分为|分成|划分为|设|设为|为|包括|:)?")
#: What may stand between bracketed bands: "、", "和", "及".
_LIST_JOIN = re.compile(r"、|和|及|与|;")
#: What may close them: "四个等次", "共4个等级".
_LIST_TAIL = re.compile(r"(?:共)?(?:[一二三四五六七八九十\d]+个)?(?:等次|等级|档次|档)?")


def _bracketed_bands(written: str, narrow: str, line: Paragraph, rounding: str | None) -> list[Band]:
    """A clause naming several bands, each score in brackets after its title: "考核结果分为优秀（90分以上）、
    良好（80-89分）、合格（60-79分）、不合格（60分以下）四个等次". Each is read as the same band on a
    line of its own ("优秀90分以上"); a bracket that is no band, or words between the bands, read none."""
    spans = _title_brackets(narrow)
    if not spans:
        return []
    first = spans[0][0]
    lead = narrow[:first]
    if re.search(_TITLE, lead) or re.search(_SCORE, lead) or not _LIST_LEAD.fullmatch(lead):
        return []
    if not _LIST_TAIL.fullmatch(narrow[spans[-1][1] :]):
        return []
    if any(not _LIST_JOIN.fullmatch(narrow[a[1] : b[0]]) for a, b in itertools.pairwise(spans)):
        return []
    bands = []
    for start, end, title_end in spans:
        band = _bracketed_band(written[start:end], narrow[start:end], title_end - start, line, rounding)
        if band is None:
            raise _Unread(line, msg("import.grades.unparsed", clause=written[start:end]))
        bands.append(band)
    return bands


def _title_brackets(narrow: str) -> list[tuple[int, int, int]]:
    """Each title directly followed by a bracket ("优秀（90分以上）", "优秀等次（90分（含）以上）"): where
    the title starts, where its closing bracket ends, and where the bracket opens."""
    spans = []
    for match in re.finditer(rf"{_TITLE}{_TITLE_TAIL}\(", narrow):
        if spans and match.start() < spans[-1][1]:
            continue  # a title inside the brackets before
        depth, end = 0, None
        for i in range(match.end() - 1, len(narrow)):
            depth += narrow[i] == "("
            depth -= narrow[i] == ")"
            if depth == 0:
                end = i + 1
                break
        if end is not None:
            spans.append((match.start(), end, match.end() - 1))
    return spans


def _bracketed_band(written: str, narrow: str, opens: int, line: Paragraph, rounding: str | None) -> Band | None:
    """ "优秀（90分以上）" read as "优秀90分以上"; a quota after the score ("优秀（90分以上，名额不超过20%）")
    is the band's."""
    inside = narrow[opens + 1 : -1]
    parts = re.split(r"[,;]", inside, maxsplit=1)
    score_end = opens + 1 + len(parts[0])
    band = _band(written[:opens] + written[opens + 1 : score_end], narrow[:opens] + parts[0], line, rounding)
    if band is None:
        return None
    band.text = written
    if len(parts) == 1:
        return band
    quota = _QUOTA.fullmatch(parts[1])
    if quota is None or band.quota is not None:
        return None
    band.quota = _quota(quota, written[score_end + 1 : -1], rounding)
    return band


def _quota_of_previous(band: Band | None, written: str, narrow: str, rounding: str | None, line: Paragraph) -> None:
    match = _QUOTA.fullmatch(narrow)
    if band is None or band.quota is not None or match is None:
        raise _Unread(line, msg("import.grades.unparsed", clause=written))
    band.quota = _quota(match, written, rounding)


def _band(written: str, narrow: str, line: Paragraph, rounding: str | None) -> Band | None:
    """The clause as one band ("90分以上为优秀", "优秀：90分以上（名额不超过20%）"), else None."""
    narrow, quota = _take_quota(written, narrow, rounding)
    score = None
    for pattern in (
        rf"{_SCORE_WORDS}(?P<score>.+?)(?:的|者)?(?:为|评为|定为|确定为|列为|是){_TITLE}{_TITLE_TAIL}",
        rf"{_TITLE}{_TITLE_TAIL}(?::|为|是)?{_SCORE_WORDS}(?P<score>.+?)(?:之间|的|者)?",
    ):
        match = re.fullmatch(pattern, narrow)
        if match:
            score, title = match.group("score"), match.group("title")
            break
    if score is None:
        return None
    score = _arabic(score)
    if _LOWER_EXCLUDED.fullmatch(score):
        raise _Unread(line, msg("import.grades.excluded", clause=written))
    band = _from_score(score, title, written, line)
    if band is None or (band.unit == "%" and max(band.low or 0, band.high or 0) > 100):
        return None
    band.quota = quota
    return band


def _arabic(score: str) -> str:
    """The score words with Chinese numerals in digits (九十分以上 → 90分以上, 八十至八十九分 → 80至89分):
    the band's own words keep them. Read as a count (一 … 九十九), 百 and 一百 as 100; a run that is
    no count (九十九点五) is left as written, and the score is then not read."""

    def digits(match: re.Match[str]) -> str:
        words = match.group()
        value = 100 if words in ("百", "一百") else tx.count(words)
        return match.group() if value is None else str(value)

    return re.sub(rf"{_CHINESE_NUMBER}(?=分|%|至|到|-|~|—|–)", digits, score)


def _from_score(score: str, title: str, written: str, line: Paragraph) -> Band | None:
    """A band from the score words alone: a lower end, an upper end, or both."""
    if (m := _LOWER.fullmatch(score)) and (m.group("pre") or m.group("above")):
        if "不含" in (m.group("m1"), m.group("m2")):
            raise _Unread(line, msg("import.grades.excluded", clause=written))
        return Band(title, Decimal(m.group("low")), m.group("unit"), None, None, written, line)
    if m := _UPPER.fullmatch(score):
        if m.group("less"):
            return Band(title, None, m.group("unit2"), Decimal(m.group("high2")), False, written, line)
        marks = (m.group("m1"), m.group("m2"))
        included = False if "不含" in marks else True if "含" in marks else None
        return Band(title, None, m.group("unit"), Decimal(m.group("high")), included, written, line)
    if m := _RANGE.fullmatch(score):
        if m.group("unit1") not in (None, m.group("unit")):
            return None
        if "不含" in (m.group("m1"), m.group("m2")):
            raise _Unread(line, msg("import.grades.excluded", clause=written))
        high_marks = (m.group("m3"), m.group("m4"))
        included = False if m.group("less") or "不含" in high_marks else True if "含" in high_marks else None
        low = Decimal(m.group("low"))
        band = Band(title, low if low > 0 else None, m.group("unit"), Decimal(m.group("high")), included, written, line)
        if band.high is not None and band.high < low:
            return None
        return band
    return None


def _take_quota(written: str, narrow: str, rounding: str | None) -> tuple[str, ProposedQuota | None]:
    """The clause without a bracketed quota ("（名额不超过20%）"), and that quota."""
    for match in re.finditer(r"\(([^()]*)\)", narrow):
        quota_words = _QUOTA.search(match.group(1))
        if quota_words is not None:
            quota = _quota(quota_words, written[match.start() + 1 : match.end() - 1], rounding)
            return narrow[: match.start()] + narrow[match.end() :], quota
    return narrow, None


def _quota(match: re.Match[str], words: str, rounding: str | None) -> ProposedQuota:
    percent = Decimal(match.group("percent")) if match.group("percent") else None
    count = Decimal(match.group("count")) if match.group("count") else None
    return ProposedQuota(percent, count, rounding, words)


def _quota_clause(written: str, narrow: str, rounding: str | None) -> tuple[str, ProposedQuota] | None:
    """A clause that is a quota of its own: "优秀等次不超过参评单位的20%", "评为优秀的比例控制在15%以内"."""
    match = re.fullmatch(rf"(?:.*?(?:评为|评定为|确定为))?{_TITLE}{_TITLE_TAIL}(?:的)?(?P<rest>.+)", narrow)
    if not match:
        return None
    quota = _QUOTA.fullmatch(match.group("rest"))
    if not quota or (quota.group("percent") and not 0 < Decimal(quota.group("percent")) <= 100):
        return None
    return match.group("title"), _quota(quota, written, rounding)


def _attach(bands: list[Band], quotas: list[tuple[str, ProposedQuota, Paragraph]]) -> None:
    """Each quota of a clause of its own to its band; a quota naming no band is not read."""
    by_title = {b.title: b for b in bands}
    for title, quota, line in quotas:
        band = by_title.get(title)
        if band is None:
            raise _Unread(line, msg("import.grades.quota-without-band", grade=title))
        if band.quota is not None:
            raise _Unread(line, msg("import.grades.two-quotas", grade=title))
        band.quota = quota


def _ordered(bands: list[Band]) -> list[Band]:
    """The bands best first, when together they read one way only; else why not."""
    last = bands[-1]
    titles: dict[str, Band] = {}
    for band in bands:
        if band.title in titles:
            raise _Unread(band.line, msg("import.grades.duplicate", grade=band.title))
        titles[band.title] = band
    for band in bands:
        _require_holdable(band)
    for band in bands:
        quota = band.quota
        if quota is not None and ((quota.percent is not None and not 0 < quota.percent <= 100) or quota.count == 0):
            raise _Unread(band.line, msg("import.grades.unparsed", clause=quota.words))
    if len({b.unit for b in bands}) > 1:
        raise _Unread(last.line, msg("import.grades.units"))
    lowest = [b for b in bands if b.low is None]
    if len(lowest) > 1:
        raise _Unread(lowest[1].line, msg("import.grades.two-lowest", a=lowest[0].title, b=lowest[1].title))
    if lowest and len(bands) == 1:  # "60分以下为不合格" alone: as the one band, every unit would get it
        raise _Unread(last.line, msg("import.grades.lowest-alone", grade=last.title, clause=last.text))
    ranked = sorted((b for b in bands if b.low is not None), key=lambda b: b.low or 0, reverse=True) + lowest
    for above, below in itertools.pairwise(ranked):
        _meets(above, below)
    return ranked


def _holdable(value: Decimal) -> bool:
    """Whether framework.toml may hold the number (as `kaohe check` reads numbers, generator.types)."""
    exponent = value.as_tuple().exponent
    return value.copy_abs() <= LARGEST and (value == 0 or (isinstance(exponent, int) and exponent >= SMALLEST_EXPONENT))


def _require_holdable(band: Band) -> None:
    """A band or quota whose number framework.toml cannot hold (1000000001分, 90.00000000001分, 名额不超过100001个)
    is a typo in the document: proposed, it made `kaohe check` refuse the whole imported framework,
    and a quota of thousands of digits stopped the import with an internal error."""
    limits = {"largest": f"{LARGEST:,}", "places": -SMALLEST_EXPONENT, "most": MAX_COUNT}
    if not all(_holdable(v) for v in (band.low, band.high) if v is not None):
        raise _Unread(band.line, msg("import.grades.number", clause=band.text, **limits))
    quota = band.quota
    if quota is None:
        return
    if (quota.percent is not None and not _holdable(quota.percent)) or (quota.count or 0) > MAX_COUNT:
        raise _Unread(band.line, msg("import.grades.number", clause=quota.words, **limits))


def _meets(above: Band, below: Band) -> None:
    """The band below ends where the band above begins: a higher end leaves a score in both, a lower
    one (more than a point below, or an excluded end below it) leaves scores in neither."""
    assert above.low is not None
    if below.low is not None and below.low == above.low:
        raise _Unread(below.line, msg("import.grades.same-low", a=above.title, b=below.title, low=above.low))
    high = below.high
    if high is None:
        return
    values = {"a": above.title, "b": below.title, "low": above.low, "high": high, "unit": below.unit}
    if high > above.low or (high == above.low and below.high_included):
        raise _Unread(below.line, msg("import.grades.overlap", **values))
    if above.low - high > 1 or (high < above.low and below.high_included is False):
        raise _Unread(below.line, msg("import.grades.gap", **values))
