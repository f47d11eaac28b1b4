"""Levels as CASE 1.1 rubrics (evidence.frameworks.rubrics, case): written on export, read from packages that carry
them, and a round trip of our own export still loses nothing."""

from __future__ import annotations

import json

import pytest

from evidence.errors import FrameworkError
from evidence.frameworks.case import from_case, to_case
from evidence.frameworks.catalogue import get_framework
from tests.factories import tiny_framework


def test_levels_are_exported_as_a_rubric_per_the_case_model() -> None:
    fw = tiny_framework()
    package = to_case(fw)
    [rubric] = package["CFRubrics"]
    assert {"identifier", "uri", "title", "CFRubricCriteria"} <= set(rubric)
    criteria = rubric["CFRubricCriteria"]
    competency_items = {i["identifier"]: i["fullStatement"] for i in package["CFItems"]
                        if i["CFItemType"] == "Competency"}
    assert [competency_items[c["CFItemURI"]["identifier"]] for c in criteria] == ["Teamwork", "Budgets"]
    assert all({"identifier", "uri", "title"} <= set(c["CFItemURI"]) for c in criteria)
    assert [c["position"] for c in criteria] == [1, 2] and {c["rubricId"] for c in criteria} == {rubric["identifier"]}
    levels = criteria[0]["CFRubricCriterionLevels"]
    assert [(lv["quality"], lv["score"], lv["position"]) for lv in levels] == [
        ("Level 1", 1, 1), ("Level 1.5", 2, 2), ("Level 2", 3, 3)]
    assert levels[0]["description"] == "• Helps colleagues finish their work"  # positive indicators only
    assert levels[2]["description"] == "• Leads a team through a change"
    assert {lv["rubricCriterionId"] for lv in levels} == {criteria[0]["identifier"]}


@pytest.mark.parametrize("framework_id", ["councils", "axelos-skills", "admin-job-family"])
def test_our_own_round_trip_stays_lossless_with_rubrics(framework_id: str) -> None:
    fw = get_framework(framework_id)
    package = json.loads(json.dumps(to_case(fw)))
    assert package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]["quality"] == fw.levels[0].name
    assert from_case(package) == fw


def _foreign(levels: list[dict], *, with_indicators: bool = False) -> dict:
    """A package as another CASE tool writes it: no extensions, a cluster, two competencies, a rubric."""
    items = [{"identifier": "g", "fullStatement": "Working with people"},
             {"identifier": "c1", "fullStatement": "Listening"}, {"identifier": "c2", "fullStatement": "Coaching"}]
    edges = [("g", "d"), ("c1", "g"), ("c2", "g")]
    if with_indicators:
        items.append({"identifier": "i1", "fullStatement": "Listens without interrupting"})
        edges.append(("i1", "c1"))
    return {"CFDocument": {"identifier": "d", "title": "Their framework"}, "CFItems": items,
            "CFAssociations": [{"associationType": "isChildOf", "originNodeURI": {"identifier": a},
                                "destinationNodeURI": {"identifier": b}} for a, b in edges],
            "CFRubrics": [{"identifier": "r", "title": "Levels", "CFRubricCriteria": [
                {"identifier": f"k{n}", "CFItemURI": {"identifier": item, "uri": f"urn:{item}", "title": item},
                 "CFRubricCriterionLevels": [{**lv, "description": lv.get("description", "").replace("@", item)}
                                             for lv in levels]}
                for n, item in enumerate(["c1", "c2"])]}]}


LEVELS = [  # listed out of order: score and position say the order
    {"quality": "Level 3 (Expert)", "score": 3, "position": 3, "description": "• @ leads\n• @ teaches"},
    {"quality": "Level 1 (Foundation)", "score": 1, "position": 1, "description": "• @ tries"},
    {"quality": "Level 2 (Practitioner)", "score": 2, "position": 2, "description": "- @ does"},
]


def test_a_foreign_package_with_rubrics_gives_levels_in_order_with_their_names() -> None:
    fw = from_case(_foreign(LEVELS), source="theirs.json")
    assert [lv.name for lv in fw.levels] == ["Level 1 (Foundation)", "Level 2 (Practitioner)", "Level 3 (Expert)"]
    assert [g.name for g in fw.groups] == ["Working with people"]
    assert [(c.name, c.group) for c in fw.competencies] == [("Listening", "working-with-people"),
                                                           ("Coaching", "working-with-people")]
    names = fw.level_names
    assert [(names[i.level], i.text) for i in fw.competencies[0].indicators] == [
        ("Level 3 (Expert)", "c1 leads"), ("Level 3 (Expert)", "c1 teaches"), ("Level 1 (Foundation)", "c1 tries"),
        ("Level 2 (Practitioner)", "c1 does")]


def test_a_competency_with_its_own_indicators_keeps_the_rubric_as_level_summaries() -> None:
    fw = from_case(_foreign(LEVELS, with_indicators=True))
    listening = fw.competencies[0]
    assert [i.text for i in listening.indicators] == ["Listens without interrupting"]
    assert listening.level_summaries[fw.levels[0].id] == "• c1 tries"


def test_rubric_levels_without_scores_keep_their_order_and_bad_values_are_reported() -> None:
    plain = [{"quality": "Novice"}, {"quality": "Expert"}]
    assert [lv.name for lv in from_case(_foreign(plain)).levels] == ["Novice", "Expert"]
    broken = _foreign([{"quality": 5, "score": "high"}, {"quality": "Expert", "score": "high"}])
    with pytest.raises(FrameworkError) as caught:
        from_case(broken, source="theirs.json")
    message = str(caught.value)
    assert "CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[0].quality" in caught.value.path
    assert "CFRubricCriterionLevels[1].score: expected a number, found str" in message
