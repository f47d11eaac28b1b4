"""Platt scaling makes an underconfident score mean what it says and never reverses a ranking."""

from __future__ import annotations

import numpy as np

from evidence.evaluation.labelled import LabelledUnit
from evidence.learning.calibration import calibrate, fit_calibration


def test_calibration_makes_an_underconfident_score_mean_what_it_says() -> None:
    """Top scores around 0.4 that are right four times in five are lifted toward 0.8, ranks unchanged."""
    rng = np.random.default_rng(0)
    probabilities = rng.uniform(0.0, 0.2, size=(400, 4)).astype(np.float32)
    probabilities[:, 0] = rng.uniform(0.3, 0.5, size=400)
    units = [LabelledUnit(text=str(i), competencies=["a" if rng.random() < 0.8 else "b"]) for i in range(400)]
    calibration = fit_calibration(probabilities, units, ["a", "b", "c", "d"])
    calibrated = calibrate(probabilities, calibration)
    assert (np.argsort(-calibrated, axis=1) == np.argsort(-probabilities, axis=1)).all()
    assert abs(calibrated[:, 0].mean() - 0.8) < 0.05
    assert calibrate(probabilities, (1.0, 0.0)) is probabilities
    # scores that fall as correctness rises (noise from a dozen units) must never reverse the ranking
    reversed_units = [LabelledUnit(text=str(i), competencies=["b"]) for i in range(400)]
    assert fit_calibration(probabilities, reversed_units, ["a", "b", "c", "d"]) == (1.0, 0.0)
    assert fit_calibration(probabilities[:20], units[:20], ["a", "b", "c", "d"]) == (1.0, 0.0)
    assert fit_calibration(probabilities[:20], units[:20], ["a", "b", "c", "d"], min_units=10) != (1.0, 0.0)
