"""The review queue's raw material: units with suggestions still waiting for a decision, with their neighbours.

The store holds no ordering policy: it returns units in document order, and the caller passes the order
it wants (uncertainty, active learning or chunked review, in :mod:`evidence.review`). It does hold the batch's
assessment policy: within a batch, a unit waits until ``reviewers_per_unit`` assessors (the batch's policy) have
a current opinion on it; a unit an assessor decided or flagged never comes back to them, one they skipped comes
after all the others, and a settled unit (moderation) leaves every queue.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from evidence.config import utcnow
from evidence.domain import Cues, MatchedIndicator, Suggestion
from evidence.store.database import Database
from evidence.store.decisions import current_by_unit, decision_rows, skipped, standing
from evidence.store.records import QueueItem, QueueOrder
from evidence.store.schema import BatchRow, ClaimRow, DecisionRow, DocumentRow, SuggestionRow, UnitRow

logger = logging.getLogger(__name__)

UnitContext = tuple[UnitRow, DocumentRow, BatchRow]
_CHUNK = 500  # ids per IN (...) clause: SQLite's historical limit is 999 bound parameters


class QueueMixin(Database):
    """The :class:`~evidence.store.Store` methods for the review queue and review progress."""

    def review_queue(self, *, batch_id: int | None = None, framework_id: str | None = None,
                     reviewer: str | None = None, reviews_needed: int | None = None, order: QueueOrder | None = None,
                     limit: int | None = None) -> list[QueueItem]:
        """Units with suggestions that still need a decision, in document order unless ``order`` is given.

        A unit needs review while fewer than ``reviews_needed`` reviewers have a current opinion on it: with a
        ``batch_id``, the batch's policy (``reviewers_per_unit``) decides, whatever ``reviews_needed`` says;
        without one, ``reviews_needed`` (default 1). A unit ``reviewer`` has decided or flagged never comes back
        to them, one they skipped comes last, a settled unit leaves the queue, and a unit another reviewer holds
        (:meth:`~evidence.store.Store.claim_next`) is left out of their queue. ``order`` reorders the whole
        queue at once before ``limit`` applies (see :func:`evidence.review.review_queue`, which puts the least
        certain first, and :func:`evidence.review.active_learning_order`).
        """
        reviewer = reviewer.strip() if reviewer else None
        with self._read() as session:
            needed = reviews_for(session, batch_id, reviews_needed)
            candidates = candidate_units(session, batch_id, framework_id)
            rows = decision_rows(session, batch_id, framework_id)
            held = _held_by_others(session, reviewer) if reviewer else set()
            done = _done_for(rows, reviewer)
            current = current_by_unit(rows)
            waiting = [u for u in candidates
                       if len({d.reviewer for d in current.get(u[0].id, [])}) < needed
                       and u[0].id not in done and u[0].id not in held]
            items = queue_items(session, waiting)
        if order is not None:
            items = order(items)
        if reviewer:
            passed = skipped(rows, reviewer)
            items = [i for i in items if i.unit_id not in passed] + [i for i in items if i.unit_id in passed]
        return items[:limit] if limit else items

    def set_priorities(self, priorities: Mapping[int, float]) -> None:
        """Store each unit's place in the review order (unit id -> priority, higher: sooner)."""
        if not priorities:
            return
        with self._write() as session:
            session.execute(update(UnitRow), [{"id": unit_id, "priority": float(value)}
                                              for unit_id, value in priorities.items()])

    def suggested_units(self, *, batch_id: int | None = None, framework_id: str | None = None) -> list[QueueItem]:
        """Every unit with suggestions in scope, decided or not, in document order."""
        with self._read() as session:
            return queue_items(session, candidate_units(session, batch_id, framework_id))

    def progress(self, *, batch_id: int | None = None, framework_id: str | None = None) -> tuple[int, int]:
        """(units decided by at least one reviewer, units with suggestions) in scope."""
        with self._read() as session:
            total = len(candidate_units(session, batch_id, framework_id))
            decided = len(current_by_unit(decision_rows(session, batch_id, framework_id)))
        return decided, total


