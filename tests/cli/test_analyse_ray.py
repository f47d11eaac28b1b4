"""`evidence analyse --engine ray` (evidence.cli.analyse with evidence.services.distributed): the same output as
the local engine, suggestion for suggestion, on a folder and on a batch table; where unreadable inputs and failed
analyses are reported; the usage and missing-Ray errors."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result
from typer.testing import CliRunner

from evidence.cli import analyse as analyse_command
from evidence.cli import app
from evidence.config import SAMPLE_BATCH
from evidence.domain import Document, DocumentAnalysis, Framework, Role
from evidence.errors import InputError
from evidence.services import distributed
from tests.factories import FakeAnalyzer

FRAMEWORK = ["-f", "community-link-worker", "--role", "community-link-worker"]


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["analyse", *args, *FRAMEWORK])


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    """One local Ray of 2 CPUs for the module (starting one takes ~5 s); the command uses it and leaves it running."""
    ray = distributed.import_ray()
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
             _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder of four sample statements and an unreadable PDF, and a table of five sample rows."""
    sample = pd.read_csv(SAMPLE_BATCH)
    folder = tmp_path_factory.mktemp("statements")
    for i, text in enumerate(sample["text"][:4]):
        (folder / f"s{i}.txt").write_text(text, encoding="utf-8")
    (folder / "b-broken.pdf").write_bytes(b"not a pdf")
    table = folder.parent / "batch.csv"
    sample.head(5).to_csv(table, index=False)
    return folder, table


@pytest.mark.slow
@pytest.mark.parametrize(("which", "fmt"), [("folder", "jsonl"), ("folder", "md"), ("table", "json"),
                                            ("table", "csv")])
def test_ray_writes_what_the_local_engine_writes(ray_session: None, inputs: tuple[Path, Path], which: str,
                                                 fmt: str) -> None:
    path = str(inputs[0] if which == "folder" else inputs[1])
    local = _run(path, "--format", fmt)
    ray = _run(path, "--format", fmt, "--engine", "ray", "--workers", "2")
    assert local.exit_code == ray.exit_code == (1 if which == "folder" else 0), ray.output
    assert ray.stdout == local.stdout
    if fmt == "json":
        documents = json.loads(ray.stdout)["documents"]
        assert len(documents) == 5 and sum(len(u["suggestions"]) for d in documents for u in d["units"]) > 0
    if fmt == "jsonl":
        assert '"error": ' in ray.stdout and "b-broken.pdf" in ray.stderr


@pytest.mark.slow
def test_documents_split_over_windows_come_back_in_input_order(ray_session: None, inputs: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed, "WINDOW_PER_WORKER", 2)  # windows of 4: the 5 rows go to Ray as two datasets
    local = _run(str(inputs[1]), "--format", "jsonl")
    ray = _run(str(inputs[1]), "--format", "jsonl", "--engine", "ray", "--workers", "2")
    assert local.exit_code == ray.exit_code == 0, ray.output

    def units(result: Result) -> list[tuple[str, list[tuple[int, int]]]]:
        documents = [json.loads(line) for line in result.stdout.splitlines()]
        return [(d["id"], [(u["start"], u["end"]) for u in d["units"]]) for d in documents]

    # ids and units, not scores: the int8 encoder's scores move with the other texts in its batch (see README)
    assert units(ray) == units(local) and len(units(ray)) == 5


def _fake_ray(analyzer: FakeAnalyzer) -> object:
    """analyse_with_ray in this process: the analysis of each document, or the exception on one saying BOOM."""
    def run(documents: Iterable[Document], framework: Framework, model_version: str, role: Role | None,
            **options: object) -> Iterator[tuple[Document, DocumentAnalysis | BaseException]]:
        for document in list(documents):  # read ahead, as a window is
            outcome: DocumentAnalysis | BaseException = (ValueError("[E088] too long") if "BOOM" in document.text
                                                         else next(iter(analyzer.analyse([document]))))
            yield document, outcome
    return run


def test_unreadable_inputs_and_failed_analyses_come_in_input_order(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence.frameworks.catalogue import get_framework

    framework = get_framework("community-link-worker")
    monkeypatch.setattr(distributed, "analyse_with_ray", _fake_ray(FakeAnalyzer(framework)))
    (tmp_path / "a-broken.pdf").write_bytes(b"not a pdf")
    for name, text in [("b", "I led the team."), ("c", "BOOM."), ("d", "I planned."), ("f", "I listened.")]:
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "e-broken.pdf").write_bytes(b"not a pdf")
    source = analyse_command._Source(tmp_path, "id", "text")
    items = list(analyse_command._analyse_each_with_ray(source, framework, "zero-shot", None, workers=2,
                                                        address=None))
    seen = [f"error:{item}".split(":")[1].rsplit("/", 1)[-1] if isinstance(item, InputError) else item.document.id
            for item in items]
    # an unreadable first input after the first document (as the local engine), the others after the one before
    assert seen == ["b", "a-broken.pdf", "c.txt", "d", "e-broken.pdf", "f"]


def test_ten_failures_and_nothing_analysed_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence.frameworks.catalogue import get_framework

    framework = get_framework("community-link-worker")
    monkeypatch.setattr(distributed, "analyse_with_ray", _fake_ray(FakeAnalyzer(framework)))
    for i in range(30):
        (tmp_path / f"s{i:02d}.txt").write_text("BOOM.", encoding="utf-8")
    result = _run(str(tmp_path), "--engine", "ray", "--workers", "2")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"failed on each of the first {analyse_command.FAILURES_BEFORE_GIVING_UP} documents" in result.stderr


def test_without_ray_the_command_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError, as when it is not installed
    (tmp_path / "s.txt").write_text("I led the team.", encoding="utf-8")
    result = _run(str(tmp_path / "s.txt"), "--engine", "ray")
    assert result.exit_code == 2 and result.stdout == ""
    assert "pip install 'evidence[ray]'" in result.stderr


def test_workers_without_the_ray_engine_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("I led the team.", encoding="utf-8")
    result = _run(str(tmp_path / "s.txt"), "--workers", "2")
    assert result.exit_code == 2 and "--engine ray" in result.output
