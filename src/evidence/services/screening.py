"""Screening a batch: read the uploads (a bad file is reported, the rest kept), blind the statements when asked
(redacted texts under pseudonymous ids), analyse them against a role, save the batch to the store.

In blind mode nothing a reviewer sees carries the applicant's identity: each document is analysed and stored
under a pseudonym ("Applicant 07"), with no name and no source, and its text redacted
(:func:`evidence.io.redact.redact`, driven by the name column, the id, the file name and what the text
itself reveals). Who each pseudonym is (:class:`~evidence.store.Identity`: original id, file or row, name) is
stored with the original text, which blind pages never show. The default name of a blind batch names no file.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.config import SAMPLE_BATCH
from evidence.domain import Document, Framework, Role
from evidence.errors import EvidenceError, InputError
from evidence.frameworks.catalogue import get_framework
from evidence.io.documents import documents_from_files, read_table_documents
from evidence.io.redact import redact
from evidence.io.tables import TableProblem, read_frame
from evidence.learning.active import labelled_counts, labelled_texts, review_priority
from evidence.store import Identity, Store

if TYPE_CHECKING:  # only for the annotations: loading the engine is the factory's job
    import pandas as pd

    from evidence.engine.analyzer import Analyzer

logger = logging.getLogger(__name__)

PROGRESS_DOCUMENTS = 4  # documents analysed per step of a screening's progress (see screen)
SAMPLE_FRAMEWORK = "community-link-worker"
SAMPLE_ROLE = "community-link-worker"
SAMPLE_BATCH_NAME = "Sample: Community Link Worker applications"
PSEUDONYM = "Applicant {number:0{width}d}"  # "Applicant 07": two digits at least, so a list sorts by number
NAME_LIMIT = 300  # characters: longer cells are text, not names (and the store's name column holds 300)
# Table columns whose cells name the applicant (redacted as names) or may reveal them (read as hints), besides
# the one chosen as the name column: "First name", "Surname", "E-mail", "LinkedIn"...
NAME_HEADER = re.compile(r"name|forename|surname|applicant|candidate", re.IGNORECASE)
HINT_HEADER = re.compile(r"e-?mail|linkedin|profile|url|website", re.IGNORECASE)
# The longest cell read that way, in words. Names in the sample batch have 2 words, the longest in the tests 4
# ("Mary-Jane van der Berg"); 6 leaves room for titles and middle names, while a longer cell is text (a second
# statement column), not a name, and is left alone. An address or profile link is one word.
NAME_CELL_WORDS, HINT_CELL_WORDS = 6, 3

Progress = Callable[[int, int], None]  # (documents analysed so far, documents in the batch)



@dataclass(frozen=True)
class BlindBatch:
    """Redacted documents under pseudonyms, the original texts and who each pseudonym is."""

    documents: list[Document]
    originals: dict[str, str]  # pseudonym -> original text
    identities: dict[str, Identity]  # pseudonym -> original id, source and name


def pseudonyms(count: int, *, rng: random.Random | None = None) -> list[str]:
    """``count`` distinct "Applicant NN" ids in a random order.

    Shuffled because uploads arrive sorted by file name, and file names often start with the first name:
    numbering in upload order would let "Applicant 01" be read as the alphabetically first applicant.
    """
    width = max(2, len(str(count)))
    numbers = list(range(1, count + 1))
    (rng or random.SystemRandom()).shuffle(numbers)
    return [PSEUDONYM.format(number=n, width=width) for n in numbers]


def blind_documents(documents: Sequence[Document], *, names: Mapping[str, Sequence[str]] | None = None,
                    hints: Mapping[str, Sequence[str]] | None = None,
                    rng: random.Random | None = None) -> BlindBatch:
    """Redacted copies under pseudonymous ids, with no name and no source, and what they replace.

    Each text is redacted with the document's name and ``names[id]`` (other name columns) as names, and its
    id, file name and ``hints[id]`` (e-mail or profile columns) as hints.
    """
    redacted, originals, identities = [], {}, {}
    for doc, pseudonym in zip(documents, pseudonyms(len(documents), rng=rng), strict=True):
        given = [doc.name, *(names or {}).get(doc.id, ())]
        result = redact(doc.text, names=[n for n in given if n],
                        hints=[doc.id, *_file_hint(doc.source), *(hints or {}).get(doc.id, ())])
        redacted.append(Document(id=pseudonym, text=result.text))
        originals[pseudonym] = doc.text
        identities[pseudonym] = Identity(id=doc.id, source=doc.source,
                                         name=doc.name or " ".join((names or {}).get(doc.id, ())))
    return BlindBatch(documents=redacted, originals=originals, identities=identities)


def _file_hint(source: str) -> list[str]:
    """An uploaded file's name as a hint; a table row's source ("batch.csv:7") names the table, not a person."""
    return [] if not source or re.search(r":\d+$", source) else [source]


def screen(store: Store, analyzer: Analyzer, documents: Sequence[Document], *, role: Role | None, name: str,
           blind: bool = False, user: str = "", progress: Progress | None = None,
           names: Mapping[str, Sequence[str]] | None = None, hints: Mapping[str, Sequence[str]] | None = None,
           rng: random.Random | None = None) -> int:
    """Analyse a batch (the redacted texts under pseudonyms when ``blind``), save it and return its id.

    A blind batch is stored with each pseudonym's identity (original id, source and name), which blind pages never
    show; ``names`` and ``hints`` (by original id) feed the redaction.
    """
    if not documents:
        raise InputError("there are no statements to screen; upload a file with at least one statement")
    framework = analyzer.framework
    originals, identities, stored_names = None, None, {d.id: d.name for d in documents if d.name}
    if blind:
        batch = blind_documents(documents, names=names, hints=hints, rng=rng)
        documents, originals, identities, stored_names = batch.documents, batch.originals, batch.identities, {}
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(documents))

    # a few documents per call: the analyzer embeds a call's units together and reports documents only after
    # that, so one call for a batch of 24 showed no progress until the end (16.8 s at 0 %, bench/app_timings.py)
    documents = list(documents)
    analyses = [analysis for start in range(0, len(documents), PROGRESS_DOCUMENTS)
                for analysis in analyzer.analyse(documents[start:start + PROGRESS_DOCUMENTS], role=role,
                                                 progress=advance)]
    batch_id = store.save_batch(name, framework, role.id if role else None, analyses, originals=originals,
                                names=stored_names, identities=identities, created_by=user,
                                model_version=analyzer.model_version)
    order_for_review(store, analyzer, batch_id)
    return batch_id


def order_for_review(store: Store, analyzer: Analyzer, batch_id: int) -> None:
    """Store the batch's review order: each suggested unit's active-learning priority (what a reviewer's label
    would teach the model most), computed now with the analyzer that screened it, so the review page needs no
    model to show a card. The walkthrough's reviewer waited 13-30 s for a first card while the page loaded the
    model and scored the queue. A failure here leaves the order to uncertainty (logged), never the batch unsaved."""
    items = store.suggested_units(batch_id=batch_id)
    if not items:
        return
    try:
        corrections = store.corrections(analyzer.framework.id)
        scores = review_priority(analyzer, [i.text for i in items], labelled_counts=labelled_counts(corrections),
                                 labelled_texts=labelled_texts(corrections))
        store.set_priorities({item.unit_id: float(score) for item, score in zip(items, scores, strict=True)})
    except Exception:  # noqa: BLE001 - an optional order must never lose a screened batch
        logger.exception("ordering batch %s for review failed; its queue is ordered by uncertainty", batch_id)


def read_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[list[Document], list[InputError]]:
    """Uploaded statement files as documents, and a problem naming each file that could not be used.

    Every file is read on its own, so one that fails in any way (a reader bug included: it is logged with its
    traceback) is reported and the rest are kept; so is a second file whose name gives the same id.
    """
    documents: list[Document] = []
    problems: list[InputError] = []
    taken: dict[str, str] = {}
    for filename, data in files:
        try:
            read, failed = documents_from_files([(filename, data)])
        except EvidenceError as exc:
            read, failed = [], [InputError(str(exc))]
        except Exception:  # the upload boundary: no reader failure may end the batch or reach the browser
            logger.exception("reading the upload %r failed", filename)
            read, failed = [], [InputError(f"{filename}: the file could not be read (an unexpected error, logged "
                                           "for the administrator); save it again as .docx, .pdf or .txt")]
        problems.extend(failed)
        for doc in read:
            if doc.id in taken:
                problems.append(InputError(f"{filename}: another upload ({taken[doc.id]}) has the same id "
                                           f"{doc.id!r}; skipped. Rename one so every applicant has their own id"))
                continue
            taken[doc.id] = filename
            documents.append(doc)
    return documents, problems


def read_upload_table(filename: str, data: bytes) -> pd.DataFrame:
    """An uploaded statements table; any failure is an :class:`InputError` that names the upload."""
    try:
        return read_frame(data, filename=filename)
    except TableProblem as exc:  # says what is wrong and the fix, but not which file
        raise InputError(f"{filename}: {exc}") from exc
    except EvidenceError:
        raise
    except Exception as exc:  # the upload boundary, as in read_uploads
        logger.exception("reading the uploaded table %r failed", filename)
        raise InputError(f"{filename}: the table could not be read (an unexpected error, logged for the "
                         "administrator); save it again as .csv or .xlsx") from exc


def identifying_columns(frame: pd.DataFrame, *, id_column: str, text_column: str, name_column: str | None
                        ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per row id, the cells of other columns that name the applicant, and of those that may reveal them.

    Only for blind redaction: a table with "First name" and "Surname" columns, or an e-mail column, gives
    their cells as names or hints even when one of them (or none) was chosen as the name column.
    """
    skip = {id_column, text_column, name_column}
    name_cols = [c for c in frame.columns if c not in skip and NAME_HEADER.search(str(c))]
    hint_cols = [c for c in frame.columns if c not in skip and c not in name_cols and HINT_HEADER.search(str(c))]
    names: dict[str, list[str]] = {}
    hints: dict[str, list[str]] = {}
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        doc_id = str(row[id_column]).strip() or f"row-{row_number}"  # as documents_from_table names a row
        names[doc_id] = [cell for c in name_cols if _short(cell := str(row[c]), NAME_CELL_WORDS)]
        hints[doc_id] = [cell for c in hint_cols if _short(cell := str(row[c]), HINT_CELL_WORDS)]
    return names, hints


def _short(cell: str, words: int) -> bool:
    """A cell short enough to be a name or an address, not a second statement whose every word would go."""
    return 0 < len(cell.split()) <= words and len(cell) <= NAME_LIMIT


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


def default_batch_name(filenames: Sequence[str], *, blind: bool = False) -> str:
    """A batch name from its files and the time: "applications 2026-01-31 14:05" or "3 files 2026-…".

    A blind batch's name never includes a file name (statement files are often named after the applicant):
    "blind batch 2026-01-31 14:05", or "blind batch of 3 files 2026-…".
    """
    when = f"{datetime.now():%Y-%m-%d %H:%M}"
    if blind:
        return f"blind batch of {len(filenames)} files {when}" if len(filenames) > 1 else f"blind batch {when}"
    stem = Path(filenames[0]).stem if len(filenames) == 1 else f"{len(filenames)} files"
    return f"{stem} {when}"
