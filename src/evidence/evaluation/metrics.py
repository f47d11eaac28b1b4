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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields

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


RANKED = 5  # suggestions ranked per unit: R-Precision@5 reads five, top-3 the first three
# the metrics shown side by side when a new model is compared with the one in use (review page and CLI; the
# CLI adds ece_uncalibrated, which only the new model has)
COMPARED_METRICS = ("top1", "top3", "unit_accuracy", "abstention_precision", "level_exact", "level_within_one",
                    "ece")
OPTIONAL = ("ece_uncalibrated", "model", "file")  # Metrics fields that are keys only once set


@dataclass(frozen=True)
class Metrics(Mapping[str, "str | int | float | None"]):
    """What :func:`score_predictions` measures. Read it as ``metrics.top1``, or as a read-only mapping
    (``metrics["top1"]``, ``dict(metrics)``, :meth:`as_dict`) whose keys are the fields, less the optional
    ones (``ece_uncalibrated``, ``model``, ``file``) that are not set. A rate is None where nothing was
    there to count (no evidence units, no abstentions, ...)."""

    framework: str
    units: int
    evidence_units: int
    none_units: int
    top1: float | None
    top3: float | None
    macro_f1: float
    abstention_precision: float | None
    abstention_recall: float | None
    level_units: int
    level_exact: float | None
    level_within_one: float | None
    level_mae: float | None
    ece: float | None
    rp5: float | None
    mrr: float | None
    unit_accuracy: float | None
    counter_units: int
    counter_recall: float | None
    counter_precision: float | None
    ece_uncalibrated: float | None = None  # a trained head's reliability before its Platt map
    model: str | None = None  # the model version measured (set by evaluate)
    file: str | None = None  # the labelled file measured on (set by evaluate)

    def _keys(self) -> list[str]:
        return [f.name for f in fields(self) if f.name not in OPTIONAL or getattr(self, f.name) is not None]

    def __getitem__(self, key: str) -> str | int | float | None:
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def as_dict(self) -> dict[str, str | int | float | None]:
        """The metrics as a plain dict (JSON-ready), in field order, unset optional fields left out."""
        every = asdict(self)
        return {key: every[key] for key in self._keys()}


def _mean(values: Sequence[float] | Sequence[bool] | np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def score_predictions(framework: Framework, units: list[LabelledUnit], predictions: Predictions) -> Metrics:
    """All metrics of ``predictions`` against the units' gold labels."""
    ids = [c.id for c in framework.competencies]
    order = np.argsort(-predictions.probabilities, axis=1)[:, :RANKED]
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
        fallback = unit.competencies[0] if unit.competencies else NONE_LABEL
        truth = predicted if predicted in unit.competencies else fallback
        y_true.append(truth)
        y_pred.append(predicted)
    labels = sorted(set(y_true))
    no_evidence = np.array([not u.is_evidence for u in units])
    abstained = predictions.abstain
    correct_top = np.array([u.is_evidence and ids[order[i][0]] in u.competencies for i, u in enumerate(units)])
    confidence = predictions.probabilities.max(axis=1) if len(units) else np.zeros(0)

    positions = step_positions(framework)
    diffs = [abs(positions[predicted] - positions[gold]) for u, pred in zip(units, predictions.levels, strict=True)
             for c, gold in u.levels.items() if (predicted := pred.get(c)) is not None]
    counter_gold = [(i, c) for i, u in enumerate(units) for c in u.counter]
    flagged = sum(1 for i, c in counter_gold if c in predictions.counter[i])
    flagged_total = sum(len(s) for s in predictions.counter)
    flagged_right = sum(1 for i, s in enumerate(predictions.counter) for c in s if c in units[i].counter)
        # end to end: the shown top suggestion is right, or the unit rightly abstains
    unit_right = np.where(abstained, no_evidence, correct_top)
    return Metrics(
        framework=framework.id,
        units=len(units), evidence_units=len(evidence), none_units=int(no_evidence.sum()),
        top1=_mean(top1), top3=_mean(top3),
        macro_f1=float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        abstention_precision=_mean(no_evidence[abstained]) if abstained.any() else None,
        abstention_recall=_mean(abstained[no_evidence]) if no_evidence.any() else None,
        level_units=len(diffs),
        level_exact=_mean([d == 0 for d in diffs]),
        level_within_one=_mean([d <= 1 for d in diffs]),
        level_mae=_mean(diffs),
        ece=expected_calibration_error(confidence, correct_top.astype(float)) if len(units) else None,
        rp5=_mean(rp5), mrr=_mean(rr),
        unit_accuracy=_mean(unit_right),
        counter_units=len(counter_gold),
        counter_recall=flagged / len(counter_gold) if counter_gold else None,
        counter_precision=flagged_right / flagged_total if flagged_total else None,
    )


def _first_rank(row: np.ndarray, gold: list[int]) -> int:
    best = max(row[g] for g in gold)
    return int((row > best).sum()) + 1


def selection_score(metrics: Metrics) -> float:
    """One number to compare two models on the same held-out split: the mean of competency top-1,
    end-to-end unit accuracy and (where the framework has levels) exact level accuracy."""
    parts = [metrics.top1 or 0.0, metrics.unit_accuracy or 0.0]
    if metrics.level_exact is not None:
        parts.append(metrics.level_exact)
    return float(np.mean(parts))
