"""`evidence screen` (evidence.cli.screen): statements analysed and saved to the store as a batch, the app's way
(blind redaction and pseudonyms included); unreadable inputs reported, exit status as `evidence analyse`.

Run on SQLite, and on PostgreSQL when ``EVIDENCE_TEST_POSTGRES_URL`` is set (tests/store/backends.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.config import SAMPLE_BATCH
from evidence.services import analyzers
from evidence.store import Store
from tests.factories import FakeAnalyzer

CLW = "community-link-worker"


@pytest.fixture()
def store_url(database_url: str, fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI's store (EVIDENCE_DATABASE_URL) is a fresh database on each backend."""
    monkeypatch.setenv("EVIDENCE_DATABASE_URL", database_url)
    return database_url


@pytest.fixture()
def fake_analyzer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the real encoder: every sentence evidences the framework's first competency."""
    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))


def test_a_table_is_screened_into_a_batch_and_a_row_without_text_is_reported(
        tmp_path: Path, store_url: str, fake_analyzer: None) -> None:
    table = tmp_path / "applicants.csv"
    table.write_text("id,name,text\nA1,Ann Lee,I trained six volunteers.\nA2,Bob Roy,\nA3,Cat Day,I ran a "
                     "food bank. I chaired meetings.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(table), "-f", CLW, "--role", CLW, "--name", "Spring intake",
                                      "--by", "rec"])
    assert result.exit_code == 1, result.output  # one row skipped, the others saved
    assert "A2" in result.stderr and "no text" in result.stderr
    assert re.search(r"saved batch 'Spring intake' \(id \d+\): 2 documents screened, 1 skipped", result.stdout)
    with Store.open(store_url) as store:
        [batch] = store.list_batches()
        assert (batch.name, batch.framework_id, batch.role_id, batch.blind, batch.created_by, batch.model_version) == (
            "Spring intake", CLW, CLW, False, "rec", "fake-model")
        docs = store.documents(batch.id)
    assert [(d.external_id, d.name, d.source) for d in docs] == [("A1", "Ann Lee", "applicants.csv:2"),
                                                                 ("A3", "Cat Day", "applicants.csv:4")]
    assert [len(d.analysis.units) for d in docs] == [1, 2]


def test_blind_screening_redacts_and_uses_pseudonyms_as_the_app_does(
        tmp_path: Path, store_url: str, fake_analyzer: None) -> None:
    table = tmp_path / "named.csv"
    # "Surname" and "E-mail" are not the name column: the app's redaction still reads them (identifying_columns)
    table.write_text("id,First name,Surname,E-mail,text\n"
                     "r1,Jo,Okonkwo-Baptiste,jo@example.org,Okonkwo-Baptiste here. Write to jo@example.org. "
                     "I led a team.\n"
                     "r2,Max,Quill,max@example.org,I mentored two starters.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(table), "-f", CLW, "--name", "blind one", "--blind"])
    assert result.exit_code == 0, result.output
    assert "blind review" in result.stdout
    with Store.open(store_url) as store:
        [batch] = store.list_batches()
        docs = store.documents(batch.id)
    assert batch.blind
    assert sorted(d.external_id for d in docs) == ["Applicant 01", "Applicant 02"]
    jo = next(d for d in docs if d.original_id == "r1")
    assert "Okonkwo" not in jo.shown_text and "jo@example.org" not in jo.shown_text
    assert "Okonkwo" not in jo.analysis.model_dump_json()  # what reviewers see was analysed redacted
    assert jo.text.startswith("Okonkwo-Baptiste here.")  # the original is kept beside it
    assert jo.source == "named.csv:2"


def test_a_folder_is_screened_and_an_unreadable_file_is_reported(
        tmp_path: Path, store_url: str, fake_analyzer: None) -> None:
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "ann.txt").write_text("I trained six volunteers in safeguarding.", encoding="utf-8")
    (folder / "bob.txt").write_text("I set up a weekly drop-in.", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"not a pdf")
    (folder / "bob.md").write_text("Another statement under the same id.", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(folder), "-f", CLW, "--name", "folder batch"])
    assert result.exit_code == 1, result.output
    assert "broken.pdf" in result.stderr
    assert re.search(r"bob\.txt: another input \(\S*bob\.md\) has the same id 'bob'", result.stderr)
    assert "2 documents screened, 2 skipped" in result.stdout
    with Store.open(store_url) as store:
        [batch] = store.list_batches()
        assert [(d.external_id, d.source) for d in store.documents(batch.id)] == [("ann", "ann.txt"),
                                                                                  ("bob", "bob.md")]


def test_nothing_readable_or_a_bad_option_exits_2_and_saves_nothing(
        tmp_path: Path, store_url: str, fake_analyzer: None) -> None:
    (tmp_path / "s.txt").write_text("I trained six volunteers.", encoding="utf-8")
    runner = CliRunner()
    missing = runner.invoke(app, ["screen", str(tmp_path / "missing.txt"), "-f", CLW, "--name", "x"])
    assert missing.exit_code == 2 and "error:" in missing.stderr and "missing.txt" in missing.stderr
    role = runner.invoke(app, ["screen", str(tmp_path / "s.txt"), "-f", CLW, "--role", "astronaut", "--name", "x"])
    assert role.exit_code == 2 and "astronaut" in role.stderr
    unnamed = runner.invoke(app, ["screen", str(tmp_path / "s.txt"), "-f", CLW, "--name", " "])
    assert unnamed.exit_code == 2 and "--name" in unnamed.stderr
    no_name = runner.invoke(app, ["screen", str(tmp_path / "s.txt"), "-f", CLW])
    assert no_name.exit_code == 2  # --name is required
    with Store.open(store_url) as store:
        assert store.list_batches() == []


@pytest.mark.slow
def test_the_sample_batch_screened_with_the_real_model_is_listed_with_its_24_documents(store_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["screen", str(SAMPLE_BATCH), "-f", CLW, "--role", CLW, "--name", "CLW sample",
                                 "--blind"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["batches", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    [batch] = json.loads(listed.stdout)
    assert (batch["name"], batch["framework"], batch["documents"], batch["blind"]) == ("CLW sample", CLW, 24, True)
    with Store.open(store_url) as store:
        docs = store.documents(batch["id"])
        assert sum(len(d.analysis.units) for d in docs) > 24 and store.review_queue(batch_id=batch["id"])
        assert not any(d.name and d.name in d.shown_text for d in docs)  # each applicant's name redacted
