"""The tables the pages show: an applicant's coverage and evidence, My evidence's level and heat-map data,
a review card's suggestions, a framework's competencies, levels, indicators and roles.

The ranked shortlist is an export as well as a screen table, so it lives in
:func:`evidence.reporting.export.shortlist_frame`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from evidence.domain import DocumentAnalysis, Framework, Priority
from evidence.store import QueueItem

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

STATUS_STYLE = {"met": "background-color:#dff3e4;color:#14532d", "partly met": "background-color:#fff4d6;color:#6b4e00",
                "missing": "background-color:#fde2e1;color:#7f1d1d"}
NO_TARGET_BAR = 0.12  # a targeted competency with no evidence gets a stub bar, so its "missing" colour shows


def style_statuses(frame: pd.DataFrame) -> Styler:
    """A Styler that colours met / partly met / missing cells green / amber / red."""
    def colour(value: object) -> str:
        text = str(value)
        for status in ("partly", "missing", "met"):  # "partly (met)" first: it does not start with "met"
            if text.startswith(status):
                return STATUS_STYLE["partly met" if status == "partly" else status]
        return ""

    return frame.style.map(colour)


# -- the ranked shortlist on screen ---------------------------------------------------------------

# Column widths (px) of the shortlist on screen, so every requirement column shows without scrolling sideways at
# 1600 px (walkthrough: 4 of 7 requirement columns were off-screen there). SHORTLIST_WIDTH: the grid's inner width
# measured in Chromium at a 1600 px window with the sidebar open is 1138 px, and the columns took 9 px more than
# their widths (1147 from widths summing to 1138), so 1120 leaves that and a little over (tests/e2e checks the grid
# does not scroll at that size); the export keeps its own long cells and separate Met / Partly met / Missing columns.
SHORTLIST_WIDTH = 1120
FIXED_WIDTHS = {"Rank": 50, "Applicant": 110, "Name": 130, "Match %": 110, "Met · partly · missing": 100}
REQUIREMENT_WIDTH = (72, 150)  # narrowest that shows "partly 2 of 3", widest worth giving


def shortlist_view(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """The export's shortlist made to fit the screen: met / partly / missing counts in one column, requirement
    cells in short words ("met 4", "partly 2 of 3", "missing: needs 3"), and a width per column (px)."""
    fixed = ["Rank", "Applicant", "Name", "Match %", "Met", "Partly met", "Missing"]
    requirements = [c for c in frame.columns if c not in fixed]
    view = frame[[c for c in ("Rank", "Applicant", "Name", "Match %") if c in frame.columns]].copy()
    if {"Met", "Partly met", "Missing"} <= set(frame.columns):
        view["Met · partly · missing"] = [f"{a} · {b} · {c}" for a, b, c in
                                          zip(frame["Met"], frame["Partly met"], frame["Missing"], strict=True)]
    for column in requirements:
        view[column] = [_short_status(v) for v in frame[column]]
    used = sum(FIXED_WIDTHS.get(c, 0) for c in view.columns if c not in requirements)
    low, high = REQUIREMENT_WIDTH
    each = max(low, min(high, (SHORTLIST_WIDTH - used) // max(1, len(requirements))))
    return view, {c: FIXED_WIDTHS.get(c, each) for c in view.columns}


def _short_status(value: object) -> str:
    text = str(value)
    for long, short in (("partly met: ", "partly "), ("met: ", "met "), ("missing: ", "missing: ")):
        if text.startswith(long):
            return short + text[len(long):]
    return text


# -- one applicant -------------------------------------------------------------------------------


def coverage_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """One applicant's requirements: competency (desirable ones marked), required and evidenced level, status."""
    return pd.DataFrame([{
        "Competency": c.name + (" (desirable)" if c.priority is Priority.desirable else ""),
        "Required": framework.level_name(c.required), "Evidenced": framework.level_name(c.evidenced),
        "Status": c.status.value,
    } for c in analysis.coverage])


def evidence_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """One applicant's evidenced competencies: level, confidence, how many sentences support it."""
    return pd.DataFrame([{
        "Competency": e.name, "Level": framework.level_name(e.level), "Confidence %": round(100 * e.score),
        "Sentences": len(e.units),
    } for e in analysis.competencies])


# -- my evidence ---------------------------------------------------------------------------------


def targets_frame(framework: Framework) -> pd.DataFrame:
    """The empty table an appraisee fills with a target level per competency."""
    return pd.DataFrame({"Competency": [c.name for c in framework.competencies],
                         "Target level": [None] * len(framework.competencies)})


def level_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """Per competency: evidenced level (and its position on the scale), target, status and confidence."""
    ranks = {lv.id: i + 1 for i, lv in enumerate(framework.levels)}
    evidence = {e.competency: e for e in analysis.competencies}
    coverage = {c.competency: c for c in analysis.coverage}
    rows = []
    for comp in framework.competencies:
        e, c = evidence.get(comp.id), coverage.get(comp.id)
        level = e.level if e and e.units else None
        rows.append({
            "competency": comp.name, "evidenced": level or "none",
            "evidenced_rank": ranks.get(level, 0) if level else 0, "target": (c.required or "") if c else "",
            "target_rank": ranks.get(c.required, 0) if c and c.required else None,
            "status": c.status.value if c else ("evidenced" if level or (e and e.units) else "no evidence"),
            "bar": (ranks.get(level, 0) if level else 0) or (NO_TARGET_BAR if c else 0),
            "confidence": round(e.score, 3) if e else 0.0, "sentences": len(e.units) if e else 0,
        })
    return pd.DataFrame(rows)


