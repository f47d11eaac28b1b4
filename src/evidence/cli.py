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


class AnalyseFormat(str, Enum):
    json = "json"
    csv = "csv"
    md = "md"


def _analyzer(framework_id: str, model: str):
    """The framework and an analyzer for it, with the requested model (zero-shot or a trained version)."""
    from evidence.analyse import Analyzer
    from evidence.frameworks import get_framework
    from evidence.registry import resolve_model

    framework = get_framework(framework_id)
    head, version = resolve_model(framework, model)
    return framework, Analyzer(framework, head=head, model_version=version)


@app.command()
def analyse(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A .txt/.md/.docx/.pdf file, a CSV/XLSX batch, "
                                                              "or a folder of them.")],
    framework_id: Annotated[str, typer.Option("--framework", "-f", help="Framework id.")],
    role_id: Annotated[Optional[str], typer.Option("--role", help="Role profile to check coverage against.")] = None,
    fmt: Annotated[AnalyseFormat, typer.Option("--format")] = AnalyseFormat.json,
    id_column: Annotated[str, typer.Option(help="Batch tables: the id column.")] = "id",
    text_column: Annotated[str, typer.Option(help="Batch tables: the text column.")] = "text",
    model: Annotated[str, typer.Option(help="'promoted' (default), 'zero-shot', or a model version.")] = "promoted",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
) -> None:
    """Suggest the competencies and levels each sentence of the text evidences."""
    import pandas as pd
    from rich.progress import Progress

    from evidence.read import iter_documents
    from evidence.report import analyses_to_rows, analysis_to_json, analysis_to_markdown

    try:
        framework, analyzer = _analyzer(framework_id, model)
        role = framework.role(role_id) if role_id else None
    except (EvidenceError, KeyError) as exc:
        _fail(exc)
    documents, errors = [], []
    for item in iter_documents(path, id_column=id_column, text_column=text_column):
        if isinstance(item, Exception):
            errors.append(str(item))
            typer.echo(f"skipped: {item}", err=True)
        else:
            documents.append(item)
    if not documents:
        _fail(EvidenceError(errors[0] if len(errors) == 1 else f"no readable documents in {path}"))
    with Progress(transient=True, disable=len(documents) < 2 or not sys.stderr.isatty()) as bar:
        task = bar.add_task("analysing", total=len(documents))
        analyses = list(analyzer.analyse(documents, role=role, progress=lambda n: bar.advance(task, n)))
    if fmt is AnalyseFormat.json:
        text = json.dumps({"framework": framework.id, "role": role.id if role else None,
                           "model_version": analyzer.model_version,
                           "documents": [analysis_to_json(a) for a in analyses], "errors": errors},
                          ensure_ascii=False, indent=1)
    elif fmt is AnalyseFormat.csv:
        text = pd.DataFrame(analyses_to_rows(analyses)).to_csv(index=False)
    else:
        text = "\n".join(analysis_to_markdown(a, framework) for a in analyses)
    _write(text, output)


@app.command()
def evaluate(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Labelled CSV: text, competency (id, name or NONE), "
                                                              "optional level and polarity.")],
    framework_id: Annotated[str, typer.Option("--framework", "-f", help="Framework id.")],
    model: Annotated[str, typer.Option(help="'promoted' (default), 'zero-shot', or a model version.")] = "promoted",
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Measure accuracy, abstention, levels, calibration and ranking on labelled units."""
    from evidence.evaluate import evaluate as run_evaluation

    try:
        _, analyzer = _analyzer(framework_id, model)
        metrics = run_evaluation(analyzer, path)
    except EvidenceError as exc:
        _fail(exc)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(metrics, indent=1))
    else:
        for key, value in metrics.items():
            shown = f"{value:.3f}" if isinstance(value, float) else ("-" if value is None else value)
            typer.echo(f"{key:<22} {shown}")


def _write(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


if __name__ == "__main__":
    app()
