"""The store: batches, documents, units, suggestions and the append-only decision log.

One SQLAlchemy 2.x database holds everything the app and training share:

* ``frameworks``: each framework in use, by id *and* content hash, so a batch always names the exact
  framework version it was analysed against;
* ``batches`` of ``documents`` (the original text and, for blind review, the redacted text the
  analysis was run on, plus the whole :class:`~evidence.domain.DocumentAnalysis` as JSON so a batch
  reopens exactly as it was screened);
* ``units`` (text, offsets, cues) with their ``suggestions`` (score, matched indicator, model version);
* ``decisions``: an append-only log. A decision names its reviewer, when it was made, what was
  suggested and what was decided. It carries an idempotency key from the client (unique), so a retried
  request never records a decision twice; "undo" is itself a decision that revokes an earlier one.
  Nothing in the log is ever updated or deleted (the ORM refuses it, and on SQLite triggers do too).

The default database is a SQLite file in the data directory (``$EVIDENCE_HOME/evidence.db``); any
SQLAlchemy URL can be given instead with ``EVIDENCE_DATABASE_URL``. :meth:`Store.open` creates or
upgrades the schema with the Alembic migrations in :mod:`evidence.migrations` before returning.

On SQLite, write transactions start with ``BEGIN IMMEDIATE`` and the database runs in WAL mode with a
busy timeout, so two reviewers (two processes or threads) writing at once queue instead of failing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

from evidence.config import data_home
from evidence.domain import (
    Correction,
    Cues,
    DecisionKind,
    DocumentAnalysis,
    Framework,
    MatchedIndicator,
    Suggestion,
)
from evidence.errors import EvidenceError

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "EVIDENCE_DATABASE_URL"
UNDO = "undo"  # the decision kind that revokes an earlier decision
KEY_MAX = 100
CORRECTION_CSV_FIELDS = list(Correction.model_fields)


class StoreError(EvidenceError):
    """A store operation that cannot be done as asked (unknown unit, reused key, bad decision)."""


def default_url() -> str:
    """``EVIDENCE_DATABASE_URL`` if set, else a SQLite file in the data directory."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data_home() / 'evidence.db'}"


def framework_hash(framework: Framework) -> str:
    """A stable content hash of a framework (sha256 of its canonical JSON)."""
    canonical = json.dumps(framework.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# -- schema (the migrations in evidence/migrations create exactly this) --------------------------


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


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("batch_id", "external_id", name="uq_documents_batch_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
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
    model_version: Mapped[str] = mapped_column(String(120), default="zero-shot")


class DecisionRow(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(120), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20))  # a DecisionKind value, or "undo"
    competency: Mapped[str | None] = mapped_column(String(120), nullable=True)
    level: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_competency: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_level: Mapped[str | None] = mapped_column(String(120), nullable=True)
    suggested_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    model_version: Mapped[str] = mapped_column(String(120), default="zero-shot")
    revokes: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), nullable=True, unique=True)


@event.listens_for(DecisionRow, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: DecisionRow) -> None:
    raise StoreError("decisions are append-only; record a new decision (or an undo) instead of changing one")


@event.listens_for(DecisionRow, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: DecisionRow) -> None:
    raise StoreError("decisions are append-only; record an undo instead of deleting a decision")


# -- what the store hands out (plain values, detached from any session) ---------------------------


@dataclass(frozen=True)
class BatchInfo:
    id: int
    name: str
    framework_id: str
    framework_hash: str
    role_id: str | None
    blind: bool
    model_version: str
    created_by: str
    created_at: datetime
    documents: int


@dataclass(frozen=True)
class StoredDocument:
    """A screened document. Unit offsets in ``analysis`` point into :attr:`shown_text`."""

    id: int
    batch_id: int
    external_id: str
    name: str
    text: str
    redacted_text: str | None
    analysis: DocumentAnalysis

    @property
    def shown_text(self) -> str:
        return self.redacted_text if self.redacted_text is not None else self.text


