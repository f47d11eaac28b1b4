"""`evidence analyse`: suggest the competencies and levels a document, a batch table or a folder evidences."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FrameworkOption, ModelOption, OutputOption, write_output
from evidence.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from evidence.domain import Document


class AnalyseFormat(str, Enum):
    json = "json"
    csv = "csv"
    md = "md"


def _read_documents(path: Path, id_column: str, text_column: str) -> tuple[list[Document], list[str]]:
    """The readable documents under ``path``, and a message for each one skipped (also said on stderr)."""
    from evidence.io.documents import iter_documents  # lazy: see the evidence.cli docstring

    documents, errors = [], []
    for item in iter_documents(path, id_column=id_column, text_column=text_column):
        if isinstance(item, Exception):
            errors.append(str(item))
            typer.echo(f"skipped: {item}", err=True)
        else:
            documents.append(item)
    if not documents:
        raise InputError(errors[0] if len(errors) == 1 else f"no readable documents in {path}")
    return documents, errors


def analyse(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A .txt/.md/.docx/.pdf file, a CSV/XLSX batch, "
                                                              "or a folder of them.")],
    framework_id: FrameworkOption,
    role_id: Annotated[str | None, typer.Option("--role", help="Role profile to check coverage against.")] = None,
    fmt: Annotated[AnalyseFormat, typer.Option("--format")] = AnalyseFormat.json,
    id_column: Annotated[str, typer.Option(help="Batch tables: the id column.")] = "id",
    text_column: Annotated[str, typer.Option(help="Batch tables: the text column.")] = "text",
    model: ModelOption = "promoted",
    output: OutputOption = None,
) -> None:
    """Suggest the competencies and levels each sentence of the text evidences."""
    from rich.progress import Progress  # lazy, as every import here: see the evidence.cli docstring

    from evidence.frameworks.catalogue import get_framework
    from evidence.reporting.render import analyses_to_rows, analysis_to_json, analysis_to_markdown
    from evidence.services.analyzers import load_analyzer

    framework = get_framework(framework_id)
    analyzer = load_analyzer(framework, model)
    try:
        role = framework.role(role_id) if role_id else None
    except KeyError as exc:  # str(exc) keeps the message (and quotes) the CLI has always printed
        raise NotFoundError(str(exc)) from exc
    documents, errors = _read_documents(path, id_column, text_column)
    with Progress(transient=True, disable=len(documents) < 2 or not sys.stderr.isatty()) as bar:
        task = bar.add_task("analysing", total=len(documents))
        analyses = list(analyzer.analyse(documents, role=role, progress=lambda n: bar.advance(task, n)))
    if fmt is AnalyseFormat.json:
        text = json.dumps({"framework": framework.id, "role": role.id if role else None,
                           "model_version": analyzer.model_version,
                           "documents": [analysis_to_json(a) for a in analyses], "errors": errors},
                          ensure_ascii=False, indent=1)
    elif fmt is AnalyseFormat.csv:
        import pandas as pd  # half a second to import: only the CSV format needs it

        text = pd.DataFrame(analyses_to_rows(analyses)).to_csv(index=False)
    else:
        text = "\n".join(analysis_to_markdown(a, framework) for a in analyses)
    write_output(text, output)
