"""`evidence corrections`: reviewers' decisions in the shared corrections format."""

from __future__ import annotations

from typing import Annotated

import typer

from evidence.cli._util import OutputOption, write_output

app = typer.Typer(help="Reviewers' decisions in the shared corrections format.", no_args_is_help=True)


@app.command("export")
def corrections_export(framework_id: Annotated[str, typer.Option("--framework", "-f")],
                       output: OutputOption = None) -> None:
    """Every review decision for a framework, one record per row (`evidence train --from FILE` reads it)."""
    from evidence.store import Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        text = store.corrections_csv(framework_id)
    write_output(text, output)
