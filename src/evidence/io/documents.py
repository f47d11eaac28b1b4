"""Reading documents: plain text, Markdown, .docx and .pdf files, CSV/XLSX batches and folders.

A :class:`Document`'s ``text`` is what every unit offset points into: the file's own text for
.txt and .md, and the extracted text for .docx (one paragraph per line, list items as "- ")
and .pdf (pages joined by blank lines). Batches yield a document per row. One unreadable file
in a batch is reported as an :class:`InputError` in the stream, never stopping the rest.

Every reader takes a path (the CLI) or the file's bytes with its ``filename`` (an upload in the web
app), so uploads are read in memory, never through a temporary file. This is the reading boundary:
every file is checked against :mod:`evidence.io.limits` before a library parses it, and whatever a
reader library raises on a damaged file becomes an :class:`InputError` naming the file and a fix.

Table rows follow one policy wherever they come from: a row without text is skipped and reported
as a problem (there is nothing to analyse), and an id that repeats rejects the whole table, because
the id names one applicant in the store and in every export; keeping one of two rows would silently
drop a statement. The same holds for uploaded files, whose ids are their file names.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.domain import Document
from evidence.errors import InputError
from evidence.io.limits import LIMITS, TableProblem, check_text, check_zip, printable
from evidence.io.tables import (
    SPREADSHEET_SUFFIXES,
    Source,
    decode_table,
    read_bytes,
    read_frame,
    sniff_separator,
    source_name,
)

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
FILE_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls")
TABLE_CHUNK_ROWS = 1_000  # rows of a batch table parsed at a time (see TableBatch); a few MB of text at most


def read_document(source: Source, *, filename: str | None = None, document_id: str | None = None) -> Document:
    """One file as a document: a path, or a file's bytes or stream named by ``filename``.

    Raises :class:`InputError` naming the file, and nothing else, for any file that cannot be read: too
    large (:mod:`evidence.io.limits`), damaged, of an unsupported type, or without text.
    """
    label = source_name(source, filename)
    shown = printable(label)
    suffix = Path(label).suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            # UTF-16/32 (Notepad's "Unicode"), UTF-8, or Windows-1252 (Word's plain-text export on Windows)
            text = decode_table(read_bytes(source), name=shown)[0]
        elif suffix == ".docx":
            text = _docx_text(read_bytes(source))
        elif suffix == ".pdf":
            text = _pdf_text(read_bytes(source))
        else:
            raise InputError(f"{shown}: unsupported file type {printable(suffix)!r}; expected one of "
                             f"{', '.join(FILE_SUFFIXES)} or a batch table ({', '.join(TABLE_SUFFIXES)})")
        check_text(len(text))
    except TableProblem as exc:  # the file could not be read at all, or is over a limit
        raise InputError(f"{shown}: {exc}") from exc
    if not text.strip():
        hint = " (a scanned PDF needs OCR first)" if suffix == ".pdf" else ""
        raise InputError(f"{shown}: the file has no text{hint}")
    return Document(id=document_id or Path(label).stem, text=text, source=label, name=Path(label).name)


def _docx_text(data: bytes) -> str:
    import docx

    check_zip(data, "Word document")  # before python-docx inflates a part: zip bombs ran for minutes
    fix = "open it in Word or LibreOffice and save it again as .docx"
    try:
        document = docx.Document(io.BytesIO(data))
        # python-docx looks a paragraph's style up among all styles each time (4.6 ms a paragraph, measured):
        # name each style once and read the paragraph's style id
        style_names = {style.style_id: style.name or "" for style in document.styles}
        paragraphs = document.paragraphs
        if len(paragraphs) > LIMITS.docx_paragraphs:
            raise TableProblem(f"the document has {len(paragraphs):,} paragraphs, over the limit of "
                               f"{LIMITS.docx_paragraphs:,}", "split it into several documents")
        lines = []
        for paragraph in paragraphs:
            style = style_names.get(paragraph._p.style or "", "")
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
                if len(lines) > 2 * LIMITS.docx_paragraphs:
                    raise TableProblem(f"the document's tables have over {LIMITS.docx_paragraphs:,} cells",
                                       "split it into several documents")
    except TableProblem:
        raise
    except Exception as exc:  # python-docx raises any type for a damaged or mislabelled part: KeyError,
        # AttributeError after a successful open (a wrong root element), lxml's XMLSyntaxError, ValueError
        raise TableProblem(f"cannot read it as a Word document ({type(exc).__name__}: {exc})", fix) from exc
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    fix = "open it and save or print it again as a PDF, or paste its text into a .txt file"
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise TableProblem("the PDF is protected by a password", "save a copy without the password")
        pages = len(reader.pages)
        if pages > LIMITS.pdf_pages:
            raise TableProblem(f"the PDF has {pages:,} pages, over the limit of {LIMITS.pdf_pages:,}",
                               "split it into smaller files")
        texts, length = [], 0
        for page in reader.pages:
            texts.append((page.extract_text() or "").strip())
            length += len(texts[-1]) + 2
            check_text(length)  # stop reading once it is over: later pages cannot bring it back under
        return "\n\n".join(texts)
    except TableProblem:
        raise
    except Exception as exc:  # pypdf raises any type for a damaged file: its own PdfReadError and
        # LimitReachedError, and NotImplementedError, RecursionError, AttributeError, KeyError, ValueError
        # (all seen in the reliability fuzz of 338 PDFs)
        raise TableProblem(f"cannot read it as a PDF ({type(exc).__name__}: {exc})", fix) from exc


def documents_from_table(frame: pd.DataFrame, *, id_column: str = "id", text_column: str = "text",
                         name_column: str | None = None, source: str = "") -> tuple[list[Document], list[InputError]]:
    """One document per table row with text: (documents, problems), a problem for each row skipped.

    A row's id is its ``id_column`` cell, or ``row-N`` (N the spreadsheet row, the header being row 1)
    when that is empty. Raises :class:`InputError` when a column is missing or an id repeats.
    """
    _check_columns(list(frame.columns), (id_column, text_column, name_column), source)
    documents, problems = _split(_row_items(frame, id_column=id_column, text_column=text_column,
                                            name_column=name_column, source=source, first_row=2))
    _check_unique([d.id for d in documents], f"{source}: the id column {id_column!r}",
                  "ids must be unique; fix the table or choose another id column")
    return documents, problems


def _check_columns(found: list[str], wanted: tuple[str | None, ...], source: str) -> None:
    missing = [c for c in wanted if c and c not in found]
    if missing:
        raise InputError(f"{source}: missing column(s) {missing}; found {found}. Choose the id and "
                         "text columns (on the command line: --id-column and --text-column)")


def _row_items(frame: pd.DataFrame, *, id_column: str, text_column: str, name_column: str | None, source: str,
               first_row: int) -> Iterator[Document | InputError]:
    """The rows of ``frame`` (the first being spreadsheet row ``first_row``) in order: a document for each row
    with text, a problem for each row skipped."""
    for row_number, row in enumerate(frame.to_dict("records"), start=first_row):
        doc_id = str(row[id_column]).strip() or f"row-{row_number}"
        text = str(row[text_column])
        if not text.strip():
            yield InputError(f"{source}:{row_number} ({doc_id}): no text in column {text_column!r}; skipped")
        elif len(text) > LIMITS.document_chars:
            yield InputError(f"{source}:{row_number} ({doc_id}): {len(text):,} characters in column "
                             f"{text_column!r}, over the limit of {LIMITS.document_chars:,}; skipped")
        else:
            name = str(row[name_column]).strip() if name_column else ""
            yield Document(id=doc_id, text=text, source=f"{source}:{row_number}", name=name)


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
    return _split(open_table(source, filename=filename, id_column=id_column, text_column=text_column,
                             name_column=name_column).documents())


def _split(items: Iterable[Document | InputError]) -> tuple[list[Document], list[InputError]]:
    documents: list[Document] = []
    problems: list[InputError] = []
    for item in items:
        if isinstance(item, InputError):
            problems.append(item)
        else:
            documents.append(item)
    return documents, problems


@dataclass(frozen=True)
class TableBatch:
    """A batch table checked whole (its columns are there, its ids unique) and then read ``TABLE_CHUNK_ROWS``
    rows at a time, so a 100k-row table never stands in memory as 100k documents.

    Reading 100,000 rows (29 MB of CSV) into documents at once raised the peak RSS by 351 MB (measured on the
    dev box, 2026-12-07); parsed a chunk at a time only the decoded text (the file's size, within the file
    limit) and the ids are held while the batch is analysed."""

    label: str
    rows: int
    id_column: str
    text_column: str
    name_column: str | None
    chunks: Callable[[], Iterator[pd.DataFrame]]

    def documents(self) -> Iterator[Document | InputError]:
        """One document per row with text, and a problem for each row skipped, in the table's order."""
        first_row = 2  # the header is row 1
        for frame in self.chunks():
            yield from _row_items(frame, id_column=self.id_column, text_column=self.text_column,
                                  name_column=self.name_column, source=self.label, first_row=first_row)
            first_row += len(frame)


