"""Retraining from reviewers' decisions: train a new model version, compare it with the one in use, promote it.

The store's current decisions become labelled units; the learning layer trains and saves a version without
promoting it, so a person sees the held-out figures (:func:`training_comparison`) before promoting.
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
from evidence.store import Store

if TYPE_CHECKING:
    from evidence.learning.train import TrainResult

logger = logging.getLogger(__name__)

# evidence.learning.train and evidence.learning.registry load scikit-learn and skops: importing either made
# `import evidence.store, <it>` take 5.1-5.7 s against 0.8 s for the queue's evidence.learning.active (measured
# on the 2-core dev box, 2026-12-07). Every page that imports evidence.review would pay that at cold start for
# a button most reviewers never press, so the two are imported where training and promoting happen.

MIN_REVIEWED_UNITS = 10  # with train_model's 20% held-out split, fewer would leave under two units to compare on


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


def promote_trained(result: TrainResult, framework_id: str, reviewer: str, *, confirmed: bool = False,
                    reason: str = "") -> None:
    """Put a retrained version in use. One that did not measure better is promoted only when ``confirmed`` (the
    reviewer saw the comparison and chose it anyway), and the promotion log records it as forced with ``reason``."""
    from evidence.learning.registry import promote  # measured cold-start saving, see above

    if not result.better and not confirmed:
        raise ReviewError(f"{result.version} did not measure better than {result.current_version} on the held-out "
                          "decisions; confirm that you want it in use anyway, or keep the model in use")
    promote(framework_id, result.version, by=reviewer, forced=not result.better,
            reason="better on held-out decisions" if result.better
            else f"promoted by hand from the Review page: {reason.strip() or 'no reason given'}")


def roll_back(framework_id: str, reviewer: str) -> str:
    """Return to the model in use before the current one (down to zero-shot), as `evidence models rollback`
    does; returns the version now in use."""
    from evidence.learning.registry import rollback  # measured cold-start saving, see above

    version = rollback(framework_id, by=reviewer)
    logger.info("%s rolled %s back to %s", reviewer, framework_id, version)
    return version
