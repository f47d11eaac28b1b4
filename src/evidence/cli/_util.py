"""What the command modules share: the option types they repeat, and writing results to stdout or a file."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format")]
FrameworkOption = Annotated[str, typer.Option("--framework", "-f", help="Framework id.")]
ModelOption = Annotated[str, typer.Option(help="'promoted' (default), 'zero-shot', or a model version.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")]
LevelsOption = Annotated[str | None, typer.Option(help="Scale for a table, lowest first: 1,2,3")]


def write_output(text: str, output: Path | None) -> None:
    """``text`` to ``output`` (saying so on stderr), or to stdout with one trailing newline."""
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")



def format_number(value: float | None) -> str:
    """A metric for a table column: three decimals, or '-' when there is none."""
    return f"{value:.3f}" if isinstance(value, float) else "-"
