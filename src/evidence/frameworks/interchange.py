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

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from evidence.domain import Framework, slugify
from evidence.errors import FrameworkError
from evidence.frameworks.catalogue import framework_from_dict, load_framework_file
from evidence.io.tables import TableProblem, read_frame, read_utf8

TABLE_REQUIRED = ("competency", "indicator")
TABLE_OPTIONAL = ("level", "group", "theme", "polarity", "description")
TABLE_EXPORT_COLUMNS = ("competency_id", "competency", "description", "group_id", "group", "theme_id", "theme",
                        "indicator_id", "indicator", "level", "polarity", "kind")
CASE_NAMESPACE = uuid.UUID("6f1c2a57-3f0e-4c5e-9a55-1d8f1e0b7c11")  # stable CASE identifiers per framework


def parse_levels(text: str | None) -> list[str] | None:
    """A scale typed as text, lowest first (``"1, 2, 3"`` -> ``["1", "2", "3"]``); None when nothing is given.
    The command line's ``--levels`` and the app's import form read it the same way."""
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    return values or None


def import_framework(path: str | Path, *, framework_id: str | None = None, name: str | None = None,
                     levels: list[str] | None = None, expand_esco: bool = True) -> Framework:
    """Read any supported file as a framework. ``levels`` fixes the scale (lowest first) for tables;
    ``expand_esco`` adds ESCO's alternative labels and descriptions to a plain label list."""
    path = Path(path)
    suffix = path.suffix.lower()
    default_id = framework_id or slugify(path.stem)
    default_name = name or path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
    if suffix in (".yaml", ".yml"):
        fw = load_framework_file(path)
    elif suffix == ".json":
        data = _read_json(path)
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
    return fw.model_copy(update=updates) if updates else fw


# -- reading files -------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return read_utf8(path)
    except TableProblem as exc:
        raise FrameworkError(exc.problem, source=str(path), fix=exc.fix) from exc


def _read_json(path: Path) -> object:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise FrameworkError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                             source=str(path), fix="correct the JSON syntax there") from exc


def read_table(path: Path) -> pd.DataFrame:
    """A CSV/TSV/XLSX framework table as a frame of stripped strings."""
    try:
        return read_frame(path)
    except TableProblem as exc:
        raise FrameworkError(exc.problem, source=str(path), fix=exc.fix) from exc


# -- flat tables -----------------------------------------------------------------------------------


def _natural_level_order(values: Iterable[str]) -> list[str]:
    """Numbers ascending, single letters alphabetically, anything else in order of first appearance."""
    seen = list(dict.fromkeys(v for v in values if v))
    if all(re.fullmatch(r"\d+(\.\d+)?", v) for v in seen):
        return sorted(seen, key=float)
    if all(re.fullmatch(r"[A-Za-z]", v) for v in seen):
        return sorted(seen, key=str.upper)
    return seen


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
    rows = frame.to_dict("records")
    level_values = [col(r, "level") for r in rows]
    if levels:
        unknown = sorted({v for v in level_values if v and v not in levels})
        if unknown:
            first = next(i for i, v in enumerate(level_values) if v in unknown)
            raise FrameworkError(f"unknown level(s) {unknown}; the scale given is {levels}", source=source,
                                 path=f"row {first + 2}", fix="correct the level cell or add the level to --levels")
        scale = list(levels)
    else:
        scale = _natural_level_order(level_values)

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


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def from_labels(labels: list[str], *, framework_id: str, name: str, source: str = "",
                expand_esco: bool = True) -> Framework:
    """One competency per non-empty line; its label is also its single indicator. Labels that ESCO knows
    get ESCO's alternative labels and description (when the ESCO data package is installed)."""
    skills = [{"label": line.strip()} for line in labels if line.strip()]
    if not skills:
        raise FrameworkError("the list has no labels", source=source, fix="write one skill label per line")
    if expand_esco:
        from evidence.frameworks import esco

        for i, found in esco.expand([s["label"] for s in skills]).items():
            skills[i].update(uri=found.uri, alt=found.alt_labels, description=found.description)
    return _skills_framework(skills, framework_id=framework_id, name=name, source=source)


