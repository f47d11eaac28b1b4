"""`evidence frameworks`: list, show, validate, import and export competency frameworks."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FormatOption, LevelsOption, OutputFormat, OutputOption, write_output

if TYPE_CHECKING:
    from evidence.domain import Framework

app = typer.Typer(help="List, show, validate, import and export competency frameworks.", no_args_is_help=True)


class ExportFormat(str, Enum):
    csv = "csv"
    case = "case"


def _counts(fw: Framework) -> str:
    return f"{len(fw.competencies)} competencies, {len(fw.indicators)} indicators"


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
def frameworks_validate(path: Annotated[Path, typer.Argument(metavar="FILE")], levels: LevelsOption = None) -> None:
    """Check a framework file (YAML/JSON, CSV/XLSX table, ESCO CSV, label list, CASE JSON) without importing it."""
    from evidence.frameworks.interchange import import_framework, parse_levels  # lazy: see evidence.cli

    fw = import_framework(path, levels=parse_levels(levels))
    typer.echo(f"ok: {fw.id}: {_counts(fw)}, {len(fw.levels)} levels, {len(fw.roles)} roles")


@app.command("import")
def frameworks_import(
    path: Annotated[Path, typer.Argument(metavar="FILE")],
    framework_id: Annotated[str | None, typer.Option("--id", help="Id to store it under.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    levels: LevelsOption = None,
    replace: Annotated[bool, typer.Option(help="Overwrite an imported framework with the same id.")] = False,
    expand: Annotated[bool, typer.Option(help="Expand ESCO skill labels with ESCO's alternative labels and "
                                              "descriptions.")] = True,
) -> None:
    """Import a framework into the data directory ($EVIDENCE_HOME)."""
    from evidence.frameworks.catalogue import store_imported  # lazy: see the evidence.cli docstring
    from evidence.frameworks.interchange import import_framework, parse_levels

    fw = import_framework(path, framework_id=framework_id, name=name, levels=parse_levels(levels), expand_esco=expand)
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
