"""`evidence analyse`: suggest the competencies and levels a document, a batch table or a folder evidences.

A batch streams: documents are read as the analysis takes them (a batch table a chunk of rows at a time,
after one pass that checks its columns and ids and counts its rows for the progress line), each result is
written (a CSV row group, a JSON line, a document of the JSON array) as soon as it is analysed, and no
analysis is kept after it is written. Memory is flat in the batch size (bench/large_batch.py: peak RSS 462 MB at
10k rows, 473 MB at 100k; 891 MB and 1,289 MB when the table was held as text and the encoder ran on torch).

A file or row that cannot be read, or a document the analysis fails on, is reported on stderr and in
the output (``errors`` in JSON, an ``error`` line in JSON lines, a last section in Markdown), and the
rest are analysed. Exit status: 0 every input was analysed; 1 some inputs failed and the others were
analysed and written; 2 nothing could be analysed, or a usage error (as every command, see evidence.cli);
141 the reader of stdout went away (`| head`), as for a tool ended by SIGPIPE.

``--engine ray --workers N`` analyses the same documents with a Ray Data pipeline of N worker actors
(evidence.services.distributed, the ``ray`` extra) instead of this process's analyzer; reading, failures,
order and output are the same, written by the same writers.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from evidence.cli._util import BatchProgress, FrameworkOption, ModelOption, Output, OutputOption, say
from evidence.errors import EvidenceError, InputError, NotFoundError
from evidence.io.cells import CSV_LINE_END
from evidence.io.limits import printable

if TYPE_CHECKING:
    from evidence.domain import Document, DocumentAnalysis, Framework, Role

logger = logging.getLogger(__name__)

EXIT_SOME_FAILED = 1  # some inputs could not be read or analysed; the others were (2 is "nothing was")
EXIT_STDOUT_CLOSED = 141  # the reader of stdout went away (`| head`): what a shell reports for a SIGPIPE death
# Consecutive documents the analysis fails on, with none analysed yet, after which the fault is taken to be
# the model's or the set-up's rather than the documents' and the run stops (one message, not 100k).
FAILURES_BEFORE_GIVING_UP = 10


class AnalyseFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


class AnalyseEngine(str, Enum):
    local = "local"
    ray = "ray"


class Analyser(Protocol):
    """What the command needs of an analyzer (evidence.engine's, or a test's stand-in)."""

    model_version: str

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]: ...


class _Source:
    """The documents under a path, read one at a time as the analysis takes them, so a batch is never held
    whole. An input that cannot be read waits in ``problems`` until the writer reports it; a reader that
    fails outright ends the reading with a problem saying how far it got, and what was read is analysed."""

    def __init__(self, path: Path, id_column: str, text_column: str) -> None:
        from evidence.io.documents import iter_documents  # lazy: see the evidence.cli docstring

        self.path = path
        self.problems: deque[InputError] = deque()
        self.exhausted = False
        self._items = iter_documents(path, id_column=id_column, text_column=text_column)
        self.read = 0

    def next(self) -> Document | None:
        """The next readable document, or None when there are no more."""
        while not self.exhausted:
            try:
                item = next(self._items)
            except StopIteration:
                self.exhausted = True
            except Exception as exc:  # a reader bug must not lose what was read: report it, analyse the rest
                logger.info("reading %s stopped", printable(str(self.path)), exc_info=True)
                self.problems.append(InputError(
                    f"{self.path}: reading stopped after {self.read} documents ({type(exc).__name__}: {exc}); "
                    "reading went no further (run with -v for details)"))
                self.exhausted = True
            else:
                if isinstance(item, InputError):
                    self.problems.append(item)
                else:
                    self.read += 1
                    return item
        return None


def _analyse_each(analyzer: Analyser, source: _Source, role: Role | None) -> Iterator[DocumentAnalysis | InputError]:
    """Each document's analysis, or an :class:`InputError` naming an input that could not be read or a
    document the analysis failed on, as they come.

    The analyzer works in batches of units across documents, and an exception ends its generator. So
    when one is raised, the documents it had taken and not yet returned are analysed again one at a
    time, to tell the failing one from the rest, and the analysis goes on with the documents after them.
    """
    taken: deque[Document] = deque()

    def feed() -> Iterator[Document]:
        while (document := source.next()) is not None:
            taken.append(document)
            yield document

    def problems() -> Iterator[InputError]:
        while source.problems:
            yield source.problems.popleft()

    analysed = failures = 0
    while True:
        retry = list(taken)
        taken.clear()
        for document in retry:  # after a failure: one at a time
            try:
                result: DocumentAnalysis | InputError = next(iter(analyzer.analyse([document], role=role)))
                analysed += 1
            except Exception as exc:  # any failure on one document is reported, and the batch goes on
                failures += 1
                if not analysed and failures >= FAILURES_BEFORE_GIVING_UP:
                    raise EvidenceError(f"the analysis failed on each of the first {failures} documents "
                                        f"({type(exc).__name__}: {exc}); check the model (--model) and run with "
                                        "-v for details") from exc
                result = _analysis_failure(document, exc)
            yield result
        yield from problems()
        if source.exhausted:
            return
        batch = analyzer.analyse(feed(), role=role)
        while True:
            try:
                analysis = next(batch)
            except StopIteration:
                break
            except Exception:  # the documents taken and not returned are retried one at a time, above
                if not taken:  # no document to blame: the failure is not the documents'
                    raise
                logger.info("a batch failed; analysing its %d documents one at a time", len(taken), exc_info=True)
                break
            taken.popleft()  # results come in the order the documents went in
            analysed += 1
            yield analysis
            yield from problems()


def _analyse_each_with_ray(source: _Source, framework: Framework, model_version: str, role: Role | None, *,
                           workers: int | None, address: str | None) -> Iterator[DocumentAnalysis | InputError]:
    """As :func:`_analyse_each`, by a Ray Data pipeline: each document's analysis or the failure that replaces it,
    in input order, and each input that could not be read after the document read before it (after the first
    document when none was). The local engine reports those when its read-ahead reaches them, so their lines
    in JSON lines may come elsewhere; the JSON's ``errors``, the CSV rows and the Markdown are the same."""
    from evidence.services.distributed import analyse_with_ray

    unread: deque[tuple[int, InputError]] = deque()  # (documents read before it, the problem)

    def feed() -> Iterator[Document]:
        while True:
            document = source.next()
            unread.extend((source.read - (document is not None), problem) for problem in source.problems)
            source.problems.clear()
            if document is None:
                return
            yield document

    def problems(done: int) -> Iterator[InputError]:
        while unread and max(unread[0][0], 1) <= done:
            yield unread.popleft()[1]

    analysed = failures = done = 0
    for document, outcome in analyse_with_ray(feed(), framework, model_version, role, workers=workers,
                                              address=address):
        if isinstance(outcome, BaseException):
            failures += 1
            if not analysed and failures >= FAILURES_BEFORE_GIVING_UP:
                raise EvidenceError(f"the analysis failed on each of the first {failures} documents "
                                    f"({type(outcome).__name__}: {outcome}); check the model (--model) and run "
                                    "with -v for details") from outcome
            yield _analysis_failure(document, outcome)
        else:
            analysed += 1
            yield outcome
        done += 1
        yield from problems(done)
    yield from problems(max(done, 1))


