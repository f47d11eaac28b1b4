"""Pins frameworks/community-link-worker.yaml (seed 001: Community Link Worker candidate pack)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evidence.domain import Framework, IndicatorKind, Polarity, Priority
from evidence.frameworks.catalogue import load_framework_file

REPO_ROOT = Path(__file__).resolve().parents[3]
FRAMEWORK_FILE = REPO_ROOT / "frameworks" / "community-link-worker.yaml"
SCRIPT = REPO_ROOT / "scripts" / "derive_frameworks" / "seed_001.py"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")  # Greek and Cyrillic blocks

# Per competency: bullets at levels 1..4, then going-well (positive) and not-going-well (negative) bullets,
# counted by hand against the seed.
EXPECTED = {
    "team-working": (6, 4, 6, 4, 5, 5),
    "leading-supporting-developing-others": (5, 5, 4, 5, 6, 4),
    "self-awareness-impact-on-others": (4, 4, 3, 1, 7, 7),
    "reason-judgement-decision-making": (6, 5, 4, 4, 5, 5),
    "networking-relationship-building": (4, 4, 4, 4, 5, 4),
    "developing-quality-services": (5, 3, 4, 3, 5, 4),
    "customer-stakeholder-focus": (6, 3, 4, 4, 5, 5),
}


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework_file(FRAMEWORK_FILE)


def test_counts(framework: Framework) -> None:
    assert framework.id == "community-link-worker"
    assert [(lv.id, lv.name) for lv in framework.levels] == [(str(n), f"Level {n}") for n in range(1, 5)]
    assert [c.id for c in framework.competencies] == list(EXPECTED)
    for comp in framework.competencies:
        levels = Counter(i.level for i in comp.indicators if i.level is not None)
        positive = sum(1 for i in comp.indicators if i.level is None and i.polarity is Polarity.positive)
        negative = sum(1 for i in comp.indicators if i.level is None and i.polarity is Polarity.negative)
        got = (levels["1"], levels["2"], levels["3"], levels["4"], positive, negative)
        assert got == EXPECTED[comp.id], comp.id
    assert sum(len(c.indicators) for c in framework.competencies) == 190
    assert sum(1 for _, i in framework.indicators if i.level is not None) == 118
    assert all(i.kind is IndicatorKind.behaviour for _, i in framework.indicators)
    # Levelled behaviours are all positive.
    assert all(i.polarity is Polarity.positive for _, i in framework.indicators if i.level is not None)


def test_competency_names_and_descriptions(framework: Framework) -> None:
    assert [c.name for c in framework.competencies] == [
        "Team Working", "Leading, Supporting & Developing Others", "Self Awareness & Impact on Others",
        "Reason, Judgement & Decision Making", "Networking & Relationship Building", "Developing Quality Services",
        "Customer & Stakeholder Focus"]
    tw = framework.competency("team-working")
    assert tw.description.startswith("Team working at the Provider includes but is not limited to your immediate team.")
    why = "\n\nWhy is it important? For maximum impact, the Provider must be more than the sum of its parts."
    assert why in tw.description
    for comp in framework.competencies:
        assert "\n\nWhy is it important? " in comp.description, comp.id


def test_spot_checks(framework: Framework) -> None:
    texts = {i.id: i.text for _, i in framework.indicators}
    # Cells cut at page breaks, rejoined.
    assert texts["self-awareness-impact-on-others.1.04"] == (
        "You seek to better understand and appreciate the needs of others eg. those with carer responsibilities "
        "or from different backgrounds.")
    assert texts["customer-stakeholder-focus.2.03"] == (
        "You have an appropriate level of concern for customer/ stakeholder satisfaction. When your customers/ "
        "stakeholders are less than satisfied you do all that you reasonably can to address issues")
    assert texts["customer-stakeholder-focus.3.04"] == (
        "In engaging with stakeholders you demonstrate commitment by focussing your attention on their specific "
        "needs and being accessible to them.")
    assert texts["customer-stakeholder-focus.4.04"] == (
        "You can deliver difficult messages in an appropriate and professional manner, maintaining relationships")
    # A bullet that starts a new list on the continuation row is its own Level 1 indicator.
    assert texts["customer-stakeholder-focus.1.06"] == (
        "You have sufficient knowledge to predict needs & ask the right questions")
    # Going-well / not-going-well bullets continued after a page break.
    assert texts["leading-supporting-developing-others.pos.06"] == "Empowers others."
    assert texts["leading-supporting-developing-others.neg.04"] == "Puts people down."
    assert texts["developing-quality-services.neg.04"] == "Consistently goes over budget/time"
    assert texts["reason-judgement-decision-making.3.01"] == (
        "You link information from within and outwith the Provider - spotting relationships that you use to "
        "clarify implications")
    assert texts["team-working.1.01"] == (
        "You make an active contribution to the success of your immediate team - through effort, voicing ideas "
        "and keeping others up to date with what’s happening in the team")
    neg = {i.id: i for _, i in framework.indicators}["networking-relationship-building.neg.04"]
    assert (neg.text, neg.polarity, neg.level) == ("Appears cold or unfriendly.", Polarity.negative, None)


def test_role(framework: Framework) -> None:
    role = framework.role("community-link-worker")
    assert role.name == "Community Link Worker"
    assert role.description.startswith("We are looking to recruit Community Link Worker")
    assert [(r.competency, r.level, r.priority) for r in role.requirements] == [
        ("team-working", "3", Priority.essential),
        ("leading-supporting-developing-others", "4", Priority.essential),
        ("self-awareness-impact-on-others", "4", Priority.essential),
        ("reason-judgement-decision-making", "4", Priority.essential),
        ("networking-relationship-building", "3", Priority.essential),
        ("developing-quality-services", "3", Priority.essential),
        ("customer-stakeholder-focus", "4", Priority.essential),
    ]
    counts = Counter((c.category, c.priority.value) for c in role.criteria)
    assert counts == {("Attainments", "essential"): 1, ("Attainments", "desirable"): 1,
                      ("Occupational", "essential"): 6, ("Occupational", "desirable"): 5,
                      ("Skills", "essential"): 8, ("Skills", "desirable"): 5,
                      ("Personal Qualities", "essential"): 10}
    by_text = {c.text: c for c in role.criteria}
    assert by_text["Track record of effective multi-agency working"].assessed_by == [
        "Application", "Interview", "Statement"]
    assert by_text["Competence in social media communications"].assessed_by == [
        "Application", "Interview", "Presentation", "Statement"]
    attain = by_text["Extensive experience of working within Community Learning & Development, Social Work, "
                     "Healthcare or related field"]
    assert (attain.priority, attain.assessed_by) == (Priority.essential, ["Application", "Interview"])
    # Rows continued across a page break keep their category and assessment methods.
    cont = by_text["Ability to work autonomously to plan workloads, meet deadline and also work as part of a team"]
    assert (cont.category, cont.priority) == ("Skills", Priority.essential)
    assert by_text["Enjoy working in a community setting"].assessed_by == []


def test_texts_are_clean(framework: Framework) -> None:
    texts = [i.text for _, i in framework.indicators]
    texts += [c.text for r in framework.roles for c in r.criteria]
    texts += [c.description for c in framework.competencies] + [r.description for r in framework.roles]
    for text in texts:
        assert "<" not in text and "•" not in text and "  " not in text, text
        assert "&amp;" not in text and "continued" not in text.lower(), text
        assert not NON_LATIN.search(text), text
