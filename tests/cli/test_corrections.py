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
