"""The audit trail (EU AI Act Art. 12): an append-only, hash-chained record of who did what to which thing, when.

Every record has a ``seq`` (1, 2, ... without gaps), ``at`` (UTC), an ``actor`` (the signed-in user, or
``cli:<os user>``), an ``action`` (:class:`AuditAction`), a ``subject`` (what it concerns: ``unit:12``,
``batch:3``, ``framework:community-link-worker``, ``user:alex``) and a JSON ``payload`` with the details (a
decision's label and the suggestion it was made on with its model version; a screened batch's model versions,
the code version and a digest of every suggestion saved). ``prev_hash`` is the previous record's ``hash``
(:data:`GENESIS` for the first) and ``hash`` is the SHA-256 of the canonical JSON of the record's other fields
with ``prev_hash`` (:func:`record_hash`: keys sorted, no spaces, UTF-8, ``at`` as ISO 8601 in UTC to the
microsecond, the payload as its stored canonical text).

Writing. :func:`append_audit` adds a record inside the caller's transaction, so the thing recorded and its
record commit together or not at all (the store calls it from recording a decision, saving a batch, setting a
batch's policy); :meth:`AuditMixin.audit` records in a transaction of its own (promotions, rollbacks, exports and
sign-ins, which happen outside the database). Appends serialise on the one-row head table ``audit_head`` (the
last ``seq`` and ``hash``): on PostgreSQL it is locked with ``SELECT ... FOR UPDATE`` until the transaction ends;
on SQLite every write transaction is ``BEGIN IMMEDIATE`` (:mod:`evidence.store.database`), which already lets one
writer at a time.

Tamper evidence. The database refuses UPDATE and DELETE on ``audit_log`` (triggers, and the ORM); someone who
drops the triggers and edits a record breaks its hash, one who deletes a record leaves a gap in ``seq`` (or, for
the last one, a head that names a record no longer there), and :meth:`AuditMixin.verify_audit` names the first
record that does not chain. Someone able to rewrite every later record *and* the head could forge a chain:
keep exports (``evidence audit export``) or the head hash ``evidence audit verify`` prints somewhere else.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from evidence.config import utcnow
from evidence.io.cells import neutralise_row
from evidence.store.database import Database
from evidence.store.records import AuditCheck, AuditRecord, StoreError, aware
from evidence.store.schema import REVIEWER_MAX, AuditHeadRow, AuditRow

logger = logging.getLogger(__name__)

GENESIS = "0" * 64  # the prev_hash of the first record
HEAD_ID = 1  # the one row of audit_head
SUBJECT_MAX = 300
PAGE = 1000  # records read per query while verifying or exporting
AUDIT_CSV_FIELDS = ["seq", "at", "actor", "action", "subject", "payload", "prev_hash", "hash"]


class AuditAction(str, Enum):
    """What an audit record records."""

    decision = "decision"  # an assessor's decision on a unit (accepted, rejected, relabelled, no_evidence)
    undo = "undo"
    skip = "skip"
    flag = "flag"
    moderation = "moderation"  # a moderator's settlement
    screening = "screening"  # a batch screened and saved: its suggestions, model versions and code version
    policy = "policy"  # a batch's assessment policy set
    promotion = "promotion"
    forced_promotion = "forced_promotion"  # a model version put in use that was not credibly better
    rollback = "rollback"
    export = "export"
    sign_in = "sign_in"
    demographics = "demographics"  # self-declared demographics uploaded or removed (counts only, never values)


def canonical_json(value: Any) -> str:
    """The one JSON spelling of ``value`` that hashes are taken over: keys sorted, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(value: datetime) -> str:
    return aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(*, seq: int, at: datetime, actor: str, action: str, subject: str, payload: str,
                prev_hash: str) -> str:
    """SHA-256 (hex) of the record's canonical JSON; ``payload`` is the stored canonical JSON text."""
    body = canonical_json({"seq": seq, "at": _timestamp(at), "actor": actor, "action": action, "subject": subject,
                           "payload": payload, "prev_hash": prev_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append_audit(session: Session, *, actor: str, action: AuditAction | str, subject: str = "",
                 payload: dict[str, Any] | None = None, at: datetime | None = None) -> AuditRecord:
    """Add one record to the chain inside ``session``'s write transaction (it commits with the caller's work).

    Locks the chain's head until the transaction ends, so concurrent appends take turns and the chain never forks.
    """
    action = AuditAction(action)
    actor = (actor or "").strip() or "unknown"
    if len(actor) > REVIEWER_MAX:
        raise StoreError(f"an audit record's actor has at most {REVIEWER_MAX} characters, not {len(actor)}")
    if len(subject) > SUBJECT_MAX:
        raise StoreError(f"an audit record's subject has at most {SUBJECT_MAX} characters, not {len(subject)}")
    # Core statements, not the ORM's unit of work: recording 300 decisions on SQLite took 1.98x as long with the
    # audit record added through the ORM, 1.06-1.61x through these (shared 2-core box, 2026-12-08)
    head = session.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == HEAD_ID)
                           .with_for_update()).first()
    if head is None:
        raise StoreError("the audit trail has no head row; the database was not created by the store's migrations "
                         "(open it with Store.open, which upgrades it)")
    at = at or utcnow()
    text = canonical_json(payload or {})
    seq, prev_hash = head.seq + 1, head.hash
    digest = record_hash(seq=seq, at=at, actor=actor, action=action.value, subject=subject, payload=text,
                         prev_hash=prev_hash)
    session.execute(insert(AuditRow).values(seq=seq, at=at, actor=actor, action=action.value, subject=subject,
                                            payload=text, prev_hash=prev_hash, hash=digest))
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(seq=seq, hash=digest))
    return AuditRecord(seq=seq, at=aware(at), actor=actor, action=action.value, subject=subject,
                       payload=json.loads(text), prev_hash=prev_hash, hash=digest)


