"""The `evidence` command line: frameworks, analyse, evaluate, train, models, corrections, users, demo.

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


class EncoderChoice(str, Enum):
    auto = "auto"
    frozen = "frozen"
    fine_tune = "fine-tune"


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
    from evidence.frameworks.catalogue import list_frameworks

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
    from evidence.frameworks.catalogue import get_framework
    from evidence.reporting.render import framework_summary, framework_to_json

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
    from evidence.frameworks.interchange import import_framework

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
    expand: Annotated[bool, typer.Option(help="Expand ESCO skill labels with ESCO's alternative labels and "
                                              "descriptions.")] = True,
) -> None:
    """Import a framework into the data directory ($EVIDENCE_HOME)."""
    from evidence.frameworks.catalogue import store_imported
    from evidence.frameworks.interchange import import_framework

    try:
        fw = import_framework(path, framework_id=framework_id, name=name, levels=_split(levels), expand_esco=expand)
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
    from evidence.frameworks.catalogue import get_framework
    from evidence.frameworks.interchange import export_framework

    try:
        text = export_framework(get_framework(framework_id), fmt.value)
    except EvidenceError as exc:
        _fail(exc)
    _write(text, output)


class AnalyseFormat(str, Enum):
    json = "json"
    csv = "csv"
    md = "md"


def _analyzer(framework_id: str, model: str):
    """The framework and an analyzer for it, with the requested model (zero-shot or a trained version)."""
    from evidence.engine.analyzer import Analyzer
    from evidence.frameworks.catalogue import get_framework
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
    from rich.progress import Progress

    from evidence.io.documents import iter_documents
    from evidence.reporting.render import (
        analyses_to_rows,
        analysis_to_json,
        analysis_to_markdown,
    )

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
        import pandas as pd  # half a second to import: only the CSV format needs it

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
    from evidence.evaluation.predict import evaluate as run_evaluation

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


models_app = typer.Typer(help="List, inspect, promote and roll back trained model versions.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@app.command()
def train(
    framework_id: Annotated[str, typer.Option("--framework", "-f", help="Framework id.")],
    source: Annotated[str, typer.Option("--from", help="A labelled CSV (as `evaluate` reads), a corrections CSV "
                                                       "export, or 'store' for the review decisions.")] = "store",
    holdout: Annotated[Optional[Path], typer.Option(help="Labelled CSV to compare models on; default: 20% of "
                                                         "the training data, held out.")] = None,
    force: Annotated[bool, typer.Option(help="Promote even if not better (recorded as forced).")] = False,
    encoder: Annotated[EncoderChoice, typer.Option(help="frozen: train the classifier on the packaged encoder; "
                                                        "fine-tune: fine-tune the encoder first (about a minute "
                                                        "on 2 cores); auto: fine-tune from 50 labelled units "
                                                        "with a competency on.")] = EncoderChoice.auto,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text,
) -> None:
    """Train a model from labelled units or corrections; promote it only when it beats the current one."""
    from evidence.evaluation.labelled import read_labelled
    from evidence.frameworks.catalogue import get_framework
    from evidence.learn import (
        labelled_units_from_source,
        train_model,
        wants_fine_tuning,
    )

    try:
        framework = get_framework(framework_id)
        units = labelled_units_from_source(framework, source)
        held = read_labelled(holdout, framework) if holdout else None
        if wants_fine_tuning(encoder.value, units):
            typer.echo(f"training on {len(units)} labelled units; with enough of them in the training split the "
                       "encoder is fine-tuned too (about a minute on 2 cores)...", err=True)
        result = train_model(framework, units, source=source, holdout=held, force=force, by="cli",
                             encoder=encoder.value)
    except EvidenceError as exc:
        _fail(exc)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps({"version": result.version, "promoted": result.promoted, "forced": result.forced,
                               "encoder": "fine-tuned" if result.fine_tuned else "frozen",
                               "metrics": result.new_metrics, "current_version": result.current_version,
                               "current_metrics": result.current_metrics}, indent=1))
        return
    typer.echo(f"trained {result.version} on {result.summary.corrections} labelled units "
               f"(+{result.summary.indicator_examples} indicator examples) in {result.summary.seconds:.1f} s, "
               f"{'fine-tuned' if result.fine_tuned else 'frozen'} encoder")
    typer.echo(f"{'held-out metric':<22} {'new':>8} {result.current_version:>22}")
    for key in ("top1", "top3", "unit_accuracy", "abstention_precision", "level_exact", "level_within_one", "ece",
                "ece_uncalibrated"):
        new, cur = result.new_metrics.get(key), result.current_metrics.get(key)
        typer.echo(f"{key:<22} {_num(new):>8} {_num(cur):>22}")
    verdict = "promoted (forced)" if result.forced else ("promoted" if result.promoted else
                                                         "not promoted: not better than the current model")
    typer.echo(verdict)


def _num(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-"


@models_app.command("list")
def models_list(framework_id: Annotated[str, typer.Option("--framework", "-f")],
                fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.text) -> None:
    """Every saved version of a framework's model; the promoted one is marked."""
    from evidence.registry import list_versions, promoted_version

    versions = list_versions(framework_id)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps({"promoted": promoted_version(framework_id), "versions": versions}, indent=1))
        return
    typer.echo(f"promoted: {promoted_version(framework_id)}")
    for m in versions:
        mark = "*" if m["promoted"] else " "
        top1 = m.get("metrics", {}).get("top1")
        typer.echo(f"{mark} {m['version']}  {m['created_at']}  held-out top-1 {_num(top1)}  "
                   f"units {m.get('training', {}).get('corrections', '-')}")


