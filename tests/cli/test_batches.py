"""`evidence batches` (evidence.cli.batches): the store's batches listed, and one exported as the app's Screen page
downloads it (XLSX workbook, or one table as CSV). Run on SQLite, and on PostgreSQL when given."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from evidence.cli import app
from evidence.cli import batches as batches_command
from evidence.frameworks.catalogue import get_framework
from evidence.store import Identity, Store
from tests.factories import FRAMEWORK, make_analysis, small_batch


@pytest.fixture()
def store_url(database_url: str, fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EVIDENCE_DATABASE_URL", database_url)
    return database_url


@pytest.fixture()
def saved(store_url: str) -> dict[str, int]:
    """A named batch and a blind one (pseudonym "Applicant 01" for Jo Bloggs), by name."""
    framework = get_framework(FRAMEWORK)
    with Store.open(store_url) as store:
        named = store.save_batch("Spring intake", framework, FRAMEWORK, small_batch(), created_by="rec")
        blind = store.save_batch(
            "Blind intake", framework, FRAMEWORK,
            [make_analysis("Applicant 01", [("I led a team of [name].", [("team-working", "2", 0.7)])])],
            originals={"Applicant 01": "I led a team of Jo Bloggs."},
            identities={"Applicant 01": Identity(id="r7", source="t.csv:2", name="Jo Bloggs")})
    return {"Spring intake": named, "Blind intake": blind}


def test_an_empty_store_lists_no_batches(store_url: str) -> None:
    text = CliRunner().invoke(app, ["batches", "list"])
    assert text.exit_code == 0 and text.stdout == "" and "no batches yet" in text.stderr
    as_json = CliRunner().invoke(app, ["batches", "list", "--format", "json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []


def test_batches_are_listed_newest_first_with_framework_documents_and_creation(saved: dict[str, int]) -> None:
    result = CliRunner().invoke(app, ["batches", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(b["name"], b["framework"], b["documents"], b["blind"], b["id"]) for b in listed] == [
        ("Blind intake", FRAMEWORK, 1, True, saved["Blind intake"]),
        ("Spring intake", FRAMEWORK, 2, False, saved["Spring intake"])]
    assert datetime.fromisoformat(listed[0]["created"]).tzinfo is not None
    assert listed[1]["role"] == FRAMEWORK and listed[1]["created_by"] == "rec"
    text = CliRunner().invoke(app, ["batches", "list"])
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["NAME", "FRAMEWORK", "DOCUMENTS", "CREATED"]
    assert lines[2].startswith("Spring intake") and f" {FRAMEWORK} " in lines[2] and " 2 " in lines[2]


def test_a_csv_export_is_the_apps_download(saved: dict[str, int], store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "shortlist.csv"
    result = CliRunner().invoke(app, ["batches", "export", "Spring intake", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stderr and result.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["Rank"], r["Applicant"], r["Name"]) for r in rows] == [("1", "A1", "Ann Example"),
                                                                      ("2", "A2", "Bob Example")]
    evidence = CliRunner().invoke(app, ["batches", "export", "Spring intake", "--format", "csv", "--table",
                                        "evidence"])
    assert evidence.exit_code == 0 and "I mentored two new starters." in evidence.stdout_bytes.decode("utf-8-sig")


def test_a_blind_batch_is_exported_under_pseudonyms_without_names(saved: dict[str, int]) -> None:
    result = CliRunner().invoke(app, ["batches", "export", "Blind intake", "--format", "csv"])
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8-sig")
    assert "Applicant 01" in text and "Jo Bloggs" not in text and "Name" not in text.splitlines()[0]


def test_an_xlsx_export_holds_the_three_tables(saved: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "batch.xlsx"
    result = CliRunner().invoke(app, ["batches", "export", "Spring intake", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["Shortlist", "Coverage", "Evidence"]
    assert book["Shortlist"]["B2"].value == "A1"
    piped = CliRunner().invoke(app, ["batches", "export", "Spring intake", "--format", "xlsx"])  # not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")


def test_an_xlsx_export_is_not_written_to_a_terminal(saved: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches_command, "_terminal", lambda: True)
    result = CliRunner().invoke(app, ["batches", "export", "Spring intake", "--format", "xlsx"])
    assert result.exit_code == 2 and "-o FILE.xlsx" in result.stderr and result.stdout_bytes == b""


def test_an_unknown_batch_names_those_there_are(saved: dict[str, int], store_url: str) -> None:
    result = CliRunner().invoke(app, ["batches", "export", "Autumn", "--format", "csv"])
    assert result.exit_code == 2
    assert "no batch named 'Autumn'" in result.stderr and "'Spring intake'" in result.stderr
    no_format = CliRunner().invoke(app, ["batches", "export", "Spring intake"])
    assert no_format.exit_code == 2  # --format is required
