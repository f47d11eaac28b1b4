"""Reading statements from files."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from evidence.domain import Document
from evidence.errors import InputError
from evidence.io import documents, limits, tables
from evidence.io.documents import documents_from_table, iter_documents, read_document


def test_docx_and_pdf_are_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Supporting statement")
    document.add_paragraph("Trained six volunteers", style="List Bullet")
    document.add_heading("Development for next year", level=2)
    document.save(tmp_path / "s.docx")
    assert read_document(tmp_path / "s.docx").text == ("Supporting statement\n- Trained six volunteers\n"
                                                       "## Development for next year")


# -- the reading boundary (issue 13: D03, D10, D11, D13) ------------------------------------------------------


STATEMENT = "I led a team of five volunteers and we ran the drop-in every week."


def set_limits(monkeypatch: pytest.MonkeyPatch, **changes: int) -> None:
    """Smaller reading limits for one test, everywhere they are read."""
    smaller = replace(limits.LIMITS, **changes)
    for module in (limits, tables, documents):
        monkeypatch.setattr(module, "LIMITS", smaller)


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs or (STATEMENT,):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def forged_zip_bomb(declared: int = 2**31 - 1) -> bytes:
    """A ~300-byte .docx whose one part claims to unpack to ``declared`` bytes (the sizes are patched in both
    headers, as a bomb's would be real): refused from the zip directory alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>" * 4)
    data = bytearray(buffer.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = forged_zip_bomb()
    assert len(bomb) < 400
    with pytest.raises(InputError, match=r"bomb\.docx: the Word document would unpack to 2,048\.0 MiB"):
        read_document(bomb, filename="bomb.docx")
    buffer = io.BytesIO()  # a real one: 11 MiB of zeros deflate ~1000 times
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (11 * 1024 * 1024))
    with pytest.raises(InputError, match="would inflate .* times"):
        read_document(buffer.getvalue(), filename="ratio.docx")


def test_a_damaged_docx_or_pdf_is_an_input_error_naming_the_file() -> None:
    good = docx_bytes()
    assert read_document(good, filename="ok.docx").text == STATEMENT
    # a wrong root element: python-docx opens it, then fails with AttributeError (D03)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = b'<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
            target.writestr(item, data)
    with pytest.raises(InputError, match=r"root\.docx: cannot read it as a Word document"):
        read_document(buffer.getvalue(), filename="root.docx")
    unknown_filter = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                      b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                      b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>endobj\n"
                      b"4 0 obj<</Length 5/Filter/NoSuchDecode>>stream\nxxxxx\nendstream endobj\n"
                      b"trailer<</Root 1 0 R>>\n%%EOF\n")
    with pytest.raises(InputError, match=r"c\.pdf: cannot read it as a PDF"):
        read_document(unknown_filter, filename="c.pdf")


def test_pdf_pages_and_docx_paragraphs_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=10, height=10)
    buffer = io.BytesIO()
    writer.write(buffer)
    set_limits(monkeypatch, pdf_pages=2, docx_paragraphs=1)
    with pytest.raises(InputError, match="the PDF has 3 pages, over the limit of 2"):
        read_document(buffer.getvalue(), filename="long.pdf")
    with pytest.raises(InputError, match="paragraphs, over the limit of 1"):
        read_document(docx_bytes("One.", "Two."), filename="long.docx")


def test_files_and_table_cells_over_the_limits_are_input_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    set_limits(monkeypatch, file_bytes=100, document_chars=20)
    with pytest.raises(InputError, match="over the limit of 0.0 MiB; split it"):
        read_document(b"x" * 101, filename="big.txt")
    with pytest.raises(InputError, match="characters, over the limit of 20 for one document"):
        read_document(STATEMENT.encode(), filename="long.txt")
    import pandas as pd

    frame = pd.DataFrame({"id": ["a", "b"], "text": ["Short enough.", STATEMENT]})
    docs, problems = documents_from_table(frame, source="batch.csv")
    assert [d.id for d in docs] == ["a"] and "(b): 66 characters" in str(problems[0])


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_is_decoded_not_read_as_windows_1252(codec: str) -> None:
    """D10: Notepad's "Unicode" is UTF-16 with a byte-order mark; without one, the NULs tell it."""
    text = "I led the café's team. ☕"
    raw = text.encode(codec)
    if codec == "utf-16-le":
        raw = text.encode(codec)  # no mark
    assert read_document(raw, filename="u.txt").text == text
    assert tables.read_utf8(raw) == text


def test_stray_nuls_are_not_taken_for_utf16() -> None:
    assert tables.unicode_codec(b"I led\x00 the team of five.") is None


def test_a_folder_reads_only_its_own_regular_files(tmp_path: Path) -> None:
    """D11 and D03: links out of the folder, loops, sub-folders named *.txt, pipes; the rest are read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The password is hunter two, do not read.")
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(STATEMENT)
    (folder / "b.md").write_text(STATEMENT)
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "again.txt").symlink_to(folder, target_is_directory=True)  # a loop
    (folder / "copy.txt").symlink_to(folder / "a.txt")  # the same file twice
    (folder / "nested.txt").mkdir()
    (folder / "nested.txt" / "deep.txt").write_text(STATEMENT)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(folder / "pipe.txt")  # opening it would block for ever
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "\x1b]0;PWNED\x07.txt").write_bytes(b"")
    items = list(iter_documents(folder))
    read = [item for item in items if isinstance(item, Document)]
    problems = {str(item).split(":")[0]: str(item) for item in items if isinstance(item, InputError)}
    assert sorted(d.id for d in read) == ["a", "b"]
    assert "outside the folder" in problems[str(folder / "passwd.txt")]
    assert "folders inside the folder are not read" in problems[str(folder / "again.txt")]
    assert "folders inside the folder are not read" in problems[str(folder / "nested.txt")]
    assert "the same file as a.txt" in problems[str(folder / "copy.txt")]
    assert "cannot read it" in problems[str(folder / "dangling.txt")]
    assert "not a regular file" in problems[str(folder / "pipe.txt")]
    assert "cannot read it as a PDF" in problems[str(folder / "broken.pdf")]
    assert all("\x1b" not in message and "\x07" not in message for message in problems.values())
    assert len(items) == 10


def test_a_path_that_is_not_a_regular_file_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path / "pipe.txt")
    [problem] = list(iter_documents(tmp_path / ("d" * 300 + ".txt")))  # ENAMETOOLONG is a problem, no crash
    assert isinstance(problem, InputError)


def test_a_docx_of_many_paragraphs_reads_in_linear_time() -> None:
    """D13: python-docx's per-paragraph style lookup made 4,000 paragraphs take 12.8 s (16,000: 41.6 s)."""
    import time

    data = docx_bytes(*(f"Line {i} of the statement." for i in range(4000)))
    started = time.perf_counter()
    text = read_document(data, filename="many.docx").text
    assert time.perf_counter() - started < 4.0  # ~0.8 s on a loaded 2-core machine
    assert text.count("\n") == 3999