@dataclass(frozen=True)
class QueueItem:
    """One unit waiting for review, with its neighbours for context and its suggestions, best first."""

    unit_id: int
    batch_id: int
    document_id: int
    document: str  # the document's external id
    framework_id: str
    index: int
    text: str
    start: int
    end: int
    cues: Cues
    suggestions: list[Suggestion]
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    key: str
    unit_id: int
    reviewer: str
    kind: str  # a DecisionKind value, or "undo"
    decided_at: datetime
    competency: str | None = None
    level: str | None = None
    suggested_competency: str | None = None
    suggested_level: str | None = None
    suggested_score: float | None = None
    model_version: str = "zero-shot"
    revokes: int | None = None
    created: bool = True  # False when the key had already been recorded (an idempotent retry)


@dataclass(frozen=True)
class Agreement:
    """How reviewers' current decisions agree with the model and with each other."""

    decided: int = 0  # current decisions (all reviewers)
    accepted: int = 0
    rejected: int = 0
    relabelled: int = 0
    no_evidence: int = 0
    multi_reviewed_units: int = 0  # units decided by two or more reviewers
    agreeing_units: int = 0  # ... of which every reviewer gave the same label
    by_reviewer: dict[str, int] = field(default_factory=dict)

    @property
    def model_agreement(self) -> float | None:
        """Reviewer vs model: the share of decisions that accepted the suggestion."""
        return self.accepted / self.decided if self.decided else None

    @property
    def reviewer_agreement(self) -> float | None:
        """Reviewer vs reviewer: the share of multiply-reviewed units on which all reviewers agree."""
        return self.agreeing_units / self.multi_reviewed_units if self.multi_reviewed_units else None


PriorityKey = Callable[[QueueItem], Any]
"""Sort key for the review queue: items with the smallest key are reviewed first."""

QueueOrder = Callable[[list[QueueItem]], list[QueueItem]]
"""A whole-queue ordering (active learning scores all waiting units together)."""


# -- the store -----------------------------------------------------------------------------------


