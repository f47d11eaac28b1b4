"""A framework gathered row by row from a table (long or grid), with ids that are the same on every import of
the same file.

Competency, group and theme ids are slugs of their names (or the ids the file gives); an indicator's id is
``<competency>.<level>.<n>`` counted in file order within its competency and level (``x`` for no level), so
re-importing a file gives the same ids and a corrected file keeps the ids of the rows it did not move.
"""

from __future__ import annotations

from typing import Any

from evidence.domain import slugify
from evidence.frameworks.levels import Scale


class FrameworkBuilder:
    """Competencies (in first-appearance order), their groups, themes and indicators, as framework data."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.groups: dict[str, dict[str, Any]] = {}
        self.competencies: dict[str, dict[str, Any]] = {}
        self.indicator_ids: set[str] = set()
        self._counters: dict[tuple[str, str], int] = {}

    def competency(self, name: str, *, competency_id: str = "", description: str = "",
                   group: str = "", group_id: str = "") -> dict[str, Any]:
        """The competency called ``name`` (made on first sight); a description and group fill in when given."""
        comp_id = competency_id or slugify(name)
        comp = self.competencies.setdefault(comp_id, {"id": comp_id, "name": name, "themes": [], "indicators": []})
        if description and not comp.get("description"):
            comp["description"] = description
        if group and "group" not in comp:
            gid = group_id or slugify(group)
            self.groups.setdefault(gid, {"id": gid, "name": group})
            comp["group"] = gid
        return comp

    def theme(self, comp: dict[str, Any], name: str, *, theme_id: str = "") -> str:
        """The id of ``comp``'s theme ``name`` (made on first sight)."""
        tid = theme_id or slugify(name)
        if tid not in [t["id"] for t in comp["themes"]]:
            comp["themes"].append({"id": tid, "name": name})
        return tid

    def indicator(self, comp: dict[str, Any], text: str, *, level: str | None = None, polarity: str = "positive",
                  theme: str | None = None, kind: str = "behaviour", indicator_id: str = "") -> str:
        """Add an indicator to ``comp``; its id (the one given, else the next of its competency and level)."""
        key = (comp["id"], level or "x")
        self._counters[key] = self._counters.get(key, 0) + 1
        identifier = indicator_id or f"{comp['id']}.{level or 'x'}.{self._counters[key]:02d}"
        while identifier in self.indicator_ids and not indicator_id:  # a given id that repeats is the file's own
            self._counters[key] += 1
            identifier = f"{comp['id']}.{level or 'x'}.{self._counters[key]:02d}"
        self.indicator_ids.add(identifier)
        comp["indicators"].append({"id": identifier, "text": text, "level": level, "theme": theme,
                                   "polarity": polarity, "kind": kind})
        return identifier

    def data(self, *, framework_id: str, name: str, source: str) -> dict[str, Any]:
        """The framework as a mapping for :func:`~evidence.frameworks.catalogue.framework_from_dict`."""
        return {"id": framework_id, "name": name, "source": source, "levels": self.scale.as_dicts(),
                "groups": list(self.groups.values()), "competencies": list(self.competencies.values())}
