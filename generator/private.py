"""Fast reads of pydantic private attributes (``_source``, ``_category``…).

pydantic finds a private attribute only after normal lookup fails, in ``BaseModel.__getattr__``,
which first asks the attribute's declaration whether it is a descriptor: two failed lookups and
two exceptions, some 15 µs a read. Scoring and validation read ``source`` and ``category`` of
indicators, findings and rules hundreds of thousands of times: at the reference size that was
more than a second of `kaohe check`.
"""

from __future__ import annotations

from typing import Any


class QuickPrivate:
    """Mixed into a pydantic model: a private attribute that is set is read straight from the model's
    private values; anything else goes to pydantic as before (same values, same errors)."""

    __slots__ = ()

    def __getattr__(self, item: str) -> Any:
        try:
            private = object.__getattribute__(self, "__pydantic_private__")
        except AttributeError:  # not set yet (while pydantic builds the model)
            private = None
        if private is not None and item in private:
            return private[item]
        return super().__getattr__(item)  # type: ignore[misc]