def _analysis_failure(document: Document, exc: BaseException) -> InputError:
    logger.info("analysing %s failed", printable(document.source or document.id), exc_info=True)
    where = document.source or document.id
    if isinstance(exc, EvidenceError):
        return InputError(f"{where}: {exc}")
    return InputError(f"{where}: could not be analysed ({type(exc).__name__}: {exc}); skipped (run with -v for "
                      "details)")


class _Writer:
    """Writes one format as documents come: ``document`` for each analysis, ``error`` for each failed
    input, ``close`` at the end with every failure's message."""

    def __init__(self, out: Output, framework: Framework, role: Role | None, model_version: str) -> None:
        self.out, self.framework, self.role, self.model_version = out, framework, role, model_version
        self.count = 0

    def document(self, analysis: DocumentAnalysis) -> None:
        self.count += 1

    def error(self, message: str) -> None:
        """An input that failed, as it is found."""

    def close(self, errors: list[str]) -> None:
        """The end of the output, with every failure's message (written only when a document was)."""


class _JsonWriter(_Writer):
    """The `--format json` contract as one JSON object, written incrementally: one document per line
    inside ``documents``, then ``errors`` (extra fields are allowed by the contract)."""

    def _dumps(self, value: object) -> str:
        return json.dumps(value, ensure_ascii=not self.out.unicode)

    def document(self, analysis: DocumentAnalysis) -> None:
        from evidence.reporting.render import analysis_to_json

        if not self.count:
            self.out.write(f'{{"framework": {self._dumps(self.framework.id)}, '
                           f'"role": {self._dumps(self.role.id if self.role else None)}, '
                           f'"model_version": {self._dumps(self.model_version)},\n"documents": [\n')
        self.out.write(("" if not self.count else ",\n") + self._dumps(analysis_to_json(analysis)))
        self.out.flush()
        super().document(analysis)

    def close(self, errors: list[str]) -> None:
        self.out.write(f'\n],\n"errors": {self._dumps(errors)}}}\n')