def open_table(source: Source, *, filename: str | None = None, id_column: str = "id", text_column: str = "text",
               name_column: str | None = None) -> TableBatch:
    """A batch table ready to stream (see :class:`TableBatch`). Raises :class:`InputError` when the file cannot
    be read as a table, a column is missing or an id repeats: the whole table is refused before any row is
    analysed (an id names one applicant in the store and every export).

    Without ``name_column`` the first column that is neither the id nor the text names the applicant
    (a batch table's usual ``id,name,text`` layout)."""
    label = source_name(source, filename)
    suffix = Path(label).suffix.lower()
    try:
        if suffix in SPREADSHEET_SUFFIXES:  # a workbook is parsed whole by openpyxl anyway (within the file limit)
            whole = read_frame(source, filename=filename)
            chunks: Callable[[], Iterator[pd.DataFrame]] = lambda: iter([whole])  # noqa: E731
        else:
            # read as every table is (evidence.io.tables): UTF-8, UTF-16/32 or Windows-1252, separator sniffed;
            # then parsed from the bytes (a path's: from the file again), never held as text: the text and a
            # StringIO of it grew the peak with the file (bench/large_batch.py: 535 MB at 1,000 rows, 642 MB at
            # 30,000); parsed from the bytes, 442 MB at 1,000 rows and 473 MB at 100,000
            raw = read_bytes(source)
            text, codec = decode_table(raw, name=label)
            sep = "\t" if suffix == ".tsv" else sniff_separator(text)
            del text
            encoding = "utf-8-sig" if codec == "utf-8" else codec  # a UTF-8 byte-order mark dropped, as decoded
            if isinstance(source, str | Path):
                path, raw = Path(source), b""
                chunks = lambda: _csv_chunks(path, sep, encoding)  # noqa: E731
            else:
                chunks = lambda: _csv_chunks(io.BytesIO(raw), sep, encoding)  # noqa: E731
        ids: list[str] = []
        columns: list[str] = []
        rows = 0
        for frame in chunks():
            columns = list(frame.columns)
            if id_column not in columns or text_column not in columns:
                break
            # the ids of rows with text, as documents_from_table checks them (a row without text is skipped)
            ids += [value or f"row-{rows + i + 2}"
                    for i, (value, text_cell) in enumerate(zip(frame[id_column], frame[text_column], strict=True))
                    if text_cell]
            rows += len(frame)
            if rows > LIMITS.table_rows:
                raise TableProblem(f"the table has more than {LIMITS.table_rows:,} rows",
                                   "split it into several tables")
    except TableProblem as exc:
        raise InputError(f"{label}: {exc}") from exc
    if name_column is None:
        name_column = next((c for c in columns if c not in (id_column, text_column)), None)
    _check_columns(columns, (id_column, text_column, name_column), label)
    _check_unique(ids, f"{label}: the id column {id_column!r}",
                  "ids must be unique; fix the table or choose another id column")
    return TableBatch(label=label, rows=rows, id_column=id_column, text_column=text_column, name_column=name_column,
                      chunks=chunks)


