"""Platt scaling of a head's blended probabilities, fitted on out-of-fold predictions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from evidence.evaluation.labelled import LabelledUnit
from evidence.learning.settings import DEFAULTS

NO_CALIBRATION = (1.0, 0.0)  # (slope, intercept) of the identity map


def calibrate(probabilities: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    """Platt scaling on the logit: order-preserving, so rankings do not change, only what a score means."""
    slope, intercept = calibration
    if (slope, intercept) == NO_CALIBRATION:
        return probabilities
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return (1.0 / (1.0 + np.exp(-(slope * np.log(p / (1 - p)) + intercept)))).astype(np.float32)


def fit_calibration(probabilities: np.ndarray, units: Sequence[LabelledUnit], competency_ids: Sequence[str],
                    *, top: int = 3, min_units: int = DEFAULTS.calibration_min_units) -> tuple[float, float]:
    """(slope, intercept) that make out-of-fold probabilities mean what they say: each unit's ``top``
    suggestions, labelled right or wrong by its gold competencies (a no-evidence unit's are all wrong).

    Blending the classifiers with zero-shot spreads the probability over several competencies, so the
    raw top score understates how often it is right (a 0.4 that is right three times in four).
    Below ``min_units`` units the scores stay uncalibrated."""
    if len(units) < min_units:
        return NO_CALIBRATION
    order = np.argsort(-probabilities, axis=1)[:, :top]
    logits, right = [], []
    for row, unit in enumerate(units):
        for j in order[row]:
            p = float(np.clip(probabilities[row, j], 1e-6, 1 - 1e-6))
            logits.append(np.log(p / (1 - p)))
            right.append(competency_ids[j] in unit.competencies)
    if len(set(right)) < 2:
        return NO_CALIBRATION
    model = LogisticRegression(C=100.0).fit(np.array(logits)[:, None], np.array(right))
    slope = float(model.coef_[0, 0])
    # a fold head on a dozen units can score right answers lower than wrong ones; a falling map would
    # turn the ranking upside down, so such noise leaves the scores as they are
    return (slope, float(model.intercept_[0])) if slope > 0 else NO_CALIBRATION
