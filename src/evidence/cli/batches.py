"""`evidence batches`: the screened batches in the store, and one batch's shortlist and evidence as a spreadsheet.

The store is the one ``EVIDENCE_DATABASE_URL`` names (SQLite in the data directory by default), as for the app.
``export`` writes what the app's Screen page offers for download (:mod:`evidence.reporting.export`): the
workbook with the shortlist, coverage and evidence sheets, or one of those tables as CSV. A blind batch is
exported as the app shows it, under pseudonyms and without names.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FormatOption, OutputFormat, OutputOption, say, write_output
from evidence.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from evidence.store import BatchInfo

app = typer.Typer(help="Screened batches in the store: list them, export one as XLSX or CSV.", no_args_is_help=True)

NAMES_SHOWN = 10  # batch names listed when the one asked for is not there


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class ExportTable(str, Enum):
    """The CSV tables; a workbook holds all three as sheets (the tables of :func:`export_tables`, titled)."""

    shortlist = "shortlist"
    coverage = "coverage"
    evidence = "evidence"


@app.command("list")
def batches_list(fmt: FormatOption = OutputFormat.text) -> None:
    """The batches in the store, newest first: name, framework, documents, when created."""
    from evidence.store import Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        batches = store.list_batches()
    if fmt is OutputFormat.json:
        write_output(json.dumps([_batch_json(b) for b in batches], indent=2, ensure_ascii=False), None)
        return
    if not batches:
        say("no batches yet; screen one with `evidence screen` or the app's Screen page")
        return
    rows = [(b.name, b.framework_id, str(b.documents), f"{b.created_at:%Y-%m-%d %H:%M} UTC") for b in batches]
    header = ("NAME", "FRAMEWORK", "DOCUMENTS", "CREATED")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
             for r in [header, *rows]]
    write_output("\n".join(lines), None)


@app.command("export")
def batches_export(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The batch's name (the newest batch of that name).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="xlsx: the workbook with every table; csv: one "
                                                               "table (--table).")],
    table: Annotated[ExportTable, typer.Option(help="The table a CSV holds.")] = ExportTable.shortlist,
    output: OutputOption = None,
) -> None:
    """A batch's ranked shortlist, coverage and evidence, as the app's Screen page downloads them."""
    from evidence.reporting.export import export_tables, to_csv, to_xlsx  # lazy: see the evidence.cli docstring
    from evidence.store import Store

    if fmt is ExportFormat.xlsx and output is None and _terminal():
        raise InputError("an XLSX workbook is binary and would garble the terminal; write it to a file with "
                         "-o FILE.xlsx (or redirect stdout)")
    with Store.open() as store:
        batch = store.find_batch(name)
        if batch is None:
            raise NotFoundError(_not_found(name, [b.name for b in store.list_batches()]))
        analyses = store.analyses(batch.id)
    tables = export_tables(analyses, show_names=not batch.blind)
    data = to_xlsx(tables) if fmt is ExportFormat.xlsx else to_csv(tables[table.value.title()])
    _write_bytes(data, output)


def _batch_json(batch: BatchInfo) -> dict[str, object]:
    return {"id": batch.id, "name": batch.name, "framework": batch.framework_id, "role": batch.role_id,
            "documents": batch.documents, "created": batch.created_at.isoformat(), "blind": batch.blind,
            "created_by": batch.created_by, "model_version": batch.model_version,
            "framework_hash": batch.framework_hash}


def _not_found(name: str, names: list[str]) -> str:
    if not names:
        return f"no batch named {name!r}: the store has no batches yet; screen one with `evidence screen`"
    unique = list(dict.fromkeys(names))
    known = ", ".join(repr(n) for n in unique[:NAMES_SHOWN])
    more = f" and {len(unique) - NAMES_SHOWN} more" if len(unique) > NAMES_SHOWN else ""
    return f"no batch named {name!r}; the store has {known}{more} (see `evidence batches list`)"


def _terminal() -> bool:
    """Whether stdout is a terminal (where a workbook's bytes would garble the screen)."""
    return sys.stdout.isatty()


def _write_bytes(data: bytes, output: Path | None) -> None:
    if output is not None:
        output.write_bytes(data)
        say(f"wrote {output}")
        return
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
