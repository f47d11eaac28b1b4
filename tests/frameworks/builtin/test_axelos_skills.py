"""The AXELOS Skills Framework (seed 004) as derived into frameworks/axelos-skills.yaml.

Pins the counts read off the document by hand, each skill's defined levels, a few indicator texts
copied from the seed (including bullets the conversion ran together and one split by a colon), the
cleanliness of every text, and that the YAML is exactly what the derivation script produces.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from evidence.domain import Framework, IndicatorKind, Polarity
from evidence.frameworks.catalogue import load_framework_file

REPO = Path(__file__).resolve().parents[3]
YAML_PATH = REPO / "frameworks" / "axelos-skills.yaml"
SCRIPT = REPO / "scripts" / "derive_frameworks" / "seed_004.py"
SEEDS = REPO.parent / "shared" / "seeds"

# Levels each skill defines (a dash in the other columns of its section table).
DEFINED_LEVELS = {
    "business-case-development": "345",
    "project-and-programme-organization-and-governance": "345",
    "project-and-programme-planning": "234",
    "progress-monitoring-and-control": "2345",
    "application-of-best-practice-processes-models-and-tools": "2345",
    "portfolio-programme-and-project-support": "234",
    "portfolio-definition": "45",
    "portfolio-management": "345",
    "project-risk-management": "2345",
    "change-control-and-configuration-management": "234",
    "project-and-programme-quality-management": "2345",
    "resource-and-cost-estimation": "34",
    "benefits-management-and-realization": "345",
    "blueprint-design": "45",
    "stakeholder-management-and-communication": "2345",
    "business-change-management": "345",
    "process-improvement": "34",
    "requirements-needs-identification": "345",
    "information-analysis": "12345",
    "modelling": "234",
    "business-risk-management": "234",
    "continuity-management": "34",
    "is-governance": "45",
    "it-and-business-strategy-alignment": "45",
    "information-security-strategy-development": "45",
    "service-management-policy-and-procedure-design": "45",
    "information-and-knowledge-management": "345",
    "application-of-best-practice-processes-methods-and-tools": "345",
    "architecture-design": "345",
    "availability-management": "234",
    "capacity-management": "234",
    "innovating": "45",
    "technology-trend-monitoring": "45",
    "service-level-management": "34",
    "configuration-management": "234",
    "release-management": "234",
    "it-change-management": "234",
    "component-integration": "234",
    "incident-management": "234",
    "problem-management": "34",
    "user-support": "123",
    "service-delivery": "123",
    "information-security-management": "234",
    "relationship-management": "345",
    "contract-management": "234",
    "purchasing": "234",
    "financial-management": "345",
    "resource-management": "2345",
    "sales-management": "345",
    "leadership-and-teamwork": "12345",
    "communication-and-knowledge-sharing": "12345",
    "business-and-environmental-awareness": "12345",
    "negotiation": "345",
    "conflict-management": "12345",
    "staff-awareness-and-development": "234",
    "quality-orientation-attention-to-detail": "123",
    "planning-and-organization": "12345",
}


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework_file(YAML_PATH)


def _indicator(framework: Framework, indicator_id: str) -> str:
    for _, ind in framework.indicators:
        if ind.id == indicator_id:
            return ind.text
    raise KeyError(indicator_id)


def test_levels(framework: Framework) -> None:
    assert [(lv.id, lv.name) for lv in framework.levels] == [
        ("1", "Intern / Entry level"),
        ("2", "Practitioner"),
        ("3", "Professional / Manager"),
        ("4", "Lead Professional / Senior Manager"),
        ("5", "Executive"),
    ]
    assert framework.levels[0].description == (
        "Works primarily under supervision with responsibility for carrying out routine work.")


def test_counts(framework: Framework) -> None:
    assert framework.id == "axelos-skills"
    assert len(framework.competencies) == 57
    per_group = {g.name: sum(c.group == g.id for c in framework.competencies) for g in framework.groups}
    assert per_group == {
        "Project Portfolio Management": 12,
        "Business analysis and change management": 8,
        "IT Service Management": 24,
        "Business and Commercial": 5,
        "Leadership and personal skills": 8,
    }
    assert sum(len(c.level_summaries) for c in framework.competencies) == 176
    assert len(framework.indicators) == 603


def test_defined_levels(framework: Framework) -> None:
    assert {c.id: "".join(c.level_summaries) for c in framework.competencies} == DEFINED_LEVELS
    for comp in framework.competencies:
        # every defined level has a summary and at least one bullet; no bullet sits on an undefined level
        assert {i.level for i in comp.indicators} == set(comp.level_summaries), comp.id


def test_indicator_shape(framework: Framework) -> None:
    for comp, ind in framework.indicators:
        assert ind.kind is IndicatorKind.knowledge_skill
        assert ind.polarity is Polarity.positive
        assert ind.level is not None
        assert re.fullmatch(rf"{re.escape(comp.id)}\.{ind.level}\.\d\d", ind.id)


def test_spot_checks(framework: Framework) -> None:
    business_case = framework.competency("business-case-development")
    assert business_case.description.startswith("Developing business case documents to demonstrate feasibility")
    assert business_case.level_summaries["3"] == (
        "Designs the business case for a small to medium scale project or business change.")
    # <ul><li> bullets
    assert _indicator(framework, "business-case-development.3.01") == (
        "Work with the project sponsor to understand project objectives")
    # one <p> per bullet
    assert _indicator(framework, "project-and-programme-planning.4.02") == (
        "From the schedule, determine key dates, such as milestones and gates, and devise project control "
        "methods around them")
    # bullets run together with single spaces, split again (acronyms and "e.g. Use cases" kept whole)
    assert _indicator(framework, "modelling.3.01") == (
        "Competently use a range of modelling techniques relevant to your area of expertise (e.g. Use cases or "
        "UML for technical analysts, flowcharting for process analysts, Net Present Value (NPV)/Return On "
        "Investment (ROI) for commercial analysts)")
    assert _indicator(framework, "modelling.3.02") == "Review models with stakeholders, identify issues and resolve."
    assert _indicator(framework, "release-management.3.03") == (
        "Ensure releases are traceable, secure, tested and authorized before release.")
    assert _indicator(framework, "release-management.3.04") == "Carry out post-release reviews"
    assert _indicator(framework, "stakeholder-management-and-communication.5.01") == (
        "Communicate the strategic direction and vision to Executive, third party shareholders and investors "
        "and public relations")
    assert _indicator(framework, "innovating.4.03") == "Integrate disparate concepts to devise unique solutions."
    # bullets separated by runs of spaces; one broken after a colon, rejoined
    assert _indicator(framework, "technology-trend-monitoring.4.01") == (
        "establish understanding of evolving technologies")
    assert _indicator(framework, "financial-management.5.01") == (
        "Provide strategic financial management of finances: capital/non-cash funding, project cost "
        "amortization, accrual management, and cost of capital management.")
    assert len(framework.competency("financial-management").indicators) == 10
    # a stray 'p' removed; a "Level 5 -" label dropped from a summary
    assert _indicator(framework, "project-and-programme-organization-and-governance.4.03") == (
        "Establish the project support office (P3O/PMO) and processes for managing the project/programme, "
        "e.g. quality management, issues and risks.")
    assert framework.competency("portfolio-management").level_summaries["5"] == (
        "Leads definition and implementation of portfolio management framework.")
    assert framework.competency("resource-management").level_summaries["5"] == (
        "Plan and organize resources at a strategic level across an organization or across a portfolio.")
    assert _indicator(framework, "planning-and-organization.2.06") == (
        "Be assertive and agree only to what is realistically achievable.")


def test_texts_are_clean(framework: Framework) -> None:
    texts = [i.text for _, i in framework.indicators]
    texts += [s for c in framework.competencies for s in c.level_summaries.values()]
    texts += [c.description for c in framework.competencies]
    for text in texts:
        assert "<" not in text and "•" not in text and "  " not in text, text
        assert "continued" not in text.lower(), text
        assert "You can" not in text, text
        assert not text.startswith("Level "), text
        assert not re.search(r"[\u0370-\u03ff\u0400-\u04ff]", text), text  # Greek or Cyrillic letters
        assert text == text.strip(), text


def test_derivation_cross_checks_find_no_mismatch() -> None:
    if not any(SEEDS.glob("004_*.txt")):
        pytest.skip("seed documents (../shared/seeds) are not present")
    module = importlib.import_module("scripts.derive_frameworks.seed_004")
    _, report = module.build_with_report()
    assert report["mismatches"] == []
