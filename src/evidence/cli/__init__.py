"""The `evidence` command line: frameworks, analyse, screen, batches, evaluate, train, models, corrections, users,
demo, fairness, agreement, audit.

Output meant for other tools (``--format json``) goes to stdout; progress and messages go to
stderr. Every expected failure exits with status 2 and a message that says how to fix it: the commands
raise :class:`~evidence.errors.EvidenceError` and :class:`EvidenceGroup` turns it into ``error: ...``.

One module per command (group). Each imports the library inside the command that needs it, because
every start of the CLI (`--help`, and each TAB of shell completion) imports all the command modules:
the encoder stack costs about 2 s, the store (SQLAlchemy) and pandas about 0.5 s each, and even the
domain (pydantic, PyYAML) put 0.3 s on `evidence --help` (0.46 s -> 0.76 s, measured) when imported here.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from evidence.cli import (
    agreement,
    analyse,
    audit,
    batches,
    corrections,
    demo,
    evaluate,
    fairness,
    frameworks,
    models,
    screen,
    train,
    users,
)
from evidence.cli._util import PrintableFormatter
from evidence.errors import EvidenceError
from evidence.io.limits import printable

EXIT_EXPECTED_FAILURE = 2  # the status every expected failure exits with; other tools rely on it


class EvidenceGroup(TyperGroup):
    """The root command group: the one place an :class:`EvidenceError` from any command, however deeply
    nested, becomes ``error: <message>`` on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EvidenceError as exc:
            typer.echo(f"error: {printable(str(exc))}", err=True)  # file names may hold terminal escapes
            raise typer.Exit(code=EXIT_EXPECTED_FAILURE) from exc


app = typer.Typer(cls=EvidenceGroup, help="Suggest which competencies, at which level, a text evidences.",
                  no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    handler = logging.StreamHandler(sys.stderr)  # log lines name files too: escape their control characters
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


# the order `evidence --help` lists them in: the commands, then the groups
app.command()(analyse.analyse)
app.command()(screen.screen)
app.command()(evaluate.evaluate)
app.command()(train.train)
app.command()(demo.demo)
app.command()(fairness.fairness)
app.command()(agreement.agreement)
app.add_typer(frameworks.app, name="frameworks")
app.add_typer(models.app, name="models")
app.add_typer(batches.app, name="batches")
app.add_typer(corrections.app, name="corrections")
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
