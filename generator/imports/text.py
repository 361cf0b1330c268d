"""Reading numbers out of Chinese document text: full-width digits, 分 suffixes, 五次 and 两倍.

Matching runs on a copy of the text in which full-width digits and punctuation are replaced
one character for one, so a match's offsets are offsets in the text as written.
"""

from __future__ import annotations

import re
from decimal import Decimal

_WIDE = "０１２３４５６７８９．％﹪（）［］，；：－～！？　"
_NARROW = "0123456789.%%()[],;:-~!? "
_TABLE = str.maketrans(_WIDE, _NARROW)

NUMBER = r"\d+(?:\.\d+)?"
#: A count written in digits or in Chinese numerals (一 … 九十九, 两).
COUNT = r"(?:\d+|[一二两三四五六七八九十]{1,3})"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def narrow(text: str) -> str:
    """The text with full-width digits and punctuation made ASCII, one character for one."""
    return text.translate(_TABLE)


def squeeze(text: str) -> str:
    """The text without any whitespace: how header labels such as "完成\\n月份" are compared."""
    return re.sub(r"\s+", "", narrow(text))


def decimal(text: str) -> Decimal | None:
    """A points cell's number: "0.3", "２.５分", "10 分" → Decimal; anything else → None."""
    match = re.fullmatch(rf"\s*({NUMBER})\s*(分|分值)?\s*", narrow(text))
    return Decimal(match.group(1)) if match else None


def count(text: str) -> int | None:
    """ "4", "五", "十二", "二十", "两" → int; None when it is no count."""
    text = narrow(text).strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


#: A completion month as documents print it: "12", "12月", "十二月", "12月底", and as a deadline
#: ("6月底前", "10月31日前", "2011年9月": a clerk's "2011年9月" in Excel becomes a date, below).
_MONTH = re.compile(
    r"\s*(?:\d{4}\s*年\s*)?(\d{1,2}|[一二三四五六七八九十]{1,3})\s*"
    r"(?:月份?(?:\s*\d{1,2}\s*[日号])?\s*(?:底|末)?\s*(?:前|以前|之前)?)?\s*"
)
#: A date cell of a workbook as the reader writes it (:func:`.xlsx.cell_text`): "2011-06-30",
#: "2011-06-30 12:00:00"; Excel stores "2011年6月" or "6月30日" typed into a cell as a date.
_ISO_DATE = re.compile(r"\s*\d{4}-(\d{2})-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*")


def month(text: str) -> int | None:
    """A completion month as printed: "12", "12月", "１２月份", "十二月", "12月底前", "2011年12月",
    "12月31日", or a date cell's "2011-12-31" → 12."""
    narrowed = narrow(text)
    match = _MONTH.fullmatch(narrowed) or _ISO_DATE.fullmatch(narrowed)
    if not match:
        return None
    value = count(match.group(1))
    return value if value is not None and 1 <= value <= 12 else None


#: A year as titles and dates print it: 19xx or 20xx in ASCII digits (not \d: "٢٠١٠" is no year).
_YEAR = re.compile(r"(19|20)[0-9]{2}")
#: The year a completion month names: "2011年9月", or a date cell's "2011-09-30".
_PRINTED_YEAR = re.compile(r"\s*(\d{4})\s*(?:年|-\d{2}-)")


def year_in(title: str) -> int | None:
    """The assessment year a framework's title names ("2011年度目标绩效考核细则" → 2011)."""
    match = _YEAR.search(narrow(title))
    return int(match.group(0)) if match else None


def month_year(text: str) -> int | None:
    """The year a completion month is dated in, where it names one: "2010年12月", "2010-12-01" → 2010;
    "12月", "12" → None."""
    match = _PRINTED_YEAR.match(narrow(text))
    return int(match.group(1)) if match else None
