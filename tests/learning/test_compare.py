"""Comparing a candidate with the model in use: folds, the paired interval, and when a gain counts as credible."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Metrics, Predictions
from evidence.learning.compare import (
    MIN_COMPARED_UNITS,
    Comparison,
    Method,
    folds_for,
    paired_interval,
    top1_hits,
)
from tests.factories import tiny_framework


def metrics(top1: float, unit_accuracy: float = 0.5) -> Metrics:
    return Metrics(framework="tiny", units=20, evidence_units=18, none_units=2, top1=top1, top3=None, macro_f1=0.0,
                   abstention_precision=None, abstention_recall=None, level_units=0, level_exact=None,
                   level_within_one=None, level_mae=None, ece=None, rp5=None, mrr=None, unit_accuracy=unit_accuracy,
                   counter_units=0, counter_recall=None, counter_precision=None)


def comparison(**changes: object) -> Comparison:
    base = Comparison(new_metrics=metrics(0.78), current_metrics=metrics(0.72), current_version="zero-shot",
                      method=Method.cross_validation, units=20, folds=5, top1_units=18, difference=0.06,
                      interval=(-0.04, 0.16))
    return replace(base, **changes)


def test_a_gain_whose_interval_reaches_zero_is_not_better() -> None:
    result = comparison()
    assert not result.credible and not result.better
    assert result.summary() == ("checked by 5-fold cross-validation on 20 labelled units: top suggestion right 78% "
                                "vs 72% in use, difference +6 points, 95% interval -4 to +16 (on 18 units with a "
                                "competency)")
    assert result.as_dict()["method"] == "cross-validation" and result.as_dict()["units"] == 20


def test_a_gain_above_zero_on_enough_units_is_better() -> None:
    assert comparison(interval=(0.01, 0.2)).better


def test_too_few_units_are_never_credible_whatever_the_interval() -> None:
    few = comparison(top1_units=MIN_COMPARED_UNITS - 1, interval=(0.3, 0.6))
    assert not few.credible and not few.better


def test_a_credible_top1_gain_that_falls_silent_end_to_end_is_not_better() -> None:
    quieter = comparison(interval=(0.05, 0.2), new_metrics=metrics(0.9, unit_accuracy=0.3))
    assert quieter.credible and not quieter.better


@pytest.mark.parametrize(("method", "folds", "words"), [
    (Method.holdout, 1, "checked by a held-out split on 20"), (Method.holdout_file, 1, "checked by a held-out file"),
    (Method.cross_validation, 4, "checked by 4-fold cross-validation")])
def test_the_summary_names_the_method(method: Method, folds: int, words: str) -> None:
    assert comparison(method=method, folds=folds).summary().startswith(words)


def test_nothing_to_compare_says_so() -> None:
    empty = comparison(top1_units=0, difference=None, interval=None)
    assert "nothing to compare" in empty.summary() and not empty.better


def test_the_paired_interval_brackets_the_mean_and_narrows_with_more_units() -> None:
    small = np.array([1, 1, 0, 0, -1, 1, 0, 1, 0, 0])
    low, high = paired_interval(small)
    assert low < small.mean() < high and low < 0
    big_low, big_high = paired_interval(np.tile(small, 10))
    assert big_high - big_low < high - low and big_low > 0
    assert paired_interval(np.zeros(7)) == (0.0, 0.0)
    assert paired_interval(small, seed=3) == paired_interval(small, seed=3)


def test_folds_cover_every_unit_once_and_spread_each_label() -> None:
    units = [LabelledUnit(text=f"{i}", competencies=["a" if i % 2 else "b"]) for i in range(12)] + \
            [LabelledUnit(text="none")]
    parts = folds_for(units, 5, seed=1)
    assert len(parts) == 5 and sorted(i for p in parts for i in p) == list(range(13))
    assert all(any(units[i].competencies == ["a"] for i in p) for p in parts[:3])
    assert len(folds_for(units[:3], 5)) == 3  # never more folds than units


def test_top1_hits_count_only_units_with_a_competency() -> None:
    fw = tiny_framework()
    units = [LabelledUnit(text="x", competencies=["teamwork"]), LabelledUnit(text="y"),
             LabelledUnit(text="z", competencies=["teamwork", "budgets"])]
    probabilities = np.array([[0.9, 0.1], [0.9, 0.1], [0.2, 0.8]])
    predictions = Predictions(probabilities, np.zeros(3, bool), [{}, {}, {}], [set(), set(), set()])
    assert top1_hits(fw, units, predictions).tolist() == [True, True]
