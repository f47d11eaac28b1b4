"""What the person importing a framework table can tell the importer where guessing is not possible: the
layout (long or grid), the sheet of a workbook, the level order, and which columns hold what.

The command line (``--layout``, ``--sheet``, ``--levels``, ``--competency-column``...) and the app's import
form fill the same :class:`TableOptions`; everything left out is found from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from evidence.errors import InputError


class Layout(str, Enum):
    """How a table holds a framework.

    * ``long``: one indicator per row (competency, indicator, and optionally level, group, description...);
    * ``grid``: one competency per row and one column per level, each cell a list of indicators;
    * ``auto``: told from the columns: an indicator column makes it long, level columns a grid.
    """

    auto = "auto"
    long = "long"
    grid = "grid"


@dataclass(frozen=True)
class ColumnNames:
    """Header names of the columns that hold each part, where the importer cannot tell them by name.

    A name is matched without regard to case, spaces, punctuation or a byte-order mark."""

    competency: str | None = None
    indicator: str | None = None
    level: str | None = None
    group: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and not isinstance(value, str):
                raise InputError(f"the {f.name} column must be given as its header text, not {type(value).__name__}")
            object.__setattr__(self, f.name, value.strip() or None if isinstance(value, str) else None)

    def given(self) -> dict[str, str]:
        """The parts whose column was named: part -> header name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass(frozen=True)
class TableOptions:
    """Everything the importer of a table may be told; the defaults find it all from the file.

    ``levels`` is the scale, lowest first, matched to the file's level names exactly, in any case, or by their
    slugs (``"Level 1 (AA/AO)"`` = ``"level 1 aa/ao"``); ``sheet`` is a sheet name or a number from 1."""

    layout: Layout = Layout.auto
    sheet: str | None = None
    levels: tuple[str, ...] | None = None
    columns: ColumnNames = ColumnNames()

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "layout", Layout(self.layout or Layout.auto))
        except ValueError:
            raise InputError(f"layout {self.layout!r} is not one of auto, long, grid") from None
        sheet = str(self.sheet).strip() if self.sheet is not None else ""
        object.__setattr__(self, "sheet", sheet or None)
        levels = tuple(str(v).strip() for v in self.levels or () if str(v).strip())
        object.__setattr__(self, "levels", levels or None)
        if not isinstance(self.columns, ColumnNames):
            raise InputError("columns must be a ColumnNames")
