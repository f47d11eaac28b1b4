"""Reading user files as text and tables (CSV, TSV, XLSX), with problems described so they can be fixed.

Every reader of user-supplied tables goes through :func:`read_frame`, so encodings, quoting and
damaged spreadsheets are reported the same way everywhere; callers turn a :class:`TableProblem`
into their own error type (a framework file's, a batch's, a labelled file's).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class TableProblem(Exception):
    """What is wrong with a file (``problem``) and what to do about it (``fix``)."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem}; {fix}")


def read_utf8(path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is reported with its line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableProblem(f"cannot read the file ({exc.strerror})", "check the path and its permissions") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableProblem(f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} cannot be decoded",
                           "save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8'; in an editor: encoding UTF-8)"
                           ) from exc


def read_frame(path: Path) -> pd.DataFrame:
    """A CSV/TSV/XLSX file as a frame of stripped strings (empty cells as ""), column names stripped."""
    import pandas as pd  # imported here: a cold run on one text file spares the half second

    if path.suffix.lower() in (".xlsx", ".xls"):
        try:
            frame = pd.read_excel(path, dtype=str)
        except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
            raise TableProblem(f"cannot read the spreadsheet ({exc})",
                               "save it again from Excel or LibreOffice as .xlsx") from exc
    else:
        sep = "\t" if path.suffix.lower() == ".tsv" else ","
        try:
            frame = pd.read_csv(io.StringIO(read_utf8(path)), dtype=str, sep=sep, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise TableProblem(f"cannot parse the table ({exc})",
                               "check the header row and the quoting of cells that contain commas or line breaks"
                               ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("").map(lambda v: str(v).strip())
