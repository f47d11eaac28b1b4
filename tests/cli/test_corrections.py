"""`evidence corrections export` (evidence.cli.corrections): the store's decisions as a corrections CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.domain import Correction


def test_export_of_an_empty_store_is_the_header(fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["corrections", "export", "-f", "community-link-worker"])
    assert result.exit_code == 0, result.output
    [header] = list(csv.reader(result.stdout.splitlines()))
    assert set(header) == set(Correction.model_fields)
    out = fresh_home / "corrections.csv"
    written = CliRunner().invoke(app, ["corrections", "export", "-f", "community-link-worker", "-o", str(out)])
    assert written.stdout == "" and f"wrote {out}" in written.stderr
    assert out.read_text(encoding="utf-8").splitlines() == result.stdout.splitlines()


def test_an_export_is_recorded_in_the_audit_trail(fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence.store import AuditAction, Store

    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    assert CliRunner().invoke(app, ["corrections", "export", "-f", "community-link-worker"]).exit_code == 0
    with Store.open() as store:
        [record] = list(store.audit_records(action=AuditAction.export))
    assert record.subject == "framework:community-link-worker" and record.actor.startswith("cli:")
    assert record.payload == {"table": "corrections", "rows": 0}
