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

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping
from enum import Enum
from functools import cached_property
from typing import Annotated, Any

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

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Framework:
        """A copy whose lookups (the cached properties below) are computed afresh: an edited copy must not
        report the original's content hash or indexes."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED_LOOKUPS:
            copy.__dict__.pop(name, None)
        return copy

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
        try:
            return self.level_index[level_id]
        except KeyError:
            raise ValueError(f"framework {self.id!r} has no level {level_id!r}; "
                             f"expected one of {list(self.level_index)}") from None

    # A framework's content does not change once loaded, so the lookups below are computed once.

    @cached_property
    def competency_index(self) -> dict[str, int]:
        """Each competency's position in :attr:`competencies` (the column order of every score matrix)."""
        return {c.id: i for i, c in enumerate(self.competencies)}

    @cached_property
    def level_index(self) -> dict[str, int]:
        """Each level's position on the scale, mid-points included (0 = lowest)."""
        return {lv.id: i for i, lv in enumerate(self.levels)}

    @cached_property
    def scale(self) -> list[Level]:
        """The levels a reviewer or a target can name: the scale without its mid-points."""
        return [lv for lv in self.levels if not lv.midpoint]

    @cached_property
    def level_names(self) -> dict[str, str]:
        """Level id -> the name people read."""
        return {lv.id: lv.name for lv in self.levels}

    @cached_property
    def content_hash(self) -> str:
        """A stable hash of the framework's content: sha256 of its canonical JSON (keys sorted)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                               separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property  # read on every suggestion; a framework's content does not change once loaded
    def indicators(self) -> list[tuple[Competency, Indicator]]:
        """Every (competency, indicator) pair, competency by competency."""
        return [(c, i) for c in self.competencies for i in c.indicators]


_CACHED_LOOKUPS = ("indicators", "competency_index", "level_index", "scale", "level_names", "content_hash")


def _no_duplicates(what: str, ids: list[str]) -> None:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"duplicate ids in {what}: {repeated}; every id must be unique")
