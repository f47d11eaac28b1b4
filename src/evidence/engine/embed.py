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
from functools import cached_property
from pathlib import Path

import numpy as np

from evidence.config import cache_dir
from evidence.domain import Framework, Polarity
from evidence.engine.encoder import Encoder, embedding_model_id, load_encoder

logger = logging.getLogger(__name__)

INDEX_FORMAT = 3  # bump when what goes into the vectors changes, so old caches are not reused


class Embedder:
    """Encodes texts to unit-length float32 vectors with the packaged sentence encoder."""

    def __init__(self, model_path: str | None = None, *, batch_size: int | None = None, memo_size: int = 0) -> None:
        self.model_path = model_path
        self.batch_size = batch_size  # None: the encoder picks by input size
        self.model_id = embedding_model_id() if model_path is None else Path(model_path).name
        self.memo_size = memo_size  # >0 keeps that many recent vectors: retraining loops re-embed the same texts
        self._memo: dict[str, np.ndarray] = {}

    @property
    def model(self) -> Encoder:  # loaded on first use: listing frameworks or reading files needs no model
        return load_encoder(self.model_path)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text."""
        return self._rows(texts, layers=False)

    def encode_with_layers(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence vectors, the same rows followed by the encoder's layer features), from one pass
        (see :mod:`evidence.engine.encoder`; an encoder without layer features gives the sentence vectors twice)."""
        rows = self._rows(texts, layers=True)
        return rows[:, :self.dimension], rows

    def _rows(self, texts: list[str], *, layers: bool) -> np.ndarray:
        width = self.dimension * (1 + self.layer_features) if layers else self.dimension
        if not texts:
            return np.zeros((0, width), dtype=np.float32)
        if not self.memo_size:
            return self.model.encode(texts, batch_size=self.batch_size, layers=layers)
        # the memo keeps whole rows, so both kinds of call share it
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            rows = self.model.encode(missing, batch_size=self.batch_size, layers=True)
            self._memo.update(zip(missing, rows, strict=True))
        result = np.stack([self._memo[t] for t in texts])
        while len(self._memo) > self.memo_size:  # oldest first
            self._memo.pop(next(iter(self._memo)))
        return result[:, :width]

    @property
    def dimension(self) -> int:
        return self.model.dimension

    @property
    def vectors_id(self) -> str:
        """Names the vectors this embedder gives: the model, what runs it (see
        :data:`evidence.engine.encoder.RUNTIMES`) and the compiled file, which changes whenever they may."""
        return f"{self.model_id}/{self.model.runtime}/{self.model.compiled}"

    @property
    def layer_features(self) -> int:
        """How many layers' mean-pooled outputs follow the sentence vector in :meth:`encode_with_layers`."""
        return self.model.layer_features


def competency_text(name: str, description: str, *, words: int = 40) -> str:
    """What a competency's own vector is made of: its name and the start of its description
    (a taxonomy's whole description: a skill's alternative labels and definition, minus its URI)."""
    text = " ".join(w for w in description.split() if not w.startswith("http"))
    first = " ".join(text.split()[:words])
    return f"{name}: {first}" if first else name


def is_taxonomy(framework: Framework) -> bool:
    """A large label-like skills list (ESCO): no levels and about one indicator per competency."""
    n = len(framework.competencies)
    return not framework.levels and n > 0 and len(framework.indicators) <= 1.5 * n


@dataclass
class IndicatorIndex:
    """Vectors for a framework's indicators (rows aligned with ``framework.indicators``) and competencies."""

    framework: Framework
    indicator_vectors: np.ndarray
    competency_vectors: np.ndarray  # name and description
    name_vectors: np.ndarray  # name alone
    model_id: str

    PARTS = ("indicators", "competencies", "names")

    @cached_property
    def owner(self) -> np.ndarray:
        """Per indicator row, the index of its competency in ``framework.competencies``."""
        index = self.framework.competency_index
        return np.array([index[c.id] for c, _ in self.framework.indicators], dtype=int)

    @cached_property
    def positive(self) -> np.ndarray:
        """Per indicator row, True for a positive indicator, False for a 'not going well' one."""
        return np.array([ind.polarity is Polarity.positive for _, ind in self.framework.indicators], dtype=bool)

    @classmethod
    def build(cls, framework: Framework, embedder: Embedder, *, use_cache: bool = True) -> IndicatorIndex:
        words = 400 if is_taxonomy(framework) else 40
        texts = {
            "indicators": [ind.text for _, ind in framework.indicators],
            "competencies": [competency_text(c.name, c.description, words=words) for c in framework.competencies],
            "names": [c.name for c in framework.competencies],
        }
        # the runtime and compiled model too: int8 vectors differ a little from float32 ones, and from one compiled
        # model to the next; the units are embedded by the same one
        key = _cache_key(framework.id, embedder.vectors_id, *texts.values())
        folder = cache_dir()
        paths = {part: folder / f"{framework.id}-{key}.{part}.npy" for part in cls.PARTS}
        if use_cache and all(p.exists() for p in paths.values()):
            logger.info("indicator vectors for %s from cache", framework.id)
            return cls._from_parts(framework, {part: np.load(paths[part]) for part in cls.PARTS}, embedder.model_id)
        logger.info("embedding %d indicators and %d competencies of %s", len(texts["indicators"]),
                    len(texts["competencies"]), framework.id)
        arrays: dict[str, np.ndarray] = {}
        for part in cls.PARTS:  # one indicator per competency (label lists): the names are the indicators
            same = part == "names" and texts["names"] == texts["indicators"]
            arrays[part] = arrays["indicators"] if same else embedder.encode(texts[part])
        if use_cache:
            folder.mkdir(parents=True, exist_ok=True)
            for part, path in paths.items():
                tmp = path.with_suffix(".tmp.npy")
                np.save(tmp, arrays[part])
                tmp.replace(path)  # atomic: a half-written cache is never read
        return cls._from_parts(framework, arrays, embedder.model_id)

    @classmethod
    def _from_parts(cls, framework: Framework, arrays: dict[str, np.ndarray], model_id: str) -> IndicatorIndex:
        return cls(framework, arrays["indicators"], arrays["competencies"], arrays["names"], model_id)


def _cache_key(framework_id: str, model_id: str, *texts: list[str]) -> str:
    digest = hashlib.sha256(json.dumps([INDEX_FORMAT, framework_id, model_id, *texts]).encode("utf-8"))
    return digest.hexdigest()[:16]
