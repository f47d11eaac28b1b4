"""What the command modules share (evidence.cli._util): numbers and writing output."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.cli._util import format_number, write_output


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
