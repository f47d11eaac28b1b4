"""Markdown reports as PDF (evidence.reporting.pdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from evidence.reporting import pdf


def test_pdf_report_is_a_pdf() -> None:
    data = pdf.pdf_report("# Title\n\n- a sentence that is long enough " * 40)
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_markdown_lines_are_styled_and_wrapped() -> None:
    lines = pdf.pdf_lines("# Title\n\nSome **bold** text\n- " + "word " * 60)
    assert lines[0] == ("Title", pdf.HEADING_SIZES[1], "bold")
    assert ("Some bold text", pdf.BODY_SIZE, "normal") in lines
    bullet = [text for text, _, _ in lines if text.startswith("- ") or text.startswith("    word")]
    assert len(bullet) >= 2 and all(len(text) <= pdf.BODY_WRAP for text in bullet)


def test_a_long_report_gets_more_pages() -> None:
    assert len(PdfReader(io.BytesIO(pdf.pdf_report("line\n" * 10))).pages) == 1
    assert len(PdfReader(io.BytesIO(pdf.pdf_report("line\n" * (pdf.LINES_PER_PAGE * 2 + 1)))).pages) == 3


def test_dollar_signs_in_a_statement_are_text_not_mathtext() -> None:
    """matplotlib read "$...$" as mathtext: a statement holding "$\\frac{1}$" raised ValueError and, since My
    evidence draws its PDF on every view, broke the page."""
    data = pdf.pdf_report("# Report\n\n- \"I cut costs from $\\frac{1}$ to $x^$ and $5.\" — matches: _budgets_")
    assert data.startswith(b"%PDF")
    assert "$\\frac{1}$" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
