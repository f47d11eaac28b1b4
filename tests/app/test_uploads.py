"""Uploads (evidence.app.uploads and the io readers the pages call): tables, statement files, framework files."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.app import uploads
from evidence.errors import FrameworkError, InputError
from evidence.io.documents import documents_from_files, documents_from_table
from evidence.io.tables import read_frame


def test_reading_uploaded_tables_and_choosing_columns() -> None:
    frame = read_frame(b"Applicant ID,Name,Supporting statement\n1,A,long text here\n2,B,x\n3,C,\n", filename="b.csv")
    assert uploads.guess_columns(frame) == ("Applicant ID", "Supporting statement", "Name")
    docs, problems = documents_from_table(frame, id_column="Applicant ID", text_column="Supporting statement",
                                          name_column="Name", source="b.csv")
    assert [(d.id, d.name, d.source) for d in docs] == [("1", "A", "b.csv:2"), ("2", "B", "b.csv:3")]
    assert len(problems) == 1 and "b.csv:4 (3)" in str(problems[0]) and "no text" in str(problems[0])
    with pytest.raises(InputError, match="UTF-8"):  # text that is not UTF-8 reads as Windows-1252 (issue 14); bytes
        read_frame(b"id,text\n1,caf\x81\x00\n", filename="b.csv")  # that are no text at all are refused
    with pytest.raises(InputError, match="missing column"):
        documents_from_table(frame, id_column="id", text_column="text")


def test_a_repeated_id_rejects_the_table() -> None:
    frame = read_frame(b"id,text\n1,first statement\n1,second statement\n", filename="b.csv")
    with pytest.raises(InputError, match=r"repeats \['1'\].*another id column"):
        documents_from_table(frame, id_column="id", text_column="text", source="b.csv")


def test_uploaded_files_become_documents() -> None:
    docs, problems = documents_from_files([("a.txt", b"I led a team."), ("b.txt", b"   "), ("c.exe", b"x")])
    assert [d.id for d in docs] == ["a"] and len(problems) == 2 and "b.txt" in str(problems[0])
    assert (docs[0].name, docs[0].source, docs[0].text) == ("", "a.txt", "I led a team.")
    with pytest.raises(InputError, match="rename one"):
        documents_from_files([("a.txt", b"One."), ("a.md", b"Two.")])


def test_which_uploads_are_tables() -> None:
    assert uploads.is_table("Batch.XLSX") and uploads.is_table("b.csv")
    assert not uploads.is_table("statement.docx") and not uploads.is_table("notes.txt")


def test_importing_names_the_uploaded_file_in_errors() -> None:
    with pytest.raises(FrameworkError) as caught:
        uploads.import_uploaded_framework("mine.csv", b"name\nx\n")
    assert "mine.csv" in str(caught.value) and "/tmp" not in str(caught.value)
    with pytest.raises(InputError, match="unsupported file type"):
        uploads.import_uploaded_framework("mine.exe", b"x")


def test_a_valid_upload_is_checked_without_saving(fresh_home: Path) -> None:
    table = b"competency,indicator,level\nListening,Listens well,1\nListening,Summarises back,2\n"
    framework, stored = uploads.import_uploaded_framework("my-skills.csv", table)
    assert stored is None and framework.competencies[0].name == "Listening"
    assert not (fresh_home / "frameworks" / f"{framework.id}.json").exists()


def test_an_uploaded_word_file_is_read_in_memory(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Trained six volunteers", style="List Bullet")
    path = tmp_path / "statement.docx"
    document.save(path)
    [doc], problems = documents_from_files([("statement.docx", path.read_bytes())])
    assert problems == [] and (doc.id, doc.text) == ("statement", "- Trained six volunteers")
    _, broken = documents_from_files([("broken.pdf", b"not a pdf")])
    assert len(broken) == 1 and str(broken[0]).startswith("broken.pdf: cannot read it as a PDF")
