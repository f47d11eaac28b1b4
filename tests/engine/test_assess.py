"""From unit suggestions to a document's assessment: evidenced level, coverage of a role, the match."""

from __future__ import annotations

import numpy as np
import pytest

from evidence.domain import CoverageStatus, Cues, MatchedIndicator, Suggestion, Unit, UnitAnalysis
from evidence.engine.assess import CORROBORATION, COUNTER_PENALTY, competency_evidence, corroborated, coverage
from tests.factories import tiny_framework


def _unit(index: int, suggestions: list[tuple[str, str | None, float]],
          counter: tuple[str, ...] = ()) -> UnitAnalysis:
    def suggestion(c: str, lv: str | None, s: float) -> Suggestion:
        return Suggestion(competency=c, competency_name=c.title(), level=lv, score=s,
                          indicator=MatchedIndicator(id=f"{c}.x", text="x"))
    return UnitAnalysis(unit=Unit(index=index, text=f"unit {index}", start=0, end=6, cues=Cues()),
                        suggestions=[suggestion(*s) for s in suggestions],
                        counter_evidence=[suggestion(c, None, 0.7) for c in counter])


def test_a_strong_unit_sets_the_level_and_confidence_is_a_discounted_noisy_or() -> None:
    fw = tiny_framework()
    evidence = competency_evidence(fw, [_unit(0, [("teamwork", "1", 0.9)]), _unit(1, [("teamwork", "2", 0.7)]),
                                        _unit(2, [("budgets", "2", 0.4)])])
    by_id = {e.competency: e for e in evidence}
    assert by_id["teamwork"].level == "2"  # the highest level a strong unit shows
    # the best unit in full, the second at CORROBORATION of its score
    assert by_id["teamwork"].score == round(1 - 0.1 * (1 - 0.7 * CORROBORATION), 3) == 0.935
    assert by_id["teamwork"].units == [0, 1]
    assert by_id["budgets"].score == 0.4  # one unit: its own score
    assert by_id["budgets"].level == "2"  # no strong unit: the best unit's level
    assert [e.competency for e in evidence] == ["teamwork", "budgets"]  # most confident first


def test_coverage_met_partly_met_and_missing() -> None:
    fw = tiny_framework()
    role = fw.role("lead")
    partly = competency_evidence(fw, [_unit(0, [("teamwork", "1", 0.9)])])
    rows, match = coverage(fw, role, partly)
    status = {r.competency: r.status for r in rows}
    assert status == {"teamwork": CoverageStatus.partly_met, "budgets": CoverageStatus.missing}
    full = competency_evidence(fw, [_unit(0, [("teamwork", "2", 0.9)]), _unit(1, [("budgets", "2", 0.9)])])
    rows, best = coverage(fw, role, full)
    assert {r.status for r in rows} == {CoverageStatus.met} and best > match


def test_counter_evidence_costs_credit() -> None:
    fw = tiny_framework()
    role = fw.role("lead")
    clean = competency_evidence(fw, [_unit(0, [("teamwork", "2", 0.9)])])
    flagged = competency_evidence(fw, [_unit(0, [("teamwork", "2", 0.9)], counter=["teamwork"])])
    _, clean_match = coverage(fw, role, clean)
    _, flagged_match = coverage(fw, role, flagged)
    assert flagged_match < clean_match
    assert flagged_match >= clean_match * (1 - COUNTER_PENALTY) - 1e-3


def test_many_weak_units_never_add_up_to_certainty() -> None:
    """Issue 15: a competency showed "confidence 100 %" over sentences that each scored 16-25 %."""
    weak = [0.16, 0.25, 0.2, 0.18, 0.22, 0.19, 0.21, 0.17, 0.24, 0.23] * 2
    plain_noisy_or = 1 - np.prod([1 - s for s in weak])
    assert round(plain_noisy_or, 2) == 0.99  # what was shown as ~100 %
    assert 0.25 < corroborated(weak) <= 1 - (1 - 0.25) ** 2 < 0.5
    fw = tiny_framework()
    evidence = competency_evidence(fw, [_unit(i, [("teamwork", "1", s)]) for i, s in enumerate(weak)])
    assert evidence[0].score == round(corroborated(weak), 3) and len(evidence[0].units) == len(weak)


@pytest.mark.parametrize("scores", [[0.9], [0.9, 0.9], [0.6] * 30, [0.3, 0.2, 0.1], [0.99, 0.01], [0.5] * 3])
def test_confidence_lies_between_the_best_unit_and_one_more_unit_as_strong(scores: list[float]) -> None:
    best = max(scores)
    assert best - 1e-9 <= corroborated(scores) <= 1 - (1 - best) ** 2 + 1e-9
    assert corroborated(scores) <= corroborated([*scores, 0.1])  # more support never lowers it
    assert corroborated(list(reversed(scores))) == pytest.approx(corroborated(scores))


def test_a_document_with_one_strong_unit_ranks_above_one_with_many_weak_ones() -> None:
    """A shortlist sorted by the match puts clear evidence above a pile of faint mentions."""
    fw = tiny_framework()
    role = fw.role("lead")
    strong = competency_evidence(fw, [_unit(0, [("teamwork", "2", 0.85)]), _unit(1, [("budgets", "2", 0.8)])])
    faint = competency_evidence(fw, [_unit(i, [("teamwork", "2", 0.2), ("budgets", "2", 0.2)]) for i in range(15)])
    assert coverage(fw, role, strong)[1] > coverage(fw, role, faint)[1]
