"""The review queue's order (the least certain suggestions first, or the active-learning order), and the next unit.

:func:`next_unit` is how a reviewer gets their next card: it claims the first unit of their queue, in this order,
that no other reviewer holds (:meth:`Store.claim_next`; on PostgreSQL with ``FOR UPDATE SKIP LOCKED``), so
reviewers working at once are never handed the same unit.

The store returns waiting units in document order; the order is review policy and lives here:

* :func:`uncertainty`: top score closest to 0.5, then the smallest margin between the top two suggestions;
* :func:`active_learning_order`: the learning layer's ``review_priority`` scores a whole queue with an analyzer
  (``review_priority(analyzer, texts, labelled_counts=..., labelled_texts=...)`` -> one score per text,
  higher first). It is passed in as ``prioritise`` so tests can stand in for it without a model.

Within a batch, its assessment policy applies (:mod:`evidence.review.policy`): the store hands each unit to the
policy's number of assessors; a chunked batch is ordered by :func:`~evidence.review.policy.chunked_order`
whatever ``order`` says; and a unit whose suggestion the policy hides comes without it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from evidence.learning import active
from evidence.learning.active import review_priority
from evidence.review.policy import as_shown, chunked_order
from evidence.store import CLAIM_LEASE, BatchPolicy, QueueItem, QueueOrder, Store

if TYPE_CHECKING:
    from evidence.engine.analyzer import Analyzer

logger = logging.getLogger(__name__)


class Prioritise(Protocol):
    """The learning layer's active-learning score: one value per text, higher to review sooner."""

    def __call__(self, analyzer: Analyzer, texts: Sequence[str], *, labelled_counts: dict[str, int] | None = ...,
                 labelled_texts: Sequence[str] = ...) -> Iterable[float]: ...


def uncertainty(item: QueueItem) -> tuple[float, float]:
    """Default priority: top score closest to 0.5 first, then the smallest top-two margin."""
    scores = sorted((s.score for s in item.suggestions), reverse=True) or [0.0]
    second = scores[1] if len(scores) > 1 else 0.0
    return abs(scores[0] - 0.5), scores[0] - second


def uncertainty_order(items: list[QueueItem]) -> list[QueueItem]:
    """The default whole-queue order: by :func:`uncertainty`."""
    return sorted(items, key=uncertainty)


def review_queue(store: Store, *, batch_id: int | None = None, framework_id: str | None = None,
                 reviewer: str | None = None, reviews_needed: int | None = None, order: QueueOrder | None = None,
                 limit: int | None = None) -> list[QueueItem]:
    """The units waiting for review (see :meth:`Store.review_queue`), least certain first unless ``order`` is given,
    as ``reviewer`` sees them under the batch's policy (chunked order, hidden suggestions)."""
    policy = store.batch_policy(batch_id) if batch_id is not None else BatchPolicy()
    items = store.review_queue(batch_id=batch_id, framework_id=framework_id, reviewer=reviewer,
                               reviews_needed=reviews_needed, order=_order(policy, reviewer, batch_id, order),
                               limit=limit)
    return [as_shown(item, policy) for item in items]


def next_unit(store: Store, *, reviewer: str, batch_id: int | None = None, framework_id: str | None = None,
              reviews_needed: int | None = None, order: QueueOrder | None = None,
              lease: timedelta = CLAIM_LEASE) -> QueueItem | None:
    """Claim and return ``reviewer``'s next unit, least certain first unless ``order`` is given; None when none waits.

    The unit is held for them (others are handed other units) until they decide it, claim their next one, or the
    claim expires after ``lease``; asking again before deciding returns the same unit. Within a batch, its policy
    decides how many assessors see each unit (``reviews_needed`` only counts without a batch), a chunked batch
    comes in :func:`~evidence.review.policy.chunked_order`, and a unit whose suggestion the policy hides comes
    without it (``suggestion_hidden``).
    """
    policy = store.batch_policy(batch_id) if batch_id is not None else BatchPolicy()
    item = store.claim_next(reviewer=reviewer, batch_id=batch_id, framework_id=framework_id,
                            reviews_needed=reviews_needed, order=_order(policy, reviewer, batch_id, order),
                            lease=lease)
    return as_shown(item, policy) if item is not None else None


def _order(policy: BatchPolicy, reviewer: str | None, batch_id: int | None, order: QueueOrder | None) -> QueueOrder:
    if policy.chunked and batch_id is not None:
        return chunked_order(reviewer or "", batch_id)
    return order or uncertainty_order


def priority_scores(analyzer: Analyzer, items: Sequence[QueueItem], labelled_counts: dict[str, int] | None = None,
                    labelled_texts: Sequence[str] = (), *,
                    prioritise: Prioritise = review_priority) -> dict[int, float]:
    """Active-learning scores by unit id (higher: review sooner) from ``prioritise``.

    Empty when it fails (the queue then falls back to :func:`uncertainty`); the failure is logged,
    never shown to the reviewer as an error.
    """
    if not items:
        return {}
    try:
        values = prioritise(analyzer, [i.text for i in items], labelled_counts=labelled_counts or {},
                            labelled_texts=list(labelled_texts))
        return {item.unit_id: float(v) for item, v in zip(items, values, strict=True)}
    except Exception:  # noqa: BLE001 - an optional ranking must never take the review page down
        logger.exception("the active-learning priority failed; ordering the queue by uncertainty")
        return {}


def order_by_scores(items: Sequence[QueueItem], scores: dict[int, float]) -> list[QueueItem]:
    """Highest score first; units without a score after them, by :func:`uncertainty`."""
    scored = sorted((i for i in items if i.unit_id in scores), key=lambda i: -scores[i.unit_id])
    rest = sorted((i for i in items if i.unit_id not in scores), key=uncertainty)
    return scored + rest


def active_learning_order(analyzer: Analyzer, labelled_counts: dict[str, int] | None = None,
                          labelled_texts: Sequence[str] = (), *,
                          prioritise: Prioritise = review_priority) -> QueueOrder:
    """A whole-queue order for :meth:`Store.review_queue` using the learning layer's priority."""
    def order(items: list[QueueItem]) -> list[QueueItem]:
        return order_by_scores(items, priority_scores(analyzer, items, labelled_counts, labelled_texts,
                                                      prioritise=prioritise))

    return order


def labelled_counts(store: Store, framework_id: str) -> dict[str, int]:
    """:func:`evidence.learning.active.labelled_counts` of the store's current decisions on ``framework_id``."""
    return active.labelled_counts(store.corrections(framework_id))


def labelled_texts(store: Store, framework_id: str, *, limit: int = active.LABELLED_TEXTS_LIMIT) -> list[str]:
    """:func:`evidence.learning.active.labelled_texts` of the store's current decisions on ``framework_id``."""
    return active.labelled_texts(store.corrections(framework_id), limit=limit)


def stored_order_from(unit_id: int | None) -> QueueOrder:
    """:func:`stored_order` with ``unit_id`` first when it is waiting (the sentence an undo just put back)."""
    def order(items: list[QueueItem]) -> list[QueueItem]:
        ordered = stored_order(items)
        return sorted(ordered, key=lambda item: item.unit_id != unit_id) if unit_id is not None else ordered

    return order


def stored_order(items: list[QueueItem]) -> list[QueueItem]:
    """The order stored when the batch was screened (:func:`evidence.services.screening.order_for_review`),
    highest priority first; units without one after them, by :func:`uncertainty`. Needs no model, so a
    reviewer's card comes at once."""
    return order_by_scores(items, {i.unit_id: i.priority for i in items if i.priority is not None})
