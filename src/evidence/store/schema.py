"""The store's ORM schema and the append-only guards on decisions and on the audit trail.

The migrations in :mod:`evidence.store.migrations` create exactly this schema (a test compares them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from evidence.domain import ZERO_SHOT
from evidence.store.records import StoreError

KEY_MAX = 100  # the longest idempotency key a client may send
REVIEWER_MAX = 120  # the longest reviewer name: the users file allows up to 120 characters (services.auth)


class Base(DeclarativeBase):
    pass


class FrameworkRow(Base):
    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("framework_id", "content_hash", name="uq_frameworks_id_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300), default="")
    first_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BatchRow(Base):
    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    framework_ref: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    framework_id: Mapped[str] = mapped_column(String(120), index=True)
    role_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version: Mapped[str] = mapped_column(String(120), default="")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the assessment policy an admin sets (evidence.store.batches.BatchesMixin.set_batch_policy)
    reviewers_per_unit: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    hide_suggestions: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    chunked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    moderator: Mapped[str | None] = mapped_column(String(REVIEWER_MAX), nullable=True)


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("batch_id", "external_id", name="uq_documents_batch_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    # a blind batch's document: the id it had before its pseudonym (external_id); never shown in blind views
    original_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    redacted_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    match: Mapped[float | None] = mapped_column(Float, nullable=True)
    analysis: Mapped[str] = mapped_column(Text)  # DocumentAnalysis JSON of the text reviewers see


class UnitRow(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("document_id", "idx", name="uq_units_document_idx"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_char", Integer)
    end: Mapped[int] = mapped_column("end_char", Integer)
    cues: Mapped[str] = mapped_column(Text, default="{}")
    # place in the review order (higher: sooner), from active learning when the batch is screened; None until then
    priority: Mapped[float | None] = mapped_column(Float, nullable=True)


class SuggestionRow(Base):
    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("unit_id", "counter_evidence", "rank", name="uq_suggestions_unit_rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    counter_evidence: Mapped[bool] = mapped_column(Boolean, default=False)
    competency: Mapped[str] = mapped_column(String(120))
    competency_name: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[str | None] = mapped_column(String(120), nullable=True)
    score: Mapped[float] = mapped_column(Float)
    indicator: Mapped[str] = mapped_column(Text)  # MatchedIndicator JSON
    model_version: Mapped[str] = mapped_column(String(120), default=ZERO_SHOT)


class DecisionRow(Base):
    """One entry of the append-only decision log; :class:`~evidence.store.records.DecisionRecord` mirrors it."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(REVIEWER_MAX), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20))  # a DecisionKind value, or "undo"
    competency: Mapped[str | None] = mapped_column(String(120), nullable=True)
    level: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_competency: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_level: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    model_version: Mapped[str] = mapped_column(String(120), default=ZERO_SHOT)
    revokes: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), nullable=True, unique=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)  # the assessor's note (a flag's reason)
    settled_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)  # a moderation's DecisionKind
    suggestion_hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ClaimRow(Base):
    """A reviewer's hold on one unit until ``expires_at``: no other reviewer is handed it meanwhile.

    One row per unit at most (the key), so a unit is held by one reviewer at a time. Unlike decisions,
    claims are working state: replaced when they expire, deleted when their reviewer decides the unit.
    """

    __tablename__ = "claims"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, autoincrement=False)
    reviewer: Mapped[str] = mapped_column(String(REVIEWER_MAX), index=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """One record of the audit trail (:mod:`evidence.store.audit`): append-only, each chaining the hash of the one
    before, so an edited, removed or inserted record breaks the chain."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(REVIEWER_MAX))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The audit chain's head: one row (id 1), the last record's seq and hash. Appends lock it (PostgreSQL:
    ``SELECT ... FOR UPDATE``) so they queue one behind another; it also shows a removed last record."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


def length_problems(row: Base, where: str) -> list[str]:
    """Each text value of ``row`` longer than its column holds, as a message naming ``where`` it comes from.

    PostgreSQL refuses such a value (SQLite would keep it), so the store checks first, on every backend, and
    reports every one at once instead of failing on the first with the database's message.
    """
    problems = []
    for attr in sa_inspect(type(row)).column_attrs:
        column = attr.columns[0]
        value = getattr(row, attr.key)
        limit = getattr(column.type, "length", None)
        if isinstance(column.type, String) and limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"{where}: the {attr.key.replace('_', ' ')} has {len(value):,} characters, over the "
                            f"{limit} the store holds")
    return problems


@event.listens_for(AuditRow, "before_update")
def _refuse_audit_update(mapper: Mapper[AuditRow], connection: Connection, target: AuditRow) -> None:
    raise StoreError("the audit trail is append-only; record a new entry instead of changing one")


@event.listens_for(AuditRow, "before_delete")
def _refuse_audit_delete(mapper: Mapper[AuditRow], connection: Connection, target: AuditRow) -> None:
    raise StoreError("the audit trail is append-only; entries are never deleted")


@event.listens_for(DecisionRow, "before_update")
def _refuse_update(mapper: Mapper[DecisionRow], connection: Connection, target: DecisionRow) -> None:
    raise StoreError("decisions are append-only; record a new decision (or an undo) instead of changing one")


@event.listens_for(DecisionRow, "before_delete")
def _refuse_delete(mapper: Mapper[DecisionRow], connection: Connection, target: DecisionRow) -> None:
    raise StoreError("decisions are append-only; record an undo instead of deleting a decision")
