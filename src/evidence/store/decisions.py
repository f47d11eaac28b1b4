"""The append-only decision log: recording and undoing decisions, the decisions in force, corrections, agreement.

A decision names its reviewer, when it was made, what was suggested and what was decided. It carries an
idempotency key from the client (unique), so a retried request never records a decision twice; "undo" is
itself a decision that revokes an earlier one. Nothing in the log is ever updated or deleted (the ORM
refuses it, see :mod:`evidence.store.schema`, and on SQLite triggers do too).
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evidence.config import utcnow
from evidence.domain import Correction, DecisionKind
from evidence.io.cells import neutralise_row
from evidence.store.database import Database
from evidence.store.records import LABEL_FIELDS, UNDO, Agreement, DecisionRecord, StoreError, aware
from evidence.store.schema import (
    KEY_MAX,
    REVIEWER_MAX,
    BatchRow,
    ClaimRow,
    DecisionRow,
    DocumentRow,
    SuggestionRow,
    UnitRow,
)

logger = logging.getLogger(__name__)

CORRECTION_CSV_FIELDS = list(Correction.model_fields)
_ROW_FIELDS = tuple(f.name for f in fields(DecisionRecord) if f.name != "created")  # the decisions columns


class DecisionsMixin(Database):
    """The :class:`~evidence.store.Store` methods for the decision log."""

    def record_decision(self, *, unit_id: int, reviewer: str, kind: DecisionKind | str, key: str,
                        competency: str | None = None, level: str | None = None, suggestion_rank: int = 0,
                        decided_at: datetime | None = None) -> DecisionRecord:
        """Append one reviewer decision on a unit's suggestion (the one at ``suggestion_rank``).

        *accepted* takes the suggestion's competency and level; *relabelled* needs ``competency``
        (and ``level`` where the framework has levels); *rejected* and *no_evidence* carry no label.
        ``key`` is the client's idempotency key: recording the same key again returns the first
        record (``created=False``) instead of a duplicate.
        """
        kind = DecisionKind(kind)
        _check_actor(reviewer, key)
        record = self._append(
            key, lambda existing: _same_request(existing, unit_id, reviewer, kind.value),
            lambda session: _decision_row(session, unit_id, reviewer, kind, key, competency, level,
                                          suggestion_rank, decided_at))
        assert record is not None  # a decision row is always built (or refused with an error)
        if record.created:
            logger.info("decision %s: %s %s unit %s", record.id, reviewer, kind.value, unit_id)
        return record

    def undo(self, *, reviewer: str, key: str, decision_id: int | None = None, batch_id: int | None = None,
             since: datetime | None = None) -> DecisionRecord | None:
        """Revoke ``reviewer``'s decision ``decision_id`` (default: their latest current one, within ``batch_id``
        and made at or after ``since`` when given: the review page undoes only what its reviewer did in that
        batch since signing in, never a decision in another batch or an earlier session).

        Appends an "undo" decision; returns it, or None when the reviewer has nothing left to undo.
        Retrying with the same ``key`` returns the first undo.
        """
        _check_actor(reviewer, key)

        def undo_row(session: Session) -> DecisionRow | None:
            target = _undo_target(session, reviewer, decision_id, batch_id=batch_id, since=since)
            if target is None:
                return None
            return DecisionRow(key=key, unit_id=target.unit_id, reviewer=reviewer.strip(), decided_at=utcnow(),
                               kind=UNDO, revokes=target.id, **_labels(target))

        record = self._append(key, lambda existing: _same_request(existing, existing.unit_id, reviewer, UNDO),
                              undo_row,
                              race="that decision was undone at the same moment by another request; reload")
        if record is not None and record.created:
            logger.info("decision %s: %s undid decision %s", record.id, reviewer, record.revokes)
        return record

    def _append(self, key: str, same: Callable[[DecisionRecord], DecisionRecord],
                build: Callable[[Session], DecisionRow | None], *, race: str | None = None) -> DecisionRecord | None:
        """Append the row ``build`` makes, once per idempotency ``key``.

        When ``key`` is already in the log, ``same`` checks that it names the same request and returns
        it (a retry) or raises (a key reused for something else). ``build`` may return None to append
        nothing. ``race`` is the error for a concurrent write that breaks another unique constraint.
        """
        with self._read() as session:
            existing = _by_key(session, key)
        if existing is not None:
            return same(existing)
        try:
            with self._write() as session:
                existing = _by_key(session, key)  # re-checked under the write lock
                if existing is not None:
                    return same(existing)
                row = build(session)
                if row is None:
                    return None
                session.add(row)
                session.flush()
                # the reviewer's claim on the unit has served (evidence.store.claims): others may take it now
                session.execute(delete(ClaimRow).where(ClaimRow.unit_id == row.unit_id,
                                                       ClaimRow.reviewer == row.reviewer))
                return _record(row)
        except IntegrityError:  # another writer recorded the same key between our check and insert
            with self._read() as session:
                existing = _by_key(session, key)
            if existing is None:
                if race is None:
                    raise
                raise StoreError(race) from None
            return same(existing)

    def decision_log(self, *, batch_id: int | None = None, framework_id: str | None = None,
                     reviewer: str | None = None) -> list[DecisionRecord]:
        """Every decision, undos included, in the order recorded: the audit trail."""
        with self._read() as session:
            return [_record(r, created=False) for r in decision_rows(session, batch_id, framework_id, reviewer)]

    def current_decisions(self, *, batch_id: int | None = None, framework_id: str | None = None,
                          reviewer: str | None = None) -> list[DecisionRecord]:
        """Decisions in force: not undone, and each reviewer's latest on a unit."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id, reviewer)
        return [_record(d, created=False) for unit in current_by_unit(rows).values() for d in unit]

    def corrections(self, framework_id: str, *, batch_id: int | None = None) -> list[Correction]:
        """The current decisions on a framework's units as :class:`Correction` records, for training."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id)
            current = sorted((d for unit in current_by_unit(rows).values() for d in unit), key=lambda d: d.id)
            units = {u.id: (u, doc) for u, doc in session.execute(
                select(UnitRow, DocumentRow).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
                .where(UnitRow.id.in_({d.unit_id for d in current})))} if current else {}
        return [Correction(text=units[d.unit_id][0].text, framework=framework_id, decision=DecisionKind(d.kind),
                           document_id=units[d.unit_id][1].external_id, unit_index=units[d.unit_id][0].idx,
                           reviewer=d.reviewer, decided_at=aware(d.decided_at).isoformat(), **_labels(d))
                for d in current]

    def corrections_csv(self, framework_id: str, *, batch_id: int | None = None) -> str:
        """:meth:`corrections` as CSV text, one column per :class:`Correction` field.

        Cells are neutralised (:mod:`evidence.io.cells`): a sentence or document id starting with ``=`` is
        written ``'=...``; readers of this file undo it with :func:`evidence.io.cells.restore`.
        """
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CORRECTION_CSV_FIELDS)
        writer.writeheader()
        for c in self.corrections(framework_id, batch_id=batch_id):
            writer.writerow(neutralise_row(c.model_dump(mode="json")))
        return out.getvalue()

    def agreement(self, *, batch_id: int | None = None, framework_id: str | None = None) -> Agreement:
        """Reviewer vs model and reviewer vs reviewer agreement over current decisions."""
        with self._read() as session:
            current = current_by_unit(decision_rows(session, batch_id, framework_id))
        counts: dict[str, int] = defaultdict(int)
        by_reviewer: dict[str, int] = defaultdict(int)
        multi = agreeing = 0
        for decisions in current.values():
            for d in decisions:
                counts[d.kind] += 1
                by_reviewer[d.reviewer] += 1
            if len(decisions) >= 2:
                multi += 1
                agreeing += len({_label(d) for d in decisions}) == 1
        return Agreement(decided=sum(counts.values()), accepted=counts["accepted"], rejected=counts["rejected"],
                         relabelled=counts["relabelled"], no_evidence=counts["no_evidence"],
                         multi_reviewed_units=multi, agreeing_units=agreeing, by_reviewer=dict(by_reviewer))


# -- queries shared with the queue ---------------------------------------------------------------


def decision_rows(session: Session, batch_id: int | None = None, framework_id: str | None = None,
                  reviewer: str | None = None) -> list[DecisionRow]:
    """Every decision in scope, undos included, in the order recorded."""
    query = (select(DecisionRow).join(UnitRow, UnitRow.id == DecisionRow.unit_id)
             .join(DocumentRow, DocumentRow.id == UnitRow.document_id)
             .join(BatchRow, BatchRow.id == DocumentRow.batch_id).order_by(DecisionRow.id))
    if batch_id is not None:
        query = query.where(BatchRow.id == batch_id)
    if framework_id is not None:
        query = query.where(BatchRow.framework_id == framework_id)
    if reviewer is not None:
        query = query.where(DecisionRow.reviewer == reviewer)
    return list(session.scalars(query))


def current_by_unit(rows: Iterable[DecisionRow]) -> dict[int, list[DecisionRow]]:
    """Per unit, each reviewer's latest decision that has not been undone."""
    rows = list(rows)
    revoked = {r.revokes for r in rows if r.kind == UNDO}
    latest: dict[tuple[int, str], DecisionRow] = {}
    for r in sorted(rows, key=lambda r: r.id):
        if r.kind != UNDO and r.id not in revoked:
            latest[(r.unit_id, r.reviewer)] = r
    by_unit: dict[int, list[DecisionRow]] = defaultdict(list)
    for (unit_id, _), r in latest.items():
        by_unit[unit_id].append(r)
    return dict(by_unit)