class AuditMixin(Database):
    """The :class:`~evidence.store.Store` methods for the audit trail."""

    def audit(self, *, actor: str, action: AuditAction | str, subject: str = "",
              payload: dict[str, Any] | None = None) -> AuditRecord:
        """Record one action that happened outside the database (a promotion, an export, a sign-in)."""
        with self._write() as session:
            record = append_audit(session, actor=actor, action=action, subject=subject, payload=payload)
        logger.info("audit %s: %s %s %s", record.seq, record.actor, record.action, record.subject)
        return record

    def audit_records(self, *, since: datetime | None = None, action: AuditAction | str | None = None
                      ) -> Iterator[AuditRecord]:
        """The records in ``seq`` order, from ``since`` (inclusive) when given; read a page at a time."""
        after = 0
        while True:
            query = select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq).limit(PAGE)
            if since is not None:
                query = query.where(AuditRow.at >= since)
            if action is not None:
                query = query.where(AuditRow.action == AuditAction(action).value)
            with self._read() as session:
                rows = list(session.scalars(query))
            for row in rows:
                yield _record(row)
            if len(rows) < PAGE:
                return
            after = rows[-1].seq

    def audit_head(self) -> tuple[int, str]:
        """The last record's seq and hash (0 and :data:`GENESIS` for an empty trail)."""
        with self._read() as session:
            head = session.get(AuditHeadRow, HEAD_ID)
        if head is None:
            raise StoreError("the audit trail has no head row; open the database with Store.open to upgrade it")
        return head.seq, head.hash

    def verify_audit(self) -> AuditCheck:
        """Walk the whole chain: every record's hash, its link to the one before, no gap, and the head.

        Returns the number of records and, if the chain is broken, the first record that does not chain and why.
        """
        expected, prev, count = 1, GENESIS, 0
        with self._read() as session:
            head = session.get(AuditHeadRow, HEAD_ID)
            last = 0
            while True:
                rows = list(session.scalars(select(AuditRow).where(AuditRow.seq > last).order_by(AuditRow.seq)
                                            .limit(PAGE)))
                for row in rows:
                    problem = _problem(row, expected, prev)
                    if problem:
                        broken = expected if row.seq > expected else row.seq
                        return AuditCheck(records=count, broken_seq=broken, problem=problem)
                    expected, prev, count = row.seq + 1, row.hash, count + 1
                if len(rows) < PAGE:
                    break
                last = rows[-1].seq
        if head is None:
            return AuditCheck(records=count, broken_seq=expected, problem="the chain's head row is missing")
        if head.seq != count or head.hash != prev:
            if head.seq > count:
                problem = (f"record {expected} is missing: the head names record {head.seq}, the trail ends at "
                           f"{count} (records were removed from the end)")
            else:
                problem = f"the head names record {head.seq} with another hash than the trail's last record {count}"
            return AuditCheck(records=count, broken_seq=expected if head.seq > count else count, problem=problem)
        return AuditCheck(records=count)

    def audit_jsonl(self, *, since: datetime | None = None) -> Iterator[str]:
        """The records as JSON lines (one object per record, the payload as an object)."""
        for record in self.audit_records(since=since):
            yield json.dumps(_as_json(record), ensure_ascii=False) + "\n"

    def audit_csv(self, *, since: datetime | None = None) -> Iterator[str]:
        """The records as CSV text, header first; the payload column holds its JSON. Cells are neutralised
        (:mod:`evidence.io.cells`) for spreadsheets."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=AUDIT_CSV_FIELDS)
        writer.writeheader()
        for record in self.audit_records(since=since):
            row = _as_json(record) | {"payload": canonical_json(record.payload)}
            writer.writerow(neutralise_row(row))
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        if out.getvalue():
            yield out.getvalue()


def _problem(row: AuditRow, expected: int, prev: str) -> str:
    if row.seq != expected:
        return f"record {expected} is missing (the trail goes from {expected - 1} to {row.seq})"
    if row.prev_hash != prev:
        return f"record {row.seq} does not chain to record {row.seq - 1} (its prev_hash differs)"
    digest = record_hash(seq=row.seq, at=row.at, actor=row.actor, action=row.action, subject=row.subject,
                         payload=row.payload, prev_hash=row.prev_hash)
    if digest != row.hash:
        return f"record {row.seq} was changed after it was written (its hash does not match its contents)"
    return ""


def _record(row: AuditRow) -> AuditRecord:
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = {"unreadable": row.payload}
    return AuditRecord(seq=row.seq, at=aware(row.at), actor=row.actor, action=row.action, subject=row.subject,
                       payload=payload if isinstance(payload, dict) else {"value": payload},
                       prev_hash=row.prev_hash, hash=row.hash)


def _as_json(record: AuditRecord) -> dict[str, object]:
    return {"seq": record.seq, "at": _timestamp(record.at), "actor": record.actor, "action": record.action,
            "subject": record.subject, "payload": record.payload, "prev_hash": record.prev_hash,
            "hash": record.hash}
