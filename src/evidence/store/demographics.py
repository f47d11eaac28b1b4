"""Self-declared demographics of a batch's applicants: stored apart from the statements, for admins' adverse-impact
report only.

An admin uploads them separately from the statements (an id column and one column per category, blanks allowed:
:func:`evidence.reporting.fairness.check_demographics` checks the table). They live in their own table,
``demographics``, one row per applicant and category, keyed by the id the applicant was *screened under* (a blind
batch's original id, never the pseudonym assessors see), so joining them to the statements takes the original ids
that only admins' views hold. Nothing that serves assessors or the model reads this table: the review queue, the
decision log, the analyzer and training never touch it, and the app shows it on the admins' Fairness page only.

A new upload for a batch replaces the old one as a whole.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from evidence.config import utcnow
from evidence.store.audit import AuditAction, append_audit
from evidence.store.database import Database
from evidence.store.records import StoreError, aware
from evidence.store.schema import REVIEWER_MAX, Base, BatchRow

logger = logging.getLogger(__name__)

ID_MAX = 300  # the applicant id: as long as a document's id (DocumentRow.external_id)
CATEGORY_MAX = 120
VALUE_MAX = 300
PROBLEMS_SHOWN = 5  # too-long values named in the error; the rest are counted


class DemographicRow(Base):
    """One applicant's self-declared value in one category ("" where not declared)."""

    __tablename__ = "demographics"
    __table_args__ = (UniqueConstraint("batch_id", "applicant_id", "category",
                                       name="uq_demographics_batch_applicant_category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    applicant_id: Mapped[str] = mapped_column(String(ID_MAX))
    position: Mapped[int] = mapped_column(Integer)  # the category's column in the uploaded table
    category: Mapped[str] = mapped_column(String(CATEGORY_MAX))
    value: Mapped[str] = mapped_column(String(VALUE_MAX))
    uploaded_by: Mapped[str] = mapped_column(String(REVIEWER_MAX))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Demographics:
    """A batch's demographics as uploaded: the categories in column order and each applicant's values in that order
    ("" = not declared), by the id the applicant was screened under."""

    batch_id: int
    categories: tuple[str, ...]
    values: dict[str, tuple[str, ...]]
    uploaded_by: str
    uploaded_at: datetime

    @property
    def applicants(self) -> int:
        return len(self.values)

    def table(self, id_column: str = "id") -> list[dict[str, str]]:
        """One dict per applicant (``id_column`` and each category): the rows of the uploaded table."""
        return [{id_column: applicant, **dict(zip(self.categories, row, strict=True))}
                for applicant, row in self.values.items()]


class DemographicsMixin(Database):
    """The :class:`~evidence.store.Store` methods for demographics (admins' adverse-impact report only)."""

    def save_demographics(self, batch_id: int, *, categories: Sequence[str], values: Mapping[str, Sequence[str]],
                          by: str) -> Demographics:
        """Replace the batch's demographics with ``values`` (applicant id -> one value per category, "" for not
        declared), uploaded by ``by``. Every problem (an unknown batch, a too-long value) is reported at once."""
        categories = [str(c).strip() for c in categories]
        problems = []
        if not categories or any(not c for c in categories):
            problems.append("every category needs a name (the table's header row)")
        twice = sorted({c for c in categories if categories.count(c) > 1})
        if twice:
            problems.append(f"a category is named twice: {', '.join(twice)}")
        too_long = [c for c in categories if len(c) > CATEGORY_MAX]
        if too_long:
            problems.append(f"{len(too_long)} category name(s) over {CATEGORY_MAX} characters")
        rows: dict[str, tuple[str, ...]] = {}
        for applicant, row in values.items():
            key = str(applicant).strip()
            cells = tuple(str(v).strip() for v in row)
            if not key or len(key) > ID_MAX:
                problems.append(f"an applicant id must have 1 to {ID_MAX} characters, not {len(key)}")
            elif len(cells) != len(categories):
                problems.append(f"applicant {key[:60]!r} has {len(cells)} values for {len(categories)} categories")
            elif any(len(v) > VALUE_MAX for v in cells):
                problems.append(f"applicant {key[:60]!r} has a value over {VALUE_MAX} characters")
            rows[key] = cells
        if problems:
            shown = problems[:PROBLEMS_SHOWN] + ([f"and {len(problems) - PROBLEMS_SHOWN} more"]
                                                 if len(problems) > PROBLEMS_SHOWN else [])
            raise StoreError("the demographics were not saved:\n" + "\n".join(f"  - {p}" for p in shown))
        at = utcnow()
        with self._write() as session:
            if session.get(BatchRow, batch_id) is None:
                raise StoreError(f"no batch with id {batch_id}; list them with Store.list_batches()")
            session.execute(delete(DemographicRow).where(DemographicRow.batch_id == batch_id))
            if rows:
                session.execute(insert(DemographicRow), [
                    {"batch_id": batch_id, "applicant_id": applicant, "position": n, "category": category,
                     "value": value, "uploaded_by": by, "uploaded_at": at}
                    for applicant, cells in rows.items() for n, (category, value)
                    in enumerate(zip(categories, cells, strict=True))])
            append_audit(session, actor=by, action=AuditAction.demographics, subject=f"batch:{batch_id}",
                         payload={"uploaded": len(rows), "categories": list(categories)})
        logger.info("%s uploaded demographics for batch %s: %d applicants, %d categories", by, batch_id, len(rows),
                    len(categories))
        return Demographics(batch_id=batch_id, categories=tuple(categories), values=rows, uploaded_by=by,
                            uploaded_at=at)

    def demographics(self, batch_id: int) -> Demographics | None:
        """The batch's demographics as last uploaded; None when none were."""
        with self._read() as session:
            found = session.execute(select(DemographicRow).where(DemographicRow.batch_id == batch_id)
                                    .order_by(DemographicRow.id)).scalars().all()
        if not found:
            return None
        categories = tuple(c for _, c in sorted({(r.position, r.category) for r in found}))
        place = {c: n for n, c in enumerate(categories)}
        values: dict[str, list[str]] = {}
        for r in found:
            values.setdefault(r.applicant_id, [""] * len(categories))[place[r.category]] = r.value
        return Demographics(batch_id=batch_id, categories=categories,
                            values={k: tuple(v) for k, v in values.items()}, uploaded_by=found[0].uploaded_by,
                            uploaded_at=aware(found[0].uploaded_at))

    def delete_demographics(self, batch_id: int, *, by: str = "") -> int:
        """Remove the batch's demographics (an applicant withdrew consent, or the audit is done); returns how many
        applicants' rows were removed. ``by`` is who removed them, for the audit trail."""
        with self._write() as session:
            applicants = len(set(session.execute(select(DemographicRow.applicant_id)
                                                 .where(DemographicRow.batch_id == batch_id)).scalars()))
            session.execute(delete(DemographicRow).where(DemographicRow.batch_id == batch_id))
            append_audit(session, actor=by, action=AuditAction.demographics, subject=f"batch:{batch_id}",
                         payload={"removed": applicants})
        return applicants
