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