def from_esco(frame: pd.DataFrame, *, framework_id: str, name: str, source: str = "") -> Framework:
    """ESCO's skills CSV: preferred label, alternative labels (newline separated) and description."""
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
        comp_id = _unique_id(slugify(uri.rstrip("/").rsplit("/", 1)[-1]) if uri else slugify(skill["label"]), taken)
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


# -- CASE (1EdTech Competencies and Academic Standards Exchange) ---------------------------------------


def _case_id(framework: Framework, *parts: str) -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, "/".join((framework.id, *parts))))


def to_case(framework: Framework) -> dict:
    """A CASE 1.1 package: groups, competencies, themes and indicators as CFItems linked by isChildOf."""
    doc_id = _case_id(framework)
    doc_uri = f"urn:evidence:{framework.id}"
    items: list[dict] = []
    associations: list[dict] = []

    def node(identifier: str, title: str) -> dict:
        return {"identifier": identifier, "uri": f"urn:uuid:{identifier}", "title": title}

    def add(identifier: str, kind: str, statement: str, code: str, parent: tuple[str, str], ext: dict) -> None:
        items.append({"identifier": identifier, "uri": f"urn:uuid:{identifier}", "CFItemType": kind,
                      "fullStatement": statement, "humanCodingScheme": code,
                      "CFDocumentURI": node(doc_id, framework.name), "extensions": {"evidence": ext}})
        associations.append({"identifier": _case_id(framework, "assoc", identifier), "associationType": "isChildOf",
                             "originNodeURI": node(identifier, statement[:60]),
                             "destinationNodeURI": node(*parent), "CFDocumentURI": node(doc_id, framework.name)})

    group_nodes = {}
    for group in framework.groups:
        gid = _case_id(framework, "group", group.id)
        group_nodes[group.id] = (gid, group.name)
        add(gid, "Group", group.name, group.id, (doc_id, framework.name), group.model_dump(mode="json"))
    for comp in framework.competencies:
        cid = _case_id(framework, "competency", comp.id)
        parent = group_nodes.get(comp.group or "", (doc_id, framework.name))
        add(cid, "Competency", comp.name, comp.id, parent,
            comp.model_dump(mode="json", exclude={"indicators", "themes"}))
        theme_nodes = {}
        for theme in comp.themes:
            tid = _case_id(framework, "theme", comp.id, theme.id)
            theme_nodes[theme.id] = (tid, theme.name)
            add(tid, "Theme", theme.name, theme.id, (cid, comp.name), theme.model_dump(mode="json"))
        for ind in comp.indicators:
            iid = _case_id(framework, "indicator", ind.id)
            item_parent = theme_nodes.get(ind.theme or "", (cid, comp.name))
            add(iid, "Indicator", ind.text, ind.id, item_parent, ind.model_dump(mode="json"))
            if ind.level:
                items[-1]["educationLevel"] = [ind.level]
    document = {"identifier": doc_id, "uri": doc_uri, "title": framework.name, "creator": "evidence",
                "description": framework.description, "version": framework.version,
                "extensions": {"evidence": framework.model_dump(mode="json", include={
                    "id", "name", "source", "version", "description", "levels", "roles"})}}
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def from_case(data: dict, *, source: str = "", framework_id: str | None = None, name: str | None = None) -> Framework:
    """Read a CASE package. Items with our extensions are restored exactly; others are mapped by tree shape:
    leaves are indicators, their parents competencies, and anything above a competency its group."""
    doc = data.get("CFDocument")
    if not isinstance(doc, dict):
        raise FrameworkError("CFDocument is missing", source=source, path="CFDocument",
                             fix="a CASE package needs CFDocument, CFItems and CFAssociations")
    items: dict[str, dict] = {i["identifier"]: i for i in data.get("CFItems", [])
                              if isinstance(i, dict) and isinstance(i.get("identifier"), str)}
    parent_of: dict[str, str] = {}
    for assoc in data.get("CFAssociations", []):
        if assoc.get("associationType") == "isChildOf":
            parent_of[assoc["originNodeURI"]["identifier"]] = assoc["destinationNodeURI"]["identifier"]
    children: dict[str, list[str]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    doc_ext = (doc.get("extensions") or {}).get("evidence", {})
    fw_id = framework_id or doc_ext.get("id") or slugify(doc.get("title", "case-framework"))
    fw: dict = {"id": fw_id, "name": name or doc_ext.get("name") or doc.get("title") or fw_id,
                "source": doc_ext.get("source") or source, "version": doc_ext.get("version") or doc.get("version", ""),
                "description": doc_ext.get("description") or doc.get("description", ""),
                "levels": doc_ext.get("levels", []), "roles": doc_ext.get("roles", []),
                "groups": [], "competencies": []}
    if all((i.get("extensions") or {}).get("evidence") for i in items.values()) and items:
        _restore_case_extensions(fw, items, parent_of)
    else:
        _map_case_tree(fw, doc["identifier"], items, children, source)
    return framework_from_dict(fw, source=source)


def _restore_case_extensions(fw: dict, items: dict[str, dict], parent_of: dict[str, str]) -> None:
    comps: dict[str, dict] = {}
    for identifier, item in items.items():  # items keep document order: groups, then each competency's tree
        ext = item["extensions"]["evidence"]
        kind = item.get("CFItemType")
        if kind == "Group":
            fw["groups"].append(ext)
        elif kind == "Competency":
            comps[identifier] = {**ext, "themes": [], "indicators": []}
            fw["competencies"].append(comps[identifier])
        elif kind == "Theme":
            comps[parent_of[identifier]]["themes"].append(ext)
        elif kind == "Indicator":
            parent = parent_of[identifier]
            owner = comps.get(parent) or comps[parent_of[parent]]  # under a theme or directly under the competency
            owner["indicators"].append(ext)


def _map_case_tree(fw: dict, doc_id: str, items: dict[str, dict], children: dict[str, list[str]], source: str) -> None:
    taken: set[str] = set()
    levels: list[str] = []

    def statement(item: dict) -> str:
        return (item.get("fullStatement") or item.get("abbreviatedStatement") or "").strip()

    def add_competency(identifier: str, group: str | None) -> None:
        item = items[identifier]
        comp_id = _unique_id(slugify(item.get("humanCodingScheme") or statement(item)), taken)
        leaves = _leaves(identifier, children) or [identifier]
        indicators = []
        for n, leaf in enumerate(leaves, start=1):
            level = (items[leaf].get("educationLevel") or [None])[0]
            if level and level not in levels:
                levels.append(level)
            indicators.append({"id": f"{comp_id}.{n:02d}", "text": statement(items[leaf]), "level": level})
        fw["competencies"].append({"id": comp_id, "name": statement(item), "group": group,
                                   "description": item.get("notes", ""), "indicators": indicators})

    for top in children.get(doc_id, []):
        if top not in items:
            raise FrameworkError(f"an association points at item {top!r}, which is not in CFItems", source=source,
                                 path="CFAssociations", fix="include every associated item in CFItems")
        grandchildren = [c for c in children.get(top, []) if children.get(c)]
        if grandchildren:  # top-level item with competencies below it: a group
            group_id = _unique_id(slugify(statement(items[top])), taken)
            fw["groups"].append({"id": group_id, "name": statement(items[top])})
            for comp in children[top]:
                add_competency(comp, group_id)
        else:
            add_competency(top, None)
    fw["levels"] = fw["levels"] or [{"id": lv, "name": f"Level {lv}"} for lv in _natural_level_order(levels)]


def _leaves(identifier: str, children: dict[str, list[str]]) -> list[str]:
    found = []
    for child in children.get(identifier, []):
        found.extend(_leaves(child, children) if children.get(child) else [child])
    return found


# -- writing -----------------------------------------------------------------------------------------


def export_framework(framework: Framework, fmt: str) -> str:
    """The framework as CSV text or CASE JSON text."""
    if fmt == "csv":
        buffer = io.StringIO()
        to_table(framework).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
        return buffer.getvalue()
    if fmt == "case":
        return json.dumps(to_case(framework), ensure_ascii=False, indent=1)
    raise FrameworkError(f"unknown export format {fmt!r}", fix="use --format csv or --format case")