def reviews_for(session: Session, batch_id: int | None, reviews_needed: int | None) -> int:
    """The current opinions a unit needs: the batch's policy when there is a batch, else ``reviews_needed``."""
    if batch_id is not None:
        batch = session.get(BatchRow, batch_id)
        if batch is not None:
            if reviews_needed is not None and reviews_needed != batch.reviewers_per_unit:
                logger.debug("batch %s's policy asks %s reviewers per unit; ignoring %s", batch_id,
                             batch.reviewers_per_unit, reviews_needed)
            return batch.reviewers_per_unit or 1
    return reviews_needed or 1


def _done_for(rows: Sequence[DecisionRow], reviewer: str | None) -> set[int]:
    """Units out of every queue (settled), and out of ``reviewer``'s (they gave an opinion or flagged it)."""
    done = set()
    for unit, (opinions, flags, settled) in standing(rows).items():
        if settled is not None or (reviewer and any(d.reviewer == reviewer for d in [*opinions, *flags])):
            done.add(unit)
    return done


def _held_by_others(session: Session, reviewer: str) -> set[int]:
    """The units other reviewers hold with a claim in force."""
    return set(session.scalars(select(ClaimRow.unit_id).where(ClaimRow.reviewer != reviewer.strip(),
                                                             ClaimRow.expires_at > utcnow())))


def candidate_units(session: Session, batch_id: int | None, framework_id: str | None) -> list[UnitContext]:
    """Units with at least one suggestion (counter-evidence aside), in document order."""
    has_suggestion = select(SuggestionRow.unit_id).where(SuggestionRow.counter_evidence.is_(False))
    query = _unit_query().where(UnitRow.id.in_(has_suggestion))
    if batch_id is not None:
        query = query.where(BatchRow.id == batch_id)
    if framework_id is not None:
        query = query.where(BatchRow.framework_id == framework_id)
    return [(u, d, b) for u, d, b in session.execute(query.order_by(UnitRow.id))]


def queue_items(session: Session, rows: Sequence[UnitContext]) -> list[QueueItem]:
    """Review cards for these units: suggestions best first, and the text of the units either side."""
    if not rows:
        return []
    suggestions = _suggestions(session, [u.id for u, _, _ in rows])
    neighbours = _neighbours(session, {d.id for _, d, _ in rows})
    items = []
    for unit, doc, batch in rows:
        texts = neighbours.get(doc.id, {})
        items.append(QueueItem(unit_id=unit.id, batch_id=batch.id, document_id=doc.id, document=doc.external_id,
                               framework_id=batch.framework_id, index=unit.idx, text=unit.text, start=unit.start,
                               end=unit.end, cues=Cues.model_validate_json(unit.cues),
                               suggestions=suggestions.get(unit.id, []),
                               before=texts.get(unit.idx - 1, ""), after=texts.get(unit.idx + 1, ""),
                               priority=unit.priority))
    return items


def _unit_query() -> Select[UnitRow, DocumentRow, BatchRow]:
    return (select(UnitRow, DocumentRow, BatchRow).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
            .join(BatchRow, BatchRow.id == DocumentRow.batch_id))


def _suggestions(session: Session, unit_ids: list[int]) -> dict[int, list[Suggestion]]:
    found: dict[int, list[Suggestion]] = defaultdict(list)
    for chunk in _chunks(unit_ids, _CHUNK):
        rows = session.scalars(select(SuggestionRow).where(SuggestionRow.unit_id.in_(chunk),
                                                           SuggestionRow.counter_evidence.is_(False))
                               .order_by(SuggestionRow.unit_id, SuggestionRow.rank))
        for s in rows:
            found[s.unit_id].append(_suggestion(s))
    return found


def _neighbours(session: Session, document_ids: set[int]) -> dict[int, dict[int, str]]:
    texts: dict[int, dict[int, str]] = defaultdict(dict)
    for chunk in _chunks(sorted(document_ids), _CHUNK):
        for doc_id, idx, text in session.execute(select(UnitRow.document_id, UnitRow.idx, UnitRow.text)
                                                 .where(UnitRow.document_id.in_(chunk))):
            texts[doc_id][idx] = text
    return texts


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _suggestion(s: SuggestionRow) -> Suggestion:
    return Suggestion(competency=s.competency, competency_name=s.competency_name, level=s.level, score=s.score,
                      indicator=MatchedIndicator.model_validate_json(s.indicator),
                      counter_evidence=s.counter_evidence, model_version=s.model_version)
