"""A framework's levels as CASE 1.1 rubrics, and the levels of a CASE package read back from its rubrics.

CASE has no level scale of its own; its rubrics are where levels live. A framework with levels is written as
one ``CFRubric`` with a ``CFRubricCriterion`` per competency (linked to the competency's ``CFItem`` by
``CFItemURI``) and, under each, a ``CFRubricCriterionLevel`` per level of the scale: ``quality`` the level's
name, ``score`` and ``position`` its place on the scale (1 = lowest), ``description`` the competency's summary
of the level and its indicators at that level, one a line.

Read back, a package's rubric levels give the scale (ordered by score, then position, then first appearance;
the names as written) and, per competency item, each level's description. The package is untrusted input:
every value is checked for its type, and each problem is added, with its key path, to the caller's problems.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from evidence.domain import Framework
from evidence.domain.framework import Polarity
from evidence.frameworks.levels import level_key


class ProblemSink(Protocol):
    def add(self, path: str, problem: str) -> None: ...


def rubrics_for(framework: Framework, *, case_id: Callable[..., str], item_of: dict[str, dict]) -> list[dict]:
    """The framework's levels as CASE rubrics: none without levels. ``case_id(*parts)`` makes a stable CASE
    identifier; ``item_of`` maps a competency id to the link (identifier, uri, title) of its CFItem."""
    if not framework.levels:
        return []
    rubric_id = case_id("rubric")
    criteria = []
    for position, comp in enumerate(framework.competencies, start=1):
        criterion_id = case_id("criterion", comp.id)
        levels = []
        for rank, level in enumerate(framework.levels, start=1):
            texts = [i.text for i in comp.indicators if i.level == level.id and i.polarity is Polarity.positive]
            summary = comp.level_summaries.get(level.id, "")
            description = "\n".join(([summary] if summary else []) + [f"• {t}" for t in texts])
            level_id = case_id("criterion-level", comp.id, level.id)
            levels.append({"identifier": level_id, "uri": f"urn:uuid:{level_id}", "quality": level.name,
                           "score": rank, "position": rank, "description": description,
                           "rubricCriterionId": criterion_id})
        criteria.append({"identifier": criterion_id, "uri": f"urn:uuid:{criterion_id}", "category": comp.name,
                         "description": comp.description, "CFItemURI": item_of[comp.id], "position": position,
                         "rubricId": rubric_id, "CFRubricCriterionLevels": levels})
    return [{"identifier": rubric_id, "uri": f"urn:uuid:{rubric_id}", "title": f"{framework.name}: levels",
             "description": f"The levels of {framework.name}, lowest first, for each competency.",
             "CFRubricCriteria": criteria}]


@dataclass
class RubricLevels:
    """What a package's rubrics say about levels: the scale, and each linked item's level descriptions."""

    names: list[str] = field(default_factory=list)  # lowest first, as written
    described: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # item id -> [(level name, text)]
    linked: set[str] = field(default_factory=set)  # items a criterion is about: the package's competencies


def read_rubrics(value: object, problems: ProblemSink) -> RubricLevels:
    """The levels of a package's ``CFRubrics`` (absent or empty: no levels)."""
    found = RubricLevels()
    order: dict[str, tuple[float, float, int]] = {}
    names: dict[str, str] = {}
    for where, rubric in json_objects(value, "CFRubrics", problems):
        for at, criterion in json_objects(rubric.get("CFRubricCriteria"), f"{where}.CFRubricCriteria", problems):
            link = criterion.get("CFItemURI")
            item = link.get("identifier") if isinstance(link, dict) else None
            if link is not None and not (isinstance(item, str) and item):
                problems.add(f"{at}.CFItemURI", "expected an object with a string 'identifier'")
                item = None
            if item:
                found.linked.add(item)
            for spot, level in json_objects(criterion.get("CFRubricCriterionLevels"), f"{at}.CFRubricCriterionLevels",
                                            problems):
                quality = level.get("quality")
                if not isinstance(quality, str) or not quality.strip():
                    problems.add(f"{spot}.quality", "expected the level's name as text")
                    continue
                key = level_key(quality)
                names.setdefault(key, quality.strip())
                place = (_number(level.get("score"), f"{spot}.score", problems),
                         _number(level.get("position"), f"{spot}.position", problems), len(order))
                order[key] = min(order.get(key, place), place)
                description = level.get("description")
                if description is not None and not isinstance(description, str):
                    problems.add(f"{spot}.description", f"expected text, found {type(description).__name__}")
                elif item and description and description.strip():
                    found.described.setdefault(item, []).append((quality.strip(), description.strip()))
    found.names = [names[key] for key in sorted(order, key=order.__getitem__)]
    return found


def json_objects(value: object, where: str, problems: ProblemSink) -> Iterator[tuple[str, dict]]:
    """Each object of the JSON array ``value`` with its key path (``where[i]``); an element that is not an object
    is a problem at its path, and skipped."""
    for i, element in enumerate(json_array(value, where, problems)):
        if isinstance(element, dict):
            yield f"{where}[{i}]", element
        else:
            problems.add(f"{where}[{i}]", f"expected an object, found {type(element).__name__}")


def json_array(value: object, where: str, problems: ProblemSink) -> list:
    """``value`` when it is a JSON array, [] when absent; anything else is a problem at ``where``."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, f"expected an array, found {type(value).__name__}")
        return []
    return value


def _number(value: object, where: str, problems: ProblemSink) -> float:
    """A score or position as a number; absent (or not a number, reported) sorts last."""
    if value is None:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        problems.add(where, f"expected a number, found {type(value).__name__}")
        return math.inf
    return float(value)
