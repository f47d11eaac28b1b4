"""The indicator index: vectors aligned with the framework's indicators, cached on disk by content and model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evidence.engine.embed import IndicatorIndex
from tests.factories import FakeEmbedder, tiny_framework


def test_indicator_vectors_are_cached_so_the_encoder_is_not_called_again(fresh_home: Path) -> None:
    fw, embedder = tiny_framework(), FakeEmbedder()
    first = IndicatorIndex.build(fw, embedder)
    assert embedder.calls > 0
    calls = embedder.calls
    again = IndicatorIndex.build(fw, embedder)
    assert embedder.calls == calls  # read from the cache, not re-embedded
    np.testing.assert_array_equal(again.indicator_vectors, first.indicator_vectors)
    IndicatorIndex.build(fw, embedder, use_cache=False)
    assert embedder.calls > calls


def test_a_changed_indicator_is_embedded_afresh(fresh_home: Path) -> None:
    fw, embedder = tiny_framework(), FakeEmbedder()
    IndicatorIndex.build(fw, embedder)
    calls = embedder.calls
    changed = fw.model_copy(deep=True)
    changed.competencies[1].indicators[0].text = "Keeps a budget balanced"
    IndicatorIndex.build(changed, embedder)
    assert embedder.calls > calls


def test_rows_know_their_competency_and_polarity(fresh_home: Path) -> None:
    index = IndicatorIndex.build(tiny_framework(), FakeEmbedder())
    assert index.indicator_vectors.shape == (4, FakeEmbedder.dimension)
    assert index.owner.tolist() == [0, 0, 0, 1]
    assert index.positive.tolist() == [True, True, False, True]