# -- helpers -------------------------------------------------------------------------------------


def _decision_row(session: Session, unit_id: int, reviewer: str, kind: DecisionKind, key: str,
                  competency: str | None, level: str | None, suggestion_rank: int,
                  decided_at: datetime | None) -> DecisionRow:
    unit = session.get(UnitRow, unit_id)
    if unit is None:
        raise StoreError(f"no unit with id {unit_id}; it may belong to a batch in another database")
    suggested = session.scalar(select(SuggestionRow).where(SuggestionRow.unit_id == unit_id,
                                                           SuggestionRow.counter_evidence.is_(False),
                                                           SuggestionRow.rank == suggestion_rank))
    if suggested is None and kind in (DecisionKind.accepted, DecisionKind.rejected):
        raise StoreError(f"unit {unit_id} has no suggestion at rank {suggestion_rank} to mark {kind.value}; "
                         "relabel it or mark it no_evidence instead")
    if kind is DecisionKind.accepted:
        assert suggested is not None  # refused just above
        competency, level = suggested.competency, suggested.level
    elif kind in (DecisionKind.rejected, DecisionKind.no_evidence):
        competency, level = None, None
    elif not competency:
        raise StoreError("a relabelled decision needs the competency the reviewer chose")
    batch = session.scalars(select(BatchRow).join(DocumentRow, DocumentRow.batch_id == BatchRow.id)
                            .where(DocumentRow.id == unit.document_id)).one()
    Correction(text=unit.text, framework=batch.framework_id, decision=kind, competency=competency,
               level=level)  # the shared validation of a decision's label
    return DecisionRow(key=key, unit_id=unit_id, reviewer=reviewer.strip(), decided_at=decided_at or utcnow(),
                       kind=kind.value, competency=competency, level=level,
                       suggested_competency=suggested.competency if suggested else None,
                       suggested_level=suggested.level if suggested else None,
                       suggested_score=suggested.score if suggested else None,
                       model_version=suggested.model_version if suggested else batch.model_version)


