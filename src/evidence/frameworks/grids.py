"""Grid framework tables: one competency per row, one column per level, each cell a list of indicators.

This is how most frameworks are published (a Word or Excel table): a competency column, optionally
description and group columns, then a column per level whose header names the level (``Level 1 (AA/AO)``,
``Foundation``, ``B``). Each cell is split into indicators on bullets and line breaks
(:mod:`~evidence.frameworks.bullets`). A column whose header says "negative" or "ineffective" holds negative
indicators: of the level it names (``Level 2 - negative``), or of no level (``Negative indicators``).

The levels are ordered as the person gives them (``--levels``; columns of other names are then not read), else
as the columns run, left to right (lowest first; a grid whose numbered columns run from the highest down is
read lowest first). A grid with a single column of indicators has no levels. A row with nothing but a name
heads the competencies below it (a cluster), where there is no group column; a competency cell of several
lines gives the name (its first line) and a description (the rest).
"""

from __future__ import annotations

from evidence.frameworks.builder import FrameworkBuilder
from evidence.frameworks.bullets import is_empty_cell, name_and_rest, split_indicators
from evidence.frameworks.columns import Columns, LevelColumn, Table
from evidence.frameworks.levels import Scale, descending_by_number
from evidence.frameworks.problems import Problems, Wording


def read_grid(table: Table, columns: Columns, *, levels: tuple[str, ...] | None, wording: Wording,
              problems: Problems, notes: list[str]) -> FrameworkBuilder:
    """The framework in a grid; its problems are added to ``problems``."""
    scale, used = _scale(columns, levels, wording, problems, notes)
    build = FrameworkBuilder(scale)
    comp_col = columns.roles["competency"]

    def cell(row: list[str], part: str) -> str:
        return row[columns.roles[part]].strip() if part in columns.roles else ""

    last: dict | None = None
    heading, heading_row = "", -1  # a row that names a cluster of the competencies below it
    counts: dict[str, tuple[int, int]] = {}  # competency id -> (indicators, first row)
    for r, row in enumerate(table.rows):
        name, more = name_and_rest(row[comp_col])
        content = [(column, level, row[column.index]) for column, level in used
                   if not is_empty_cell(row[column.index])]
        description = cell(row, "description") or more
        if name and not content and not description and "group" not in columns.roles:
            heading, heading_row = name, r  # a cluster's heading row: nothing in it but its name
            continue
        if not name:
            if last is None:
                problems.add(table.where(r, comp_col), "the competency cell is empty",
                             "write the competency this row describes")
                continue
            comp = last  # a row below a competency with its name left out: merged cells, more of the same
        else:
            comp = build.competency(name, description=description, group=cell(row, "group") or heading)
            last = comp
        before = len(comp["indicators"])
        for column, level, text in content:
            for indicator in split_indicators(text):
                build.indicator(comp, indicator, level=level, polarity="negative" if column.negative else "positive")
        added, first = counts.get(comp["id"], (0, r))
        counts[comp["id"]] = (added + len(comp["indicators"]) - before, first)
    for comp_id, (added, first) in counts.items():
        if not added:
            problems.add(table.where(first, comp_col), f"competency {build.competencies[comp_id]['name']!r} has no "
                         "indicators: every level cell of its row is empty",
                         "write its indicators in the level columns, or delete the row")
    if heading_row >= 0 and heading_row > max((first for _, first in counts.values()), default=-1):
        problems.add(table.where(heading_row, comp_col), f"{heading!r} has no indicators and no competencies "
                     "below it", "write its indicators in the level columns, or delete the row")
    if build.groups and "group" not in columns.roles:
        notes.append(f"rows with nothing but a name read as the headings of the competencies below them: "
                     f"{', '.join(g['name'] for g in build.groups.values())}")
    return build


def _scale(columns: Columns, levels: tuple[str, ...] | None, wording: Wording, problems: Problems,
           notes: list[str]) -> tuple[Scale, list[tuple[LevelColumn, str | None]]]:
    """The scale, and each level column read with the id of its level (None: indicators without a level)."""
    levelless = []
    if "negative" in columns.roles:  # "Negative indicators": negative indicators of no particular level
        index = columns.roles["negative"]
        levelless.append((LevelColumn(index, columns.headers[index], "", negative=True), None))
    scale, used = _levels(columns, levels, wording, problems, notes)
    return scale, used + levelless


def _levels(columns: Columns, levels: tuple[str, ...] | None, wording: Wording, problems: Problems,
            notes: list[str]) -> tuple[Scale, list[tuple[LevelColumn, str | None]]]:
    if levels:
        scale = Scale(levels)
        used = [(c, scale.resolve(c.level)) for c in columns.levels]
        left_out = [c.header for c, lv in used if lv is None]
        used = [(c, lv) for c, lv in used if lv is not None]
        if not used:
            problems.add("the header row", f"no column is headed with one of the levels given ({', '.join(levels)}); "
                         f"the columns are {[h for h in columns.headers if h.strip()]}",
                         f"give the level names as the column headers write them {wording.via('levels')}")
        elif left_out:
            notes.append(f"columns not read (not one of the levels given): {', '.join(left_out)}")
        return scale, used
    positive = [c for c in columns.levels if not c.negative]
    if len(columns.levels) == 1 and not columns.levels[0].negative:  # one column of indicators: no levels
        notes.append(f'one column of indicators ("{positive[0].header}"): read without levels')
        return Scale([]), [(positive[0], None)]
    names = [c.level for c in positive]
    if descending_by_number(names):
        notes.append("the level columns run from the highest number down; levels are ordered lowest first "
                     f"(choose the order {wording.via('levels')})")
        names = names[::-1]
    names += [c.level for c in columns.levels if c.negative and c.level]
    scale = Scale.from_values(names, ordered=True)
    return scale, [(c, scale.resolve(c.level) if c.level else None) for c in columns.levels]
