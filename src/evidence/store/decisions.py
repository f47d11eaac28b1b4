"""The append-only decision log: recording and undoing decisions, the decisions in force, corrections, agreement.

A decision names its reviewer, when it was made, what was suggested and what was decided. It carries an
idempotency key from the client (unique), so a retried request never records a decision twice; "undo" is
itself a decision that revokes an earlier one. Nothing in the log is ever updated or deleted (the ORM
refuses it, see :mod:`evidence.store.schema`, and triggers in the database do too). Every entry is also
written to the audit trail in the same transaction (:mod:`evidence.store.audit`).

The kinds of entry, and what each counts as:

* an **opinion**: ``accepted``, ``rejected``, ``relabelled``, ``no_evidence`` (:class:`~evidence.domain.DecisionKind`),
  from :meth:`DecisionsMixin.record_decision`. Each assessor's latest opinion on a unit that is not undone is
  current, and counts as one review of it (the batch's ``reviewers_per_unit``);
* ``skip`` (:data:`~evidence.store.records.SKIP`, ``record_decision(kind="skip")``): the assessor passes over the
  unit for now; it counts as no review and goes to the end of their queue;
* ``flag`` (:data:`~evidence.store.records.FLAG`, ``record_decision(kind="flag", comment=...)``, a comment is
  required): the assessor sends the unit to moderation instead of deciding it; it counts as no review, leaves
  their queue, and puts the unit in the moderation queue (:mod:`evidence.store.moderation`);
* ``moderation`` (:data:`~evidence.store.records.MODERATION`, :meth:`DecisionsMixin.settle`): a moderator's
  settlement; its ``settled_kind`` and label are the unit's label from then on (:meth:`DecisionsMixin.corrections`,
  which training reads), the unit leaves the review and moderation queues, and every opinion stays in the log;
* ``undo``: revokes the reviewer's own earlier entry of any of the kinds above.

Any entry may carry a free-text ``comment``; ``suggestion_hidden`` records that the assessor decided without
seeing the model's suggestion (the batch's policy, :mod:`evidence.review.policy`).
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
from evidence.store.audit import AuditAction, append_audit
from evidence.store.database import Database
from evidence.store.records import (
    FLAG,
    LABEL_FIELDS,
    MODERATION,
    SKIP,
    UNDO,
    Agreement,
    DecisionRecord,
    StoreError,
    UnitDecisions,
    aware,
)
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
OPINIONS = frozenset(k.value for k in DecisionKind)  # the kinds that count as a review of a unit
COMMENT_MAX = 2000  # characters of an assessor's comment: a few sentences; longer is refused, not cut
_AUDIT_ACTIONS = {UNDO: AuditAction.undo, SKIP: AuditAction.skip, FLAG: AuditAction.flag,
                  MODERATION: AuditAction.moderation}


class DecisionsMixin(Database):
    """The :class:`~evidence.store.Store` methods for the decision log."""

    def record_decision(self, *, unit_id: int, reviewer: str, kind: DecisionKind | str, key: str,
                        competency: str | None = None, level: str | None = None, suggestion_rank: int = 0,
                        decided_at: datetime | None = None, comment: str | None = None,
                        suggestion_hidden: bool = False) -> DecisionRecord:
        """Append one reviewer decision on a unit's suggestion (the one at ``suggestion_rank``).

        *accepted* takes the suggestion's competency and level; *relabelled* needs ``competency``
        (and ``level`` where the framework has levels); *rejected*, *no_evidence*, ``"skip"`` and ``"flag"``
        carry no label, and a flag needs a ``comment`` (the moderator reads it). ``suggestion_hidden``: the
        assessor decided without seeing the suggestion (it is still recorded beside the decision, for
        human-model agreement). ``key`` is the client's idempotency key: recording the same key again returns
        the first record (``created=False``) instead of a duplicate.
        """
        kind_value = _entry_kind(kind)
        _check_actor(reviewer, key)
        comment = _comment(comment, required=kind_value == FLAG)
        record = self._append(
            key, lambda existing: _same_request(existing, unit_id, reviewer, kind_value),
            lambda session: _decision_row(session, unit_id, reviewer, kind_value, key, competency, level,
                                          suggestion_rank, decided_at, comment, suggestion_hidden))
        assert record is not None  # a decision row is always built (or refused with an error)
        if record.created:
            logger.info("decision %s: %s %s unit %s", record.id, reviewer, kind_value, unit_id)
        return record

    def settle(self, *, unit_id: int, moderator: str, kind: DecisionKind | str, key: str,
               competency: str | None = None, level: str | None = None, comment: str | None = None
               ) -> DecisionRecord:
        """Append a moderator's settlement of a unit: an entry of kind ``"moderation"`` whose ``settled_kind``
        (a :class:`~evidence.domain.DecisionKind`) and label, with the same rules as :meth:`record_decision`,
        become the unit's label for training and reports. Who may settle is the caller's rule (admins and the
        batch's named moderator: :func:`evidence.review.moderation.settle`); a later settlement replaces an
        earlier one, and the moderator can undo theirs.
        """
        settled = DecisionKind(kind)
        _check_actor(moderator, key)
        note = _comment(comment, required=False)

        def build(session: Session) -> DecisionRow:
            row = _decision_row(session, unit_id, moderator, settled.value, key, competency, level, 0, None, note,
                                False)
            row.kind, row.settled_kind = MODERATION, settled.value
            return row

        record = self._append(key, lambda existing: _same_request(existing, unit_id, moderator, MODERATION), build)
        assert record is not None
        if record.created:
            logger.info("decision %s: %s settled unit %s as %s", record.id, moderator, unit_id, settled.value)
        return record

    def unit_decisions(self, *, batch_id: int | None = None, framework_id: str | None = None
                       ) -> dict[int, UnitDecisions]:
        """Per unit with any entry in force: its current opinions, current flags and settlement."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id)
        return {unit: UnitDecisions(unit_id=unit, opinions=[_record(d, created=False) for d in opinions],
                                    flags=[_record(d, created=False) for d in flags],
                                    settlement=_record(settled, created=False) if settled is not None else None)
                for unit, (opinions, flags, settled) in standing(rows).items()}

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
                append_audit(session, actor=row.reviewer, action=_AUDIT_ACTIONS.get(row.kind, AuditAction.decision),
                             subject=f"unit:{row.unit_id}", payload=_audit_payload(row))
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
        """Every entry of the decision log (undos, skips, flags and settlements included), in the order recorded."""
        with self._read() as session:
            return [_record(r, created=False) for r in decision_rows(session, batch_id, framework_id, reviewer)]

    def current_decisions(self, *, batch_id: int | None = None, framework_id: str | None = None,
                          reviewer: str | None = None) -> list[DecisionRecord]:
        """Decisions in force: not undone, and each reviewer's latest on a unit."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id, reviewer)
        return [_record(d, created=False) for unit in current_by_unit(rows).values() for d in unit]

    def corrections(self, framework_id: str, *, batch_id: int | None = None) -> list[Correction]:
        """The labels in force on a framework's units as :class:`Correction` records, for training: a settled
        unit's settlement (by its moderator) alone, every other unit's current opinions."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id)
            current = sorted(labelling_rows(rows), key=lambda d: d.id)
            units = {u.id: (u, doc) for u, doc in session.execute(
                select(UnitRow, DocumentRow).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
                .where(UnitRow.id.in_({d.unit_id for d in current})))} if current else {}
        return [Correction(text=units[d.unit_id][0].text, framework=framework_id,
                           decision=DecisionKind(d.settled_kind or d.kind),
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
                agreeing += not disagree(decisions)
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
    """Per unit, each reviewer's latest opinion (a :class:`DecisionKind`: no skip, flag or settlement) that has not
    been undone."""
    rows = list(rows)
    revoked = {r.revokes for r in rows if r.kind == UNDO}
    latest: dict[tuple[int, str], DecisionRow] = {}
    for r in sorted(rows, key=lambda r: r.id):
        if r.kind in OPINIONS and r.id not in revoked:
            latest[(r.unit_id, r.reviewer)] = r
    by_unit: dict[int, list[DecisionRow]] = defaultdict(list)
    for (unit_id, _), r in latest.items():
        by_unit[unit_id].append(r)
    return dict(by_unit)


def standing(rows: Iterable[DecisionRow]) -> dict[int, tuple[list[DecisionRow], list[DecisionRow], DecisionRow | None]]:
    """Per unit with any entry in force: (current opinions, current flags, the latest settlement not undone)."""
    rows = sorted(rows, key=lambda r: r.id)
    revoked = {r.revokes for r in rows if r.kind == UNDO}
    opinions = current_by_unit(rows)
    flags: dict[int, list[DecisionRow]] = defaultdict(list)
    settled: dict[int, DecisionRow] = {}
    for r in rows:
        if r.id in revoked:
            continue
        if r.kind == FLAG:
            flags[r.unit_id].append(r)
        elif r.kind == MODERATION:
            settled[r.unit_id] = r
    units = sorted(set(opinions) | set(flags) | set(settled))
    return {u: (opinions.get(u, []), flags.get(u, []), settled.get(u)) for u in units}


def labelling_rows(rows: Iterable[DecisionRow]) -> list[DecisionRow]:
    """The entries that label units: a settled unit's settlement, every other unit's current opinions."""
    return [d for opinions, _, settled in standing(rows).values() for d in ([settled] if settled else opinions)]


def skipped(rows: Iterable[DecisionRow], reviewer: str) -> set[int]:
    """The units ``reviewer`` skipped (a skip not undone)."""
    rows = list(rows)
    revoked = {r.revokes for r in rows if r.kind == UNDO}
    return {r.unit_id for r in rows if r.kind == SKIP and r.reviewer == reviewer and r.id not in revoked}


def disagree(opinions: Iterable[DecisionRow]) -> bool:
    """Whether two or more assessors' opinions give different labels (competency, level, or accept vs reject)."""
    return len({label_of(d) for d in opinions}) > 1


# -- helpers -------------------------------------------------------------------------------------


def _decision_row(session: Session, unit_id: int, reviewer: str, kind_value: str, key: str,
                  competency: str | None, level: str | None, suggestion_rank: int,
                  decided_at: datetime | None, comment: str | None, suggestion_hidden: bool) -> DecisionRow:
    unit = session.get(UnitRow, unit_id)
    if unit is None:
        raise StoreError(f"no unit with id {unit_id}; it may belong to a batch in another database")
    suggested = session.scalar(select(SuggestionRow).where(SuggestionRow.unit_id == unit_id,
                                                           SuggestionRow.counter_evidence.is_(False),
                                                           SuggestionRow.rank == suggestion_rank))
    kind = DecisionKind(kind_value) if kind_value in OPINIONS else None
    if suggested is None and kind in (DecisionKind.accepted, DecisionKind.rejected):
        assert kind is not None
        raise StoreError(f"unit {unit_id} has no suggestion at rank {suggestion_rank} to mark {kind.value}; "
                         "relabel it or mark it no_evidence instead")
    if kind is None:  # a skip or a flag: no label
        competency, level = None, None
    elif kind is DecisionKind.accepted:
        assert suggested is not None  # refused just above
        competency, level = suggested.competency, suggested.level
    elif kind in (DecisionKind.rejected, DecisionKind.no_evidence):
        competency, level = None, None
    elif not competency:
        raise StoreError("a relabelled decision needs the competency the reviewer chose")
    batch = session.scalars(select(BatchRow).join(DocumentRow, DocumentRow.batch_id == BatchRow.id)
                            .where(DocumentRow.id == unit.document_id)).one()
    if kind is not None:
        Correction(text=unit.text, framework=batch.framework_id, decision=kind, competency=competency,
                   level=level)  # the shared validation of a decision's label
    return DecisionRow(key=key, unit_id=unit_id, reviewer=reviewer.strip(), decided_at=decided_at or utcnow(),
                       kind=kind_value, competency=competency, level=level, comment=comment,
                       suggestion_hidden=bool(suggestion_hidden),
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


def label_of(d: DecisionRow) -> tuple[str | None, ...]:
    """What a decision says the unit evidences, for comparing reviewers: the competency and level accepted or
    relabelled, else nothing (rejecting the suggestion without relabelling says the unit evidences none)."""
    kind = d.settled_kind or d.kind
    if kind in ("accepted", "relabelled"):
        return ("label", d.competency, d.level)
    return ("none",)


def _entry_kind(kind: DecisionKind | str) -> str:
    """An assessor's entry kind: a :class:`DecisionKind` value, ``"skip"`` or ``"flag"``."""
    value = kind.value if isinstance(kind, DecisionKind) else str(kind)
    if value in OPINIONS or value in (SKIP, FLAG):
        return value
    if value in (UNDO, MODERATION):
        method = "undo" if value == UNDO else "settle"
        raise StoreError(f"record an {value} with Store.{method}, not record_decision")
    raise StoreError(f"unknown decision kind {value!r}; expected one of {sorted(OPINIONS | {SKIP, FLAG})}")


def _comment(comment: str | None, *, required: bool) -> str | None:
    text = (comment or "").strip()
    if required and not text:
        raise StoreError("a flag needs a comment saying what the moderator should look at")
    if len(text) > COMMENT_MAX:
        raise StoreError(f"a comment has at most {COMMENT_MAX} characters, not {len(text)}; shorten it")
    return text or None


def _audit_payload(row: DecisionRow) -> dict[str, Any]:
    """What the audit trail keeps of a decision: everything but the unit's text."""
    return {"decision": row.id, "key": row.key, "decided_at": aware(row.decided_at).isoformat(), "kind": row.kind,
            "competency": row.competency, "level": row.level,
            "suggested_competency": row.suggested_competency, "suggested_level": row.suggested_level,
            "suggested_score": row.suggested_score, "model_version": row.model_version, "revokes": row.revokes,
            "comment": row.comment, "settled_kind": row.settled_kind,
            "suggestion_hidden": bool(row.suggestion_hidden)}
