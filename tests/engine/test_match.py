"""Matching unit vectors against a framework: best indicator, counter-evidence kept apart, settings checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evidence.engine.embed import IndicatorIndex
from evidence.engine.match import CompetencyMatcher, MatchSettings
from tests.factories import FakeEmbedder, tiny_framework


@pytest.fixture
def index(fresh_home: Path) -> IndicatorIndex:
    return IndicatorIndex.build(tiny_framework(), FakeEmbedder())


def test_a_unit_equal_to_an_indicator_scores_its_competency_highest(index: IndicatorIndex) -> None:
    matcher = CompetencyMatcher(index)
    units = index.indicator_vectors[[1, 3]]  # "Leads a team through a change", "Keeps a budget under control"
    scores = matcher.score(units)
    assert scores.raw.shape == (2, 2)
    assert scores.raw[0].argmax() == 0 and scores.raw[1].argmax() == 1
    assert matcher.best_indicator(scores, 0, 0) == 1
    assert matcher.best_indicator(scores, 1, 1) == 3


def test_negative_indicators_score_as_counter_evidence_never_credit(index: IndicatorIndex) -> None:
    matcher = CompetencyMatcher(index)
    scores = matcher.score(index.indicator_vectors[[2]])  # "Ignores what other teams need"
    assert scores.counter[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert scores.best_positive[0, 0] < 0.99  # the negative indicator is not among the positive matches
    assert scores.counter[0, 1] == -1  # budgets has no negative indicator
    assert matcher.best_indicator(scores, 0, 0, positive=False) == 2


def test_match_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        MatchSettings(max_weight=-1)
    with pytest.raises(ValueError, match="top_mean_k"):
        MatchSettings(top_mean_k=0)


def test_weights_are_normalised_so_scores_stay_on_the_cosine_scale(index: IndicatorIndex) -> None:
    units = index.indicator_vectors[[0]]
    low = CompetencyMatcher(index, MatchSettings(max_weight=1, top_mean_weight=0, competency_weight=0)).score(units)
    high = CompetencyMatcher(index, MatchSettings(max_weight=3, top_mean_weight=0, competency_weight=0)).score(units)
    np.testing.assert_allclose(low.raw, high.raw, atol=1e-6)


def test_withholding_settings_are_probabilities() -> None:
    with pytest.raises(ValueError, match="withhold_threshold") as problem:
        MatchSettings(withhold_threshold=1.5, counter_threshold=-0.1)
    assert "counter_threshold" in str(problem.value)  # every problem at once


def test_a_sure_or_self_critical_unit_is_withheld_unless_it_turns_around(index: IndicatorIndex) -> None:
    """D23: a unit flagged as counter-evidence still credited another competency."""
    matcher = CompetencyMatcher(index, MatchSettings(counter_threshold=0.5, withhold_threshold=0.9))
    probability = np.array([0.97, 0.97, 0.6, 0.1, 0.1])
    critical = np.array([False, False, False, True, False])
    turns = np.array([False, True, False, True, False])  # self-criticism that turns around was never flagged
    assert matcher.withheld(probability, critical, turns).tolist() == [True, False, False, True, False]


def test_self_criticism_is_a_development_point_in_the_competency_it_is_about(index: IndicatorIndex) -> None:
    matcher = CompetencyMatcher(index)
    # "Keeps a budget under control" twice: the first unit the detector flags, the second its writer criticises
    scores = matcher.score(index.indicator_vectors[[3, 3, 3, 3]])
    flags = matcher.counter_flags(scores, np.array([0.8, 0.1, 0.1, 0.8]), np.array([False, True, False, True]))
    assert flags[0].tolist() == [True, False]  # the detector: the closest negative indicator (teamwork's)
    assert flags[1].tolist() == [False, True]  # self-criticism alone: the competency it speaks of (budgets)
    assert not flags[2].any()
    assert flags[3].tolist() == [True, False]  # both: the detector's choice stands
    assert (matcher.counter_flags(scores, np.array([0.8, 0.1, 0.1, 0.1]))[:, 0] == [True, False, False, False]).all()
