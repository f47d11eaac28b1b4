"""Pins frameworks/councils.yaml (seed 002: Cherwell District and South Northamptonshire Councils, levels A-H)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evidence.domain import Framework, IndicatorKind
from evidence.frameworks.catalogue import load_framework_file

REPO_ROOT = Path(__file__).resolve().parents[3]
FRAMEWORK_FILE = REPO_ROOT / "frameworks" / "councils.yaml"
SCRIPT = REPO_ROOT / "scripts" / "derive_frameworks" / "seed_002.py"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic blocks


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework_file(FRAMEWORK_FILE)


def test_levels_and_groups(framework: Framework) -> None:
    assert framework.id == "councils"
    assert framework.name == "Cherwell District and South Northamptonshire Councils Competency Framework"
    assert [lv.id for lv in framework.levels] == list("ABCDEFGH")
    assert [lv.id for lv in framework.levels if lv.midpoint] == ["A", "C", "E", "G"]
    assert all(lv.description for lv in framework.levels)
    core, management = framework.groups
    assert (core.id, core.applies_to) == ("core", "")
    assert (management.id, management.applies_to) == ("management", "managers")
    assert management.description.startswith("These apply to employees in a management or leadership role")


def test_counts(framework: Framework) -> None:
    assert Counter(c.group for c in framework.competencies) == {"core": 7, "management": 4}
    assert {c.id: len(c.themes) for c in framework.competencies} == {
        "communication": 4, "performance-and-outcome-focus": 3, "customer-focus": 2,
        "innovation-continuous-improvement-and-problem-solving": 3, "collaborative-teamwork": 3,
        "financial-and-commercial-awareness": 3, "technical-expertise": 3, "managing-people-and-change": 5,
        "collaborative-leadership": 5, "strategic-thinking": 5, "commercial-focus": 4}
    assert sum(len(c.themes) for c in framework.competencies) == 40
    assert len(framework.indicators) == 535
    assert Counter(i.level for _, i in framework.indicators) == {"B": 140, "D": 132, "F": 138, "H": 125}
    assert {c.id: len(c.indicators) for c in framework.competencies} == {
        "communication": 39, "performance-and-outcome-focus": 39, "customer-focus": 35,
        "innovation-continuous-improvement-and-problem-solving": 49, "collaborative-teamwork": 44,
        "financial-and-commercial-awareness": 45, "technical-expertise": 40, "managing-people-and-change": 74,
        "collaborative-leadership": 61, "strategic-thinking": 71, "commercial-focus": 38}
    assert framework.roles == []


def test_every_theme_has_indicators_at_each_defined_level(framework: Framework) -> None:
    for comp in framework.competencies:
        for theme in comp.themes:
            levels = {i.level for i in comp.indicators if i.theme == theme.id}
            assert levels == {"B", "D", "F", "H"}, (comp.id, theme.id)


def test_indicator_shape(framework: Framework) -> None:
    for comp, ind in framework.indicators:
        assert ind.kind is IndicatorKind.behaviour
        assert ind.theme is not None and ind.level in {"B", "D", "F", "H"}
        assert re.fullmatch(rf"{re.escape(comp.id)}\.{ind.level}\.\d\d", ind.id)


def test_spot_checks(framework: Framework) -> None:
    texts = {i.id: (i.theme, i.text) for _, i in framework.indicators}
    assert texts["performance-and-outcome-focus.D.04"] == ("performance-management", "Delivers quality outcomes")
    # a bullet that ended without a full stop, split from the next one
    assert texts["customer-focus.H.06"] == (
        "customer-relationship-management",
        "Obtains commitment from customers at a senior level through effective engagement and co-operative "
        "negotiations")
    assert texts["customer-focus.H.07"][1] == (
        "Develops a customer-centric culture that engenders customer focus at all levels")
    # 'etc.' closing a bullet, and an appendix label ('Continual Improvement') mapped to Table 1's theme
    assert texts["technical-expertise.B.07"][1] == (
        "Understands the basics of using a computer system, e.g. logging on, setting passwords, rebooting, "
        "managing files, etc.")
    assert texts["innovation-continuous-improvement-and-problem-solving.B.04"] == (
        "continuous-improvement", "Displays a 'can-do' approach to work.")
    # a sentence pointing back at the previous one stays in its bullet
    assert texts["collaborative-leadership.D.03"][1] == (
        "Takes a pro-active approach to organisational change – understands impact it may have on self and "
        "others. Has the ability to explain it to colleagues.")
    # the OCR'd Communication page and the bullet-list Collaboration page
    assert texts["communication.D.01"] == (
        "style", "Understands and applies effective communication skills, i.e.: questioning/listening, body "
                 "language, humour, timing and plain English.")
    assert texts["communication.H.06"] == (
        "method", "Devises and manages communication plans aligned to communication strategies.")
    assert texts["collaborative-teamwork.B.01"] == (
        "collaboration-and-partnership-working",
        "Willingly shares information and offers help and support to colleagues.")
    assert texts["collaborative-teamwork.H.01"][1] == (
        "Builds and maintains strong collaborative partnerships with key stakeholders and Members.")
    # the last row of the document
    assert texts["commercial-focus.H.11"] == (
        "commissioning", "Demonstrates leadership to ensure a robust approach to the procurement of services.")
    assert framework.competency("technical-expertise").description.startswith(
        "Demonstrates the appropriate level of specialist knowledge and skills")


def test_texts_are_clean(framework: Framework) -> None:
    texts = [i.text for _, i in framework.indicators]
    texts += [c.name for c in framework.competencies] + [c.description for c in framework.competencies]
    texts += [t.name for c in framework.competencies for t in c.themes]
    for text in texts:
        assert "<" not in text and "•" not in text and "·" not in text and "  " not in text, text
        assert "*" not in text and "continued" not in text.lower(), text
        assert not NON_LATIN.search(text), text
        assert text == text.strip() and text, text
