"""Batch results as spreadsheet tables: the ranked shortlist, coverage and evidence, written as XLSX or CSV."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd

from evidence.domain import DocumentAnalysis
from evidence.reporting.render import analyses_to_rows, shortlist_rows

SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
WIDTH_SAMPLE_ROWS = 200  # column widths are measured on the first rows only: enough to size them, fast on big batches
MIN_WIDTH, MAX_WIDTH = 8, 80  # in characters: narrow columns stay clickable, long statements do not run off-screen


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
    """Tables as one workbook, a sheet each, with readable column widths and a frozen header row."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:SHEET_NAME_LIMIT]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes = "A2"
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(WIDTH_SAMPLE_ROWS)])
                letter = sheet.cell(row=1, column=i).column_letter
                sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes that Excel opens as UTF-8 (thanks to the byte-order mark)."""
    return frame.to_csv(index=False).encode("utf-8-sig")
