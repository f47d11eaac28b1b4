"""`evidence analyse` (evidence.cli.analyse): the JSON contract on the real engine, and batch errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.domain import Framework
from evidence.services import analyzers
from tests.factories import FakeAnalyzer

STATEMENT = """I am applying because I love this organisation.

- Set up a weekly drop-in with the local food bank so patients could get advice without a referral
- Trained 6 new volunteers in safeguarding and checked in with each of them monthly
When two GP practices disagreed about referrals, I met both practice managers and agreed one shared form.
I would always make sure I listen to patients.
"""


@pytest.fixture()
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    """`analyse` without the real encoder: every sentence evidences the framework's first competency."""
    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))


@pytest.mark.slow
def test_cli_analyse_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(path), "--framework", "community-link-worker", "--role",
                                      "community-link-worker", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    doc = data["documents"][0]
    assert data["framework"] == "community-link-worker" and data["role"] == "community-link-worker"
    for unit in doc["units"]:
        assert STATEMENT[unit["start"]:unit["end"]] == unit["text"]
        assert {"actor", "negated", "hypothetical", "specificity", "star"} <= set(unit["cues"])
    assert {"competency", "required", "evidenced", "status"} <= set(doc["coverage"][0])


@pytest.mark.slow
def test_cli_batch_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("I trained six volunteers in safeguarding.", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path), "--framework", "community-link-worker"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["good"]
    assert "broken.pdf" in data["errors"][0]


def test_the_model_option_reaches_the_analyzer_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def load(framework: Framework, model: str = "promoted") -> FakeAnalyzer:
        asked.append((framework.id, model))
        return FakeAnalyzer(framework)

    monkeypatch.setattr(analyzers, "load_analyzer", load)
    (tmp_path / "s.txt").write_text("I trained six volunteers.", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "s.txt"), "-f", "community-link-worker",
                                      "--model", "zero-shot"])
    assert result.exit_code == 0, result.output
    assert asked == [("community-link-worker", "zero-shot")]
    assert json.loads(result.stdout)["model_version"] == "fake-model"


def test_nothing_readable_exits_2_naming_the_problem(tmp_path: Path, fake_analyzer: None) -> None:
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "missing.txt"), "-f", "community-link-worker"])
    assert result.exit_code == 2
    assert "skipped: " in result.stderr and "error: " in result.stderr and "missing.txt" in result.stderr
    (tmp_path / "a.pdf").write_bytes(b"not a pdf")
    (tmp_path / "b.pdf").write_bytes(b"not a pdf either")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path), "-f", "community-link-worker"])
    assert result.exit_code == 2 and f"error: no readable documents in {tmp_path}" in result.stderr


def test_an_unknown_role_exits_2_listing_the_known_ones(tmp_path: Path, fake_analyzer: None) -> None:
    (tmp_path / "s.txt").write_text("I trained six volunteers.", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "s.txt"), "-f", "community-link-worker",
                                      "--role", "nope"])
    assert result.exit_code == 2
    assert "has no role 'nope'; known roles: ['community-link-worker']" in result.stderr


@pytest.mark.parametrize(("fmt", "expected"), [("csv", "document"), ("md", "#")])
def test_csv_and_markdown_formats_write_to_the_output_file(tmp_path: Path, fake_analyzer: None, fmt: str,
                                                          expected: str) -> None:
    (tmp_path / "s.txt").write_text("I trained six volunteers. I planned the rota.", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "s.txt"), "-f", "community-link-worker",
                                      "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    assert expected in out.read_text(encoding="utf-8") and "I trained six volunteers." in out.read_text()
