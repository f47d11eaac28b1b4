"""Rendering frameworks and analyses for people (text, Markdown) and for tools (the JSON contract)."""

from __future__ import annotations

from evidence.domain import DocumentAnalysis, Framework, Suggestion
from evidence.io.cells import neutralise_row


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
            tags = [t for t in (ind.level and fw.level_phrase(ind.level), ind.theme,
                                ind.polarity.value if ind.polarity.value == "negative" else "") if t]
            lines.append(f"  - {ind.text}" + (f"  ({', '.join(tags)})" if tags else ""))
    for role in fw.roles:
        lines.append(f"\nrole {role.id}: {role.name}")
        for req in role.requirements:
            lines.append(f"  requires {req.competency}" + (f" at {fw.level_phrase(req.level)}" if req.level else "")
                         + f" ({req.priority.value})")
        for crit in role.criteria:
            lines.append(f"  {crit.priority.value}: {crit.text}")
    return "\n".join(lines)


# -- analyses ------------------------------------------------------------------------------------


def analysis_to_json(analysis: DocumentAnalysis) -> dict:
    """One document of the `analyse --format json` contract (extra fields are allowed)."""
    return {
        "id": analysis.document.id,
        "source": analysis.document.source,
        "match": analysis.match,
        "units": [{
            "index": ua.unit.index, "text": ua.unit.text, "start": ua.unit.start, "end": ua.unit.end,
            "cues": ua.unit.cues.model_dump(mode="json"),
            "suggestions": [_suggestion_json(s) for s in ua.suggestions],
            "counter_evidence": [_suggestion_json(s) for s in ua.counter_evidence],
        } for ua in analysis.units],
        "competencies": [{
            "competency": e.competency, "name": e.name, "level": e.level, "score": e.score, "units": e.units,
            "counter_units": e.counter_units,
            "next_level": e.gap.model_dump(mode="json") if e.gap else None,
        } for e in analysis.competencies],
        "coverage": [{
            "competency": c.competency, "name": c.name, "required": c.required, "evidenced": c.evidenced,
            "status": c.status.value, "priority": c.priority.value, "score": c.score,
        } for c in analysis.coverage],
    }


def _suggestion_json(s: Suggestion) -> dict:
    return {"competency": s.competency, "name": s.competency_name, "level": s.level, "score": s.score,
            "indicator": {"id": s.indicator.id, "text": s.indicator.text, "level": s.indicator.level,
                          "similarity": s.indicator.similarity},
            "model_version": s.model_version}


def analyses_to_rows(analyses: list[DocumentAnalysis]) -> list[dict]:
    """One row per (document, unit, suggestion) for CSV export; units without suggestions get one empty row.

    The rows are spreadsheet cells: text is neutralised (:mod:`evidence.io.cells`), so an id or sentence
    starting with ``=`` reaches a CSV as ``'=...``, never as a formula.
    """
    rows = []
    for a in analyses:
        for ua in a.units:
            tagged: list[tuple[Suggestion | None, str]] = [(s, "evidence") for s in ua.suggestions]
            tagged += [(s, "counter-evidence") for s in ua.counter_evidence]
            for s, kind in tagged or [(None, "")]:
                rows.append(neutralise_row({
                    "document": a.document.id, "unit": ua.unit.index, "start": ua.unit.start, "end": ua.unit.end,
                    "text": ua.unit.text, "actor": ua.unit.cues.actor.value, "negated": ua.unit.cues.negated,
                    "hypothetical": ua.unit.cues.hypothetical, "kind": kind,
                    "competency": s.competency if s else "", "competency_name": s.competency_name if s else "",
                    "level": (s.level or "") if s else "", "score": s.score if s else "",
                    "indicator_id": s.indicator.id if s else "", "indicator": s.indicator.text if s else "",
                    "model_version": s.model_version if s else "",
                }))
    return rows


def shortlist_rows(analyses: list[DocumentAnalysis]) -> list[dict]:
    """One row per document, best match first: the recruiter's ranked shortlist."""
    rows = []
    for a in sorted(analyses, key=lambda a: -(a.match or 0.0)):
        row = {"document": a.document.id, "name": a.document.name, "match": a.match,
               "met": sum(c.status.value == "met" for c in a.coverage),
               "partly_met": sum(c.status.value == "partly met" for c in a.coverage),
               "missing": sum(c.status.value == "missing" for c in a.coverage)}
        for c in a.coverage:
            row[c.name] = f"{c.status.value} ({c.evidenced or '-'}/{c.required or '-'})"
        rows.append(row)
    return rows


def analysis_to_markdown(analysis: DocumentAnalysis, framework: Framework) -> str:
    """A readable report: per competency the evidenced level, its support and the next level's gaps."""
    units = {ua.unit.index: ua for ua in analysis.units}
    lines = [f"# {analysis.document.name or analysis.document.id}", "",
             f"Framework: {framework.name} ({framework.id})"]
    if analysis.match is not None:
        lines += [f"Overall match to the role: {analysis.match:.0%}", "", "## Role requirements", "",
                  "| Competency | Required | Evidenced | Status |", "|---|---|---|---|"]
        lines += [f"| {c.name} | {framework.level_name(c.required)} | {framework.level_name(c.evidenced)} | "
                  f"{c.status.value} |"
                  for c in analysis.coverage]
    lines += ["", "## Evidence by competency"]
    if not analysis.competencies:
        lines += ["", "No competency is evidenced."]
    for e in analysis.competencies:
        level = f" at {framework.level_phrase(e.level)}" if e.level else ""
        lines += ["", f"### {e.name}{level} (confidence {e.score:.0%})", ""]
        for i in e.units:
            ua = units[i]
            s = next(s for s in ua.suggestions if s.competency == e.competency)
            lines.append(f"- \"{ua.unit.text}\" — matches: _{s.indicator.text}_ ({s.score:.0%})")
        for i in e.counter_units:
            lines.append(f"- counter-evidence: \"{units[i].unit.text}\"")
        if e.gap:
            lines += ["", f"To show {framework.level_phrase(e.gap.next_level)}, evidence such as:"]
            lines += [f"- {ind.text}" for ind in e.gap.indicators]
    return "\n".join(lines) + "\n"
