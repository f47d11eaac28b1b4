"""My evidence's charts (Altair): the level evidenced per competency against its target, and a level heat map."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from evidence.domain import Framework

STATUS_COLOURS = {"met": "#2e9d5b", "partly met": "#f0b429", "missing": "#d64545", "evidenced": "#4c78a8",
                  "no evidence": "#bbbbbb"}
LABEL_LIMIT = 320  # pixels for a competency name on the y axis before Vega truncates it
BAR_ROW, CELL_ROW, MIN_HEIGHT = 34, 30, 140  # pixels per competency row, and the least a chart is tall


def level_chart(frame: pd.DataFrame, framework: Framework) -> alt.LayerChart:
    """Bars: the level evidenced per competency (from :func:`evidence.app.tables.level_frame`); black ticks: the
    target."""
    names = [lv.id for lv in framework.levels] or ["evidenced"]
    axis = alt.Axis(values=list(range(0, len(names) + 1)), labelExpr=rank_label_expr(names), title="Level")
    base = alt.Chart(frame).encode(y=alt.Y("competency:N", sort=None, title=None,
                                           axis=alt.Axis(labelLimit=LABEL_LIMIT)))
    bars = base.mark_bar(cornerRadiusEnd=4, height=18).encode(
        x=alt.X("bar:Q", scale=alt.Scale(domain=[0, max(len(names), 1)]), axis=axis),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(domain=list(STATUS_COLOURS),
                                                                    range=list(STATUS_COLOURS.values()))),
        tooltip=["competency", "evidenced", "target", "status", alt.Tooltip("confidence:Q", format=".0%"),
                 "sentences"])
    ticks = base.mark_tick(color="#111", thickness=3, size=26).encode(x="target_rank:Q", tooltip=["target"])
    return (bars + ticks).properties(height=max(MIN_HEIGHT, BAR_ROW * len(frame)))


def rank_label_expr(names: list[str]) -> str:
    """A Vega expression naming axis position N by the N-th level (0 is "none")."""
    return f"datum.value == 0 ? 'none' : ({json.dumps(names)})[datum.value - 1]"


def heatmap_chart(frame: pd.DataFrame) -> alt.Chart:
    """Competency x level cells (from :func:`evidence.app.tables.heatmap_frame`), darker for stronger sentences."""
    return alt.Chart(frame).mark_rect(cornerRadius=3).encode(
        x=alt.X("level:N", title="Level", sort=None),
        y=alt.Y("competency:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("score:Q", title="Strongest sentence", scale=alt.Scale(scheme="greens", domain=[0, 1])),
        tooltip=["competency", "level", alt.Tooltip("score:Q", format=".0%")],
    ).properties(height=max(MIN_HEIGHT, CELL_ROW * frame["competency"].nunique()))
