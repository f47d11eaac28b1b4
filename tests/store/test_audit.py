"""The audit trail (evidence.store.audit): each action writes a chained record in the same transaction, the chain
verifies, and an edited, deleted or truncated record is caught. Run on SQLite, and on PostgreSQL when given."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import text

from evidence.config import VERSION, utcnow
from evidence.frameworks.catalogue import get_framework
from evidence.store import AuditAction, Store, StoreError
from evidence.store.audit import GENESIS
from tests.factories import FRAMEWORK, small_batch

LEAD, MENTOR = "I led the team through the merger.", "I mentored two new starters."


def _drop_guard(store: Store, trigger: str) -> None:
    """What someone with the database's password could do: remove the append-only trigger."""
    on = " ON audit_log" if store.engine.dialect.name == "postgresql" else ""
    with store.engine.begin() as connection:
        connection.execute(text(f"DROP TRIGGER {trigger}{on}"))


def test_every_store_action_writes_a_chained_record(store: Store, batch_id: int, units: dict[str, int]) -> None:
    first = store.record_decision(unit_id=units[LEAD], reviewer="ann", kind="accepted", key="d1")
    store.record_decision(unit_id=units[LEAD], reviewer="ann", kind="accepted", key="d1")  # a retry: no new record
    store.record_decision(unit_id=units[MENTOR], reviewer="ann", kind="skip", key="s1")
    store.record_decision(unit_id=units[MENTOR], reviewer="bob", kind="flag", key="f1", comment="two people?")
    store.undo(reviewer="ann", key="u1")
    store.settle(unit_id=units[MENTOR], moderator="mo", kind="no_evidence", key="m1", comment="not evidence")
    store.set_batch_policy(batch_id, by="admin", reviewers_per_unit=2, hide_suggestions=0.5)
    store.audit(actor="cli:root", action=AuditAction.export, subject=f"batch:{batch_id}", payload={"format": "csv"})
    records = list(store.audit_records())
    assert [(r.seq, r.action, r.actor) for r in records] == [
        (1, "screening", "rec"), (2, "decision", "ann"), (3, "skip", "ann"), (4, "flag", "bob"), (5, "undo", "ann"),
        (6, "moderation", "mo"), (7, "policy", "admin"), (8, "export", "cli:root")]
    screening = records[0].payload
    assert screening["code_version"] == VERSION and screening["model_version"] == "zero-shot"
    assert (screening["documents"], screening["suggestions"]) == (2, 5)
    assert len(str(screening["suggestions_sha256"])) == 64
    assert records[1].subject == f"unit:{units[LEAD]}" and records[1].payload["decision"] == first.id
    assert records[1].payload["suggested_competency"] == "team-working"
    assert records[1].payload["model_version"] == "zero-shot"
    assert records[3].payload["comment"] == "two people?"
    assert records[4].payload["revokes"] is not None
    assert records[5].payload["settled_kind"] == "no_evidence"
    assert records[6].payload["after"] == {"reviewers_per_unit": 2, "hide_suggestions": 0.5, "chunked": False,
                                           "moderator": None}
    assert records[0].prev_hash == GENESIS
    assert all(r.prev_hash == before.hash for before, r in zip(records, records[1:], strict=False))
    check = store.verify_audit()
    assert check.intact and check.records == 8
    assert store.audit_head() == (8, records[-1].hash)


def test_a_record_hash_is_sha256_over_the_canonical_json_with_the_previous_hash(store: Store) -> None:
    record = store.audit(actor="alex", action="sign_in", subject="user:alex", payload={"role": "admin", "b": [1]})
    body = {"seq": 1, "at": record.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": "alex", "action": "sign_in",
            "subject": "user:alex", "payload": '{"b":[1],"role":"admin"}', "prev_hash": GENESIS}
    expected = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert record.hash == expected


