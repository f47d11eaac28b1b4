"""From unit suggestions to a document's assessment: evidenced level, coverage of a role, the match."""

from __future__ import annotations

from evidence.domain import CoverageStatus, Cues, MatchedIndicator, Suggestion, Unit, UnitAnalysis
from evidence.engine.assess import COUNTER_PENALTY, competency_evidence, coverage
from tests.factories import tiny_framework


def _unit(index: int, suggestions: list[tuple[str, str | None, float]],
          counter: tuple[str, ...] = ()) -> UnitAnalysis:
    def suggestion(c: str, lv: str | None, s: float) -> Suggestion:
        return Suggestion(competency=c, competency_name=c.title(), level=lv, score=s,
                          indicator=MatchedIndicator(id=f"{c}.x", text="x"))
    return UnitAnalysis(unit=Unit(index=index, text=f"unit {index}", start=0, end=6, cues=Cues()),
                        suggestions=[suggestion(*s) for s in suggestions],
                        counter_evidence=[suggestion(c, None, 0.7) for c in counter])


def test_a_strong_unit_sets_the_level_and_confidence_is_a_noisy_or() -> None:
    fw = tiny_framework()
    evidence = competency_evidence(fw, [_unit(0, [("teamwork", "1", 0.9)]), _unit(1, [("teamwork", "2", 0.7)]),
                                        _unit(2, [("budgets", "2", 0.4)])])
    by_id = {e.competency: e for e in evidence}
    assert by_id["teamwork"].level == "2"  # the highest level a strong unit shows
    assert by_id["teamwork"].score == round(1 - 0.1 * 0.3, 3) and by_id["teamwork"].units == [0, 1]
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