class _JsonLinesWriter(_JsonWriter):
    """`--format jsonl`: one line per document (the objects of the JSON format's ``documents``, with its
    framework, role and model version), and one ``{"error": ...}`` line per input that failed, in the
    order they come (those before the first document once it is written)."""

    def __init__(self, out: Output, framework: Framework, role: Role | None, model_version: str) -> None:
        super().__init__(out, framework, role, model_version)
        self._pending: list[str] = []

    def document(self, analysis: DocumentAnalysis) -> None:
        from evidence.reporting.render import analysis_to_json

        for message in self._pending:
            self.out.write(self._dumps({"error": message}) + "\n")
        self._pending.clear()
        record = {"framework": self.framework.id, "role": self.role.id if self.role else None,
                  "model_version": self.model_version, **analysis_to_json(analysis)}
        self.out.write(self._dumps(record) + "\n")
        self.out.flush()
        self.count += 1

    def error(self, message: str) -> None:
        if self.count:
            self.out.write(self._dumps({"error": message}) + "\n")
        else:
            self._pending.append(message)

    def close(self, errors: list[str]) -> None:
        """Nothing to add: every failure has its line."""


class _CsvWriter(_Writer):
    """`--format csv`: one row per (document, unit, suggestion), rows written as each document finishes."""

    def __init__(self, out: Output, framework: Framework, role: Role | None, model_version: str) -> None:
        import csv

        super().__init__(out, framework, role, model_version)
        # CRLF rows: the writer then quotes a field holding a CR, which would otherwise start a spreadsheet row
        self._csv = csv.writer(out, lineterminator=CSV_LINE_END)
        self._header = False

    def document(self, analysis: DocumentAnalysis) -> None:
        from evidence.reporting.render import analyses_to_rows

        rows = analyses_to_rows([analysis])
        if rows and not self._header:
            self._csv.writerow(list(rows[0]))  # the column names
            self._header = True
        self._csv.writerows(row.values() for row in rows)
        self.out.flush()
        super().document(analysis)


class _MarkdownWriter(_Writer):
    """`--format md`: a report per document, and the inputs that failed in a last section."""

    def document(self, analysis: DocumentAnalysis) -> None:
        from evidence.reporting.render import analysis_to_markdown

        self.out.write(("\n" if self.count else "") + analysis_to_markdown(analysis, self.framework))
        self.out.flush()
        super().document(analysis)

    def close(self, errors: list[str]) -> None:
        if errors:
            self.out.write("\n## Not analysed\n\n" + "".join(f"- {printable(e)}\n" for e in errors))


WRITERS: dict[AnalyseFormat, type[_Writer]] = {AnalyseFormat.json: _JsonWriter, AnalyseFormat.jsonl: _JsonLinesWriter,
                                              AnalyseFormat.csv: _CsvWriter, AnalyseFormat.md: _MarkdownWriter}


