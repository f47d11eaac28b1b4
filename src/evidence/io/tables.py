"""Reading user files as text and tables (CSV, TSV, XLSX), with problems described so they can be fixed.

Every reader of user-supplied tables goes through :func:`read_frame` (or :func:`read_sheets` for every sheet
of a workbook), so encodings, separators, quoting and damaged spreadsheets are handled and reported the same
way everywhere, whether the table comes from a path (the CLI) or from uploaded bytes (the web app). Text
tables are read as UTF-8 (with or without a byte-order mark), UTF-16/32, or, when they are not UTF-8,
Windows-1252 (what Excel on Windows saves as plain "CSV"), and their separator (comma, semicolon or tab)
is told from the file. Callers turn a :class:`TableProblem` into their own error type (a framework file's,
a batch's, a labelled file's) or show it as the input error it is.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.io.limits import LIMITS, check_size, check_zip
from evidence.io.limits import TableProblem as TableProblem  # defined with the limits; imported from here

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

# What a reader accepts: a path, the file's bytes, or an open binary stream (an upload).
Source = str | Path | bytes | IO[bytes]
SPREADSHEET_SUFFIXES = (".xlsx", ".xls")
# Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"))
SNIFF_BYTES = 4096  # enough pairs of bytes to tell UTF-16 without a mark from text with a stray NUL
# What Excel on Windows writes as plain "CSV" (and most Western-European legacy tools): the fallback for text
# that is not UTF-8. Every byte but five decodes in it, so a decoded text with control characters other than
# tab and line breaks is taken as a binary file, not as Windows-1252.
LEGACY_CODEC = "cp1252"
LEGACY_NAME = "Windows-1252"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SEPARATORS = (",", ";", "\t")  # the separators a text table may use, the first the default
SNIFF_RECORDS = 50  # records looked at to tell the separator: a header and enough rows to see it is consistent
# csv.Sniffer's quote regex can take time quadratic in its sample on hostile text; 4,096 characters hold a
# header and a few rows, and sniff in milliseconds whatever they hold
SNIFF_CHARS = 4096


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


def decode_table(raw: bytes, *, name: str = "") -> tuple[str, str]:
    """A text table's bytes as text, and the codec it was read with: UTF-16/32 (told by :func:`unicode_codec`),
    else UTF-8 (a byte-order mark dropped), else Windows-1252, with a warning naming ``name``: that is what
    Excel on Windows saves as "CSV". Bytes that are neither (control characters once decoded) are refused
    with the line of the first byte that is not UTF-8."""
    codec = unicode_codec(raw)
    if codec:
        return decode_unicode(raw, codec), codec
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        refusal = TableProblem(f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} on line {line} cannot be "
                               "decoded", "save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8'; in an editor: "
                               "encoding UTF-8)")
        try:
            text = raw.decode(LEGACY_CODEC)
        except UnicodeDecodeError:
            raise refusal from exc
        if _CONTROL.search(text):
            raise refusal from exc
    logger.info("%s is not UTF-8: read it as %s (Excel's 'CSV' on Windows); if letters look wrong, save it "
                   "as 'CSV UTF-8'", name or "the table", LEGACY_NAME)
    return text, LEGACY_CODEC


def sniff_separator(text: str, *, default: str = ",") -> str:
    """The separator of a text table among :data:`SEPARATORS`: :class:`csv.Sniffer`'s choice on the first
    :data:`SNIFF_CHARS` characters (quoted cells next to a separator, or the same count on every line), else the
    one that splits most of the first records into the same number (more than one) of fields; ``default``
    when none splits them (a table of one column)."""
    try:
        found = csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters="".join(SEPARATORS)).delimiter
        if found in SEPARATORS:
            return found
    except csv.Error:  # no separator stands out in the sample (a title line, a single column): count fields
        pass
    best, best_score = default, (1, 0)
    for separator in SEPARATORS:
        widths: list[int] = []
        try:
            for record in csv.reader(io.StringIO(text[: 64 * 1024]), delimiter=separator):
                if record:
                    widths.append(len(record))
                if len(widths) > SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        widths = widths[:-1] or widths  # the last record may be cut short by the sample
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (common, widths.count(common)) if common > 1 else (1, 0)
        if score[0] > 1 and (score[1], score[0]) > (best_score[1], best_score[0]):
            best, best_score = separator, score
    return best


def read_frame(source: Source, *, filename: str | None = None, sheet: str | int | None = None,
               header: bool = True) -> pd.DataFrame:
    """A CSV/TSV/XLSX table as a frame of stripped strings (empty cells as ""), column names stripped.

    ``source`` is a path, the file's bytes or a binary stream; the format follows the suffix of
    ``filename`` (or of the path or stream name): .xlsx/.xls a spreadsheet, .tsv tab-separated,
    anything else text whose separator (comma, semicolon or tab) is told from the file. ``sheet`` picks a
    workbook's sheet by name or by number (1 = the first; the default); ``header=False`` keeps the first row
    as data and numbers the columns from 0 (a caller that looks for the header row itself). The codec a text
    table was read with is in ``frame.attrs["encoding"]``.
    """
    sheets = _read(source, filename=filename, header=header, sheet=1 if sheet is None else sheet)
    return sheets[0][1]


def read_sheets(source: Source, *, filename: str | None = None, header: bool = True) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of a workbook as (sheet name, frame), in workbook order, read as :func:`read_frame` reads
    one; a text table is one sheet named ''."""
    return _read(source, filename=filename, header=header, sheet=None)


