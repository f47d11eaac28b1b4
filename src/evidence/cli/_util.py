"""What the command modules share: the option types they repeat, writing results to stdout or a file, showing
user-supplied names safely on a terminal, and batch progress on stderr."""

from __future__ import annotations

import codecs
import io
import logging
import math
import os
import sys
import time
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import IO, Annotated

import typer

from evidence.io.limits import printable


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format")]
FrameworkOption = Annotated[str, typer.Option("--framework", "-f", help="Framework id.")]
ModelOption = Annotated[str, typer.Option(help="'promoted' (default), 'zero-shot', or a model version.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")]
LevelsOption = Annotated[str | None, typer.Option(help="Scale for a table, lowest first: 1,2,3")]

class PrintableFormatter(logging.Formatter):
    """Log records for stderr with what a terminal would act on escaped: a reader's warning names the
    file (``x.txt is not UTF-8``), and a file name can carry escape sequences (D11)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def say(message: str) -> None:
    """A message for the person at the terminal, on stderr, with anything a terminal would act on escaped."""
    typer.echo(printable(message), err=True)


class Output:
    """Where a command's result goes: stdout, or ``path`` in UTF-8, opened at the first write (a run that
    fails before writing anything leaves an existing file as it was).

    Any text can be written: a character the stream's encoding cannot take (a lone surrogate from a
    file name that is not UTF-8, D09) is written as its backslash escape, which inside a JSON string
    is the JSON escape of the same character. ``unicode`` says whether the stream takes every other
    character, so JSON writers know whether to escape non-ASCII themselves.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self.written = False
        encoding = "utf-8" if path else (getattr(sys.stdout, "encoding", None) or "utf-8")
        self.unicode = codecs.lookup(encoding).name == "utf-8"

    def write(self, text: str) -> None:
        if self.path is not None:
            if self._file is None:
                self._file = self.path.open("w", encoding="utf-8", errors="backslashreplace", newline="")
            self._file.write(text)
        else:
            encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
        self.written = True

    def flush(self) -> None:
        (self._file or sys.stdout).flush()

    def close(self, *, announce: bool = True) -> None:
        """Close the file (saying on stderr that it was written, when ``announce``), or flush stdout."""
        if self._file is not None:
            self._file.close()
            self._file = None
            if announce:
                say(f"wrote {self.path}")
        elif self.path is None:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                stdout_gone()
                raise

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(announce=kind is None)  # an interrupted run wrote part of the file: it does not say "wrote"


def stdout_gone() -> None:
    """After the reader of stdout went away (``evidence analyse big.csv | head``): point stdout at the null
    device, so that the interpreter's last flush does not fail again with a traceback on the way out."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # no file descriptor (a test's captured stream)
        pass


def write_output(text: str, output: Path | None) -> None:
    """``text`` to ``output`` (saying so on stderr), or to stdout with one trailing newline."""
    with Output(output) as out:
        out.write(text if output or text.endswith("\n") else text + "\n")


def format_number(value: float | None) -> str:
    """A metric for a table column: three decimals, or '-' when there is none."""
    return f"{value:.3f}" if isinstance(value, float) else "-"


def format_duration(seconds: float) -> str:
    """A duration for a progress line: '45s', '12m 05s', '3h 02m'."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class BatchProgress:
    """Progress of a batch of ``total`` items on stderr, never on stdout.

    On a terminal, a rich progress bar (cleared at the end). Otherwise (a log file, a pipe, CI) one line
    every ``every`` items, with the rate and the time left, and a closing line with the count, the
    failures and the time taken. ``every`` defaults to 1% of the batch but at least 100 items: at the
    analyser's rate on this machine (37 statements/s for a 10k-row table, reliability.md) that is a line
    about every 3 s for small batches and at most about a hundred lines for a 100k-row table.
    """

    def __init__(self, total: int, *, what: str = "documents", every: int | None = None,
                 terminal: bool | None = None) -> None:
        self.total, self.what, self.done, self.failed = total, what, 0, 0
        self.every = every or max(100, math.ceil(total / 100))
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self._start = time.monotonic()
        self._bar = None
        if self.terminal and total > 1:
            from rich.console import Console  # lazy, as every import of the CLI: see evidence.cli's docstring
            from rich.progress import Progress

            self._bar = Progress(transient=True, console=Console(stderr=True))
            self._task = self._bar.add_task(f"analysing {what}", total=total)

    def __enter__(self) -> BatchProgress:
        self._start = time.monotonic()
        if self._bar is not None:
            self._bar.start()
        return self

    def advance(self, *, failed: bool = False) -> None:
        """One more item done (``failed``: it could not be processed)."""
        self.done += 1
        self.failed += failed
        if self._bar is not None:
            self._bar.advance(self._task, 1)
        elif self.done % self.every == 0 and self.done < self.total:
            say(self.line())

    def line(self) -> str:
        elapsed = max(time.monotonic() - self._start, 1e-9)
        rate = self.done / elapsed
        left = f", about {format_duration((self.total - self.done) / rate)} left" if rate and self.total else ""
        failed = f", {self.failed} failed" if self.failed else ""
        return f"analysed {self.done}/{self.total} {self.what}{failed} ({rate:.1f}/s{left})"

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
        if kind is None and self.total > 1:
            elapsed = time.monotonic() - self._start
            failed = f", {self.failed} failed" if self.failed else ""
            say(f"analysed {self.done} {self.what}{failed} in {format_duration(elapsed)} "
                f"({self.done / max(elapsed, 1e-9):.1f}/s)")
