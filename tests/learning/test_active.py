"""The active-learning order spreads a reviewer's batch over topics and skips what is labelled."""

from __future__ import annotations

import numpy as np
import pytest

from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.learning.active import review_priority


@pytest.mark.slow
def test_review_priority_spreads_a_batch_over_topics_and_skips_what_is_labelled(tiny: Framework) -> None:
    """A near-duplicate cluster must not fill the top of the queue, nor a unit already labelled."""
    cluster = [f"Every week I coached a new colleague on shift {i}" for i in range(6)]
    others = ["Last year I reported a safeguarding concern", "During the audit I balanced the budget"]
    labelled = "At the food bank I tracked invoices against the forecast"
    texts = cluster + others + [labelled]
    priority = review_priority(Analyzer(tiny), texts, labelled_texts=[labelled])
    order = [texts[i] for i in np.argsort(-priority)]
    assert set(others) <= set(order[:3]), order
    assert order.index(labelled) > order.index(others[1]) and order.index(labelled) > 2
    assert len(set(priority.tolist())) == len(texts)  # a strict order: the queue never ties

