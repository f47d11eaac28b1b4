"""Reviewing suggestions: queue priority, reviewer actions, and retraining from decisions.

The Review page and any other client call these functions rather than the store directly, so the
rules live in one place:

* the queue order: uncertainty first (top score closest to 0.5, then the smallest margin between the
  top two suggestions), or the active-learning order when ``evidence.learn.review_priority``
  exists (it scores a whole queue with an analyzer: ``review_priority(analyzer, texts,
  labelled_counts=..., labelled_texts=...)`` -> one score per text, higher first);
* an action (accept, reject, relabel, no evidence, undo) becomes one appended decision, checked
  against the framework (a relabel must name a competency and level the framework has);
* retraining hands the store to ``evidence.learn.train_from_store`` when that module provides it.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from evidence.domain import NONE_LABEL, DecisionKind, Framework
from evidence.errors import EvidenceError
from evidence.store import DecisionRecord, QueueItem, QueueOrder, Store

logger = logging.getLogger(__name__)


class Action(str, Enum):
    """What a reviewer can do to a card, with its keyboard shortcut as the value's first letter."""

    accept = "accept"
    reject = "reject"
    relabel = "relabel"
    no_evidence = "no_evidence"
    undo = "undo"


SHORTCUTS: dict[Action, str] = {Action.accept: "a", Action.reject: "r", Action.relabel: "l",
                                Action.no_evidence: "n", Action.undo: "u"}
KINDS: dict[Action, DecisionKind] = {Action.accept: DecisionKind.accepted, Action.reject: DecisionKind.rejected,
                                     Action.relabel: DecisionKind.relabelled,
                                     Action.no_evidence: DecisionKind.no_evidence}


class ReviewError(EvidenceError):
    """A reviewer action that cannot be recorded as asked."""


def new_key() -> str:
    """A fresh idempotency key for one decision."""
    return uuid.uuid4().hex


# -- queue order ---------------------------------------------------------------------------------


def uncertainty(item: QueueItem) -> tuple[float, float]:
    """Default priority: top score closest to 0.5 first, then the smallest top-two margin."""
    scores = sorted((s.score for s in item.suggestions), reverse=True) or [0.0]
    second = scores[1] if len(scores) > 1 else 0.0
    return abs(scores[0] - 0.5), scores[0] - second


def active_learning_available() -> bool:
    """Whether the learning module offers ``review_priority`` (the active-learning order)."""
    learn = _learn_module()
    return learn is not None and callable(getattr(learn, "review_priority", None))


def priority_scores(analyzer: Any, items: Sequence[QueueItem], labelled_counts: dict[str, int] | None = None,
                    labelled_texts: Sequence[str] = ()) -> dict[int, float]:
    """Active-learning scores by unit id (higher: review sooner) from ``evidence.learn.review_priority``.

    Empty when the learning module lacks it or it fails (the queue then falls back to
    :func:`uncertainty`); the failure is logged, never shown to the reviewer as an error.
    """
    learn = _learn_module()
    score = getattr(learn, "review_priority", None) if learn is not None else None
    if not callable(score) or not items:
        return {}
    try:
        values = score(analyzer, [i.text for i in items], labelled_counts=labelled_counts or {},
                       labelled_texts=list(labelled_texts))
        return {item.unit_id: float(v) for item, v in zip(items, values, strict=True)}
    except Exception:  # noqa: BLE001 - an optional ranking must never take the review page down
        logger.exception("evidence.learn.review_priority failed; ordering the queue by uncertainty")
        return {}


def order_by_scores(items: Sequence[QueueItem], scores: dict[int, float]) -> list[QueueItem]:
    """Highest score first; units without a score after them, by :func:`uncertainty`."""
    scored = sorted((i for i in items if i.unit_id in scores), key=lambda i: -scores[i.unit_id])
    rest = sorted((i for i in items if i.unit_id not in scores), key=uncertainty)
    return scored + rest


def active_learning_order(analyzer: Any, labelled_counts: dict[str, int] | None = None,
                          labelled_texts: Sequence[str] = ()) -> QueueOrder:
    """A whole-queue order for :meth:`Store.review_queue` using the learning module's priority."""
    def order(items: list[QueueItem]) -> list[QueueItem]:
        return order_by_scores(items, priority_scores(analyzer, items, labelled_counts, labelled_texts))

    return order


def labelled_counts(store: Store, framework_id: str) -> dict[str, int]:
    """How many current decisions label each competency, or no evidence (``NONE``): the rarity signal of
    active learning. Rejections say only what a unit is not, so they count for nothing."""
    counts: dict[str, int] = {}
    for c in store.corrections(framework_id):
        if c.decision is not DecisionKind.rejected:
            key = c.competency or NONE_LABEL
            counts[key] = counts.get(key, 0) + 1
    return counts


