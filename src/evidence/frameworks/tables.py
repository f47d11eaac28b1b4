"""Long framework tables both ways: one indicator per row in, and out (:func:`to_table`, which reads back).

A long table has a competency column and an indicator column, and optionally level, group (cluster, category,
area), theme, polarity, description and negative-indicator columns, plus the id and kind columns that
:func:`to_table` writes so an exported table imports back unchanged. Header names are matched as
:mod:`~evidence.frameworks.columns` says. An indicator cell that lists several indicators (bullets, or one
a line) gives one indicator each (:mod:`~evidence.frameworks.bullets`), except in a table with an
``indicator_id`` column, whose rows are one indicator each by construction.

Empty competency (and group) cells below a filled one continue it: that is how merged cells arrive from a
spreadsheet. Every problem of every row is collected and reported together.
"""

from __future__ import annotations

import pandas as pd

from evidence.domain import Framework
from evidence.domain.framework import IndicatorKind, is_valid_id
from evidence.frameworks.builder import FrameworkBuilder
from evidence.frameworks.bullets import name_and_rest, split_indicators
from evidence.frameworks.columns import Columns, Table
from evidence.frameworks.levels import Scale
from evidence.frameworks.problems import Problems, Wording

TABLE_EXPORT_COLUMNS = ("competency_id", "competency", "description", "group_id", "group", "theme_id", "theme",
                        "indicator_id", "indicator", "level_id", "level", "polarity", "kind")
KINDS = [k.value for k in IndicatorKind]
# a polarity cell as people write it: "Effective" and "Ineffective" columns of a behaviour list
POLARITY = {"": "positive", "positive": "positive", "effective": "positive", "+": "positive",
            "negative": "negative", "ineffective": "negative", "not effective": "negative", "-": "negative"}
ID_COLUMNS = ("competency_id", "group_id", "theme_id", "indicator_id", "level_id")


def read_long(table: Table, columns: Columns, *, levels: tuple[str, ...] | None, wording: Wording,
              problems: Problems, notes: list[str]) -> FrameworkBuilder:
    """The framework in a long table; its problems are added to ``problems``."""
    def cell(row: list[str], part: str) -> str:
        return row[columns.roles[part]].strip() if part in columns.roles else ""

    scale = _scale(table, columns, levels)
    build = FrameworkBuilder(scale)
    exported = "indicator_id" in columns.roles  # our own export: one indicator a row, never split
    fill_competency = "competency_id" not in columns.roles
    fill_group = "group" in columns.roles and "group_id" not in columns.roles
    last_competency, last_group, filled = "", "", 0
    seen_ids: dict[str, int] = {}
    for r, row in enumerate(table.rows):
        name, more = name_and_rest(cell(row, "competency"))
        if not name and fill_competency and last_competency:
            name, filled = last_competency, filled + 1
        if not name:
            problems.add(table.where(r, columns.roles["competency"]), "the competency cell is empty",
                         "write the competency this row belongs to")
            continue
        group = cell(row, "group")
        if not group and fill_group and name != last_competency and last_group:
            group = last_group
        last_competency, last_group = name, group or last_group
        for part in ID_COLUMNS:
            value = cell(row, part)
            if value and not is_valid_id(value):
                problems.add(table.where(r, columns.roles[part]), f"{value[:60]!r} is not a valid id",
                             "use letters, digits, '.', '_' or '-' (no spaces), or leave the cell empty")
        comp = build.competency(name, competency_id=_id(cell(row, "competency_id")),
                                description=cell(row, "description") or more, group=group,
                                group_id=_id(cell(row, "group_id")))
        level = _level(table, columns, r, cell(row, "level"), scale, levels, wording, problems)
        polarity = POLARITY.get(cell(row, "polarity").casefold(), cell(row, "polarity").casefold())
        if polarity not in ("positive", "negative"):
            problems.add(table.where(r, columns.roles["polarity"]), f"polarity {polarity!r} is neither 'positive' "
                         "nor 'negative'", "write positive (or effective), negative (or ineffective), or leave the "
                         "cell empty")
            polarity = "positive"
        kind = cell(row, "kind") or "behaviour"
        if kind not in KINDS:
            problems.add(table.where(r, columns.roles["kind"]), f"kind {kind!r} is not one of {KINDS}",
                         "write one of these, or leave the cell empty")
            kind = "behaviour"
        theme = build.theme(comp, cell(row, "theme"), theme_id=_id(cell(row, "theme_id"))) if cell(row, "theme") \
            else None
        texts = [(t, polarity) for t in _texts(cell(row, "indicator"), exported)]
        texts += [(t, "negative") for t in _texts(cell(row, "negative"), exported)]
        if not texts:
            column = columns.roles.get("indicator", columns.roles.get("negative"))
            problems.add(table.where(r, column), f"the indicator cell is empty (competency {name!r})",
                         "write the indicator text, or delete the row")
            continue
        given_id = _id(cell(row, "indicator_id"))
        if given_id in seen_ids:
            problems.add(table.where(r, columns.roles["indicator_id"]), f"indicator id {given_id!r} is used on "
                         f"row {table.numbers[seen_ids[given_id]]} too", "give every indicator its own id")
            given_id = ""
        elif given_id:
            seen_ids[given_id] = r
        for text, sign in texts:
            build.indicator(comp, text, level=level, polarity=sign, theme=theme, kind=kind,
                            indicator_id=given_id if len(texts) == 1 else "")
    if filled:
        notes.append(f"{filled} row(s) with an empty competency cell continue the competency above them "
                     "(merged cells)")
    return build


