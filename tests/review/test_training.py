"""Retraining from decisions: from ten reviewed units they go to the learning layer's trainer, unpromoted; the
comparison is told in plain words (which, on how many decisions, how sure); a version not credibly better is
promoted only with a confirmation, which the promotion log records."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest

from evidence import review
from evidence.domain import Framework
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Metrics
from evidence.frameworks.catalogue import get_framework
from evidence.learning.compare import Comparison, Method
from evidence.review import ReviewError
from evidence.store import Store
from tests.factories import FRAMEWORK, make_analysis


def metrics(top1: float, unit_accuracy: float = 0.5) -> Metrics:
    return Metrics(framework=FRAMEWORK, units=18, evidence_units=16, none_units=2, top1=top1, top3=None,
                   macro_f1=0.0, abstention_precision=None, abstention_recall=None, level_units=0, level_exact=None,
                   level_within_one=None, level_mae=None, ece=None, rp5=None, mrr=None, unit_accuracy=unit_accuracy,
                   counter_units=0, counter_recall=None, counter_precision=None)


def comparison(**changes: object) -> Comparison:
    values = {"new_metrics": metrics(0.78), "current_metrics": metrics(0.72), "current_version": "v2",
              "method": Method.cross_validation, "units": 18, "folds": 5, "top1_units": 16, "difference": 0.06,
              "interval": (-0.04, 0.16), **changes}
    return Comparison(**values)  # type: ignore[arg-type]


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
    review.promote_trained(SimpleNamespace(version="v3", better=True, comparison=comparison(interval=(0.02, 0.2))),
                           FRAMEWORK, "ann")
    assert calls == [((FRAMEWORK, "v3"), {"by": "ann", "forced": False, "reason": (
        "credibly better: checked by 5-fold cross-validation on 18 labelled units: top suggestion right 78% vs 72% "
        "in use, difference +6 points, 95% interval +2 to +20 (on 16 units with a competency)")})]


def test_a_worse_version_needs_a_confirmation_and_is_recorded_as_forced_with_its_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.registry.promote", lambda *args, **kwargs: calls.append((args, kwargs)))
    worse = SimpleNamespace(version="v3", better=False, current_version="v2", comparison=comparison())
    with pytest.raises(ReviewError, match="v3 is not credibly better than v2: checked by 5-fold cross-validation on "
                                          "18 labelled units"):
        review.promote_trained(worse, FRAMEWORK, "ann")
    assert calls == []
    review.promote_trained(worse, FRAMEWORK, "ann", confirmed=True, reason="the team trusts these decisions")
    [(args, kwargs)] = calls
    assert args == (FRAMEWORK, "v3") and kwargs["forced"] is True and kwargs["by"] == "ann"
    assert kwargs["reason"].startswith("promoted by hand from the Review page: the team trusts these decisions (not "
                                       "credibly better: checked by 5-fold cross-validation on 18 labelled units")


def test_rolling_back_returns_to_the_previous_version(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr("evidence.learning.registry.rollback",
                        lambda framework_id, *, by: calls.append((framework_id, by)) or "v1")
    assert review.roll_back(FRAMEWORK, "ann") == "v1" and calls == [(FRAMEWORK, "ann")]


@pytest.mark.parametrize(("changes", "verdict"), [
    ({}, "The interval includes no gain or a loss: the difference could be chance. Keep reviewing and retrain later."),
    ({"interval": (0.02, 0.1)}, "The new version is better, and by more than chance would explain."),
    ({"interval": (0.02, 0.1), "new_metrics": metrics(0.78, unit_accuracy=0.2)},
     "It ranks competencies better, but is right end to end (a right suggestion, or rightly none) less often than "
     "the model in use."),
    ({"interval": (-0.1, -0.02)}, "The new version is worse, by more than chance would explain: keep the model in "
                                  "use."),
    ({"top1_units": 6}, "Only 6 of these decisions name a competency: too few to tell the two apart (at least 10 are "
                        "needed). Keep reviewing and retrain later."),
])
def test_the_comparison_in_plain_words(changes: dict, verdict: str) -> None:
    text = review.training.comparison_text(SimpleNamespace(comparison=comparison(**changes)))
    low, high = (f"{round(100 * bound):+d}" for bound in changes.get("interval", (-0.04, 0.16)))
    assert text == ("Checked by 5-fold cross-validation on 18 decisions: top suggestion right 78% of the time vs 72% "
                    f"for the model in use, difference +6 points, 95% interval {low} to {high}. {verdict}")


def test_the_review_layer_asks_for_as_many_units_as_learning() -> None:
    from evidence.learning.compare import MIN_COMPARED_UNITS
    from evidence.learning.train import MIN_TRAINING_UNITS

    assert review.training.MIN_REVIEWED_UNITS == MIN_TRAINING_UNITS
    assert review.training.MIN_COMPARED_DECISIONS == MIN_COMPARED_UNITS


@pytest.mark.slow
def test_ten_reviewed_decisions_retrain_for_real_and_promote_only_when_confirmed(
        fresh_home: Path, tmp_path: Path, framework: Framework) -> None:
    from evidence.learning.registry import promoted_version, promotion_log, show_version

    competencies = ["team-working", "networking-relationship-building"]
    sentences = [(f"I {'led the team meeting' if n % 2 else 'wrote the newsletter'} in week {n}.",
                  [(competencies[n % 2], None, 0.6)]) for n in range(10)]
    shipped = promoted_version(FRAMEWORK)
    with Store.open(f"sqlite:///{tmp_path / 'ten.db'}") as store:
        store.save_batch("ten", get_framework(FRAMEWORK), None, [make_analysis("T1", sentences)])
        accept_all(store, framework)
        trained = review.retrain(store, FRAMEWORK, by="ann")
    comparison = trained.comparison
    assert comparison.method is Method.cross_validation and comparison.units == 10 and comparison.folds == 5
    assert comparison.top1_units == 10 and comparison.interval is not None
    assert promoted_version(FRAMEWORK) == shipped, "retraining saves a version and promotes nothing"
    # the first decisions add to what the shipped head knows, rather than starting again from zero-shot
    assert show_version(FRAMEWORK, trained.version)["trained_on_top_of"] == shipped != "zero-shot"
    assert "Checked by 5-fold cross-validation on 10 decisions" in review.training.comparison_text(trained)
    if not trained.better:
        with pytest.raises(ReviewError, match="not credibly better"):
            review.promote_trained(trained, FRAMEWORK, "ann")
    review.promote_trained(trained, FRAMEWORK, "ann", confirmed=True, reason="pilot")
    assert promoted_version(FRAMEWORK) == trained.version
    assert promotion_log(FRAMEWORK)[-1]["forced"] is (not trained.better)
    assert review.roll_back(FRAMEWORK, "ann") == shipped
