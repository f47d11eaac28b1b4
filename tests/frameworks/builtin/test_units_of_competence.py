"""Pins frameworks/units-of-competence.yaml (seed 000: units of competence with performance criteria)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evidence.domain import Framework, IndicatorKind
from evidence.frameworks.catalogue import load_framework_file

REPO_ROOT = Path(__file__).resolve().parents[3]
FRAMEWORK_FILE = REPO_ROOT / "frameworks" / "units-of-competence.yaml"
SCRIPT = REPO_ROOT / "scripts" / "derive_frameworks" / "seed_000.py"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic blocks


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework_file(FRAMEWORK_FILE)


def test_counts(framework: Framework) -> None:
    assert framework.id == "units-of-competence"
    assert framework.levels == []
    assert [g.name for g in framework.groups] == [
        "Services", "Resources", "People", "Information and Communication", "Programme & Project Management"]
    assert len(framework.competencies) == 11
    assert sum(len(c.indicators) for c in framework.competencies) == 53
    per_unit = {c.id: len(c.indicators) for c in framework.competencies}
    assert per_unit == {"unit-1.1": 4, "unit-1.2": 3, "unit-2.1": 3, "unit-3.1": 7, "unit-3.2": 4, "unit-3.3": 4,
                        "unit-3.4": 5, "unit-4.1": 8, "unit-4.2": 7, "unit-5.1": 4, "unit-5.2": 4}
    assert Counter(c.group for c in framework.competencies) == {
        "services": 2, "resources": 1, "people": 4, "information-and-communication": 2,
        "programme-project-management": 2}


def test_indicators_are_unlevelled_performance_criteria(framework: Framework) -> None:
    for comp, ind in framework.indicators:
        assert ind.kind is IndicatorKind.performance_criterion
        assert ind.level is None
        assert re.fullmatch(rf"{re.escape(comp.id)}\.[a-h]", ind.id)


def test_spot_checks(framework: Framework) -> None:
    unit = framework.competency("unit-1.1")
    assert unit.name == "Deliver and maintain services"
    assert unit.description.startswith("This unit is about ensuring activities meet the requirements of the office "
                                       "and its customers. It is about")
    texts = {i.id: i.text for _, i in framework.indicators}
    assert texts["unit-1.1.c"] == ("Makes full use of the Assembly IT system to assist delivery of services to "
                                   "the customer.")
    assert texts["unit-3.1.f"] == "Motivates and enables all staff to participate in improvement activities."
    assert texts["unit-4.1.c"] == ("Collects accurate and relevant information and updates information according "
                                   "to organisational requirements.")
    assert texts["unit-5.2.d"] == ("Supports the communication of success, challenges and lessons learnt to the "
                                   "appropriate stakeholders.")
    # Two sentences in one paragraph stay one criterion, the PDF's double space collapsed.
    assert texts["unit-1.1.d"].endswith("to minimise their effect. Implements corrective action without delay and "
                                        "informs appropriate staff and customers of any changes which affect them.")
    assert framework.competency("unit-5.2").name == "Contributes to the evaluation of the success of a Project"


def test_texts_are_clean(framework: Framework) -> None:
    texts = [i.text for _, i in framework.indicators] + [c.name for c in framework.competencies]
    texts += [c.description for c in framework.competencies]
    for text in texts:
        assert "<" not in text and "•" not in text and "  " not in text, text
        assert "continued" not in text.lower(), text
        assert not NON_LATIN.search(text), text
        assert text == text.strip(), text