def _read(source: Source, *, filename: str | None, header: bool,
          sheet: str | int | None) -> list[tuple[str, pd.DataFrame]]:
    import pandas as pd  # imported here: a cold run on one text file spares the half second

    name = source_name(source, filename)
    suffix = Path(name).suffix.lower()
    rows = LIMITS.table_rows + 1  # one more than allowed, to tell "at the limit" from "over it"
    first_row = 0 if header else None
    if suffix in SPREADSHEET_SUFFIXES:
        data = read_bytes(source)
        if suffix == ".xlsx":  # a zip: its unpacked size is checked before openpyxl inflates it
            check_zip(data, "spreadsheet")
        try:
            book = pd.ExcelFile(io.BytesIO(data))
            names = [str(n) for n in book.sheet_names]
            chosen = names if sheet is None else [_sheet_name(sheet, names)]
            frames = [(n, book.parse(n, dtype=str, nrows=rows, header=first_row)) for n in chosen]
        except TableProblem:
            raise
        except Exception as exc:  # openpyxl (and xlrd) raise any type for a damaged file
            raise TableProblem(f"cannot read the spreadsheet ({type(exc).__name__}: {exc})",
                               "save it again from Excel or LibreOffice as .xlsx") from exc
        encoding = ""
    else:
        text, encoding = decode_table(read_bytes(source), name=name)
        separator = "\t" if suffix == ".tsv" else sniff_separator(text)
        try:
            if header:
                frame = pd.read_csv(io.StringIO(text), dtype=str, sep=separator, keep_default_na=False, nrows=rows)
            else:  # ragged rows (a title line above the header) are kept: every row padded to the widest
                records = []
                for record in csv.reader(io.StringIO(text), delimiter=separator):
                    records.append(record)
                    if len(records) > rows:
                        break
                width = max((len(r) for r in records), default=0)
                if not width:
                    raise pd.errors.EmptyDataError("No columns to parse from file")
                frame = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype=str)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
            raise TableProblem(f"cannot parse the table ({exc})",
                               "check the header row and the quoting of cells that contain commas or line breaks"
                               ) from exc
        frames = [("", frame)]
    tidied = []
    for sheet_name, frame in frames:
        if len(frame) > LIMITS.table_rows:
            raise TableProblem(f"the table has more than {LIMITS.table_rows:,} rows" +
                               (f" (sheet {sheet_name!r})" if sheet_name else ""), "split it into several tables")
        if header:
            frame.columns = [str(c).strip() for c in frame.columns]
        frame = frame.fillna("").map(lambda v: str(v).strip())
        frame.attrs["encoding"] = encoding
        tidied.append((sheet_name, frame))
    return tidied


def find_sheet(sheet: str | int, names: list[str]) -> str | None:
    """The workbook sheet that ``sheet`` names: a sheet name (any case), or a number counting from 1; None if
    it names none of ``names``."""
    wanted = str(sheet).strip()
    for name in names:
        if name == wanted or name.strip().casefold() == wanted.casefold():
            return name
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    return None


def _sheet_name(sheet: str | int, names: list[str]) -> str:
    found = find_sheet(sheet, names)
    if found is None:
        raise TableProblem(f"the workbook has no sheet {str(sheet).strip()!r}; its sheets are {names}",
                           "name one of these sheets, or give its number (1 = the first)")
    return found
