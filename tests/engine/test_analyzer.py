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


# -- no false evidence (issue 15) ----------------------------------------------------------------------------

def test_a_withheld_unit_gives_no_credit_to_any_competency(fresh_home) -> None:
    """D23: the unit was flagged for one competency and still credited another at 36 %."""
    import numpy as np

    from evidence.domain import Cues, Unit
    from evidence.engine.analyzer import Analyzer, UnitPredictions
    from evidence.engine.calibration import UnitDetector
    from tests.factories import FakeEmbedder, tiny_framework

    analyzer = Analyzer(tiny_framework(), embedder=FakeEmbedder(),  # type: ignore[arg-type]
                        detectors=(UnitDetector(default=1.0), UnitDetector(default=0.0)))
    vectors = analyzer.index.indicator_vectors[[0, 0]]  # both read exactly like a teamwork indicator
    units = [Unit(index=i, text=t, start=0, end=len(t), cues=Cues()) for i, t in
             enumerate(["Helps colleagues finish their work", "Helps colleagues finish their work"])]
    predictions = UnitPredictions(vectors, analyzer.matcher.score(vectors), np.array([[0.9, 0.6], [0.9, 0.6]]),
                                  np.full(2, np.nan), [u.cues for u in units],
                                  np.array([[False, False], [False, True]]), np.array([False, True]))
    kept, withheld = analyzer.analyse_units(units, predictions)
    assert [s.competency for s in kept.suggestions] == ["teamwork", "budgets"]
    assert withheld.suggestions == [] and [s.competency for s in withheld.counter_evidence] == ["budgets"]


@pytest.fixture(scope="module")
def zero_shot():
    """Zero-shot analyzers (packaged encoder and spaCy pipeline) by framework id, built once each."""
    from evidence.engine.analyzer import Analyzer
    from evidence.frameworks.catalogue import get_framework

    built: dict[str, object] = {}

    def get(framework_id: str):
        if framework_id not in built:
            built[framework_id] = Analyzer(get_framework(framework_id), model_version="zero-shot")
        return built[framework_id]
    return get


@pytest.mark.slow
@pytest.mark.parametrize(("framework_id", "text", "development_point"), [
    ("admin-job-family", "I took on too much during the permit changeover and fell behind with filing the paper "
     "records, which I had to catch up on in January.", "filing-and-retrieving-documents"),  # was Filing 72 %
    ("councils", "I am not yet confident analysing the figures rather than just collating them.", None),  # Comm. 49 %
    ("community-link-worker", "I avoid making decisions and leave problems for others to sort out.", None),  # D23
    ("community-link-worker", "I often ignore other people's views when I am sure I am right.", None),
    ("admin-job-family", "I should have asked for help sooner.", None),
])
def test_self_criticism_is_counter_evidence_never_credit(zero_shot, framework_id: str, text: str,
                                                         development_point: str | None) -> None:
    analysis = zero_shot(framework_id).analyse_document(Document(id="s", text=text))
    [unit] = analysis.units
    assert unit.suggestions == [] and unit.counter_evidence
    if development_point:
        assert [s.competency for s in unit.counter_evidence] == [development_point]
    assert all(e.units == [] and e.score == 0.0 for e in analysis.competencies)


@pytest.mark.slow
@pytest.mark.parametrize("framework_id", ["community-link-worker", "admin-job-family"])
def test_contact_metadata_headings_greetings_and_sign_offs_are_never_evidence(zero_shot, framework_id: str) -> None:
    text = ("Dear Hiring Manager,\n\n**Appraisee:** Senior Administrator, Highways and Transport business support\n"
            "Name: Sam Jones\n\nWorking across teams\n\nI set up a monthly joint case review between our staff and "
            "the housing officers. You can reach me on [email] or [phone].\n\nKind regards\nYours sincerely, Sam\n")
    analysis = zero_shot(framework_id).analyse_document(Document(id="letter", text=text))
    assert [ua.unit.text for ua in analysis.units] == [
        "I set up a monthly joint case review between our staff and the housing officers."]
    assert {u for e in analysis.competencies for u in e.units} <= {0}


@pytest.mark.slow
def test_document_confidence_follows_its_units_scores(zero_shot) -> None:
    """A competency never shows more confidence than its best unit plus one more unit as strong."""
    from evidence.config import PACKAGE_DATA_DIR

    text = (PACKAGE_DATA_DIR / "samples" / "appraisal-narrative.md").read_text(encoding="utf-8")
    analysis = zero_shot("admin-job-family").analyse_document(Document(id="appraisal", text=text))
    scores = {(ua.unit.index, s.competency): s.score for ua in analysis.units for s in ua.suggestions}
    assert analysis.competencies
    for evidence in analysis.competencies:
        if not evidence.units:  # counter-evidence alone
            assert evidence.score == 0.0 and evidence.counter_units
            continue
        best = max(scores[(u, evidence.competency)] for u in evidence.units)
        assert best - 1e-3 <= evidence.score <= 1 - (1 - best) ** 2 + 1e-3
    texts = {ua.unit.text[:20]: ua for ua in analysis.units}
    assert texts["I took on too much d"].suggestions == []  # its shortfall section: a development point
    assert texts["I am not yet confide"].suggestions == []
