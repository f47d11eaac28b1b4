"""Reading user files as text and tables (CSV, TSV, XLSX), with problems described so they can be fixed.

Every reader of user-supplied tables goes through :func:`read_frame`, so encodings, quoting and
damaged spreadsheets are reported the same way everywhere, whether the table comes from a path
(the CLI) or from uploaded bytes (the web app). Callers turn a :class:`TableProblem` into their own
error type (a framework file's, a batch's, a labelled file's) or show it as the input error it is.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# What a reader accepts: a path, the file's bytes, or an open binary stream (an upload).
Source = str | Path | bytes | IO[bytes]
SPREADSHEET_SUFFIXES = (".xlsx", ".xls")


class TableProblem(InputError):
    """What is wrong with a file (``problem``) and what to do about it (``fix``)."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem}; {fix}")


def source_name(source: Source, filename: str | None = None) -> str:
    """The name to show for a source: ``filename`` when given, else the path or the stream's name."""
    if filename:
        return filename
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "") or "")


def read_bytes(source: Source) -> bytes:
    """The raw bytes of a path, bytes or binary stream."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise TableProblem(f"cannot read the file ({exc.strerror})",
                               "check the path and its permissions") from exc
    return source.read()


def read_utf8(source: Source) -> str:
    """The file's text; a byte that is not UTF-8 is reported with its line."""
    raw = read_bytes(source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableProblem(f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} cannot be decoded",
                           "save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8'; in an editor: encoding UTF-8)"
                           ) from exc


def read_frame(source: Source, *, filename: str | None = None) -> pd.DataFrame:
    """A CSV/TSV/XLSX table as a frame of stripped strings (empty cells as ""), column names stripped.

    ``source`` is a path, the file's bytes or a binary stream; the format follows the suffix of
    ``filename`` (or of the path or stream name): .xlsx/.xls a spreadsheet, .tsv tab-separated,
    anything else comma-separated.
    """
    import pandas as pd  # imported here: a cold run on one text file spares the half second

    suffix = Path(source_name(source, filename)).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        data = read_bytes(source)
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str)
        except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
            raise TableProblem(f"cannot read the spreadsheet ({exc})",
                               "save it again from Excel or LibreOffice as .xlsx") from exc
    else:
        sep = "\t" if suffix == ".tsv" else ","
        try:
            frame = pd.read_csv(io.StringIO(read_utf8(source)), dtype=str, sep=sep, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise TableProblem(f"cannot parse the table ({exc})",
                               "check the header row and the quoting of cells that contain commas or line breaks"
                               ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("").map(lambda v: str(v).strip())
