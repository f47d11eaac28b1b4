"""Reading tables (evidence.io.tables): a path, bytes and a stream give the same frame; problems say how to fix."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import InputError
from evidence.io.documents import iter_documents, read_table_documents
from evidence.io.tables import TableProblem, decode_table, read_frame, read_sheets, read_utf8, sniff_separator

CSV = "\ufeffid , text\n1, I led the team. \n2,\"Commas, quoted\"\n3,\n".encode()


def test_path_bytes_and_stream_give_the_same_frame(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_bytes(CSV)
    from_path = read_frame(path)
    assert list(from_path.columns) == ["id", "text"]
    assert from_path.to_dict("records") == [{"id": "1", "text": "I led the team."},
                                            {"id": "2", "text": "Commas, quoted"}, {"id": "3", "text": ""}]
    pd.testing.assert_frame_equal(read_frame(CSV, filename="batch.csv"), from_path)
    stream = io.BytesIO(CSV)
    stream.name = "batch.csv"
    pd.testing.assert_frame_equal(read_frame(stream), from_path)
    pd.testing.assert_frame_equal(read_frame(CSV), from_path)  # no name: read as CSV


def test_tsv_and_xlsx_follow_the_file_name(tmp_path: Path) -> None:
    tsv = b"id\ttext\n1\tA, B\n"
    assert read_frame(tsv, filename="b.tsv").to_dict("records") == [{"id": "1", "text": "A, B"}]
    path = tmp_path / "b.xlsx"
    pd.DataFrame({"id": [1, 2], "text": [" first ", None]}).to_excel(path, index=False)
    from_path = read_frame(path)
    assert from_path.to_dict("records") == [{"id": "1", "text": "first"}, {"id": "2", "text": ""}]
    pd.testing.assert_frame_equal(read_frame(path.read_bytes(), filename="upload.XLSX"), from_path)


def test_problems_say_what_to_do() -> None:
    # text that is not UTF-8 is read as Windows-1252 since issue 14 (below); bytes that are not text are refused
    with pytest.raises(TableProblem, match="line 2 cannot be decoded") as caught:
        read_frame(b"id,text\n1,caf\x81\x00\x01\n", filename="b.csv")
    assert isinstance(caught.value, InputError) and "UTF-8" in caught.value.fix
    with pytest.raises(TableProblem, match="cannot read the spreadsheet"):
        read_frame(b"not a workbook", filename="b.xlsx")
    with pytest.raises(TableProblem, match="cannot parse the table"):
        read_frame(b"", filename="b.csv")
    with pytest.raises(TableProblem, match="cannot read the file"):
        read_utf8(Path("/nonexistent/b.csv"))
    assert read_utf8(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"


def test_a_table_of_statements_reads_the_same_from_a_path_or_an_upload(tmp_path: Path) -> None:
    """One policy for table rows (evidence.io.documents): a row without text is a problem, a repeated id an error."""
    path = tmp_path / "batch.csv"
    path.write_bytes(b"id,name,text\nC1,Jo,I led the team.\n,Sam,I built a network.\nC3,Ann,\n")
    streamed = list(iter_documents(path))
    problems = [item for item in streamed if isinstance(item, InputError)]
    documents = [item for item in streamed if not isinstance(item, InputError)]
    assert [(d.id, d.name, d.source) for d in documents] == [("C1", "Jo", f"{path}:2"), ("row-3", "Sam", f"{path}:3")]
    assert len(problems) == 1 and "(C3): no text" in str(problems[0])
    uploaded, upload_problems = read_table_documents(path.read_bytes(), filename="batch.csv")
    assert [(d.id, d.name, d.text) for d in uploaded] == [(d.id, d.name, d.text) for d in documents]
    assert [d.source for d in uploaded] == ["batch.csv:2", "batch.csv:3"] and len(upload_problems) == 1
    path.write_bytes(b"id,text\nC1,one\nC1,two\n")
    [error] = list(iter_documents(path))
    assert isinstance(error, InputError) and "repeats ['C1']" in str(error)


def test_utf16_tables_are_read_and_limits_hold(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Excel's "Unicode text" is UTF-16 with a mark (D10); rows, file size and unpacked size are limited (D13)."""
    from dataclasses import replace

    from evidence.io import limits, tables

    unicode_text = "id\ttext\n1\tI led the café's team.\n".encode("utf-16")
    assert read_frame(unicode_text, filename="b.tsv").to_dict("records") == [{"id": "1",
                                                                              "text": "I led the café's team."}]
    smaller = replace(limits.LIMITS, table_rows=2, file_bytes=200)
    monkeypatch.setattr(limits, "LIMITS", smaller)
    monkeypatch.setattr(tables, "LIMITS", smaller)
    assert len(read_frame(b"id,text\n1,a\n2,b\n", filename="b.csv")) == 2
    with pytest.raises(TableProblem, match="more than 2 rows"):
        read_frame(b"id,text\n1,a\n2,b\n3,c\n", filename="b.csv")
    with pytest.raises(TableProblem, match="over the limit"):
        read_frame(io.BytesIO(b"id,text\n" + b"1,a\n" * 60), filename="b.csv")
    monkeypatch.setattr(limits, "LIMITS", replace(smaller, file_bytes=10**6, unzipped_bytes=1000))
    path = tmp_path / "b.xlsx"
    pd.DataFrame({"id": range(200), "text": ["I led the team."] * 200}).to_excel(path, index=False)
    with pytest.raises(TableProblem, match="the spreadsheet would unpack to"):
        read_frame(path)


