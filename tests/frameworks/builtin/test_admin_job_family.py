"""Pins frameworks/admin-job-family.yaml (seed 003: Customer Service and Administration Job Family)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evidence.domain import Framework, IndicatorKind, Priority
from evidence.frameworks.catalogue import load_framework_file

REPO_ROOT = Path(__file__).resolve().parents[3]
FRAMEWORK_FILE = REPO_ROOT / "frameworks" / "admin-job-family.yaml"
SCRIPT = REPO_ROOT / "scripts" / "derive_frameworks" / "seed_003.py"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic blocks

NOT_AT_LEVELS_1_2 = {"planning-and-managing-diaries-and-meeting-schedules", "undertaking-research-and-project-work",
                     "providing-management-information"}


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework_file(FRAMEWORK_FILE)


def test_levels_and_groups(framework: Framework) -> None:
    assert framework.id == "admin-job-family"
    assert framework.name == "Customer Service and Administration Job Family"
    assert "clerical, administrative, secretarial and executive support service" in framework.description
    assert [(lv.id, lv.name) for lv in framework.levels] == [
        ("1", "Administrative Assistant 1"), ("2", "Administrative Assistant 2"), ("3", "Administrator 1"),
        ("4", "Administrator 2"), ("5", "Senior Administrator"), ("6", "Office Manager / Team Leader")]
    assert framework.levels[0].description.startswith("Job ref: 1386. Key features: Jobs comprise of repetitive")
    # key features that continue on the next page are joined to their level
    assert framework.levels[3].description.endswith(
        "Some individual judgement will be required; Likely to interact with colleagues, supervisors, managers, "
        "other service areas and the general public.")
    assert [g.name for g in framework.groups] == [
        "Working in the environment", "Working with people", "Working with resources", "Working with information"]
    assert Counter(c.group for c in framework.competencies) == {
        "working-in-the-environment": 8, "working-with-people": 2, "working-with-resources": 1,
        "working-with-information": 1}


def test_indicator_counts(framework: Framework) -> None:
    assert len(framework.competencies) == 12
    kinds = Counter(i.kind for _, i in framework.indicators)
    assert kinds == {IndicatorKind.behaviour: 80, IndicatorKind.performance_measure: 164}
    per_level = Counter((i.kind.value, i.level) for _, i in framework.indicators)
    assert {lv: per_level["behaviour", lv] for lv in "123456"} == {
        "1": 12, "2": 11, "3": 13, "4": 13, "5": 17, "6": 14}
    assert {lv: per_level["performance_measure", lv] for lv in "123456"} == {
        "1": 20, "2": 20, "3": 26, "4": 28, "5": 35, "6": 35}
    for comp in framework.competencies:  # N/a levels have neither statements nor measures
        levels = {i.level for i in comp.indicators}
        assert levels == ({"3", "4", "5", "6"} if comp.id in NOT_AT_LEVELS_1_2 else set("123456")), comp.id


def test_indicator_ids(framework: Framework) -> None:
    for comp, ind in framework.indicators:
        assert ind.theme is None
        infix = "pm." if ind.kind is IndicatorKind.performance_measure else ""
        assert re.fullmatch(rf"{re.escape(comp.id)}\.{infix}{ind.level}\.\d\d", ind.id), ind.id


def test_roles(framework: Framework) -> None:
    assert [(r.id, r.name) for r in framework.roles] == [
        ("administrative-assistant-1", "Administrative Assistant 1 (ref: 1386)"),
        ("administrative-assistant-2", "Administrative Assistant 2 (job ref:1387)"),
        ("administrator-1", "Administrator 1 (job ref:1366)"),
        ("administrator-2", "Administrator 2 (job ref: 1367)"),
        ("senior-administrator", "Senior Administrator (job ref:1372)"),
        ("office-manager-team-leader", "Office Manager / Team Leader (job ref: 1385)")]
    for lv, role in zip("123456", framework.roles, strict=False):
        expected = [c.id for c in framework.competencies if lv in "3456" or c.id not in NOT_AT_LEVELS_1_2]
        assert [q.competency for q in role.requirements] == expected
        assert {(q.level, q.priority) for q in role.requirements} == {(lv, Priority.essential)}
        assert {c.category for c in role.criteria} == {"knowledge, skills and experience"}
    criteria = {r.id: Counter(c.priority.value for c in r.criteria) for r in framework.roles}
    assert criteria == {
        "administrative-assistant-1": {"essential": 3, "desirable": 4},
        "administrative-assistant-2": {"essential": 4, "desirable": 3},
        "administrator-1": {"essential": 6, "desirable": 3},
        "administrator-2": {"essential": 7, "desirable": 3},
        "senior-administrator": {"essential": 6, "desirable": 3},
        "office-manager-team-leader": {"essential": 6, "desirable": 3}}
    aa2 = framework.role("administrative-assistant-2").criteria[0]
    assert (aa2.text, aa2.priority) == (
        "NVQ Level 2 or equivalent in a relevant subject or Some previous relevant work experience", Priority.essential)
    assert framework.role("office-manager-team-leader").criteria[0].text == (
        "NVQ Level 3 or equivalent in a relevant subject and/or Extensive experience at Senior Administrator level")
    last = framework.role("office-manager-team-leader").criteria[-1]
    assert (last.text, last.priority) == (
        "Understanding of corporate equalities standards and diversity issues and impact in immediate work and "
        "service area", Priority.desirable)


def test_spot_checks(framework: Framework) -> None:
    texts = {i.id: i.text for _, i in framework.indicators}
    assert texts["producing-documents.1.01"] == (
        "Produce straightforward documents using appropriate software and office equipment to support service "
        "delivery (for example letters, memos)")
    assert texts["producing-documents.pm.5.03"] == (
        "Evidence of standards of document completion to illustrate the effectiveness of guidance")
    # measures whose bullet marks were lost, split apart again
    assert texts["filing-and-retrieving-documents.pm.1.02"] == "Procedures as per internal audit requirements"
    assert texts["providing-clerical-and-other-support-and-guidance-to-service.pm.1.02"] == "Service user feedback"
    # one indicator per <p> paragraph
    assert texts["allocating-monitoring-and-managing-resources.5.04"] == (
        "Likely to assist with marketing and promotion of service area to enhance service delivery")
    # the rows that hold both statements and measures
    assert texts["planning-and-managing-diaries-and-meeting-schedules.pm.6.02"] == (
        "Briefings and updates are provided in an accurate, timely and effective manner")
    assert texts["dealing-with-formal-correspondence.1.01"] == (
        "Sort and distribute mail to appropriate service users ensuring that service standards are met")
    # the displaced word put back
    assert texts["developing-the-team.pm.3.01"] == (
        "Feedback received from colleagues and supervisor, for example, word of mouth")
    assert texts["developing-the-team.pm.3.04"] == "Attendance at and positive contributions made at team meetings"


def test_texts_are_clean(framework: Framework) -> None:
    texts = [i.text for _, i in framework.indicators] + [c.name for c in framework.competencies]
    texts += [lv.description for lv in framework.levels] + [c.text for r in framework.roles for c in r.criteria]
    for text in texts:
        assert "<" not in text and "•" not in text and "  " not in text, text
        assert "continued" not in text.lower() and text.lower() != "n/a", text
        assert not NON_LATIN.search(text), text
        assert text == text.strip() and text, text
