"""Reading tables (evidence.io.tables): a path, bytes and a stream give the same frame; problems say how to fix."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import InputError
from evidence.io.documents import iter_documents, read_table_documents
from evidence.io.tables import TableProblem, read_frame, read_utf8

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
    with pytest.raises(TableProblem, match="line 2 cannot be decoded") as caught:
        read_frame("id,text\n1,caf\xe9\n".encode("latin-1"), filename="b.csv")
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
