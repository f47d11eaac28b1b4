"""Batch results as spreadsheet tables: the ranked shortlist, coverage and evidence, written as XLSX or CSV.

Every cell is written through :mod:`evidence.io.cells` (OWASP's CSV-injection rule) and every XLSX cell is
stored as a value, never a formula: applicant ids, names and sentences reach these files as users typed them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from evidence.domain import DocumentAnalysis
from evidence.io.cells import csv_text, neutralise_frame
from evidence.reporting.render import analyses_to_rows, shortlist_rows

SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
WIDTH_SAMPLE_ROWS = 200  # column widths are measured on the first rows only: enough to size them, fast on big batches
MIN_WIDTH, MAX_WIDTH = 8, 80  # in characters: narrow columns stay clickable, long statements do not run off-screen
REPLACEMENT = "\ufffd"  # stands in for control characters an XLSX file cannot hold (openpyxl refuses them)
FORMULA = "f"  # openpyxl's data type for a formula cell; "s" is a string


def shortlist_frame(analyses: Sequence[DocumentAnalysis], *, show_names: bool = True) -> pd.DataFrame:
    """The ranked shortlist: rank, applicant, overall match (%), met/partly/missing, one column per requirement."""
    rows = []
    fixed = {"document", "name", "match", "met", "partly_met", "missing"}
    for rank, row in enumerate(shortlist_rows(list(analyses)), start=1):
        out = {"Rank": rank, "Applicant": row["document"]}
        if show_names:
            out["Name"] = row["name"]
        out.update({"Match %": round(100 * (row["match"] or 0.0)), "Met": row["met"],
                    "Partly met": row["partly_met"], "Missing": row["missing"]})
        out.update({k: status_cell(v) for k, v in row.items() if k not in fixed})
        rows.append(out)
    return pd.DataFrame(rows)


def status_cell(value: str) -> str:
    """'partly met (2/3)' -> 'partly met: 2 of 3'; 'met (4/3)' -> 'met: 4'; 'missing (-/3)' -> 'missing: needs 3'."""
    match = re.match(r"(met|partly met|missing) \((.*?)/(.*?)\)", str(value))
    if not match:
        return str(value)
    status, got, need = match.groups()
    if status == "met":
        return f"met: {got}" if got != "-" else "met"
    if status == "partly met":
        return f"partly met: {got} of {need}"
    return f"missing: needs {need}" if need != "-" else "missing"


def export_tables(analyses: Sequence[DocumentAnalysis], *, show_names: bool = True) -> dict[str, pd.DataFrame]:
    """The shortlist, each requirement per applicant, and the evidence per sentence, as tables."""
    coverage_rows = [{"applicant": a.document.id, "competency": c.competency, "name": c.name,
                      "priority": c.priority.value, "required": c.required, "evidenced": c.evidenced,
                      "status": c.status.value, "confidence": c.score} for a in analyses for c in a.coverage]
    evidence = pd.DataFrame(analyses_to_rows(list(analyses)))
    if not evidence.empty:
        evidence = evidence[evidence["kind"] != ""]
    return {"Shortlist": shortlist_frame(analyses, show_names=show_names), "Coverage": pd.DataFrame(coverage_rows),
            "Evidence": evidence}


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Tables as one workbook, a sheet each, with readable column widths and a frozen header row.

    Text cells are neutralised (:func:`evidence.io.cells.neutralise_frame`), control characters XLSX cannot
    hold become U+FFFD (openpyxl would raise ``IllegalCharacterError`` on a statement holding one), and any
    cell openpyxl still typed as a formula is stored as a string: no cell of the file is a formula.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, raw in sheets.items():
            frame = _xlsx_safe(neutralise_frame(raw))
            sheet_name = name[:SHEET_NAME_LIMIT]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == FORMULA:
                        cell.data_type = "s"
            sheet.freeze_panes = "A2"
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(WIDTH_SAMPLE_ROWS)])
                letter = sheet.cell(row=1, column=i).column_letter
                sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    return buffer.getvalue()


def _xlsx_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells and column names without the control characters an XLSX file cannot hold."""
    def clean(value: object) -> object:
        return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value) if isinstance(value, str) else value

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype.kind == "O":
            out[column] = out[column].map(clean)
    return out.rename(columns=clean)


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes that Excel opens as UTF-8 (thanks to the byte-order mark), text cells neutralised."""
    # errors="replace": a file name read with surrogate escapes (not UTF-8 on disk) must not end the download
    return csv_text(frame).encode("utf-8-sig", errors="replace")
