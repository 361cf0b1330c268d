"""Names that read as an indicator whose own definition its framework refused.

The framework's `id = "df 01"` is refused, and reported there once. Every record, finding and
appeal naming df-01 would otherwise add an 未知的指标 of its own (hinting at df-10) to the one fix
there is to make; the validators of each ask here whether a name they cannot find is one of those.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Collection, Iterable

#: How alike two ids must read to be taken for one (difflib's ratio, as did_you_mean's cutoff).
_CLOSE = 0.6


def names_refused(name: str, indicators: Collection[str], broken: Iterable[str]) -> bool:
    """Whether an unknown indicator `name` is one whose own definition was refused (`broken`: its
    framework reported why), or reads closer to one of those than to any of the `indicators` that
    loaded. Once the framework is fixed, a file still naming something unknown is reported as usual."""
    broken = set(broken)
    if name in broken:
        return True
    refused = broken - set(indicators)
    if not refused:
        return False
    near_refused = max(_likeness(name, b) for b in refused)
    near_loaded = max((_likeness(name, i) for i in indicators), default=0.0)
    return near_refused >= _CLOSE and near_refused >= near_loaded  # a tie goes to the refused one


def _likeness(a: str, b: str) -> float:
    """How alike two ids read, 1.0 for the same letters and digits whatever the case, width or
    separators (df-01, "df 01", ＤＦ－０１); else difflib's ratio of the two as written."""
    letters = _letters(a)
    if letters and letters == _letters(b):
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _letters(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", word).casefold() if c.isalnum())