def analyse(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A .txt/.md/.docx/.pdf file, a CSV/XLSX batch, "
                                                              "or a folder of them.")],
    framework_id: FrameworkOption,
    role_id: Annotated[str | None, typer.Option("--role", help="Role profile to check coverage against.")] = None,
    fmt: Annotated[AnalyseFormat, typer.Option("--format", help="json (one object), jsonl (a line per document), "
                                                                "csv or md; written as documents finish.")
                   ] = AnalyseFormat.json,
    id_column: Annotated[str, typer.Option(help="Batch tables: the id column.")] = "id",
    text_column: Annotated[str, typer.Option(help="Batch tables: the text column.")] = "text",
    model: ModelOption = "promoted",
    output: OutputOption = None,
    engine: Annotated[AnalyseEngine, typer.Option("--engine", help="local (this process) or ray (a Ray Data "
                                                                   "pipeline: the ray extra).")
                      ] = AnalyseEngine.local,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="--engine ray: worker actors, each with "
                                                                         "its own model (default: every CPU).")
                       ] = None,
    ray_address: Annotated[str | None, typer.Option("--ray-address", help="--engine ray: an existing Ray cluster "
                                                                          "(ray://HOST:10001); default a local Ray.")
                           ] = None,
) -> None:
    """Suggest the competencies and levels each sentence of the text evidences.

    A file or row that cannot be read or analysed is reported and the rest are analysed. Exit status:
    0 all analysed, 1 some inputs failed (named on stderr and in the output), 2 nothing could be analysed.
    """
    from evidence.frameworks.catalogue import get_framework  # lazy, as every import here: see evidence.cli

    if engine is AnalyseEngine.local and (workers is not None or ray_address is not None):
        raise typer.BadParameter("--workers and --ray-address apply to --engine ray; add --engine ray, or leave "
                                 "them out", param_hint="--engine")
    framework = get_framework(framework_id)
    if engine is AnalyseEngine.ray:
        from evidence.services.distributed import import_ray, pinned_version

        import_ray()  # before any work: without the extra, say how to install it
        model_version = pinned_version(framework, model)  # the one version every worker loads
    else:
        from evidence.services.analyzers import load_analyzer

        analyzer = load_analyzer(framework, model)
        model_version = analyzer.model_version
    try:
        role = framework.role(role_id) if role_id else None
    except KeyError as exc:  # str(exc) keeps the message (and quotes) the CLI has always printed
        raise NotFoundError(str(exc)) from exc
    from evidence.io.documents import count_documents

    errors: list[str] = []
    total = count_documents(path, id_column=id_column, text_column=text_column)
    source = _Source(path, id_column, text_column)
    items = (_analyse_each(analyzer, source, role) if engine is AnalyseEngine.local else
             _analyse_each_with_ray(source, framework, model_version, role, workers=workers, address=ray_address))
    try:
        _write_all(items, source, errors, WRITERS[fmt](Output(output), framework, role, model_version), total=total)
    except BrokenPipeError as exc:
        raise typer.Exit(EXIT_STDOUT_CLOSED) from exc
    if errors:
        raise typer.Exit(EXIT_SOME_FAILED)


def _write_all(items: Iterator[DocumentAnalysis | InputError], source: _Source, errors: list[str], writer: _Writer,
               *, total: int) -> None:
    """Write each analysis of ``items`` (the documents of ``source``) as it comes, adding each failure to
    ``errors``."""
    with writer.out, BatchProgress(total) as progress:
        for item in items:
            if isinstance(item, InputError):
                errors.append(str(item))
                say(f"skipped: {item}")
                writer.error(str(item))
            else:
                writer.document(item)
            progress.advance(failed=isinstance(item, InputError))
        if not writer.count:
            if len(errors) == 1:
                raise InputError(printable(errors[0]))
            raise InputError(printable(f"no readable documents in {source.path}" if not source.read else
                                       f"no document in {source.path} could be analysed: " + "; ".join(errors[-3:])))
        writer.close(errors)
