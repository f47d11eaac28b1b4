"""What the command modules share (evidence.cli._util): numbers, writing output, escaping, progress."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from evidence.cli._util import (
    BatchProgress,
    Output,
    PrintableFormatter,
    format_duration,
    format_number,
    say,
    write_output,
)


def test_format_number() -> None:
    assert (format_number(0.66666), format_number(None), format_number(1.0)) == ("0.667", "-", "1.000")


def test_write_output_to_stdout_ends_with_one_newline(capsys: pytest.CaptureFixture[str]) -> None:
    write_output("a,b", None)
    write_output("c\n", None)
    assert capsys.readouterr().out == "a,b\nc\n"


def test_write_output_to_a_file_says_so_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_output("a,b", tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "a,b"
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"wrote {tmp_path / 'out.csv'}\n"



def test_say_writes_escaped_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    say("skipped: \x1b[2Jcleared.txt")
    assert capsys.readouterr().err == "skipped: \\x1b[2Jcleared.txt\n"


def test_output_writes_a_lone_surrogate_as_an_escape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """reliability.md D09: a non-UTF-8 file name (decoded with surrogates) crashed writing the result."""
    name = b"\xff\xfe".decode("utf-8", "surrogateescape")
    write_output(f'{{"id": "{name}"}}', tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_bytes().decode("utf-8")) == {"id": name}
    write_output(f"id,{name}", None)
    assert capsys.readouterr().out == "id,\\udcff\\udcfe\n"


def test_output_opens_its_file_only_when_written(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text("kept", encoding="utf-8")
    with pytest.raises(RuntimeError), Output(tmp_path / "old.json"):
        raise RuntimeError("failed before writing")
    assert (tmp_path / "old.json").read_text(encoding="utf-8") == "kept"


def test_format_duration() -> None:
    assert [format_duration(s) for s in (4.4, 65, 3600 * 3 + 125)] == ["4s", "1m 05s", "3h 02m"]


def test_batch_progress_prints_a_line_every_n_with_rate_and_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    with BatchProgress(5, every=2, terminal=False) as progress:
        for i in range(5):
            progress.advance(failed=i == 3)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in lines] == ["analysed 2/5 documents", "analysed 4/5 documents, 1 failed",
                                                      "analysed 5 documents, 1 failed in 0s"]
    assert "/s, about " in lines[0] and lines[0].endswith(" left)")


def test_batch_progress_is_one_line_per_percent_but_at_least_every_100() -> None:
    assert (BatchProgress(250, terminal=False).every, BatchProgress(100_000, terminal=False).every) == (100, 1000)


def test_the_log_formatter_escapes_file_names() -> None:
    record = logging.LogRecord("evidence.io", logging.WARNING, __file__, 1, "%s is not UTF-8", ("\x1b[31mx.txt",),
                               None)
    assert PrintableFormatter("%(levelname)s %(message)s").format(record) == "WARNING \\x1b[31mx.txt is not UTF-8"


def test_the_terminal_progress_bar_never_writes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with BatchProgress(3, terminal=True) as progress:
        for _ in range(3):
            progress.advance()
    captured = capsys.readouterr()
    assert captured.out == "" and "analysed 3 documents" in captured.err
