"""`evidence batches`: the screened batches in the store, one batch's shortlist and evidence as a spreadsheet, its
assessment policy and its moderation queue.

The store is the one ``EVIDENCE_DATABASE_URL`` names (SQLite in the data directory by default), as for the app.
``export`` writes what the app's Screen page offers for download (:mod:`evidence.reporting.export`): the
workbook with the shortlist, coverage and evidence sheets, or one of those tables as CSV. A blind batch is
exported as the app shows it, under pseudonyms and without names; every export is recorded in the audit trail.
``policy`` shows or sets how the batch is assessed (assessors per unit, the share of hidden suggestions, chunked
review, a named moderator: :mod:`evidence.review.policy`); whoever runs the command has the store in hand, so it
acts as an admin, and the audit trail names them ``cli:<user>``. ``moderation`` lists the units waiting for a
moderator (:mod:`evidence.review.moderation`).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FormatOption, OutputFormat, OutputOption, say, write_output
from evidence.cli.audit import cli_actor
from evidence.errors import InputError, NotFoundError
from evidence.io.limits import printable

if TYPE_CHECKING:
    from evidence.store import BatchInfo, BatchPolicy, DecisionRecord, ModerationItem, Store

app = typer.Typer(help="Screened batches in the store: list them, export one as XLSX or CSV, set how one is "
                       "assessed, list its moderation queue.", no_args_is_help=True)
NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The batch's name (the newest batch of that name).")]

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
    write_output(printable("\n".join(lines)), None)  # applicants' text: what a terminal would act on is escaped


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
    from evidence.store import AuditAction

    with Store.open() as store:
        batch = _find(store, name)
        analyses = store.analyses(batch.id)
        tables = export_tables(analyses, show_names=not batch.blind)
        data = to_xlsx(tables) if fmt is ExportFormat.xlsx else to_csv(tables[table.value.title()])
        store.audit(actor=cli_actor(), action=AuditAction.export, subject=f"batch:{batch.id}",
                    payload={"what": "batch", "format": fmt.value, "table": None if fmt is ExportFormat.xlsx
                             else table.value, "documents": len(analyses), "to": str(output) if output else "stdout"})
    _write_bytes(data, output)


@app.command("policy")
def batches_policy(
    name: NameArgument,
    reviewers: Annotated[int | None, typer.Option("--reviewers", min=1, max=3, help="Assessors who decide each "
                                                  "unit independently (1-3).")] = None,
    hide_suggestions: Annotated[float | None, typer.Option(
        "--hide-suggestions", min=0.0, max=1.0, metavar="SHARE",
        help="Share of units (0-1) whose model suggestion an assessor sees only after deciding.")] = None,
    chunked: Annotated[bool | None, typer.Option("--chunked/--no-chunked", help="One competency across all "
                                                 "applicants at a time, applicants in a random order per "
                                                 "assessor.")] = None,
    moderator: Annotated[str | None, typer.Option(help="The user who settles disagreements besides the admins; "
                                                       "'' for admins only.")] = None,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Show a batch's assessment policy, or set it (any option given); the change goes into the audit trail."""
    from evidence.store import Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        batch = _find(store, name)
        if any(v is not None for v in (reviewers, hide_suggestions, chunked, moderator)):
            policy = store.set_batch_policy(batch.id, by=cli_actor(), reviewers_per_unit=reviewers,
                                            hide_suggestions=hide_suggestions, chunked=chunked, moderator=moderator)
        else:
            policy = store.batch_policy(batch.id)
    if fmt is OutputFormat.json:
        write_output(json.dumps({"batch": batch.name, "id": batch.id, **_policy_json(policy)}, indent=2,
                                ensure_ascii=False), None)
        return
    write_output(f"{batch.name}: {policy.reviewers_per_unit} assessor(s) per unit; suggestion hidden until decided "
                 f"on {policy.hide_suggestions:.0%} of units; chunked review {'on' if policy.chunked else 'off'}; "
                 f"moderated by {policy.moderator or 'the admins'}", None)


@app.command("moderation")
def batches_moderation(name: NameArgument, fmt: FormatOption = OutputFormat.text) -> None:
    """The batch's units waiting for a moderator: assessors disagree, or one flagged it, and none is settled."""
    from evidence.store import Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        batch = _find(store, name)
        queue = store.moderation_queue(batch_id=batch.id)
    if fmt is OutputFormat.json:
        write_output(json.dumps([_moderation_json(m) for m in queue], indent=2, ensure_ascii=False), None)
        return
    if not queue:
        say(f"{batch.name}: nothing waits for moderation")
        return
    lines = [f"{batch.name}: {len(queue)} unit(s) wait for moderation"]
    for m in queue:
        opinions = "; ".join(f"{d.reviewer}: {_opinion(d.kind, d.competency, d.level)}" for d in m.opinions)
        flags = "; ".join(f"{d.reviewer} flagged: {d.comment}" for d in m.flags)
        lines.append(f"- unit {m.item.unit_id} ({m.item.document} #{m.item.index}, {', '.join(m.reasons)}): "
                     f"{m.item.text}\n    {' | '.join(x for x in (opinions, flags) if x)}")
    write_output(printable("\n".join(lines)), None)  # applicants' text: what a terminal would act on is escaped


def _find(store: Store, name: str) -> BatchInfo:
    batch = store.find_batch(name)
    if batch is None:
        raise NotFoundError(_not_found(name, [b.name for b in store.list_batches()]))
    return batch


def _policy_json(policy: BatchPolicy) -> dict[str, object]:
    return {"reviewers_per_unit": policy.reviewers_per_unit, "hide_suggestions": policy.hide_suggestions,
            "chunked": policy.chunked, "moderator": policy.moderator}


def _opinion(kind: str, competency: str | None, level: str | None) -> str:
    if competency:
        return f"{kind} {competency}" + (f" level {level}" if level else "")
    return kind


def _moderation_json(m: ModerationItem) -> dict[str, object]:
    def decision(d: DecisionRecord) -> dict[str, object]:
        return {"id": d.id, "reviewer": d.reviewer, "kind": d.kind, "competency": d.competency, "level": d.level,
                "comment": d.comment, "suggestion_hidden": d.suggestion_hidden, "decided_at": d.decided_at.isoformat()}

    return {"unit_id": m.item.unit_id, "document": m.item.document, "index": m.item.index, "text": m.item.text,
            "reasons": list(m.reasons),
            "suggestions": [{"competency": s.competency, "level": s.level, "score": s.score}
                            for s in m.item.suggestions],
            "opinions": [decision(d) for d in m.opinions], "flags": [decision(d) for d in m.flags]}


def _batch_json(batch: BatchInfo) -> dict[str, object]:
    return {"id": batch.id, "name": batch.name, "framework": batch.framework_id, "role": batch.role_id,
            "documents": batch.documents, "created": batch.created_at.isoformat(), "blind": batch.blind,
            "created_by": batch.created_by, "model_version": batch.model_version,
            "framework_hash": batch.framework_hash, "policy": _policy_json(batch.policy)}


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
