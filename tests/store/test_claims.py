"""Claims: each reviewer is handed a unit nobody else holds; concurrent reviewers get disjoint units and, on
PostgreSQL (``FOR UPDATE SKIP LOCKED``), never wait on one another. Run on SQLite and on PostgreSQL when given."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from evidence.frameworks.catalogue import get_framework
from evidence.store import QueueItem, Store, StoreError
from evidence.store import claims as claims_module
from tests.factories import FRAMEWORK, make_analysis

REVIEWERS = 4
SENTENCES = 12  # per document; 3 documents: 36 units, so each of the 4 reviewers claims several


def many_units(store: Store) -> int:
    """A batch of 36 units with suggestions, for reviewers to share."""
    analyses = [make_analysis(f"D{d}", [(f"Document {d}: I led team meeting {n}.", [("team-working", "2", 0.6)])
                                        for n in range(SENTENCES)]) for d in range(3)]
    return store.save_batch("many", get_framework(FRAMEWORK), None, analyses)


def test_reviewers_are_handed_different_units_and_keep_their_own(store: Store, batch_id: int) -> None:
    first = store.claim_next(reviewer="ann", batch_id=batch_id)
    assert first is not None and first.text == "I led the team through the merger."  # document order by default
    assert store.claim_next(reviewer="ann", batch_id=batch_id) == first  # asked again (a reload): the same card
    second = store.claim_next(reviewer="bob", batch_id=batch_id)
    assert second is not None and second.unit_id != first.unit_id
    assert first.unit_id not in {q.unit_id for q in store.review_queue(batch_id=batch_id, reviewer="bob")}
    assert {(c.unit_id, c.reviewer) for c in store.claims(batch_id=batch_id)} == {(first.unit_id, "ann"),
                                                                                   (second.unit_id, "bob")}
    [claim] = [c for c in store.claims() if c.reviewer == "ann"]
    assert claim.expires_at - claim.claimed_at == timedelta(minutes=10) and claim.claimed_at.tzinfo is not None


def test_the_callers_order_decides_which_unit_comes_next(store: Store, batch_id: int) -> None:
    def reverse(items: list[QueueItem]) -> list[QueueItem]:
        return items[::-1]

    claimed = store.claim_next(reviewer="ann", batch_id=batch_id, order=reverse)
    assert claimed is not None and claimed.text == "We built a referral network with GPs."


def test_deciding_releases_the_claim_and_the_next_claim_moves_on(store: Store, batch_id: int) -> None:
    card = store.claim_next(reviewer="ann", batch_id=batch_id)
    assert card is not None
    store.record_decision(unit_id=card.unit_id, reviewer="ann", kind="accepted", key="k1")
    assert store.claims() == []
    # with two reviews needed (the batch's policy), the unit ann decided is free for bob at once
    store.set_batch_policy(batch_id, by="admin", reviewers_per_unit=2)
    again = store.claim_next(reviewer="bob", batch_id=batch_id, reviews_needed=1)  # the batch's policy wins
    assert again is not None and again.unit_id == card.unit_id
    following = store.claim_next(reviewer="ann", batch_id=batch_id)
    assert following is not None and following.unit_id not in (card.unit_id,)
    assert len(store.claims()) == 2


def test_a_new_claim_releases_the_reviewers_other_claims(store: Store, batch_id: int) -> None:
    def last_first(items: list[QueueItem]) -> list[QueueItem]:
        return items[::-1]

    first = store.claim_next(reviewer="ann", batch_id=batch_id)
    assert first is not None
    store.record_decision(unit_id=first.unit_id, reviewer="bob", kind="accepted", key="b1")  # done by someone else
    moved = store.claim_next(reviewer="ann", batch_id=batch_id, order=last_first)
    assert moved is not None and moved.unit_id != first.unit_id
    assert [(c.unit_id, c.reviewer) for c in store.claims()] == [(moved.unit_id, "ann")]


def test_an_expired_claim_goes_back_to_the_queue(store: Store, batch_id: int) -> None:
    held = store.claim_next(reviewer="ann", batch_id=batch_id, lease=timedelta(milliseconds=1))
    assert held is not None
    time.sleep(0.01)
    assert store.claims() == []
    taken = store.claim_next(reviewer="bob", batch_id=batch_id)
    assert taken is not None and taken.unit_id == held.unit_id


def test_when_every_unit_is_held_or_decided_there_is_nothing_to_claim(store: Store, batch_id: int) -> None:
    claimed = [store.claim_next(reviewer=name, batch_id=batch_id) for name in ("ann", "bob", "cat")]
    assert len({c.unit_id for c in claimed if c is not None}) == 3
    assert store.claim_next(reviewer="dan", batch_id=batch_id) is None
    assert store.release_claims(reviewer="bob") == 1
    freed = store.claim_next(reviewer="dan", batch_id=batch_id)
    assert freed is not None and freed.unit_id == claimed[1].unit_id  # type: ignore[union-attr]


def test_claims_are_refused_without_a_reviewer_or_with_no_lease(store: Store, batch_id: int) -> None:
    with pytest.raises(StoreError, match="names its reviewer"):
        store.claim_next(reviewer=" ", batch_id=batch_id)
    with pytest.raises(StoreError, match="lease must be positive"):
        store.claim_next(reviewer="ann", batch_id=batch_id, lease=timedelta(0))


def test_concurrent_reviewers_claim_disjoint_units(database_url: str) -> None:
    """Four reviewers, each with a store (its own connections) in a thread, claim and decide until the queue is
    empty: every unit is claimed by exactly one of them and decided once."""
    with Store.open(database_url) as setup:
        batch = many_units(setup)
        total = len(setup.review_queue(batch_id=batch))
    stores = [Store.open(database_url) for _ in range(REVIEWERS)]
    barrier = threading.Barrier(REVIEWERS)
    claimed: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def review(store: Store, reviewer: str) -> None:
        try:
            barrier.wait()
            while (card := store.claim_next(reviewer=reviewer, batch_id=batch)) is not None:
                claimed.append((card.unit_id, reviewer))
                store.record_decision(unit_id=card.unit_id, reviewer=reviewer, kind="accepted",
                                      key=f"{reviewer}-{card.unit_id}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(s, f"reviewer-{n}")) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for s in stores:
        s.close()
    assert errors == []
    assert not any(t.is_alive() for t in threads)
    assert Counter(unit for unit, _ in claimed).most_common(1)[0][1] == 1  # nobody got a unit another had
    assert len(claimed) == total
    with Store.open(database_url) as check:
        assert len(check.decision_log(batch_id=batch)) == total and check.claims() == []
        assert len(check.agreement(batch_id=batch).by_reviewer) > 1  # the work was shared, not done by one


def test_a_claim_skips_a_unit_locked_by_another_reviewers_transaction(postgres_url: str) -> None:
    """PostgreSQL: while another transaction holds the first unit's row lock (a reviewer mid-claim), a claim
    takes the next unit at once instead of waiting for that transaction."""
    with Store.open(postgres_url) as store:
        batch = many_units(store)
        first, second = store.review_queue(batch_id=batch)[:2]
        holder = create_engine(postgres_url)
        try:
            with holder.connect() as connection:
                transaction = connection.begin()
                connection.execute(text("SELECT id FROM units WHERE id = :id FOR UPDATE"), {"id": first.unit_id})
                result: list[QueueItem | None] = []
                worker = threading.Thread(target=lambda: result.append(store.claim_next(reviewer="bob",
                                                                                        batch_id=batch)))
                started = time.monotonic()
                worker.start()
                worker.join(timeout=20)
                waited = time.monotonic() - started
                transaction.rollback()
                worker.join()
        finally:
            holder.dispose()
        assert result and result[0] is not None and result[0].unit_id == second.unit_id
        assert waited < 20  # it did not wait for the lock holder, who let go only after the join timed out
        assert store.claim_next(reviewer="ann", batch_id=batch) == first  # once free, the first unit is claimable


def test_a_claim_ended_by_a_deadlock_is_tried_again(store: Store, batch_id: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL ends one of two claims that lock the same rows in opposite orders (SQLSTATE 40P01)."""
    real, calls = claims_module._claim, []

    def deadlocked_once(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the wrapped function's own
        calls.append(1)
        if len(calls) == 1:
            raise DBAPIError("DELETE FROM claims ...", None, SimpleNamespace(sqlstate=claims_module.DEADLOCK))
        return real(*args, **kwargs)

    monkeypatch.setattr(claims_module, "_claim", deadlocked_once)
    claimed = store.claim_next(reviewer="ann", batch_id=batch_id)
    assert claimed is not None and len(calls) == 2
    assert [c.reviewer for c in store.claims()] == ["ann"]
