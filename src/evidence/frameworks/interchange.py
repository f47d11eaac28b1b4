"""Importing frameworks from, and exporting them to, the formats users already have: the one entry point,
:func:`import_framework`, that the command line and the app's import form both call.

* a framework table (CSV, TSV or XLSX, any sheet): long (one indicator a row) or a grid (one competency a
  row, one column per level), read by :mod:`~evidence.frameworks.tabular`; exported long by :func:`to_table`;
* an ESCO skills CSV (``conceptUri``, ``preferredLabel``, ``altLabels``, ``description``) or a plain
  list of skill labels, one per line;
* 1EdTech CASE JSON (``CFDocument``, ``CFItems``, ``CFAssociations`` with ``isChildOf``, and ``CFRubrics``
  for the levels): see :mod:`~evidence.frameworks.case`;
* a framework file of our own (YAML or JSON).

Every reader validates in one place, :func:`evidence.frameworks.framework_from_dict`, and reports
problems as :class:`FrameworkError` naming the file, the row and column or key, and the fix, phrased for
the person's :class:`~evidence.frameworks.problems.Audience` (command-line flags or the form's fields).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evidence.domain import Framework, slugify
from evidence.domain.framework import check_id, unique_id
from evidence.errors import FrameworkError, InputError
from evidence.frameworks.case import CASE_NAMESPACE, from_case, to_case
from evidence.frameworks.catalogue import (
    framework_from_dict,
    load_framework_file,
    parse_structured,
    read_framework_bytes,
)
from evidence.frameworks.options import ColumnNames, Layout, TableOptions
from evidence.frameworks.problems import Audience, Wording
from evidence.frameworks.tables import TABLE_EXPORT_COLUMNS, to_table
from evidence.frameworks.tabular import read_table_sheets, table_framework
from evidence.io.cells import csv_text
from evidence.io.tables import TableProblem, read_utf8

logger = logging.getLogger(__name__)

# One indicator (or skill) per row: the largest real list, ESCO's 13,896 skills, imports in 13 s; past ten times
# that, a table or list is refused before a framework is built from it (memory grows with the rows).
MAX_ROWS = 150_000
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls")
__all__ = ["CASE_NAMESPACE", "TABLE_EXPORT_COLUMNS", "ColumnNames", "Layout", "export_framework", "from_case",
           "from_esco", "from_labels", "import_framework", "parse_levels", "to_case", "to_table"]


def parse_levels(text: str | None) -> list[str] | None:
    """A scale typed as text, lowest first (``"1, 2, 3"`` -> ``["1", "2", "3"]``); None when nothing is given.
    The command line's ``--levels`` and the app's import form read it the same way."""
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    return values or None


def import_framework(path: str | Path, *, framework_id: str | None = None, name: str | None = None,
                     levels: list[str] | None = None, expand_esco: bool = True,
                     layout: Layout | str | None = None, sheet: str | int | None = None,
                     columns: ColumnNames | Mapping[str, str | None] | None = None,
                     audience: Audience | str = Audience.cli, notes: list[str] | None = None) -> Framework:
    """Read any supported file as a framework.

    For tables: ``levels`` fixes the scale (lowest first, matched to the file's level names), ``layout``
    says long or grid (default: told from the columns), ``sheet`` picks a workbook's sheet by name or number
    from 1 (default: the first that reads as a framework), ``columns`` names the columns that hold the
    competency, indicator, level, group or description where their headers do not say. ``expand_esco`` adds
    ESCO's alternative labels and descriptions to a plain label list. Problems name the options as the
    ``audience`` knows them (flags on the command line, field labels in the app). What the import decided
    (sheet, layout, levels, encoding) is appended to ``notes`` when a list is given, and logged.

    ``framework_id`` is checked against the id rule before anything is read (it later names the stored
    file), and the framework is validated again with the id and name given, never just relabelled."""
    path = Path(path)
    wording = Wording(Audience(audience))
    if framework_id is not None:
        check_id(framework_id, what="framework id",
                 fix=f"choose an id such as 'my-framework' ({wording.via('id')})")
    name = name.strip() if name else None
    options = TableOptions(layout=Layout(layout or Layout.auto), sheet=None if sheet is None else str(sheet),
                           levels=tuple(levels) if levels else None, columns=_column_names(columns))
    said: list[str] = []
    suffix = path.suffix.lower()
    default_id = framework_id or slugify(path.stem)
    default_name = name or path.stem.replace("_", " ").replace("-", " ").strip().capitalize() or default_id
    if suffix in (".yaml", ".yml"):
        fw = load_framework_file(path)
    elif suffix == ".json":
        data = parse_structured(_read_text(path), source=str(path), fmt="json")
        if isinstance(data, dict) and "CFItems" in data:
            fw = from_case(data, source=str(path), framework_id=framework_id, name=name)
        else:
            fw = framework_from_dict(data, source=str(path))
    elif suffix in TABLE_SUFFIXES:
        sheets = read_table_sheets(path, max_rows=MAX_ROWS)
        header = [c.strip() for c in sheets[0].rows[0]] if sheets and sheets[0].rows else []
        if len(sheets) == 1 and "preferredLabel" in header:
            frame = pd.DataFrame(sheets[0].rows[1:], columns=header)
            fw = from_esco(frame, framework_id=default_id, name=default_name, source=str(path))
        else:
            fw = table_framework(sheets, framework_id=default_id, name=default_name, source=str(path),
                                 options=options, wording=wording, notes=said)
    elif suffix in (".txt", ".lst", ""):
        fw = from_labels(_read_text(path).splitlines(), framework_id=default_id, name=default_name, source=str(path),
                         expand_esco=expand_esco)
    else:
        raise FrameworkError(f"unsupported file type {suffix!r}", source=str(path),
                             fix="use .csv/.xlsx (a table or ESCO skills), .txt (one label per line), "
                                 "CASE .json, or a framework .yaml/.json")
    for note in said:
        logger.info("%s: %s", path, note)
    if notes is not None:
        notes.extend(said)
    updates = {k: v for k, v in (("id", framework_id), ("name", name)) if v}
    if not updates or all(getattr(fw, k) == v for k, v in updates.items()):
        return fw
    return framework_from_dict({**fw.model_dump(mode="json"), **updates}, source=str(path))


def _column_names(columns: ColumnNames | Mapping[str, str | None] | None) -> ColumnNames:
    if isinstance(columns, ColumnNames):
        return columns
    parts = set(ColumnNames.__dataclass_fields__)
    unknown = sorted(set(columns or {}) - parts)
    if unknown:
        raise InputError(f"columns can be named for {sorted(parts)}, not {unknown}")
    return ColumnNames(**(columns or {}))


def _check_rows(count: int, source: str) -> None:
    if count > MAX_ROWS:
        raise FrameworkError(f"the file has {count:,} rows, over the {MAX_ROWS:,}-row limit for a framework",
                             source=source, fix="split the framework into smaller files")


# -- reading files -------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return read_utf8(read_framework_bytes(path))
    except TableProblem as exc:
        raise FrameworkError(exc.problem, source=str(path), fix=exc.fix) from exc


# -- ESCO and label lists --------------------------------------------------------------------------


def from_labels(labels: list[str], *, framework_id: str, name: str, source: str = "",
                expand_esco: bool = True) -> Framework:
    """One competency per non-empty line; its label is also its single indicator. Labels that ESCO knows
    get ESCO's alternative labels and description (when the ESCO data package is installed)."""
    skills = [{"label": line.strip()} for line in labels if line.strip()]
    _check_rows(len(skills), source)
    if not skills:
        raise FrameworkError("the list has no labels", source=source, fix="write one skill label per line")
    if expand_esco:
        from evidence.frameworks import esco

        for i, found in esco.expand([s["label"] for s in skills]).items():
            skills[i].update(uri=found.uri, alt=found.alt_labels, description=found.description)
    return _skills_framework(skills, framework_id=framework_id, name=name, source=source)


def from_esco(frame: pd.DataFrame, *, framework_id: str, name: str, source: str = "") -> Framework:
    """ESCO's skills CSV: preferred label, alternative labels (newline separated) and description."""
    _check_rows(len(frame), source)
    skills = []
    for index, row in enumerate(frame.to_dict("records")):
        label = row.get("preferredLabel", "")
        if not label:
            raise FrameworkError("preferredLabel is empty", source=source, path=f"row {index + 2}",
                                 fix="every ESCO row needs its preferred label")
        alt = [a.strip() for a in re.split(r"[\n|]", row.get("altLabels", "")) if a.strip() and a.strip() != label]
        skills.append({"label": label, "uri": row.get("conceptUri", ""), "alt": "; ".join(alt),
                       "description": row.get("description", "")})
    return _skills_framework(skills, framework_id=framework_id, name=name, source=source)


def _skills_framework(skills: list[dict], *, framework_id: str, name: str, source: str) -> Framework:
    taken: set[str] = set()
    competencies = []
    for skill in skills:
        uri = skill.get("uri", "")
        comp_id = unique_id(slugify(uri.rstrip("/").rsplit("/", 1)[-1]) if uri else slugify(skill["label"]), taken)
        # alternative labels go into the description, not the indicators: one vector per skill keeps a
        # 13,896-skill taxonomy's index small, and matching on them one by one measured worse (bench/results)
        alt = f"Also: {skill['alt']}." if skill.get("alt") else ""
        competencies.append({
            "id": comp_id, "name": skill["label"],
            "description": "\n".join(p for p in (alt, skill.get("description", ""), uri) if p),
            "indicators": [{"id": f"{comp_id}.01", "text": skill["label"], "kind": "knowledge_skill"}],
        })
    return framework_from_dict({"id": framework_id, "name": name, "source": source, "competencies": competencies},
                               source=source)


# -- writing -----------------------------------------------------------------------------------------


def export_framework(framework: Framework, fmt: str) -> str:
    """The framework as CSV text or CASE JSON text."""
    if fmt == "csv":  # cells that a spreadsheet would run as formulas are quoted (io.cells); import restores them
        return csv_text(to_table(framework))
    if fmt == "case":
        return json.dumps(to_case(framework), ensure_ascii=False, indent=1)
    raise FrameworkError(f"unknown export format {fmt!r}", fix="use --format csv or --format case")
