"""BM25 over each competency's words: rare exact terms match, scores scaled to [0, 1] per query."""

from __future__ import annotations

import numpy as np

from evidence.engine.lexical import LexicalIndex


def test_exact_rare_terms_pick_their_competency() -> None:
    index = LexicalIndex(["safeguarding vulnerable adults referrals", "budget monitoring PRINCE2 projects"])
    scores = index.scores(["I ran PRINCE2 projects on time", "I led safeguarding training"])
    assert scores.shape == (2, 2)
    assert scores[0].argmax() == 1 and scores[1].argmax() == 0
    assert scores.min() >= 0.0 and scores.max() <= 1.0


def test_a_query_with_no_indexed_word_scores_zero() -> None:
    index = LexicalIndex(["safeguarding adults", "budget monitoring"])
    np.testing.assert_array_equal(index.scores(["completely unrelated words"]), np.zeros((1, 2)))