@models_app.command("show")
def models_show(version: Annotated[str, typer.Argument(metavar="VERSION")],
                framework_id: Annotated[str, typer.Option("--framework", "-f")]) -> None:
    """A version's manifest: training data, held-out metrics, creation time, code version."""
    from evidence.registry import show_version

    try:
        typer.echo(json.dumps(show_version(framework_id, version), indent=1))
    except EvidenceError as exc:
        _fail(exc)


@models_app.command("promote")
def models_promote(version: Annotated[str, typer.Argument(metavar="VERSION")],
                   framework_id: Annotated[str, typer.Option("--framework", "-f")]) -> None:
    """Put a version (or 'zero-shot') in use; recorded as forced."""
    from evidence.registry import promote

    try:
        promote(framework_id, version, by="cli", forced=True, reason="promoted by hand")
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"{framework_id}: now using {version}")


@models_app.command("rollback")
def models_rollback(framework_id: Annotated[str, typer.Option("--framework", "-f")]) -> None:
    """Return to the version in use before the current one."""
    from evidence.registry import rollback

    try:
        version = rollback(framework_id, by="cli")
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"{framework_id}: rolled back to {version}")


corrections_app = typer.Typer(help="Reviewers' decisions in the shared corrections format.", no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")


@corrections_app.command("export")
def corrections_export(
    framework_id: Annotated[str, typer.Option("--framework", "-f")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
) -> None:
    """Every review decision for a framework, one record per row (`evidence train --from FILE` reads it)."""
    from evidence.store import Store

    try:
        text = Store.open().corrections_csv(framework_id)
    except EvidenceError as exc:
        _fail(exc)
    _write(text, output)


def _write(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


# -- users and the demo (the web app) -------------------------------------------------------------

users_app = typer.Typer(help="Manage who can sign in to the web app (the users file in $EVIDENCE_HOME).",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[str, typer.Option("--role", help="recruiter, reviewer or admin.")],
    password: Annotated[Optional[str], typer.Option(help="The password; prompted for when left out.")] = None,
    replace: Annotated[bool, typer.Option(help="Change an existing user's role or password.")] = False,
) -> None:
    """Add a user who can sign in to the app with a role (recruiter, reviewer, admin)."""
    from evidence.auth import add_user

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = add_user(name, password, role, replace=replace)
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"saved {user.name} ({user.role.value})")


@users_app.command("list")
def users_list() -> None:
    """List the users and their roles."""
    from evidence.auth import load_users, users_path

    try:
        users = load_users()
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"{users_path()}: {len(users)} users", err=True)
    for name, record in sorted(users.items()):
        typer.echo(f"{name:<30} {record.get('role')}")


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "localhost",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="--no-serve only prepares the store.")] = True,
) -> None:
    """Set up the embedded default (store, demo users, the sample batch screened) and serve the web app."""
    import subprocess

    from evidence.app_support import prepare_demo, serve_command

    typer.echo("preparing the demo (the first run screens 24 sample statements; this takes a minute)...", err=True)
    try:
        setup = prepare_demo()
        command = serve_command(port, address) if serve else []
    except EvidenceError as exc:
        _fail(exc)
    typer.echo(f"store: {setup.store_url}")
    typer.echo(f"sample batch: #{setup.batch_id} ({'screened now' if setup.batch_created else 'already there'})")
    if setup.credentials:
        typer.echo(f"demo users ({setup.users_file}); change them before real use:")
        for name, (role, password) in setup.credentials.items():
            typer.echo(f"  {name:<10} password {password:<16} ({role.value})")
    else:
        typer.echo(f"users: {setup.users_file} (add one with `evidence users add NAME --role admin`)")
    if not serve:
        return
    typer.echo(f"serving the app at http://{'localhost' if address in ('0.0.0.0', '') else address}:{port} "
               "(Ctrl+C to stop)")
    raise typer.Exit(code=subprocess.call(command))


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


if __name__ == "__main__":
    app()
