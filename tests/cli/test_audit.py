"""`evidence audit` (evidence.cli.audit), `evidence batches policy` and `moderation`, `evidence agreement`, and the
audit records of the CLI's exports and promotions. Run on SQLite, and on PostgreSQL when given."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from evidence.cli import app
from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import FRAMEWORK, small_batch

LEAD, MENTOR = "I led the team through the merger.", "I mentored two new starters."


@pytest.fixture()
def store_url(database_url: str, fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EVIDENCE_DATABASE_URL", database_url)
    return database_url


@pytest.fixture()
def decided(store_url: str) -> dict[str, int]:
    """The small batch "Spring", with two assessors' decisions: they agree on one unit and disagree on another."""
    with Store.open(store_url) as store:
        batch = store.save_batch("Spring", get_framework(FRAMEWORK), FRAMEWORK, small_batch(), created_by="rec")
        units = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch)}
        store.record_decision(unit_id=units[LEAD], reviewer="ann", kind="accepted", key="1")
        store.record_decision(unit_id=units[LEAD], reviewer="bob", kind="rejected", key="2")
        store.record_decision(unit_id=units[MENTOR], reviewer="ann", kind="accepted", key="3")
        store.record_decision(unit_id=units[MENTOR], reviewer="bob", kind="accepted", key="4")
    return units


def test_verify_passes_an_intact_chain_and_names_an_edited_record(store_url: str, decided: dict[str, int]) -> None:
    ok = CliRunner().invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("5 records, chain intact")
    with Store.open(store_url) as store, store.engine.begin() as connection:
        on = " ON audit_log" if store.engine.dialect.name == "postgresql" else ""
        connection.execute(text(f"DROP TRIGGER audit_log_no_update{on}"))
        connection.execute(text("UPDATE audit_log SET payload = '{\"kind\":\"accepted\"}' WHERE seq = 3"))
    broken = CliRunner().invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "broken at record 3" in broken.stderr and "changed" in broken.stderr


def test_export_as_jsonl_and_csv_since_a_date_records_itself(store_url: str, decided: dict[str, int],
                                                              tmp_path: Path) -> None:
    out = tmp_path / "trail.jsonl"
    result = CliRunner().invoke(app, ["audit", "export", "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["action"] for r in records] == ["screening", "decision", "decision", "decision", "decision", "export"]
    assert records[1]["actor"] == "ann" and records[1]["payload"]["kind"] == "accepted"
    assert records[-1]["actor"].startswith("cli:") and records[-1]["payload"]["format"] == "jsonl"
    assert all(r["prev_hash"] == p["hash"] for p, r in zip(records, records[1:], strict=False))
    as_csv = CliRunner().invoke(app, ["audit", "export", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 7 and rows[0]["action"] == "screening" and json.loads(rows[1]["payload"])["kind"] == "accepted"
    later = CliRunner().invoke(app, ["audit", "export", "--format", "jsonl", "--since", "2999-01-01"])
    assert later.exit_code == 0 and later.stdout == ""
    bad = CliRunner().invoke(app, ["audit", "export", "--format", "jsonl", "--since", "yesterday"])
    assert bad.exit_code == 2 and "--since takes a date" in bad.stderr
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0


def test_policy_is_shown_and_set_and_the_batch_export_is_audited(store_url: str, decided: dict[str, int],
                                                                 tmp_path: Path) -> None:
    shown = CliRunner().invoke(app, ["batches", "policy", "Spring", "--format", "json"])
    assert json.loads(shown.stdout) | {"id": 0} == {"batch": "Spring", "id": 0, "reviewers_per_unit": 1,
                                                    "hide_suggestions": 0.0, "chunked": False, "moderator": None}
    result = CliRunner().invoke(app, ["batches", "policy", "Spring", "--reviewers", "2", "--hide-suggestions", "0.2",
                                      "--chunked", "--moderator", "mo"])
    assert result.exit_code == 0, result.output
    assert "2 assessor(s) per unit" in result.stdout and "20%" in result.stdout and "moderated by mo" in result.stdout
    assert CliRunner().invoke(app, ["batches", "policy", "Spring", "--reviewers", "4"]).exit_code == 2
    assert CliRunner().invoke(app, ["batches", "policy", "Nope"]).exit_code == 2
    listed = json.loads(CliRunner().invoke(app, ["batches", "list", "--format", "json"]).stdout)
    assert listed[0]["policy"]["chunked"] is True
    CliRunner().invoke(app, ["batches", "export", "Spring", "--format", "csv", "-o", str(tmp_path / "s.csv")])
    with Store.open(store_url) as store:
        actions = [(r.action, r.subject) for r in store.audit_records()][-2:]
    assert [a for a, _ in actions] == ["policy", "export"] and actions[1][1].startswith("batch:")


def test_moderation_lists_the_disagreements(store_url: str, decided: dict[str, int]) -> None:
    result = CliRunner().invoke(app, ["batches", "moderation", "Spring", "--format", "json"])
    assert result.exit_code == 0, result.output
    queue = json.loads(result.stdout)
    assert [(m["text"], m["reasons"], sorted(o["reviewer"] for o in m["opinions"])) for m in queue] == [
        (LEAD, ["disagreement"], ["ann", "bob"])]
    text_out = CliRunner().invoke(app, ["batches", "moderation", "Spring"])
    assert "1 unit(s) wait for moderation" in text_out.stdout and "bob: rejected" in text_out.stdout


def test_agreement_reports_kappa_with_its_units(store_url: str, decided: dict[str, int]) -> None:
    result = CliRunner().invoke(app, ["agreement", "--batch", "Spring", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["batch"] == "Spring" and report["assessors"] == ["ann", "bob"]
    # by hand: observed 1/2; by chance 1/2 * 1/2 (both gave "leading" once) = 1/4; kappa (1/2 - 1/4) / (3/4)
    assert report["pairs"] == [{"assessors": ["ann", "bob"], "units": 2, "observed": 0.5, "kappa": 0.3333}]
    assert report["model"]["suggestion_shown"] == {"decisions": 4, "agreement": 0.75}
    md = CliRunner().invoke(app, ["agreement", "--batch", "Spring"])
    assert "| ann / bob | 2 | 50% | 0.33 |" in md.stdout
    assert CliRunner().invoke(app, ["agreement", "--batch", "Nope"]).exit_code == 2


def test_a_promotion_from_the_cli_is_audited(store_url: str) -> None:
    result = CliRunner().invoke(app, ["models", "promote", "zero-shot", "--framework", FRAMEWORK])
    assert result.exit_code == 0, result.output
    with Store.open(store_url) as store:
        records = list(store.audit_records())
    assert [(r.action, r.subject, r.payload["version"]) for r in records] == [
        ("forced_promotion", f"framework:{FRAMEWORK}", "zero-shot")]


def test_verify_fails_on_a_changed_suggestion(store_url: str, decided: dict[str, int]) -> None:
    with Store.open(store_url) as store, store.engine.begin() as connection:
        connection.execute(text("UPDATE suggestions SET competency = 'planning' WHERE id = (SELECT max(id) FROM "
                                "suggestions)"))
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "suggestions changed: batch" in result.stderr
