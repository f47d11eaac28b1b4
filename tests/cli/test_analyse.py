"""`evidence analyse` (evidence.cli.analyse): the JSON contract on the real engine, batch errors and exit
status, odd file names, streaming output and progress."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from evidence.cli import analyse as analyse_command
from evidence.cli import app
from evidence.domain import Document, DocumentAnalysis, Framework, Role
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
    assert result.exit_code == 1, result.output  # some inputs failed, the others were analysed
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["good"]
    assert "broken.pdf" in data["errors"][0] and "broken.pdf" in result.stderr


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


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["analyse", *args, "-f", "community-link-worker"])


def _statements(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text(f"I trained six volunteers for {name}. I planned the rota.", encoding="utf-8")


def test_a_folder_batch_analyses_the_good_files_names_the_bad_one_and_exits_1(tmp_path: Path,
                                                                             fake_analyzer: None) -> None:
    _statements(tmp_path, "a.txt", "c.md")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7 not really")
    result = _run(str(tmp_path))
    assert result.exit_code == analyse_command.EXIT_SOME_FAILED == 1, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["a", "c"]
    assert len(data["errors"]) == 1 and "b.pdf" in data["errors"][0]
    assert "skipped: " in result.stderr and "b.pdf" in result.stderr and "Traceback" not in result.output


def test_a_batch_with_nothing_wrong_exits_0_with_an_empty_errors_list(tmp_path: Path, fake_analyzer: None) -> None:
    _statements(tmp_path, "a.txt", "b.txt")
    result = _run(str(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"framework", "role", "model_version", "documents", "errors"} <= set(data) and data["errors"] == []
    for doc in data["documents"]:  # the contract's fields (README, ../shared/checks/contract-check)
        assert {"id", "units", "competencies", "coverage"} <= set(doc)
        assert all({"text", "start", "end", "suggestions"} <= set(u) for u in doc["units"])
        assert all({"competency", "level", "score", "indicator"} <= set(s) for u in doc["units"]
                   for s in u["suggestions"])


def test_json_lines_give_a_line_per_document_and_per_failure(tmp_path: Path, fake_analyzer: None) -> None:
    _statements(tmp_path, "a.txt", "c.txt")
    (tmp_path / "b.docx").write_bytes(b"not a zip")
    result = _run(str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 1, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert ["b.docx" in line["error"] for line in lines if "error" in line] == [True]
    assert [line["id"] for line in lines if "id" in line] == ["a", "c"]
    assert all(line["framework"] == "community-link-worker" for line in lines if "id" in line)


class _Flaky(FakeAnalyzer):
    """Fails on any batch holding a document whose text says BOOM, as the engine did on a 1.2 M-character
    paragraph (spaCy E088, reliability.md D03): the whole batch's generator dies."""

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
        batch = list(documents)
        if any("BOOM" in d.text for d in batch):
            raise ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000")
        yield from super().analyse(batch, role=role, progress=progress)


