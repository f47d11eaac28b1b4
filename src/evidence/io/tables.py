"""Reading user files as text and tables (CSV, TSV, XLSX), with problems described so they can be fixed.

Every reader of user-supplied tables goes through :func:`read_frame`, so encodings, quoting and
damaged spreadsheets are reported the same way everywhere, whether the table comes from a path
(the CLI) or from uploaded bytes (the web app). Callers turn a :class:`TableProblem` into their own
error type (a framework file's, a batch's, a labelled file's) or show it as the input error it is.
"""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.io.limits import LIMITS, check_size, check_zip
from evidence.io.limits import TableProblem as TableProblem  # defined with the limits; imported from here

if TYPE_CHECKING:
    import pandas as pd

# What a reader accepts: a path, the file's bytes, or an open binary stream (an upload).
Source = str | Path | bytes | IO[bytes]
SPREADSHEET_SUFFIXES = (".xlsx", ".xls")
# Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"))
SNIFF_BYTES = 4096  # enough pairs of bytes to tell UTF-16 without a mark from text with a stray NUL


def source_name(source: Source, filename: str | None = None) -> str:
    """The name to show for a source: ``filename`` when given, else the path or the stream's name."""
    if filename:
        return filename
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "") or "")


def read_bytes(source: Source) -> bytes:
    """The raw bytes of a path, bytes or binary stream, refused over the file size limit; a path must name a
    regular file (a pipe or a device is never opened: reading one would block or never end)."""
    if isinstance(source, bytes):
        check_size(len(source))
        return source
    if isinstance(source, str | Path):
        try:
            info = Path(source).stat()
            if not stat.S_ISREG(info.st_mode):
                raise TableProblem("not a regular file (a folder, a device or a pipe)", "give the path of a file")
            check_size(info.st_size)
            return Path(source).read_bytes()
        except OSError as exc:
            raise TableProblem(f"cannot read the file ({exc.strerror or exc})",
                               "check the path and its permissions") from exc
    data = source.read(LIMITS.file_bytes + 1)
    check_size(len(data))
    return data


def unicode_codec(raw: bytes) -> str | None:
    """The codec of UTF-16/32 text, told by its byte-order mark or (UTF-16 without one) by NULs in every
    other byte; None for anything else, which is read as UTF-8. Never guesses from a few stray NULs."""
    for mark, codec in BOMS:
        if raw.startswith(mark):
            return codec
    head = raw[:SNIFF_BYTES]
    if len(head) >= 4 and b"\x00" in head:
        pairs = len(head) // 2
        even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
        if odd >= 0.9 * pairs and even <= 0.1 * pairs:  # ASCII-range text as UTF-16LE: "I\0 \0l\0"
            return "utf-16-le"
        if even >= 0.9 * pairs and odd <= 0.1 * pairs:
            return "utf-16-be"
    return None


def decode_unicode(raw: bytes, codec: str) -> str:
    """``raw`` decoded as the UTF-16/32 ``codec`` (from :func:`unicode_codec`), its mark dropped."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise TableProblem(f"the file looks like {codec.upper()} text but byte {exc.start} cannot be decoded",
                           "save it again as UTF-8") from exc


def read_utf8(source: Source) -> str:
    """The file's text (UTF-8, or UTF-16/32 with a byte-order mark); a byte that is not UTF-8 is reported
    with its line."""
    raw = read_bytes(source)
    codec = unicode_codec(raw)
    if codec:
        return decode_unicode(raw, codec)
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
    rows = LIMITS.table_rows + 1  # one more than allowed, to tell "at the limit" from "over it"
    if suffix in SPREADSHEET_SUFFIXES:
        data = read_bytes(source)
        if suffix == ".xlsx":  # a zip: its unpacked size is checked before openpyxl inflates it
            check_zip(data, "spreadsheet")
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, nrows=rows)
        except Exception as exc:  # openpyxl (and xlrd) raise any type for a damaged file
            raise TableProblem(f"cannot read the spreadsheet ({type(exc).__name__}: {exc})",
                               "save it again from Excel or LibreOffice as .xlsx") from exc
    else:
        sep = "\t" if suffix == ".tsv" else ","
        try:
            frame = pd.read_csv(io.StringIO(read_utf8(source)), dtype=str, sep=sep, keep_default_na=False,
                                nrows=rows)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
            raise TableProblem(f"cannot parse the table ({exc})",
                               "check the header row and the quoting of cells that contain commas or line breaks"
                               ) from exc
    if len(frame) > LIMITS.table_rows:
        raise TableProblem(f"the table has more than {LIMITS.table_rows:,} rows",
                           "split it into several tables")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("").map(lambda v: str(v).strip())
