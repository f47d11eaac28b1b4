"""The queue's order: uncertainty first, or the learning layer's active-learning priority over the whole queue."""

from __future__ import annotations

from evidence import review
from evidence.domain import Cues, Framework, MatchedIndicator, Suggestion
from evidence.review import Action
from evidence.store import QueueItem, Store
from tests.factories import FRAMEWORK


def item(*scores: float, framework: str = FRAMEWORK) -> QueueItem:
    suggestions = [Suggestion(competency="team-working", score=s, indicator=MatchedIndicator(id="i", text="t"))
                   for s in scores]
    return QueueItem(unit_id=1, batch_id=1, document_id=1, document="A1", framework_id=framework, index=0, text="x",
                     start=0, end=1, cues=Cues(), suggestions=suggestions)


def test_uncertainty_prefers_scores_near_one_half_then_small_margins() -> None:
    ordered = sorted([item(0.9), item(0.5, 0.1), item(0.5, 0.45), item(0.2)], key=review.uncertainty)
    assert [[s.score for s in i.suggestions] for i in ordered] == [[0.5, 0.45], [0.5, 0.1], [0.2], [0.9]]


def test_the_review_queue_puts_the_least_certain_first(store: Store) -> None:
    queue = review.review_queue(store)
    # 0.52 (|0.02|, margin 0.02) before 0.55 (|0.05|) before 0.9; the unit without suggestions is absent
    assert [q.text for q in queue] == ["We built a referral network with GPs.", "I mentored two new starters.",
                                       "I led the team through the merger."]
    assert review.review_queue(store, limit=1) == queue[:1]
    assert [q.text for q in review.review_queue(store, order=list)] == [q.text for q in store.review_queue()]


def test_the_learning_priority_orders_the_whole_queue(store: Store) -> None:
    calls = []

    def prioritise(analyzer, texts, *, labelled_counts=None, labelled_texts=()):  # noqa: ANN001, ANN202
        calls.append((analyzer, list(texts), labelled_counts, labelled_texts))  # the learning layer's shape
        return [len(t) for t in texts]  # longest text first

    order = review.active_learning_order("analyzer", {"team-working": 2}, ["I coach."], prioritise=prioritise)
    queue = store.review_queue(order=order)
    assert [q.text for q in queue] == ["We built a referral network with GPs.", "I led the team through the merger.",
                                       "I mentored two new starters."]
    assert calls[0][0] == "analyzer" and calls[0][2] == {"team-working": 2} and len(calls[0][1]) == 3
    assert calls[0][3] == ["I coach."]
    assert review.priority_scores("analyzer", [], prioritise=prioritise) == {}


def test_a_failing_learning_priority_falls_back_to_uncertainty(store: Store) -> None:
    def broken(analyzer, texts, **options):  # noqa: ANN001, ANN003, ANN202
        raise RuntimeError("model not trained")

    queue = store.review_queue(order=review.active_learning_order(None, prioritise=broken))
    assert queue == review.review_queue(store)  # uncertainty order
    assert review.priority_scores(None, queue, prioritise=broken) == {}


def test_units_without_a_score_follow_the_scored_ones_by_uncertainty(store: Store) -> None:
    queue = store.review_queue()
    by_text = {q.text: q.unit_id for q in queue}
    ordered = review.order_by_scores(queue, {by_text["I led the team through the merger."]: 1.0})
    assert [q.text for q in ordered] == ["I led the team through the merger.",
                                         "We built a referral network with GPs.", "I mentored two new starters."]


def test_labelled_counts_and_texts_come_from_current_decisions(store: Store, framework: Framework) -> None:
    for card in review.review_queue(store):
        review.decide(store, framework, card, Action.accept, reviewer="ann", key=review.new_key())
    review.decide(store, framework, store.suggested_units()[0], Action.undo, reviewer="ann", key="u")  # the last
    assert review.labelled_counts(store, FRAMEWORK) == {"networking-relationship-building": 1,
                                                        "leading-supporting-developing-others": 1}
    assert len(review.labelled_texts(store, FRAMEWORK)) == 2
    card = review.review_queue(store)[0]
    review.decide(store, framework, card, Action.no_evidence, reviewer="ann", key=review.new_key())
    assert review.labelled_counts(store, FRAMEWORK)["NONE"] == 1
    assert review.labelled_texts(store, FRAMEWORK)[0] == card.text  # the latest first
    assert review.labelled_texts(store, FRAMEWORK, limit=1) == [card.text]


def test_next_unit_claims_the_least_certain_unit_nobody_else_holds(store: Store, framework: Framework) -> None:
    ann = review.next_unit(store, reviewer="ann")
    bob = review.next_unit(store, reviewer="bob")
    assert ann is not None and bob is not None
    # the queue's first two by uncertainty, one each
    assert [ann.text, bob.text] == ["We built a referral network with GPs.", "I mentored two new starters."]
    assert review.next_unit(store, reviewer="ann") == ann  # not decided yet: the same card
    review.decide(store, framework, ann, Action.accept, reviewer="ann", key=review.new_key())
    after = review.next_unit(store, reviewer="ann")
    assert after is not None and after.text == "I led the team through the merger."  # bob's is not handed out
    review.decide(store, framework, after, Action.reject, reviewer="ann", key=review.new_key())
    assert review.next_unit(store, reviewer="ann") is None
    assert review.next_unit(store, reviewer="ann", reviews_needed=2, order=list) is None  # bob holds the last one
    assert review.next_unit(store, reviewer="bob") == bob


def test_an_undone_sentence_comes_back_before_the_card_held_at_the_undo(store: Store, framework: Framework) -> None:
    """The e2e walk: reject, then undo; the rejected sentence is the next card, not the one claimed meanwhile."""
    first = review.next_unit(store, reviewer="ann", order=review.stored_order)
    assert first is not None
    review.decide(store, framework, first, Action.reject, reviewer="ann", key=review.new_key())
    held = review.next_unit(store, reviewer="ann", order=review.stored_order)
    assert held is not None and held.unit_id != first.unit_id
    undo = review.decide(store, framework, None, Action.undo, reviewer="ann", key=review.new_key())  # type: ignore[arg-type]
    assert undo is not None and undo.unit_id == first.unit_id
    back = review.next_unit(store, reviewer="ann", order=review.stored_order_from(undo.unit_id))
    assert back is not None and back.unit_id == first.unit_id