class Store:
    """Access to one database. Open with :meth:`open`; safe to share between threads."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._writer = engine.execution_options(evidence_write=True)

    # -- lifecycle -------------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect to ``url`` (default: :func:`default_url`) and bring the schema up to date."""
        url = url or default_url()
        engine = _make_engine(url)
        store = cls(engine, url)
        store.upgrade()
        return store

    def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` inside one write transaction."""
        from alembic import command

        from evidence.migrations import alembic_config

        config = alembic_config(self.url)
        with self._writer.connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        logger.info("store %s at revision %s", _safe_url(self.url), revision)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: committed as a whole on success, rolled back on any error."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    # -- frameworks and batches ------------------------------------------------------------------

    def _framework_ref(self, session: Session, framework: Framework) -> tuple[int, str]:
        digest = framework_hash(framework)
        row = session.scalar(select(FrameworkRow).where(FrameworkRow.framework_id == framework.id,
                                                        FrameworkRow.content_hash == digest))
        if row is None:
            row = FrameworkRow(framework_id=framework.id, content_hash=digest, name=framework.name,
                               first_used_at=utcnow())
            session.add(row)
            session.flush()
        return row.id, digest

    def save_batch(self, name: str, framework_id: str, role_id: str | None, analyses: Iterable[DocumentAnalysis],
                   *, framework: Framework | None = None, originals: dict[str, str] | None = None,
                   names: dict[str, str] | None = None, created_by: str = "", model_version: str | None = None) -> int:
        """Save a screened batch in one transaction and return its id.

        ``originals`` (document id -> original text) marks a blind batch: the analyses were run on
        the redacted texts, which are stored beside the originals. ``names`` (document id -> the
        applicant's name) keeps names the redacted documents no longer carry; pages of a blind batch
        never show them.
        """
        if framework is None:
            from evidence.frameworks.catalogue import get_framework

            framework = get_framework(framework_id)
        if framework.id != framework_id:
            raise StoreError(f"the framework given is {framework.id!r}, not {framework_id!r}")
        analyses = list(analyses)
        versions = {s.model_version for a in analyses for u in a.units for s in u.suggestions}
        with self._write() as session:
            ref, _ = self._framework_ref(session, framework)
            batch = BatchRow(name=name.strip() or "batch", framework_ref=ref, framework_id=framework_id,
                             role_id=role_id, blind=originals is not None, created_by=created_by,
                             model_version=model_version or ",".join(sorted(versions)) or "zero-shot",
                             created_at=utcnow())
            session.add(batch)
            session.flush()
            for analysis in analyses:
                self._add_document(session, batch.id, analysis, originals, (names or {}).get(analysis.document.id))
            logger.info("saved batch %s (%s) with %d documents", batch.id, name, len(analyses))
            return batch.id

    def _add_document(self, session: Session, batch_id: int, analysis: DocumentAnalysis,
                      originals: dict[str, str] | None, name: str | None) -> None:
        doc = analysis.document
        if originals is not None and doc.id not in originals:
            raise StoreError(f"blind batch: no original text for document {doc.id!r}")
        row = DocumentRow(batch_id=batch_id, external_id=doc.id, name=name or doc.name, source=doc.source,
                          text=originals[doc.id] if originals is not None else doc.text,
                          redacted_text=doc.text if originals is not None else None,
                          match=analysis.match, analysis=analysis.model_dump_json())
        session.add(row)
        session.flush()
        for ua in analysis.units:
            unit = UnitRow(document_id=row.id, idx=ua.unit.index, text=ua.unit.text, start=ua.unit.start,
                           end=ua.unit.end, cues=ua.unit.cues.model_dump_json())
            session.add(unit)
            session.flush()
            for counter, suggestions in ((False, ua.suggestions), (True, ua.counter_evidence)):
                for rank, s in enumerate(suggestions):
                    session.add(SuggestionRow(unit_id=unit.id, rank=rank, counter_evidence=counter,
                                              competency=s.competency, competency_name=s.competency_name,
                                              level=s.level, score=s.score,
                                              indicator=s.indicator.model_dump_json(),
                                              model_version=s.model_version))

    def list_batches(self, *, framework_id: str | None = None) -> list[BatchInfo]:
        """Every batch, newest first."""
        counts = (select(DocumentRow.batch_id, func.count(DocumentRow.id).label("n"))
                  .group_by(DocumentRow.batch_id).subquery())
        query = (select(BatchRow, FrameworkRow.content_hash, counts.c.n)
                 .join(FrameworkRow, FrameworkRow.id == BatchRow.framework_ref)
                 .outerjoin(counts, counts.c.batch_id == BatchRow.id).order_by(BatchRow.id.desc()))
        if framework_id:
            query = query.where(BatchRow.framework_id == framework_id)
        with self._read() as session:
            return [_batch_info(b, digest, n or 0) for b, digest, n in session.execute(query)]

    def batch(self, batch_id: int) -> BatchInfo:
        for info in self.list_batches():
            if info.id == batch_id:
                return info
        raise StoreError(f"no batch with id {batch_id}; list them with Store.list_batches()")

    def find_batch(self, name: str) -> BatchInfo | None:
        """The newest batch with this name, if any."""
        return next((b for b in self.list_batches() if b.name == name), None)

    def documents(self, batch_id: int) -> list[StoredDocument]:
        """A batch's documents in the order they were screened."""
        with self._read() as session:
            rows = session.scalars(select(DocumentRow).where(DocumentRow.batch_id == batch_id)
                                   .order_by(DocumentRow.id)).all()
            return [StoredDocument(id=r.id, batch_id=r.batch_id, external_id=r.external_id, name=r.name, text=r.text,
                                   redacted_text=r.redacted_text,
                                   analysis=DocumentAnalysis.model_validate_json(r.analysis)) for r in rows]

    def analyses(self, batch_id: int) -> list[DocumentAnalysis]:
        return [d.analysis for d in self.documents(batch_id)]

    # -- the review queue ------------------------------------------------------------------------

    def review_queue(self, *, batch_id: int | None = None, framework_id: str | None = None,
                     reviewer: str | None = None, reviews_needed: int = 1, priority: PriorityKey | None = None,
                     order: QueueOrder | None = None, limit: int | None = None) -> list[QueueItem]:
        """Units with suggestions that still need a decision, most useful to review first.

        A unit needs review while fewer than ``reviews_needed`` reviewers have a current decision on
        it; a unit ``reviewer`` has already decided never comes back to them. ``priority`` is a sort
        key over :class:`QueueItem` (smallest first; default :func:`evidence.review.uncertainty`);
        ``order`` instead reorders the whole queue at once, as active learning does
        (:func:`evidence.review.active_learning_order`).
        """
        from evidence.review import uncertainty

        with self._read() as session:
            candidates = self._candidate_units(session, batch_id, framework_id)
            current = _current_by_unit(self._decisions(session, batch_id, framework_id))
            waiting = [u for u in candidates
                       if len({d.reviewer for d in current.get(u[0].id, [])}) < reviews_needed
                       and not (reviewer and any(d.reviewer == reviewer for d in current.get(u[0].id, [])))]
            items = self._queue_items(session, waiting)
        items = order(items) if order is not None else sorted(items, key=priority or uncertainty)
        return items[:limit] if limit else items

    def suggested_units(self, *, batch_id: int | None = None, framework_id: str | None = None) -> list[QueueItem]:
        """Every unit with suggestions in scope, decided or not, in document order."""
        with self._read() as session:
            return self._queue_items(session, self._candidate_units(session, batch_id, framework_id))

    def queue_item(self, unit_id: int) -> QueueItem:
        """One unit as a review card (context and suggestions), whether or not it is decided."""
        with self._read() as session:
            row = session.execute(_unit_query().where(UnitRow.id == unit_id)).first()
            if row is None:
                raise StoreError(f"no unit with id {unit_id}")
            return self._queue_items(session, [tuple(row)])[0]

    def _candidate_units(self, session: Session, batch_id: int | None,
                         framework_id: str | None) -> list[tuple[UnitRow, DocumentRow, BatchRow]]:
        has_suggestion = select(SuggestionRow.unit_id).where(SuggestionRow.counter_evidence.is_(False))
        query = _unit_query().where(UnitRow.id.in_(has_suggestion))
        if batch_id is not None:
            query = query.where(BatchRow.id == batch_id)
        if framework_id is not None:
            query = query.where(BatchRow.framework_id == framework_id)
        return [tuple(r) for r in session.execute(query.order_by(UnitRow.id))]

    def _queue_items(self, session: Session, rows: Sequence[tuple[UnitRow, DocumentRow, BatchRow]]
                     ) -> list[QueueItem]:
        if not rows:
            return []
        suggestions = self._suggestions(session, [u.id for u, _, _ in rows])
        neighbours = self._neighbours(session, {d.id for _, d, _ in rows})
        items = []
        for unit, doc, batch in rows:
            texts = neighbours.get(doc.id, {})
            items.append(QueueItem(unit_id=unit.id, batch_id=batch.id, document_id=doc.id, document=doc.external_id,
                                   framework_id=batch.framework_id, index=unit.idx, text=unit.text, start=unit.start,
                                   end=unit.end, cues=Cues.model_validate_json(unit.cues),
                                   suggestions=suggestions.get(unit.id, []),
                                   before=texts.get(unit.idx - 1, ""), after=texts.get(unit.idx + 1, "")))
        return items

    def _suggestions(self, session: Session, unit_ids: list[int]) -> dict[int, list[Suggestion]]:
        found: dict[int, list[Suggestion]] = defaultdict(list)
        for chunk in _chunks(unit_ids, 500):
            rows = session.scalars(select(SuggestionRow).where(SuggestionRow.unit_id.in_(chunk),
                                                               SuggestionRow.counter_evidence.is_(False))
                                   .order_by(SuggestionRow.unit_id, SuggestionRow.rank))
            for s in rows:
                found[s.unit_id].append(_suggestion(s))
        return found

    def _neighbours(self, session: Session, document_ids: set[int]) -> dict[int, dict[int, str]]:
        texts: dict[int, dict[int, str]] = defaultdict(dict)
        for chunk in _chunks(sorted(document_ids), 500):
            for doc_id, idx, text in session.execute(select(UnitRow.document_id, UnitRow.idx, UnitRow.text)
                                                     .where(UnitRow.document_id.in_(chunk))):
                texts[doc_id][idx] = text
        return texts

    # -- decisions -------------------------------------------------------------------------------

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
        with self._read() as session:
            existing = self._by_key(session, key)
        if existing is not None:
            return _same_request(existing, unit_id, reviewer, kind.value)
        try:
            with self._write() as session:
                existing = self._by_key(session, key)  # re-checked under the write lock
                if existing is not None:
                    return _same_request(existing, unit_id, reviewer, kind.value)
                row = self._decision_row(session, unit_id, reviewer, kind, key, competency, level, suggestion_rank,
                                         decided_at)
                session.add(row)
                session.flush()
                record = _decision_record(row)
        except IntegrityError:  # another writer recorded the same key between our check and insert
            with self._read() as session:
                existing = self._by_key(session, key)
            if existing is None:
                raise
            return _same_request(existing, unit_id, reviewer, kind.value)
        logger.info("decision %s: %s %s unit %s", record.id, reviewer, kind.value, unit_id)
        return record

    def _decision_row(self, session: Session, unit_id: int, reviewer: str, kind: DecisionKind, key: str,
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
            competency, level = suggested.competency, suggested.level
        elif kind in (DecisionKind.rejected, DecisionKind.no_evidence):
            competency, level = None, None
        elif not competency:
            raise StoreError("a relabelled decision needs the competency the reviewer chose")
        batch = session.scalar(select(BatchRow).join(DocumentRow, DocumentRow.batch_id == BatchRow.id)
                               .where(DocumentRow.id == unit.document_id))
        Correction(text=unit.text, framework=batch.framework_id, decision=kind, competency=competency,
                   level=level)  # the shared validation of a decision's label
        return DecisionRow(key=key, unit_id=unit_id, reviewer=reviewer.strip(), decided_at=decided_at or utcnow(),
                           kind=kind.value, competency=competency, level=level,
                           suggested_competency=suggested.competency if suggested else None,
                           suggested_level=suggested.level if suggested else None,
                           suggested_score=suggested.score if suggested else None,
                           model_version=suggested.model_version if suggested else batch.model_version)

    def undo(self, *, reviewer: str, key: str, decision_id: int | None = None) -> DecisionRecord | None:
        """Revoke ``reviewer``'s decision ``decision_id`` (default: their latest current one).

        Appends an "undo" decision; returns it, or None when the reviewer has nothing left to undo.
        Retrying with the same ``key`` returns the first undo.
        """
        _check_actor(reviewer, key)
        with self._read() as session:
            existing = self._by_key(session, key)
        if existing is not None:
            return _same_request(existing, existing.unit_id, reviewer, UNDO)
        try:
            with self._write() as session:
                existing = self._by_key(session, key)
                if existing is not None:
                    return _same_request(existing, existing.unit_id, reviewer, UNDO)
                target = self._undo_target(session, reviewer, decision_id)
                if target is None:
                    return None
                row = DecisionRow(key=key, unit_id=target.unit_id, reviewer=reviewer.strip(), decided_at=utcnow(),
                                  kind=UNDO, competency=target.competency, level=target.level,
                                  suggested_competency=target.suggested_competency,
                                  suggested_level=target.suggested_level, suggested_score=target.suggested_score,
                                  model_version=target.model_version, revokes=target.id)
                session.add(row)
                session.flush()
                record = _decision_record(row)
        except IntegrityError:
            with self._read() as session:
                existing = self._by_key(session, key)
            if existing is None:
                raise StoreError("that decision was undone at the same moment by another request; reload") from None
            return _same_request(existing, existing.unit_id, reviewer, UNDO)
        logger.info("decision %s: %s undid decision %s", record.id, reviewer, record.revokes)
        return record

    def _undo_target(self, session: Session, reviewer: str, decision_id: int | None) -> DecisionRow | None:
        revoked = select(DecisionRow.revokes).where(DecisionRow.revokes.is_not(None))
        query = select(DecisionRow).where(DecisionRow.kind != UNDO, DecisionRow.id.not_in(revoked))
        if decision_id is not None:
            target = session.scalar(query.where(DecisionRow.id == decision_id))
            if target is None:
                raise StoreError(f"decision {decision_id} does not exist or is already undone")
            if target.reviewer != reviewer.strip():
                raise StoreError(f"decision {decision_id} is {target.reviewer!r}'s; reviewers undo only their own")
            return target
        return session.scalar(query.where(DecisionRow.reviewer == reviewer.strip()).order_by(DecisionRow.id.desc()))

    def _by_key(self, session: Session, key: str) -> DecisionRecord | None:
        row = session.scalar(select(DecisionRow).where(DecisionRow.key == key))
        return _decision_record(row, created=False) if row is not None else None

    def _decisions(self, session: Session, batch_id: int | None = None, framework_id: str | None = None,
                   reviewer: str | None = None) -> list[DecisionRow]:
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

    def decision_log(self, *, batch_id: int | None = None, framework_id: str | None = None,
                     reviewer: str | None = None) -> list[DecisionRecord]:
        """Every decision, undos included, in the order recorded: the audit trail."""
        with self._read() as session:
            return [_decision_record(r, created=False)
                    for r in self._decisions(session, batch_id, framework_id, reviewer)]

    def current_decisions(self, *, batch_id: int | None = None, framework_id: str | None = None,
                          reviewer: str | None = None) -> list[DecisionRecord]:
        """Decisions in force: not undone, and each reviewer's latest on a unit."""
        with self._read() as session:
            rows = self._decisions(session, batch_id, framework_id, reviewer)
        return [_decision_record(d, created=False)
                for unit in _current_by_unit(rows).values() for d in unit]

    def corrections(self, framework_id: str, *, batch_id: int | None = None) -> list[Correction]:
        """The current decisions on a framework's units as :class:`Correction` records, for training."""
        with self._read() as session:
            rows = self._decisions(session, batch_id, framework_id)
            current = sorted((d for unit in _current_by_unit(rows).values() for d in unit), key=lambda d: d.id)
            units = {u.id: (u, doc) for u, doc in session.execute(
                select(UnitRow, DocumentRow).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
                .where(UnitRow.id.in_({d.unit_id for d in current})))} if current else {}
        return [Correction(text=units[d.unit_id][0].text, framework=framework_id, decision=DecisionKind(d.kind),
                           competency=d.competency, level=d.level, suggested_competency=d.suggested_competency,
                           suggested_level=d.suggested_level, suggested_score=d.suggested_score,
                           document_id=units[d.unit_id][1].external_id, unit_index=units[d.unit_id][0].idx,
                           reviewer=d.reviewer, decided_at=_aware(d.decided_at).isoformat(),
                           model_version=d.model_version) for d in current]

    def corrections_csv(self, framework_id: str, *, batch_id: int | None = None) -> str:
        """:meth:`corrections` as CSV text, one column per :class:`Correction` field."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CORRECTION_CSV_FIELDS)
        writer.writeheader()
        for c in self.corrections(framework_id, batch_id=batch_id):
            writer.writerow(c.model_dump(mode="json"))
        return out.getvalue()

    # -- progress and agreement ------------------------------------------------------------------

    def agreement(self, *, batch_id: int | None = None, framework_id: str | None = None) -> Agreement:
        """Reviewer vs model and reviewer vs reviewer agreement over current decisions."""
        with self._read() as session:
            current = _current_by_unit(self._decisions(session, batch_id, framework_id))
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

    def progress(self, *, batch_id: int | None = None, framework_id: str | None = None) -> tuple[int, int]:
        """(units decided by at least one reviewer, units with suggestions) in scope."""
        with self._read() as session:
            total = len(self._candidate_units(session, batch_id, framework_id))
            decided = len(_current_by_unit(self._decisions(session, batch_id, framework_id)))
        return decided, total


# -- helpers -------------------------------------------------------------------------------------


_SQLITE_BUSY_SECONDS = 30


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
    if not memory:
        path = url.split("///", 1)[-1].split("?", 1)[0]
        if path:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": _SQLITE_BUSY_SECONDS},
                           **({"poolclass": StaticPool} if memory else {}))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")
        if not memory:
            _enable_wal(cursor)
            cursor.execute("PRAGMA synchronous=FULL")  # a committed decision survives a power cut
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front, so two writers queue (busy_timeout) rather than
        # deadlock on upgrading a read lock.
        immediate = connection.get_execution_options().get("evidence_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to write-ahead logging, waiting while another connection holds it.

    SQLite answers a journal-mode change with "database is locked" at once, without calling the
    busy handler, when another connection is mid-transaction (two processes creating a new file
    together), so the wait is done here. WAL persists in the file: later connections skip it.
    """
    deadline = time.monotonic() + _SQLITE_BUSY_SECONDS
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _safe_url(url: str) -> str:
    """The URL without a password, for logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - logging must never fail on a malformed URL
        return "<database>"


def _unit_query():  # noqa: ANN202 - a SQLAlchemy Select of (UnitRow, DocumentRow, BatchRow)
    return (select(UnitRow, DocumentRow, BatchRow).join(DocumentRow, DocumentRow.id == UnitRow.document_id)
            .join(BatchRow, BatchRow.id == DocumentRow.batch_id))


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _batch_info(b: BatchRow, digest: str, documents: int) -> BatchInfo:
    return BatchInfo(id=b.id, name=b.name, framework_id=b.framework_id, framework_hash=digest, role_id=b.role_id,
                     blind=b.blind, model_version=b.model_version, created_by=b.created_by,
                     created_at=_aware(b.created_at), documents=documents)


def _suggestion(s: SuggestionRow) -> Suggestion:
    return Suggestion(competency=s.competency, competency_name=s.competency_name, level=s.level, score=s.score,
                      indicator=MatchedIndicator.model_validate_json(s.indicator),
                      counter_evidence=s.counter_evidence, model_version=s.model_version)


def _decision_record(row: DecisionRow, *, created: bool = True) -> DecisionRecord:
    return DecisionRecord(id=row.id, key=row.key, unit_id=row.unit_id, reviewer=row.reviewer, kind=row.kind,
                          decided_at=_aware(row.decided_at), competency=row.competency, level=row.level,
                          suggested_competency=row.suggested_competency, suggested_level=row.suggested_level,
                          suggested_score=row.suggested_score, model_version=row.model_version,
                          revokes=row.revokes, created=created)


def _check_actor(reviewer: str, key: str) -> None:
    if not reviewer or not reviewer.strip():
        raise StoreError("every decision names its reviewer; sign in first")
    if not key or len(key) > KEY_MAX:
        raise StoreError(f"a decision needs an idempotency key of 1 to {KEY_MAX} characters (a UUID will do)")


def _same_request(existing: DecisionRecord, unit_id: int, reviewer: str, kind: str) -> DecisionRecord:
    """A retried request returns the first record; a key reused for something else is an error."""
    if (existing.unit_id, existing.reviewer, existing.kind) != (unit_id, reviewer.strip(), kind):
        raise StoreError(f"idempotency key {existing.key!r} was already used for another decision "
                         f"({existing.reviewer} {existing.kind} unit {existing.unit_id}); use a fresh key per decision")
    return existing


def _current_by_unit(rows: Iterable[DecisionRow]) -> dict[int, list[DecisionRow]]:
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


def _label(d: DecisionRow) -> tuple[str | None, ...]:
    """What a decision says the unit evidences, for comparing reviewers."""
    if d.kind in ("accepted", "relabelled"):
        return ("label", d.competency, d.level)
    if d.kind == "rejected":
        return ("not", d.suggested_competency)
    return ("none",)
