"""Batches: a saved batch reopens exactly, blind batches keep both texts, a failed save leaves nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from evidence.frameworks.catalogue import get_framework
from evidence.store import Store, StoreError
from tests.factories import FRAMEWORK, make_analysis, small_batch


def test_a_saved_batch_reopens_exactly(store: Store, batch_id: int) -> None:
    [info] = store.list_batches()
    assert (info.id, info.name, info.framework_id, info.role_id, info.documents, info.created_by) == (
        batch_id, "tiny", FRAMEWORK, FRAMEWORK, 2, "rec")
    assert info.framework_hash == get_framework(FRAMEWORK).content_hash
    assert info.created_at.tzinfo is not None
    assert store.analyses(batch_id) == small_batch()
    docs = store.documents(batch_id)
    assert [d.external_id for d in docs] == ["A1", "A2"]
    assert docs[0].redacted_text is None and docs[0].shown_text == docs[0].text


def test_batches_are_found_by_id_and_by_name_newest_first(store: Store, batch_id: int) -> None:
    framework = get_framework(FRAMEWORK)
    newer = store.save_batch("tiny", framework, None, small_batch()[:1])
    other = store.save_batch("other", framework, None, [])
    assert [b.id for b in store.list_batches()] == [other, newer, batch_id]
    assert store.batch(batch_id) == store.list_batches()[2]
    assert store.batch(newer).documents == 1 and store.batch(other).documents == 0
    assert store.find_batch("tiny") == store.batch(newer)
    assert store.find_batch("nope") is None
    with pytest.raises(StoreError, match="no batch with id 999"):
        store.batch(999)
    assert store.list_batches(framework_id="councils") == []


def test_a_framework_version_is_recorded_once(store: Store, batch_id: int) -> None:
    store.save_batch("again", get_framework(FRAMEWORK), None, small_batch())
    with store.engine.connect() as c:
        assert c.execute(text("select count(*) from frameworks")).scalar() == 1


def test_a_blind_batch_keeps_the_original_and_the_redacted_text(store: Store) -> None:
    redacted = make_analysis("A9", [("My name is [name] and I led a team.", [("team-working", "2", 0.7)])])
    batch = store.save_batch("blind", get_framework(FRAMEWORK), None, [redacted],
                             originals={"A9": "My name is Jo Bloggs and I led a team."}, names={"A9": "Jo Bloggs"})
    [doc] = store.documents(batch)
    assert doc.text == "My name is Jo Bloggs and I led a team."
    assert doc.shown_text == doc.redacted_text == "My name is [name] and I led a team."
    assert doc.name == "Jo Bloggs"
    assert store.batch(batch).blind


def test_a_failed_save_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(StoreError, match="no original text"):
        store.save_batch("half", get_framework(FRAMEWORK), None, small_batch(),
                         originals={"A1": "only one"})
    assert store.list_batches() == []
    with store.engine.connect() as c:
        assert c.execute(text("select count(*) from documents")).scalar() == 0


def test_values_longer_than_the_store_holds_are_all_reported_and_nothing_is_saved(store: Store) -> None:
    """PostgreSQL refuses a value longer than its column (SQLite would keep it): the store checks first, on both."""
    long_id, long_name = "A" * 301, "N" * 400
    analyses = [make_analysis(long_id, [("I led a team.", [("team-working", "2", 0.7)])]),
                make_analysis("ok", [("I led a team.", [("team-working", "2", 0.7)])], name=long_name)]
    with pytest.raises(StoreError, match="not saved") as caught:
        store.save_batch("long", get_framework(FRAMEWORK), None, analyses)
    message = str(caught.value)
    assert "the external id has 301 characters, over the 300" in message
    assert "document ok: the name has 400 characters" in message
    assert long_id not in message  # quoted shortened
    assert store.list_batches() == []
    with pytest.raises(StoreError, match="the batch: the name has 301"):
        store.save_batch("b" * 301, get_framework(FRAMEWORK), None, small_batch())
