"""`evidence corrections`: reviewers' decisions in the shared corrections format."""

from __future__ import annotations

import csv
import io
from typing import Annotated

import typer

from evidence.cli._util import OutputOption, write_output

app = typer.Typer(help="Reviewers' decisions in the shared corrections format.", no_args_is_help=True)


@app.command("export")
def corrections_export(framework_id: Annotated[str, typer.Option("--framework", "-f")],
                       output: OutputOption = None) -> None:
    """Every review decision for a framework, one record per row (`evidence train --from FILE` reads it)."""
    from evidence.cli.audit import cli_actor
    from evidence.store import AuditAction, Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        text = store.corrections_csv(framework_id)
        store.audit(actor=cli_actor(), action=AuditAction.export, subject=f"framework:{framework_id}",
                    payload={"table": "corrections", "rows": max(0, len(list(csv.reader(io.StringIO(text)))) - 1)})
    write_output(text, output)