def _csv_chunks(source: Path | IO[bytes], sep: str, encoding: str) -> Iterator[pd.DataFrame]:
    """``source`` parsed as CSV ``TABLE_CHUNK_ROWS`` rows at a time, each chunk cleaned as :func:`read_frame`
    does."""
    import pandas as pd

    try:
        with pd.read_csv(source, dtype=str, sep=sep, keep_default_na=False, encoding=encoding,
                         chunksize=TABLE_CHUNK_ROWS) as reader:  # closes a file left part-read
            for frame in reader:
                frame.columns = [str(c).strip() for c in frame.columns]
                yield frame.fillna("").map(lambda v: str(v).strip())
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise TableProblem(f"cannot parse the table ({exc})",
                           "check the header row and the quoting of cells that contain commas or line breaks"
                           ) from exc


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
    """Every document under ``path``: a file, a batch table, or a folder of files and tables.

    Everything that cannot be read is yielded as an :class:`InputError` in the stream, and the rest are
    read. A folder is read one level deep (its sub-folders are not, whatever their names); a link inside
    it is read only when it leads to a file inside the same folder that is not read already (a link out
    of the folder or a loop is reported); pipes, devices and sockets are never opened.
    """
    path = Path(path)
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # a name too long for the file system, a path through a file
        yield InputError(f"{printable(str(path))}: cannot read it ({exc.strerror or exc})")
        return
    if is_dir:
        yield from _folder_documents(path, id_column=id_column, text_column=text_column)
    elif not path.exists():
        yield InputError(f"{printable(str(path))}: no such file or folder")
    else:
        yield from _file_documents(path, id_column=id_column, text_column=text_column)