def _undo_target(session: Session, reviewer: str, decision_id: int | None, *, batch_id: int | None = None,
                 since: datetime | None = None) -> DecisionRow | None:
    revoked = select(DecisionRow.revokes).where(DecisionRow.revokes.is_not(None))
    query = select(DecisionRow).where(DecisionRow.kind != UNDO, DecisionRow.id.not_in(revoked))
    if batch_id is not None:
        in_batch = (select(UnitRow.id).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
                    .where(DocumentRow.batch_id == batch_id))
        query = query.where(DecisionRow.unit_id.in_(in_batch))
    if since is not None:
        query = query.where(DecisionRow.decided_at >= since)
    if decision_id is not None:
        target = session.scalar(query.where(DecisionRow.id == decision_id))
        if target is None:
            raise StoreError(f"decision {decision_id} does not exist or is already undone")
        if target.reviewer != reviewer.strip():
            raise StoreError(f"decision {decision_id} is {target.reviewer!r}'s; reviewers undo only their own")
        return target
    return session.scalar(query.where(DecisionRow.reviewer == reviewer.strip()).order_by(DecisionRow.id.desc()))


def _by_key(session: Session, key: str) -> DecisionRecord | None:
    row = session.scalar(select(DecisionRow).where(DecisionRow.key == key))
    return _record(row, created=False) if row is not None else None


def _record(row: DecisionRow, *, created: bool = True) -> DecisionRecord:
    values = {name: getattr(row, name) for name in _ROW_FIELDS}
    return DecisionRecord(**values | {"decided_at": aware(row.decided_at), "created": created})


def _labels(row: DecisionRow) -> dict[str, Any]:
    """The label fields of a decision, to copy into an undo or a correction."""
    return {name: getattr(row, name) for name in LABEL_FIELDS}


def _check_actor(reviewer: str, key: str) -> None:
    if not reviewer or not reviewer.strip():
        raise StoreError("every decision names its reviewer; sign in first")
    if len(reviewer.strip()) > REVIEWER_MAX:
        raise StoreError(f"a reviewer's name has at most {REVIEWER_MAX} characters, not {len(reviewer.strip())}")
    if not key or len(key) > KEY_MAX:
        raise StoreError(f"a decision needs an idempotency key of 1 to {KEY_MAX} characters (a UUID will do)")


def _same_request(existing: DecisionRecord, unit_id: int, reviewer: str, kind: str) -> DecisionRecord:
    """A retried request returns the first record; a key reused for something else is an error."""
    if (existing.unit_id, existing.reviewer, existing.kind) != (unit_id, reviewer.strip(), kind):
        raise StoreError(f"idempotency key {existing.key!r} was already used for another decision "
                         f"({existing.reviewer} {existing.kind} unit {existing.unit_id}); use a fresh key per decision")
    return existing


def _label(d: DecisionRow) -> tuple[str | None, ...]:
    """What a decision says the unit evidences, for comparing reviewers."""
    if d.kind in ("accepted", "relabelled"):
        return ("label", d.competency, d.level)
    if d.kind == "rejected":
        return ("not", d.suggested_competency)
    return ("none",)
