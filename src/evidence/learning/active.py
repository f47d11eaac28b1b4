"""Active learning: the order in which a reviewer's labels would teach the model most."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from evidence.domain import NONE_LABEL, Correction, DecisionKind
from evidence.engine.cues import read_cues
from evidence.learning.settings import DEFAULTS, TrainingSettings

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer, UnitPredictions


def review_priority(analyzer: Analyzer, texts: Sequence[str], *, labelled_counts: dict[str, int] | None = None,
                    labelled_texts: Sequence[str] = (), zero_shot: Analyzer | None = None,
                    settings: TrainingSettings = DEFAULTS) -> np.ndarray:
    """How much a reviewer's label on each unit would teach the model (higher first).

    Each unit's informativeness sums four signals, each in [0, 1]: uncertainty (the top
    suggestion's probability near the abstention threshold, and a small margin over the runner-up),
    disagreement between the zero-shot and the trained model's top competency, level doubt (see
    :func:`level_doubt`: a reviewer's label carries a level too) and rarity (few labelled examples of
    the predicted competency, or of no-evidence, so far).

    The order is then built greedily, like a reviewer's batch should be: each next unit is the most
    informative one, less a cost for being a near-duplicate of a unit already placed or labelled
    (``labelled_texts``), and each placement counts towards its predicted label's rarity. Without
    that, the top of the queue is a cluster of near-identical uncertain units, mostly no-evidence
    ones, and a batch of 25 corrections teaches little more than five would. Only near-duplicates
    pay: penalising all closeness would favour outliers, which teach little about typical writing.

    ``labelled_counts``: labelled units per competency id (``NONE`` for no-evidence). ``zero_shot``:
    a zero-shot analyzer to compare with (default: ``analyzer`` without its head). Returns one
    score per text: higher means review sooner.
    """
    if not len(texts):
        return np.zeros(0)
    cues = [read_cues(t) for t in texts]
    current = analyzer.predict_units(list(texts), cues)
    probs = current.probabilities
    rows = np.arange(len(texts))
    order = np.argsort(-probs, axis=1)
    top = probs[rows, order[:, 0]]
    second = probs[rows, order[:, 1]] if probs.shape[1] > 1 else np.zeros(len(texts))
    spread = max(analyzer.threshold, 1.0 - analyzer.threshold)
    uncertainty = 0.5 * (1.0 - np.abs(top - analyzer.threshold) / spread) + 0.5 * (1.0 - np.clip(top - second, 0, 1))
    disagreement = np.zeros(len(texts))
    if analyzer.head is not None:
        base = zero_shot or analyzer.with_head(None, "zero-shot")
        base_top = base.predict_units(list(texts), cues).probabilities.argmax(axis=1)
        disagreement = (base_top != order[:, 0]).astype(float)
    # the predicted label of each unit: a competency's column, or the last bucket for no-evidence
    ids = [c.id for c in analyzer.framework.competencies]
    predicted = np.where(top < analyzer.threshold, len(ids), order[:, 0])
    informativeness = uncertainty + disagreement + level_doubt(analyzer, current, texts, predicted)
    counts = np.array([float((labelled_counts or {}).get(key, 0)) for key in [*ids, NONE_LABEL]])
    vectors = current.vectors
    closeness = np.zeros(len(texts))
    if len(labelled_texts):
        closeness = np.clip(vectors @ analyzer.embedder.encode(list(labelled_texts)).T, 0, 1).max(axis=1)

    priority = np.empty(len(texts))
    placed = np.zeros(len(texts), dtype=bool)
    steps = min(len(texts), settings.greedy_limit)
    for step in range(steps):
        redundancy = np.clip((closeness - settings.redundant_from) / (1.0 - settings.redundant_from), 0, 1)
        gain = informativeness + 1.0 / (1.0 + counts[predicted]) - settings.redundancy_cost * redundancy
        gain[placed] = -np.inf
        chosen = int(np.argmax(gain))
        placed[chosen] = True
        priority[chosen] = 2.0 * len(texts) - step  # every greedily placed unit outranks the rest
        counts[predicted[chosen]] += 1
        closeness = np.maximum(closeness, np.clip(vectors @ vectors[chosen], 0, 1))
    rest = np.flatnonzero(~placed)
    priority[rest] = informativeness[rest]  # at most 3: below every placed unit
    return priority


def level_doubt(analyzer: Analyzer, predictions: UnitPredictions, texts: Sequence[str],
                predicted: np.ndarray) -> np.ndarray:
    """0..1 per unit: how unsure the level of its predicted competency is (0 for predicted no-evidence).

    The nearest-indicator vote (with the head's levelled units voting too) lying halfway between two
    levels, and, once a head is trained, the learned level disagreeing with it (by a scale step or more:
    fully)."""
    doubt = np.zeros(len(texts))
    if not analyzer.levels.has_levels:
        return doubt
    for row in np.flatnonzero(predicted < len(analyzer.framework.competencies)):
        unit = int(row)
        estimate = analyzer.nearest_level(predictions, unit, int(predicted[unit]), texts[unit])
        if estimate is None:
            continue
        between = 1.0 - 2.0 * abs(estimate.rank - round(estimate.rank))
        learned = None if analyzer.head is None else analyzer.head.level_rank(predictions.vectors[unit], texts[unit])
        doubt[unit] = between if learned is None else 0.5 * between + 0.5 * min(1.0, abs(learned - estimate.rank))
    return doubt


LABELLED_TEXTS_LIMIT = 500  # recent decided texts active learning compares a candidate with


def labelled_counts(corrections: Sequence[Correction]) -> dict[str, int]:
    """How many current decisions label each competency, or no evidence (``NONE``): the rarity signal of
    :func:`review_priority`. Rejections say only what a unit is not, so they count for nothing."""
    counts: dict[str, int] = {}
    for c in corrections:
        if c.decision is not DecisionKind.rejected:
            key = c.competency or NONE_LABEL
            counts[key] = counts.get(key, 0) + 1
    return counts


def labelled_texts(corrections: Sequence[Correction], *, limit: int = LABELLED_TEXTS_LIMIT) -> list[str]:
    """The most recently decided unit texts (at most ``limit``): :func:`review_priority` looks past units like them."""
    return list(dict.fromkeys(c.text for c in reversed(corrections)))[:limit]
