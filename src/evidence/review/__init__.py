"""Reviewing suggestions: the queue's order, reviewer actions, and retraining from decisions.

The Review page and any other client call these functions rather than the store directly, so the
rules live in one place:

* :mod:`~evidence.review.queue`: the queue order (uncertainty first, or the active-learning order), and the next
  unit a reviewer claims;
* :mod:`~evidence.review.actions`: an action (accept, reject, relabel, no evidence, skip, flag, undo) becomes one
  appended decision, checked against the framework;
* :mod:`~evidence.review.policy`: a batch's assessment policy (assessors per unit, hidden suggestions, chunked
  review), set by admins;
* :mod:`~evidence.review.moderation`: the moderation queue, settlements, and each applicant's overall mark;
* :mod:`~evidence.review.agreement`: agreement between assessors and with the model;
* :mod:`~evidence.review.training`: a new model version trained from the decisions, compared, promoted.
"""

from evidence.review.actions import (
    KINDS,
    Action,
    Relabel,
    ReviewError,
    decide,
    my_decisions,
    new_key,
    relabel_options,
)
from evidence.review.agreement import BatchAgreement, agreement_markdown, batch_agreement
from evidence.review.moderation import OverallMark, may_moderate, moderation_queue, overall_marks, settle
from evidence.review.policy import chunked_order, set_policy, suggestion_hidden
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
    "COMPARED_METRICS", "KINDS", "Action", "BatchAgreement", "OverallMark", "Relabel", "ReviewError",
    "active_learning_order", "agreement_markdown", "batch_agreement", "chunked_order", "decide", "labelled_counts",
    "labelled_texts", "may_moderate", "moderation_queue", "my_decisions", "new_key", "next_unit", "order_by_scores",
    "overall_marks", "priority_scores", "promote_trained", "relabel_options", "retrain", "review_queue", "roll_back",
    "set_policy", "settle", "stored_order", "stored_order_from", "suggestion_hidden", "train_from_store",
    "training_comparison", "uncertainty", "uncertainty_order",
]
