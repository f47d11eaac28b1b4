"""Reviewer decisions: the corrections format shared by the app, the command line and training."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, model_validator

from evidence.domain.analysis import ZERO_SHOT


class DecisionKind(str, Enum):
    accepted = "accepted"
    rejected = "rejected"
    relabelled = "relabelled"
    no_evidence = "no_evidence"


class Correction(BaseModel):
    """One reviewer decision on one unit's suggestion: the record training learns from.

    ``competency``/``level`` hold the label after the decision: the suggestion's for *accepted*,
    the reviewer's for *relabelled*, None for *rejected* (not this competency; says nothing of
    others) and for *no_evidence* (the unit evidences nothing).
    """

    text: str
    framework: str
    decision: DecisionKind
    competency: str | None = None
    level: str | None = None
    suggested_competency: str | None = None
    suggested_level: str | None = None
    suggested_score: float | None = None
    document_id: str | None = None
    unit_index: int | None = None
    reviewer: str = ""
    decided_at: str = ""  # ISO 8601, UTC
    model_version: str = ZERO_SHOT

    @model_validator(mode="after")
    def _check_label(self) -> Correction:
        if self.decision in (DecisionKind.accepted, DecisionKind.relabelled) and not self.competency:
            raise ValueError(f"a {self.decision.value} decision needs the competency it labels the unit with")
        if self.decision is DecisionKind.no_evidence and self.competency:
            raise ValueError("a no_evidence decision cannot name a competency")
        return self
