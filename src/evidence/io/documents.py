"""Reading documents: plain text, Markdown, .docx and .pdf files, CSV/XLSX batches and folders.

A :class:`Document`'s ``text`` is what every unit offset points into: the file's own text for
.txt and .md, and the extracted text for .docx (one paragraph per line, list items as "- ")
and .pdf (pages joined by blank lines). Batches yield a document per row. One unreadable file
in a batch is reported as an :class:`InputError` in the stream, never stopping the rest.

Every reader takes a path (the CLI) or the file's bytes with its ``filename`` (an upload in the web
app), so uploads are read in memory, never through a temporary file.

Table rows follow one policy wherever they come from: a row without text is skipped and reported
as a problem (there is nothing to analyse), and an id that repeats rejects the whole table, because
the id names one applicant in the store and in every export; keeping one of two rows would silently
drop a statement. The same holds for uploaded files, whose ids are their file names.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.domain import Document
from evidence.errors import InputError
from evidence.io.tables import Source, TableProblem, read_bytes, read_frame, source_name

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
FILE_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls")


def read_document(source: Source, *, filename: str | None = None, document_id: str | None = None) -> Document:
    """One file as a document: a path, or a file's bytes or stream named by ``filename``."""
    label = source_name(source, filename)
    suffix = Path(label).suffix.lower()
    if isinstance(source, str | Path) and not Path(source).is_file():
        raise InputError(f"{label}: no such file")
    try:
        if suffix in TEXT_SUFFIXES:
            text = _decode(read_bytes(source), label)
        elif suffix == ".docx":
            text = _docx_text(_openable(source), label)
        elif suffix == ".pdf":
            text = _pdf_text(_openable(source), label)
        else:
            raise InputError(f"{label}: unsupported file type {suffix!r}; expected one of {', '.join(FILE_SUFFIXES)} "
                             f"or a batch table ({', '.join(TABLE_SUFFIXES)})")
    except TableProblem as exc:  # the file could not be read at all
        raise InputError(f"{label}: {exc}") from exc
    if not text.strip():
        hint = " (a scanned PDF needs OCR first)" if suffix == ".pdf" else ""
        raise InputError(f"{label}: the file has no text{hint}")
    return Document(id=document_id or Path(label).stem, text=text, source=label, name=Path(label).name)


def _openable(source: Source) -> str | IO[bytes]:
    """What python-docx and pypdf open: a path as text, bytes as an in-memory stream, a stream as it is."""
    if isinstance(source, str | Path):
        return str(source)
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return source


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Word's "plain text" export on Windows: the most common non-UTF-8 statement we see
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(f"{label}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at {exc.start}); "
                             "save it as UTF-8") from exc
        logger.warning("%s is not UTF-8; read it as Windows-1252", label)
        return text


def _docx_text(source: str | IO[bytes], label: str) -> str:
    import docx

    try:
        document = docx.Document(source)
    except Exception as exc:  # python-docx raises several types for a damaged or mislabelled file
        raise InputError(f"{label}: cannot read it as a Word document ({exc}); save it again as .docx") from exc
    lines = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        text = paragraph.text.strip()
        heading = re.fullmatch(r"Heading (\d)", style)
        if text and (heading or style == "Title"):  # as markdown: a heading is no unit, and says what follows
            text = "#" * (int(heading.group(1)) if heading else 1) + " " + text
        elif text and "List" in style:
            text = f"- {text}"
        lines.append(text)
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text.strip() for cell in row.cells if cell.text.strip())
    return "\n".join(lines)


def _pdf_text(source: str | IO[bytes], label: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(source)
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputError(f"{label}: cannot read it as a PDF ({exc})") from exc


def documents_from_table(frame: pd.DataFrame, *, id_column: str = "id", text_column: str = "text",
                         name_column: str | None = None, source: str = "") -> tuple[list[Document], list[InputError]]:
    """One document per table row with text: (documents, problems), a problem for each row skipped.

    A row's id is its ``id_column`` cell, or ``row-N`` (N the spreadsheet row, the header being row 1)
    when that is empty. Raises :class:`InputError` when a column is missing or an id repeats.
    """
    missing = [c for c in (id_column, text_column, name_column) if c and c not in frame.columns]
    if missing:
        raise InputError(f"{source}: missing column(s) {missing}; found {list(frame.columns)}. Choose the id and "
                         "text columns (on the command line: --id-column and --text-column)")
    documents, problems = [], []
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        doc_id = str(row[id_column]).strip() or f"row-{row_number}"
        text = str(row[text_column])
        if not text.strip():
            problems.append(InputError(f"{source}:{row_number} ({doc_id}): no text in column {text_column!r}; "
                                       "skipped"))
            continue
        name = str(row[name_column]).strip() if name_column else ""
        documents.append(Document(id=doc_id, text=text, source=f"{source}:{row_number}", name=name))
    _check_unique([d.id for d in documents], f"{source}: the id column {id_column!r}",
                  "ids must be unique; fix the table or choose another id column")
    return documents, problems


def _check_unique(ids: list[str], what: str, fix: str) -> None:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise InputError(f"{what} repeats {repeated[:5]}; {fix}")


def read_table_documents(source: Source, *, filename: str | None = None, id_column: str = "id",
                         text_column: str = "text", name_column: str | None = None
                         ) -> tuple[list[Document], list[InputError]]:
    """A CSV/XLSX batch: one document per row with text, and a problem for each row skipped.

    Without ``name_column`` the first column that is neither the id nor the text names the applicant
    (a batch table's usual ``id,name,text`` layout).
    """
    label = source_name(source, filename)
    try:
        frame = read_frame(source, filename=filename)
    except TableProblem as exc:
        raise InputError(f"{label}: {exc}") from exc
    if name_column is None:
        name_column = next((c for c in frame.columns if c not in (id_column, text_column)), None)
    return documents_from_table(frame, id_column=id_column, text_column=text_column, name_column=name_column,
                                source=label)


def documents_from_files(files: Iterable[tuple[str, bytes]]) -> tuple[list[Document], list[InputError]]:
    """Uploaded .txt/.md/.docx/.pdf files as documents, one per file with its file name's stem as the id.

    An uploaded file's name names no applicant, so the documents carry no ``name``. A file that cannot
    be read is a problem; two files with the same stem raise :class:`InputError`.
    """
    documents, problems = [], []
    for filename, data in files:
        try:
            doc = read_document(data, filename=filename)
        except InputError as exc:
            problems.append(exc)
            continue
        documents.append(doc.model_copy(update={"name": ""}))
    _check_unique([d.id for d in documents], "the uploaded file names",
                  "rename one so every applicant has their own id")
    return documents, problems


def iter_documents(path: str | Path, *, id_column: str = "id", text_column: str = "text"
                   ) -> Iterator[Document | InputError]:
    """Every document under ``path``: a file, a batch table, or a folder of files and tables."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (*FILE_SUFFIXES, *TABLE_SUFFIXES))
        if not files:
            yield InputError(f"{path}: the folder has no {', '.join(FILE_SUFFIXES)} files")
        for file in files:
            yield from iter_documents(file, id_column=id_column, text_column=text_column)
        return
    if not path.exists():
        yield InputError(f"{path}: no such file or folder")
        return
    try:
        if path.suffix.lower() in TABLE_SUFFIXES:
            documents, problems = read_table_documents(path, id_column=id_column, text_column=text_column)
            yield from problems
            yield from documents
        else:
            yield read_document(path)
    except InputError as exc:
        yield exc
