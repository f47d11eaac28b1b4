"""A framework table file (CSV, TSV, XLSX) read as a framework: the sheet, the header row, the layout.

The file is read as rows of text (:func:`evidence.io.tables.read_sheets`: any of the encodings and separators
HR teams save in). Then, for the sheet asked for, or else each sheet in turn until one reads as a framework:
the header row is found (title rows above it are skipped), each column's part told from its header
(:mod:`~evidence.frameworks.columns`), the layout told (an indicator column: long; level columns: a grid;
or as the person says), and the rows read (:mod:`~evidence.frameworks.tables`, :mod:`~evidence.frameworks.grids`).

Each sheet's problems are reported all at once; when no sheet reads, every sheet's problems are. What the
reader decided (the sheet, the layout, the levels, the encoding) is said in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence.domain import Framework
from evidence.errors import FrameworkError
from evidence.frameworks.catalogue import framework_from_dict, read_framework_bytes
from evidence.frameworks.columns import Columns, Table, find_columns, find_header_row
from evidence.frameworks.grids import read_grid
from evidence.frameworks.options import Layout, TableOptions
from evidence.frameworks.problems import Problems, Wording
from evidence.frameworks.tables import read_long
from evidence.io.cells import restore
from evidence.io.tables import LEGACY_CODEC, LEGACY_NAME, TableProblem, find_sheet, read_sheets

# The parts a person can name a column for, and what a header that names each one reads like.
NAMEABLE = {"competency": '"Competency" (or Capability, Skill)',
            "indicator": '"Indicator" (or Behaviour, Descriptor, Criterion)',
            "level": '"Level" (or Grade, Proficiency, Band)', "group": '"Group" (or Cluster, Category, Area)',
            "description": '"Description" (or Definition)'}


@dataclass
class Sheet:
    """One sheet of a table file as rows of text (a CSV file is one sheet named '')."""

    name: str
    rows: list[list[str]]
    encoding: str = ""


def read_table_sheets(path: Path, *, max_rows: int) -> list[Sheet]:
    """Every sheet of a table file, refused past the framework file size limit or ``max_rows`` rows."""
    try:
        frames = read_sheets(read_framework_bytes(path), filename=str(path), header=False)
    except TableProblem as exc:
        raise FrameworkError(exc.problem, source=str(path), fix=exc.fix) from exc
    sheets = []
    for name, frame in frames:
        # cells our exports quoted so no spreadsheet runs them as formulas are read back as written (io.cells)
        rows = [[str(restore(str(v))) for v in row] for row in frame.itertuples(index=False, name=None)]
        count = max(0, sum(1 for row in rows if any(cell.strip() for cell in row)) - 1)  # below the header
        if count > max_rows:
            raise FrameworkError(f"the file has {count:,} rows, over the {max_rows:,}-row limit for a framework",
                                 source=str(path), fix="split the framework into smaller files")
        sheets.append(Sheet(name, rows, str(frame.attrs.get("encoding", ""))))
    return sheets


def table_framework(sheets: list[Sheet], *, framework_id: str, name: str, source: str, options: TableOptions,
                    wording: Wording, notes: list[str]) -> Framework:
    """The framework in the sheet ``options.sheet`` names, or in the first sheet that reads as one."""
    if sheets and sheets[0].encoding == LEGACY_CODEC:
        notes.append(f"read as {LEGACY_NAME}: the file is not UTF-8 (if letters look wrong, save it as 'CSV UTF-8')")
    names = [s.name for s in sheets]
    several = len(sheets) > 1
    if options.sheet is not None and sheets and sheets[0].name:
        chosen = find_sheet(options.sheet, names)
        if chosen is None:
            raise FrameworkError(f"the workbook has no sheet {options.sheet!r}; its sheets are {names}", source=source,
                                 fix=f"give one of these names, or a number from 1 to {len(names)}, "
                                     f"{wording.via('sheet')}")
        sheets = [s for s in sheets if s.name == chosen]
    failures: list[tuple[str, FrameworkError]] = []
    for sheet in sheets:
        tried: list[str] = []
        try:
            framework = _sheet_framework(sheet, label=sheet.name if several else "", framework_id=framework_id,
                                         name=name, source=source, options=options, wording=wording, notes=tried)
        except FrameworkError as exc:
            failures.append((sheet.name, exc))
            continue
        if several:
            skipped = "".join(f"; sheet {n!r} was not: {_first_line(e)}" for n, e in failures)
            notes.append(f"read sheet {sheet.name!r} ({names.index(sheet.name) + 1} of {len(names)}){skipped}; "
                         f"choose another {wording.via('sheet')}")
        notes.extend(tried)
        return framework
    if len(failures) == 1:
        raise failures[0][1]
    listed = "".join(f"\n  sheet {n!r}: " + _problem_text(e).replace("\n", "\n    ") for n, e in failures)
    raise FrameworkError(f"no sheet reads as a framework:{listed}", source=source,
                         fix=f"correct the sheet that holds the framework, and choose it {wording.via('sheet')}")


def _first_line(error: FrameworkError) -> str:
    return _problem_text(error).splitlines()[0]


def _problem_text(error: FrameworkError) -> str:
    return ": ".join(p for p in (error.path, error.problem) if p)


def _sheet_framework(sheet: Sheet, *, label: str, framework_id: str, name: str, source: str,
                     options: TableOptions, wording: Wording, notes: list[str]) -> Framework:
    problems = Problems(source)
    if not any(cell.strip() for row in sheet.rows for cell in row):
        raise FrameworkError("the sheet is empty" if label else "the file is empty", source=source,
                             fix="write a header row (Competency, Indicator, ...) and one row per indicator")
    header = find_header_row(sheet.rows, named=options.columns)
    table = Table.from_rows(sheet.rows, header=header)  # a failing sheet's problems are listed under its name
    columns = find_columns(table.headers, named=options.columns, has_text=table.has_text())
    layout = _layout(columns, options.layout, wording, problems)
    problems.raise_any()
    if not table.rows:
        raise FrameworkError("the table has no rows below its header", source=source,
                             fix="add one row per indicator (or, in a grid, per competency) below the header")
    if header:
        notes.append(f"the header is row {header + 1}; the rows above it are not read")
    notes.extend(f"read {guess}" for guess in columns.guessed)
    if columns.ignored:
        notes.append(f"columns not read: {', '.join(columns.ignored)}")
    reader = read_grid if layout is Layout.grid else read_long
    build = reader(table, columns, levels=options.levels, wording=wording, problems=problems, notes=notes)
    if not build.competencies and not problems:
        problems.add("", "the table has no competencies", "add one row per indicator below the header")
    problems.raise_any()
    levels = ", ".join(build.scale.names()) or "none"
    notes.append(f"layout: {layout.value}; levels, lowest first: {levels}")
    return framework_from_dict(build.data(framework_id=framework_id, name=name, source=source), source=source)


def _layout(columns: Columns, layout: Layout, wording: Wording, problems: Problems) -> Layout:
    """The layout to read (the one asked for, else told from the columns); header problems go to ``problems``."""
    found = [h for h in columns.headers if h.strip()]
    for part, given in columns.missing.items():
        problems.add("the header row", f"no column is headed {given!r} (given as the {part} column); the "
                     f"columns are {found}", f"give one of these names {wording.via(part + '_column')}")
    for part, headers in columns.ambiguous.items():
        if part in NAMEABLE:
            problems.add("the header row", f"columns {' and '.join(repr(h) for h in headers)} all look like the "
                         f"{part} column", f"name the one to read {wording.via(part + '_column')}")
    if "competency" not in columns.roles and "competency" not in columns.missing:
        problems.add("the header row", f"no competency column; the columns are {found}",
                     f"head the competencies' column {NAMEABLE['competency']}, or name it "
                     f"{wording.via('competency_column')}")
    has_indicators = "indicator" in columns.roles or "negative" in columns.roles
    if layout is Layout.auto:
        layout = Layout.long if "indicator" in columns.roles or (has_indicators and not columns.levels) \
            else Layout.grid if columns.levels else Layout.long
    if layout is Layout.long and not has_indicators and "indicator" not in columns.missing:
        problems.add("the header row", f"no indicator column{'' if columns.levels else ' and no level columns'}; "
                     f"the columns are {found}",
                     f"head the indicators' column {NAMEABLE['indicator']} (one indicator a row), or name it "
                     f"{wording.via('indicator_column')}; or give each level a column of its own and "
                     f"choose {wording.set_to('layout', 'grid')}")
    if layout is Layout.grid and not columns.levels and "negative" not in columns.roles:
        problems.add("the header row", f"no level columns for a grid; the columns are {found}",
                     "head one column per level with the level's name (Level 1, Foundation, B...), or choose "
                     f"{wording.set_to('layout', 'long')} for one indicator a row")
    return layout
