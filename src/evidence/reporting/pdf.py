"""A Markdown report as a plain A4 PDF, drawn with matplotlib (already a dependency: no PDF library needed)."""

from __future__ import annotations

import io
import re
import textwrap

LINES_PER_PAGE = 58  # at 9.5 pt body text this fills an A4 page between the top margin and the page number
A4_INCHES = (8.27, 11.69)
BODY_SIZE = 9.5
HEADING_SIZES = {1: 15.0, 2: 12.5}  # other heading levels: 11 pt
HEADING_WRAP, BODY_WRAP = 70, 100  # characters per line that fit the page width at those sizes

Line = tuple[str, float, str]  # (text, font size, weight)


def pdf_report(markdown_text: str, *, title: str = "Evidence report") -> bytes:
    """A plain A4 PDF of a Markdown report (matplotlib's PdfPages; no extra dependencies)."""
    import matplotlib  # imported here: about 0.3 s (python -X importtime), and only a PDF download needs it

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines = pdf_lines(markdown_text)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "evidence"}) as pdf:
        for start in range(0, max(len(lines), 1), LINES_PER_PAGE):
            fig = plt.figure(figsize=A4_INCHES)
            y = 0.95
            for text, size, weight in lines[start:start + LINES_PER_PAGE]:
                # parse_math=False: a statement's "$...$" is text, not mathtext (a "$\frac{1}$" raised ValueError)
                fig.text(0.07, y, text, fontsize=size, fontweight=weight, family="DejaVu Sans", va="top",
                         parse_math=False)
                y -= 0.0155 * (size / BODY_SIZE)
            fig.text(0.93, 0.03, f"page {start // LINES_PER_PAGE + 1}", fontsize=8, ha="right", color="#777")
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def pdf_lines(markdown_text: str) -> list[Line]:
    """Markdown lines as (text, font size, weight), wrapped to the page width."""
    out: list[Line] = []
    for raw in markdown_text.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,6})\s+(.*)", line)
        if heading:
            size = HEADING_SIZES.get(len(heading.group(1)), 11.0)
            out.extend((part, size, "bold") for part in textwrap.wrap(heading.group(2), HEADING_WRAP) or [""])
            continue
        line = line.replace("**", "").replace("_", "")
        indent = "    " if line.startswith("- ") else ""
        wrapped = textwrap.wrap(line, BODY_WRAP, subsequent_indent=indent) or [""]
        out.extend((part, BODY_SIZE, "normal") for part in wrapped)
    return out
