"""The traced sentence encoder: the same vectors as sentence-transformers, layer features, fallback."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest


@pytest.mark.slow
def test_traced_encoder_gives_sentence_transformers_vectors(clw_analyzer) -> None:
    from evidence.engine.encoder import (
        SentenceEncoder,
        embedding_model_path,
        load_encoder,
        load_sentence_transformer,
    )

    texts = ["I set up a weekly drop-in.", "x", "When two GP practices disagreed about referrals, I met both "
             "practice managers and agreed one shared form, which cut waiting times by a third. " * 3]
    encoder = load_encoder()
    assert isinstance(encoder, SentenceEncoder)  # the trace was built and cached, not the fallback
    assert list((Path(os.environ["EVIDENCE_HOME"]) / "cache" / "encoders").glob("*.pt"))
    expected = load_sentence_transformer(str(embedding_model_path())).encode(texts, normalize_embeddings=True)
    for batch_size in (1, 2, 8):
        np.testing.assert_allclose(encoder.encode(texts, batch_size=batch_size), expected, atol=1e-5)


@pytest.mark.slow
def test_an_encoder_that_cannot_be_traced_runs_untraced_with_the_same_vectors(clw_analyzer, monkeypatch,
                                                                              tmp_path: Path) -> None:
    import torch

    from evidence.engine import encoder as models

    def cannot_trace(folder: Path, path: Path) -> None:
        raise RuntimeError("tracing is not supported here")

    texts = ["I set up a weekly drop-in.", "When two GP practices disagreed, I met both managers."]
    traced = models.load_encoder()
    monkeypatch.setattr(models, "_build_trace", cannot_trace)
    monkeypatch.setattr(models, "_trace_path", lambda folder: tmp_path / "no-trace.pt")
    models.load_encoder.cache_clear()
    try:
        untraced = models.load_encoder()
    finally:
        models.load_encoder.cache_clear()  # later tests get the traced encoder again
    assert not isinstance(untraced.module, torch.jit.ScriptModule)
    np.testing.assert_allclose(untraced.encode(texts, layers=True), traced.encode(texts, layers=True), atol=1e-5)


@pytest.mark.slow
def test_layer_features_are_the_unit_length_means_of_the_layers_below_the_last(clw_analyzer) -> None:
    import torch

    from evidence.engine.encoder import (
        LAYER_FEATURES,
        embedding_model_path,
        load_encoder,
        load_sentence_transformer,
    )

    texts = ["I set up a weekly drop-in.", "When two GP practices disagreed about referrals, I met both managers."]
    encoder = load_encoder()
    rows = encoder.encode(texts, batch_size=1, layers=True)
    assert encoder.layer_features == LAYER_FEATURES and rows.shape == (2, encoder.dimension * (1 + LAYER_FEATURES))
    np.testing.assert_allclose(rows[:, :encoder.dimension], encoder.encode(texts), atol=1e-6)
    model = load_sentence_transformer(str(embedding_model_path()))
    tokens = model.tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        states = model[0].auto_model(**tokens, output_hidden_states=True).hidden_states
    mask = tokens["attention_mask"].unsqueeze(-1).float()
    for k in range(1, 1 + LAYER_FEATURES):
        mean = torch.nn.functional.normalize((states[-1 - k] * mask).sum(1) / mask.sum(1), dim=-1).numpy()
        np.testing.assert_allclose(rows[:, k * encoder.dimension:(k + 1) * encoder.dimension], mean, atol=1e-5)
