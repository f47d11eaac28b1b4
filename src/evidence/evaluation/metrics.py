"""Measuring the engine on labelled units.

A labelled CSV has ``text`` and ``competency`` columns (competency by id or by name, matched
case- and space-insensitively; ``NONE`` for a unit that evidences nothing), optionally ``level``
(by id or name) and ``polarity`` (``negative`` marks counter-evidence). Rows sharing a text form
that text's label set. :func:`evaluate` reports competency top-1/top-3 accuracy, macro F1,
abstention precision and recall, level exact / within-one accuracy and mean absolute error (in
scale steps; a mid-point counts as half a step), expected calibration error, R-Precision@5 and
MRR (as defined for the ESCO skill-linking benchmark), and counter-evidence recall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import f1_score

from evidence.domain import NONE_LABEL, Framework
from evidence.evaluation.labelled import LabelledUnit


def step_positions(framework: Framework) -> dict[str, float]:
    """Each level's position in scale steps: defined levels one step apart, a mid-point half a step below
    the next defined level (the councils' A=-0.5, B=0, C=0.5, D=1 ...)."""
    positions, defined = {}, 0
    for lv in framework.levels:
        positions[lv.id] = defined - 0.5 if lv.midpoint else float(defined)
        defined += 0 if lv.midpoint else 1
    return positions


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence >= lo) & (confidence <= hi)
        if in_bin.any():
            ece += in_bin.mean() * abs(confidence[in_bin].mean() - correct[in_bin].mean())
    return float(ece)


@dataclass
class Predictions:
    """What a model says about labelled units: ranked competencies, probabilities, levels, counter flags."""

    probabilities: np.ndarray  # units x competencies
    abstain: np.ndarray  # units: True where the model suggests nothing
    levels: list[dict[str, str | None]]  # per unit: gold competency -> predicted level
    counter: list[set[str]]  # per unit: competencies flagged as counter-evidence


def score_predictions(framework: Framework, units: list[LabelledUnit], predictions: Predictions) -> dict:
    """All metrics, as a flat dict of floats and counts."""
    ids = [c.id for c in framework.competencies]
    order = np.argsort(-predictions.probabilities, axis=1)[:, :max(5, 3)]
    evidence = [i for i, u in enumerate(units) if u.is_evidence]
    top1, top3, rp5, rr = [], [], [], []
    for i in evidence:
        gold = set(units[i].competencies)
        ranked = [ids[j] for j in order[i]]
        top1.append(ranked[0] in gold)
        top3.append(bool(gold & set(ranked[:3])))
        rp5.append(len(gold & set(ranked[:5])) / min(5, len(gold)))
        full_rank = _first_rank(predictions.probabilities[i], [ids.index(g) for g in gold])
        rr.append(1.0 / full_rank)
    # single-label view for macro F1: the prediction (or NONE when abstaining) against the gold label it hits
    y_true, y_pred = [], []
    for i, unit in enumerate(units):
        predicted = NONE_LABEL if predictions.abstain[i] else ids[order[i][0]]
        truth = predicted if predicted in unit.competencies else (unit.competencies[0] if unit.competencies else NONE_LABEL)
        y_true.append(truth)
        y_pred.append(predicted)
    labels = sorted(set(y_true))
    no_evidence = np.array([not u.is_evidence for u in units])
    abstained = predictions.abstain
    correct_top = np.array([u.is_evidence and ids[order[i][0]] in u.competencies for i, u in enumerate(units)])
    confidence = predictions.probabilities.max(axis=1) if len(units) else np.zeros(0)

    positions = step_positions(framework)
    diffs = [abs(positions[pred[c]] - positions[u.levels[c]]) for u, pred in zip(units, predictions.levels,
                                                                                  strict=True)
             for c in u.levels if pred.get(c) is not None]
    counter_gold = [(i, c) for i, u in enumerate(units) for c in u.counter]
    flagged = sum(1 for i, c in counter_gold if c in predictions.counter[i])
    flagged_total = sum(len(s) for s in predictions.counter)
    flagged_right = sum(1 for i, s in enumerate(predictions.counter) for c in s if c in units[i].counter)
    mean = lambda xs: float(np.mean(xs)) if len(xs) else None  # noqa: E731
    # end to end: the shown top suggestion is right, or the unit rightly abstains
    unit_right = np.where(abstained, no_evidence, correct_top)
    return {
        "framework": framework.id,
        "units": len(units), "evidence_units": len(evidence), "none_units": int(no_evidence.sum()),
        "top1": mean(top1), "top3": mean(top3),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "abstention_precision": mean(no_evidence[abstained]) if abstained.any() else None,
        "abstention_recall": mean(abstained[no_evidence]) if no_evidence.any() else None,
        "level_units": len(diffs),
        "level_exact": mean([d == 0 for d in diffs]),
        "level_within_one": mean([d <= 1 for d in diffs]),
        "level_mae": mean(diffs),
        "ece": expected_calibration_error(confidence, correct_top.astype(float)) if len(units) else None,
        "rp5": mean(rp5), "mrr": mean(rr),
        "unit_accuracy": mean(unit_right),
        "counter_units": len(counter_gold),
        "counter_recall": flagged / len(counter_gold) if counter_gold else None,
        "counter_precision": flagged_right / flagged_total if flagged_total else None,
    }


def _first_rank(row: np.ndarray, gold: list[int]) -> int:
    best = max(row[g] for g in gold)
    return int((row > best).sum()) + 1


def selection_score(metrics: dict) -> float:
    """One number to compare two models on the same held-out split: the mean of competency top-1,
    end-to-end unit accuracy and (where the framework has levels) exact level accuracy."""
    parts = [metrics["top1"] or 0.0, metrics["unit_accuracy"] or 0.0]
    if metrics.get("level_exact") is not None:
        parts.append(metrics["level_exact"])
    return float(np.mean(parts))
