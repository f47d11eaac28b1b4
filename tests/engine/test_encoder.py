"""The compiled sentence encoder: int8 by default, the same vectors as sentence-transformers in float32,
layer features, fallback from one runtime to the next, and no torch on the analysis path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

TEXTS = ["I set up a weekly drop-in.", "x", "When two GP practices disagreed about referrals, I met both "
         "practice managers and agreed one shared form, which cut waiting times by a third. " * 3]


@pytest.fixture()
def runtime(encoder_runtime):
    return encoder_runtime


def _sentence_transformers(texts: list[str]) -> np.ndarray:
    from evidence.engine.encoder import embedding_model_path, load_sentence_transformer

    return load_sentence_transformer(str(embedding_model_path())).encode(texts, normalize_embeddings=True)


@pytest.mark.slow
def test_the_default_encoder_is_int8_and_close_to_sentence_transformers(clw_analyzer) -> None:
    from evidence.engine.encoder import SentenceEncoder, load_encoder
    from evidence.engine.quantize import MIN_COSINE, PROBES

    encoder = load_encoder()
    assert isinstance(encoder, SentenceEncoder) and encoder.runtime == "onnx-int8"
    assert list((Path(os.environ["EVIDENCE_HOME"]) / "cache" / "encoders").glob("*.onnx-int8.onnx"))
    texts = [*TEXTS, *PROBES]
    cosines = (encoder.encode(texts) * _sentence_transformers(texts)).sum(1)
    assert cosines.min() >= MIN_COSINE["onnx-int8"] and cosines.mean() >= 0.99


@pytest.mark.slow
def test_a_texts_int8_vector_is_the_same_alone_and_in_any_batch(clw_analyzer) -> None:
    """Dynamic quantization scales activations per tensor: batched, a row's neighbours changed its vector (a
    suggestion scored 0.336 alone and 0.313 among five statements), so each text runs on its own."""
    from evidence.engine.encoder import load_encoder

    encoder = load_encoder()
    alone = np.concatenate([encoder.encode([t], layers=True) for t in TEXTS])
    for batch_size in (2, 3, 8):
        assert np.array_equal(encoder.encode(TEXTS, batch_size=batch_size, layers=True), alone)
    assert np.array_equal(encoder.encode([*TEXTS, "Another, longer neighbour sentence. " * 9])[:len(TEXTS)],
                          alone[:, :encoder.dimension])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["onnx", "torch"])
def test_the_float32_runtimes_give_sentence_transformers_vectors(clw_analyzer, runtime, name: str) -> None:
    from evidence.engine.encoder import load_encoder

    runtime(name)
    encoder = load_encoder()
    assert encoder.runtime == name
    for batch_size in (1, 2, 8):
        np.testing.assert_allclose(encoder.encode(TEXTS, batch_size=batch_size), _sentence_transformers(TEXTS),
                                   atol=1e-5)


@pytest.mark.slow
def test_an_encoder_that_cannot_be_compiled_falls_back_to_the_next_runtime(clw_analyzer, runtime, monkeypatch,
                                                                           tmp_path: Path) -> None:
    from evidence.engine import encoder as models
    from evidence.engine import quantize

    def strays(*args, **kwargs) -> None:
        raise quantize.CompileError("the int8 encoder's vectors differ from the original's")

    monkeypatch.setattr(quantize, "compile_encoder", strays)
    monkeypatch.setattr(models, "_compiled_path", lambda folder, name: tmp_path / f"none.{name}")
    runtime("onnx-int8")
    assert models.load_encoder().runtime == "torch"  # int8 and float32 ONNX both failed; the trace is built

    def cannot_trace(folder: Path, path: Path) -> None:
        raise RuntimeError("tracing is not supported here")

    monkeypatch.setattr(models, "_build_trace", cannot_trace)
    monkeypatch.setattr(models, "_compiled_path", lambda folder, name: tmp_path / "untraced" / f"none.{name}")
    runtime("torch")
    untraced = models.load_encoder()
    assert untraced.runtime == "torch-eager"
    np.testing.assert_allclose(untraced.encode(TEXTS, layers=True)[:, :untraced.dimension],
                               _sentence_transformers(TEXTS), atol=1e-5)


def test_an_unknown_runtime_is_refused_with_the_choices(runtime) -> None:
    from evidence.engine.encoder import load_encoder
    from evidence.errors import ModelMissingError

    runtime("tensorrt")
    with pytest.raises(ModelMissingError, match="onnx-int8, onnx, torch"):
        load_encoder()


def test_a_thread_count_that_is_not_a_number_is_refused(runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence.engine.encoder import load_encoder
    from evidence.errors import ModelMissingError

    runtime("onnx-int8")
    monkeypatch.setenv("EVIDENCE_ENCODER_THREADS", "two")
    with pytest.raises(ModelMissingError, match="whole number of at least 1"):
        load_encoder()


@pytest.mark.slow
def test_analysing_a_statement_imports_no_torch(clw_analyzer, tmp_path: Path) -> None:
    """Once the encoder is compiled (the fixture did it), the analysis path runs without torch: its import was
    1.2 s of a cold one-statement run."""
    script = ("import sys\n"
              "from evidence.domain import Document\n"
              "from evidence.frameworks.catalogue import get_framework\n"
              "from evidence.services.analyzers import load_analyzer\n"
              "result = load_analyzer(get_framework('community-link-worker')).analyse_document(\n"
              "    Document(id='a', text='I set up a weekly drop-in for carers and ran it for two years.'))\n"
              "assert result.units, 'no units'\n"
              "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
def test_layer_features_are_the_unit_length_means_of_the_layers_below_the_last(clw_analyzer, runtime) -> None:
    import torch

    from evidence.engine.encoder import (
        LAYER_FEATURES,
        embedding_model_path,
        load_encoder,
        load_sentence_transformer,
    )

    texts = ["I set up a weekly drop-in.", "When two GP practices disagreed about referrals, I met both managers."]
    runtime("onnx")  # float32: the exact computation (int8 is checked against it at compile time)
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
