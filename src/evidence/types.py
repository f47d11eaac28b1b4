"""Domain types: framework, level scale, competency, theme, indicator and role.

A framework file (YAML or JSON) is a :class:`Framework` dumped as a mapping. The model is
deliberately general enough to hold every seed framework without losing anything:

* an ordered level scale (low to high), possibly empty (frameworks without levels), whose
  mid-points carry no indicators of their own (the councils' A, C, E, G);
* competencies grouped (core/management, categories, areas), optionally split into themes;
* indicators with a stable id, text, level, theme, polarity and kind;
* per-competency level summaries (a skill's one-paragraph description of a level);
* roles: required level per competency plus essential/desirable person-specification criteria.

Cross-references (indicator level, theme, competency group, role requirements) are checked in
:meth:`Framework._check_references`, so a loaded framework is always internally consistent.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import Enum
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# the label of a unit that evidences nothing, in labelled CSV files, corrections and active-learning counts
NONE_LABEL = "NONE"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def slugify(text: str, *, max_length: int = 60) -> str:
    """A framework id from free text: lowercase words joined by '-' (``'Team Working'`` -> ``'team-working'``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


class Polarity(str, Enum):
    """Whether an indicator describes the competency done well (credit) or badly (counter-evidence)."""

    positive = "positive"
    negative = "negative"


class IndicatorKind(str, Enum):
    behaviour = "behaviour"
    performance_criterion = "performance_criterion"
    performance_measure = "performance_measure"
    knowledge_skill = "knowledge_skill"


class Priority(str, Enum):
    essential = "essential"
    desirable = "desirable"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


class Level(_Model):
    """One step of a framework's ordered scale."""

    id: Id
    name: Text
    description: str = ""
    midpoint: bool = False  # lies between two defined levels and has no indicators of its own


class Group(_Model):
    """A grouping of competencies (core/management, a category, an area)."""

    id: Id
    name: Text
    description: str = ""
    applies_to: str = ""  # who the group applies to, e.g. "managers"; empty means everyone


class Theme(_Model):
    """A named sub-area inside one competency; indicators may belong to a theme."""

    id: Id
    name: Text
    description: str = ""


class Indicator(_Model):
    """A behavioural indicator, performance criterion or measure: the text evidence is matched against."""

    id: Id
    text: Text
    level: str | None = None
    theme: str | None = None
    polarity: Polarity = Polarity.positive
    kind: IndicatorKind = IndicatorKind.behaviour


class Competency(_Model):
    id: Id
    name: Text
    group: str | None = None
    description: str = ""
    themes: list[Theme] = Field(default_factory=list)
    level_summaries: dict[str, str] = Field(default_factory=dict)  # level id -> summary text
    indicators: list[Indicator] = Field(default_factory=list)


class Requirement(_Model):
    """A role's need for one competency, at a level where the framework has levels."""

    competency: str
    level: str | None = None
    priority: Priority = Priority.essential


class Criterion(_Model):
    """A person-specification line (knowledge, skills, experience, attainments...)."""

    text: Text
    priority: Priority = Priority.essential
    category: str = ""
    assessed_by: list[str] = Field(default_factory=list)


class Role(_Model):
    """A role profile: required competency levels plus essential/desirable criteria."""

    id: Id
    name: Text
    description: str = ""
    requirements: list[Requirement] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)


class Framework(_Model):
    """A complete competency framework. Levels are ordered from lowest to highest."""

    id: Id
    name: Text
    source: str = ""
    version: str = ""
    description: str = ""
    levels: list[Level] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    competencies: list[Competency]
    roles: list[Role] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Framework:
        _no_duplicates("levels", [lv.id for lv in self.levels])
        _no_duplicates("groups", [g.id for g in self.groups])
        _no_duplicates("competencies", [c.id for c in self.competencies])
        _no_duplicates("indicators", [i.id for c in self.competencies for i in c.indicators])
        _no_duplicates("roles", [r.id for r in self.roles])
        level_ids = {lv.id for lv in self.levels}
        midpoints = {lv.id for lv in self.levels if lv.midpoint}
        group_ids = {g.id for g in self.groups}
        competency_ids = {c.id for c in self.competencies}
        for ci, comp in enumerate(self.competencies):
            where = f"competencies[{ci}] ({comp.id})"
            if comp.group is not None and comp.group not in group_ids:
                raise ValueError(f"{where}: group {comp.group!r} is not one of the framework's groups "
                                 f"{sorted(group_ids)}; add it under 'groups' or fix the name")
            theme_ids = [t.id for t in comp.themes]
            _no_duplicates(f"{where} themes", theme_ids)
            for level in comp.level_summaries:
                if level not in level_ids:
                    raise ValueError(f"{where}: level summary for unknown level {level!r}; "
                                     f"expected one of {[lv.id for lv in self.levels]}")
            for ii, ind in enumerate(comp.indicators):
                at = f"{where}.indicators[{ii}] ({ind.id})"
                if ind.level is not None:
                    if ind.level not in level_ids:
                        raise ValueError(f"{at}: unknown level {ind.level!r}; expected one of "
                                         f"{[lv.id for lv in self.levels] or 'none (this framework has no levels)'}")
                    if ind.level in midpoints:
                        raise ValueError(f"{at}: level {ind.level!r} is a mid-point and cannot carry indicators")
                if ind.theme is not None and ind.theme not in theme_ids:
                    raise ValueError(f"{at}: theme {ind.theme!r} is not one of {comp.id}'s themes {theme_ids}")
        for ri, role in enumerate(self.roles):
            for qi, req in enumerate(role.requirements):
                at = f"roles[{ri}] ({role.id}).requirements[{qi}]"
                if req.competency not in competency_ids:
                    raise ValueError(f"{at}: unknown competency {req.competency!r}")
                if req.level is not None and req.level not in level_ids:
                    raise ValueError(f"{at}: unknown level {req.level!r}; expected one of {sorted(level_ids)}")
        return self

    # -- lookups -------------------------------------------------------------------------------

    def competency(self, competency_id: str) -> Competency:
        for comp in self.competencies:
            if comp.id == competency_id:
                return comp
        raise KeyError(f"framework {self.id!r} has no competency {competency_id!r}")

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(f"framework {self.id!r} has no role {role_id!r}; "
                       f"known roles: {[r.id for r in self.roles] or 'none'}")

    def level_rank(self, level_id: str | None) -> int | None:
        """Position of a level on the scale (0 = lowest), or None for no level."""
        if level_id is None:
            return None
        return [lv.id for lv in self.levels].index(level_id)

    @cached_property  # read on every suggestion; a framework's content does not change once loaded
    def indicators(self) -> list[tuple[Competency, Indicator]]:
        """Every (competency, indicator) pair, competency by competency."""
        return [(c, i) for c in self.competencies for i in c.indicators]


def _no_duplicates(what: str, ids: list[str]) -> None:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"duplicate ids in {what}: {repeated}; every id must be unique")


# -- analysis: documents, units, suggestions, assessments ------------------------------------------


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
    model_version: str = "zero-shot"


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


# -- review: the corrections format shared by the app, the CLI and training -------------------------


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
    model_version: str = "zero-shot"

    @model_validator(mode="after")
    def _check_label(self) -> Correction:
        if self.decision in (DecisionKind.accepted, DecisionKind.relabelled) and not self.competency:
            raise ValueError(f"a {self.decision.value} decision needs the competency it labels the unit with")
        if self.decision is DecisionKind.no_evidence and self.competency:
            raise ValueError("a no_evidence decision cannot name a competency")
        return self