# -- encodings, separators and sheets (issue 14) -------------------------------------------------------------

CAFE = "id,text\n1,café – the owner’s team\n"


@pytest.mark.parametrize(("encoding", "codec"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("cp1252", "cp1252"),
])
def test_each_encoding_reads_the_same_table(encoding: str, codec: str) -> None:
    frame = read_frame(CAFE.encode(encoding), filename="b.csv")
    assert frame.to_dict("records") == [{"id": "1", "text": "café – the owner’s team"}]
    assert frame.attrs["encoding"] == codec
    assert decode_table(CAFE.encode(encoding))[1] == codec


def test_windows_1252_is_read_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="evidence.io.tables"):
        read_frame(CAFE.encode("cp1252"), filename="batch.csv")
    assert any("batch.csv is not UTF-8: read it as Windows-1252" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_told_from_the_file(separator: str) -> None:
    row = separator.join(["1", "Jo", '"I led, and I planned; well"'])
    text = separator.join(["id", "name", "text"]) + "\n" + row + "\n"
    assert sniff_separator(text) == separator
    assert read_frame(text.encode(), filename="b.csv").to_dict("records") == [
        {"id": "1", "name": "Jo", "text": "I led, and I planned; well"}]


def test_a_single_column_or_an_unclear_table_stays_comma_separated() -> None:
    assert sniff_separator("text\nI led; the team\n") == ","
    assert read_frame(b"text\nI led; the team\n", filename="b.csv").to_dict("records") == [{"text": "I led; the team"}]


def test_every_sheet_of_a_workbook_and_one_by_name_or_number(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"a": ["1"]}).to_excel(writer, sheet_name="First", index=False)
        pd.DataFrame({"b": ["2"]}).to_excel(writer, sheet_name="Second", index=False)
    assert [(name, list(frame.columns)) for name, frame in read_sheets(path)] == [("First", ["a"]), ("Second", ["b"])]
    assert list(read_frame(path).columns) == ["a"]
    assert list(read_frame(path, sheet="second").columns) == ["b"] == list(read_frame(path, sheet=2).columns)
    with pytest.raises(TableProblem, match=r"no sheet 'Third'; its sheets are \['First', 'Second'\]"):
        read_frame(path, sheet="Third")
    assert read_sheets(b"a,b\n1,2\n", filename="b.csv")[0][0] == ""


def test_without_a_header_ragged_rows_are_kept() -> None:
    frame = read_frame(b"My framework\n\nCompetency,Indicator\nA,does a\n", filename="f.csv", header=False)
    # the blank line stays a row: a problem's row number is the file's
    assert frame.values.tolist() == [["My framework", ""], ["", ""], ["Competency", "Indicator"], ["A", "does a"]]


def test_tabs_inside_quoted_cells_do_not_make_a_comma_table_tab_separated() -> None:
    """A grid pasted from Word: its bullets are followed by tabs, inside quoted multi-line cells."""
    cell = '"•\tPlans work\n•\tReviews work"'
    text = "Competency,Level 1,Level 2\n" + "".join(f"Skill {n},{cell},{cell}\n" for n in range(5))
    assert sniff_separator(text) == ","
    assert sniff_separator("Our framework\n\nCompetency;Level 1;Level 2\nA;x, y;z\n") == ";"  # a title line above