def labelled_texts(store: Store, framework_id: str, *, limit: int = 500) -> list[str]:
    """The most recently decided unit texts (at most ``limit``): active learning looks past units like them."""
    texts = list(dict.fromkeys(c.text for c in reversed(store.corrections(framework_id))))
    return texts[:limit]


def _learn_module() -> Any:
    try:
        return importlib.import_module("evidence.learn")
    except ImportError:
        return None
    except Exception:  # noqa: BLE001 - a broken optional module must not take the review page down
        logger.exception("evidence.learn failed to import; using the default review priority")
        return None


# -- actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relabel:
    competency: str
    level: str | None = None


def decide(store: Store, framework: Framework, item: QueueItem, action: Action | str, *, reviewer: str, key: str,
           suggestion_rank: int = 0, relabel: Relabel | None = None) -> DecisionRecord | None:
    """Record one reviewer action on a card; returns the decision (None for an undo with nothing to undo)."""
    action = Action(action)
    if action is Action.undo:
        return store.undo(reviewer=reviewer, key=key)
    if item.framework_id != framework.id:
        raise ReviewError(f"this unit was screened against {item.framework_id!r}, not {framework.id!r}")
    competency = level = None
    if action is Action.relabel:
        if relabel is None or not relabel.competency:
            raise ReviewError("choose the competency (and level) this unit evidences, then relabel")
        competency, level = _check_label(framework, relabel)
    if action in (Action.accept, Action.reject) and not item.suggestions:
        raise ReviewError("this unit has no suggestion to accept or reject; relabel it or mark it no evidence")
    if not 0 <= suggestion_rank < max(len(item.suggestions), 1):
        raise ReviewError(f"no suggestion number {suggestion_rank + 1} on this unit")
    return store.record_decision(unit_id=item.unit_id, reviewer=reviewer, kind=KINDS[action], key=key,
                                 competency=competency, level=level, suggestion_rank=suggestion_rank)


def _check_label(framework: Framework, relabel: Relabel) -> tuple[str, str | None]:
    try:
        framework.competency(relabel.competency)
    except KeyError:
        raise ReviewError(f"{relabel.competency!r} is not a competency of {framework.name}") from None
    levels = [lv.id for lv in framework.levels if not lv.midpoint]
    if relabel.level is not None and relabel.level not in levels:
        raise ReviewError(f"level {relabel.level!r} is not on {framework.name}'s scale {levels}")
    return relabel.competency, relabel.level


def relabel_options(framework: Framework, item: QueueItem) -> Relabel:
    """The relabel a reviewer most likely wants: the runner-up suggestion, else the top one."""
    pick = item.suggestions[1] if len(item.suggestions) > 1 else (item.suggestions[0] if item.suggestions else None)
    if pick is None:
        first = framework.competencies[0]
        return Relabel(first.id, None)
    return Relabel(pick.competency, pick.level)


def describe(record: DecisionRecord, framework: Framework | None = None) -> str:
    """One line for a toast: what was recorded."""
    def name(cid: str | None) -> str:
        if cid and framework is not None:
            try:
                return framework.competency(cid).name
            except KeyError:
                return cid
        return cid or "-"

    at_level = f" at level {record.level}" if record.level else ""
    if record.kind == "undo":
        return f"Undid the decision on unit {record.unit_id}; it is back in the queue"
    if record.kind == DecisionKind.accepted.value:
        return f"Accepted {name(record.competency)}{at_level}"
    if record.kind == DecisionKind.rejected.value:
        return f"Rejected {name(record.suggested_competency)}"
    if record.kind == DecisionKind.relabelled.value:
        return f"Relabelled as {name(record.competency)}{at_level}"
    return "Marked as no evidence"


# -- retraining ----------------------------------------------------------------------------------


def training_available() -> bool:
    learn = _learn_module()
    return learn is not None and callable(getattr(learn, "train_from_store", None))


def retrain(store: Store, framework_id: str) -> Any:
    """Train a new model version from the store's decisions with ``evidence.learn.train_from_store``."""
    learn = _learn_module()
    train = getattr(learn, "train_from_store", None) if learn is not None else None
    if not callable(train):
        raise ReviewError("training not available: this installation has no evidence.learn.train_from_store")
    logger.info("retraining %s from the store's decisions", framework_id)
    return train(store, framework_id)


COMPARED_METRICS = ("top1", "top3", "unit_accuracy", "abstention_precision", "level_exact", "level_within_one", "ece")


def training_comparison(result: Any) -> list[dict[str, object]]:
    """Rows of held-out metrics, new model against the one in use, for the page to show before promoting."""
    return [{"metric": key, "new model": result.new_metrics.get(key), "in use": result.current_metrics.get(key)}
            for key in COMPARED_METRICS]


def promote_trained(result: Any, framework_id: str, reviewer: str) -> None:
    from evidence.registry import promote

    promote(framework_id, result.version, by=reviewer, forced=not result.better,
            reason="better on held-out decisions" if result.better else "promoted by hand from the Review page")
