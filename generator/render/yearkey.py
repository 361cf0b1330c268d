"""A digest of everything a year's site is made from, evidence bodies left out: the key of the pages
that show the whole year.

A score sheet, an indicator's page, the overview or the review shows figures scored from the whole
year, and a page's inputs cannot be told apart from its neighbours' more cheaply than by rendering
it (at province scale the 426 such pages took half of an incremental build, rendered only to key
them). Scoring is a function of the loaded year and kaohe's code, so a page made from the
results is keyed by what the year was loaded into: the assessment (framework, units, evidence
front matter and filing dates, findings, appeals, stages), the previous year it is compared with
and the day it is as of, walked field by field. kaohe's code, the configuration and the
provenance are in the site's key already (:func:`.engine.site_key`).

Evidence bodies are not part of it: a body is shown on its own page (keyed by its digest), and
other pages show only its first heading (a title), which is part of it, and its 公文页 count,
which the review page adds to this key (:mod:`.pagekinds.review`). So an edited body renders its
own page again, and the review when its page count changed, and nothing else unless its heading
changed. Any change to anything else renders every such page again, which is what it costs without
this key: never a stale page.

The walk knows plain values, lists, tuples, dicts, sets, enums, dataclasses (leaving out the fields
marked :data:`generator.model.DERIVED`) and pydantic models with their private attributes; any
other object makes the year unkeyable (:func:`year_digest` gives None) and the pages are rendered
to be keyed, as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..load import bodies
from ..model import Evidence
from ..tomlsource import TomlDocument

_PLAIN = (str, int, float, Decimal, date, Enum, type(None))
#: What an evidence file is besides its body: every field but the body and what stands for it.
EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(Evidence) if f.name not in ("body", "doc", "released"))


class Unkeyable(Exception):
    """An object the walk does not know how to write down completely."""


def year_digest(*parts: Any) -> str | None:
    """A digest of `parts` (an assessment, the previous one, the as-of day…), or None when some
    object in them is not one the walk knows."""
    walk = _Walk()
    try:
        for part in parts:
            walk.add(part)
    except (Unkeyable, RecursionError):
        return None
    return walk.digest()


class _Walk:
    #: Pieces written down before they are hashed: the walk of 100,000 evidence files would
    #: otherwise hold some 200 MB of text at once.
    BATCH = 50_000

    def __init__(self) -> None:
        self.out: list[str] = []
        self.hash = hashlib.blake2b(digest_size=20)
        self.documents: dict[int, int] = {}  # id of a TomlDocument → its number: a findings file is shared

    def digest(self) -> str:
        self._flush()
        return self.hash.hexdigest()

    def _flush(self) -> None:
        self.out.append("")  # pieces end with a separator: batches join as one text would
        self.hash.update("\x1f".join(self.out).encode("utf-8", "surrogatepass"))
        self.out.clear()

    def add(self, obj: Any) -> None:
        out = self.out
        if len(out) >= self.BATCH:
            self._flush()
        if isinstance(obj, _PLAIN):
            out.append(repr(obj))
        elif isinstance(obj, Evidence):
            facts = tuple(getattr(obj, name) for name in EVIDENCE_FIELDS)
            out.append(repr((facts, bodies.heading(obj))))
        elif isinstance(obj, list | tuple):
            out.append("[" if isinstance(obj, list) else "(")
            for item in obj:
                self.add(item)
            out.append("]")
        elif isinstance(obj, dict):
            out.append("{")
            for key, value in obj.items():
                self.add(key)
                self.add(value)
            out.append("}")
        elif isinstance(obj, set | frozenset):
            out.append("set")
            out += sorted(_Walk.of(item) for item in obj)
            out.append("end")
        elif isinstance(obj, BaseModel):
            out.append(type(obj).__qualname__)
            for name in type(obj).model_fields:
                self.add(getattr(obj, name))
            private = obj.__pydantic_private__ or {}
            for name in sorted(private):
                out.append(name)
                self.add(private[name])
            out.append("end")
        elif isinstance(obj, TomlDocument):  # the text a model was read from (to locate problems)
            seen = self.documents.get(id(obj))
            if seen is not None:
                out.append(f"doc{seen}")
                return
            self.documents[id(obj)] = len(self.documents)
            text = obj.text.encode("utf-8", "surrogatepass")
            out.append(f"doc {hashlib.blake2b(text, digest_size=20).hexdigest()} {obj.line_offset}")
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            out.append(type(obj).__qualname__)
            for f in dataclasses.fields(obj):
                if not f.metadata.get("derived"):
                    self.add(getattr(obj, f.name))
            out.append("end")
        else:
            raise Unkeyable(type(obj).__qualname__)

    @staticmethod
    def of(obj: Any) -> str:
        walk = _Walk()
        walk.add(obj)
        return "\x1e".join(walk.out)
