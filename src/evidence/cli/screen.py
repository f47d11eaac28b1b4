"""`evidence screen`: analyse a statement file, a batch table or a folder of them, and save it to the store as a batch.

It goes the way of the app's Screen page (:func:`evidence.services.screening.screen`): with ``--blind`` the
statements are redacted and analysed under pseudonyms ("Applicant 07"), the originals and who each pseudonym
is kept beside them, and a table's other name, e-mail and profile columns feed the redaction as they do in
the app. The batch goes to the store of ``EVIDENCE_DATABASE_URL`` (SQLite in the data directory by default).

A file or row that cannot be read is reported on stderr and the rest are screened (as `evidence analyse`
does). Exit status: 0 every input was screened; 1 some inputs were skipped and the others saved; 2 nothing
could be screened, or a usage error (as every command, see evidence.cli).
"""

from __future__ import annotations

import getpass
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import BatchProgress, FrameworkOption, ModelOption, say
from evidence.errors import InputError, NotFoundError
from evidence.io.limits import printable

if TYPE_CHECKING:
    from evidence.domain import Document

logger = logging.getLogger(__name__)

EXIT_SOME_FAILED = 1  # as `evidence analyse`: some inputs were skipped, the others screened and saved


def screen(
    path: Annotated[Path, typer.Argument(metavar="FILE|FOLDER", help="A .txt/.md/.docx/.pdf file, a CSV/XLSX "
                                                                     "table (a row per applicant), or a folder.")],
    framework_id: FrameworkOption,
    name: Annotated[str, typer.Option("--name", help="The batch's name, as the app lists it.")],
    role_id: Annotated[str | None, typer.Option("--role", help="Role profile to rank the batch against.")] = None,
    blind: Annotated[bool, typer.Option(help="Redact names and contact details and show applicants under "
                                             "pseudonyms, as the app's Blind review.")] = False,
    id_column: Annotated[str, typer.Option(help="Batch tables: the id column.")] = "id",
    text_column: Annotated[str, typer.Option(help="Batch tables: the text column.")] = "text",
    model: ModelOption = "promoted",
    by: Annotated[str | None, typer.Option(help="Who screened it, as the app records the signed-in user; "
                                                "default: your login name.")] = None,
) -> None:
    """Screen statements against a framework (and role) and save them as a batch for the app and reviewers.

    A file or row that cannot be read is reported and the rest are screened. Exit status: 0 all screened,
    1 some inputs were skipped (named on stderr), 2 nothing could be screened.
    """
    from evidence.frameworks.catalogue import get_framework  # lazy, as every import here: see evidence.cli
    from evidence.services import screening
    from evidence.services.analyzers import load_analyzer
    from evidence.store import Store

    if not name.strip():
        raise InputError("--name is empty; give the batch a name the app will list it under")
    framework = get_framework(framework_id)
    try:
        role = framework.role(role_id) if role_id else None
    except KeyError as exc:
        raise NotFoundError(str(exc)) from exc
    documents, errors = _read_documents(path, id_column, text_column)
    names, hints = _identifying_cells(path, id_column, text_column) if blind else ({}, {})
    analyzer = load_analyzer(framework, model)
    with Store.open() as store, BatchProgress(len(documents)) as progress:
        def advance(done: int, total: int) -> None:
            while progress.done < done:
                progress.advance()

        batch_id = screening.screen(store, analyzer, documents, role=role, name=name.strip(), blind=blind,
                                    user=by if by is not None else _login(), progress=advance,
                                    names=names, hints=hints)
        batch = store.batch(batch_id)
    skipped = f", {len(errors)} skipped (see above)" if errors else ""
    typer.echo(printable(f"saved batch {batch.name!r} (id {batch.id}): {batch.documents} documents screened"
                         f"{skipped}; framework {batch.framework_id}, role {batch.role_id or 'none'}, "
                         f"{'blind' if batch.blind else 'named'} review, model {batch.model_version}"))
    if errors:
        raise typer.Exit(EXIT_SOME_FAILED)


def _read_documents(path: Path, id_column: str, text_column: str) -> tuple[list[Document], list[str]]:
    """The readable documents under ``path`` (as `evidence analyse` reads them), and a message for each input
    skipped, also said on stderr: unreadable files and rows, and a second document with an id already taken
    (the app's uploads skip those too: an id names one applicant in the batch)."""
    from evidence.io.documents import iter_documents  # lazy: see the evidence.cli docstring

    documents: list[Document] = []
    errors: list[str] = []
    taken: dict[str, str] = {}

    def skip(message: str) -> None:
        errors.append(message)
        say(f"skipped: {message}")

    try:
        for item in iter_documents(path, id_column=id_column, text_column=text_column):
            if isinstance(item, InputError):
                skip(str(item))
            elif item.id in taken:
                skip(f"{item.source or item.id}: another input ({taken[item.id]}) has the same id {item.id!r}; "
                     "rename one so every applicant has their own id")
            else:
                taken[item.id] = item.source or item.id
                # the file (and row) as the app records an upload's, without this machine's folders
                documents.append(item.model_copy(update={"source": Path(item.source).name}) if item.source else item)
    except Exception as exc:  # a reader bug must not lose what was read: report it, screen the rest
        logger.info("reading %s stopped", printable(str(path)), exc_info=True)
        skip(f"{path}: reading stopped after {len(documents)} documents ({type(exc).__name__}: {exc}); "
             "run with -v for details")
    if not documents:
        raise InputError(printable(errors[0] if len(errors) == 1 else f"no readable documents in {path}"))
    return documents, errors


def _identifying_cells(path: Path, id_column: str, text_column: str
                       ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """For blind redaction, as the app does: per row id, the cells of a table's other name columns and of its
    e-mail or profile columns (:func:`evidence.services.screening.identifying_columns`), for every table at
    ``path`` (the table itself, or those in the folder). A table that cannot be read was reported already."""
    from evidence.io.documents import TABLE_SUFFIXES
    from evidence.services.screening import identifying_columns, read_upload_table

    try:
        tables = sorted(p for p in path.iterdir() if p.suffix.lower() in TABLE_SUFFIXES) if path.is_dir() else (
            [path] if path.suffix.lower() in TABLE_SUFFIXES else [])
    except OSError:
        return {}, {}
    names: dict[str, list[str]] = {}
    hints: dict[str, list[str]] = {}
    for table in tables:
        try:
            frame = read_upload_table(table.name, table.read_bytes())
            more_names, more_hints = identifying_columns(frame, id_column=id_column, text_column=text_column,
                                                         name_column=None)
        except (InputError, OSError, KeyError):  # unreadable, or without the columns: _read_documents said so
            continue
        names.update(more_names)
        hints.update(more_hints)
    return names, hints


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database (a bare container)
        return ""

