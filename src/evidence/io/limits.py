"""The limits of the reading boundary, in one place: how much of a user's file is read, and why that much.

Every reader in :mod:`evidence.io` checks its input against these before a library parses it, so a small
hostile file (a zip bomb, a 20,000-page PDF, a table of a million rows) is refused in well under a second
with an :class:`~evidence.errors.InputError` that names the file and the limit, instead of running for
minutes and gigabytes. The figures in the comments come from the reliability test of 2026-12-07
(``shared/reviews/reliability.md``, D02, D03, D13) on a shared 2-core machine, so times are upper bounds.

The limits sit far above any real statement or batch (a supporting statement is 1-3 pages, a CV with a
portfolio perhaps 50) and well below what made the product stall.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from evidence.errors import InputError


class TableProblem(InputError):
    """What is wrong with a file (``problem``) and what to do about it (``fix``), without the file's name:
    the caller names the file (as its own error type: a framework file's, a batch's, a labelled file's)."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem}; {fix}")


@dataclass(frozen=True)
class ReadingLimits:
    """How much of one input the readers accept; each field says why it is that large."""

    # A file of any kind, read whole into memory. The 100k-row CSV benchmark is 22.3 MB and must be read;
    # Streamlit's own upload limit (200 MB) is far above it, and a 50 MB statement did not finish in 300 s.
    file_bytes: int = 64 * 1024 * 1024
    # The text of one document (a file, a table cell). A 1 MB statement (8,910 units) took 172 s end to end
    # and a 10 MB one 490 s at 2.3 GB; 2 M characters (about 400 pages) is far beyond a real statement and
    # still a few minutes of work. It is above spaCy's 1,000,000 (E088): segmentation chunks the text.
    document_chars: int = 2_000_000
    # PDF pages: a 20,000-page PDF took 74.7 s and 1.0 GiB (about 3.7 ms a page); 1,000 pages is ~4 s.
    pdf_pages: int = 1_000
    # A .docx/.xlsx is a zip: its declared uncompressed size is checked before python-docx or openpyxl
    # opens it (zipfile never inflates past the declared size, and a lie fails its CRC). Bombs of 50 MiB,
    # 300 MiB and 1 GiB ran past 300 s or reached 4-7.7 GiB; the 100k-row XLSX of the benchmark is about
    # 15 MiB of XML and a long .docx a few MiB.
    unzipped_bytes: int = 100 * 1024 * 1024
    # A member over this size must not inflate more than ``zip_ratio`` times: ordinary Office XML inflates
    # 5-20x, the 1 GiB bomb (3.0 MiB) over 300x. Small members may compress as well as they like.
    zip_ratio_floor_bytes: int = 10 * 1024 * 1024
    zip_ratio: int = 100
    # Parts in one zip: a .docx has 10-40, a workbook with images a few hundred; the fuzz's 20,000 was hostile.
    zip_entries: int = 5_000
    # Paragraphs read from a .docx: a 100,000-paragraph .docx (52 KiB) ran past 300 s; with one style
    # lookup per style (not per paragraph) reading is ~0.1 ms a paragraph, and 50,000 is ~100 pages of lines.
    docx_paragraphs: int = 50_000
    # One evidence unit (a sentence): longer ones are cut at a space. The sentence encoder reads 256 word
    # pieces, about 1,100 characters of English, so it never sees more of a unit; a real sentence is
    # 100-400 characters. A 199,999-character unit (200 KB of one-letter lines) took 3.4 GiB.
    unit_chars: int = 1_000
    # Rows of one batch table: the 100k-row benchmark must pass; 250,000 leaves room and bounds the frame.
    table_rows: int = 250_000
    # Files read from one folder (its sub-folders are not read: 1000 nested folders named d.txt crashed
    # with ENAMETOOLONG). Each is a document held until analysed; the 100k-row batch is the scale we test.
    folder_files: int = 100_000


LIMITS = ReadingLimits()


def check_size(size: int, limits: ReadingLimits | None = None) -> None:
    """Raise :class:`TableProblem` when a file of ``size`` bytes is over the file limit."""
    limits = limits or LIMITS
    if size > limits.file_bytes:
        raise TableProblem(f"the file is {_mib(size)}, over the limit of {_mib(limits.file_bytes)}",
                           "split it into smaller files")


def check_text(length: int, limits: ReadingLimits | None = None) -> None:
    """Raise :class:`TableProblem` when a document's text of ``length`` characters is over the limit."""
    limits = limits or LIMITS
    if length > limits.document_chars:
        raise TableProblem(f"the text has {length:,} characters, over the limit of {limits.document_chars:,} "
                           "for one document", "split it into several documents")


def check_zip(data: bytes, kind: str, limits: ReadingLimits | None = None) -> None:
    """Refuse a .docx/.xlsx whose zip would inflate too far, before any library opens it.

    ``kind`` names the format in the message ("Word document", "spreadsheet"). Reading the central
    directory costs nothing however large the members claim to be.
    """
    limits = limits or LIMITS
    fix = f"save it again as a normal {kind}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TableProblem(f"cannot read the {kind} (not a valid zip file: {exc})", fix) from exc
    if len(members) > limits.zip_entries:
        raise TableProblem(f"the {kind} holds {len(members):,} parts, over the limit of {limits.zip_entries:,}",
                           fix)
    total = sum(m.file_size for m in members)
    if total > limits.unzipped_bytes:
        raise TableProblem(f"the {kind} would unpack to {_mib(total)}, over the limit of "
                           f"{_mib(limits.unzipped_bytes)}", f"{fix}, or split it")
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > limits.zip_ratio_floor_bytes and ratio > limits.zip_ratio:
            raise TableProblem(f"part {member.filename!r} of the {kind} would inflate {ratio:,} times "
                               f"({_mib(member.file_size)}; a zip bomb?)", fix)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MiB"


# What a terminal would act on rather than show: C0/C1 controls and DEL (escape sequences can retitle the
# window, recolour or rewrite earlier lines: a file named "\x1b]0;PWNED\x07..." did, reliability.md D11), the
# bidirectional overrides and isolates (they reorder what is shown), and lone surrogates (a file name that is
# not UTF-8, as Python decodes it: they cannot be written to a UTF-8 stream at all, D09). A newline is kept:
# messages have lines (a FrameworkError's "how to fix"), and a line break moves the cursor, nothing more.
UNSAFE_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: every character in :data:`UNSAFE_CHARACTERS` as its Python escape
    (``\\x1b``, ``\\u202e``, ``\\udcff``), the rest (newlines included) as it is. Idempotent."""
    return UNSAFE_CHARACTERS.sub(lambda m: ascii(m.group())[1:-1], text)
