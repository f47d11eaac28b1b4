"""`evidence fairness`: an adverse impact report (Local Law 144's method for scores) of screening results on
self-declared demographics.

The scores are the overall match of each applicant: from the JSON that `evidence analyse ... --role R
--format json` writes (or its JSON lines), or from a batch saved in the store (``--batch NAME``; a blind
batch's applicants are matched by their original ids, never by the pseudonyms reviewers see). The
demographics file is a CSV/XLSX table: an id column and one column per category, blank where an
applicant did not declare. A saved batch's demographics uploaded on the app's Fairness page (stored apart from
the statements: :mod:`evidence.store.demographics`) are used when ``--demographics`` is not given; ``--measure
assessors`` audits the assessors' overall marks instead of the model's match (:mod:`evidence.review.impact`).
The method and its choices are in :mod:`evidence.reporting.fairness`.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import OutputOption, write_output
from evidence.errors import InputError, NotFoundError
from evidence.io.limits import printable

if TYPE_CHECKING:
    import pandas as pd


class Measure(str, Enum):
    match = "match"  # the model's overall match
    assessors = "assessors"  # the assessors' overall marks, as a match against the role (a saved batch only)


class FairnessFormat(str, Enum):
    json = "json"
    md = "md"
    csv = "csv"


def fairness(
    demographics: Annotated[Path | None, typer.Option(
        "--demographics", help="CSV/XLSX: an id column and one column per category; blank = not declared. "
                               "Default with --batch: the demographics stored for the batch.")] = None,
    results: Annotated[Path | None, typer.Argument(metavar="RESULTS", help="JSON written by `evidence analyse ... "
                                                                           "--role ROLE --format json` (or jsonl).")
                       ] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="A saved batch, by name, instead of RESULTS.")] = None,
    id_column: Annotated[str, typer.Option(help="The demographics file's id column.")] = "id",
    measure: Annotated[Measure, typer.Option("--measure", help="match (the model's overall match) or assessors "
                                                               "(the assessors' overall marks; --batch only).")
                       ] = Measure.match,
    fmt: Annotated[FairnessFormat, typer.Option("--format", help="json, md (a report) or csv (a row per group).")
                   ] = FairnessFormat.json,
    output: OutputOption = None,
) -> None:
    """Adverse impact of the overall match on self-declared groups (scoring rates, impact ratios, flags).

    A group's scoring rate is the share of its applicants scored strictly above the median of all applicants;
    its impact ratio is that rate over the highest rate in its category; under 0.8 is flagged; groups under
    2% of the applicants are excluded. The same for every intersection of two categories.
    """
    from evidence.io.tables import TableProblem, read_frame  # lazy, as every import here: see evidence.cli
    from evidence.reporting.fairness import adverse_impact, check_demographics, impact_markdown, impact_rows

    if (results is None) == (batch is None):
        raise InputError("give either RESULTS (the JSON of `evidence analyse ... --role ROLE --format json`) or "
                         "--batch NAME (a saved batch), not both and not neither")
    if demographics is None and batch is None:
        raise InputError("give --demographics FILE (an id column and one column per category); only a saved batch "
                         "(--batch NAME) has stored demographics to fall back on")
    if measure is Measure.assessors and batch is None:
        raise InputError("--measure assessors audits the assessors' overall marks of a saved batch: give --batch "
                         "NAME instead of RESULTS")
    problems: list[InputError] = []  # both inputs are checked before any is reported: every problem at once
    people: pd.DataFrame | None = None
    try:
        if results is not None:
            scores, source = _file_scores(results)
        else:
            scores, source, stored = _batch_scores(str(batch), measure, stored_demographics=demographics is None)
            if stored is not None:
                people, id_column = stored, "id"
    except InputError as exc:
        problems.append(exc)
    name = printable(str(demographics)) if demographics is not None else "the stored demographics"
    if demographics is not None:
        try:
            people = read_frame(demographics)
            check_demographics(people, id_column=id_column, source=name)
        except TableProblem as exc:
            problems.append(InputError(f"{name}: {exc.problem}; {exc.fix}"))
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise InputError("\n".join(str(p) for p in problems)) from problems[0]
    if people is None:  # cannot happen: read above, or stored (_batch_scores raises without either)
        raise InputError("no demographics to audit: give --demographics FILE")
    label = "assessors' overall mark" if measure is Measure.assessors else "match"
    report = adverse_impact(scores, people, id_column=id_column, measure=label, source=name)
    report["source"] = source
    if fmt is FairnessFormat.json:
        write_output(json.dumps(report, indent=1, ensure_ascii=False), output)
    elif fmt is FairnessFormat.md:
        write_output(impact_markdown(report, title=f"Adverse impact report: {source}"), output)
    else:
        write_output(_csv(impact_rows(report)), output)


def _file_scores(path: Path) -> tuple[pd.DataFrame, str]:
    """The scores of an `analyse` JSON (or JSON lines) file."""
    from evidence.io.tables import TableProblem, read_utf8
    from evidence.reporting.fairness import scores_from_results

    name = printable(str(path))
    try:
        text = read_utf8(path)
    except TableProblem as exc:
        raise InputError(f"{name}: {exc.problem}; {exc.fix}") from exc
    try:
        data: object = json.loads(text)
    except ValueError as exc:
        data = _json_lines(text, name, exc)
    return scores_from_results(data, source=name), name


def _json_lines(text: str, name: str, first: ValueError) -> list:
    """The documents of `analyse --format jsonl` output (its ``error`` lines left out)."""
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise InputError(f"{name}: not JSON ({first}) nor JSON lines (line {number} does not parse); give the "
                             "file `evidence analyse ... --role ROLE --format json` writes") from first
        if not (isinstance(record, dict) and "error" in record and "id" not in record):
            documents.append(record)
    return documents


def _batch_scores(name: str, measure: Measure, *, stored_demographics: bool
                  ) -> tuple[pd.DataFrame, str, pd.DataFrame | None]:
    """The scores of a saved batch: each applicant's original id (a blind batch's too) and overall match (the
    model's, or from the assessors' marks); with ``stored_demographics``, the demographics stored for it too."""
    from evidence.frameworks.catalogue import get_framework
    from evidence.review.impact import assessor_scores, demographics_frame, model_scores
    from evidence.store import Store

    with Store.open() as store:
        info = store.find_batch(name)
        if info is None:
            known = sorted({b.name for b in store.list_batches()})
            raise NotFoundError(f"no saved batch named {printable(name)!r}; the batches are: "
                                f"{', '.join(printable(k) for k in known) or 'none yet'}")
        if info.role_id is None:
            raise InputError(f"batch {printable(name)!r} was screened without a role, so its applicants have no "
                             "overall match to audit; screen it again against a role")
        # the demographics file holds the ids applicants were screened under; a blind batch keeps them apart
        if measure is Measure.assessors:
            framework = get_framework(info.framework_id)
            scores = assessor_scores(store, framework, info.id, framework.role(info.role_id))
            if scores is None:
                raise InputError(f"no assessor has decided a sentence of batch {printable(name)!r} yet, so there are "
                                 "no overall marks to audit; audit the model's match (--measure match)")
        else:
            scores = model_scores(store, info.id)
        stored = store.demographics(info.id) if stored_demographics else None
    if stored_demographics and stored is None:
        raise InputError(f"batch {printable(name)!r} has no stored demographics: upload them on the app's Fairness "
                         "page, or give --demographics FILE")
    return scores, f"batch {printable(name)!r}", demographics_frame(stored) if stored is not None else None


def _csv(rows: list[dict]) -> str:
    import csv
    import io

    from evidence.io.cells import CSV_LINE_END

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["category", "group"],
                            lineterminator=CSV_LINE_END)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
