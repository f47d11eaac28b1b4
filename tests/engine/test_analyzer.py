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
