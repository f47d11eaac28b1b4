"""The moderation queue: units whose assessors disagree, or that an assessor flagged, until a moderator settles them.

A unit waits for moderation while it has no settlement in force and either two or more current opinions with
different labels (another competency or level, or accepted against rejected: :func:`~evidence.store.decisions.disagree`)
or a current flag. Settling it is :meth:`~evidence.store.Store.settle` (who may: :mod:`evidence.review.moderation`);
every opinion stays in the decision log and the audit trail.
"""

from __future__ import annotations

from evidence.store.decisions import _record, decision_rows, disagree, standing
from evidence.store.queue import QueueMixin, candidate_units, queue_items
from evidence.store.records import ModerationItem

DISAGREEMENT = "disagreement"
FLAGGED = "flagged"


class ModerationMixin(QueueMixin):
    """The :class:`~evidence.store.Store` methods for the moderation queue."""

    def moderation_queue(self, *, batch_id: int | None = None, framework_id: str | None = None
                         ) -> list[ModerationItem]:
        """The units waiting for a moderator, in document order, each with its opinions and flags."""
        with self._read() as session:
            rows = decision_rows(session, batch_id, framework_id)
            waiting = {}
            for unit, (opinions, flags, settled) in standing(rows).items():
                reasons = tuple(r for r, hit in ((DISAGREEMENT, len(opinions) >= 2 and disagree(opinions)),
                                                 (FLAGGED, bool(flags))) if hit)
                if settled is None and reasons:
                    waiting[unit] = (reasons, opinions, flags)
            if not waiting:
                return []
            contexts = [c for c in candidate_units(session, batch_id, framework_id) if c[0].id in waiting]
            items = queue_items(session, contexts)
        return [ModerationItem(item=item, reasons=waiting[item.unit_id][0],
                               opinions=[_record(d, created=False) for d in waiting[item.unit_id][1]],
                               flags=[_record(d, created=False) for d in waiting[item.unit_id][2]])
                for item in items]
