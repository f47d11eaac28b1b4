"""Review rules: queue priority, reviewer actions checked against the framework, retraining hooks."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence import review
from evidence.domain import Cues, MatchedIndicator, Suggestion
from evidence.frameworks.catalogue import get_framework
from evidence.review import Action, Relabel, ReviewError
from evidence.store import QueueItem, Store
from tests.factories import FRAMEWORK, small_batch


def item(*scores: float, framework: str = FRAMEWORK) -> QueueItem:
    suggestions = [Suggestion(competency="team-working", score=s, indicator=MatchedIndicator(id="i", text="t"))
                   for s in scores]
    return QueueItem(unit_id=1, batch_id=1, document_id=1, document="A1", framework_id=framework, index=0, text="x",
                     start=0, end=1, cues=Cues(), suggestions=suggestions)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'review.db'}") as s:
        s.save_batch("b", FRAMEWORK, FRAMEWORK, small_batch())
        yield s


@pytest.fixture
def no_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "evidence.learn", None)  # import evidence.learn -> ImportError


def fake_learn(monkeypatch: pytest.MonkeyPatch, **functions: object) -> types.ModuleType:
    module = types.ModuleType("evidence.learn")
    for name, function in functions.items():
        setattr(module, name, function)
    monkeypatch.setitem(sys.modules, "evidence.learn", module)
    return module


def test_uncertainty_prefers_scores_near_one_half_then_small_margins() -> None:
    ordered = sorted([item(0.9), item(0.5, 0.1), item(0.5, 0.45), item(0.2)], key=review.uncertainty)
    assert [[s.score for s in i.suggestions] for i in ordered] == [[0.5, 0.45], [0.5, 0.1], [0.2], [0.9]]


def test_the_learning_modules_priority_orders_the_whole_queue(monkeypatch: pytest.MonkeyPatch, store: Store,
                                                             no_learn: None) -> None:
    assert not review.active_learning_available()
    assert review.priority_scores(object(), store.review_queue()) == {}
    calls = []

    def review_priority(analyzer, texts, *, labelled_counts=None, labelled_texts=()):  # noqa: ANN001, ANN202
        calls.append((analyzer, list(texts), labelled_counts, labelled_texts))  # the learn module's shape
        return [len(t) for t in texts]  # longest text first

    fake_learn(monkeypatch, review_priority=review_priority)
    assert review.active_learning_available()
    queue = store.review_queue(order=review.active_learning_order("analyzer", {"team-working": 2}, ["I coach."]))
    assert [q.text for q in queue] == ["We built a referral network with GPs.", "I led the team through the merger.",
                                       "I mentored two new starters."]
    assert calls[0][0] == "analyzer" and calls[0][2] == {"team-working": 2} and len(calls[0][1]) == 3
    assert calls[0][3] == ["I coach."]


def test_a_failing_learning_priority_falls_back_to_uncertainty(monkeypatch: pytest.MonkeyPatch,
                                                               store: Store) -> None:
    def broken(analyzer, texts, **options):  # noqa: ANN001, ANN003, ANN202
        raise RuntimeError("model not trained")

    fake_learn(monkeypatch, review_priority=broken)
    queue = store.review_queue(order=review.active_learning_order(None))
    assert queue == store.review_queue()  # uncertainty order


def test_labelled_counts_and_texts_come_from_current_decisions(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    for card in store.review_queue():
        review.decide(store, framework, card, Action.accept, reviewer="ann", key=review.new_key())
    review.decide(store, framework, store.suggested_units()[0], Action.undo, reviewer="ann", key="u")  # the last
    assert review.labelled_counts(store, FRAMEWORK) == {"networking-relationship-building": 1,
                                                        "leading-supporting-developing-others": 1}
    assert len(review.labelled_texts(store, FRAMEWORK)) == 2
    card = store.review_queue()[0]
    review.decide(store, framework, card, Action.no_evidence, reviewer="ann", key=review.new_key())
    assert review.labelled_counts(store, FRAMEWORK)["NONE"] == 1
    assert review.labelled_texts(store, FRAMEWORK)[0] == card.text  # the latest first


def test_actions_record_the_matching_decision_kinds(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    queue = store.review_queue()
    kinds = []
    for action, card in zip([Action.accept, Action.reject, Action.no_evidence], queue):
        kinds.append(review.decide(store, framework, card, action, reviewer="ann", key=review.new_key()).kind)
    assert kinds == ["accepted", "rejected", "no_evidence"]
    undo = review.decide(store, framework, queue[0], Action.undo, reviewer="ann", key=review.new_key())
    assert undo.kind == "undo" and review.describe(undo).startswith("Undid")


def test_a_relabel_must_name_a_competency_and_level_of_the_framework(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    card = store.review_queue()[0]
    with pytest.raises(ReviewError, match="choose the competency"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="1")
    with pytest.raises(ReviewError, match="not a competency"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="2", relabel=Relabel("cooking"))
    with pytest.raises(ReviewError, match="not on"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="3",
                      relabel=Relabel("team-working", "9"))
    record = review.decide(store, framework, card, Action.relabel, reviewer="ann", key="4",
                           relabel=Relabel("team-working", "4"))
    assert (record.kind, record.competency, record.level) == ("relabelled", "team-working", "4")
    assert review.describe(record, framework) == "Relabelled as Team Working at level 4"


def test_a_card_from_another_framework_is_refused(store: Store) -> None:
    with pytest.raises(ReviewError, match="screened against"):
        review.decide(store, get_framework("councils"), store.review_queue()[0], Action.accept, reviewer="a", key="k")


def test_relabel_defaults_to_the_runner_up_suggestion(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    mentor = next(q for q in store.review_queue() if q.text.startswith("I mentored"))
    assert review.relabel_options(framework, mentor) == Relabel("team-working", "2")
    single = next(q for q in store.review_queue() if q.text.startswith("I led"))
    assert review.relabel_options(framework, single) == Relabel("team-working", "3")


def test_retraining_says_when_it_is_not_available(store: Store, no_learn: None) -> None:
    assert not review.training_available()
    with pytest.raises(ReviewError, match="training not available"):
        review.retrain(store, FRAMEWORK)


def test_retraining_hands_the_store_to_the_learning_module(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    calls = []
    fake_learn(monkeypatch, train_from_store=lambda s, f: calls.append((s, f)) or "v2")
    assert review.training_available()
    assert review.retrain(store, FRAMEWORK) == "v2"
    assert calls == [(store, FRAMEWORK)]
