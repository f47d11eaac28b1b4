"""Screened batches: saving a batch with its documents, units and suggestions, and reading batches back.

Each batch names the exact framework version it was analysed against (framework id *and* content hash),
and keeps every document's whole :class:`~evidence.domain.DocumentAnalysis` as JSON, so it reopens exactly
as it was screened. For a blind batch, the analysed (redacted) text is stored beside the original.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from evidence.config import utcnow
from evidence.domain import ZERO_SHOT, DocumentAnalysis, Framework
from evidence.io.limits import printable
from evidence.store.database import Database
from evidence.store.records import BatchInfo, Identity, StoredDocument, StoreError, aware
from evidence.store.schema import BatchRow, DocumentRow, FrameworkRow, SuggestionRow, UnitRow, length_problems

logger = logging.getLogger(__name__)

PROBLEMS_SHOWN = 10  # values named in the error when a batch has too-long ones; the count of the rest follows
ID_SHOWN = 60  # characters of a too-long document id quoted in that error


class BatchesMixin(Database):
    """The :class:`~evidence.store.Store` methods for batches and their documents."""

    def save_batch(self, name: str, framework: Framework, role_id: str | None, analyses: Iterable[DocumentAnalysis],
                   *, originals: dict[str, str] | None = None, names: dict[str, str] | None = None,
                   identities: dict[str, Identity] | None = None, created_by: str = "",
                   model_version: str | None = None) -> int:
        """Save a screened batch in one transaction and return its id.

        ``originals`` (document id -> original text) marks a blind batch: the analyses were run on
        the redacted texts under pseudonymous ids, and the originals are stored beside them, with
        ``identities`` (pseudonym -> the original id, source and name). ``names`` (document id -> the
        applicant's name) keeps names the documents no longer carry. Pages of a blind batch never show
        an original, an identity or a name.
        """
        analyses = list(analyses)
        versions = {s.model_version for a in analyses for u in a.units for s in u.suggestions}
        with self._write() as session:
            ref = _framework_ref(session, framework)
            batch = BatchRow(name=name.strip() or "batch", framework_ref=ref, framework_id=framework.id,
                             role_id=role_id, blind=originals is not None, created_by=created_by,
                             model_version=model_version or ",".join(sorted(versions)) or ZERO_SHOT,
                             created_at=utcnow())
            problems = length_problems(batch, "the batch")
            if not problems:
                session.add(batch)
                session.flush()
                for analysis in analyses:
                    doc_id = analysis.document.id
                    problems += _add_document(session, batch.id, analysis, originals, (names or {}).get(doc_id),
                                              (identities or {}).get(doc_id))
            if problems:  # raised inside the transaction: nothing of the batch is kept
                raise StoreError(f"the batch was not saved: {'; '.join(problems[:PROBLEMS_SHOWN])}"
                                 + (f" (and {len(problems) - PROBLEMS_SHOWN} more)" if len(problems) > PROBLEMS_SHOWN
                                    else "")
                                 + ". Shorten them (a document's id comes from the id column or the file name) "
                                   "and screen the batch again")
            logger.info("saved batch %s (%s) with %d documents", batch.id, name, len(analyses))
            return batch.id

    def list_batches(self, *, framework_id: str | None = None) -> list[BatchInfo]:
        """Every batch, newest first."""
        query = _batch_query()
        if framework_id:
            query = query.where(BatchRow.framework_id == framework_id)
        with self._read() as session:
            return [_batch_info(b, digest, n) for b, digest, n in session.execute(query)]

    def batch(self, batch_id: int) -> BatchInfo:
        with self._read() as session:
            row = session.execute(_batch_query().where(BatchRow.id == batch_id)).first()
        if row is None:
            raise StoreError(f"no batch with id {batch_id}; list them with Store.list_batches()")
        return _batch_info(*row)

    def find_batch(self, name: str) -> BatchInfo | None:
        """The newest batch with this name, if any."""
        with self._read() as session:
            row = session.execute(_batch_query().where(BatchRow.name == name).limit(1)).first()
        return _batch_info(*row) if row is not None else None

    def documents(self, batch_id: int) -> list[StoredDocument]:
        """A batch's documents in the order they were screened."""
        with self._read() as session:
            rows = session.scalars(select(DocumentRow).where(DocumentRow.batch_id == batch_id)
                                   .order_by(DocumentRow.id)).all()
            return [StoredDocument(id=r.id, batch_id=r.batch_id, external_id=r.external_id, name=r.name, text=r.text,
                                   redacted_text=r.redacted_text, source=r.source, original_id=r.original_id,
                                   analysis=DocumentAnalysis.model_validate_json(r.analysis)) for r in rows]

    def analyses(self, batch_id: int) -> list[DocumentAnalysis]:
        return [d.analysis for d in self.documents(batch_id)]


def _framework_ref(session: Session, framework: Framework) -> int:
    """The frameworks row for this exact framework version, added on first use."""
    digest = framework.content_hash
    row = session.scalar(select(FrameworkRow).where(FrameworkRow.framework_id == framework.id,
                                                    FrameworkRow.content_hash == digest))
    if row is None:
        row = FrameworkRow(framework_id=framework.id, content_hash=digest, name=framework.name,
                           first_used_at=utcnow())
        session.add(row)
        session.flush()
    return row.id


def _add_document(session: Session, batch_id: int, analysis: DocumentAnalysis, originals: dict[str, str] | None,
                  name: str | None, identity: Identity | None) -> list[str]:
    """Add one document with its units and suggestions; returns the values too long to store (adding none then)."""
    doc = analysis.document
    if originals is not None and doc.id not in originals:
        raise StoreError(f"blind batch: no original text for document {doc.id!r}")
    given = name or (identity.name if identity else "")
    row = DocumentRow(batch_id=batch_id, external_id=doc.id, name=given or doc.name,
                      source=identity.source if identity else doc.source, original_id=identity.id if identity else None,
                      text=originals[doc.id] if originals is not None else doc.text,
                      redacted_text=doc.text if originals is not None else None,
                      match=analysis.match, analysis=analysis.model_dump_json())
    where = f"document {printable(doc.id[:ID_SHOWN])}{'…' if len(doc.id) > ID_SHOWN else ''}"
    by_unit = [[SuggestionRow(rank=rank, counter_evidence=counter, competency=s.competency,
                              competency_name=s.competency_name, level=s.level, score=s.score,
                              indicator=s.indicator.model_dump_json(), model_version=s.model_version)
                for counter, found in ((False, ua.suggestions), (True, ua.counter_evidence))
                for rank, s in enumerate(found)] for ua in analysis.units]
    problems = length_problems(row, where) + [p for rows in by_unit for s in rows for p in length_problems(s, where)]
    if problems:
        return problems
    session.add(row)
    session.flush()
    for ua, suggestions in zip(analysis.units, by_unit, strict=True):
        unit = UnitRow(document_id=row.id, idx=ua.unit.index, text=ua.unit.text, start=ua.unit.start,
                       end=ua.unit.end, cues=ua.unit.cues.model_dump_json())
        session.add(unit)
        session.flush()
        for suggestion in suggestions:
            suggestion.unit_id = unit.id
            session.add(suggestion)
    return []


def _batch_query() -> Select[BatchRow, str, int | None]:
    """Batches with their framework hash and document count, newest first."""
    counts = (select(DocumentRow.batch_id, func.count(DocumentRow.id).label("n"))
              .group_by(DocumentRow.batch_id).subquery())
    return (select(BatchRow, FrameworkRow.content_hash, counts.c.n)
            .join(FrameworkRow, FrameworkRow.id == BatchRow.framework_ref)
            .outerjoin(counts, counts.c.batch_id == BatchRow.id).order_by(BatchRow.id.desc()))


def _batch_info(b: BatchRow, digest: str, documents: int | None) -> BatchInfo:
    return BatchInfo(id=b.id, name=b.name, framework_id=b.framework_id, framework_hash=digest, role_id=b.role_id,
                     blind=b.blind, model_version=b.model_version, created_by=b.created_by,
                     created_at=aware(b.created_at), documents=documents or 0)
