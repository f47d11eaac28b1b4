"""The queue: units with suggestions waiting for a decision, in document order or the caller's order."""

from __future__ import annotations

from evidence.domain import DecisionKind
from evidence.store import QueueItem, Store

IN_DOCUMENT_ORDER = ["I led the team through the merger.", "I mentored two new starters.",
                     "We built a referral network with GPs."]


def test_the_queue_holds_units_with_suggestions_in_document_order(store: Store, batch_id: int) -> None:
    queue = store.review_queue(batch_id=batch_id)
    assert [q.text for q in queue] == IN_DOCUMENT_ORDER  # "I like tea." has no suggestion
    mentor = queue[1]
    assert mentor.before == "I like tea." and mentor.after == ""
    assert (mentor.document, mentor.index, mentor.framework_id) == ("A1", 2, "community-link-worker")
    assert [s.competency for s in mentor.suggestions] == ["leading-supporting-developing-others", "team-working"]
    assert store.suggested_units(batch_id=batch_id) == queue
    assert store.review_queue(framework_id="councils") == []


def test_the_caller_orders_the_whole_queue_before_the_limit(store: Store, batch_id: int) -> None:
    seen: list[list[str]] = []

    def by_score(items: list[QueueItem]) -> list[QueueItem]:
        seen.append([i.text for i in items])
        return sorted(items, key=lambda item: -item.suggestions[0].score)

    queue = store.review_queue(batch_id=batch_id, order=by_score, limit=1)
    assert [q.text for q in queue] == ["I led the team through the merger."]
    assert seen == [IN_DOCUMENT_ORDER]
    assert len(store.review_queue(batch_id=batch_id, limit=2)) == 2


def test_a_decided_unit_leaves_the_queue(store: Store, batch_id: int, units: dict[str, int]) -> None:
    store.record_decision(unit_id=units["I led the team through the merger."], reviewer="ann",
                          kind=DecisionKind.accepted, key="k1")
    assert len(store.review_queue(batch_id=batch_id)) == 2
    store.set_batch_policy(batch_id, by="admin", reviewers_per_unit=2)
    assert len(store.review_queue(batch_id=batch_id)) == 3
    assert len(store.review_queue(batch_id=batch_id, reviewer="bob")) == 3
    assert len(store.review_queue(batch_id=batch_id, reviewer="ann")) == 2
    assert len(store.suggested_units(batch_id=batch_id)) == 3  # decided or not
    assert store.progress(batch_id=batch_id) == (1, 3)
