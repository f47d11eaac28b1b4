"""Rendering frameworks and analyses for people (text, Markdown) and for tools (the JSON contract)."""

from __future__ import annotations

from evidence.types import Framework


def framework_to_json(fw: Framework) -> dict:
    """The `frameworks show --format json` contract, plus a few extra fields (extras are allowed)."""
    return {
        "id": fw.id, "name": fw.name, "source": fw.source, "version": fw.version, "description": fw.description,
        "levels": [{"id": lv.id, "name": lv.name, "description": lv.description, "midpoint": lv.midpoint}
                   for lv in fw.levels],
        "groups": [g.model_dump(mode="json") for g in fw.groups],
        "competencies": [{
            "id": c.id, "name": c.name, "group": c.group, "description": c.description,
            "themes": [t.model_dump(mode="json") for t in c.themes],
            "level_summaries": c.level_summaries,
            "indicators": [{"id": i.id, "text": i.text, "level": i.level, "theme": i.theme,
                            "polarity": i.polarity.value, "kind": i.kind.value} for i in c.indicators],
        } for c in fw.competencies],
        "roles": [{
            "id": r.id, "name": r.name, "description": r.description,
            "requirements": [{"competency": q.competency, "level": q.level, "priority": q.priority.value}
                             for q in r.requirements],
            "criteria": [q.model_dump(mode="json") for q in r.criteria],
        } for r in fw.roles],
    }


def framework_summary(fw: Framework) -> str:
    """A readable outline of a framework for the terminal."""
    lines = [f"{fw.name} ({fw.id})"]
    if fw.source:
        lines.append(f"source: {fw.source}")
    if fw.levels:
        lines.append("levels: " + ", ".join(f"{lv.id}{' (mid-point)' if lv.midpoint else ''} {lv.name}"
                                            for lv in fw.levels))
    groups = {g.id: g for g in fw.groups}
    for comp in fw.competencies:
        group = f" [{groups[comp.group].name}]" if comp.group in groups else ""
        lines.append(f"\n{comp.id}: {comp.name}{group}")
        for ind in comp.indicators:
            tags = [t for t in (ind.level and f"level {ind.level}", ind.theme,
                                ind.polarity.value if ind.polarity.value == "negative" else "") if t]
            lines.append(f"  - {ind.text}" + (f"  ({', '.join(tags)})" if tags else ""))
    for role in fw.roles:
        lines.append(f"\nrole {role.id}: {role.name}")
        for req in role.requirements:
            lines.append(f"  requires {req.competency}" + (f" at level {req.level}" if req.level else "")
                         + f" ({req.priority.value})")
        for crit in role.criteria:
            lines.append(f"  {crit.priority.value}: {crit.text}")
    return "\n".join(lines)
