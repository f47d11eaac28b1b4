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
  Nothing in the log is ever updated or deleted (the ORM refuses it, and triggers in the database do too);
* ``claims``: which reviewer holds which unit of the review queue, until when (:meth:`Store.claim_next`:
  on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, so reviewers claiming at once never wait on each other);
* ``demographics``: applicants' self-declared demographics, apart from the statements, for admins' adverse-impact
  report only (:mod:`~evidence.store.demographics`); nothing assessors or the model use reads them;
* ``audit_log``: the append-only, hash-chained audit trail of decisions, settlements, screenings, policies,
  promotions, rollbacks, exports and sign-ins (:mod:`~evidence.store.audit`).

Each batch carries its assessment policy (assessors per unit, hidden suggestions, chunked review, a named
moderator); units whose assessors disagree, or that one flagged, wait in a moderation queue
(:mod:`~evidence.store.moderation`) until a moderator settles them.

The default database is a SQLite file in the data directory (``$EVIDENCE_HOME/evidence.db``); any
SQLAlchemy URL can be given instead with ``EVIDENCE_DATABASE_URL``: PostgreSQL (``postgresql+psycopg://...``,
the ``postgres`` extra) runs everything SQLite does. :meth:`Store.open` creates or upgrades the schema with the
Alembic migrations in :mod:`evidence.store.migrations` before returning.

The :class:`Store` is a facade: its methods live by concern in :mod:`~evidence.store.batches`,
:mod:`~evidence.store.queue`, :mod:`~evidence.store.claims`, :mod:`~evidence.store.decisions`,
:mod:`~evidence.store.moderation` and :mod:`~evidence.store.audit`, on the engine
and sessions of :mod:`~evidence.store.database`; :mod:`~evidence.store.schema` holds the tables and
:mod:`~evidence.store.records` the values handed out.
"""

from __future__ import annotations

import logging
import threading

from alembic import command
from sqlalchemy import text

from evidence.store.audit import AuditAction, AuditMixin
from evidence.store.batches import BatchesMixin
from evidence.store.claims import CLAIM_LEASE, ClaimsMixin
from evidence.store.database import default_url, make_engine, safe_url
from evidence.store.decisions import DecisionsMixin
from evidence.store.demographics import Demographics, DemographicsMixin
from evidence.store.migrations import alembic_config
from evidence.store.moderation import ModerationMixin
from evidence.store.records import (
    FLAG,
    MODERATION,
    SKIP,
    UNDO,
    Agreement,
    AuditCheck,
    AuditRecord,
    BatchInfo,
    BatchPolicy,
    Claim,
    DecisionRecord,
    Identity,
    ModerationItem,
    QueueItem,
    QueueOrder,
    StoredDocument,
    StoreError,
    UnitDecisions,
)
from evidence.store.schema import Base, DecisionRow

__all__ = ["CLAIM_LEASE", "FLAG", "MODERATION", "SKIP", "UNDO", "Agreement", "AuditAction", "AuditCheck",
           "AuditRecord", "Base", "BatchInfo", "BatchPolicy", "Claim", "DecisionRecord", "DecisionRow", "Demographics",
           "Identity",
           "ModerationItem", "QueueItem", "QueueOrder", "Store", "StoreError", "StoredDocument", "UnitDecisions",
           "default_url", "shared_store"]

logger = logging.getLogger(__name__)

# PostgreSQL advisory lock key held while migrating ("evid" in ASCII): any fixed number unlikely to be another's
_MIGRATION_LOCK = 0x65766964


class Store(AuditMixin, BatchesMixin, ClaimsMixin, ModerationMixin, DecisionsMixin, DemographicsMixin):
    """Access to one database. Open with :meth:`open`; safe to share between threads."""

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect to ``url`` (default: :func:`default_url`) and bring the schema up to date."""
        url = url or default_url()
        store = cls(make_engine(url), url)
        store.upgrade()
        return store

    def upgrade(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to ``revision`` inside one write transaction."""
        config = alembic_config(self.url)
        with self._writer.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":  # two servers starting at once upgrade one after the other
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        logger.info("store %s at revision %s", safe_url(self.url), revision)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: dict[str, Store] = {}
_shared_lock = threading.Lock()


def shared_store(url: str | None = None) -> Store:
    """The store for ``url`` (default: :func:`default_url`), opened once per process and kept open: for what records
    in the audit trail outside a page's or a command's own store (sign-ins, promotions, rollbacks)."""
    url = url or default_url()
    with _shared_lock:
        store = _shared.get(url)
        if store is None:
            store = _shared[url] = Store.open(url)
        return store
