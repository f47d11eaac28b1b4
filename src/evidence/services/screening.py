"""Screening a batch: blind the statements when asked, analyse them against a role, save the batch to the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.config import SAMPLE_BATCH
from evidence.domain import Document, Framework, Role
from evidence.errors import InputError
from evidence.frameworks.catalogue import get_framework
from evidence.io.documents import read_table_documents
from evidence.io.redact import redact
from evidence.store import Store

if TYPE_CHECKING:  # only for the annotations: loading the engine is the factory's job
    from evidence.engine.analyzer import Analyzer

logger = logging.getLogger(__name__)

SAMPLE_FRAMEWORK = "community-link-worker"
SAMPLE_ROLE = "community-link-worker"
SAMPLE_BATCH_NAME = "Sample: Community Link Worker applications"

Progress = Callable[[int, int], None]  # (documents analysed so far, documents in the batch)


def blind_documents(documents: Sequence[Document]) -> tuple[list[Document], dict[str, str]]:
    """Redacted copies (names, contacts, postcodes, URLs removed) and the original texts by id."""
    redacted, originals = [], {}
    for doc in documents:
        result = redact(doc.text, names=[doc.name] if doc.name else [])
        redacted.append(doc.model_copy(update={"text": result.text, "name": ""}))
        originals[doc.id] = doc.text
    return redacted, originals


def screen(store: Store, analyzer: Analyzer, documents: Sequence[Document], *, role: Role | None, name: str,
           blind: bool = False, user: str = "", progress: Progress | None = None) -> int:
    """Analyse a batch (the redacted texts when ``blind``), save it to the store and return its id."""
    if not documents:
        raise InputError("there are no statements to screen; upload a file with at least one statement")
    framework = analyzer.framework
    originals, names = None, {d.id: d.name for d in documents if d.name}
    if blind:
        documents, originals = blind_documents(documents)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(documents))

    analyses = list(analyzer.analyse(list(documents), role=role, progress=advance))
    return store.save_batch(name, framework, role.id if role else None, analyses,
                            originals=originals, names=names, created_by=user, model_version=analyzer.model_version)


def ensure_sample_batch(store: Store, analyzer_factory: Callable[[Framework], Analyzer], *, user: str = "demo",
                        blind: bool = True) -> tuple[int, bool]:
    """Screen the shipped sample batch into the store unless it is there; returns (batch id, created)."""
    existing = store.find_batch(SAMPLE_BATCH_NAME)
    if existing is not None:
        return existing.id, False
    framework = get_framework(SAMPLE_FRAMEWORK)
    documents, problems = read_table_documents(SAMPLE_BATCH, id_column="id", text_column="text")
    for problem in problems:
        logger.warning("sample batch: %s", problem)
    batch_id = screen(store, analyzer_factory(framework), documents, role=framework.role(SAMPLE_ROLE),
                      name=SAMPLE_BATCH_NAME, blind=blind, user=user)
    return batch_id, True


def default_batch_name(filenames: Sequence[str]) -> str:
    """A batch name from its files and the time: "applications 2026-01-31 14:05" or "3 files 2026-…"."""
    stem = Path(filenames[0]).stem if len(filenames) == 1 else f"{len(filenames)} files"
    return f"{stem} {datetime.now():%Y-%m-%d %H:%M}"
