"""Screened batches: saving a batch with its documents, units and suggestions, and reading batches back.

Each batch names the exact framework version it was analysed against (framework id *and* content hash),
and keeps every document's whole :class:`~evidence.domain.DocumentAnalysis` as JSON, so it reopens exactly
as it was screened. For a blind batch, the analysed (redacted) text is stored beside the original.
Saving a batch writes a ``screening`` record to the audit trail in the same transaction: the model versions,
the code version and a SHA-256 digest of every suggestion saved (:func:`suggestions_digest`).

Each batch carries its assessment policy (:class:`~evidence.store.records.BatchPolicy`): how many assessors decide
each unit, the share of units whose suggestion is hidden until the assessor decides, chunked review, and a named
moderator. :meth:`BatchesMixin.set_batch_policy` sets it (whether the person may is the caller's rule: admins only,
:func:`evidence.review.policy.set_policy`), with an audit record of the old and new policy.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from evidence.config import VERSION, utcnow
from evidence.domain import ZERO_SHOT, DocumentAnalysis, Framework
from evidence.io.limits import printable
from evidence.store.audit import AuditAction, append_audit, canonical_json
from evidence.store.database import Database
from evidence.store.records import BatchInfo, BatchPolicy, Identity, StoredDocument, StoreError, aware
from evidence.store.schema import (
    AuditRow,
    BatchRow,
    DocumentRow,
    FrameworkRow,
    SuggestionRow,
    UnitRow,
    length_problems,
)

logger = logging.getLogger(__name__)

PROBLEMS_SHOWN = 10  # values named in the error when a batch has too-long ones; the count of the rest follows
ID_SHOWN = 60  # characters of a too-long document id quoted in that error
MAX_REVIEWERS = 3  # assessors per unit: the Civil Service and Applied mark each answer by two or three


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
            append_audit(session, actor=created_by or "unknown", action=AuditAction.screening,
                         subject=f"batch:{batch.id}", payload=_screening_payload(batch, framework, analyses))
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

    def batch_policy(self, batch_id: int) -> BatchPolicy:
        """How the batch is assessed (the defaults until an admin sets it: one assessor, nothing hidden)."""
        with self._read() as session:
            row = session.get(BatchRow, batch_id)
            if row is None:
                raise StoreError(f"no batch with id {batch_id}; list them with Store.list_batches()")
            return policy_of(row)

    def set_batch_policy(self, batch_id: int, *, by: str, reviewers_per_unit: int | None = None,
                         hide_suggestions: float | None = None, chunked: bool | None = None,
                         moderator: str | None = None) -> BatchPolicy:
        """Change the batch's policy (None leaves a setting as it is; ``moderator=""`` removes the named moderator)
        and record the change, by ``by``, in the audit trail; returns the policy now in force.

        ``reviewers_per_unit``: 1 to 3. ``hide_suggestions``: a share of units, 0 to 1. The store does not check
        who ``by`` is: :func:`evidence.review.policy.set_policy` lets admins only.
        """
        if reviewers_per_unit is not None and not 1 <= reviewers_per_unit <= MAX_REVIEWERS:
            raise StoreError(f"reviewers per unit must be 1 to {MAX_REVIEWERS}, not {reviewers_per_unit}")
        if hide_suggestions is not None and not 0.0 <= hide_suggestions <= 1.0:
            raise StoreError(f"the share of units with hidden suggestions must be 0 to 1 (0.25 hides a quarter), "
                             f"not {hide_suggestions}")
        if moderator is not None and len(moderator.strip()) > 120:
            raise StoreError(f"a moderator's name has at most 120 characters, not {len(moderator.strip())}")
        with self._write() as session:
            row = session.get(BatchRow, batch_id)
            if row is None:
                raise StoreError(f"no batch with id {batch_id}; list them with Store.list_batches()")
            before = policy_of(row)
            if reviewers_per_unit is not None:
                row.reviewers_per_unit = reviewers_per_unit
            if hide_suggestions is not None:
                row.hide_suggestions = float(hide_suggestions)
            if chunked is not None:
                row.chunked = chunked
            if moderator is not None:
                row.moderator = moderator.strip() or None
            after = policy_of(row)
            append_audit(session, actor=by, action=AuditAction.policy, subject=f"batch:{batch_id}",
                         payload={"before": _policy_json(before), "after": _policy_json(after)})
        logger.info("%s set batch %s's policy to %s", by, batch_id, after)
        return after


    def suggestions_digest(self, batch_id: int) -> tuple[int, str]:
        """(how many, SHA-256) of the batch's suggestions as stored now, computed as :func:`suggestions_digest`
        computed them when the batch was saved: the two differ when a stored suggestion was changed since."""
        query = (select(DocumentRow.external_id, UnitRow.idx, SuggestionRow)
                 .join(UnitRow, UnitRow.id == SuggestionRow.unit_id)
                 .join(DocumentRow, DocumentRow.id == UnitRow.document_id).where(DocumentRow.batch_id == batch_id)
                 .order_by(DocumentRow.id, UnitRow.idx, SuggestionRow.counter_evidence, SuggestionRow.rank))
        digest, count = hashlib.sha256(), 0
        with self._read() as session:
            for external_id, idx, s in session.execute(query):
                line = canonical_json([external_id, idx, s.counter_evidence, s.rank, s.competency, s.level, s.score,
                                       s.model_version])
                digest.update(line.encode("utf-8") + b"\n")
                count += 1
        return count, digest.hexdigest()

    def verify_screenings(self) -> list[str]:
        """Each screened batch whose stored suggestions no longer match the digest its audit record (``screening``)
        holds, as a message naming the batch and the record; empty when all match."""
        with self._read() as session:
            records = list(session.execute(select(AuditRow.seq, AuditRow.subject, AuditRow.payload)
                                           .where(AuditRow.action == AuditAction.screening.value)
                                           .order_by(AuditRow.seq)))
        problems = []
        for seq, subject, text in records:
            try:
                saved = json.loads(text)
                batch_id = int(subject.split(":", 1)[1])
            except (ValueError, IndexError):
                continue  # an unreadable record: verify_audit reports the change that made it so
            if not isinstance(saved, dict) or "suggestions_sha256" not in saved:
                continue
            count, digest = self.suggestions_digest(batch_id)
            if (count, digest) != (saved.get("suggestions"), saved["suggestions_sha256"]):
                problems.append(f"batch {batch_id}'s stored suggestions ({count}) no longer match what audit record "
                                f"{seq} saved ({saved.get('suggestions')}): one was changed or removed since")
        return problems


def policy_of(row: BatchRow) -> BatchPolicy:
    return BatchPolicy(reviewers_per_unit=row.reviewers_per_unit or 1, hide_suggestions=row.hide_suggestions or 0.0,
                       chunked=bool(row.chunked), moderator=row.moderator)


def _policy_json(policy: BatchPolicy) -> dict[str, Any]:
    return {"reviewers_per_unit": policy.reviewers_per_unit, "hide_suggestions": policy.hide_suggestions,
            "chunked": policy.chunked, "moderator": policy.moderator}


def suggestions_digest(analyses: Iterable[DocumentAnalysis]) -> tuple[int, str]:
    """(how many, SHA-256) of every suggestion and counter-evidence of the analyses, each as one canonical JSON
    line (document, unit, rank, competency, level, score, model version), in the order they are saved."""
    digest, count = hashlib.sha256(), 0
    for analysis in analyses:
        for ua in analysis.units:
            for counter, found in ((False, ua.suggestions), (True, ua.counter_evidence)):
                for rank, s in enumerate(found):
                    line = canonical_json([analysis.document.id, ua.unit.index, counter, rank, s.competency, s.level,
                                           s.score, s.model_version])
                    digest.update(line.encode("utf-8") + b"\n")
                    count += 1
    return count, digest.hexdigest()


def _screening_payload(batch: BatchRow, framework: Framework, analyses: list[DocumentAnalysis]) -> dict[str, Any]:
    count, digest = suggestions_digest(analyses)
    return {"batch": batch.name, "framework": framework.id, "framework_hash": framework.content_hash,
            "role": batch.role_id, "blind": batch.blind, "documents": len(analyses),
            "units": sum(len(a.units) for a in analyses), "suggestions": count, "suggestions_sha256": digest,
            "model_version": batch.model_version, "code_version": VERSION}


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
                     created_at=aware(b.created_at), documents=documents or 0, policy=policy_of(b))
