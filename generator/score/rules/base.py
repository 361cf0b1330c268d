"""What every rule kind shares, and the context a rule scores in.

A rule kind is a pydantic model (so the framework schema, the validator and the JSON Schema all
come from one definition) with three hooks: which requirement keys evidence may satisfy, what a
finding for it must carry, and how it turns evidence and findings into result lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from ...messages import Message, msg
from ...private import QuickPrivate
from ...source import Source
from ...types import Amount, Id, Interpretations
from ..results import Line

if TYPE_CHECKING:
    from ...model import Evidence, Finding, Indicator

#: A finding that does not fit its rule: the key at fault, the problem's code and its parameters.
FindingProblem = tuple[str, str, dict[str, object]]


class Phase(Enum):
    """The order rule kinds run in for one indicator."""

    DEDUCT = "deduct"  # produce deduction (or award) lines
    ADJUST = "adjust"  # correct each deducting rule's lines before its limit applies (mitigation)
    OVERRIDE = "override"  # override everything else (veto)
    UNIT = "unit"  # act on the unit's grade, not on the indicator (unit veto; scoring the indicator skips it)


class RuleBase(QuickPrivate, BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: Id = Field(description="Short ASCII id, unique within the indicator.")
    label: str = Field(
        "", description="The project's label for where the rule sits (小项 1.1, 报告); not the document's words."
    )
    text: str = Field("", description="The rule exactly as the source document words it (扣分原则).")
    cap: Amount | None = Field(None, description="Most this rule may deduct in total (扣完为止 for a sub-item).")
    interpreted: Interpretations = Field(default_factory=dict)
    proposed: bool = Field(
        False,
        description="Proposed by `kaohe import` from the clause's wording, not yet confirmed by a person: "
        "`kaohe check` warns until the line is removed.",
    )

    #: When the kind runs while an indicator is scored (see :class:`Phase`).
    phase: ClassVar[Phase] = Phase.DEDUCT
    #: Finding keys (beyond the common ones) that findings for this rule may or must carry.
    finding_keys: ClassVar[frozenset[str]] = frozenset()
    #: Whether findings may name this rule at all.
    takes_findings: ClassVar[bool] = False

    # Set by the loader: where this rule stands, for "source" in results.
    _source: Source = Source("")

    @property
    def source(self) -> Source:
        return self._source

    @classmethod
    def renamed_keys(cls) -> dict[str, str]:
        """Old key → its new name, for keys renamed within the last release: still read, `kaohe check` warns.

        A renamed field lists its old name after its own in ``validation_alias`` (see :func:`measure_field`).
        """
        out = {}
        for name, info in cls.model_fields.items():
            if isinstance(info.validation_alias, AliasChoices):
                out.update({str(old): name for old in info.validation_alias.choices[1:]})
        return out

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """Editors accept an old key for the release that still reads it, marked deprecated."""
        schema = handler(core_schema)
        body = handler.resolve_ref_schema(schema)
        for old, new in cls.renamed_keys().items():
            body["properties"][old] = {
                "type": body["properties"][new]["type"],
                "deprecated": True,
                "description": f"Old name of `{new}`, still read in this release: rename it to `{new}`.",
            }
        return schema

    def requirement_keys(self) -> dict[str, str]:
        """Keys that evidence may name in `satisfies`, with their human names."""
        return {}

    def metric_keys(self) -> dict[str, str]:
        """Keys that evidence may report in `metrics`."""
        return {}

    def metric_bounds(self) -> dict[str, tuple[Decimal | None, Decimal | None, str]]:
        """(smallest, largest, suffix) of the values a metric can take (None: no bound): a value
        outside them is a mistake in the evidence, never a figure to score (a rate of -5 % deducted
        more than the document's whole amount)."""
        return {}

    def static_amounts(self) -> Iterable[tuple[tuple[str | int, ...], Decimal]]:
        """(path within the rule, amount) pairs that must respect the deduction granularity."""
        return ()

    def finding_problems(self, finding: Finding, indicator: Indicator) -> Iterable[FindingProblem]:
        """(finding key, problem code, its parameters) for a finding that does not fit this rule."""
        return ()

    def framework_problems(self, indicator: Indicator) -> Iterable[str | tuple[str, dict[str, object]]]:
        """Problem codes (reported at the rule, with its id and the indicator's; a code may come
        with more parameters) for a rule that is valid on its own but cannot be scored as written
        in `indicator`: the kind's own checks, so that adding a kind touches its file and its
        registration only."""
        return ()

    def apply(self, ctx: RuleContext) -> list[Line]:
        raise NotImplementedError

    def adjust(self, ctx: RuleContext, lines: list[Line]) -> list[Line]:
        """Lines correcting another rule's `lines` (mitigations do); most rules adjust nothing."""
        return []

    def limit(self, ctx: RuleContext, lines: list[Line]) -> tuple[Decimal, Message] | None:
        """The most this rule may take off once its lines are adjusted, and how to word the correction."""
        if self.cap is None:
            return None
        what = "bonus" if ctx.indicator.method == "bonus" else "deduction"
        return self.cap, self.cap_words(what)

    def cap_words(self, what: str) -> Message:
        """The cap's correction, naming the sub-item it bounds where the rule has a label.

        本项 is the whole row in the documents (本项不得分, 此项不得分): 2010's 五.1 is worth 10 and
        its 1.1 (5分) stops at 5 (扣完为止), so "本项最多扣5分" beside a 10-point row says the row
        can lose only 5, which 1.2 contradicts. A labelled rule says whose cap it is: 1.1（5分）最多扣5分.
        """
        if self.label:
            return msg(f"score.rule-cap.{what}-labelled", label=self.label, cap=self.cap)
        return msg(f"score.rule-cap.{what}", cap=self.cap)


def measure_field(default: str, examples: str) -> Any:
    """The measure word (量词) a kind counts in, for its messages.

    It was called `unit`, which everywhere else is an assessed unit (县局); files with the old name
    are read, with a warning, until the release after 0.1.0.
    """
    # pragma: no mutate block
    # (mutmut reads the word after "no mutate" up to a space or comma: "block:" was taken for a bare
    # pragma, which spares only its own line.) This runs while the rule classes are defined, at import,
    # before mutmut can switch a mutant on; what it builds is pinned by tests/test_rules.py (docs/testing.md).
    return Field(
        default,
        validation_alias=AliasChoices("measure", "unit"),
        description=f"Measure word (量词) for messages: {examples}",
    )


@dataclass
class RuleContext:
    """What a rule may look at while scoring one indicator of one unit."""

    indicator: Indicator
    unit: str
    evidence: list[Evidence]
    findings: list[Finding]
    points: Decimal
    granularity: Decimal | None
    precision: Decimal
    lines: list[Line] = field(default_factory=list)

    def findings_for(self, rule: RuleBase) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule.id]

    def evidence_satisfying(self, key: str) -> list[Evidence]:
        return [e for e in self.evidence if key in e.satisfies]
