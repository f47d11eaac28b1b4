"""Reading documents: plain text, Markdown, .docx and .pdf files, CSV/XLSX batches and folders.

A :class:`Document`'s ``text`` is what every unit offset points into: the file's own text for
.txt and .md, and the extracted text for .docx (one paragraph per line, list items as "- ")
and .pdf (pages joined by blank lines). Batches yield a document per row. One unreadable file
in a batch is reported as an :class:`InputError` in the stream, never stopping the rest.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from evidence.domain import Document
from evidence.errors import InputError
from evidence.io.tables import TableProblem, read_frame

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
FILE_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls")


def read_document(path: str | Path, *, document_id: str | None = None) -> Document:
    """One file as a document."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix in TEXT_SUFFIXES:
        text = _decode(path.read_bytes(), path)
    elif suffix == ".docx":
        text = _docx_text(path)
    elif suffix == ".pdf":
        text = _pdf_text(path)
    else:
        raise InputError(f"{path}: unsupported file type {suffix!r}; expected one of {', '.join(FILE_SUFFIXES)} "
                         f"or a batch table ({', '.join(TABLE_SUFFIXES)})")
    if not text.strip():
        raise InputError(f"{path}: the file has no text" + (" (a scanned PDF needs OCR first)" if suffix == ".pdf" else ""))
    return Document(id=document_id or path.stem, text=text, source=str(path), name=path.name)


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # Word's "plain text" export on Windows: the most common non-UTF-8 statement we see
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at {exc.start}); "
                             "save it as UTF-8") from exc
        logger.warning("%s is not UTF-8; read it as Windows-1252", path)
        return text


def _docx_text(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a damaged or mislabelled file
        raise InputError(f"{path}: cannot read it as a Word document ({exc}); save it again as .docx") from exc
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


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read it as a PDF ({exc})") from exc


def read_table_documents(path: str | Path, *, id_column: str = "id", text_column: str = "text") -> list[Document]:
    """A CSV/XLSX batch: one document per row, identified by ``id_column``."""
    path = Path(path)
    try:
        frame = read_frame(path)
    except TableProblem as exc:
        raise InputError(f"{path}: {exc}") from exc
    missing = [c for c in (id_column, text_column) if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}; found {list(frame.columns)}. "
                         "Name the id and text columns with --id-column and --text-column")
    extra = [c for c in frame.columns if c not in (id_column, text_column)]
    documents = []
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        doc_id = str(row[id_column]).strip() or f"row-{row_number}"
        name = " ".join(str(row[c]) for c in extra[:1]).strip()
        documents.append(Document(id=doc_id, text=str(row[text_column]), source=f"{path}:{row_number}", name=name))
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise InputError(f"{path}: the id column {id_column!r} repeats {repeated[:5]}; ids must be unique")
    return documents


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
            yield from read_table_documents(path, id_column=id_column, text_column=text_column)
        else:
            yield read_document(path)
    except InputError as exc:
        yield exc
