"""`evidence audit`: check the audit trail's hash chain, and export it as JSON lines or CSV.

The trail is the store's (``EVIDENCE_DATABASE_URL``, SQLite in the data directory by default): every decision,
settlement, screening (with model and code versions), batch policy, promotion, forced promotion, rollback, export
and sign-in, each record chaining the hash of the one before (:mod:`evidence.store.audit`). ``verify`` exits 0 and
prints ``N records, chain intact`` with the head hash (keep it elsewhere: a later ``verify`` that prints another
history for the same record shows a rewritten chain), or exits 1 naming the first record that does not chain.
An export is itself recorded in the trail before it is written.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import typer

from evidence.cli._util import Output, OutputOption
from evidence.errors import InputError

app = typer.Typer(help="The audit trail: verify its hash chain, export it.", no_args_is_help=True)

EXIT_BROKEN = 1  # `audit verify` on a broken chain: a finding, not a usage error (those exit 2)


class AuditFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def cli_actor() -> str:
    """Who the audit trail names for a command run from a shell: ``cli:<operating-system user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        return "cli:unknown"


def parse_since(value: str | None) -> datetime | None:
    """A date (``2026-12-01``) or ISO 8601 time; one without a zone is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--since takes a date like 2026-12-01 or a time like 2026-12-01T09:30, "
                         f"not {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command("verify")
def audit_verify() -> None:
    """Check every record's hash, its link to the record before and that none is missing, and each screened batch's
    stored suggestions against the digest its record holds; exit 1 if anything is broken."""
    from evidence.store import Store  # lazy: see the evidence.cli docstring

    with Store.open() as store:
        check = store.verify_audit()
        seq, digest = store.audit_head()
        changed = store.verify_screenings() if check.intact else []
    if not check.intact:
        typer.echo(f"audit trail broken at record {check.broken_seq}: {check.problem} "
                   f"({check.records} records before it chain)", err=True)
        raise typer.Exit(code=EXIT_BROKEN)
    if changed:
        typer.echo("\n".join(f"suggestions changed: {p}" for p in changed), err=True)
        raise typer.Exit(code=EXIT_BROKEN)
    typer.echo(f"{check.records} records, chain intact (head {seq}: {digest})")


@app.command("export")
def audit_export(
    fmt: Annotated[AuditFormat, typer.Option("--format", help="jsonl: one JSON object per record; csv: one row per "
                                                              "record, the payload as JSON.")],
    since: Annotated[str | None, typer.Option(help="Only records made on or after this date (UTC), e.g. "
                                                   "2026-12-01.")] = None,
    output: OutputOption = None,
) -> None:
    """The audit trail's records (seq, at, actor, action, subject, payload, prev_hash, hash), oldest first."""
    from evidence.store import AuditAction, Store  # lazy: see the evidence.cli docstring

    start = parse_since(since)
    with Store.open() as store:
        store.audit(actor=cli_actor(), action=AuditAction.export, subject="audit",
                    payload={"format": fmt.value, "since": start.isoformat() if start else None,
                             "to": str(output) if output else "stdout"})
        lines = store.audit_jsonl(since=start) if fmt is AuditFormat.jsonl else store.audit_csv(since=start)
        with Output(output) as out:
            for text in lines:
                out.write(text)
