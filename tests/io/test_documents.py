"""Reading statements from files."""

from __future__ import annotations

from pathlib import Path


def test_docx_and_pdf_are_read(tmp_path: Path) -> None:
    import docx

    from evidence.io.documents import read_document

    document = docx.Document()
    document.add_paragraph("Supporting statement")
    document.add_paragraph("Trained six volunteers", style="List Bullet")
    document.add_heading("Development for next year", level=2)
    document.save(tmp_path / "s.docx")
    assert read_document(tmp_path / "s.docx").text == ("Supporting statement\n- Trained six volunteers\n"
                                                       "## Development for next year")
