"""Claims on the review queue: the unit a reviewer is deciding is held for them, so no other reviewer gets it.

:meth:`ClaimsMixin.claim_next` hands a reviewer the first unit of their queue (in the caller's order) that no
other reviewer holds, and holds it for them until the claim expires, they decide the unit (recording a
decision releases it: :mod:`evidence.store.decisions`) or they claim their next one. Asking again before
deciding returns the same unit, so a page that reloads shows the same card.

How concurrent claims stay apart:

* PostgreSQL: the candidate unit's row is taken with ``SELECT ... FOR UPDATE SKIP LOCKED``, so reviewers
  claiming at the same moment each lock a different unit and none waits on another's transaction. The claim
  is then checked again under that lock (a fresh statement, so it sees every claim committed before the lock
  was taken) before it is written.
* SQLite: a claim is an immediate write transaction (:mod:`evidence.store.database`), so claims queue one
  behind another, as every write does there, and never hand out the same unit either. ``FOR UPDATE`` is not
  SQL that SQLite has; SQLAlchemy leaves it out there.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from evidence.config import utcnow
from evidence.store.decisions import current_by_unit, standing
from evidence.store.queue import QueueMixin, reviews_for
from evidence.store.records import Claim, QueueItem, QueueOrder, StoreError, aware
from evidence.store.schema import REVIEWER_MAX, ClaimRow, DecisionRow, DocumentRow, UnitRow

logger = logging.getLogger(__name__)

# How long a claim holds a unit without a decision. A policy, not a measurement: a card is read and decided in
# about a minute, so a claim still open after ten belongs to a closed tab or a reviewer who left, and the unit
# goes back to the others. Claiming again (a page reload) renews it.
CLAIM_LEASE = timedelta(minutes=10)
_LOCK_WINDOW = 100  # candidates per locking query, in the caller's order (one CASE branch each)
# Two claims replacing each other's just-expired claims can lock the same two rows in opposite orders;
# PostgreSQL then ends one of them with a deadlock error (SQLSTATE 40P01), and that claim is simply tried again.
DEADLOCK = "40P01"
DEADLOCK_RETRIES = 3


class ClaimsMixin(QueueMixin):
    """The :class:`~evidence.store.Store` methods that hand out review work, one unit per reviewer at a time."""

    def claim_next(self, *, reviewer: str, batch_id: int | None = None, framework_id: str | None = None,
                   reviews_needed: int | None = None, order: QueueOrder | None = None,
                   lease: timedelta = CLAIM_LEASE) -> QueueItem | None:
        """Claim the next unit waiting for ``reviewer`` that nobody else holds; None when none is left.

        The queue is :meth:`review_queue` for this reviewer in ``order`` (document order if None); the unit
        the reviewer already holds comes first. Claiming a new unit releases the reviewer's other claims. Within a
        batch, its policy's ``reviewers_per_unit`` decides how many assessors each unit goes to (as for
        :meth:`review_queue`).
        """
        reviewer = reviewer.strip()
        if not reviewer or len(reviewer) > REVIEWER_MAX:
            raise StoreError(f"a claim names its reviewer (1 to {REVIEWER_MAX} characters); sign in first")
        if lease <= timedelta(0):
            raise StoreError(f"a claim's lease must be positive, not {lease}")
        queue = self.review_queue(batch_id=batch_id, framework_id=framework_id, reviewer=reviewer,
                                  reviews_needed=reviews_needed, order=order)
        if not queue:
            self.release_claims(reviewer=reviewer)
            return None
        by_id = {item.unit_id: item for item in queue}
        for attempt in range(1, DEADLOCK_RETRIES + 1):
            try:
                with self._write() as session:
                    needed = reviews_for(session, batch_id, reviews_needed)
                    unit_id = _claim(session, list(by_id), reviewer, needed, lease)
                break
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) != DEADLOCK or attempt == DEADLOCK_RETRIES:
                    raise
                logger.info("claiming for %s met another claim's transaction (a deadlock); trying again", reviewer)
        if unit_id is not None:
            logger.info("%s claimed unit %s", reviewer, unit_id)
        return by_id[unit_id] if unit_id is not None else None

    def release_claims(self, *, reviewer: str) -> int:
        """Give back every unit ``reviewer`` holds (they stopped reviewing); returns how many."""
        with self._write() as session:
            released = session.execute(delete(ClaimRow).where(ClaimRow.reviewer == reviewer.strip(),
                                                              ClaimRow.expires_at > utcnow()))
            return int(getattr(released, "rowcount", 0) or 0)

    def claims(self, *, batch_id: int | None = None) -> list[Claim]:
        """The claims in force (not expired), by unit; in one batch when ``batch_id`` is given."""
        with self._read() as session:
            query = select(ClaimRow).where(ClaimRow.expires_at > utcnow()).order_by(ClaimRow.unit_id)
            if batch_id is not None:
                documents = select(DocumentRow.id).where(DocumentRow.batch_id == batch_id)
                in_batch = select(UnitRow.id).where(UnitRow.document_id.in_(documents))
                query = query.where(ClaimRow.unit_id.in_(in_batch))
            return [Claim(unit_id=c.unit_id, reviewer=c.reviewer, claimed_at=aware(c.claimed_at),
                          expires_at=aware(c.expires_at)) for c in session.scalars(query)]


def _claim(session: Session, queue: list[int], reviewer: str, reviews_needed: int, lease: timedelta) -> int | None:
    """In one write transaction: lock and claim the first free unit of ``queue`` (the reviewer's own first), and
    release the reviewer's other claims in force; the unit's id, or None.

    Only claims in force are deleted as the reviewer's own: an expired one may be being replaced by another
    reviewer's claim on its unit right now, and is left to that claim (expired claims count for nothing).
    """
    now = utcnow()
    mine = ClaimRow.reviewer == reviewer
    held = set(session.scalars(select(ClaimRow.unit_id).where(mine, ClaimRow.expires_at > now)))
    candidates = [i for i in queue if i in held] + [i for i in queue if i not in held]
    unit_id = _lock_free_unit(session, candidates, reviewer, reviews_needed, now)
    session.execute(delete(ClaimRow).where(mine, ClaimRow.expires_at > now))
    if unit_id is not None:
        session.execute(delete(ClaimRow).where(ClaimRow.unit_id == unit_id))  # an expired claim of anyone's
        session.add(ClaimRow(unit_id=unit_id, reviewer=reviewer, claimed_at=now, expires_at=now + lease))
    return unit_id


def _lock_free_unit(session: Session, candidates: list[int], reviewer: str, reviews_needed: int,
                    now: datetime) -> int | None:
    """Lock the first of ``candidates`` no other transaction has locked and no other reviewer holds, that
    still waits for ``reviewer``; its id, or None. Locked candidates are skipped, never waited for."""
    for start in range(0, len(candidates), _LOCK_WINDOW):
        window = candidates[start:start + _LOCK_WINDOW]
        while window:
            position = case({unit: n for n, unit in enumerate(window)}, value=UnitRow.id)
            unit_id = session.scalar(select(UnitRow.id).where(UnitRow.id.in_(window)).order_by(position).limit(1)
                                     .with_for_update(skip_locked=True))
            if unit_id is None:  # every one of them is being claimed right now by someone else
                break
            window.remove(unit_id)
            if _claimable(session, unit_id, reviewer, reviews_needed, now):
                return unit_id
    return None


def _claimable(session: Session, unit_id: int, reviewer: str, reviews_needed: int, now: datetime) -> bool:
    """Under the unit's lock: nobody else holds it, and it still needs a decision from ``reviewer``."""
    holder = session.scalar(select(ClaimRow.reviewer).where(ClaimRow.unit_id == unit_id, ClaimRow.expires_at > now))
    if holder is not None and holder != reviewer:
        return False
    rows = list(session.scalars(select(DecisionRow).where(DecisionRow.unit_id == unit_id)))
    decided = {d.reviewer for d in current_by_unit(rows).get(unit_id, [])}
    _, flags, settled = standing(rows).get(unit_id, ([], [], None))
    return (reviewer not in decided and len(decided) < reviews_needed and settled is None
            and all(f.reviewer != reviewer for f in flags))

