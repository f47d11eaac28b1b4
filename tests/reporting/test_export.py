"""Batch exports (evidence.reporting.export): the shortlist table, XLSX workbooks and CSV."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from evidence.reporting import export
from tests.factories import small_batch


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
