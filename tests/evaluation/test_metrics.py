"""Metrics: scored from predictions, read as an object and as a mapping, and one number to select by."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest

from evidence.domain import Framework
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import (
    COMPARED_METRICS,
    Metrics,
    Predictions,
    score_predictions,
    selection_score,
)
from tests.factories import tiny_framework

CORE = ["framework", "units", "evidence_units", "none_units", "top1", "top3", "macro_f1", "abstention_precision",
        "abstention_recall", "level_units", "level_exact", "level_within_one", "level_mae", "ece", "rp5", "mrr",
        "unit_accuracy", "counter_units", "counter_recall", "counter_precision"]


def _scored(framework: Framework) -> Metrics:
    ids = [c.id for c in framework.competencies]
    units = [LabelledUnit(text="a", competencies=[ids[0]]), LabelledUnit(text="b", competencies=[ids[1]]),
             LabelledUnit(text="c")]
    probabilities = np.full((3, len(ids)), 0.05, dtype=np.float32)
    probabilities[0, 0] = 0.9  # right
    probabilities[1, 0] = 0.6  # wrong at the top, right second
    probabilities[1, 1] = 0.5
    abstain = np.array([False, False, True])
    return score_predictions(framework, units, Predictions(probabilities, abstain, [{}, {}, {}], [set(), set(), set()]))


def test_metrics_are_read_as_fields_and_as_a_mapping() -> None:
    metrics = _scored(tiny_framework())
    assert isinstance(metrics, Mapping)
    assert metrics.top1 == metrics["top1"] == 0.5 and metrics.top3 == 1.0
    assert metrics.abstention_precision == 1.0 and metrics.unit_accuracy == pytest.approx(2 / 3)
    assert list(metrics) == CORE and len(metrics) == len(CORE)
    assert dict(metrics) == metrics.as_dict() and json.loads(json.dumps(dict(metrics)))["units"] == 3
    assert metrics.get("model") is None and "model" not in metrics
    with pytest.raises(KeyError):
        metrics["model"]
    with pytest.raises(FrozenInstanceError):
        metrics.top1 = 1.0  # type: ignore[misc]


def test_optional_fields_become_keys_once_set() -> None:
    metrics = replace(_scored(tiny_framework()), model="zero-shot", file="gold.csv", ece_uncalibrated=0.1)
    assert list(metrics)[-3:] == ["ece_uncalibrated", "model", "file"]
    assert metrics["model"] == "zero-shot" and metrics.as_dict()["file"] == "gold.csv"
    assert set(COMPARED_METRICS) <= set(metrics)


def test_ranks_beyond_the_third_count_for_r_precision_at_five() -> None:
    framework = Framework.model_validate({
        "id": "six", "name": "Six", "levels": [{"id": "1", "name": "One"}],
        "competencies": [{"id": f"c{i}", "name": f"C{i}", "indicators": [{"id": f"i{i}", "text": f"Does {i}"}]}
                         for i in range(6)]})
    ids = [c.id for c in framework.competencies]
    probabilities = np.linspace(0.9, 0.1, len(ids))[None, :].astype(np.float32)
    units = [LabelledUnit(text="a", competencies=[ids[4]])]
    metrics = score_predictions(framework, units, Predictions(probabilities, np.array([False]), [{}], [set()]))
    assert metrics.top3 == 0.0 and metrics.rp5 == 1.0 and metrics.mrr == pytest.approx(1 / 5)


def test_selection_score_means_top1_unit_accuracy_and_level_where_there_is_one() -> None:
    metrics = _scored(tiny_framework())
    assert metrics.level_exact is None
    assert selection_score(metrics) == pytest.approx((0.5 + 2 / 3) / 2)
    assert selection_score(replace(metrics, level_exact=1.0)) == pytest.approx((0.5 + 2 / 3 + 1.0) / 3)
