"""Retraining from reviewers' decisions: train a new model version, compare it with the one in use, promote it.

The store's current decisions become labelled units; the learning layer trains and saves a version without
promoting it, so a person sees the comparison (:func:`training_comparison`, :func:`comparison_text`: which
comparison, on how many decisions, with its uncertainty) before promoting. A version that is not credibly
better goes into use only when the person confirms it, and the promotion log records it as forced. Every
promotion (forced or not) and rollback is also recorded in the store's audit trail (:func:`audit_promotion`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from evidence.domain import Framework
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import COMPARED_METRICS
from evidence.frameworks.catalogue import get_framework
from evidence.learning.data import units_from_corrections
from evidence.review.actions import ReviewError
from evidence.store import AuditAction, Store, shared_store

if TYPE_CHECKING:
    from evidence.learning.train import TrainResult

logger = logging.getLogger(__name__)

# evidence.learning.train and evidence.learning.registry load scikit-learn and skops: importing either made
# `import evidence.store, <it>` take 5.1-5.7 s against 0.8 s for the queue's evidence.learning.active (measured
# on the 2-core dev box, 2026-12-07). Every page that imports evidence.review would pay that at cold start for
# a button most reviewers never press, so the two are imported where training and promoting happen.

# learning's MIN_TRAINING_UNITS (kept here too: importing learning.train costs seconds, see above); from ten,
# a few reviewed units are compared by cross-validation over all of them (evidence.learning.compare)
MIN_REVIEWED_UNITS = 10
MIN_COMPARED_DECISIONS = 10  # learning.compare's MIN_COMPARED_UNITS, for the page's words (same reason)


class Trainer(Protocol):
    """The learning layer's ``train_model``, as retraining calls it."""

    def __call__(self, framework: Framework, units: Sequence[LabelledUnit], *, source: str, by: str,
                 auto_promote: bool) -> TrainResult: ...


def train_from_store(store: Store, framework_id: str, *, by: str = "", train: Trainer | None = None) -> TrainResult:
    """Train from the review decisions in ``store``; saves the new version without promoting it.

    ``train`` defaults to :func:`evidence.learning.train.train_model`.
    """
    framework = get_framework(framework_id)
    corrections = store.corrections(framework_id)
    if not corrections:
        raise InputError(f"no review decisions for {framework_id!r} yet: review some suggestions first")
    units = units_from_corrections(corrections, framework)
    if len(units) < MIN_REVIEWED_UNITS:
        raise InputError(f"only {len(units)} reviewed units for {framework_id!r}: review at least "
                         f"{MIN_REVIEWED_UNITS} (accepted, relabelled or marked no-evidence) before retraining")
    if train is None:
        from evidence.learning.train import train_model  # measured cold-start saving, see above

        train = train_model
    return train(framework, units, source="store", by=by, auto_promote=False)


def retrain(store: Store, framework_id: str, *, by: str = "", train: Trainer | None = None) -> TrainResult:
    """Train a new model version from the store's decisions (the Review page's "Retrain now")."""
    logger.info("retraining %s from the store's decisions", framework_id)
    return train_from_store(store, framework_id, by=by, train=train)


def training_comparison(result: TrainResult) -> list[dict[str, object]]:
    """Rows of held-out metrics, new model against the one in use, for the page to show before promoting."""
    return [{"metric": key, "new model": result.new_metrics.get(key), "in use": result.current_metrics.get(key)}
            for key in COMPARED_METRICS]