def _file_documents(path: Path, *, id_column: str, text_column: str) -> Iterator[Document | InputError]:
    try:
        if path.suffix.lower() in TABLE_SUFFIXES:
            yield from open_table(path, id_column=id_column, text_column=text_column).documents()
        else:
            yield read_document(path)
    except InputError as exc:
        yield exc


def count_documents(path: str | Path, *, id_column: str = "id", text_column: str = "text") -> int:
    """How many documents :func:`iter_documents` will go through under ``path`` (a table's rows, a file each),
    without keeping any text: what a progress bar needs before the first document is read. Inputs that
    cannot be read count as one each (they are reported as one problem)."""
    path = Path(path)
    try:
        entries = sorted(path.iterdir()) if path.is_dir() else [path]
    except OSError:
        return 1
    total = 0
    for entry in entries[: LIMITS.folder_files]:
        suffix = entry.suffix.lower()
        if suffix in TABLE_SUFFIXES:
            try:
                total += open_table(entry, id_column=id_column, text_column=text_column).rows
            except (InputError, OSError):
                total += 1
        elif suffix in FILE_SUFFIXES or entry == path:
            total += 1
    return max(total, 1)


def _folder_documents(folder: Path, *, id_column: str, text_column: str) -> Iterator[Document | InputError]:
    shown = printable(str(folder))
    try:
        root = folder.resolve(strict=True)
        entries = sorted(folder.iterdir())
    except (OSError, RuntimeError) as exc:  # unreadable folder; RuntimeError: a loop of links resolving it
        yield InputError(f"{shown}: cannot read the folder ({getattr(exc, 'strerror', None) or exc}); "
                         "check its permissions")
        return
    candidates = [p for p in entries if p.suffix.lower() in (*FILE_SUFFIXES, *TABLE_SUFFIXES)]
    if not candidates:
        yield InputError(f"{shown}: the folder has no {', '.join(FILE_SUFFIXES)} files")
        return
    seen: dict[Path, Path] = {}
    for count, entry in enumerate(candidates):
        if count >= LIMITS.folder_files:
            yield InputError(f"{shown}: more than {LIMITS.folder_files:,} files; the rest were not read. "
                             "Split the folder")
            return
        problem = _folder_entry_problem(entry, root, seen)
        if problem:
            yield InputError(f"{printable(str(entry))}: {problem}; skipped")
            continue
        yield from _file_documents(entry, id_column=id_column, text_column=text_column)


def _folder_entry_problem(entry: Path, root: Path, seen: dict[Path, Path]) -> str | None:
    """Why a folder entry is not read (None: read it); records the files read in ``seen`` (real path ->
    entry), so a file reached twice through links is read once."""
    try:
        target = entry.resolve(strict=True)
        info = target.stat()
    except (OSError, RuntimeError) as exc:  # a dangling link, a loop of links, no permission
        return f"cannot read it ({getattr(exc, 'strerror', None) or exc})"
    if entry.is_symlink() and not target.is_relative_to(root):
        return "a link to a file outside the folder (only files inside the folder are read)"
    if stat.S_ISDIR(info.st_mode):
        return "a folder (folders inside the folder are not read)"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, pipe or socket)"
    if target in seen:
        return f"the same file as {printable(seen[target].name)}"
    seen[target] = entry
    return None
