"""The decision log: recording, idempotent retries, undo, concurrent writers, crashes, corrections, agreement.

Analyses here are built by hand (``tests.factories``), so these tests need no model.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable

import pytest

from evidence.config import utcnow
from evidence.domain import DecisionKind
from evidence.frameworks.catalogue import get_framework
from evidence.io.cells import FORMULA_TRIGGERS, restore
from evidence.store import Store, StoreError
from tests.factories import FRAMEWORK, make_analysis, small_batch


def unit_ids(store: Store, batch: int) -> dict[str, int]:
    """Unit id by unit text, for every unit with suggestions (for tests that open their own stores)."""
    return {item.text: item.unit_id for item in store.suggested_units(batch_id=batch)}


# -- decisions -----------------------------------------------------------------------------------


def test_each_decision_kind_records_what_was_suggested_and_decided(store: Store, units: dict[str, int]) -> None:
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


def test_bad_decisions_are_refused_with_a_reason(store: Store, units: dict[str, int]) -> None:
    unit = units["I led the team through the merger."]
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


def test_retrying_a_decision_with_its_key_does_not_duplicate_it(store: Store, units: dict[str, int]) -> None:
    unit = units["I led the team through the merger."]
    first = store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="same")
    again = store.record_decision(unit_id=unit, reviewer="ann", kind="accepted", key="same")
    assert first.created and not again.created and again.id == first.id
    assert len(store.decision_log()) == 1
    with pytest.raises(StoreError, match="already used for another decision"):
        store.record_decision(unit_id=unit, reviewer="bob", kind="rejected", key="same")


def test_undo_stays_in_the_batch_and_the_session_it_is_asked_from(store: Store, batch_id: int,
                                                                   units: dict[str, int]) -> None:
    """Walkthrough B4: undo revoked a decision in another batch, and one made in an earlier session."""
    other_batch = store.save_batch("other", get_framework(FRAMEWORK), FRAMEWORK, small_batch(), created_by="rec")
    other_unit = store.suggested_units(batch_id=other_batch)[0].unit_id
    lead = units["I led the team through the merger."]
    earlier = store.record_decision(unit_id=lead, reviewer="ann", kind="accepted", key="1")
    session_start = utcnow()
    store.record_decision(unit_id=other_unit, reviewer="ann", kind="accepted", key="2")  # the latest, elsewhere
    assert store.undo(reviewer="ann", key="u1", batch_id=batch_id, since=session_start) is None
    undone = store.undo(reviewer="ann", key="u2", batch_id=batch_id)
    assert undone is not None and undone.revokes == earlier.id


def test_undo_appends_a_revoking_decision_and_requeues_the_unit(store: Store, batch_id: int,
                                                                units: dict[str, int]) -> None:
    lead, mentor = units["I led the team through the merger."], units["I mentored two new starters."]
    first = store.record_decision(unit_id=lead, reviewer="ann", kind="accepted", key="1")
    second = store.record_decision(unit_id=mentor, reviewer="ann", kind="rejected", key="2")
    store.record_decision(unit_id=mentor, reviewer="bob", kind="accepted", key="3")
    undo = store.undo(reviewer="ann", key="u1")
    assert undo.kind == "undo" and undo.revokes == second.id and undo.unit_id == mentor
    labels = ("competency", "level", "suggested_competency", "suggested_level", "suggested_score", "model_version")
    assert [getattr(undo, f) for f in labels] == [getattr(second, f) for f in labels]  # the undo names what it undid
    assert store.undo(reviewer="ann", key="u1").id == undo.id  # retried: same record
    store.set_batch_policy(batch_id, by="admin", reviewers_per_unit=2)
    assert {q.unit_id for q in store.review_queue(batch_id=batch_id, reviewer="ann")} == {
        mentor, units["We built a referral network with GPs."]}
    assert store.undo(reviewer="ann", key="u2").revokes == first.id
    assert store.undo(reviewer="ann", key="u3") is None  # nothing left to undo
    with pytest.raises(StoreError, match="undo only their own"):
        store.undo(reviewer="ann", key="u4", decision_id=3)
    with pytest.raises(StoreError, match="already undone"):
        store.undo(reviewer="ann", key="u5", decision_id=second.id)
    log = store.decision_log()
    assert [d.kind for d in log] == ["accepted", "rejected", "accepted", "undo", "undo"]
    assert store.decision_log(reviewer="bob") == [r for r in log if r.reviewer == "bob"]
    assert not any(r.created for r in log)
    assert [(d.reviewer, d.kind) for d in store.current_decisions()] == [("bob", "accepted")]


def test_two_reviewers_deciding_the_same_unit_at_once_are_both_recorded(database_url: str,
                                                                        save_small: Callable[[Store], int]) -> None:
    url = database_url
    with Store.open(url) as setup:
        batch = save_small(setup)
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


def test_the_same_key_from_two_writers_at_once_is_recorded_once(database_url: str,
                                                                save_small: Callable[[Store], int]) -> None:
    url = database_url
    with Store.open(url) as setup:
        batch = save_small(setup)
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


def test_a_committed_decision_survives_a_crash(database_url: str,
                                               save_small: Callable[[Store], int]) -> None:
    url = database_url
    with Store.open(url) as setup:
        batch = save_small(setup)
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


def test_corrections_map_current_decisions_to_the_shared_format(store: Store, units: dict[str, int]) -> None:
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


def test_agreement_with_the_model_and_between_reviewers(store: Store, batch_id: int, units: dict[str, int]) -> None:
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


def test_corrections_csv_writes_formula_text_as_inert_text_that_reads_back(store: Store) -> None:
    """A sentence or document id starting with "=" reaches the corrections CSV as "'=..." (D08); the training
    reader gets the original back with evidence.io.cells.restore."""
    payload = '=HYPERLINK("http://127.0.0.1:8629/leak","Open")'
    batch = store.save_batch("hostile", get_framework(FRAMEWORK), FRAMEWORK, [
        make_analysis(payload, [(payload, [("team-working", "3", 0.8)]),
                                ("\r=1+1 went well.", [("team-working", "2", 0.7)])])])
    for n, item in enumerate(store.suggested_units(batch_id=batch)):
        store.record_decision(unit_id=item.unit_id, reviewer="ann", kind="accepted", key=f"k{n}")
    rows = list(csv.DictReader(io.StringIO(store.corrections_csv(FRAMEWORK), newline="")))
    assert [r["text"] for r in rows] == ["'" + payload, "'\r=1+1 went well."]
    assert {r["document_id"] for r in rows} == {"'" + payload}
    assert not [v for r in rows for v in r.values() if v.startswith(FORMULA_TRIGGERS)]
    assert [restore(r["text"]) for r in rows] == [payload, "\r=1+1 went well."]
