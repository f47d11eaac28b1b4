"""Retraining from decisions: enough reviewed units go to the learning layer's trainer, unpromoted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest

from evidence import review
from evidence.domain import Framework
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.frameworks.catalogue import get_framework
from evidence.review import ReviewError
from evidence.store import Store
from tests.factories import FRAMEWORK, make_analysis


def accept_all(store: Store, framework: Framework) -> None:
    for card in review.review_queue(store):
        review.decide(store, framework, card, review.Action.accept, reviewer="ann", key=review.new_key())


def must_not_train(*args: object, **kwargs: object) -> None:
    raise AssertionError("the trainer was called")


def test_retraining_needs_decisions(store: Store) -> None:
    with pytest.raises(InputError, match="no review decisions"):
        review.retrain(store, FRAMEWORK, train=must_not_train)


def test_retraining_needs_enough_reviewed_units(store: Store, framework: Framework) -> None:
    accept_all(store, framework)
    with pytest.raises(InputError, match="only 3 reviewed units"):
        review.retrain(store, FRAMEWORK, train=must_not_train)


def test_retraining_hands_the_reviewed_units_to_the_trainer_without_promoting(tmp_path: Path,
                                                                              framework: Framework) -> None:
    sentences = [(f"I led team meeting number {n}.", [("team-working", "3", 0.6)]) for n in range(12)]
    calls = []

    def train(framework: Framework, units: Sequence[LabelledUnit], *, source: str, by: str,
              auto_promote: bool) -> str:
        calls.append((framework.id, len(units), units[0].competencies, source, by, auto_promote))
        return "v2"

    with Store.open(f"sqlite:///{tmp_path / 'many.db'}") as store:
        store.save_batch("many", get_framework(FRAMEWORK), None, [make_analysis("M1", sentences)])
        accept_all(store, framework)
        assert review.retrain(store, FRAMEWORK, by="ann", train=train) == "v2"
    assert calls == [(FRAMEWORK, 12, ["team-working"], "store", "ann", False)]


def test_the_default_trainer_is_the_learning_layers_train_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 framework: Framework) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.train.train_model", lambda *args, **kwargs: calls.append(kwargs) or "v9")
    sentences = [(f"I led team meeting number {n}.", [("team-working", "3", 0.6)]) for n in range(10)]
    with Store.open(f"sqlite:///{tmp_path / 'ten.db'}") as store:
        store.save_batch("ten", get_framework(FRAMEWORK), None, [make_analysis("M1", sentences)])
        accept_all(store, framework)
        assert review.retrain(store, FRAMEWORK) == "v9"
    assert calls == [{"source": "store", "by": "", "auto_promote": False}]


def test_the_comparison_lists_every_held_out_metric() -> None:
    result = SimpleNamespace(new_metrics={"top1": 0.8}, current_metrics={"top1": 0.7, "ece": 0.1})
    rows = review.training_comparison(result)
    assert [r["metric"] for r in rows] == list(review.COMPARED_METRICS)
    assert rows[0] == {"metric": "top1", "new model": 0.8, "in use": 0.7}
    assert rows[-1] == {"metric": "ece", "new model": None, "in use": 0.1}


def test_a_better_version_is_promoted_as_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.registry.promote", lambda *args, **kwargs: calls.append((args, kwargs)))
    review.promote_trained(SimpleNamespace(version="v3", better=True), FRAMEWORK, "ann")
    assert calls == [((FRAMEWORK, "v3"), {"by": "ann", "forced": False, "reason": "better on held-out decisions"})]


def test_a_worse_version_needs_a_confirmation_and_is_recorded_as_forced_with_its_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.registry.promote", lambda *args, **kwargs: calls.append((args, kwargs)))
    worse = SimpleNamespace(version="v3", better=False, current_version="v2")
    with pytest.raises(ReviewError, match="did not measure better than v2"):
        review.promote_trained(worse, FRAMEWORK, "ann")
    assert calls == []
    review.promote_trained(worse, FRAMEWORK, "ann", confirmed=True, reason="the held-out split is 8 sentences")
    assert calls == [((FRAMEWORK, "v3"), {"by": "ann", "forced": True, "reason": "promoted by hand from the Review "
                                          "page: the held-out split is 8 sentences"})]


def test_rolling_back_returns_to_the_previous_version(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.registry.rollback",
                        lambda framework_id, *, by: calls.append((framework_id, by)) or "v1")
    assert review.roll_back(FRAMEWORK, "ann") == "v1" and calls == [(FRAMEWORK, "ann")]
