"""Sentence embeddings, and the framework's indicator vectors cached on disk.

:class:`Embedder` wraps the packaged sentence-transformers model (normalised float32 vectors).
:class:`IndicatorIndex` holds one vector per indicator and per competency (its name and
description), computed once per (framework content, model) and stored as an ``.npy`` pair under
``$EVIDENCE_HOME/cache``, so a 13,896-item framework reloads in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evidence.config import cache_dir
from evidence.models import embedding_model_id, load_encoder
from evidence.types import Framework

logger = logging.getLogger(__name__)

INDEX_FORMAT = 2  # bump when what goes into the vectors changes, so old caches are not reused


class Embedder:
    """Encodes texts to unit-length float32 vectors with the packaged sentence encoder."""

    def __init__(self, model_path: str | None = None, *, batch_size: int = 64, memo_size: int = 0) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.model_id = embedding_model_id() if model_path is None else Path(model_path).name
        self.memo_size = memo_size  # >0 keeps that many recent vectors: retraining loops re-embed the same texts
        self._memo: dict[str, np.ndarray] = {}

    @property
    def model(self):  # loaded on first use: listing frameworks or reading files needs no model
        return load_encoder(self.model_path)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.memo_size:
            missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
            if missing:
                self._memo.update(zip(missing, self._encode(missing), strict=True))
            result = np.stack([self._memo[t] for t in texts])
            while len(self._memo) > self.memo_size:  # oldest first
                self._memo.pop(next(iter(self._memo)))
            return result
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())


def competency_text(name: str, description: str) -> str:
    """What a competency's own vector is made of: its name and the first sentence or two of its description."""
    first = " ".join(description.split()[:40])
    return f"{name}: {first}" if first else name


@dataclass
class IndicatorIndex:
    """Vectors for a framework's indicators (rows aligned with ``framework.indicators``) and competencies."""

    framework: Framework
    indicator_vectors: np.ndarray
    competency_vectors: np.ndarray
    model_id: str

    @classmethod
    def build(cls, framework: Framework, embedder: Embedder, *, use_cache: bool = True) -> IndicatorIndex:
        indicator_texts = [ind.text for _, ind in framework.indicators]
        competency_texts = [competency_text(c.name, c.description) for c in framework.competencies]
        key = _cache_key(framework.id, embedder.model_id, indicator_texts, competency_texts)
        folder = cache_dir()
        paths = (folder / f"{framework.id}-{key}.indicators.npy", folder / f"{framework.id}-{key}.competencies.npy")
        if use_cache and all(p.exists() for p in paths):
            logger.info("indicator vectors for %s from cache %s", framework.id, paths[0].name)
            return cls(framework, np.load(paths[0]), np.load(paths[1]), embedder.model_id)
        logger.info("embedding %d indicators and %d competencies of %s", len(indicator_texts),
                    len(competency_texts), framework.id)
        indicators = embedder.encode(indicator_texts)
        competencies = embedder.encode(competency_texts)
        if use_cache:
            folder.mkdir(parents=True, exist_ok=True)
            for path, array in zip(paths, (indicators, competencies), strict=True):
                tmp = path.with_suffix(".tmp.npy")
                np.save(tmp, array)
                tmp.replace(path)  # atomic: a half-written cache is never read
        return cls(framework, indicators, competencies, embedder.model_id)


def _cache_key(framework_id: str, model_id: str, *texts: list[str]) -> str:
    digest = hashlib.sha256(json.dumps([INDEX_FORMAT, framework_id, model_id, *texts]).encode("utf-8"))
    return digest.hexdigest()[:16]
