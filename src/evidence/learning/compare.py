"""Comparing a candidate head with the model in use on the same units, and deciding whether it is credibly better.

With enough labelled units a held-out split decides; with fewer, a 20% split holds a handful of units and
decides nothing, so the comparison is by k-fold cross-validation over all of them: each fold's candidate is
trained on the other folds, and the model in use predicts the same held-out units. Either way the result says
which comparison it was, on how many units, the paired top-1 difference and its 95% interval (a paired
bootstrap over the units, scipy's ``bootstrap``), and the candidate is called better only when the gain is
credible (:meth:`Comparison.better`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

from evidence.domain import NONE_LABEL, Framework
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Metrics, Predictions, score_predictions, selection_score
from evidence.evaluation.predict import predict_labelled
from evidence.learning.calibration import NO_CALIBRATION
from evidence.learning.head import TrainedHead

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer

logger = logging.getLogger(__name__)

# A 20% split of n labelled units holds n/5 of them, and the 95% interval of a paired top-1 difference on m
# units is about +/-1.96*sqrt(q/m) points, q being the share of units on which one model's top suggestion is
# right and the other's wrong. With q = 0.14, measured between zero-shot and heads trained on 16-25 corrections
# (bench/first_corrections.py, bench/results/first_corrections.md), that is +/-23 points on the 10 units held
# out of 50, +/-10 on 50 and +/-7 on 100. Below 50 held-out units (250 labelled) cross-validation over all the
# units is used instead: on 100 units its interval is +/-7 points against +/-16 for the 20-unit split (on
# 16-25 corrections the bench's 5-fold intervals averaged +/-12).
HOLDOUT_MIN_UNITS = 50
CV_FOLDS = 5  # each fold's candidate trains on 80% of the units, as the final one trains on all of them
CONFIDENCE = 0.95
# units with a gold competency below which no gain counts as credible, whatever its interval: a bootstrap
# interval on fewer is too narrow (it cannot resample what was never seen)
MIN_COMPARED_UNITS = 10
BOOTSTRAP_RESAMPLES = 2000


class Method(str, Enum):
    """How the candidate and the model in use were compared."""

    holdout = "held-out split"  # a seeded split of the labelled units, the candidate trained on the rest
    holdout_file = "held-out file"  # units the user gave for the purpose (`evidence train --holdout`)
    cross_validation = "cross-validation"  # k folds over all the units, each fold's candidate on the others


@dataclass(frozen=True)
class Comparison:
    """A candidate head and the model in use, measured on the same units.

    ``units``: the labelled units compared on; ``top1_units``: those with a gold competency, on which top-1
    and its difference are counted. ``difference``: the candidate's top-1 minus the model in use's, paired
    unit by unit; ``interval``: its 95% paired-bootstrap interval (None where nothing was counted)."""

    new_metrics: Metrics
    current_metrics: Metrics
    current_version: str
    method: Method = Method.holdout
    units: int = 0
    folds: int = 1
    top1_units: int = 0
    difference: float | None = None
    interval: tuple[float, float] | None = None

    @property
    def credible(self) -> bool:
        """Whether the top-1 gain is credible: counted on at least :data:`MIN_COMPARED_UNITS` units, with
        the lower end of its 95% interval above zero."""
        return (self.top1_units >= MIN_COMPARED_UNITS and self.interval is not None and self.interval[0] > 0)

    @property
    def better(self) -> bool:
        """The candidate may replace the model in use without a person forcing it: its top-1 gain is
        credible, and it is not worse end to end (the top suggestion right, or rightly none), so a head that
        ranks better but falls silent on real evidence is not promoted on its top-1 alone."""
        new, current = self.new_metrics.unit_accuracy, self.current_metrics.unit_accuracy
        return self.credible and (new is None or current is None or new >= current)

    @property
    def method_text(self) -> str:
        """The comparison in a few plain words: '5-fold cross-validation', 'a held-out split'..."""
        if self.method is Method.cross_validation:
            return f"{self.folds}-fold cross-validation"
        return "a held-out file" if self.method is Method.holdout_file else "a held-out split"

    def summary(self) -> str:
        """One plain sentence for a person deciding whether to promote (the CLI and the Review page)."""
        checked = f"checked by {self.method_text} on {self.units} labelled units"
        new, current = self.new_metrics.top1, self.current_metrics.top1
        if new is None or current is None or self.difference is None or self.interval is None:
            return f"{checked}, none of them evidence of a competency: nothing to compare top suggestions on"
        low, high = self.interval
        return (f"{checked}: top suggestion right {new:.0%} vs {current:.0%} in use, difference "
                f"{_points(self.difference)} points, 95% interval {_points(low)} to {_points(high)} "
                f"(on {self.top1_units} units with a competency)")

    def as_dict(self) -> dict[str, object]:
        """The comparison's own figures (JSON-ready; the metrics are kept beside it, not in it)."""
        return {"method": self.method.value, "folds": self.folds, "units": self.units,
                "top1_units": self.top1_units, "top1_difference": self.difference,
                "interval": list(self.interval) if self.interval is not None else None,
                "confidence": CONFIDENCE, "credible": self.credible, "better": self.better,
                "current_version": self.current_version}


def _points(share: float) -> str:
    return f"{round(share * 100):+d}"


def top1_hits(framework: Framework, units: Sequence[LabelledUnit], predictions: Predictions) -> np.ndarray:
    """Per unit with a gold competency (in order), whether the top-ranked competency is one of them."""
    ids = [c.id for c in framework.competencies]
    top = np.argmax(predictions.probabilities, axis=1) if len(units) else np.zeros(0, dtype=int)
    return np.array([ids[int(top[i])] in u.competencies for i, u in enumerate(units) if u.is_evidence], dtype=bool)


