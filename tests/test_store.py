"""The store: migrations, batches, the review queue, and the append-only decision log.

Analyses here are built by hand (``tests.factories``), so these tests need no model.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from evidence.domain import (
    DecisionKind,
)
from evidence.frameworks.catalogue import get_framework
from evidence.store import DecisionRow, Store, StoreError, default_url, framework_hash
from tests.factories import FRAMEWORK, make_analysis, small_batch


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'evidence.db'}") as s:
        yield s


@pytest.fixture
def batch_id(store: Store) -> int:
    return store.save_batch("tiny", FRAMEWORK, FRAMEWORK, small_batch(), created_by="rec")


def unit_ids(store: Store, batch: int) -> dict[str, int]:
    """Unit id by unit text, for every unit with suggestions."""
    return {item.text: item.unit_id for item in store.review_queue(batch_id=batch)}


# -- migrations and setup ------------------------------------------------------------------------


def test_open_creates_the_schema_at_head_matching_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from evidence.migrations import alembic_config
    from evidence.store import Base

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
    tables = set(inspect(store.engine).get_table_names())
    assert {"frameworks", "batches", "documents", "units", "suggestions", "decisions"} <= tables


def test_the_migrations_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    from alembic import command

    from evidence.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'down.db'}"
    with Store.open(url) as s:
        config = alembic_config(url)
        with s.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert "decisions" not in inspect(s.engine).get_table_names()
        s.upgrade()
        s.save_batch("b", FRAMEWORK, None, small_batch())
        assert len(s.review_queue()) == 3


def test_reopening_an_existing_database_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store.open(url) as first:
        first.save_batch("b", FRAMEWORK, None, small_batch())
    with Store.open(url) as second:
        assert [b.name for b in second.list_batches()] == ["b"]


def test_stores_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    # The race (a journal-mode switch meeting another connection's migration) is timing-dependent:
    # repeat it so that a regression fails reliably rather than once in a few runs.
    errors: list[BaseException] = []

    def open_it(url: str) -> None:
        try:
            Store.open(url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for attempt in range(15):
        url = f"sqlite:///{tmp_path / f'race-{attempt}.db'}"
        threads = [threading.Thread(target=open_it, args=(url,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_default_url_is_in_the_data_directory_unless_overridden(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    assert default_url() == f"sqlite:///{tmp_path / 'evidence.db'}"
    monkeypatch.setenv("EVIDENCE_DATABASE_URL", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"


def test_in_memory_database_works() -> None:
    with Store.open("sqlite://") as s:
        s.save_batch("m", FRAMEWORK, None, small_batch())
        assert len(s.review_queue()) == 3


# -- batches -------------------------------------------------------------------------------------


def test_a_saved_batch_reopens_exactly(store: Store, batch_id: int) -> None:
    [info] = store.list_batches()
    assert (info.id, info.name, info.framework_id, info.role_id, info.documents, info.created_by) == (
        batch_id, "tiny", FRAMEWORK, FRAMEWORK, 2, "rec")
    assert info.framework_hash == framework_hash(get_framework(FRAMEWORK))
    assert store.analyses(batch_id) == small_batch()
    docs = store.documents(batch_id)
    assert [d.external_id for d in docs] == ["A1", "A2"]
    assert docs[0].redacted_text is None and docs[0].shown_text == docs[0].text
    assert store.find_batch("tiny").id == batch_id and store.find_batch("nope") is None


def test_a_blind_batch_keeps_the_original_and_the_redacted_text(store: Store) -> None:
    redacted = make_analysis("A9", [("My name is [name] and I led a team.", [("team-working", "2", 0.7)])])
    batch = store.save_batch("blind", FRAMEWORK, None, [redacted],
                             originals={"A9": "My name is Jo Bloggs and I led a team."})
    [doc] = store.documents(batch)
    assert doc.text == "My name is Jo Bloggs and I led a team."
    assert doc.shown_text == doc.redacted_text == "My name is [name] and I led a team."
    assert store.batch(batch).blind


def test_a_failed_save_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(StoreError, match="no original text"):
        store.save_batch("half", FRAMEWORK, None, small_batch(), originals={"A1": "only one"})
    assert store.list_batches() == []
    with store.engine.connect() as c:
        assert c.execute(text("select count(*) from documents")).scalar() == 0


# -- the queue -----------------------------------------------------------------------------------


def test_queue_puts_the_least_certain_first(store: Store, batch_id: int) -> None:
    queue = store.review_queue(batch_id=batch_id)
    # 0.52 (|0.02|, margin 0.02) before 0.55 (|0.05|) before 0.9; the unit without suggestions is absent
    assert [q.text for q in queue] == ["We built a referral network with GPs.", "I mentored two new starters.",
                                       "I led the team through the merger."]
    second = queue[1]
    assert second.before == "I like tea." and second.after == ""
    assert [s.competency for s in second.suggestions] == ["leading-supporting-developing-others", "team-working"]


def test_queue_accepts_a_priority_function(store: Store, batch_id: int) -> None:
    queue = store.review_queue(batch_id=batch_id, priority=lambda item: -item.suggestions[0].score)
    assert queue[0].text == "I led the team through the merger."
    assert len(store.review_queue(batch_id=batch_id, limit=1)) == 1


def test_a_decided_unit_leaves_the_queue(store: Store, batch_id: int) -> None:
    units = unit_ids(store, batch_id)
    store.record_decision(unit_id=units["I led the team through the merger."], reviewer="ann",
                          kind=DecisionKind.accepted, key="k1")
    assert len(store.review_queue(batch_id=batch_id)) == 2
    assert len(store.review_queue(batch_id=batch_id, reviewer="bob", reviews_needed=2)) == 3
    assert len(store.review_queue(batch_id=batch_id, reviewer="ann", reviews_needed=2)) == 2
    assert store.progress(batch_id=batch_id) == (1, 3)


# -- decisions -----------------------------------------------------------------------------------


def test_each_decision_kind_records_what_was_suggested_and_decided(store: Store, batch_id: int) -> None:
    units = unit_ids(store, batch_id)
    mentor = units["I mentored two new starters."]
    accepted = store.record_decision(unit_id=mentor, reviewer="ann", kind="accepted", key="a")
    assert (accepted.competency, accepted.level, accepted.suggested_competency, accepted.suggested_score) == (
        "leading-supporting-developing-others", "2", "leading-supporting-developing-others", 0.55)
    second = store.record_decision(unit_id=mentor, reviewer="bob", kind="accepted", key="b", suggestion_rank=1)
    assert (second.competency, second.level) == ("team-working", "2")
    rejected = store.record_decision(unit_id=mentor, reviewer="cat", kind="rejected", key="c")
    assert rejected.competency is None and rejected.suggested_competency == "leading-supporting-developing-others"
    relabelled = store.record_decision(unit_id=mentor, reviewer="dan", kind="relabelled", key="d",
                                       competency="team-working", level="3")
    assert (relabelled.competency, relabelled.level, relabelled.reviewer) == ("team-working", "3", "dan")
    nothing = store.record_decision(unit_id=mentor, reviewer="eve", kind="no_evidence", key="e")
    assert nothing.competency is None and nothing.decided_at.tzinfo is not None


def test_bad_decisions_are_refused_with_a_reason(store: Store, batch_id: int) -> None:
    unit = unit_ids(store, batch_id)["I led the team through the merger."]
    with pytest.raises(StoreError, match="needs the competency"):
        store.record_decision(unit_id=unit, reviewer="ann", kind="relabelled", key="x1")
    with pytest.raises(StoreError, match="names its reviewer"):
        store.record_decision(unit_id=unit, reviewer=" ", kind="accepted", key="x2")
    with pytest.raises(StoreError, match="idempotency key"):
        store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="")
    with pytest.raises(StoreError, match="no unit"):
        store.record_decision(unit_id=99999, reviewer="ann", kind="accepted", key="x3")
    with pytest.raises(StoreError, match="no suggestion at rank 5"):
        store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="x4", suggestion_rank=5)
    assert store.decision_log() == []


def test_retrying_a_decision_with_its_key_does_not_duplicate_it(store: Store, batch_id: int) -> None:
    unit = unit_ids(store, batch_id)["I led the team through the merger."]
    first = store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="same")
    again = store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="same")
    assert first.created and not again.created and again.id == first.id
    assert len(store.decision_log()) == 1
    with pytest.raises(StoreError, match="already used for another decision"):
        store.record_decision(unit_id=unit, reviewer="bob", kind="rejected", key="same")


def test_the_decision_log_is_append_only(store: Store, batch_id: int) -> None:
    from sqlalchemy.orm import Session

    unit = unit_ids(store, batch_id)["I led the team through the merger."]
    record = store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="k")
    with Session(store.engine) as session:
        row = session.get(DecisionRow, record.id)
        row.kind = "rejected"
        with pytest.raises(StoreError, match="append-only"):
            session.flush()
        session.rollback()
        with pytest.raises(StoreError, match="append-only"):
            session.delete(session.get(DecisionRow, record.id))
            session.flush()
    for statement in ("update decisions set kind = 'rejected'", "delete from decisions"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert store.decision_log()[0].kind == "accepted"


def test_undo_appends_a_revoking_decision_and_requeues_the_unit(store: Store, batch_id: int) -> None:
    units = unit_ids(store, batch_id)
    lead, mentor = units["I led the team through the merger."], units["I mentored two new starters."]
    first = store.record_decision(unit_id=lead, reviewer="ann", kind="accepted", key="1")
    second = store.record_decision(unit_id=mentor, reviewer="ann", kind="rejected", key="2")
    store.record_decision(unit_id=mentor, reviewer="bob", kind="accepted", key="3")
    undo = store.undo(reviewer="ann", key="u1")
    assert undo.kind == "undo" and undo.revokes == second.id and undo.unit_id == mentor
    assert store.undo(reviewer="ann", key="u1").id == undo.id  # retried: same record
    assert {q.unit_id for q in store.review_queue(batch_id=batch_id, reviewer="ann", reviews_needed=2)} == {
        mentor, units["We built a referral network with GPs."]}
    assert store.undo(reviewer="ann", key="u2").revokes == first.id
    assert store.undo(reviewer="ann", key="u3") is None  # nothing left to undo
    with pytest.raises(StoreError, match="undo only their own"):
        store.undo(reviewer="ann", key="u4", decision_id=3)
    log = store.decision_log()
    assert [d.kind for d in log] == ["accepted", "rejected", "accepted", "undo", "undo"]
    assert [(d.reviewer, d.kind) for d in store.current_decisions()] == [("bob", "accepted")]


def test_two_reviewers_deciding_the_same_unit_at_once_are_both_recorded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with Store.open(url) as setup:
        batch = setup.save_batch("b", FRAMEWORK, None, small_batch())
        unit = unit_ids(setup, batch)["I mentored two new starters."]
    stores = [Store.open(url), Store.open(url)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def decide(store: Store, reviewer: str, kind: str) -> None:
        try:
            barrier.wait()
            for i in range(10):  # many writes each, to make the overlap real
                store.record_decision(unit_id=unit, reviewer=reviewer, kind=kind, key=f"{reviewer}-{i}")
                store.record_decision(unit_id=unit, reviewer=reviewer, kind=kind, key=f"{reviewer}-{i}")  # retry
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=decide, args=(stores[0], "ann", "accepted")),
               threading.Thread(target=decide, args=(stores[1], "bob", "rejected"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == []
    with Store.open(url) as check:
        log = check.decision_log()
        assert len(log) == 20 and len({d.key for d in log}) == 20
        assert sorted((d.reviewer, d.kind) for d in check.current_decisions()) == [("ann", "accepted"),
                                                                                    ("bob", "rejected")]


def test_the_same_key_from_two_writers_at_once_is_recorded_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with Store.open(url) as setup:
        batch = setup.save_batch("b", FRAMEWORK, None, small_batch())
        unit = unit_ids(setup, batch)["I mentored two new starters."]
    stores = [Store.open(url) for _ in range(4)]
    barrier = threading.Barrier(4)
    results = []

    def decide(store: Store) -> None:
        barrier.wait()
        results.append(store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="double-click"))

    threads = [threading.Thread(target=decide, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.id for r in results}) == 1 and sum(r.created for r in results) == 1
    assert len(stores[0].decision_log()) == 1
    for s in stores:
        s.close()


def test_a_committed_decision_survives_a_crash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    with Store.open(url) as setup:
        batch = setup.save_batch("b", FRAMEWORK, None, small_batch())
        unit = unit_ids(setup, batch)["I mentored two new starters."]
    script = textwrap.dedent(f"""
        import os
        from evidence.store import Store
        store = Store.open({url!r})
        store.record_decision(unit_id={unit}, reviewer="ann", kind="accepted", key="before-crash")
        os._exit(9)  # no close, no cleanup: as if the process were killed
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    with Store.open(url) as reopened:
        [decision] = reopened.decision_log()
        assert (decision.key, decision.reviewer, decision.kind) == ("before-crash", "ann", "accepted")