def test_the_database_refuses_to_change_or_delete_a_record(store: Store, batch_id: int) -> None:
    for statement in ("update audit_log set actor = 'mallory'", "delete from audit_log"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert store.verify_audit().intact


def test_an_edited_record_is_caught_by_verify(store: Store, batch_id: int, units: dict[str, int]) -> None:
    for n, unit in enumerate(units.values()):
        store.record_decision(unit_id=unit, reviewer="ann", kind="no_evidence", key=f"k{n}")
    assert store.verify_audit().intact
    _drop_guard(store, "audit_log_no_update")
    with store.engine.begin() as connection:
        connection.execute(text("update audit_log set actor = 'bob' where seq = 3"))
    check = store.verify_audit()
    assert not check.intact and check.broken_seq == 3 and "changed" in check.problem
    assert check.records == 2  # the two before it still chain


def test_a_deleted_record_and_a_removed_last_record_are_caught(store: Store, batch_id: int,
                                                              units: dict[str, int]) -> None:
    for n, unit in enumerate(units.values()):
        store.record_decision(unit_id=unit, reviewer="ann", kind="no_evidence", key=f"k{n}")
    _drop_guard(store, "audit_log_no_delete")
    with store.engine.begin() as connection:
        connection.execute(text("delete from audit_log where seq = 4"))  # the last one
    check = store.verify_audit()
    assert (check.intact, check.broken_seq) == (False, 4) and "removed" in check.problem
    with store.engine.begin() as connection:
        connection.execute(text("delete from audit_log where seq = 2"))
    check = store.verify_audit()
    assert (check.intact, check.broken_seq) == (False, 2) and "missing" in check.problem


def test_a_decision_refused_leaves_no_record(store: Store, batch_id: int, units: dict[str, int]) -> None:
    with pytest.raises(StoreError):
        store.record_decision(unit_id=units[LEAD], reviewer="ann", kind="relabelled", key="x")  # no competency
    with pytest.raises(StoreError, match="flag needs a comment"):
        store.record_decision(unit_id=units[LEAD], reviewer="ann", kind="flag", key="y")
    assert [r.action for r in store.audit_records()] == ["screening"]


def test_export_since_a_date_and_as_csv(store: Store, batch_id: int) -> None:
    assert [r.action for r in store.audit_records(since=utcnow() + timedelta(days=1))] == []
    lines = list(store.audit_jsonl())
    assert len(lines) == 1 and json.loads(lines[0])["action"] == "screening"
    csv_text = "".join(store.audit_csv())
    assert csv_text.splitlines()[0] == "seq,at,actor,action,subject,payload,prev_hash,hash"
    assert "screening" in csv_text.splitlines()[1]


def test_appends_from_many_threads_keep_one_chain(database_url: str) -> None:
    with Store.open(database_url) as store:
        store.save_batch("b", get_framework(FRAMEWORK), None, small_batch())
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(5):
                    store.audit(actor=f"user{n}", action="sign_in", subject=f"user:{n}", payload={"i": i})
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        check = store.verify_audit()
        assert check.intact and check.records == 21


def test_downgrading_to_0004_and_back_keeps_the_decisions_guard(database_url: str) -> None:
    with Store.open(database_url) as store:
        store.upgrade("0004")
        store.upgrade()
        store.save_batch("b", get_framework(FRAMEWORK), None, small_batch())
        unit = store.suggested_units()[0].unit_id
        store.record_decision(unit_id=unit, reviewer="ann", kind="no_evidence", key="k", comment="none here")
        assert store.verify_audit().intact and store.decision_log()[0].comment == "none here"
        for statement in ("delete from decisions", "update decisions set kind = 'accepted'"):
            with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
                connection.execute(text(statement))


def test_a_changed_stored_suggestion_is_caught_against_the_screening_record(store: Store, batch_id: int) -> None:
    assert store.verify_screenings() == []
    record = next(iter(store.audit_records(action="screening")))
    assert store.suggestions_digest(batch_id) == (record.payload["suggestions"], record.payload["suggestions_sha256"])
    with store.engine.begin() as connection:
        connection.execute(text("update suggestions set score = 0.99 where rank = 0 and counter_evidence = false "
                                "and id = (select min(id) from suggestions)"))
    problems = store.verify_screenings()
    assert len(problems) == 1 and f"batch {batch_id}" in problems[0] and "changed" in problems[0]
    assert store.verify_audit().intact  # the chain itself is untouched


def test_decisions_recorded_at_once_by_several_reviewers_keep_one_chain(database_url: str) -> None:
    with Store.open(database_url) as store:
        batch = store.save_batch("b", get_framework(FRAMEWORK), None, small_batch())
        units = [i.unit_id for i in store.suggested_units(batch_id=batch)]
        errors: list[BaseException] = []

        def work(reviewer: str) -> None:
            try:
                for n, unit in enumerate(units):
                    store.record_decision(unit_id=unit, reviewer=reviewer, kind="no_evidence", key=f"{reviewer}{n}")
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(name,)) for name in ("ann", "bob", "cat", "dan")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        check = store.verify_audit()
        assert check.intact and check.records == 1 + 4 * len(units)
        assert sorted(r.payload["decision"] for r in store.audit_records(action="decision")) == [
            d.id for d in store.decision_log()]
