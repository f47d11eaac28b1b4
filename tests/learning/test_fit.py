"""Fitting a head: levelled units vote on the level, the classifier reads layer features, and the
shipped no-evidence sentences are read (a missing file is a packaging bug, said so)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.engine.levels import LevelExemplars
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.learning import fit
from evidence.learning.fit import fit_head, framework_examples, none_examples
from tests.learning.conftest import labelled_csv


def test_the_shipped_no_evidence_sentences_are_read_and_their_absence_is_a_packaging_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(none_examples()) >= 50 and all(t.strip() for t in none_examples())
    monkeypatch.setattr(fit, "NONE_EXAMPLES", tmp_path / "gone.txt")
    none_examples.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="gone.txt is missing: the package data .* reinstall"):
            none_examples()
    finally:
        none_examples.cache_clear()


def test_framework_examples_label_indicators_and_negative_ones_none(tiny: Framework) -> None:
    texts, labels, levels = framework_examples(tiny)
    assert len(texts) == len(labels) == len(levels) == 6
    assert set(labels) == {"budgeting", "coaching", "safeguarding"} and set(levels) == {"1", "2"}


def test_level_exemplars_need_a_competency_and_rank_per_vector() -> None:
    with pytest.raises(ValueError, match="one competency and rank per vector"):
        LevelExemplars(vectors=np.zeros((3, 4), dtype=np.float32), competencies=np.zeros(3, dtype=np.int32),
                       ranks=np.zeros(2, dtype=np.int32))
    exemplars = LevelExemplars(vectors=np.eye(3, dtype=np.float32), competencies=np.array([0, 1, 0]),
                               ranks=np.array([2, 0, 1]))
    similarities, ranks = exemplars.votes(0, np.array([1.0, 0.0, 0.0], dtype=np.float32))
    assert similarities.tolist() == [1.0, 0.0] and ranks.tolist() == [2, 1]


@pytest.mark.slow
def test_levelled_units_vote_on_the_level_beside_the_indicators(tiny: Framework, tmp_path: Path) -> None:
    """The tiny framework's indicators say nothing of which phrases are level 2; reviewers' levelled units
    do, and units written like them get their level."""
    units = read_labelled(labelled_csv(tmp_path, "train.csv", seed=1, n=36), tiny)
    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    zero = Analyzer(tiny, model_version="zero-shot")
    head = fit_head(zero, units)
    assert head.level_exemplars is not None
    assert len(head.level_exemplars.ranks) == sum(len(u.levels) for u in units)
    head.level_blend = 0.0  # the nearest-indicator vote alone, so the exemplars are what is measured
    with_exemplars = score_predictions(tiny, holdout, predict_labelled(zero.with_head(head, "t"), holdout))
    head.level_exemplars = None
    without = score_predictions(tiny, holdout, predict_labelled(zero.with_head(head, "t"), holdout))
    assert with_exemplars.level_exact is not None and without.level_exact is not None
    # at least 17/18 with the float32 encoder, 16/18 with int8 (the default runtime): a unit near a level boundary
    assert with_exemplars.level_exact >= 0.85 > without.level_exact + 0.2, (with_exemplars.level_exact,
                                                                             without.level_exact)


@pytest.mark.slow
def test_the_competency_classifier_reads_layer_features_and_older_heads_the_sentence_vector(
        tiny: Framework, tmp_path: Path) -> None:
    units = read_labelled(labelled_csv(tmp_path, "train.csv", seed=1, n=36), tiny)
    zero = Analyzer(tiny, model_version="zero-shot")
    head = fit_head(zero, units)
    texts = ["Last year I mentored two apprentices.", "I balanced the budget."]
    vectors, layered = zero.embedder.encode_with_layers(texts)
    assert head.layered and layered.shape[1] > vectors.shape[1]
    assert head.classifier.model_.coef_.shape[1] == layered.shape[1] + 4  # the layers, then four cues
    assert head.unit_vectors(texts, vectors, layered) is layered
    head.layered = False  # a head trained before layer features existed
    assert head.unit_vectors(texts, vectors, layered) is vectors