# -- corrections and agreement -------------------------------------------------------------------


def test_corrections_map_current_decisions_to_the_shared_format(store: Store, batch_id: int) -> None:
    units = unit_ids(store, batch_id)
    store.record_decision(unit_id=units["I mentored two new starters."], reviewer="ann", kind="relabelled", key="1",
                          competency="team-working", level="3")
    store.record_decision(unit_id=units["I led the team through the merger."], reviewer="ann", kind="no_evidence",
                          key="2")
    store.undo(reviewer="ann", key="3")
    [correction] = store.corrections(FRAMEWORK)
    assert correction.decision is DecisionKind.relabelled
    assert (correction.text, correction.competency, correction.level, correction.framework) == (
        "I mentored two new starters.", "team-working", "3", FRAMEWORK)
    assert (correction.suggested_competency, correction.suggested_level, correction.suggested_score) == (
        "leading-supporting-developing-others", "2", 0.55)
    assert (correction.document_id, correction.unit_index, correction.reviewer) == ("A1", 2, "ann")
    assert correction.decided_at.endswith("+00:00") and correction.model_version == "zero-shot"
    csv_text = store.corrections_csv(FRAMEWORK)
    assert csv_text.splitlines()[0].startswith("text,framework,decision,competency,level")
    assert "relabelled" in csv_text and "no_evidence" not in csv_text
    assert store.corrections("councils") == []


