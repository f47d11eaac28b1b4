"""The indicator index: vectors aligned with the framework's indicators, cached on disk by content and model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evidence.engine.embed import IndicatorIndex
from tests.factories import FakeEmbedder, tiny_framework


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory whose cache no other test shares (``fresh_home`` shares the session's embeddings)."""
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    return tmp_path


def test_indicator_vectors_are_cached_so_the_encoder_is_not_called_again(own_cache: Path) -> None:
    fw, embedder = tiny_framework(), FakeEmbedder()
    first = IndicatorIndex.build(fw, embedder)
    assert embedder.calls > 0
    calls = embedder.calls
    again = IndicatorIndex.build(fw, embedder)
    assert embedder.calls == calls  # read from the cache, not re-embedded
    np.testing.assert_array_equal(again.indicator_vectors, first.indicator_vectors)
    IndicatorIndex.build(fw, embedder, use_cache=False)
    assert embedder.calls > calls


def test_a_changed_indicator_is_embedded_afresh(own_cache: Path) -> None:
    fw, embedder = tiny_framework(), FakeEmbedder()
    IndicatorIndex.build(fw, embedder)
    calls = embedder.calls
    changed = fw.model_copy(deep=True)
    changed.competencies[1].indicators[0].text = "Keeps a budget balanced"
    IndicatorIndex.build(changed, embedder)
    assert embedder.calls > calls


def test_another_runtime_or_compiled_model_embeds_afresh(own_cache: Path) -> None:
    """An int8 model compiled differently kept the same runtime name: its indicator vectors were read from the
    cache the last one wrote, beside units embedded by the new one."""
    fw, embedder = tiny_framework(), FakeEmbedder()
    IndicatorIndex.build(fw, embedder)
    calls = embedder.calls
    embedder.vectors_id = "fake-embedder/onnx-int8/model-0123.onnx-int8.onnx"
    IndicatorIndex.build(fw, embedder)
    assert embedder.calls > calls


def test_rows_know_their_competency_and_polarity(own_cache: Path) -> None:
    index = IndicatorIndex.build(tiny_framework(), FakeEmbedder())
    assert index.indicator_vectors.shape == (4, FakeEmbedder.dimension)
    assert index.owner.tolist() == [0, 0, 0, 1]
    assert index.positive.tolist() == [True, True, False, True]
