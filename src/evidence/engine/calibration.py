"""From a suggestion's raw score, margin and cues to the probability that it is right, and the two
framework-independent unit detectors (evidence or not; counter-evidence or not)."""


from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from evidence.domain import Actor, Cues

logger = logging.getLogger(__name__)

CALIBRATION_FEATURES = ("raw", "margin", "evidence", "weight", "hypothetical", "negated", "others", "specificity")


@dataclass
class Calibrator:
    """Logistic map from a suggestion's features to the probability that it is right."""

    coef: list[float] = field(default_factory=lambda: [8.0, 12.0, 3.0, 1.0, -0.8, -1.0, -1.0, 0.3])
    intercept: float = -8.5
    threshold: float = 0.5  # suggestions below it are not shown; a unit with none abstains

    def __post_init__(self) -> None:
        if len(self.coef) != len(CALIBRATION_FEATURES):
            raise ValueError(f"calibrator needs {len(CALIBRATION_FEATURES)} coefficients "
                             f"({', '.join(CALIBRATION_FEATURES)}), got {len(self.coef)}")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must lie in (0, 1), got {self.threshold}")

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ np.asarray(self.coef) + self.intercept)))

    def probability_matrix(self, raw: np.ndarray, evidence: np.ndarray, cues: list[Cues]) -> np.ndarray:
        """units x competencies probabilities, without building the full feature tensor (large frameworks)."""
        margin = raw - _best_other(raw)
        per_unit = _unit_matrix(evidence, cues) @ np.asarray(self.coef[2:], dtype=np.float32) + self.intercept
        logits = self.coef[0] * raw + self.coef[1] * margin + per_unit[:, None]
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)


def _best_other(raw: np.ndarray) -> np.ndarray:
    """For each (unit, competency), the best raw score among the unit's other competencies."""
    if raw.shape[1] < 2:
        return np.zeros_like(raw)
    top2 = -np.partition(-raw, 1, axis=1)[:, :2]
    first, second = top2.max(axis=1, keepdims=True), top2.min(axis=1, keepdims=True)
    return np.where(raw >= first, second, first)


def _unit_matrix(evidence: np.ndarray, cues: list[Cues]) -> np.ndarray:
    """Per-unit calibration features: the evidence detector's probability and the cues."""
    rows = [[e, c.weight, c.hypothetical, c.negated, c.actor is Actor.others, c.specificity]
            for e, c in zip(evidence, cues, strict=True)]
    return np.array(rows, dtype=np.float32).reshape(len(cues), 6)


def calibration_features(raw: np.ndarray, evidence: np.ndarray, cues: list[Cues]) -> np.ndarray:
    """Features for every (unit, competency): raw score, margin over the best other competency, cues.

    Returns an array of shape (units, competencies, features); used to fit the calibrator.
    """
    n_units, n_comp = raw.shape
    features = np.empty((n_units, n_comp, len(CALIBRATION_FEATURES)), dtype=np.float32)
    features[..., 0] = raw
    features[..., 1] = raw - _best_other(raw)
    features[..., 2:] = _unit_matrix(evidence, cues)[:, None, :]
    return features


class ProbabilisticClassifier(Protocol):
    """What a detector needs of its fitted model (a scikit-learn classifier): class probabilities."""

    def predict_proba(self, features: np.ndarray) -> np.ndarray: ...


class UnitDetector:
    """A framework-independent yes/no question about a unit, answered from [embedding, cues].

    Two are shipped (fitted by `bench/tune_zero_shot.py` on every seed framework's development gold):
    ``models/evidence-detector.joblib`` (does the unit evidence anything, vs motivation, biography or
    bare claims?) and ``models/counter-detector.joblib`` (does it describe a 'not going well'
    behaviour?). A missing file answers ``default`` for every unit.
    """

    def __init__(self, model: ProbabilisticClassifier | None = None, *, default: float = 1.0) -> None:
        self.model = model
        self.default = default

    @classmethod
    def load(cls, path: Path, *, default: float) -> UnitDetector:
        if not path.exists():
            logger.warning("no detector at %s: every unit gets %.1f", path, default)
            return cls(None, default=default)
        import joblib

        return cls(joblib.load(path), default=default)

    @staticmethod
    def features(vectors: np.ndarray, cues: list[Cues]) -> np.ndarray:
        return np.hstack([vectors, _unit_matrix(np.zeros(len(cues)), cues)[:, 1:]])

    def probability(self, vectors: np.ndarray, cues: list[Cues]) -> np.ndarray:
        if self.model is None or not len(vectors):
            return np.full(len(vectors), self.default, dtype=np.float32)
        return self.model.predict_proba(self.features(vectors, cues))[:, 1].astype(np.float32)