def paired_interval(differences: np.ndarray, *, seed: int = 0) -> tuple[float, float]:
    """The :data:`CONFIDENCE` percentile-bootstrap interval of the mean of paired per-unit differences."""
    if len(differences) < 2 or np.all(differences == differences[0]):
        value = float(differences.mean()) if len(differences) else 0.0
        return value, value  # nothing varies to resample: the interval is the value itself
    from scipy.stats import bootstrap  # imported here: comparing is the only use, and scipy's import is slow

    result = bootstrap((differences.astype(float),), np.mean, confidence_level=CONFIDENCE,
                       n_resamples=BOOTSTRAP_RESAMPLES, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def folds_for(units: Sequence[LabelledUnit], folds: int, *, seed: int = 0) -> list[list[int]]:
    """Up to ``folds`` seeded folds of unit indices, stratified by first label (NONE included): each label's
    units are dealt round the folds in turn, so every fold sees most competencies in training."""
    by_label: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        by_label.setdefault(unit.competencies[0] if unit.competencies else NONE_LABEL, []).append(i)
    rng = random.Random(seed)
    parts: list[list[int]] = [[] for _ in range(min(folds, len(units)))]
    turn = 0
    for label in sorted(by_label):
        group = by_label[label][:]
        rng.shuffle(group)
        for i in group:
            parts[turn % len(parts)].append(i)
            turn += 1
    return [sorted(p) for p in parts if p]


def compare(framework: Framework, zero: Analyzer, candidate: TrainedHead, held: Sequence[LabelledUnit], *,
            current: TrainedHead | None, current_version: str, method: Method = Method.holdout,
            seed: int = 0) -> Comparison:
    """Measure ``candidate`` and the model in use (``current``; None: zero-shot) on the same ``held`` units."""
    held = list(held)
    new = predict_labelled(zero.with_head(candidate, "candidate"), held)
    # reliability before calibration: the same head with its Platt map taken off
    uncalibrated = replace(candidate, calibration=NO_CALIBRATION)
    ece = score_predictions(framework, held, predict_labelled(zero.with_head(uncalibrated, "candidate"), held,
                                                              levels=False)).ece
    in_use = predict_labelled(zero.with_head(current, current_version), held)
    return _comparison(framework, held, new, in_use, current_version=current_version, method=method, folds=1,
                       ece_uncalibrated=ece, seed=seed)


def cross_validate(framework: Framework, zero: Analyzer, units: Sequence[LabelledUnit],
                   train: Callable[[list[LabelledUnit]], TrainedHead], *, current: TrainedHead | None,
                   current_version: str, folds: int = CV_FOLDS, seed: int = 0) -> Comparison:
    """Compare the candidate recipe with the model in use by ``folds``-fold cross-validation over ``units``:
    ``train`` fits a head on each fold's other units, that head predicts the fold, and the model in use
    predicts the same units. Where the model in use was trained on some of these units it predicts them
    more kindly than unseen ones: the comparison then leans its way, never the candidate's."""
    units = list(units)
    parts = folds_for(units, folds, seed=seed)
    n = len(framework.competencies)
    probabilities = np.zeros((len(units), n), dtype=np.float32)
    raw = np.zeros((len(units), n), dtype=np.float32)
    abstain = np.zeros(len(units), dtype=bool)
    levels: list[dict[str, str | None]] = [{} for _ in units]
    counter: list[set[str]] = [set() for _ in units]
    for k, part in enumerate(parts):
        held = set(part)
        head = train([u for i, u in enumerate(units) if i not in held])
        fold_units = [units[i] for i in part]
        predicted = predict_labelled(zero.with_head(head, f"fold {k + 1}"), fold_units)
        # reliability before calibration, as compare() reports it, from the same fold heads
        bare = predict_labelled(zero.with_head(replace(head, calibration=NO_CALIBRATION), "fold"), fold_units,
                                levels=False)
        probabilities[part], raw[part], abstain[part] = predicted.probabilities, bare.probabilities, predicted.abstain
        for row, i in enumerate(part):
            levels[i], counter[i] = predicted.levels[row], predicted.counter[row]
        logger.info("cross-validation fold %d of %d: %d units held out", k + 1, len(parts), len(part))
    new = Predictions(probabilities, abstain, levels, counter)
    ece = score_predictions(framework, units, Predictions(raw, abstain, levels, counter)).ece
    in_use = predict_labelled(zero.with_head(current, current_version), units)
    return _comparison(framework, units, new, in_use, current_version=current_version,
                       method=Method.cross_validation, folds=len(parts), ece_uncalibrated=ece, seed=seed)


def _comparison(framework: Framework, units: list[LabelledUnit], new: Predictions, in_use: Predictions, *,
                current_version: str, method: Method, folds: int, ece_uncalibrated: float | None,
                seed: int) -> Comparison:
    new_metrics = replace(score_predictions(framework, units, new), ece_uncalibrated=ece_uncalibrated)
    current_metrics = score_predictions(framework, units, in_use)
    differences = top1_hits(framework, units, new).astype(int) - top1_hits(framework, units, in_use).astype(int)
    comparison = Comparison(
        new_metrics=new_metrics, current_metrics=current_metrics, current_version=current_version, method=method,
        units=len(units), folds=folds, top1_units=len(differences),
        difference=float(differences.mean()) if len(differences) else None,
        interval=paired_interval(differences, seed=seed) if len(differences) else None)
    logger.info("%s; selection score %.3f vs %.3f", comparison.summary(), selection_score(new_metrics),
                selection_score(current_metrics))
    return comparison
