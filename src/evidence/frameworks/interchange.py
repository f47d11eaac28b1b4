"""Importing frameworks from, and exporting them to, the formats users already have.

* a flat table (CSV or XLSX): one indicator per row, columns ``competency`` and ``indicator``, and
  optionally ``level``, ``group``, ``theme``, ``polarity``, ``description`` (plus the id and kind
  columns that :func:`to_table` writes, so an exported table imports back unchanged);
* an ESCO skills CSV (``conceptUri``, ``preferredLabel``, ``altLabels``, ``description``) or a plain
  list of skill labels, one per line;
* 1EdTech CASE JSON (``CFDocument``, ``CFItems``, ``CFAssociations`` with ``isChildOf``). Our own
  export adds an ``extensions`` block that carries what CASE has no field for (levels, roles), so
  a CASE round trip loses nothing.

Every reader validates in one place, :func:`evidence.frameworks.framework_from_dict`, and reports
problems as :class:`FrameworkError` naming the file, the row or key, and the fix.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from evidence.domain import Framework, slugify
from evidence.domain.framework import check_id, natural_level_order, unique_id
from evidence.errors import FrameworkError
from evidence.frameworks.case import CASE_NAMESPACE, from_case, to_case
from evidence.frameworks.catalogue import (
    framework_from_dict,
    load_framework_file,
    parse_structured,
    read_framework_bytes,
)
from evidence.io.cells import csv_text, restore
from evidence.io.tables import TableProblem, read_frame, read_utf8

TABLE_REQUIRED = ("competency", "indicator")
TABLE_OPTIONAL = ("level", "group", "theme", "polarity", "description")
TABLE_EXPORT_COLUMNS = ("competency_id", "competency", "description", "group_id", "group", "theme_id", "theme",
                        "indicator_id", "indicator", "level", "polarity", "kind")
# One indicator (or skill) per row: the largest real list, ESCO's 13,896 skills, imports in 13 s; past ten times
# that, a table or list is refused before a framework is built from it (memory grows with the rows).
MAX_ROWS = 150_000
__all__ = ["CASE_NAMESPACE", "export_framework", "from_case", "from_esco", "from_labels", "from_table",
           "import_framework", "parse_levels", "read_table", "to_case", "to_table"]


def parse_levels(text: str | None) -> list[str] | None:
    """A scale typed as text, lowest first (``"1, 2, 3"`` -> ``["1", "2", "3"]``); None when nothing is given.
    The command line's ``--levels`` and the app's import form read it the same way."""
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    return values or None


def import_framework(path: str | Path, *, framework_id: str | None = None, name: str | None = None,
                     levels: list[str] | None = None, expand_esco: bool = True) -> Framework:
    """Read any supported file as a framework. ``levels`` fixes the scale (lowest first) for tables;
    ``expand_esco`` adds ESCO's alternative labels and descriptions to a plain label list.

    ``framework_id`` is checked against the id rule before anything is read (it later names the stored
    file), and the framework is validated again with the id and name given, never just relabelled."""
    path = Path(path)
    if framework_id is not None:
        check_id(framework_id, what="framework id",
                 fix="choose an id such as 'my-framework' (with --id, or the Id field of the import form)")
    name = name.strip() if name else None
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
    elif suffix in (".csv", ".tsv", ".xlsx", ".xls"):
        frame = read_table(path)
        if "preferredLabel" in frame.columns:
            fw = from_esco(frame, framework_id=default_id, name=default_name, source=str(path))
        else:
            fw = from_table(frame, framework_id=default_id, name=default_name, source=str(path), levels=levels)
    elif suffix in (".txt", ".lst", ""):
        fw = from_labels(_read_text(path).splitlines(), framework_id=default_id, name=default_name, source=str(path),
                         expand_esco=expand_esco)
    else:
        raise FrameworkError(f"unsupported file type {suffix!r}", source=str(path),
                             fix="use .csv/.xlsx (a table or ESCO skills), .txt (one label per line), "
                                 "CASE .json, or a framework .yaml/.json")
    updates = {k: v for k, v in (("id", framework_id), ("name", name)) if v}
    if not updates or all(getattr(fw, k) == v for k, v in updates.items()):
        return fw
    return framework_from_dict({**fw.model_dump(mode="json"), **updates}, source=str(path))


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


def read_table(path: Path) -> pd.DataFrame:
    """A CSV/TSV/XLSX framework table as a frame of stripped strings (within the framework file size limit)."""
    try:
        return read_frame(read_framework_bytes(path), filename=str(path))
    except TableProblem as exc:
        raise FrameworkError(exc.problem, source=str(path), fix=exc.fix) from exc


# -- flat tables -----------------------------------------------------------------------------------


def from_table(frame: pd.DataFrame, *, framework_id: str, name: str, source: str = "",
               levels: list[str] | None = None) -> Framework:
    """A framework from a flat table, one indicator per row."""
    lower = {c.lower(): c for c in frame.columns}
    missing = [c for c in TABLE_REQUIRED if c not in lower]
    if missing:
        raise FrameworkError(f"missing column(s) {missing}; found columns {list(frame.columns)}", source=source,
                             fix="the first row must name the columns: competency, indicator, and optionally "
                                 + ", ".join(TABLE_OPTIONAL))
    frame = frame.rename(columns={v: k for k, v in lower.items()})
    col = lambda row, key: row.get(key, "")  # noqa: E731 - optional columns read as empty
    _check_rows(len(frame), source)
    rows = [{key: restore(value) for key, value in row.items()} for row in frame.to_dict("records")]
    level_values = [col(r, "level") for r in rows]
    if levels:
        unknown = sorted({v for v in level_values if v and v not in levels})
        if unknown:
            first = next(i for i, v in enumerate(level_values) if v in unknown)
            raise FrameworkError(f"unknown level(s) {unknown}; the scale given is {levels}", source=source,
                                 path=f"row {first + 2}", fix="correct the level cell or add the level to --levels")
        scale = list(levels)
    else:
        scale = natural_level_order(level_values)

    groups: dict[str, dict] = {}
    competencies: dict[str, dict] = {}
    counters: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        line = f"row {index + 2}"  # row 1 is the header
        comp_name, text = col(row, "competency"), col(row, "indicator")
        if not comp_name:
            raise FrameworkError("the competency cell is empty", source=source, path=line,
                                 fix="give every indicator the competency it belongs to")
        if not text:
            raise FrameworkError(f"the indicator cell is empty (competency {comp_name!r})", source=source, path=line,
                                 fix="write the indicator text, or delete the row")
        polarity = (col(row, "polarity") or "positive").lower()
        if polarity not in ("positive", "negative"):
            raise FrameworkError(f"polarity {polarity!r} is neither 'positive' nor 'negative'", source=source,
                                 path=line, fix="write positive, negative, or leave the cell empty")
        comp_id = col(row, "competency_id") or slugify(comp_name)
        comp = competencies.setdefault(comp_id, {"id": comp_id, "name": comp_name, "themes": [], "indicators": []})
        if col(row, "description") and not comp.get("description"):
            comp["description"] = col(row, "description")
        if col(row, "group"):
            group_id = col(row, "group_id") or slugify(col(row, "group"))
            groups.setdefault(group_id, {"id": group_id, "name": col(row, "group")})
            comp["group"] = group_id
        theme_id = None
        if col(row, "theme"):
            theme_id = col(row, "theme_id") or slugify(col(row, "theme"))
            if theme_id not in [t["id"] for t in comp["themes"]]:
                comp["themes"].append({"id": theme_id, "name": col(row, "theme")})
        level = col(row, "level") or None
        key = (comp_id, level or "x")
        counters[key] = counters.get(key, 0) + 1
        indicator_id = col(row, "indicator_id") or f"{comp_id}.{level or 'x'}.{counters[key]:02d}"
        comp["indicators"].append({"id": indicator_id, "text": text, "level": level, "theme": theme_id,
                                   "polarity": polarity, "kind": col(row, "kind") or "behaviour"})
    if not competencies:
        raise FrameworkError("the table has no rows", source=source, fix="add one row per indicator below the header")
    return framework_from_dict({
        "id": framework_id, "name": name, "source": source,
        "levels": [{"id": lv, "name": f"Level {lv}"} for lv in scale],
        "groups": list(groups.values()), "competencies": list(competencies.values()),
    }, source=source)


def to_table(framework: Framework) -> pd.DataFrame:
    """One row per indicator, in the columns :func:`from_table` reads back."""
    groups = {g.id: g.name for g in framework.groups}
    rows = []
    for comp in framework.competencies:
        themes = {t.id: t.name for t in comp.themes}
        for ind in comp.indicators:
            rows.append({
                "competency_id": comp.id, "competency": comp.name, "description": comp.description,
                "group_id": comp.group or "", "group": groups.get(comp.group or "", ""),
                "theme_id": ind.theme or "", "theme": themes.get(ind.theme or "", ""),
                "indicator_id": ind.id, "indicator": ind.text, "level": ind.level or "",
                "polarity": ind.polarity.value, "kind": ind.kind.value,
            })
    return pd.DataFrame(rows, columns=list(TABLE_EXPORT_COLUMNS))


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
