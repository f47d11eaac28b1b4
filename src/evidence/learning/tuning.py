"""Choosing a head's calibration, abstention threshold and level blend from held-out predictions, and
splitting labelled units into training and held-out parts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from evidence.domain import NONE_LABEL
from evidence.engine.cues import read_cues
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Predictions, score_predictions
from evidence.learning.calibration import NO_CALIBRATION, calibrate, fit_calibration
from evidence.learning.fit import (
    fit_head,
    fit_level_classifier,
    framework_examples,
    level_exemplars,
)
from evidence.learning.head import TrainedHead, expected_rank
from evidence.learning.settings import DEFAULTS, TrainingSettings

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer


def split_holdout(units: Sequence[LabelledUnit], fraction: float, *, seed: int = 0
                  ) -> tuple[list[LabelledUnit], list[LabelledUnit]]:
    """A seeded split stratified by first label (NONE included), keeping at least one unit per label in training."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"holdout fraction must lie in (0, 1), got {fraction}")
    by_label: dict[str, list[LabelledUnit]] = {}
    for unit in units:
        by_label.setdefault(unit.competencies[0] if unit.competencies else NONE_LABEL, []).append(unit)
    rng = random.Random(seed)
    train, held = [], []
    for label in sorted(by_label):
        group = by_label[label][:]
        rng.shuffle(group)
        n_held = int(round(len(group) * fraction)) if len(group) > 1 else 0
        held += group[:n_held]
        train += group[n_held:]
    return train, held


def tune_on_folds(head: TrainedHead, analyzer: Analyzer, units: Sequence[LabelledUnit], *, folds: int = 2,
                  seed: int = 0, settings: TrainingSettings = DEFAULTS) -> TrainedHead:
    """Set the head's calibration, abstention threshold and level blend from out-of-fold predictions on
    ``units`` (a head scores its own training units too confidently).

    The calibration is :func:`fit_calibration`'s. The threshold, on calibrated probabilities, maximises
    end-to-end accuracy among those whose abstentions are at least 85% right. With a fine-tuned encoder
    the folds share it, so the threshold is somewhat optimistic. The level blend is chosen by
    :func:`choose_level_blend`. Fold heads are fitted like ``head`` (same encoder and lexical weight)."""
    units = list(units)
    head.calibration = NO_CALIBRATION  # with too few units for folds, the head scores itself: uncalibrated
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    parts = [order[k::folds] for k in range(folds)] if len(units) >= 10 * folds else [order]
    probabilities = np.zeros((len(units), len(analyzer.framework.competencies)), dtype=np.float32)
    for part in parts:
        in_part = set(part)
        rest = [u for i, u in enumerate(units) if i not in in_part]
        fold_head = fit_head(analyzer, rest, encoder=head.competency_encoder(), lexical_weight=head.lexical_weight,
                             base=head.base) if len(parts) > 1 else head
        texts = [units[i].text for i in part]
        predictions = analyzer.with_head(fold_head, "fold").predict_units(texts, [read_cues(t) for t in texts])
        probabilities[part] = predictions.probabilities

    head.calibration = fit_calibration(probabilities, units, [c.id for c in analyzer.framework.competencies],
                                       min_units=settings.calibration_min_units)
    probabilities = calibrate(probabilities, head.calibration)
    top = probabilities.max(axis=1)
    best, best_value = head.threshold, (-1, -1.0)
    for threshold in np.arange(0.1, 0.9, 0.025):
        at_threshold = Predictions(probabilities, top < threshold, [{} for _ in units], [set() for _ in units])
        metrics = score_predictions(analyzer.framework, units, at_threshold)
        # a unit's abstention should be trusted: prefer thresholds whose abstentions are mostly right
        precise = int((metrics.abstention_precision or 0.0) >= settings.min_abstention_precision)
        value = (precise, metrics.unit_accuracy or 0.0)
        if value > best_value:
            best, best_value = float(round(threshold, 3)), value
    head.threshold = best
    if head.level_classifier is not None:
        head.level_blend = choose_level_blend(analyzer, units, seed=seed, default=head.level_blend,
                                              settings=settings)
    return head


def choose_level_blend(analyzer: Analyzer, units: Sequence[LabelledUnit], *, folds: int = 5, seed: int = 0,
                       default: float = 0.5, settings: TrainingSettings = DEFAULTS) -> float:
    """The learned level's weight against the nearest-indicator estimate that maximises exact level
    accuracy, by ``folds``-fold cross-validation of the level classifier alone over the levelled units
    (in each fold the other folds' units vote beside the indicators, as a head's exemplars do).

    A few hundred levelled corrections outweigh the framework's own indicators, a few dozen do not.
    Only the cheap level classifier is refitted per fold, so there can be enough folds for each to
    train on most of the units: with two folds, each saw half of them, its levels were weaker than the
    final classifier's, and the blend leaned on zero-shot more than held-out data showed it should.
    Ties go to the higher blend. Below ``settings.level_blend_min_units`` levelled units the blend is 0
    (the nearest-indicator level alone)."""
    levelled = [u for u in units if u.levels]
    if len(levelled) < max(settings.level_blend_min_units, 2 * folds):
        return 0.0
    fw = analyzer.framework
    framework_texts, _, framework_levels = framework_examples(fw)
    ind_texts = [t for t, level in zip(framework_texts, framework_levels, strict=True) if level]
    ind_levels = [level for level in framework_levels if level]
    ind_vectors = analyzer.embedder.encode(ind_texts) if ind_texts else np.zeros((0, 0))
    texts = [u.text for u in levelled]
    predictions = analyzer.predict_units(texts, [read_cues(t) for t in texts])
    comp_index = {c.id: i for i, c in enumerate(fw.competencies)}
    level_ranks = {lv.id: i for i, lv in enumerate(fw.levels)}
    order = list(range(len(levelled)))
    random.Random(seed).shuffle(order)
    cases: list[tuple[float, float, int]] = []  # (zero-shot rank, learned rank, gold rank)
    for k in range(folds):
        held = set(order[k::folds])
        train = [i for i in range(len(levelled)) if i not in held]
        classifier = fit_level_classifier(ind_vectors, ind_texts, ind_levels, [levelled[i] for i in train],
                                          predictions.vectors[train], indicator_weight=settings.indicator_weight,
                                          C=settings.level_c)
        if classifier is None:
            return default
        exemplars = level_exemplars(fw, [levelled[i] for i in train], predictions.vectors[train])
        for row in held:
            unit = levelled[row]
            learned = expected_rank(classifier, level_ranks, predictions.vectors[row], unit.text)
            for competency, level in unit.levels.items():
                estimate = analyzer.levels.estimate(
                    comp_index[competency], predictions.scores.similarities[row], float(predictions.seniority[row]),
                    unit.text, extra_votes=exemplars.votes(comp_index[competency], predictions.vectors[row]))
                if estimate is not None:
                    cases.append((estimate.rank, learned, level_ranks[level]))
    if not cases:
        return default

    def exact(blend: float) -> float:
        return float(np.mean([analyzer.levels.snap(blend * learned + (1 - blend) * zero) == gold
                              for zero, learned, gold in cases]))

    return max(settings.level_blends, key=lambda b: (round(exact(b), 6), b))
