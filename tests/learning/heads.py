"""A small trained head built without the encoder: random vectors, three competencies, two levels."""

from __future__ import annotations

import numpy as np

from evidence.domain import NONE_LABEL
from evidence.engine.levels import LevelExemplars
from evidence.learning.classifiers import EvidenceClassifier, LevelClassifier, LexicalClassifier
from evidence.learning.head import TrainedHead, TrainingSummary

DIM = 8
WORDS = {"budgeting": "balanced the budget and the invoices", "coaching": "coached and mentored a colleague",
         "safeguarding": "reported a safeguarding concern", NONE_LABEL: "I like the area"}


def small_head() -> TrainedHead:
    rng = np.random.default_rng(0)
    labels = [label for label in WORDS for _ in range(10)]
    texts = [f"{WORDS[label]} {i}" for i, label in enumerate(labels)]
    X = rng.normal(size=(len(labels), DIM + 4)).astype(np.float32)
    levels = ["1" if v > 0 else "2" for v in X[:, 0]]
    ids = ["budgeting", "coaching", "safeguarding"]
    return TrainedHead(
        framework_id="tiny", competency_ids=ids, classifier=EvidenceClassifier().fit(X, labels),
        level_classifier=LevelClassifier().fit(X[:, :DIM + 1], levels), level_ranks={"1": 0, "2": 1},
        lexical=LexicalClassifier().fit(texts, labels),
        level_exemplars=LevelExemplars(vectors=X[:6, :DIM], competencies=np.array([0, 1, 2, 0, 1, 2]),
                                       ranks=np.array([0, 1, 0, 1, 0, 1])),
        lexical_weight=0.7, level_blend=0.25, threshold=0.425, trust=0.3, calibration=(1.4, -0.2),
        summary=TrainingSummary(examples=40, corrections=30, indicator_examples=6, none_examples=10,
                                competencies=3, levelled_examples=12, seconds=0.5),
        layered=True)


def unit_inputs(n: int = 5) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, their vectors (units x DIM) and zero-shot probabilities (units x 3) for a head to score."""
    rng = np.random.default_rng(1)
    texts = [f"I {w}" for w in list(WORDS.values())[:n]] + [f"unit {i}" for i in range(max(0, n - len(WORDS)))]
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    zero = rng.uniform(size=(n, 3)).astype(np.float32)
    return texts[:n], vectors, zero
