"""Splitting a cell of a published framework (a grid's level cell, a long table's indicator cell, a CASE rubric
level's description) into its indicators.

Frameworks are written in Word and Excel as lists: a bullet (``•``, ``-``, ``*``, ``–``...) or a number
(``1.``, ``1)``, ``a)``, ``(ii)``) starts an indicator, and a line that starts with neither continues the one
before it (a sentence the author broke). A cell without any bullet is one indicator per line, except that a
line starting in lower case continues the line before it. A lead-in line ending in ``:`` above a list ("At
this level you:") introduces the list and is not an indicator. Cells that say there is nothing (``N/A``,
``-``) give no indicators.
"""

from __future__ import annotations

import re

# A list marker at the start of a line, and the space after it: bullets, then numbers and letters with '.'
# or ')', then roman numerals in brackets. A letter or number needs the space after it ("e.g." is no marker).
# Word's symbol-font bullets arrive in pasted text as private-use characters (U+F0B7, U+F0A7...), its second-level
# bullet as a lone "o".
_MARKER = re.compile(r"^\s*(?:[•●○◦▪▫■□‣⁃∙·➢➤►▶→✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc]\s*|[-*–—]\s+|o\s+"
                     r"|\(?\d{1,3}[.)]\s+|\(?[A-Za-z][.)]\s+|\((?:[ivxIVX]{1,5})\)\s+|[ivx]{1,5}\)\s+)")
# Bullets some exports leave inside one line ("• Plans work • Reviews work"): split there too.
_INLINE_BULLET = re.compile(r"\s+[•●▪■➢➤►]\s*")
_NOTHING = {"", "n/a", "na", "none", "not applicable", "-", "–", "—", "nil"}


def is_empty_cell(text: str) -> bool:
    """Whether a cell says there is nothing in it (empty, ``N/A``, a dash)."""
    return text.strip().casefold().rstrip(".") in _NOTHING


def split_indicators(cell: str) -> list[str]:
    """The indicators a cell lists, in order, each on one line with its marker removed."""
    if is_empty_cell(cell):
        return []
    lines = []
    for raw in cell.replace("_x000D_", "").splitlines():
        first, *more = _INLINE_BULLET.split(raw) if _MARKER.match(raw) else [raw]
        lines += [p for p in [first, *(f"• {m}" for m in more)] if p.strip() and p.strip() != "•"]
    marked = [bool(_MARKER.match(line)) for line in lines]
    found: list[str] = []
    started = False  # whether the current indicator is a list item another line may continue
    for line, is_item in zip(lines, marked, strict=True):
        text = " ".join(_MARKER.sub("", line, count=1).split()) if is_item else " ".join(line.split())
        if not text or is_empty_cell(text):
            continue
        if is_item:
            found.append(text)
            started = True
        elif any(marked):
            if started:
                found[-1] = f"{found[-1]} {text}"
            else:  # text above the list: a lead-in ("You will:") or an indicator of its own
                found.append(text)
        elif found and text[:1].islower():
            found[-1] = f"{found[-1]} {text}"
        else:
            found.append(text)
    if any(marked) and found and not marked[0]:
        first = " ".join(lines[0].split())
        if found[0] == first and first.endswith(":"):
            found = found[1:]
    return found


def name_and_rest(cell: str) -> tuple[str, str]:
    """A name cell's first line, and the lines after it as one paragraph (a competency cell that carries its
    definition below its name)."""
    lines = [" ".join(line.split()) for line in cell.strip().splitlines() if line.strip()]
    return (lines[0], " ".join(lines[1:])) if lines else ("", "")
