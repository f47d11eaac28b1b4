"""`evidence frameworks`: list, show, validate, import and export competency frameworks."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FormatOption, LevelsOption, OutputFormat, OutputOption, say, write_output

if TYPE_CHECKING:
    from evidence.domain import Framework
    from evidence.frameworks.options import ColumnNames

app = typer.Typer(help="List, show, validate, import and export competency frameworks.", no_args_is_help=True)


class ExportFormat(str, Enum):
    csv = "csv"
    case = "case"


class TableLayout(str, Enum):
    auto = "auto"
    long = "long"
    grid = "grid"


# How a framework table is read, where its headers do not say (validate and import take the same options).
LayoutOption = Annotated[TableLayout, typer.Option(
    help="long: one indicator a row; grid: one competency a row and one column per level; auto: told from the "
         "columns.")]
SheetOption = Annotated[str | None, typer.Option(
    help="The workbook sheet to read, by name or number (1 = the first); default: the first that reads.")]
CompetencyColumn = Annotated[str | None, typer.Option(help="Header of the column of competencies.")]
IndicatorColumn = Annotated[str | None, typer.Option(help="Header of the column of indicators (long tables).")]
LevelColumn = Annotated[str | None, typer.Option(help="Header of the column of levels (long tables).")]
GroupColumn = Annotated[str | None, typer.Option(help="Header of the column of competency groups.")]
DescriptionColumn = Annotated[str | None, typer.Option(help="Header of the column of competency descriptions.")]


def _counts(fw: Framework) -> str:
    return f"{len(fw.competencies)} competencies, {len(fw.indicators)} indicators"


def _columns(competency: str | None, indicator: str | None, level: str | None, group: str | None,
             description: str | None) -> ColumnNames:
    from evidence.frameworks.options import ColumnNames  # lazy: see the evidence.cli docstring

    return ColumnNames(competency=competency, indicator=indicator, level=level, group=group, description=description)


def _say_notes(notes: list[str]) -> None:
    for note in notes:
        say(f"note: {note}")


@app.command("list")
def frameworks_list(fmt: FormatOption = OutputFormat.text) -> None:
    """List built-in and imported frameworks."""
    from evidence.frameworks.catalogue import list_frameworks  # lazy: see the evidence.cli docstring

    summaries = list_frameworks()
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(summaries, indent=1))
        return
    for s in summaries:
        typer.echo(f"{s['id']:<28} {s['competencies']:>6} competencies {s['indicators']:>6} indicators "
                   f"{s['levels']:>2} levels {s['roles']:>2} roles  {s['origin']:<9} {s['name']}")


@app.command("show")
def frameworks_show(framework_id: Annotated[str, typer.Argument(metavar="ID")],
                    fmt: FormatOption = OutputFormat.text) -> None:
    """Show one framework: levels, competencies with their indicators, roles."""
    from evidence.frameworks.catalogue import get_framework  # lazy: see the evidence.cli docstring
    from evidence.reporting.render import framework_summary, framework_to_json

    fw = get_framework(framework_id)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(framework_to_json(fw), ensure_ascii=False, indent=1))
    else:
        typer.echo(framework_summary(fw))


@app.command("validate")
def frameworks_validate(
    path: Annotated[Path, typer.Argument(metavar="FILE")],
    levels: LevelsOption = None,
    layout: LayoutOption = TableLayout.auto,
    sheet: SheetOption = None,
    competency_column: CompetencyColumn = None,
    indicator_column: IndicatorColumn = None,
    level_column: LevelColumn = None,
    group_column: GroupColumn = None,
    description_column: DescriptionColumn = None,
) -> None:
    """Check a framework file (YAML/JSON, CSV/XLSX table, ESCO CSV, label list, CASE JSON) without importing it.
    Every problem of the file is listed at once."""
    from evidence.frameworks.interchange import import_framework, parse_levels  # lazy: see evidence.cli

    notes: list[str] = []
    fw = import_framework(path, levels=parse_levels(levels), layout=layout.value, sheet=sheet, notes=notes,
                          columns=_columns(competency_column, indicator_column, level_column, group_column,
                                           description_column))
    _say_notes(notes)
    typer.echo(f"ok: {fw.id}: {_counts(fw)}, {len(fw.levels)} levels, {len(fw.roles)} roles")


@app.command("import")
def frameworks_import(
    path: Annotated[Path, typer.Argument(metavar="FILE")],
    framework_id: Annotated[str | None, typer.Option("--id", help="Id to store it under.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    levels: LevelsOption = None,
    layout: LayoutOption = TableLayout.auto,
    sheet: SheetOption = None,
    competency_column: CompetencyColumn = None,
    indicator_column: IndicatorColumn = None,
    level_column: LevelColumn = None,
    group_column: GroupColumn = None,
    description_column: DescriptionColumn = None,
    replace: Annotated[bool, typer.Option(help="Overwrite an imported framework with the same id.")] = False,
    expand: Annotated[bool, typer.Option(help="Expand ESCO skill labels with ESCO's alternative labels and "
                                              "descriptions.")] = True,
) -> None:
    """Import a framework into the data directory ($EVIDENCE_HOME): a long table (one indicator a row), a grid
    (one competency a row, one column per level), an ESCO CSV, a label list, CASE JSON or a framework file.
    Nothing is stored unless the whole file reads; every problem is listed at once."""
    from evidence.frameworks.catalogue import store_imported  # lazy: see the evidence.cli docstring
    from evidence.frameworks.interchange import import_framework, parse_levels

    notes: list[str] = []
    fw = import_framework(path, framework_id=framework_id, name=name, levels=parse_levels(levels), expand_esco=expand,
                          layout=layout.value, sheet=sheet, notes=notes,
                          columns=_columns(competency_column, indicator_column, level_column, group_column,
                                           description_column))
    _say_notes(notes)
    stored = store_imported(fw, replace=replace)
    typer.echo(f"imported {fw.id} ({_counts(fw)}) to {stored}")


@app.command("export")
def frameworks_export(
    framework_id: Annotated[str, typer.Argument(metavar="ID")],
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
    output: OutputOption = None,
) -> None:
    """Export a framework as a CSV table or CASE JSON."""
    from evidence.frameworks.catalogue import get_framework  # lazy: see the evidence.cli docstring
    from evidence.frameworks.interchange import export_framework

    write_output(export_framework(get_framework(framework_id), fmt.value), output)
