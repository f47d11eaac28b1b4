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
from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from evidence.errors import InputError

# The one id rule: framework, competency, level, role and model-version ids. An id that passes it is a safe
# file name on every platform we ship to: no separator, no leading dot (so never '.' or '..'), no space.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ID_MAX_LENGTH = 120
ID_RULE = (f"1 to {ID_MAX_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit "
           "(no spaces or slashes)")
_ID = re.compile(ID_PATTERN)
# the label of a unit that evidences nothing, in labelled CSV files, corrections and active-learning counts
NONE_LABEL = "NONE"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=ID_MAX_LENGTH)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# how many problems one error message lists: enough to fix a file in one pass, short enough to read
MAX_LISTED_PROBLEMS = 20


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is a string that follows the id rule (:data:`ID_PATTERN`, at most 120 characters)."""
    return isinstance(value, str) and len(value) <= ID_MAX_LENGTH and _ID.fullmatch(value) is not None


def check_id(value: object, *, what: str = "id", fix: str = "") -> str:
    """``value`` if it follows the id rule, else an :class:`InputError` saying what was found and the rule.

    Every id that becomes part of a path under ``EVIDENCE_HOME`` (framework ids, model versions) passes
    through here before the path is built; :func:`path_for_id` then checks the path stays in its folder.
    """
    if is_valid_id(value):
        return str(value)
    shown = repr(value)[:80] + ("..." if len(repr(value)) > 80 else "")
    raise InputError(f"{what} {shown} is not a valid id: an id is {ID_RULE}; "
                     + (fix or "choose an id such as 'my-framework'"))


def path_for_id(folder: Path, identifier: object, *, suffix: str = "", what: str = "id") -> Path:
    """``folder/<identifier><suffix>`` for a checked id, refused unless it resolves inside ``folder``
    (a symlink out of the folder is refused as well)."""
    name = check_id(identifier, what=what) + suffix
    path = folder / name
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"{what} {name!r} leads outside {folder} (through a link); refusing to use it: "
                         f"remove the link {path}")
    return path


def slugify(text: str, *, max_length: int = 60) -> str:
    """A framework id from free text: lowercase words joined by '-' (``'Team Working'`` -> ``'team-working'``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``taken`` yet; the one chosen is added to it."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def natural_level_order(values: Iterable[str]) -> list[str]:
    """Level names in scale order, lowest first: names with a number in them by that number ('Level 2' before
    'Level 10', '1' before '2'), then single letters A-Z ('B', 'Grade C'), then the rest in order of first
    appearance. Where two names share their number or letter ('Administrator 1', 'Assistant 1'), numbers and
    letters cannot order the scale, and every name keeps its place of first appearance."""
    seen = list(dict.fromkeys(v for v in values if v))
    numbers = {v: float(m.group()) for v in seen if (m := re.search(r"\d+(?:\.\d+)?", v))}
    letters = {v: m.group(1).upper() for v in seen if v not in numbers
               and (m := re.fullmatch(r"(?:(?:level|grade|band|tier|stage)\s*)?([A-Za-z])", v.strip(), re.I))}
    if len(set(numbers.values())) < len(numbers) or len(set(letters.values())) < len(letters):
        return seen
    first = {v: n for n, v in enumerate(seen)}
    return sorted(seen, key=lambda v: (0, numbers[v], "") if v in numbers else (1, 0, letters[v]) if v in letters
                  else (2, first[v], ""))


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
        """Every broken cross-reference at once (one per line), so a file is fixed in one pass."""
        problems = [p for what, ids in (
            ("levels", [lv.id for lv in self.levels]), ("groups", [g.id for g in self.groups]),
            ("competencies", [c.id for c in self.competencies]),
            ("indicators", [i.id for c in self.competencies for i in c.indicators]),
            ("roles", [r.id for r in self.roles])) if (p := _duplicates(what, ids))]
        level_ids = {lv.id for lv in self.levels}
        midpoints = {lv.id for lv in self.levels if lv.midpoint}
        group_ids = {g.id for g in self.groups}
        competency_ids = {c.id for c in self.competencies}
        for ci, comp in enumerate(self.competencies):
            where = f"competencies[{ci}] ({comp.id})"
            if comp.group is not None and comp.group not in group_ids:
                problems.append(f"{where}: group {comp.group!r} is not one of the framework's groups "
                                f"{sorted(group_ids)}; add it under 'groups' or fix the name")
            theme_ids = [t.id for t in comp.themes]
            if repeated := _duplicates(f"{where} themes", theme_ids):
                problems.append(repeated)
            for level in comp.level_summaries:
                if level not in level_ids:
                    problems.append(f"{where}: level summary for unknown level {level!r}; "
                                    f"expected one of {[lv.id for lv in self.levels]}")
            for ii, ind in enumerate(comp.indicators):
                at = f"{where}.indicators[{ii}] ({ind.id})"
                if ind.level is not None:
                    if ind.level not in level_ids:
                        problems.append(f"{at}: unknown level {ind.level!r}; expected one of "
                                        f"{[lv.id for lv in self.levels] or 'none (this framework has no levels)'}")
                    elif ind.level in midpoints:
                        problems.append(f"{at}: level {ind.level!r} is a mid-point and cannot carry indicators")
                if ind.theme is not None and ind.theme not in theme_ids:
                    problems.append(f"{at}: theme {ind.theme!r} is not one of {comp.id}'s themes {theme_ids}")
        for ri, role in enumerate(self.roles):
            for qi, req in enumerate(role.requirements):
                at = f"roles[{ri}] ({role.id}).requirements[{qi}]"
                if req.competency not in competency_ids:
                    problems.append(f"{at}: unknown competency {req.competency!r}")
                if req.level is not None and req.level not in level_ids:
                    problems.append(f"{at}: unknown level {req.level!r}; expected one of {sorted(level_ids)}")
        if problems:
            shown = problems[:MAX_LISTED_PROBLEMS]
            more = len(problems) - len(shown)
            raise ValueError("\n".join(shown) + (f"\n... and {more} more problems like these" if more else ""))
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

    def level_name(self, level_id: str | None, *, default: str = "-") -> str:
        """The name people read for a level id ("Level 1 (AA/AO)", not its slug id), ``default`` for none."""
        return self.level_names.get(level_id, level_id) if level_id else default

    def level_phrase(self, level_id: str) -> str:
        """A level as a sentence names it: "level 3" or "level B" for a bare number or code, the name itself
        otherwise ("Level 1 (AA/AO)", "Foundation"): an imported scale's names already say "Level"."""
        name = self.level_name(level_id)
        return f"level {name}" if len(name) <= 2 or name.replace(".", "").isdigit() else name

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


def _duplicates(what: str, ids: list[str]) -> str:
    """The problem with ``ids`` if some repeat, else ''."""
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    return f"duplicate ids in {what}: {repeated}; every id must be unique" if repeated else ""
