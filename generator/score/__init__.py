"""Scoring: rule kinds (``rules/``), the engine that chains them, rankings, the results model."""

from .engine import score_assessment
from .results import Results

__all__ = ["Results", "score_assessment"]