def heatmap_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """Competency x level: the strongest sentence's score at that level (0 where nothing was found)."""
    best: dict[tuple[str, str], float] = {}
    for ua in analysis.units:
        for s in ua.suggestions:
            key = (s.competency, s.level or "-")
            best[key] = max(best.get(key, 0.0), s.score)
    levels = [lv.id for lv in framework.scale] or ["-"]
    return pd.DataFrame([{"competency": c.name, "level": lv, "score": round(best.get((c.id, lv), 0.0), 3)}
                         for c in framework.competencies for lv in levels])


# -- review --------------------------------------------------------------------------------------


def suggestions_frame(item: QueueItem, framework: Framework) -> pd.DataFrame:
    """A review card's suggestions, best first: competency, level name, score (%) and the matched indicator."""
    names = framework.level_names
    return pd.DataFrame([{"#": i + 1, "Competency": s.competency_name or s.competency,
                          "Level": names.get(s.level, s.level) if s.level else "-",
                          "Score": round(100 * s.score), "Matched indicator": s.indicator.text}
                         for i, s in enumerate(item.suggestions)])


# What each compared figure means, in words an HR reader needs no glossary for (issue 16: "top1 0.81" became "right
# first time on 140 held-out sentences: 81 %"), and which count of sentences it was measured on.
COMPARISON_WORDS: dict[str, tuple[str, str]] = {
    "top1": ("right first time: its top suggestion names the right competency", "evidence_units"),
    "top3": ("the right competency among its first three suggestions", "evidence_units"),
    "unit_accuracy": ("right end to end: a right top suggestion, or rightly none", "units"),
    "abstention_precision": ("when it says a sentence shows no competency, how often that is right", "units"),
    "level_exact": ("the level exactly right", "level_units"),
    "level_within_one": ("the level right or one step off", "level_units"),
    "ece": ("how far its confidence is from how often it is right (lower is better)", "units"),
}


def _figure(metrics: object, key: str) -> object:
    if hasattr(metrics, "get"):
        return metrics.get(key)
    return getattr(metrics, key, None)


def comparison_frame(result: object) -> pd.DataFrame:
    """A new model against the one in use, one row per figure in plain words with the number of held-out
    sentences it was measured on, as percentages ("81 %"); figures neither model has are left out."""
    rows = []
    for key, (words, count_key) in COMPARISON_WORDS.items():
        new, current = _figure(result.new_metrics, key), _figure(result.current_metrics, key)  # type: ignore[attr-defined]
        if new is None and current is None:
            continue
        count = _figure(result.new_metrics, count_key)  # type: ignore[attr-defined]
        on = f" (on {count} held-out sentences)" if isinstance(count, int) and count else ""
        rows.append({"What was measured": words + on, "New version": _percent(new), "Model in use": _percent(current)})
    return pd.DataFrame(rows, columns=["What was measured", "New version", "Model in use"])


def _percent(value: object) -> str:
    return f"{float(value):.0%}".replace("%", " %") if isinstance(value, int | float) else "–"


# -- frameworks ----------------------------------------------------------------------------------


def levels_frame(framework: Framework) -> pd.DataFrame:
    """The framework's levels, lowest first, mid-points marked."""
    return pd.DataFrame([{"Level": lv.id, "Name": lv.name, "Mid-point": "yes" if lv.midpoint else "",
                          "Description": lv.description} for lv in framework.levels])


def competencies_frame(framework: Framework) -> pd.DataFrame:
    """The framework's competencies with their group and how many indicators and themes each has."""
    groups = {g.id: g.name for g in framework.groups}
    frame = pd.DataFrame([{"Competency": c.name, "Group": groups.get(c.group or "", ""),
                           "Indicators": len(c.indicators), "Themes": len(c.themes), "Id": c.id}
                          for c in framework.competencies])
    return _drop_empty(frame, ("Group", "Themes"))


def indicators_frame(framework: Framework, competency_id: str) -> pd.DataFrame:
    """One competency's indicators: level, text, theme, polarity and kind."""
    comp = framework.competency(competency_id)
    themes = {t.id: t.name for t in comp.themes}
    frame = pd.DataFrame([{"Level": framework.level_name(i.level, default=""), "Indicator": i.text,
                           "Theme": themes.get(i.theme or "", ""),
                           "Polarity": i.polarity.value, "Kind": i.kind.value.replace("_", " ")}
                          for i in comp.indicators])
    return _drop_empty(frame, ("Level", "Theme"))


def _drop_empty(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Leave out optional columns with nothing in them (a framework without levels or themes)."""
    empty = [c for c in columns if c in frame.columns and not frame[c].astype(bool).any()]
    return frame.drop(columns=empty)


def roles_frame(framework: Framework, role_id: str) -> pd.DataFrame:
    """A role profile's requirements: competency, level required, priority."""
    role = framework.role(role_id)
    return pd.DataFrame([{"Competency": framework.competency(q.competency).name,
                          "Level required": framework.level_name(q.level, default=""),
                          "Priority": q.priority.value} for q in role.requirements])


def criteria_frame(framework: Framework, role_id: str) -> pd.DataFrame:
    """A role profile's person-specification criteria: text, priority, category."""
    role = framework.role(role_id)
    return pd.DataFrame([{"Criterion": c.text, "Priority": c.priority.value, "Category": c.category}
                         for c in role.criteria])


def counts_text(framework: Framework) -> str:
    """"12 competencies, 140 indicators, 4 levels, 2 roles": what a framework holds, in one line."""
    return (f"{len(framework.competencies)} competencies, {len(framework.indicators)} indicators, "
            f"{len(framework.levels)} levels, {len(framework.roles)} roles")
