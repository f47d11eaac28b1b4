"""Reviewing suggestions: the queue's order, reviewer actions, and retraining from decisions.

The Review page and any other client call these functions rather than the store directly, so the
rules live in one place:

* :mod:`~evidence.review.queue`: the queue order (uncertainty first, or the active-learning order), and the next
  unit a reviewer claims;
* :mod:`~evidence.review.actions`: an action (accept, reject, relabel, no evidence, undo) becomes one
  appended decision, checked against the framework;
* :mod:`~evidence.review.training`: a new model version trained from the decisions, compared, promoted.
"""

from evidence.review.actions import (
    KINDS,
    Action,
    Relabel,
    ReviewError,
    decide,
    new_key,
    relabel_options,
)
from evidence.review.queue import (
    active_learning_order,
    labelled_counts,
    labelled_texts,
    next_unit,
    order_by_scores,
    priority_scores,
    review_queue,
    stored_order,
    stored_order_from,
    uncertainty,
    uncertainty_order,
)
from evidence.review.training import (
    COMPARED_METRICS,
    promote_trained,
    retrain,
    roll_back,
    train_from_store,
    training_comparison,
)

__all__ = [
    "COMPARED_METRICS", "KINDS", "Action", "Relabel", "ReviewError", "active_learning_order", "decide",
    "labelled_counts", "labelled_texts", "new_key", "next_unit", "order_by_scores", "priority_scores",
    "promote_trained", "relabel_options", "retrain", "review_queue", "roll_back", "stored_order", "stored_order_from",
    "train_from_store", "training_comparison", "uncertainty", "uncertainty_order",
]
