"""Field types shared by every file format: exact amounts, ids, month numbers, safe text."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .controlchars import BIDI_CONTROLS, UNSAFE, describe
from .messages import msg

_ASCII_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")  # not \d: it matches "０"; not $: "1\n"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


#: Points, counts of percentage points and metrics stay far below this; anything larger is a typo,
#: and would overflow Decimal's 28 significant digits in products and quotients.
LARGEST = Decimal(10) ** 9
#: Finest step a number may be written in (0.0000000001).
SMALLEST_EXPONENT = -10


def invalid(code: str, **params: Any) -> PydanticCustomError:
    """A validation error with kaohe's own code; `kaohe check` words it through the catalogue with `params`."""
    return PydanticCustomError(code, code, params)


def _to_decimal(value: Any) -> Any:
    """Accept TOML integers and decimals within sensible bounds; refuse the rest with a fix.

    Booleans are integers in Python and floats never reach here (TOML floats are parsed as
    Decimal). Strings are refused, even "0.5": the formats say numbers are written bare, and a
    quoted number is most often a paste from a document, full-width digits ("０.５") included.
    """
    if isinstance(value, bool):
        raise invalid("number.boolean")
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise invalid("number.not-finite")
        # copy_abs and comparisons are exact; abs() and normalize() round to the context and
        # overflow on 1e99999999
        if value.copy_abs() > LARGEST:
            shown = plain(value) if value.adjusted() < 20 else str(value)  # never a page of digits
            raise invalid("number.too-large", value=shown, largest=f"{LARGEST:,}")
        if value != 0 and value.as_tuple().exponent < SMALLEST_EXPONENT:  # type: ignore[operator]
            shown = plain(value) if value.adjusted() > -20 else str(value)  # as written, but never a page of zeros
            raise invalid("number.too-precise", value=shown, places=-SMALLEST_EXPONENT)
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ASCII_NUMBER.match(text):
            raise invalid("number.quoted", value=value, number=text)
        if _ASCII_NUMBER.match(text.translate(_FULL_WIDTH)):
            raise invalid("number.full-width", value=value, number=text.translate(_FULL_WIDTH))
        raise invalid("number.not-a-number", value=value)
    raise invalid("number.type", type=value_type(value))


#: TOML's kinds of value as the reader calls them ("数组", never Python's "list").
_TOML_TYPES = {
    str: "value-type.string",
    bool: "value-type.boolean",
    int: "value-type.number",
    Decimal: "value-type.number",
    list: "value-type.array",
    dict: "value-type.table",
    date: "value-type.date",
    datetime: "value-type.datetime",
    time: "value-type.time",
}


def value_type(value: Any) -> Any:
    """The kind of a TOML value in the reader's words (数组, 表, 日期), never Python's (list, dict)."""
    return msg(_TOML_TYPES.get(type(value), "value-type.other"))


def plain(value: Decimal) -> str:
    """A decimal as people write it: no exponent, no trailing zeros, never "-0"."""
    return "0" if value == 0 else format(value.normalize(), "f")


def printed(value: Decimal) -> str:
    """A decimal as a page prints it for people: :func:`plain` with a true minus sign ("−0.075"), as
    printed tables and every signed column of the site write it. Data for scripts (JSON, CSV) keeps
    :func:`plain`'s hyphen-minus, which programs parse."""
    text = plain(value)
    return f"−{text[1:]}" if text.startswith("-") else text


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """`value` rounded half-up to a multiple of `step` (0.01, 0.05, 0.5 …), whatever its written exponent."""
    return (value / step).to_integral_value(ROUND_HALF_UP) * step


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise invalid("number.negative", value=value)
    return value


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise invalid("number.not-positive", value=value)
    return value


Number = Annotated[Decimal, BeforeValidator(_to_decimal)]
Amount = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_non_negative)]
Step = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_positive)]
#: What an id is: short ASCII starting with a letter or digit (df-01, xingren, 2.1).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
_ID_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ID_REST = _ID_FIRST | frozenset("_.-")


def id_fault(value: str) -> tuple[int, str] | None:
    """The first character `value` may not hold as an id, and its position (from 1); None if none.

    "不是有效的标识" alone leaves a clerk looking for a trailing space or a full-width letter (ｄｆ)
    that the eye cannot tell from the right one: the message names it and where it stands.
    """
    for n, char in enumerate(value):
        if char not in (_ID_REST if n else _ID_FIRST):
            return n + 1, char
    return None


def describe_char(char: str) -> Any:
    """A character as a reader can find it: “ｄ”（U+FF44）, or its code alone when it cannot be seen (a
    space, a zero-width or control character)."""
    code = f"U+{ord(char):04X}"
    if not char.isprintable() or char.isspace():
        return msg("id.char-invisible", code=code)
    return msg("id.char", char=char, code=code)


Month = Annotated[int, Field(ge=1, le=12)]

#: An organization's folder in the site (site/<organization>/<year>/): lowercase, so that two names
#: never meet as one folder on a case-insensitive disk, and never all digits, so that it is never
#: taken for a year folder.
_ORGANIZATION = r"[a-z][a-z0-9-]{0,39}"
#: Ends in \Z: $ matches before a final newline, and "evil\n" would name a folder. (The JSON schema
#: keeps ^…$, which means the whole string there.)
ORGANIZATION = re.compile(rf"^{_ORGANIZATION}\Z")


def _organization(value: str) -> str:
    if not ORGANIZATION.match(value):
        raise PydanticCustomError(
            "framework.organization-invalid",
            "'{value}' cannot name a folder of the site: use lowercase ASCII letters, digits "
            "and '-', starting with a letter (at most 40), e.g. qianxinan-qts",
            {"value": value},
        )
    return value


OrganizationId = Annotated[
    str, AfterValidator(_organization), WithJsonSchema({"type": "string", "pattern": f"^{_ORGANIZATION}$"})
]


def _reject(value: str, allowed: str) -> str:
    """Refuse unsafe characters (see :mod:`generator.controlchars`) other than `allowed`."""
    for match in UNSAFE.finditer(value):
        if match.group() not in allowed:
            # a bidi embedding, override or isolate gets its own words: what it does is reorder text
            code = "text.bidi-control" if BIDI_CONTROLS.match(match.group()) else "text.control-character"
            raise invalid(code, char=describe(match.group()), position=match.start() + 1)
    return value


def _one_line(value: str) -> str:
    return _reject(value, "")


def _paragraphs(value: str) -> str:
    return _reject(value, "\n\t")


#: A name or title: one line of printable text (no control, bidi or line-break characters).
Name = Annotated[str, AfterValidator(_one_line)]
#: The check behind :data:`Name`, for a type that must state its own length first (a length
#: stated on a validated type is reported by pydantic as a list's, not a text's).
one_line = AfterValidator(_one_line)
#: A reason, note or document wording: printable text that may run over several lines and hold tabs.
Text = Annotated[str, AfterValidator(_paragraphs)]


#: Interpretation markers: field name → why the value is the project's reading, not the document's
#: print (e.g. month → "按年底计：细则未列完成月份，按年底（12月）考核"). The site shows the reason beside the value.
Interpretations = Annotated[
    dict[str, str],
    Field(
        description="Values the document does not print, each with the reason for the reading: field name → "
        "reason (按年底计：细则未列完成月份，按年底（12月）考核). `kaohe check` requires the field to be set."
    ),
]
#: Ballots one answer of a vote received: bounded like a finding's `count`, far above any real tally.
Tally = Annotated[int, Field(le=100_000)]
