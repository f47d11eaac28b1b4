"""Running an analyzer over labelled units and scoring what it says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from evidence.engine.cues import read_cues
from evidence.evaluation.labelled import LabelledUnit, read_labelled
from evidence.evaluation.metrics import Metrics, Predictions, score_predictions

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer

EVAL_BATCH = 128


def predict_labelled(analyzer: Analyzer, units: list[LabelledUnit], progress: Callable[[int], None] | None = None,
                     *, levels: bool = True) -> Predictions:
    """Run an :class:`~evidence.engine.analyzer.Analyzer` over labelled units in batches
    (``levels=False``: skip levels)."""
    fw = analyzer.framework
    comp_index = {c.id: i for i, c in enumerate(fw.competencies)}
    threshold = analyzer.threshold
    probs, level_of, counter = [], [], []
    for start in range(0, len(units), EVAL_BATCH):
        batch = units[start:start + EVAL_BATCH]
        texts = [u.text for u in batch]
        pred = analyzer.predict_units(texts, [read_cues(t) for t in texts])
        flags = pred.counter
        probs.append(pred.probabilities)
        for i, unit in enumerate(batch):
            level_of.append({c: analyzer.level_for(pred, i, comp_index[c], unit.text)[0] for c in unit.levels}
                            if levels else {})
            counter.append({fw.competencies[c].id for c in np.flatnonzero(flags[i])})
        if progress:
            progress(len(batch))
    matrix = np.vstack(probs) if probs else np.zeros((0, len(fw.competencies)))
    return Predictions(matrix, matrix.max(axis=1) < threshold if len(matrix) else np.zeros(0, bool), level_of, counter)


def evaluate(analyzer: Analyzer, path: str | Path, *, progress: Callable[[int], None] | None = None) -> Metrics:
    """Read a labelled CSV and measure ``analyzer`` on it; the metrics name the model and the file."""
    units = read_labelled(path, analyzer.framework)
    metrics = score_predictions(analyzer.framework, units, predict_labelled(analyzer, units, progress))
    return replace(metrics, model=analyzer.model_version, file=str(path))
