"""What the app accepts as uploads, and turning an upload into what the library reads: the likely columns of a
statements table, and an uploaded framework file validated (and, when asked, stored)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from evidence.domain import Framework
from evidence.errors import FrameworkError, InputError
from evidence.frameworks.catalogue import LIMITS_FIX, MAX_FRAMEWORK_BYTES, store_imported
from evidence.frameworks.interchange import import_framework

UPLOAD_TABLES = ("csv", "tsv", "xlsx", "xls")
UPLOAD_FILES = ("txt", "md", "docx", "pdf")
FRAMEWORK_UPLOADS = ("csv", "tsv", "xlsx", "xls", "json", "yaml", "yml", "txt")
ID_NAMES = ("id", "ref", "reference", "applicant_id", "candidate_id")
NAME_NAMES = ("name", "applicant", "full_name", "candidate")
TEXT_NAMES = ("text", "statement", "supporting_statement", "narrative")


def is_table(filename: str) -> bool:
    """Whether an upload is a statements table (one applicant a row) rather than one statement."""
    return Path(filename).suffix.lower().lstrip(".") in UPLOAD_TABLES


def guess_columns(frame: pd.DataFrame) -> tuple[str, str, str | None]:
    """Likely (id, text, name) columns: by name first, else the first column and the longest text."""
    lower = {c.lower(): c for c in frame.columns}
    id_col = next((lower[n] for n in ID_NAMES if n in lower), frame.columns[0])
    name_col = next((lower[n] for n in NAME_NAMES if n in lower), None)
    text_named = next((lower[n] for n in TEXT_NAMES if n in lower), None)
    lengths = {c: frame[c].astype(str).str.len().mean() for c in frame.columns if c not in (id_col, name_col)}
    text_col = text_named or (max(lengths, key=lengths.get) if lengths else frame.columns[-1])
    return id_col, text_col, name_col


def import_uploaded_framework(filename: str, data: bytes, *, framework_id: str | None = None,
                              name: str | None = None, levels: list[str] | None = None,
                              save: bool = False, replace: bool = False,
                              **options: Any) -> tuple[Framework, Path | None]:
    """Validate an uploaded framework file (and with ``save``, store it under $EVIDENCE_HOME).

    The framework importer reads paths only, so the upload is written to a temporary folder under its
    own file name (the importer picks the format by suffix, and the default id from the name); a name that
    cannot be a file name there ('..', a path, a NUL) is replaced by ``upload``. The id typed in the form is
    checked by the importer against the one id rule before anything is written. Errors name the upload, and
    their fixes the form's fields. ``options`` go to the importer as they are (layout, sheet, columns, notes).
    """
    suffix = Path(filename).suffix.lower()
    if suffix.lstrip(".") not in FRAMEWORK_UPLOADS:
        raise InputError(f"{filename}: unsupported file type; upload one of {', '.join(FRAMEWORK_UPLOADS)}")
    if len(data) > MAX_FRAMEWORK_BYTES:
        raise InputError(f"{filename}: the file is {len(data):,} bytes, over the {MAX_FRAMEWORK_BYTES:,}-byte limit "
                         f"for a framework file; {LIMITS_FIX}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(filename.replace("\x00", "")).name
        path = Path(tmp) / base
        if not base or base.startswith(".") or path.resolve().parent != Path(tmp).resolve():
            path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            framework = import_framework(path, framework_id=framework_id or None, name=name or None, levels=levels,
                                         audience="app", **options)
        except FrameworkError as exc:  # name the uploaded file, not the temporary copy
            raise FrameworkError(exc.problem, source=filename, path=exc.path, fix=exc.fix) from exc
    stored = store_imported(framework, replace=replace, audience="app") if save else None
    return framework, stored