def _id(value: str) -> str:
    return value if is_valid_id(value) else ""


def _texts(value: str, exported: bool) -> list[str]:
    if not value.strip():
        return []
    return [value.strip()] if exported else split_indicators(value)


def _scale(table: Table, columns: Columns, levels: tuple[str, ...] | None) -> Scale:
    if levels:
        return Scale(levels)
    if "level" not in columns.roles:
        return Scale([])
    names = [row[columns.roles["level"]].strip() for row in table.rows]
    ids: dict[str, str] = {}
    if "level_id" in columns.roles:
        for row, name in zip(table.rows, names, strict=True):
            identifier = row[columns.roles["level_id"]].strip()
            if name and is_valid_id(identifier):
                ids.setdefault(name, identifier)
    return Scale.from_values(names, ids=ids or None)


def _level(table: Table, columns: Columns, r: int, value: str, scale: Scale, levels: tuple[str, ...] | None,
           wording: Wording, problems: Problems) -> str | None:
    if not value:
        return None
    found = scale.resolve(value)
    if found is None:
        problems.add(table.where(r, columns.roles["level"]), f"level {value!r} is not on the scale given "
                     f"({', '.join(levels or ())})", f"correct the level, or add it {wording.via('levels')}")
    return found


def to_table(framework: Framework) -> pd.DataFrame:
    """One row per indicator, in the columns :func:`read_long` reads back (levels by id and by name)."""
    groups = {g.id: g.name for g in framework.groups}
    level_names = framework.level_names
    rows = []
    for comp in framework.competencies:
        themes = {t.id: t.name for t in comp.themes}
        for ind in comp.indicators:
            rows.append({
                "competency_id": comp.id, "competency": comp.name, "description": comp.description,
                "group_id": comp.group or "", "group": groups.get(comp.group or "", ""),
                "theme_id": ind.theme or "", "theme": themes.get(ind.theme or "", ""),
                "indicator_id": ind.id, "indicator": ind.text, "level_id": ind.level or "",
                "level": level_names.get(ind.level, ind.level) if ind.level else "",
                "polarity": ind.polarity.value, "kind": ind.kind.value,
            })
    return pd.DataFrame(rows, columns=list(TABLE_EXPORT_COLUMNS))