def test_a_document_the_analysis_fails_on_is_reported_and_the_rest_analysed(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": _Flaky(framework))
    _statements(tmp_path, "a.txt", "c.txt")
    (tmp_path / "b.txt").write_text("BOOM. I led the team.", encoding="utf-8")
    result = _run(str(tmp_path), "--format", "csv")
    assert result.exit_code == 1, result.output
    assert {line.split(",")[0] for line in result.stdout.splitlines()[1:]} == {"a", "c"}
    assert "b.txt: could not be analysed (ValueError: [E088]" in result.stderr and "Traceback" not in result.output


def test_an_analysis_that_fails_on_everything_stops_with_one_error(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": _Flaky(framework))
    for i in range(30):
        (tmp_path / f"s{i:02d}.txt").write_text("BOOM.", encoding="utf-8")
    result = _run(str(tmp_path))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"failed on each of the first {analyse_command.FAILURES_BEFORE_GIVING_UP} documents" in result.stderr


def test_results_are_written_as_documents_finish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    seen: list[str] = []

    class Watching(FakeAnalyzer):
        def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                    progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
            for analysis in super().analyse(documents, role=role):
                seen.append(out.read_text(encoding="utf-8") if out.exists() else "")
                yield analysis

    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": Watching(framework))
    folder = tmp_path / "in"
    folder.mkdir()
    _statements(folder, "a.txt", "b.txt", "c.txt")
    result = _run(str(folder), "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [text.count("\n") for text in seen] == [0, 1, 2]  # each document was on disk before the next was done


def test_a_file_name_that_is_not_utf8_is_written_escaped(tmp_path: Path, fake_analyzer: None) -> None:
    """reliability.md D09: a file named b'\\xff\\xfe.txt' crashed writing -o, after the whole analysis."""
    folder = tmp_path / "in"
    folder.mkdir()
    _statements(folder, "ok.txt")
    try:
        (Path(os.fsdecode(os.fsencode(folder) + b"/\xff\xfe.txt"))).write_text("I led the team.", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    for fmt in ("json", "csv", "md", "jsonl"):
        out = tmp_path / f"out.{fmt}"
        result = _run(str(folder), "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "\\udcff\\udcfe" in out.read_text(encoding="utf-8")  # strict UTF-8, the bytes shown as escapes
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["ok", "\udcff\udcfe"]  # JSON's own escape, read back
    result = _run(str(folder))  # stdout too
    assert result.exit_code == 0 and len(json.loads(result.stdout)["documents"]) == 2


def test_terminal_escapes_in_a_file_name_are_shown_escaped(tmp_path: Path, fake_analyzer: None) -> None:
    """reliability.md D11: a file named '\\x1b]0;PWNED\\x07\\x1b[31mred' was echoed raw to stderr."""
    _statements(tmp_path, "ok.txt")
    (tmp_path / "\x1b]0;PWNED\x07\x1b[31mred\u202e.pdf").write_bytes(b"not a pdf")
    result = _run(str(tmp_path))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b]0;PWNED\\x07\\x1b[31mred\\u202e.pdf" in result.stderr
    assert "PWNED" in json.loads(result.stdout)["errors"][0]  # the output names the file too


def test_progress_lines_go_to_a_non_terminal_stderr(tmp_path: Path, fake_analyzer: None) -> None:
    table = tmp_path / "batch.csv"
    table.write_text("id,text\n" + "".join(f"r{i},I planned the rota {i}.\n" for i in range(250)),
                     encoding="utf-8")
    result = _run(str(table), "--format", "csv")
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("analysed ")]
    assert [line.split()[1] for line in progress] == ["100/250", "200/250", "250"]
    assert "/s, about " in progress[0] and " left)" in progress[0]
    assert "analysed" not in result.stdout and len(result.stdout.splitlines()) == 251


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path, fake_analyzer: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming to a pipe whose reader stopped (`evidence analyse big.csv | head`): no traceback."""
    def closed(self: object, text: str) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(analyse_command.Output, "write", closed)
    _statements(tmp_path, "a.txt", "b.txt")
    result = _run(str(tmp_path), "--format", "jsonl")
    assert result.exit_code == analyse_command.EXIT_STDOUT_CLOSED == 141, result.output
    assert isinstance(result.exception, SystemExit)  # an exit status, not an error escaping the command


def test_a_batch_table_is_read_as_the_analysis_takes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: a 100k-row table read whole put 351 MB on the peak; its rows are now read a chunk at a time,
    so when the first document is analysed the last chunk has not been parsed into documents yet."""
    from evidence.io import documents as reading

    monkeypatch.setattr(reading, "TABLE_CHUNK_ROWS", 2)
    made: list[str] = []
    original = reading._row_items

    def watched(*args: object, **kwargs: object) -> Iterator[Document | Exception]:
        for item in original(*args, **kwargs):  # type: ignore[arg-type]
            made.append(getattr(item, "id", "problem"))
            yield item

    monkeypatch.setattr(reading, "_row_items", watched)
    made_when_analysed: list[int] = []

    class Watching(FakeAnalyzer):
        def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                    progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
            for document in documents:
                made_when_analysed.append(len(made))
                yield from super().analyse([document], role=role)

    monkeypatch.setattr(analyzers, "load_analyzer", lambda framework, model="promoted": Watching(framework))
    batch = tmp_path / "batch.csv"
    batch.write_text("id,text\n" + "".join(f"r{i},I led the team number {i}.\n" for i in range(6)) + "r6,\n",
                     encoding="utf-8")
    result = _run(str(batch), "--format", "jsonl")
    assert result.exit_code == 1, result.output  # the row without text is reported, the rest analysed
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines if "id" in line] == [f"r{i}" for i in range(6)]
    assert "batch.csv:8 (r6): no text" in lines[-1]["error"]
    assert made_when_analysed[0] <= 2 and made_when_analysed == sorted(made_when_analysed)


def test_progress_counts_every_row_of_a_table_before_reading_it(tmp_path: Path, fake_analyzer: None) -> None:
    from evidence.io.documents import count_documents

    (tmp_path / "batch.csv").write_text("id,text\n" + "".join(f"r{i},Text {i}.\n" for i in range(250)),
                                        encoding="utf-8")
    (tmp_path / "one.txt").write_text("I led the team.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"not read")
    assert count_documents(tmp_path) == 251
    assert count_documents(tmp_path / "batch.csv") == 250
