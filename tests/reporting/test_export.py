"""Batch exports (evidence.reporting.export): the shortlist table, XLSX workbooks and CSV, formulas never live."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd

from evidence.domain import Coverage, CoverageStatus, DocumentAnalysis
from evidence.io.cells import FORMULA_TRIGGERS
from evidence.reporting import export
from tests.factories import FORMULA_PAYLOADS, make_analysis, small_batch


def test_exports_are_readable_workbooks_and_csv() -> None:
    tables = export.export_tables(small_batch())
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(tables)))
    assert workbook.sheetnames == ["Shortlist", "Coverage", "Evidence"]
    assert [c.value for c in workbook["Shortlist"][1]][:3] == ["Rank", "Applicant", "Name"]
    assert workbook["Shortlist"].freeze_panes == "A2"
    csv = export.to_csv(tables["Evidence"]).decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(csv))["competency"].tolist()[0] == "team-working"
    assert export.to_csv(tables["Evidence"]).startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8


def test_long_sheet_names_are_cut_to_excels_limit() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"x" * 40: pd.DataFrame({"a": [1]})})))
    assert workbook.sheetnames == ["x" * export.SHEET_NAME_LIMIT]


def test_blind_shortlists_leave_names_out() -> None:
    assert "Name" not in export.shortlist_frame(small_batch(), show_names=False).columns
    named = export.shortlist_frame(small_batch())
    assert list(named["Rank"]) == [1, 2] and list(named["Name"]) == ["Ann Example", "Bob Example"]


def test_requirement_cells_read_as_words() -> None:
    assert export.status_cell("partly met (2/3)") == "partly met: 2 of 3"
    assert export.status_cell("met (4/3)") == "met: 4" and export.status_cell("met (-/-)") == "met"
    assert export.status_cell("missing (-/3)") == "missing: needs 3"
    assert export.status_cell("missing (-/-)") == "missing"
    assert export.status_cell("other") == "other"


# -- formula injection (reliability review, D08) -----------------------------------------------------------


def hostile_batch() -> list[DocumentAnalysis]:
    """One applicant per payload: the payload is the id, the name, the sentence and a competency's name (an admin's
    framework text, which becomes a shortlist column header and a coverage cell)."""
    batch = [make_analysis(p, [(p, [("team-working", "3", 0.8)])], name=p) for p in FORMULA_PAYLOADS]
    for analysis, payload in zip(batch, FORMULA_PAYLOADS, strict=True):
        analysis.coverage = [Coverage(competency="team-working", name=payload, required="2", evidenced="3",
                                      status=CoverageStatus.met)]
    return batch


def test_csv_exports_write_every_formula_payload_as_quoted_text() -> None:
    for show_names in (True, False):
        tables = export.export_tables(hostile_batch(), show_names=show_names)
        for name in ("Shortlist", "Evidence", "Coverage"):
            rows = list(csv.reader(io.StringIO(export.to_csv(tables[name]).decode("utf-8-sig"), newline="")))
            cells = [cell for row in rows for cell in row]
            assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)], name
    shortlist = export.to_csv(export.export_tables(hostile_batch())["Shortlist"]).decode("utf-8-sig")
    assert "'=HYPERLINK(" in shortlist and "'@SUM(1+1)" in shortlist and "'\t=1+1" in shortlist


def test_xlsx_export_holds_no_formula_cell() -> None:
    tables = export.export_tables(hostile_batch())
    tables["Headers"] = pd.DataFrame({"=SUM(1+1)": ["=1+1"], "Score": [-0.5]})  # a competency name as a header
    data = export.to_xlsx(tables)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=HYPERLINK(" in " ".join(values) and not [v for v in values if v.startswith(FORMULA_TRIGGERS)]
    assert workbook["Headers"]["A1"].value == "'=SUM(1+1)" and workbook["Headers"]["B2"].value == -0.5
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_xlsx_export_survives_control_characters() -> None:
    """openpyxl refuses control characters (IllegalCharacterError); a statement holding one is still exported."""
    batch = [make_analysis("X1", [("I led\x01 the team\x1b[31m.", [("team-working", "3", 0.8)])])]
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(export.export_tables(batch))))
    assert "I led\ufffd the team\ufffd[31m." in [c.value for row in workbook["Evidence"].iter_rows() for c in row]