def test_agreement_with_the_model_and_between_reviewers(store: Store, batch_id: int) -> None:
    units = unit_ids(store, batch_id)
    lead, mentor, network = (units["I led the team through the merger."], units["I mentored two new starters."],
                             units["We built a referral network with GPs."])
    store.record_decision(unit_id=lead, reviewer="ann", kind="accepted", key="1")
    store.record_decision(unit_id=lead, reviewer="bob", kind="relabelled", key="2", competency="team-working",
                          level="3")  # the same label as accepting the suggestion: they agree
    store.record_decision(unit_id=mentor, reviewer="ann", kind="accepted", key="3")
    store.record_decision(unit_id=mentor, reviewer="bob", kind="no_evidence", key="4")
    store.record_decision(unit_id=network, reviewer="ann", kind="rejected", key="5")
    agreement = store.agreement(batch_id=batch_id)
    assert (agreement.decided, agreement.accepted, agreement.relabelled, agreement.no_evidence,
            agreement.rejected) == (5, 2, 1, 1, 1)
    assert agreement.model_agreement == pytest.approx(2 / 5)
    assert (agreement.multi_reviewed_units, agreement.agreeing_units) == (2, 1)
    assert agreement.reviewer_agreement == pytest.approx(0.5)
    assert agreement.by_reviewer == {"ann": 3, "bob": 2}
    empty = store.agreement(framework_id="councils")
    assert empty.model_agreement is None and empty.reviewer_agreement is None