def comparison_text(result: TrainResult) -> str:
    """The comparison in plain words for the Review page: how it was checked, on how many decisions, the share
    of top suggestions right for each model, their difference with its 95% interval, and what that means."""
    comparison = getattr(result, "comparison", None)
    if comparison is None:  # a result from before comparisons said how they were made
        return "Compared with the model in use on held-out decisions."
    checked = f"Checked by {comparison.method_text} on {comparison.units} decisions"
    new, current = comparison.new_metrics.top1, comparison.current_metrics.top1
    if comparison.difference is None or comparison.interval is None or new is None or current is None:
        return f"{checked}, none of which found evidence of a competency: there is nothing to compare yet."
    low, high = comparison.interval
    figures = (f"{checked}: top suggestion right {new:.0%} of the time vs {current:.0%} for the model in use, "
               f"difference {_points(comparison.difference)} points, 95% interval {_points(low)} to "
               f"{_points(high)}.")
    if comparison.better:
        verdict = "The new version is better, and by more than chance would explain."
    elif comparison.credible:
        verdict = ("It ranks competencies better, but is right end to end (a right suggestion, or rightly none) "
                   "less often than the model in use.")
    elif high < 0 and comparison.top1_units >= MIN_COMPARED_DECISIONS:
        verdict = "The new version is worse, by more than chance would explain: keep the model in use."
    elif comparison.top1_units < MIN_COMPARED_DECISIONS:
        verdict = (f"Only {comparison.top1_units} of these decisions name a competency: too few to tell the two "
                   f"apart (at least {MIN_COMPARED_DECISIONS} are needed). Keep reviewing and retrain later.")
    else:
        verdict = ("The interval includes no gain or a loss: the difference could be chance. Keep reviewing and "
                   "retrain later.")
    return f"{figures} {verdict}"


def _points(share: float) -> str:
    return f"{round(share * 100):+d}"


def audit_promotion(framework_id: str, version: str, *, by: str, forced: bool, reason: str = "",
                    rolled_back_from: str | None = None, store: Store | None = None) -> None:
    """Record a promotion, forced promotion or rollback in the audit trail of ``store`` (default: the shared store
    of ``EVIDENCE_DATABASE_URL``), with who, which version and why."""
    action = (AuditAction.rollback if rolled_back_from is not None
              else AuditAction.forced_promotion if forced else AuditAction.promotion)
    payload: dict[str, object] = {"version": version, "reason": reason}
    if rolled_back_from is not None:
        payload["from"] = rolled_back_from
    (store or shared_store()).audit(actor=by, action=action, subject=f"framework:{framework_id}", payload=payload)


def promote_trained(result: TrainResult, framework_id: str, reviewer: str, *, confirmed: bool = False,
                    reason: str = "", store: Store | None = None) -> None:
    """Put a retrained version in use. One that is not credibly better is promoted only when ``confirmed`` (the
    reviewer saw the comparison and chose it anyway), and the promotion log records it as forced with ``reason``
    and the comparison it was promoted on; the audit trail of ``store`` (default: the shared store) records it."""
    from evidence.learning.registry import promote  # measured cold-start saving, see above

    comparison = getattr(result, "comparison", None)  # None: a result from before comparisons said how
    measured = f": {comparison.summary()}" if comparison is not None else " on held-out decisions"
    if not result.better and not confirmed:
        raise ReviewError(f"{result.version} is not credibly better than {result.current_version}{measured}; "
                          "confirm that you want it in use anyway, or keep the model in use")
    forced = f"promoted by hand from the Review page: {reason.strip() or 'no reason given'}"
    why = (f"credibly better{measured}" if result.better
           else forced + (f" (not credibly better{measured})" if comparison is not None else ""))
    promote(framework_id, result.version, by=reviewer, forced=not result.better, reason=why)
    audit_promotion(framework_id, result.version, by=reviewer, forced=not result.better, reason=why, store=store)


def roll_back(framework_id: str, reviewer: str, *, store: Store | None = None) -> str:
    """Return to the model in use before the current one (down to zero-shot), as `evidence models rollback`
    does; returns the version now in use. Recorded in the audit trail of ``store`` (default: the shared store)."""
    from evidence.learning.registry import promoted_version, rollback  # measured cold-start saving, see above

    current = promoted_version(framework_id)
    version = rollback(framework_id, by=reviewer)
    audit_promotion(framework_id, version, by=reviewer, forced=False, rolled_back_from=current, store=store)
    logger.info("%s rolled %s back to %s", reviewer, framework_id, version)
    return version
