"""The ruler: every rule kind, one module each, in the order scoring chains them.

To add a kind, write a module with a ``RuleBase`` subclass (a ``kind`` literal, its fields, and
``apply``) and list it here; the framework schema, the validator and the JSON Schema pick it up.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .award import AwardRule
from .base import Phase, RuleBase, RuleContext
from .checklist import ChecklistRule
from .count import CountRule
from .fixed import FixedRule
from .incident import IncidentRule
from .late import LateRule
from .mitigation import MitigationRule
from .range import RangeRule
from .stepped import SteppedRule
from .threshold import ThresholdRule
from .unit_veto import UnitVetoRule
from .veto import VetoRule
from .votes import VotesRule

RULE_KINDS: tuple[type[RuleBase], ...] = (
    ChecklistRule,
    CountRule,
    ThresholdRule,
    IncidentRule,
    SteppedRule,
    FixedRule,
    RangeRule,
    LateRule,
    AwardRule,
    VotesRule,
    MitigationRule,
    VetoRule,
    UnitVetoRule,
)

KIND_NAMES = tuple(cls.model_fields["kind"].annotation.__args__[0] for cls in RULE_KINDS)  # type: ignore[union-attr]

Rule = Annotated[Union[RULE_KINDS], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007

__all__ = ["KIND_NAMES", "RULE_KINDS", "Phase", "Rule", "RuleBase", "RuleContext"]
