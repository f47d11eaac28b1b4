"""The `evidence` command line: frameworks, analyse, evaluate, train, models.

Output meant for other tools (``--format json``) goes to stdout; progress and messages go to
stderr. Every expected failure exits with status 2 and a message that says how to fix it.
"""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from evidence.errors import EvidenceError

app = typer.Typer(help="Suggest which competencies, at which level, a text evidences.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
frameworks_app = typer.Typer(help="List, show, validate, import and export competency frameworks.",
                             no_args_is_help=True)
app.add_typer(frameworks_app, name="frameworks")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ExportFormat(str, Enum):
    csv = "csv"
    case = "case"


def _fail(exc: Exception) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(code=2)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


# -- frameworks ----------------------------------------------------------------------------------


@frameworks_app.command("list")
def frameworks_list(fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text) -> None:
    """List built-in and imported frameworks."""
    from evidence.frameworks import list_frameworks

    try:
        summaries = list_frameworks()
    except EvidenceError as exc:
        _fail(exc)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(summaries, indent=1))
        return
    for s in summaries:
        typer.echo(f"{s['id']:<28} {s['competencies']:>6} competencies {s['indicators']:>6} indicators "
                   f"{s['levels']:>2} levels {s['roles']:>2} roles  {s['origin']:<9} {s['name']}")


@frameworks_app.command("show")
def frameworks_show(framework_id: Annotated[str, typer.Argument(metavar="ID")],
                    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text) -> None:
    """Show one framework: levels, competencies with their indicators, roles."""
    from evidence.frameworks import get_framework
    from evidence.report import framework_summary, framework_to_json

    try:
        fw = get_framework(framework_id)
    except EvidenceError as exc:
        _fail(exc)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(framework_to_json(fw), ensure_ascii=False, indent=1))
    else:
        typer.echo(framework_summary(fw))


@frameworks_app.command("validate")
def frameworks_validate(path: Annotated[Path, typer.Argument(metavar="FILE")],
                        levels: Annotated[Optional[str], typer.Option(help="Scale for a table, lowest first: 1,2,3")]
                        = None) -> None:
    """Check a framework file (YAML/JSON, CSV/XLSX table, ESCO CSV, label list, CASE JSON) without importing it."""
    from evidence.interchange import import_framework

    try:
        fw = import_framework(path, levels=_split(levels))
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"ok: {fw.id}: {len(fw.competencies)} competencies, "
               f"{sum(len(c.indicators) for c in fw.competencies)} indicators, {len(fw.levels)} levels, "
               f"{len(fw.roles)} roles")


@frameworks_app.command("import")
def frameworks_import(
    path: Annotated[Path, typer.Argument(metavar="FILE")],
    framework_id: Annotated[Optional[str], typer.Option("--id", help="Id to store it under.")] = None,
    name: Annotated[Optional[str], typer.Option(help="Display name.")] = None,
    levels: Annotated[Optional[str], typer.Option(help="Scale for a table, lowest first: 1,2,3")] = None,
    replace: Annotated[bool, typer.Option(help="Overwrite an imported framework with the same id.")] = False,
) -> None:
    """Import a framework into the data directory ($EVIDENCE_HOME)."""
    from evidence.frameworks import store_imported
    from evidence.interchange import import_framework

    try:
        fw = import_framework(path, framework_id=framework_id, name=name, levels=_split(levels))
        stored = store_imported(fw, replace=replace)
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"imported {fw.id} ({len(fw.competencies)} competencies, "
               f"{sum(len(c.indicators) for c in fw.competencies)} indicators) to {stored}")


@frameworks_app.command("export")
def frameworks_export(
    framework_id: Annotated[str, typer.Argument(metavar="ID")],
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
) -> None:
    """Export a framework as a CSV table or CASE JSON."""
    from evidence.frameworks import get_framework
    from evidence.interchange import export_framework

    try:
        text = export_framework(get_framework(framework_id), fmt.value)
    except EvidenceError as exc:
        _fail(exc)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


if __name__ == "__main__":
    app()
