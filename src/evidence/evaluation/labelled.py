"""Labelled units: reading a labelled CSV (text, competency by id or name, optional level and polarity)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evidence.domain import NONE_LABEL, Framework
from evidence.errors import InputError
from evidence.io.tables import TableProblem, read_frame


@dataclass
class LabelledUnit:
    text: str
    competencies: list[str] = field(default_factory=list)  # positive gold competencies, in file order
    levels: dict[str, str] = field(default_factory=dict)  # competency -> gold level id
    counter: list[str] = field(default_factory=list)  # competencies the unit is counter-evidence for

    @property
    def is_evidence(self) -> bool:
        return bool(self.competencies)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


class LabelResolver:
    """Resolves competency and level cells (ids or names) against a framework."""

    def __init__(self, framework: Framework) -> None:
        self.competencies: dict[str, str] = {}
        for comp in framework.competencies:
            self.competencies.setdefault(_norm(comp.name), comp.id)
        for comp in framework.competencies:  # ids win over names where both collide
            self.competencies[_norm(comp.id)] = comp.id
        self.levels = {_norm(lv.name): lv.id for lv in framework.levels}
        self.levels.update({_norm(lv.id): lv.id for lv in framework.levels})

    def competency(self, value: str) -> str | None:
        return self.competencies.get(_norm(value))

    def level(self, value: str) -> str | None:
        return self.levels.get(_norm(value))


def read_labelled(path: str | Path, framework: Framework) -> list[LabelledUnit]:
    """Read a labelled CSV; unknown competencies or levels are rejected with the rows that name them."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        frame = read_frame(path)
    except TableProblem as exc:
        raise InputError(f"{path}: {exc}") from exc
    frame.columns = [c.lower() for c in frame.columns]
    missing = [c for c in ("text", "competency") if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {missing}; found {list(frame.columns)}. A labelled file needs "
                         "'text' and 'competency' (id, name or NONE), optionally 'level' and 'polarity'")
    resolver = LabelResolver(framework)
    units: dict[str, LabelledUnit] = {}
    bad_competency: dict[str, list[int]] = {}
    bad_level: dict[str, list[int]] = {}
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        text = str(row["text"]).strip()
        if not text:
            continue
        unit = units.setdefault(text, LabelledUnit(text=text))
        label = str(row["competency"]).strip()
        if not label or label.upper() == NONE_LABEL:
            continue
        comp = resolver.competency(label)
        if comp is None:
            bad_competency.setdefault(label, []).append(row_number)
            continue
        if str(row.get("polarity", "")).strip().lower() == "negative":
            unit.counter.append(comp)
            continue
        if comp not in unit.competencies:
            unit.competencies.append(comp)
        level_cell = str(row.get("level", "")).strip()
        if level_cell:
            level = resolver.level(level_cell)
            if level is None:
                bad_level.setdefault(level_cell, []).append(row_number)
            else:
                unit.levels[comp] = level
    problems = [f"unknown competency {k!r} on row(s) {_rows(v)}" for k, v in bad_competency.items()]
    problems += [f"unknown level {k!r} on row(s) {_rows(v)}" for k, v in bad_level.items()]
    if problems:
        raise InputError(f"{path}: " + "; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(
            problems) > 10 else "") + f". Use a competency id or name of framework {framework.id!r} "
            f"(`evidence frameworks show {framework.id}`), NONE for no evidence, and its level ids "
            f"{[lv.id for lv in framework.levels]}")
    if not units:
        raise InputError(f"{path}: no labelled rows")
    return list(units.values())


def _rows(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:8]))
    return shown + (f" (+{len(rows) - 8} more)" if len(rows) > 8 else "")
