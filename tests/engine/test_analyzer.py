"""The analyzer end to end on the real model: suggestions, abstention, counter-evidence, gaps."""

from __future__ import annotations

import pytest

from evidence.domain import Document
from tests.factories import STATEMENT


@pytest.mark.slow
def test_analysis_suggests_explains_and_abstains(clw_analyzer) -> None:
    fw = clw_analyzer.framework
    analysis = clw_analyzer.analyse_document(Document(id="s", text=STATEMENT), role=fw.roles[0])
    by_text = {ua.unit.text[:10]: ua for ua in analysis.units}
    assert by_text["I am apply"].suggestions == []  # motivation evidences nothing
    for ua in analysis.units:
        for s in ua.suggestions:
            assert 0.0 <= s.score <= 1.0 and s.indicator.text and s.level in {"1", "2", "3", "4"}
            assert s.competency in {c.id for c in fw.competencies}
    assert {c.competency for c in analysis.coverage} == {r.competency for r in fw.roles[0].requirements}
    assert 0.0 <= analysis.match <= 1.0


@pytest.mark.slow
def test_counter_evidence_is_flagged_not_credited(clw_analyzer) -> None:
    text = "I do not engage with people in other teams and I am not interested in what other groups do."
    ua = clw_analyzer.analyse_document(Document(id="c", text=text)).units[0]
    assert any(s.competency == "team-working" for s in ua.counter_evidence)
    assert all(s.competency != "team-working" for s in ua.suggestions)


@pytest.mark.slow
def test_next_level_gap_comes_from_the_framework(clw_analyzer) -> None:
    analysis = clw_analyzer.analyse_document(Document(id="g", text=STATEMENT))
    texts = {i.text for _, i in clw_analyzer.framework.indicators}
    for evidence in analysis.competencies:
        if evidence.gap:
            assert all(ind.text in texts for ind in evidence.gap.indicators)


def test_a_batch_without_a_single_unit_predicts_nothing() -> None:
    """D01: 0 units reached the detectors and a trained head (sklearn: 'Found array with 0 sample(s)')."""
    from evidence.engine.analyzer import Analyzer
    from tests.factories import FakeEmbedder, tiny_framework

    analyzer = Analyzer(tiny_framework(), embedder=FakeEmbedder())  # type: ignore[arg-type]
    predictions = analyzer.predict_units([], [])
    assert predictions.probabilities.shape == (0, 2) and predictions.scores.similarities.shape == (0, 4)
    [analysis] = list(analyzer._analyse_batch([(Document(id="na", text="N/A"), [])], analyzer.framework.roles[0],
                                              None))
    assert analysis.units == [] and analysis.competencies == [] and analysis.match == 0.0


@pytest.mark.slow
def test_a_document_without_units_has_no_evidence(clw_analyzer) -> None:
    """D01: `N/A`, numbers or emoji alone: a DocumentAnalysis with no evidence, never a crash."""
    role = clw_analyzer.framework.roles[0]
    analyses = list(clw_analyzer.analyse([Document(id=i, text=t) for i, t in
                                          [("na", "N/A"), ("numbers", "12 34 56"), ("emoji", "😀 😀 😀 😀")]],
                                         role=role))
    assert [a.document.id for a in analyses] == ["na", "numbers", "emoji"]
    assert all(a.units == [] and a.competencies == [] for a in analyses)
