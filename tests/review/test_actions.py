"""Reviewer actions: each becomes the matching decision, checked against the framework first."""

from __future__ import annotations

import pytest

from evidence import review
from evidence.domain import Framework
from evidence.frameworks.catalogue import get_framework
from evidence.review import Action, Relabel, ReviewError
from evidence.store import Store


def test_actions_record_the_matching_decision_kinds(store: Store, framework: Framework) -> None:
    queue = review.review_queue(store)
    kinds = []
    for action, card in zip([Action.accept, Action.reject, Action.no_evidence], queue, strict=True):
        record = review.decide(store, framework, card, action, reviewer="ann", key=review.new_key())
        assert record is not None
        kinds.append(record.kind)
    assert kinds == ["accepted", "rejected", "no_evidence"]
    undo = review.decide(store, framework, queue[0], Action.undo, reviewer="ann", key=review.new_key())
    assert undo is not None and undo.kind == "undo"


def test_each_action_records_the_label_it_means(store: Store, framework: Framework) -> None:
    card = next(q for q in store.review_queue() if q.text.startswith("I led"))
    labels = []
    for action in (Action.accept, Action.reject, Action.no_evidence):
        record = review.decide(store, framework, card, action, reviewer=action.value, key=review.new_key())
        assert record is not None
        labels.append((record.kind, record.competency, record.level, record.suggested_competency))
    assert labels == [("accepted", "team-working", "3", "team-working"),
                      ("rejected", None, None, "team-working"), ("no_evidence", None, None, "team-working")]
    assert review.decide(store, framework, card, "undo", reviewer="nobody", key="k") is None  # nothing to undo


def test_a_relabel_must_name_a_competency_and_level_of_the_framework(store: Store, framework: Framework) -> None:
    card = review.review_queue(store)[0]
    with pytest.raises(ReviewError, match="choose the competency"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="1")
    with pytest.raises(ReviewError, match="not a competency"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="2", relabel=Relabel("cooking"))
    with pytest.raises(ReviewError, match="not on"):
        review.decide(store, framework, card, Action.relabel, reviewer="ann", key="3",
                      relabel=Relabel("team-working", "9"))
    record = review.decide(store, framework, card, Action.relabel, reviewer="ann", key="4",
                           relabel=Relabel("team-working", "4"))
    assert record is not None
    assert (record.kind, record.competency, record.level) == ("relabelled", "team-working", "4")


def test_a_card_from_another_framework_is_refused(store: Store) -> None:
    with pytest.raises(ReviewError, match="screened against"):
        review.decide(store, get_framework("councils"), store.review_queue()[0], Action.accept, reviewer="a", key="k")


def test_a_suggestion_rank_the_card_lacks_is_refused(store: Store, framework: Framework) -> None:
    card = next(q for q in store.review_queue() if q.text.startswith("I led"))
    with pytest.raises(ReviewError, match="no suggestion number 2"):
        review.decide(store, framework, card, Action.accept, reviewer="ann", key="k", suggestion_rank=1)


def test_relabel_defaults_to_the_runner_up_suggestion(store: Store, framework: Framework) -> None:
    mentor = next(q for q in store.review_queue() if q.text.startswith("I mentored"))
    assert review.relabel_options(framework, mentor) == Relabel("team-working", "2")
    single = next(q for q in store.review_queue() if q.text.startswith("I led"))
    assert review.relabel_options(framework, single) == Relabel("team-working", "3")
