"""TrainedHead implements the engine's CompetencyHead contract and blends toward zero-shot by its trust."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from evidence.domain import Cues
from evidence.engine.head import CompetencyHead
from evidence.learning.head import TrainedHead
from tests.learning.heads import small_head, unit_inputs


def test_a_trained_head_is_a_competency_head() -> None:
    head: CompetencyHead = small_head()  # checked statically by mypy, and at run time below
    assert isinstance(head, CompetencyHead)
    assert not isinstance(object(), CompetencyHead)


def test_trust_zero_leaves_the_zero_shot_probabilities() -> None:
    texts, vectors, zero = unit_inputs()
    head = replace(small_head(), trust=0.0, calibration=(1.0, 0.0))
    probabilities = head.competency_probabilities(texts, vectors, [Cues() for _ in texts], zero)
    assert np.allclose(probabilities, zero)
    learned = replace(small_head(), trust=1.0, calibration=(1.0, 0.0))
    assert not np.allclose(learned.competency_probabilities(texts, vectors, [Cues() for _ in texts], zero), zero)


def test_levels_come_from_the_level_classifier_and_exemplars() -> None:
    _, vectors, _ = unit_inputs()
    head = small_head()
    rank = head.level_rank(vectors[0], "I led the team")
    assert rank is not None and 0.0 <= rank <= 1.0
    votes = head.level_votes(0, vectors[0])
    assert votes is not None and votes[1].tolist() == [0, 1]
    bare = replace(head, level_classifier=None, level_exemplars=None)
    assert bare.level_rank(vectors[0], "x") is None and bare.level_votes(0, vectors[0]) is None


def test_a_fine_tuned_head_without_its_encoder_says_how_to_load_it() -> None:
    texts, vectors, _ = unit_inputs()
    head: TrainedHead = replace(small_head(), fine_tuned_encoder=True)
    with pytest.raises(RuntimeError, match="evidence.learning.registry.load_head"):
        head.unit_vectors(texts, vectors, vectors)


def test_a_head_trained_on_top_of_another_blends_into_its_probabilities_and_levels() -> None:
    texts, vectors, zero = unit_inputs()
    cues = [Cues() for _ in texts]
    base = small_head()
    top = replace(small_head(), trust=0.0, calibration=(1.0, 0.0), level_classifier=None, base=base)
    assert np.allclose(top.competency_probabilities(texts, vectors, cues, zero),
                       base.competency_probabilities(texts, vectors, cues, zero))
    assert not np.allclose(top.competency_probabilities(texts, vectors, cues, zero), zero)
    assert top.level_rank(vectors[0], "I led the team") == base.level_rank(vectors[0], "I led the team")
