"""`evidence models`: list, inspect, promote and roll back a framework's trained model versions; show their cards."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from evidence.cli._util import FormatOption, OutputFormat, format_number

app = typer.Typer(help="List, inspect, promote and roll back trained model versions; show their model cards.",
                  no_args_is_help=True)

FrameworkIdOption = Annotated[str, typer.Option("--framework", "-f")]
VersionArgument = Annotated[str, typer.Argument(metavar="VERSION")]


@app.command("list")
def models_list(framework_id: FrameworkIdOption, fmt: FormatOption = OutputFormat.text) -> None:
    """Every saved version of a framework's model; the promoted one is marked."""
    from evidence.learning.registry import list_versions, promoted_version  # lazy: see the evidence.cli docstring

    versions = list_versions(framework_id)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps({"promoted": promoted_version(framework_id), "versions": versions}, indent=1))
        return
    typer.echo(f"promoted: {promoted_version(framework_id)}")
    for m in versions:
        mark = "*" if m["promoted"] else " "
        if "damaged" in m:  # a torn manifest: listed, so it can be found and removed, never a crash
            typer.echo(f"{mark} {m['version']}  damaged: {m['damaged']}")
            continue
        metrics, training = m.get("metrics"), m.get("training")
        top1 = metrics.get("top1") if isinstance(metrics, dict) else None
        units = training.get("corrections", "-") if isinstance(training, dict) else "-"
        typer.echo(f"{mark} {m['version']}  {m['created_at']}  held-out top-1 {format_number(top1)}  units {units}")


@app.command("show")
def models_show(version: VersionArgument, framework_id: FrameworkIdOption) -> None:
    """A version's manifest: training data, held-out metrics, creation time, code version."""
    from evidence.learning.registry import show_version  # lazy: see the evidence.cli docstring

    typer.echo(json.dumps(show_version(framework_id, version), indent=1))


@app.command("promote")
def models_promote(version: VersionArgument, framework_id: FrameworkIdOption) -> None:
    """Put a version (or 'zero-shot') in use; recorded as forced."""
    from evidence.cli.audit import cli_actor
    from evidence.learning.registry import promote  # lazy: see the evidence.cli docstring
    from evidence.review.training import audit_promotion

    promote(framework_id, version, by="cli", forced=True, reason="promoted by hand")
    audit_promotion(framework_id, version, by=cli_actor(), forced=True, reason="promoted by hand")
    typer.echo(f"{framework_id}: now using {version}")


@app.command("rollback")
def models_rollback(framework_id: FrameworkIdOption) -> None:
    """Return to the version in use before the current one."""
    from evidence.cli.audit import cli_actor
    from evidence.learning.registry import promoted_version, rollback  # lazy: see the evidence.cli docstring
    from evidence.review.training import audit_promotion

    current = promoted_version(framework_id)
    version = rollback(framework_id, by="cli")
    audit_promotion(framework_id, version, by=cli_actor(), forced=False, rolled_back_from=current)
    typer.echo(f"{framework_id}: rolled back to {version}")


class CardFormat(str, Enum):
    json = "json"
    md = "md"


@app.command("card")
def models_card(framework_id: FrameworkIdOption,
                version: Annotated[str | None, typer.Option("--version", help="A version, 'zero-shot', or the one "
                                                                               "in use (default).")] = None,
                fmt: Annotated[CardFormat, typer.Option("--format")] = CardFormat.md) -> None:
    """A model version's card: training data, measured figures with their units and intervals, calibration,
    the counterfactual test, intended use, limitations and what it must not be used for."""
    from evidence.io.limits import printable
    from evidence.learning.cards import card_markdown, model_card  # lazy: see the evidence.cli docstring

    card = model_card(framework_id, version)
    # framework names come from imported files: what a terminal would act on is escaped (JSON escapes it anyway)
    typer.echo(json.dumps(card, indent=1) if fmt is CardFormat.json else printable(card_markdown(card).rstrip("\n")))
