"""Analysis results: documents, units and their cues, suggestions, per-competency evidence, coverage."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field

from evidence.domain.framework import Priority

ZERO_SHOT = "zero-shot"  # the model version of the untrained matcher


class Actor(str, Enum):
    """Who the unit says acted: the writer ('I'), a group including the writer ('we'), someone else, or nobody."""

    self = "I"
    team = "we"
    others = "others"
    none = "none"


class StarPart(str, Enum):
    """Which part of a Situation/Task/Action/Result story a unit reads as."""

    situation = "situation"
    task = "task"
    action = "action"
    result = "result"
    other = "other"


class Cues(BaseModel):
    """What an assessor notices about a unit besides its topic; weighs the evidence and is shown to users."""

    actor: Actor = Actor.none
    negated: bool = False
    hypothetical: bool = False
    planned: bool = False  # listed under a heading of plans (objectives, development plan): not evidence yet
    self_critical: bool = False  # self-criticism or a development need ("fell behind"): never credit
    specificity: float = 0.0  # 0..1: numbers, outcomes, named things
    star: StarPart = StarPart.other
    weight: float = 1.0  # how much credit the unit can carry, from the cues above

    def describe(self) -> str:
        parts = [f"actor {self.actor.value}"]
        if self.negated:
            parts.append("negated")
        if self.planned:
            parts.append("a plan, not yet done")
        elif self.hypothetical:
            parts.append("hypothetical")
        if self.self_critical:
            parts.append("self-criticism or a development need")
        parts.append(f"specificity {self.specificity:.1f}")
        if self.star is not StarPart.other:
            parts.append(self.star.value)
        return ", ".join(parts)


class Document(BaseModel):
    id: str
    text: str
    source: str = ""
    name: str = ""


class Unit(BaseModel):
    """A sentence or bullet of a document, with offsets into the document's text."""

    index: int
    text: str
    start: int
    end: int
    cues: Cues = Field(default_factory=Cues)


class MatchedIndicator(BaseModel):
    id: str
    text: str
    level: str | None = None
    similarity: float = 0.0


class Suggestion(BaseModel):
    """One competency (at a level) that a unit may evidence, with the indicator that explains it."""

    competency: str
    competency_name: str = ""
    level: str | None = None
    score: float  # calibrated probability that the suggestion is right, 0..1
    indicator: MatchedIndicator
    counter_evidence: bool = False  # matched a negative ('not going well') indicator: a flag, never credit
    model_version: str = ZERO_SHOT


class UnitAnalysis(BaseModel):
    unit: Unit
    suggestions: list[Suggestion] = Field(default_factory=list)
    counter_evidence: list[Suggestion] = Field(default_factory=list)


class LevelGap(BaseModel):
    """What the next level up still needs, phrased from the framework's indicators."""

    next_level: str
    indicators: list[MatchedIndicator]


class CompetencyEvidence(BaseModel):
    """The document's evidence for one competency: the level evidenced, its confidence, the units behind it."""

    competency: str
    name: str
    level: str | None
    score: float
    units: list[int]
    counter_units: list[int] = Field(default_factory=list)
    gap: LevelGap | None = None


class CoverageStatus(str, Enum):
    met = "met"
    partly_met = "partly met"
    missing = "missing"


class Coverage(BaseModel):
    """One role requirement and how the document stands against it."""

    competency: str
    name: str
    required: str | None
    evidenced: str | None
    status: CoverageStatus
    priority: Priority = Priority.essential
    score: float = 0.0


class DocumentAnalysis(BaseModel):
    document: Document
    units: list[UnitAnalysis]
    competencies: list[CompetencyEvidence]
    coverage: list[Coverage] = Field(default_factory=list)
    match: float | None = None  # overall match to the role, 0..1, for ranking a shortlist
