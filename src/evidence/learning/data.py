"""Training data: reviewers' corrections as labelled units, and reading corrections or labelled units
from a CSV file. Learning never opens the store: its callers pass the corrections in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evidence.domain import Correction, DecisionKind, Framework
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit, read_labelled
from evidence.io.cells import restore
from evidence.io.tables import TableProblem, read_frame


def units_from_corrections(corrections: Sequence[Correction], framework: Framework) -> list[LabelledUnit]:
    """Corrections as labelled units: accepted/relabelled label the unit, no-evidence marks it NONE;
    a rejection only says what the unit is not, so it teaches nothing here. The latest decision wins."""
    ids = {c.id for c in framework.competencies}
    levels = {lv.id for lv in framework.levels}
    latest: dict[tuple[str, str | None], Correction] = {}
    bad = []
    for n, c in enumerate(corrections, start=1):
        if c.competency and c.competency not in ids:
            bad.append(f"record {n}: unknown competency {c.competency!r}")
        elif c.level and c.level not in levels:
            bad.append(f"record {n}: unknown level {c.level!r}")
        latest[(c.text, c.suggested_competency)] = c
    if bad:
        raise InputError("corrections do not fit framework " + framework.id + ": " + "; ".join(bad[:10]))
    units: dict[str, LabelledUnit] = {}
    for c in latest.values():
        if c.decision is DecisionKind.rejected:
            continue
        unit = units.setdefault(c.text, LabelledUnit(text=c.text))
        if (c.decision in (DecisionKind.accepted, DecisionKind.relabelled) and c.competency is not None
                and c.competency not in unit.competencies):
            unit.competencies.append(c.competency)
            if c.level:
                unit.levels[c.competency] = c.level
    return list(units.values())


def read_corrections_csv(path: str | Path) -> list[Correction]:
    """Corrections exported by the store (one record per row, the Correction fields as columns)."""
    try:
        frame = read_frame(Path(path))
    except TableProblem as exc:
        raise InputError(f"{path}: {exc}") from exc
    fields = set(Correction.model_fields)
    records = []
    for n, row in enumerate(frame.to_dict("records"), start=2):
        # an empty cell takes the default; text our export quoted against spreadsheet formulas is restored
        data = {k: restore(v) for k, v in row.items() if k in fields and v != ""}
        try:
            records.append(Correction.model_validate(data))
        except ValueError as exc:
            raise InputError(f"{path}: row {n} is not a valid correction: {exc}") from exc
    return records


def labelled_units_from_csv(framework: Framework, path: str | Path) -> list[LabelledUnit]:
    """Training units from a corrections CSV (it has a ``decision`` column) or a labelled CSV."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; --from takes a labelled CSV, a corrections CSV, or 'store'")
    try:
        columns = read_frame(path).columns
    except TableProblem as exc:
        raise InputError(f"{path}: {exc}") from exc
    if "decision" in {c.lower() for c in columns}:
        return units_from_corrections(read_corrections_csv(path), framework)
    return read_labelled(path, framework)
