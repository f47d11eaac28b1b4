"""Compiling the sentence encoder for ONNX Runtime: export to ONNX, quantize to int8, check against fp32.

The export is the same computation as the TorchScript trace (transformer, mean pooling of the last
layer and of the layers below it, unit length; see :mod:`evidence.engine.encoder`). The int8 model
quantizes the weights of the matrix products, per output channel, with activations quantized on the
fly (ONNX Runtime's dynamic quantization); the embedding tables and each layer's feed-forward output
product stay float32. Measured on 298 units of the sample statements against the fp32 vectors (mean
and worst cosine): per-tensor weight scales 0.958 / 0.849; per channel 0.992 / 0.985; per channel
with the feed-forward output kept in float32 (its input, after GELU, has the widest range) 0.996 / 0.990,
at about the same speed.

Dynamic quantization scales activations per tensor, so a batch's rows would change each other's
vectors: :func:`run_session` runs each text on its own, which is also what keeps a text's vector the
same alone or in any batch.

Every compiled model is checked before it is used: its vectors for :data:`PROBES` must stay within
:data:`MIN_COSINE` of the original's. A model that fails is not saved, and the caller falls back to a
more exact runtime.

Only building needs torch and the ``onnx`` package; running a compiled model needs neither.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch
    from onnxruntime import InferenceSession

logger = logging.getLogger(__name__)

# Sentences of the kinds the engine embeds: evidence, indicators, headings, a fragment, a long unit.
PROBES = (
    "I set up a weekly drop-in for carers and ran it for two years.",
    "When two GP practices disagreed about referrals, I met both practice managers and agreed one shared form, "
    "which cut waiting times by a third.",
    "Builds trusting relationships with people from a wide range of backgrounds.",
    "Manages a budget and reports variances to the finance team each month.",
    "Working across teams",
    "I am not yet confident analysing the figures.",
    "x",
    "Leads the design of complex information systems, setting standards and reviewing the work of others, "
    "and advises senior stakeholders on the risks and benefits of options. " * 4,
)
# The worst cosine a compiled model may have to the fp32 sentence vector on any probe (sentence vector and
# each layer feature). Per-channel int8 reached 0.985 at worst over 298 sample units, per-tensor 0.849.
MIN_COSINE = {"onnx": 0.9999, "onnx-int8": 0.97}


Tokenize = Callable[[list[str]], tuple[np.ndarray, np.ndarray]]  # texts -> padded (ids, mask), int64


class CompileError(RuntimeError):
    """The encoder could not be compiled, or the compiled model's vectors strayed from the original's."""


def compile_encoder(pooled: torch.nn.Module, tokenize: Tokenize, expected: np.ndarray, path: Path, *, runtime: str,
                    dimension: int) -> None:
    """Export ``pooled`` (ids, mask -> pooled rows) to ``path`` as an ONNX model for ``runtime``.

    ``tokenize(texts)`` gives (ids, mask) int64 arrays; ``expected`` is the fp32 rows for :data:`PROBES`, made of
    unit-length blocks of ``dimension`` columns (the sentence vector, then each layer feature).
    The file appears only once its vectors have passed the check (written under a temporary name, then
    renamed: a half-written model is never loaded).
    """
    import torch

    if runtime not in MIN_COSINE:
        raise ValueError(f"runtime must be one of {sorted(MIN_COSINE)}, got {runtime!r}")
    ids, mask = tokenize(list(PROBES[:2]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        fp32 = Path(work) / "fp32.onnx"
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on constant branches in the masking code
            torch.onnx.export(pooled, (torch.from_numpy(ids), torch.from_numpy(mask)), str(fp32),
                              input_names=["input_ids", "attention_mask"], output_names=["rows"],
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                            "attention_mask": {0: "batch", 1: "tokens"}, "rows": {0: "batch"}},
                              opset_version=17, dynamo=False)
        built = fp32
        if runtime == "onnx-int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            built = Path(work) / "int8.onnx"
            # the quantizer logs advice through the root logger (which then prints it on stderr by itself)
            logging.disable(logging.WARNING)
            try:
                quantize_dynamic(fp32, built, weight_type=QuantType.QInt8, per_channel=True,
                                 op_types_to_quantize=["MatMul"], nodes_to_exclude=_feed_forward_outputs(fp32),
                                 extra_options={"MatMulConstBOnly": True})
            finally:
                logging.disable(logging.NOTSET)
        got = run_session(open_session(built), *tokenize(list(PROBES)))
        worst = worst_cosine(got, expected, dimension=dimension)
        if worst < MIN_COSINE[runtime]:
            raise CompileError(f"the {runtime} encoder's vectors differ from the original's (worst cosine "
                               f"{worst:.4f}, at least {MIN_COSINE[runtime]} needed)")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        built.replace(tmp)
        tmp.replace(path)
    logger.info("compiled the sentence encoder for %s to %s (worst cosine to fp32 %.4f)", runtime, path, worst)


def _feed_forward_outputs(model: Path) -> list[str]:
    """The names of each layer's feed-forward output product (BERT's ``layer.N/output/dense``)."""
    import onnx

    graph = onnx.load(str(model), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and n.name.endswith("/output/dense/MatMul")
            and "/attention/" not in n.name]


def worst_cosine(got: np.ndarray, expected: np.ndarray, *, dimension: int = 0) -> float:
    """The lowest cosine between matching unit-length blocks of ``dimension`` columns (0: whole rows)."""
    width = dimension or expected.shape[1]
    blocks = range(0, min(got.shape[1], expected.shape[1]), width)
    return float(min((got[:, b:b + width] * expected[:, b:b + width]).sum(1).min() for b in blocks))


def open_session(path: Path) -> InferenceSession:
    """An ONNX Runtime session on the CPU with every graph optimisation on, on one thread: texts run side by side
    in threads of their own (:func:`run_session`), which kept two cores busier than one text on two threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only: the optimiser's notes are not the user's business
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_session(session: InferenceSession, ids: np.ndarray, mask: np.ndarray, *,
                pool: ThreadPoolExecutor | None = None) -> np.ndarray:
    """The pooled rows for a padded batch of token ids, each row run on its own and without its padding (see the
    module docstring), on ``pool``'s threads when given (ONNX Runtime releases the GIL while it runs)."""
    def one(row: int) -> np.ndarray:
        n = int(mask[row].sum())
        return session.run(None, {"input_ids": ids[row:row + 1, :n], "attention_mask": mask[row:row + 1, :n]})[0]

    rows = pool.map(one, range(len(ids))) if pool is not None else map(one, range(len(ids)))
    return np.concatenate(list(rows)) if len(ids) else np.zeros((0, 0), dtype=np.float32)
