"""Field types shared by every file format: exact amounts, ids, month numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

_ASCII_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")  # not \d: it matches "０"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _to_decimal(value: Any) -> Any:
    """Accept TOML integers and decimals, or an ASCII number in a string; refuse the rest.

    Booleans are integers in Python and floats never reach here (TOML floats are parsed as
    Decimal), so what remains to catch are typos such as full-width digits ("０.５").
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("expected a finite number")
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ASCII_NUMBER.match(text):
            return Decimal(text)
        if _ASCII_NUMBER.match(text.translate(_FULL_WIDTH)):
            raise ValueError(f"'{value}' uses full-width digits; write {text.translate(_FULL_WIDTH)} without quotes")
        raise ValueError(f"'{value}' is not a number; write it without quotes, e.g. 0.5")
    raise ValueError(f"expected a number, got {type(value).__name__}")


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


Number = Annotated[Decimal, BeforeValidator(_to_decimal)]
Amount = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_non_negative)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
Month = Annotated[int, Field(ge=1, le=12)]
