"""A batch's assessment policy as assessors meet it: who may set it, which units hide the model's suggestion, and
chunked review's order.

The policy itself is stored on the batch (:class:`~evidence.store.BatchPolicy`, :meth:`Store.set_batch_policy`):

* ``reviewers_per_unit`` (1 to 3): how many assessors decide each unit independently; the store's queue honours it
  for every caller (:meth:`Store.review_queue`, :meth:`Store.claim_next`). No function here or in the store hands
  one assessor another's decisions: :func:`evidence.review.my_decisions` gives an assessor their own only;
* ``hide_suggestions`` (a share, 0 to 1): for that share of units, chosen per unit by :func:`suggestion_hidden`
  (a hash of batch and unit, so every assessor and every page run agrees), the card comes without its
  suggestions (:attr:`QueueItem.suggestion_hidden` true, ``suggestions`` empty), so the assessor relabels, marks
  no evidence, skips or flags it without the model's anchor; the decision records the suggestion anyway (its
  ``suggested_*`` fields, which the page may reveal once it is made) and ``suggestion_hidden``;
* ``chunked``: one competency across all applicants at a time (:func:`chunked_order`: by the competency of each
  unit's top suggestion, competencies in id order), applicants in a random order per assessor, seeded by the
  assessor and the batch, so it is the same on every page run and different for each assessor (Applied's practice
  against halo effects). The competency heads each chunk, so the chunk itself names the model's top competency;
* ``moderator``: who settles disagreements besides the admins (:mod:`evidence.review.moderation`).

Only admins set the policy (:func:`set_policy`).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import replace

from evidence.review.actions import ReviewError
from evidence.services.auth import UserRole
from evidence.store import BatchPolicy, QueueItem, QueueOrder, Store

_HASH_SPACE = 2**64  # suggestion_hidden compares the first 8 bytes of a SHA-256 with share * this


def set_policy(store: Store, batch_id: int, *, by: str, role: UserRole | str | None,
               reviewers_per_unit: int | None = None, hide_suggestions: float | None = None,
               chunked: bool | None = None, moderator: str | None = None) -> BatchPolicy:
    """Set a batch's assessment policy as ``by`` (whose ``role`` the caller knows: the signed-in user's); admins
    only. None leaves a setting as it is; ``moderator=""`` removes the named moderator. Recorded in the audit trail."""
    known = _role(role)
    if known is not UserRole.admin:
        raise ReviewError(f"only an admin sets a batch's assessment policy; {by!r} is "
                          f"{'a ' + known.value if known else 'not signed in as an admin'}")
    return store.set_batch_policy(batch_id, by=by, reviewers_per_unit=reviewers_per_unit,
                                  hide_suggestions=hide_suggestions, chunked=chunked, moderator=moderator)


def suggestion_hidden(batch_id: int, unit_id: int, share: float) -> bool:
    """Whether the policy's ``share`` hides this unit's suggestion: the same answer for every assessor and run."""
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = hashlib.sha256(f"evidence-hide:{batch_id}:{unit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * _HASH_SPACE


def as_shown(item: QueueItem, policy: BatchPolicy) -> QueueItem:
    """The card as the assessor sees it: without its suggestions when the policy hides them for this unit."""
    if suggestion_hidden(item.batch_id, item.unit_id, policy.hide_suggestions):
        return replace(item, suggestions=[], suggestion_hidden=True)
    return item


def chunked_order(reviewer: str, batch_id: int) -> QueueOrder:
    """Chunked review's whole-queue order for ``reviewer``: by competency (of each unit's top suggestion, in id
    order; units without one last), within it applicants in a random order seeded by reviewer and batch, and
    within an applicant their units in document order."""
    def order(items: list[QueueItem]) -> list[QueueItem]:
        documents = sorted({i.document_id for i in items})
        random.Random(_seed(reviewer, batch_id)).shuffle(documents)  # noqa: S311 - an order, not a secret
        place = {doc: n for n, doc in enumerate(documents)}
        return sorted(items, key=lambda i: (_competency(i) is None, _competency(i) or "", place[i.document_id],
                                            i.index))

    return order


def applicant_order(reviewer: str, batch_id: int, documents: Sequence[int]) -> list[int]:
    """The document ids in ``reviewer``'s chunked order for this batch (for a page that lists applicants)."""
    shuffled = sorted(documents)
    random.Random(_seed(reviewer, batch_id)).shuffle(shuffled)  # noqa: S311 - an order, not a secret
    return shuffled


def _seed(reviewer: str, batch_id: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{reviewer.strip()}\0{batch_id}".encode()).digest()[:8], "big")


def _competency(item: QueueItem) -> str | None:
    return item.suggestions[0].competency if item.suggestions else None


def _role(role: UserRole | str | None) -> UserRole | None:
    try:
        return UserRole(role) if role is not None else None
    except ValueError:
        return None
