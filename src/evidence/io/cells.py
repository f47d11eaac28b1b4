r"""Spreadsheet cells that cannot run: the one neutraliser every CSV and XLSX export puts its cells through.

The rule is OWASP's for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection): a *text*
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote (``'``) in
front. Excel, LibreOffice and Google Sheets read such a cell as a formula (``=HYPERLINK(...)``,
``@SUM(...)``, ``+cmd|...``; a leading tab or CR is stripped and what follows is read again); with the
quote in front they read it as text. An applicant's id, name, file name or
sentence, a reviewer's decision and an admin's framework text all reach exports, so every export path
calls :func:`neutralise` (a value), :func:`neutralise_row` (a record) or :func:`neutralise_frame` (a table);
tables written with pandas go through :func:`csv_text`.

The quote alone is not enough in a CSV: a carriage return *inside* an unquoted field ends the row in Excel
and LibreOffice, and what follows starts a new row, formula first. pandas' ``to_csv`` (with its default
``"\n"`` line end) left ``"x\r=1+1"`` unquoted; with ``"\r\n"`` (RFC 4180's line end) it quotes every field
holding a CR or LF. The standard ``csv`` writer's default is already ``"\r\n"``.

Numbers stay numbers: only ``str`` values are changed. A score of ``-0.5`` written as a number is a number
in every spreadsheet and cannot carry a formula; the *text* ``"-0.5"`` (say, an id typed by a user) is
quoted like any other text, because the rule cannot tell a harmless minus from ``-1+cmd|...``.

The rule is idempotent (a quoted cell starts with ``'``, which is not a trigger), so a table that passes
through two export layers is quoted once. :func:`restore` undoes it for readers of our own exports (the
corrections CSV read back for training). It is exact except for a text that itself began with a quote
followed by a trigger (``'=x``), which reads back without that quote: an idempotent rule cannot also be
reversible, and the exports' safety matters more than that edge.

Why not the ``defusedcsv`` package: it wraps only the standard ``csv`` writer, while our exports are written
by pandas and openpyxl too, and its trigger set (``= + - @ | %``, no tab or CR) is not the one named above.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list: what a spreadsheet reads as a formula start
QUOTE = "'"  # the prefix spreadsheets take as "this cell is text"
CSV_LINE_END = "\r\n"  # RFC 4180; makes pandas quote fields holding a CR (see the module docstring)
NUMERIC_KINDS = "biufcmM"  # numpy dtype kinds: bool, (u)int, float, complex, timedelta, datetime: never text

T = TypeVar("T")


def neutralise(value: T) -> T | str:
    """``value`` as a spreadsheet cell that cannot run: text starting with a formula trigger gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def neutralise_row(row: Mapping[str, object]) -> dict[str, object]:
    """A record (a CSV row as a mapping) with each value neutralised; the keys are our own column names."""
    return {key: neutralise(value) for key, value in row.items()}


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell *and* every column name neutralised (column names can be a
    framework's competency names); numeric columns are left as they are."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind not in NUMERIC_KINDS:
            out[column] = out[column].map(neutralise)
    return out.rename(columns=lambda name: neutralise(name))


def restore(value: T) -> T | str:
    """Undo :func:`neutralise` on a cell read back from one of our exports (see the module docstring)."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """A table as CSV text that no spreadsheet runs: cells neutralised, every field holding a line break quoted."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator=CSV_LINE_END)
